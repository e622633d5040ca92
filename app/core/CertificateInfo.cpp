// SPDX-License-Identifier: MIT
#include "CertificateInfo.h"

#include <QCoreApplication>

#include "OpenSslUtil.h"

#include <QHostAddress>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

namespace pgtls {

namespace {

    using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, ossl::Deleter<GENERAL_NAMES_free>>;
    using BasicConstraintsPtr
            = std::unique_ptr<BASIC_CONSTRAINTS, ossl::Deleter<BASIC_CONSTRAINTS_free>>;

    // Same digits as `openssl x509 -serial` (two per byte), in lower case.
    QString serialHex(const ASN1_INTEGER *serial)
    {
        BIGNUM *bn = ASN1_INTEGER_to_BN(serial, nullptr);
        if (!bn)
            return {};
        char *hex = BN_bn2hex(bn);
        BN_free(bn);
        if (!hex)
            return {};
        const QString out = QString::fromLatin1(hex).toLower();
        OPENSSL_free(hex);
        return out;
    }

    QString keyTypeName(const EVP_PKEY *pkey)
    {
        switch (EVP_PKEY_get_base_id(pkey)) {
        case EVP_PKEY_RSA:
            return QStringLiteral("RSA");
        case EVP_PKEY_EC:
            return QStringLiteral("EC");
        case EVP_PKEY_ED25519:
            return QStringLiteral("Ed25519");
        case EVP_PKEY_ED448:
            return QStringLiteral("Ed448");
        case EVP_PKEY_DSA:
            return QStringLiteral("DSA");
        default:
            break;
        }
        if (const char *name = EVP_PKEY_get0_type_name(pkey))
            return QString::fromLatin1(name);
        return QString::fromLatin1(OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
    }

    // Name bytes as text. A NUL (which libpq rejects in a name, and which would cut the text short
    // wherever it meets a C string) is shown as "\0", as the host-name report shows it.
    QString nameText(const unsigned char *data, int len)
    {
        QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qMax(len, 0));
        text.replace(QChar(0), QStringLiteral("\\0"));
        return text;
    }

    QString firstCommonName(const X509_NAME *name)
    {
        const int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
        if (idx < 0)
            return {};
        const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
        unsigned char *utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, data);
        if (len < 0)
            return {};
        const QString out = nameText(utf8, len);
        OPENSSL_free(utf8);
        return out;
    }

    QString ipToText(const ASN1_OCTET_STRING *ip)
    {
        const int len = ASN1_STRING_length(ip);
        const unsigned char *p = ASN1_STRING_get0_data(ip);
        if (len == 4)
            return QStringLiteral("%1.%2.%3.%4").arg(p[0]).arg(p[1]).arg(p[2]).arg(p[3]);
        if (len == 16) {
            Q_IPV6ADDR addr;
            memcpy(addr.c, p, 16);
            return QHostAddress(addr).toString();
        }
        // Not an address: show the octets so the report can say what is there.
        return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(p), len).toHex());
    }

} // namespace

QString CertificateInfo::toPem() const
{
    if (der.isEmpty())
        return {};
    const QByteArray b64 = der.toBase64();
    QString out = QStringLiteral("-----BEGIN CERTIFICATE-----\n");
    for (qsizetype i = 0; i < b64.size(); i += 64)
        out += QString::fromLatin1(b64.mid(i, 64)) + QLatin1Char('\n');
    out += QStringLiteral("-----END CERTIFICATE-----\n");
    return out;
}

CertificateInfo CertificateInfo::fromDer(const QByteArray &der, QString *error)
{
    ERR_clear_error();
    ossl::X509Ptr cert = ossl::x509FromDer(der);
    if (!cert) {
        if (error) {
            const QString detail = ossl::takeErrors();
            *error = der.isEmpty() ? QStringLiteral("no certificate data")
                                   : QStringLiteral("not a DER certificate")
                            + (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
        }
        return {};
    }

    CertificateInfo info;
    info.der = der;
    info.subject = ossl::nameToString(X509_get_subject_name(cert.get()));
    info.issuer = ossl::nameToString(X509_get_issuer_name(cert.get()));
    info.subjectCommonName = firstCommonName(X509_get_subject_name(cert.get()));
    info.serial = serialHex(X509_get0_serialNumber(cert.get()));
    info.notBefore = ossl::asn1TimeToUtc(X509_get0_notBefore(cert.get()));
    info.notAfter = ossl::asn1TimeToUtc(X509_get0_notAfter(cert.get()));
    info.sha256 = ossl::sha256Hex(der);
    info.signatureAlgorithm = QString::fromLatin1(OBJ_nid2ln(X509_get_signature_nid(cert.get())));

    if (const EVP_PKEY *pkey = X509_get0_pubkey(cert.get())) {
        info.keyType = keyTypeName(pkey);
        info.keyBits = EVP_PKEY_get_bits(pkey);
        if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
            char group[80] = {};
            size_t len = 0;
            if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len))
                info.keyCurve = QString::fromLatin1(group, qsizetype(len));
        }
    }

    GeneralNamesPtr sans(static_cast<GENERAL_NAMES *>(
            X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); i++) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(sans.get(), i);
        if (name->type == GEN_DNS) {
            const ASN1_STRING *s = name->d.dNSName;
            info.sanDns << nameText(ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
        } else if (name->type == GEN_IPADD) {
            info.sanIp << ipToText(name->d.iPAddress);
        }
    }

    BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS *>(
            X509_get_ext_d2i(cert.get(), NID_basic_constraints, nullptr, nullptr)));
    info.isCa = bc && bc->ca;

    if (X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0) {
        EVP_PKEY *own = X509_get0_pubkey(cert.get());
        info.selfSigned = own && X509_verify(cert.get(), own) == 1;
    }
    ERR_clear_error();
    return info;
}

QList<CertificateInfo> CertificateInfo::fromPemAll(const QByteArray &pem, QString *error)
{
    QList<CertificateInfo> out;
    QStringList problems;
    ERR_clear_error();
    ossl::BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    int block = 0;
    for (;;) {
        char *name = nullptr;
        char *header = nullptr;
        unsigned char *data = nullptr;
        long len = 0;
        if (!PEM_read_bio(bio.get(), &name, &header, &data, &len)) {
            const unsigned long e = ERR_peek_last_error();
            // Running out of input ends the loop; anything else is a broken PEM block.
            if (!(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE))
                problems << QCoreApplication::translate("pgtls::CertificateInfo", "PEM block %1 could not be read: %2")
                                    .arg(block + 1)
                                    .arg(ossl::takeErrors());
            ERR_clear_error();
            break;
        }
        ++block;
        const QByteArray type(name);
        if (type == "CERTIFICATE" || type == "X509 CERTIFICATE") {
            QString certError;
            const CertificateInfo info = fromDer(
                    QByteArray(reinterpret_cast<const char *>(data), int(len)), &certError);
            if (info.isNull())
                problems << QStringLiteral("PEM block %1: %2").arg(block).arg(certError);
            else
                out << info;
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    if (out.isEmpty() && problems.isEmpty())
        problems << QStringLiteral("no PEM certificate found");
    if (error)
        *error = problems.join(QStringLiteral("; "));
    return out;
}

} // namespace pgtls
