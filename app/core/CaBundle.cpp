// SPDX-License-Identifier: MIT
#include "CaBundle.h"

#include "OpenSslUtil.h"
#include "ProblemCatalog.h"
#include "SafeFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

#include <algorithm>

#include <cerrno>
#include <cstring>

namespace pgtls {

namespace {

constexpr qint64 maxBundleSize = CaBundle::maxBytes;

using Pkcs7Ptr = std::unique_ptr<PKCS7, ossl::Deleter<PKCS7_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, ossl::Deleter<PKCS12_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, ossl::Deleter<X509_SIG_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, ossl::Deleter<X509_CRL_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, ossl::Deleter<X509_REQ_free>>;

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

// ---------------------------------------------------------------------------------------------
// Names, compared structurally

struct NameParts
{
    QStringList commonNames;
    QStringList organizationalUnits;
};

QString entryText(const X509_NAME_ENTRY *entry)
{
    unsigned char *utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (len < 0)
        return {};
    const QString out = QString::fromUtf8(reinterpret_cast<const char *>(utf8), len);
    OPENSSL_free(utf8);
    return out;
}

// The RDN values we need, whatever order the RDNs come in (RDS names use several orders).
NameParts partsOf(const X509_NAME *name)
{
    NameParts parts;
    for (int i = 0; name && i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))) {
        case NID_commonName:
            parts.commonNames << entryText(entry);
            break;
        case NID_organizationalUnitName:
            parts.organizationalUnits << entryText(entry);
            break;
        default:
            break;
        }
    }
    return parts;
}

// "Amazon RDS <rest>" with OU=Amazon RDS and exactly one CN; returns <rest> or an empty string.
QString rdsNameRest(const X509_NAME *name)
{
    const NameParts parts = partsOf(name);
    if (!parts.organizationalUnits.contains(QStringLiteral("Amazon RDS"))
        || parts.commonNames.size() != 1)
        return {};
    static const QString prefix = QStringLiteral("Amazon RDS ");
    const QString &cn = parts.commonNames.constFirst();
    return cn.startsWith(prefix) ? cn.mid(prefix.size()) : QString();
}

// A region as it appears in RDS CA names: "eu-west-1", "Beta us-east-1", "Preview us-east-2",
// and in the 2015 generation "preview-us-east-2".
const QString regionPattern = QStringLiteral(R"((?:(Beta|Preview) )?([a-z]+(?:-[a-z]+)*-\d+))");

QString regionFrom(const QRegularExpressionMatch &m)
{
    const QString prefix = m.captured(1).toLower();
    return prefix.isEmpty() ? m.captured(2) : prefix + QLatin1Char('-') + m.captured(2);
}

// The rds-ca-2015 generation ended on 2020-03-05; everything of it expired then.
bool endsWith2015Generation(const CertificateInfo &cert)
{
    return cert.notAfter.isValid() && cert.notAfter.date() <= QDate(2020, 3, 5);
}

// ---------------------------------------------------------------------------------------------
// What a file looks like when it is not what we want

bool startsWithCi(const QByteArray &data, const char *prefix)
{
    return data.left(qsizetype(qstrlen(prefix))).toLower() == QByteArray(prefix);
}

QByteArray textStart(const QByteArray &data)
{
    QByteArray head = data.left(4096);
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.mid(3);
    return head.trimmed();
}

bool looksBinary(const QByteArray &data)
{
    const QByteArray head = data.left(4096);
    int odd = 0;
    for (const char c : head) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0)
            return true;
        if (u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f')
            ++odd;
    }
    return odd * 20 > head.size();
}

// A PEM label described for people.
QString describeLabel(const QByteArray &label)
{
    if (label.endsWith("PRIVATE KEY"))
        return QCoreApplication::translate("pgtls::CaBundle", "a private key");
    if (label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST")
        return QCoreApplication::translate(
            "pgtls::CaBundle", "a certificate signing request (CSR)");
    if (label == "X509 CRL")
        return QCoreApplication::translate(
            "pgtls::CaBundle", "a certificate revocation list (CRL)");
    if (label == "PUBLIC KEY" || label == "RSA PUBLIC KEY")
        return QCoreApplication::translate("pgtls::CaBundle", "a bare public key");
    if (label.startsWith("PGP "))
        return QCoreApplication::translate("pgtls::CaBundle", "a PGP key or signature");
    if (label.endsWith("PARAMETERS"))
        return QCoreApplication::translate("pgtls::CaBundle", "key parameters (%1)")
            .arg(QString::fromLatin1(label));
    if (label == "SSH2 PUBLIC KEY")
        return QCoreApplication::translate("pgtls::CaBundle", "an SSH public key");
    return QCoreApplication::translate("pgtls::CaBundle", "a \"%1\" block")
        .arg(QString::fromLatin1(label));
}

// The length a DER SEQUENCE header announces (header included); -1 when it is not one.
qint64 announcedDerLength(const QByteArray &data)
{
    if (data.size() < 2 || static_cast<unsigned char>(data[0]) != 0x30)
        return -1;
    const auto first = static_cast<unsigned char>(data[1]);
    if (first < 0x80)
        return 2 + first;
    const int n = first & 0x7f;
    if (n == 0 || n > 4 || data.size() < 2 + n)
        return -1;
    qint64 len = 0;
    for (int i = 0; i < n; ++i)
        len = (len << 8) | static_cast<unsigned char>(data[2 + i]);
    return 2 + n + len;
}

// ---------------------------------------------------------------------------------------------
// The loader

struct PemBlock
{
    QByteArray label;
    int line = 0; // 1-based line of the BEGIN line
    bool complete = false; // an END line with the same label was found
    bool badBase64 = false;
    QByteArray der;
};

// Splits PEM text into blocks the way a strict reader sees them. Text between blocks is ignored
// (OpenSSL ignores it too); a BEGIN line that is followed by another BEGIN or by the end of the
// data before its END line makes an incomplete block.
QList<PemBlock> scanPem(const QByteArray &data)
{
    QList<PemBlock> blocks;
    const QList<QByteArray> lines = data.split('\n');
    PemBlock current;
    bool inBlock = false;
    bool inHeaders = false;
    QByteArray body;
    auto finish = [&](bool complete) {
        current.complete = complete;
        if (complete) {
            const auto decoded
                = QByteArray::fromBase64Encoding(body, QByteArray::AbortOnBase64DecodingErrors);
            current.badBase64 = !decoded || decoded.decoded.isEmpty();
            current.der = decoded.decoded;
        }
        blocks << current;
        current = PemBlock();
        body.clear();
        inBlock = false;
    };
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const bool isBegin
            = line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.size() > 16;
        if (isBegin) {
            if (inBlock)
                finish(false);
            current.label = line.mid(11, line.size() - 16);
            current.line = i + 1;
            inBlock = true;
            inHeaders = true;
            continue;
        }
        if (!inBlock)
            continue;
        if (line.startsWith("-----END ")) {
            const bool same = line == "-----END " + current.label + "-----";
            finish(same);
            continue;
        }
        // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") come first, then a blank line.
        if (inHeaders && line.contains(':'))
            continue;
        if (line.isEmpty())
            continue;
        inHeaders = false;
        body += line;
    }
    if (inBlock)
        finish(false);
    return blocks;
}

QList<CertificateInfo> certificatesOfPkcs7(const QByteArray &der, bool *ok)
{
    QList<CertificateInfo> out;
    *ok = false;
    const unsigned char *p = bytes(der);
    Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, long(der.size())));
    if (!p7)
        return out;
    // Windows sometimes pads .p7b files; anything but padding after the structure is not PKCS#7.
    for (const unsigned char *q = p; q < bytes(der) + der.size(); ++q) {
        if (*q != 0 && *q != '\n' && *q != '\r' && *q != ' ')
            return out;
    }
    STACK_OF(X509) *certs = nullptr;
    switch (OBJ_obj2nid(p7->type)) {
    case NID_pkcs7_signed:
        certs = p7->d.sign ? p7->d.sign->cert : nullptr;
        break;
    case NID_pkcs7_signedAndEnveloped:
        certs = p7->d.signed_and_enveloped ? p7->d.signed_and_enveloped->cert : nullptr;
        break;
    default:
        return out;
    }
    *ok = true;
    for (int i = 0; certs && i < sk_X509_num(certs); ++i) {
        const CertificateInfo info
            = CertificateInfo::fromDer(ossl::x509ToDer(sk_X509_value(certs, i)));
        if (!info.isNull())
            out << info;
    }
    return out;
}

bool isDerPrivateKey(const QByteArray &der)
{
    const unsigned char *p = bytes(der);
    ossl::EvpPkeyPtr key(d2i_AutoPrivateKey(nullptr, &p, long(der.size())));
    if (key)
        return true;
    p = bytes(der);
    // An encrypted PKCS#8 key.
    X509SigPtr sig(d2i_X509_SIG(nullptr, &p, long(der.size())));
    return sig && p == bytes(der) + der.size();
}

// "0640" from Qt's permission flags (the owner's and the user's flags are the same bits for us).
QString modeText(QFileDevice::Permissions p)
{
    const int owner = (p & QFileDevice::ReadOwner ? 4 : 0) | (p & QFileDevice::WriteOwner ? 2 : 0)
        | (p & QFileDevice::ExeOwner ? 1 : 0);
    const int group = (p & QFileDevice::ReadGroup ? 4 : 0) | (p & QFileDevice::WriteGroup ? 2 : 0)
        | (p & QFileDevice::ExeGroup ? 1 : 0);
    const int other = (p & QFileDevice::ReadOther ? 4 : 0) | (p & QFileDevice::WriteOther ? 2 : 0)
        | (p & QFileDevice::ExeOther ? 1 : 0);
    return QStringLiteral("0%1%2%3").arg(owner).arg(group).arg(other);
}

CaBundle failed(CaBundle b, const char *code, const QString &message)
{
    b.entries.clear();
    b.errorCode = QString::fromLatin1(code);
    b.error = message;
    return b;
}

QString privateKeyMessage(const QString &name)
{
    return QCoreApplication::translate("pgtls::CaBundle",
        "%1 contains a private key, so it is refused. A CA bundle is public: it is copied to every "
        "client and often checked into repositories, so a key inside it would spread a secret. It "
        "is most likely the wrong file (a server or client key, or a key and certificate saved "
        "together). Use the CA certificate file instead (for Amazon RDS: global-bundle.pem), and "
        "if this key is in use, treat it as exposed.")
        .arg(name);
}

// A non-PEM, non-DER content described for the "not a certificate" message.
QString describeNonCertificate(const QByteArray &data)
{
    const QByteArray head = textStart(data);
    if (startsWithCi(head, "<!doctype html") || startsWithCi(head, "<html")
        || head.toLower().contains("<html"))
        return QCoreApplication::translate("pgtls::CaBundle",
            "an HTML page (a web page was saved instead of the certificate file: an error page, a "
            "sign-in page or the page that links to the download)");
    if (startsWithCi(head, "<?xml") || head.startsWith('<'))
        return head.contains("<Error>")
            ? QCoreApplication::translate("pgtls::CaBundle",
                "an XML error response (such as S3's AccessDenied or "
                "NoSuchKey): the download failed")
            : QCoreApplication::translate("pgtls::CaBundle", "an XML document");
    if (head.startsWith('{') || head.startsWith('['))
        return QCoreApplication::translate("pgtls::CaBundle",
            "JSON (a certificate inside a JSON string must be extracted into a PEM file first)");
    if (head.startsWith("ssh-rsa ") || head.startsWith("ssh-ed25519 ")
        || head.startsWith("ecdsa-sha2-"))
        return QCoreApplication::translate("pgtls::CaBundle", "an SSH public key");
    if (looksBinary(data))
        return QCoreApplication::translate(
            "pgtls::CaBundle", "binary data that is neither a DER certificate nor PKCS#7");
    // The base64 of a certificate without its BEGIN/END lines is a common copy-and-paste mistake.
    QByteArray compact = head;
    compact.replace('\n', QByteArray()).replace('\r', QByteArray()).replace(' ', QByteArray());
    const auto decoded
        = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && !CertificateInfo::fromDer(decoded.decoded).isNull())
        return QCoreApplication::translate("pgtls::CaBundle",
            "the base64 text of a certificate without its \"-----BEGIN CERTIFICATE-----\" and "
            "\"-----END CERTIFICATE-----\" lines (add them back)");
    return QCoreApplication::translate(
        "pgtls::CaBundle", "text without any \"-----BEGIN CERTIFICATE-----\" block");
}

CaBundle loadDer(CaBundle b, const QByteArray &data, const QString &name)
{
    const CertificateInfo single = CertificateInfo::fromDer(data);
    if (!single.isNull()) {
        b.format = CaBundle::Format::Der;
        b.entries << BundleEntry { single, CaBundle::identifyRds(single), false };
        return b;
    }
    bool pkcs7 = false;
    const QList<CertificateInfo> certs = certificatesOfPkcs7(data, &pkcs7);
    if (pkcs7) {
        b.format = CaBundle::Format::Pkcs7;
        if (certs.isEmpty())
            return failed(b, "not-a-certificate",
                QCoreApplication::translate(
                    "pgtls::CaBundle", "%1 is a PKCS#7 file without any certificate in it.")
                    .arg(name));
        QSet<QString> seen;
        for (const CertificateInfo &c : certs) {
            b.entries << BundleEntry { c, CaBundle::identifyRds(c), seen.contains(c.sha256) };
            seen.insert(c.sha256);
        }
        return b;
    }
    if (isDerPrivateKey(data))
        return failed(b, "private-key", privateKeyMessage(name));

    const unsigned char *p = bytes(data);
    if (Pkcs12Ptr(d2i_PKCS12(nullptr, &p, long(data.size()))))
        return failed(b, "not-a-certificate",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is a PKCS#12 keystore (.p12/.pfx), not a CA bundle. Such a file normally holds "
                "a private key too, and libpq cannot read it as a root certificate file; export "
                "the CA certificates from it as PEM.")
                .arg(name));
    p = bytes(data);
    if (X509CrlPtr(d2i_X509_CRL(nullptr, &p, long(data.size()))))
        return failed(b, "not-a-certificate",
            QCoreApplication::translate(
                "pgtls::CaBundle", "%1 is a certificate revocation list (CRL), not a certificate.")
                .arg(name));
    p = bytes(data);
    if (X509ReqPtr(d2i_X509_REQ(nullptr, &p, long(data.size()))))
        return failed(b, "not-a-certificate",
            QCoreApplication::translate(
                "pgtls::CaBundle", "%1 is a certificate signing request (CSR), not a certificate.")
                .arg(name));
    if (announcedDerLength(data) > data.size())
        return failed(b, "not-a-certificate",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is binary (DER) data that ends early: %2 of the %3 bytes its header announces "
                "are there. The file was probably cut short (an interrupted download?).")
                .arg(name)
                .arg(data.size())
                .arg(announcedDerLength(data)));
    return failed(b, "not-a-certificate",
        QCoreApplication::translate("pgtls::CaBundle", "%1 is not a certificate: it looks like %2.")
            .arg(name, describeNonCertificate(data)));
}

CaBundle loadPem(CaBundle b, const QString &name, const QList<PemBlock> &blocks)
{
    // A private key anywhere wins over every other finding: the file must not be used at all.
    for (const PemBlock &block : blocks) {
        if (block.label.endsWith("PRIVATE KEY"))
            return failed(b, "private-key", privateKeyMessage(name));
    }

    QList<CertificateInfo> certs;
    bool onlyPkcs7 = true;
    bool anyPkcs7 = false;
    QStringList other;
    int index = 0;
    for (const PemBlock &block : blocks) {
        ++index;
        const bool isCert = block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE"
            || block.label == "TRUSTED CERTIFICATE";
        const bool isPkcs7 = block.label == "PKCS7" || block.label == "PKCS #7 SIGNED DATA";
        if (!isCert && !isPkcs7) {
            other << describeLabel(block.label);
            continue;
        }
        const QString label = QString::fromLatin1(block.label);
        if (!block.complete)
            return failed(b, "truncated-pem",
                QCoreApplication::translate("pgtls::CaBundle",
                    "%1 is cut short: the \"-----BEGIN %2-----\" block starting on line %3 has no "
                    "matching \"-----END %2-----\" line. Download or copy the file again.")
                    .arg(name, label)
                    .arg(block.line));
        if (block.badBase64)
            return failed(b, "truncated-pem",
                QCoreApplication::translate("pgtls::CaBundle",
                    "%1 is damaged: the text of the \"%2\" block starting on line %3 is not valid "
                    "base64. Download or copy the file again.")
                    .arg(name, label)
                    .arg(block.line));
        if (isPkcs7) {
            anyPkcs7 = true;
            bool ok = false;
            const QList<CertificateInfo> inside = certificatesOfPkcs7(block.der, &ok);
            if (!ok)
                return failed(b, "truncated-pem",
                    QCoreApplication::translate("pgtls::CaBundle",
                        "%1 is damaged: the PKCS#7 block starting on line %2 could not be read. "
                        "Download or copy the file again.")
                        .arg(name)
                        .arg(block.line));
            certs << inside;
            continue;
        }
        onlyPkcs7 = false;
        QByteArray der = block.der;
        if (block.label == "TRUSTED CERTIFICATE") {
            // OpenSSL's "trusted" form: the certificate followed by trust settings.
            const unsigned char *p = bytes(der);
            ossl::X509Ptr x(d2i_X509_AUX(nullptr, &p, long(der.size())));
            der = x ? ossl::x509ToDer(x.get()) : QByteArray();
        }
        const CertificateInfo info = CertificateInfo::fromDer(der);
        if (info.isNull())
            return failed(b, "truncated-pem",
                QCoreApplication::translate("pgtls::CaBundle",
                    "%1 is damaged: certificate %2 (starting on line %3) is incomplete or corrupt; "
                    "lines may be missing. Download or copy the file again.")
                    .arg(name)
                    .arg(index)
                    .arg(block.line));
        certs << info;
    }
    other.removeDuplicates();
    if (certs.isEmpty()) {
        if (anyPkcs7)
            return failed(b, "not-a-certificate",
                QCoreApplication::translate(
                    "pgtls::CaBundle", "%1 is a PKCS#7 file without any certificate in it.")
                    .arg(name));
        return failed(b, "not-a-certificate",
            QCoreApplication::translate("pgtls::CaBundle", "%1 holds no certificate, only %2.")
                .arg(name, QLocale().createSeparatedList(other)));
    }
    b.format = anyPkcs7 && onlyPkcs7 ? CaBundle::Format::Pkcs7 : CaBundle::Format::Pem;
    b.ignoredBlocks = other;
    QSet<QString> seen;
    for (const CertificateInfo &c : certs) {
        b.entries << BundleEntry { c, CaBundle::identifyRds(c), seen.contains(c.sha256) };
        seen.insert(c.sha256);
    }
    return b;
}

} // namespace

// ---------------------------------------------------------------------------------------------

int CaBundle::duplicateCount() const
{
    return int(std::count_if(
        entries.cbegin(), entries.cend(), [](const BundleEntry &e) { return e.duplicate; }));
}

QList<BundleEntry> CaBundle::expiredAt(const QDateTime &now) const
{
    QList<BundleEntry> out;
    for (const BundleEntry &e : entries) {
        if (e.cert.isExpiredAt(now))
            out << e;
    }
    return out;
}

QDateTime CaBundle::earliestExpiry() const
{
    QDateTime out;
    for (const BundleEntry &e : entries) {
        if (e.cert.notAfter.isValid() && (!out.isValid() || e.cert.notAfter < out))
            out = e.cert.notAfter;
    }
    return out;
}

QDateTime CaBundle::earliestExpiryOfValid(const QDateTime &now) const
{
    QDateTime out;
    for (const BundleEntry &e : entries) {
        if (e.cert.notAfter.isValid() && !e.cert.isExpiredAt(now)
            && (!out.isValid() || e.cert.notAfter < out))
            out = e.cert.notAfter;
    }
    return out;
}

QStringList CaBundle::rdsCaIds() const
{
    QStringList out;
    for (const BundleEntry &e : entries) {
        if (!e.rds.isNull())
            out << e.rds.caId;
    }
    out.removeDuplicates();
    out.sort();
    return out;
}

QStringList CaBundle::rdsRegions() const
{
    QStringList out;
    for (const BundleEntry &e : entries) {
        if (!e.rds.region.isEmpty())
            out << e.rds.region;
    }
    out.removeDuplicates();
    out.sort();
    return out;
}

bool CaBundle::holdsOnlyRetiredRdsCas() const
{
    return !entries.isEmpty()
        && std::all_of(entries.cbegin(), entries.cend(),
            [](const BundleEntry &e) { return !e.rds.isNull() && e.rds.retired; });
}

bool CaBundle::coversRegion(const QString &region) const
{
    if (region.isEmpty())
        return false;
    return std::any_of(entries.cbegin(), entries.cend(), [&region](const BundleEntry &e) {
        return e.rds.root && !e.rds.retired
            && e.rds.region.compare(region, Qt::CaseInsensitive) == 0;
    });
}

QStringList CaBundle::warnings(const QString &endpointHost, const QDateTime &now) const
{
    QStringList out;
    if (!ok())
        return out;

    if (holdsOnlyRetiredRdsCas()) {
        out << QCoreApplication::translate("pgtls::CaBundle",
            "This bundle holds only retired Amazon RDS CAs (%1). rds-ca-2019 expired on 2024-08-22 "
            "and rds-ca-2015 on 2020-03-05; RDS servers now present certificates from "
            "rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1, which this bundle cannot "
            "verify. This is the 2019 rotation trap: replace the file with the current global "
            "bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem).")
                   .arg(rdsCaIds().join(QStringLiteral(", ")));
    }

    const QString region = ProblemCatalog::rdsRegionOf(endpointHost);
    static const QRegularExpression proxyRe(
        QStringLiteral(R"(\.proxy-[a-z0-9]+\.)"), QRegularExpression::CaseInsensitiveOption);
    if (!region.isEmpty() && proxyRe.match(endpointHost).hasMatch()) {
        // RDS Proxy endpoints are not signed by an RDS CA at all.
        const bool hasAmazonTrust
            = std::any_of(entries.cbegin(), entries.cend(), [](const BundleEntry &e) {
                  return e.cert.subjectCommonName.startsWith(QLatin1String("Amazon Root CA"));
              });
        if (!hasAmazonTrust)
            out << QCoreApplication::translate("pgtls::CaBundle",
                "%1 is an RDS Proxy endpoint. RDS Proxy presents a certificate from Amazon Trust "
                "Services (Amazon Root CA 1), not from an RDS CA, and this bundle holds no Amazon "
                "Trust Services root. Use the system trust store or AmazonRootCA1.pem for the "
                "proxy.")
                       .arg(endpointHost);
    } else if (!region.isEmpty() && !coversRegion(region) && !holdsOnlyRetiredRdsCas()) {
        const bool special = region.startsWith(QLatin1String("cn-"))
            || region.startsWith(QLatin1String("us-gov-"));
        QString text = QCoreApplication::translate("pgtls::CaBundle",
            "This bundle holds no current Amazon RDS root CA for %1, the region of %2, so it "
            "cannot verify that server.")
                           .arg(region, endpointHost);
        text += QLatin1Char(' ');
        text += special
            ? QCoreApplication::translate("pgtls::CaBundle",
                "China and GovCloud regions have their own trust store; download that region's "
                "bundle.")
            : QCoreApplication::translate("pgtls::CaBundle",
                "Use the global bundle (it holds every commercial region) or the bundle for %1.")
                  .arg(region);
        out << text;
    }

    const QList<BundleEntry> expired = expiredAt(now);
    if (!expired.isEmpty()) {
        const BundleEntry &first = expired.constFirst();
        const QString name = first.cert.subjectCommonName.isEmpty() ? first.cert.subject
                                                                    : first.cert.subjectCommonName;
        const QString date = first.cert.notAfter.date().toString(Qt::ISODate);
        if (expired.size() == count())
            out << (count() == 1
                    ? QCoreApplication::translate("pgtls::CaBundle",
                        "The certificate in this bundle has expired (%1, on %2); it cannot "
                        "verify any server.")
                          .arg(name, date)
                    : QCoreApplication::translate("pgtls::CaBundle",
                        "All %n certificates in this bundle have expired (the first: %1, on "
                        "%2); they cannot verify any server. Get a current bundle.",
                        nullptr, count())
                          .arg(name, date));
        else
            out << (expired.size() == 1
                    ? QCoreApplication::translate("pgtls::CaBundle",
                        "One certificate in this bundle has expired (%1, on %2); it can no longer "
                        "verify anything.")
                          .arg(name, date)
                    : QCoreApplication::translate("pgtls::CaBundle",
                        "%n certificates in this bundle have expired (the first: %1, on %2); they "
                        "can no longer verify anything.",
                        nullptr, int(expired.size()))
                          .arg(name, date));
    }

    const int duplicates = duplicateCount();
    if (duplicates == 1)
        out << QCoreApplication::translate("pgtls::CaBundle",
            "One certificate appears more than once in this bundle. That is harmless for libpq, "
            "but "
            "it suggests the file was put together by hand; check that nothing else was mixed in.");
    else if (duplicates > 1)
        out << QCoreApplication::translate("pgtls::CaBundle",
            "%n certificates appear more than once in this bundle. That is harmless for libpq, but "
            "it suggests the file was put together by hand; check that nothing else was mixed in.",
            nullptr, duplicates);

    const int nonCa = int(std::count_if(
        entries.cbegin(), entries.cend(), [](const BundleEntry &e) { return !e.cert.isCa; }));
    if (nonCa > 0) {
        const auto it = std::find_if(
            entries.cbegin(), entries.cend(), [](const BundleEntry &e) { return !e.cert.isCa; });
        const QString name
            = it->cert.subjectCommonName.isEmpty() ? it->cert.subject : it->cert.subjectCommonName;
        out << (nonCa == 1
                ? QCoreApplication::translate("pgtls::CaBundle",
                    "One certificate in this bundle is not a CA certificate (%1): a server or "
                    "client certificate does not belong in a CA bundle and cannot anchor a "
                    "chain for libpq. Was the wrong file picked?")
                      .arg(name)
                : QCoreApplication::translate("pgtls::CaBundle",
                    "%n certificates in this bundle are not CA certificates (the first: %1): "
                    "server or client certificates do not belong in a CA bundle and cannot "
                    "anchor a chain for libpq. Was the wrong file picked?",
                    nullptr, nonCa)
                      .arg(name));
    }

    if (!ignoredBlocks.isEmpty())
        out << QCoreApplication::translate(
            "pgtls::CaBundle", "This file also holds %1, which is not used as a CA certificate.")
                   .arg(QLocale().createSeparatedList(ignoredBlocks));
    return out;
}

CaBundle CaBundle::load(const QString &path)
{
    // One look at the path and one read, through the descriptor that was checked: a FIFO (which
    // would wait for a writer for ever) or a device (/dev/zero never ends) is never read, and what
    // is parsed is what was checked, even if the path is swapped meanwhile.
    return fromFile(path.isEmpty() ? SafeFileStatus() : SafeFile::read(path, maxBytes), path);
}

CaBundle CaBundle::fromFile(const SafeFileStatus &file, const QString &path)
{
    CaBundle b;
    b.path = path;
    if (path.isEmpty())
        return failed(b, "missing",
            QCoreApplication::translate("pgtls::CaBundle", "No CA bundle file was given."));
    switch (file.kind) {
    case SafeFileStatus::Kind::Regular:
        break;
    case SafeFileStatus::Kind::Missing: {
        const QFileInfo fi(path);
        if (fi.isSymLink())
            return failed(b, "missing",
                QCoreApplication::translate(
                    "pgtls::CaBundle", "%1 is a symbolic link to %2, which does not exist.")
                    .arg(path, fi.symLinkTarget()));
        return failed(b, "missing",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 does not exist. Check the path (libpq looks for exactly this file).")
                .arg(path));
    }
    case SafeFileStatus::Kind::Directory:
        return failed(b, "directory",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is a directory. Point to the bundle file inside it (for Amazon RDS: "
                "global-bundle.pem); libpq's sslrootcert takes a file, not a directory.")
                .arg(path));
    case SafeFileStatus::Kind::Fifo:
        return failed(b, "not-a-file",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is a named pipe (FIFO), not a file: reading it would wait for a writer for "
                "ever, so it was not read. A CA bundle is a file; point to the bundle itself.")
                .arg(path));
    case SafeFileStatus::Kind::Device:
        return failed(b, "not-a-file",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is a device, not a file: reading it might never end, so it was not read. A "
                "CA bundle is a file; point to the bundle itself.")
                .arg(path));
    case SafeFileStatus::Kind::SymLink: // only when read with Links::DoNotFollow
        return failed(b, "not-a-file", file.error);
    case SafeFileStatus::Kind::Socket:
        return failed(b, "not-a-file",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is a socket, not a file. A CA bundle is a file; point to the bundle itself.")
                .arg(path));
    case SafeFileStatus::Kind::TooLarge:
        return failed(b, "too-large",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is %2 MiB. CA bundles are a few hundred KiB at most (the RDS global bundle is "
                "162 KiB); files over 16 MiB are refused, as this is certainly not a CA bundle.")
                .arg(path, QString::number(double(file.size) / (1024.0 * 1024.0), 'f', 1)));
    case SafeFileStatus::Kind::Unreadable: {
        if (!file.exists)
            // A directory on the way may not be searched: the file is there or not, we cannot
            // tell.
            return failed(b, "unreadable",
                QCoreApplication::translate("pgtls::CaBundle",
                    "%1 cannot be reached: permission denied on a directory in its path. libpq, "
                    "running as the same user, could not read it either.")
                    .arg(path));
        const QFileInfo fi(path);
        if (file.errorNumber == EACCES || file.errorNumber == EPERM)
            return failed(b, "unreadable",
                QCoreApplication::translate("pgtls::CaBundle",
                    "%1 cannot be read: permission denied (owner %2, permissions %3). libpq, "
                    "running "
                    "as the same user, could not read it either; make it readable (chmod 644: a CA "
                    "bundle is public).")
                    .arg(path, fi.owner(), modeText(fi.permissions())));
        return failed(b, "unreadable",
            QCoreApplication::translate("pgtls::CaBundle", "%1 cannot be read: %2.")
                .arg(path, QString::fromLocal8Bit(std::strerror(file.errorNumber))));
    }
    }
    CaBundle out = fromData(file.data, path);
    out.path = path;
    return out;
}

CaBundle CaBundle::fromData(const QByteArray &data, const QString &name)
{
    CaBundle b;
    if (data.size() > maxBundleSize)
        return failed(b, "too-large",
            QCoreApplication::translate("pgtls::CaBundle",
                "%1 is %2 MiB. CA bundles are a few hundred KiB at most (the RDS global bundle is "
                "162 KiB); anything over 16 MiB is refused, as this is certainly not a CA bundle.")
                .arg(name)
                .arg(double(data.size()) / (1024.0 * 1024.0), 0, 'f', 1));
    if (data.trimmed().isEmpty())
        return failed(b, "empty",
            data.isEmpty() ? QCoreApplication::translate("pgtls::CaBundle",
                "%1 is empty (0 bytes). An interrupted download or a failed copy "
                "leaves such a file; get the bundle again.")
                                 .arg(name)
                           : QCoreApplication::translate(
                               "pgtls::CaBundle", "%1 holds only blank space, no certificate.")
                                 .arg(name));

    ERR_clear_error();
    if (textStart(data).startsWith("PuTTY-User-Key-File-"))
        return failed(b, "private-key", privateKeyMessage(name));

    // A UTF-8 byte-order mark (some Windows editors write one) does not stop OpenSSL either.
    const bool bom = data.startsWith("\xEF\xBB\xBF");
    const QList<PemBlock> blocks = scanPem(bom ? data.mid(3) : data);
    CaBundle out = blocks.isEmpty() ? loadDer(b, data, name) : loadPem(b, name, blocks);
    ERR_clear_error();
    return out;
}

RdsCaIdentity CaBundle::identifyRds(const CertificateInfo &cert)
{
    RdsCaIdentity id;
    const ossl::X509Ptr x = ossl::x509FromDer(cert.der);
    if (!x)
        return id;
    const QString rest = rdsNameRest(X509_get_subject_name(x.get()));
    if (rest.isEmpty())
        return id;

    static const QRegularExpression g1Root(
        QStringLiteral("^%1 Root CA (RSA2048|RSA4096|ECC384) G(\\d+)$").arg(regionPattern));
    static const QRegularExpression g1Sub(
        QStringLiteral("^%1 Subordinate CA (RSA2048|RSA4096|ECC384) G(\\d+)(?:\\.[A-Za-z0-9.]+)?$")
            .arg(regionPattern));
    static const QRegularExpression root2019(
        QStringLiteral("^(?:(?:Beta|Preview) )?Root 2019 CA$"));
    static const QRegularExpression regional2019(QStringLiteral("^%1 2019 CA$").arg(regionPattern));
    static const QRegularExpression root2015(QStringLiteral("^Root CA$"));
    static const QRegularExpression regionalRoot(QStringLiteral("^%1 Root CA$").arg(regionPattern));
    static const QRegularExpression regional(QStringLiteral("^%1 CA$").arg(regionPattern));

    QRegularExpressionMatch m = g1Root.match(rest);
    const bool isG1Root = m.hasMatch();
    if (isG1Root || (m = g1Sub.match(rest)).hasMatch()) {
        id.caId = QStringLiteral("rds-ca-%1-g%2").arg(m.captured(3).toLower(), m.captured(4));
        id.region = regionFrom(m);
        id.root = isG1Root;
        return id;
    }
    id.retired = true;
    if (root2019.match(rest).hasMatch()) {
        id.caId = QStringLiteral("rds-ca-2019");
        id.root = true;
        return id;
    }
    if ((m = regional2019.match(rest)).hasMatch()) {
        id.caId = QStringLiteral("rds-ca-2019");
        id.region = regionFrom(m);
        return id;
    }
    if (root2015.match(rest).hasMatch()) {
        id.caId = QStringLiteral("rds-ca-2015");
        id.root = true;
        return id;
    }
    if ((m = regionalRoot.match(rest)).hasMatch()) {
        // "Amazon RDS ap-east-1 Root CA" (also me-south-1, af-south-1, eu-south-1): regions
        // launched during the 2019 generation got a root of their own, valid 2019 to 2024. They
        // belong to rds-ca-2019 (AWS listed their 2024 expiry with it). The 2015 generation had one
        // global root only, so a regional root that ended with it would be rds-ca-2015.
        id.caId = endsWith2015Generation(cert) ? QStringLiteral("rds-ca-2015")
                                               : QStringLiteral("rds-ca-2019");
        id.region = regionFrom(m);
        id.root = true;
        return id;
    }
    if ((m = regional.match(rest)).hasMatch()) {
        // "Amazon RDS <region> CA" is the 2015 generation's intermediate under "Amazon RDS Root
        // CA", but the same name was used under the 2019-era regional roots (ap-east-1,
        // me-south-1). The issuer tells them apart; the validity decides when the issuer is not an
        // RDS name.
        const QString issuerRest = rdsNameRest(X509_get_issuer_name(x.get()));
        bool generation2015 = endsWith2015Generation(cert);
        if (issuerRest == QLatin1String("Root CA"))
            generation2015 = true;
        else if (regionalRoot.match(issuerRest).hasMatch()
            || issuerRest.endsWith(QLatin1String("2019 CA")))
            generation2015 = false;
        id.caId = generation2015 ? QStringLiteral("rds-ca-2015") : QStringLiteral("rds-ca-2019");
        id.region = regionFrom(m);
        return id;
    }
    return {};
}

BundleDiff BundleDiff::between(const CaBundle &before, const CaBundle &after)
{
    BundleDiff diff;
    QSet<QString> old;
    for (const BundleEntry &e : before.entries)
        old.insert(e.cert.sha256);
    QSet<QString> now;
    for (const BundleEntry &e : after.entries)
        now.insert(e.cert.sha256);
    QSet<QString> reported;
    for (const BundleEntry &e : after.entries) {
        if (!old.contains(e.cert.sha256) && !reported.contains(e.cert.sha256)) {
            diff.added << e.cert;
            reported.insert(e.cert.sha256);
        }
    }
    for (const BundleEntry &e : before.entries) {
        if (!now.contains(e.cert.sha256) && !reported.contains(e.cert.sha256)) {
            diff.removed << e.cert;
            reported.insert(e.cert.sha256);
        }
    }
    return diff;
}

} // namespace pgtls
