// SPDX-License-Identifier: MIT
#include "LabPki.h"

#include "LabFiles.h"

#include "CertBuilder.h"
#include "OpenSslUtil.h"

#include <QDateTime>
#include <QDir>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls::lab {

namespace {

using Subject = QList<QPair<QString, QString>>;

// AWS's root DN layout (C, O, OU, ST, CN, L), with lab names.
Subject rdsLikeSubject(const QString &commonName)
{
    return {
        { QStringLiteral("C"), QStringLiteral("US") },
        { QStringLiteral("O"), QStringLiteral("PG TLS Inspector Lab") },
        { QStringLiteral("OU"), QStringLiteral("Amazon RDS (Lab)") },
        { QStringLiteral("ST"), QStringLiteral("WA") },
        { QStringLiteral("CN"), commonName },
        { QStringLiteral("L"), QStringLiteral("Seattle") },
    };
}

Subject rogueSubject(const QString &commonName)
{
    return {
        { QStringLiteral("C"), QStringLiteral("US") },
        { QStringLiteral("O"), QStringLiteral("PG TLS Inspector Lab (Rogue)") },
        { QStringLiteral("CN"), commonName },
    };
}

CertRequest caRequest(const Subject &subject, const QDateTime &now, int years, int pathLength)
{
    CertRequest req;
    req.subject = subject;
    req.notBefore = now.addDays(-1);
    req.notAfter = now.addYears(years);
    req.isCa = true;
    req.pathLength = pathLength;
    return req;
}

CertRequest leafRequest(
    const QString &hostName, const QDateTime &notBefore, const QDateTime &notAfter)
{
    CertRequest req;
    req.subject = { { QStringLiteral("CN"), hostName } };
    req.sanDns = { hostName };
    req.notBefore = notBefore;
    req.notAfter = notAfter;
    return req;
}

// A v2 CRL signed by `issuer` (SHA-256), valid from yesterday for 30 days, revoking `revoked`
// (keyCompromise, revoked yesterday), with a CRL number and the issuer's key identifier.
QByteArray makeCrl(const IssuedCert &issuer, const QList<IssuedCert> &revoked, const QDateTime &now)
{
    auto fail = [](const char *what) -> QByteArray {
        throw std::runtime_error(
            std::string("CRL: ") + what + ": " + ossl::takeErrors().toStdString());
    };
    const ossl::X509Ptr issuerCert = ossl::x509FromDer(issuer.der);
    if (!issuerCert)
        return fail("issuer is not DER");
    const std::unique_ptr<X509_CRL, ossl::Deleter<X509_CRL_free>> crl(X509_CRL_new());
    const std::unique_ptr<ASN1_TIME, ossl::Deleter<ASN1_TIME_free>> lastUpdate(
        ASN1_TIME_set(nullptr, time_t(now.addDays(-1).toSecsSinceEpoch())));
    const std::unique_ptr<ASN1_TIME, ossl::Deleter<ASN1_TIME_free>> nextUpdate(
        ASN1_TIME_set(nullptr, time_t(now.addDays(30).toSecsSinceEpoch())));
    if (!crl || !lastUpdate || !nextUpdate || !X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2)
        || !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuerCert.get()))
        || !X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get())
        || !X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()))
        return fail("header");
    for (const IssuedCert &r : revoked) {
        const ossl::X509Ptr cert = ossl::x509FromDer(r.der);
        X509_REVOKED *entry = X509_REVOKED_new();
        if (!cert || !entry
            || !X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(cert.get()))
            || !X509_REVOKED_set_revocationDate(entry, lastUpdate.get())) {
            X509_REVOKED_free(entry);
            return fail("revoked entry");
        }
        const std::unique_ptr<ASN1_ENUMERATED, ossl::Deleter<ASN1_ENUMERATED_free>> reason(
            ASN1_ENUMERATED_new());
        if (!reason || !ASN1_ENUMERATED_set(reason.get(), CRL_REASON_KEY_COMPROMISE)
            || !X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, reason.get(), 0, 0)
            || !X509_CRL_add0_revoked(crl.get(), entry)) {
            X509_REVOKED_free(entry);
            return fail("revocation reason");
        }
    }
    const std::unique_ptr<ASN1_INTEGER, ossl::Deleter<ASN1_INTEGER_free>> number(
        ASN1_INTEGER_new());
    if (!number || !ASN1_INTEGER_set(number.get(), 1)
        || !X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0))
        return fail("CRL number");
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuerCert.get(), nullptr, nullptr, crl.get(), 0);
    X509_EXTENSION *akid
        = X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always");
    const bool akidAdded = akid && X509_CRL_add_ext(crl.get(), akid, -1);
    X509_EXTENSION_free(akid);
    if (!akidAdded)
        return fail("authorityKeyIdentifier");
    X509_CRL_sort(crl.get());
    if (!X509_CRL_sign(crl.get(), static_cast<EVP_PKEY *>(issuer.key.nativeHandle()), EVP_sha256()))
        return fail("X509_CRL_sign");
    const ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !PEM_write_bio_X509_CRL(bio.get(), crl.get()))
        return fail("PEM_write_bio_X509_CRL");
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

} // namespace

LabPki::LabPki(const QString &directory, const QString &hostName)
    : m_directory(directory)
    , m_hostName(hostName)
{ }

QString LabPki::path(const char *name) const
{
    return QDir(m_directory).filePath(QLatin1String(name));
}

QString LabPki::rootCaPath() const
{
    return path("root.crt");
}
QString LabPki::rogueRootCaPath() const
{
    return path("rogue-root.crt");
}
QString LabPki::intermediatePath() const
{
    return path("intermediate.crt");
}
QString LabPki::serverChainPath() const
{
    return path("server.crt");
}
QString LabPki::serverKeyPath() const
{
    return path("server.key");
}
QString LabPki::expiredChainPath() const
{
    return path("expired.crt");
}
QString LabPki::expiredKeyPath() const
{
    return path("expired.key");
}
QString LabPki::notYetValidChainPath() const
{
    return path("not-yet-valid.crt");
}
QString LabPki::cnOnlyChainPath() const
{
    return path("cn-only.crt");
}
QString LabPki::ipSanChainPath() const
{
    return path("ip-san.crt");
}
QString LabPki::revokedChainPath() const
{
    return path("revoked.crt");
}
QString LabPki::crlPath() const
{
    return path("crl.pem");
}
QStringList LabPki::allFiles() const
{
    return { rootCaPath(), rogueRootCaPath(), intermediatePath(), serverChainPath(),
        serverKeyPath(), expiredChainPath(), expiredKeyPath(), notYetValidChainPath(),
        cnOnlyChainPath(), ipSanChainPath(), revokedChainPath(), crlPath(), rogueChainPath(),
        rogueKeyPath() };
}
QString LabPki::rogueChainPath() const
{
    return path("rogue.crt");
}
QString LabPki::rogueKeyPath() const
{
    return path("rogue.key");
}

bool LabPki::generate(QString *error) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    try {
        // RSA 2048 as AWS's default CA (rds-ca-rsa2048-g1); three keys is most of the cost.
        const PrivateKey rootKey = PrivateKey::generate(PrivateKey::Type::Rsa2048);
        const IssuedCert root = CertBuilder::selfSigned(
            caRequest(rdsLikeSubject(QStringLiteral("Lab RDS eu-west-1 Root CA RSA2048 G1")), now,
                40, -1),
            rootKey);
        const PrivateKey interKey = PrivateKey::generate(PrivateKey::Type::Rsa2048);
        const IssuedCert inter = CertBuilder::issue(
            caRequest(
                rdsLikeSubject(QStringLiteral("Lab RDS eu-west-1 Subordinate CA RSA2048 G1.A.1")),
                now, 20, 0),
            interKey, root);
        const PrivateKey serverKey = PrivateKey::generate(PrivateKey::Type::Rsa2048);
        const IssuedCert server = CertBuilder::issue(
            leafRequest(m_hostName, now.addDays(-1), now.addYears(1)), serverKey, inter);
        const IssuedCert expired = CertBuilder::issue(
            leafRequest(m_hostName, now.addDays(-400), now.addDays(-35)), serverKey, inter);
        const IssuedCert notYetValid = CertBuilder::issue(
            leafRequest(m_hostName, now.addDays(30), now.addYears(2)), serverKey, inter);
        CertRequest cnOnlyReq = leafRequest(m_hostName, now.addDays(-1), now.addYears(1));
        cnOnlyReq.sanDns.clear();
        cnOnlyReq.includeCnOnly = true; // no subjectAltName extension at all
        const IssuedCert cnOnly = CertBuilder::issue(cnOnlyReq, serverKey, inter);
        CertRequest ipSanReq = leafRequest(m_hostName, now.addDays(-1), now.addYears(1));
        ipSanReq.sanDns.clear();
        ipSanReq.sanIp = { QStringLiteral("127.0.0.1") };
        const IssuedCert ipSan = CertBuilder::issue(ipSanReq, serverKey, inter);
        const IssuedCert revoked = CertBuilder::issue(
            leafRequest(m_hostName, now.addDays(-1), now.addYears(1)), serverKey, inter);
        const QByteArray crls = makeCrl(root, {}, now) + makeCrl(inter, { revoked }, now);

        // The rogue chain only has to be distinct: EC keys are nearly free.
        const PrivateKey rogueRootKey = PrivateKey::generate(PrivateKey::Type::EcP256);
        const IssuedCert rogueRoot = CertBuilder::selfSigned(
            caRequest(rogueSubject(QStringLiteral("Lab Rogue Root CA ECC256 G1")), now, 40, -1),
            rogueRootKey);
        const PrivateKey rogueInterKey = PrivateKey::generate(PrivateKey::Type::EcP256);
        const IssuedCert rogueInter = CertBuilder::issue(
            caRequest(
                rogueSubject(QStringLiteral("Lab Rogue Subordinate CA ECC256 G1.A.1")), now, 20, 0),
            rogueInterKey, rogueRoot);
        const PrivateKey rogueLeafKey = PrivateKey::generate(PrivateKey::Type::EcP256);
        const IssuedCert rogueLeaf = CertBuilder::issue(
            leafRequest(m_hostName, now.addDays(-1), now.addYears(1)), rogueLeafKey, rogueInter);

        const QByteArray serverKeyPem = serverKey.toPem();
        const struct
        {
            QString path;
            QByteArray data;
            mode_t mode;
        } files[] = {
            { rootCaPath(), root.pem, 0644 },
            { rogueRootCaPath(), rogueRoot.pem, 0644 },
            { intermediatePath(), inter.pem, 0644 },
            { serverChainPath(), server.pem + inter.pem, 0644 },
            { serverKeyPath(), serverKeyPem, 0600 },
            { expiredChainPath(), expired.pem + inter.pem, 0644 },
            { expiredKeyPath(), serverKeyPem, 0600 },
            { notYetValidChainPath(), notYetValid.pem + inter.pem, 0644 },
            { cnOnlyChainPath(), cnOnly.pem + inter.pem, 0644 },
            { ipSanChainPath(), ipSan.pem + inter.pem, 0644 },
            { revokedChainPath(), revoked.pem + inter.pem, 0644 },
            { crlPath(), crls, 0644 },
            { rogueChainPath(), rogueLeaf.pem + rogueInter.pem, 0644 },
            { rogueKeyPath(), rogueLeafKey.toPem(), 0600 },
        };
        for (const auto &f : files) {
            if (f.data.isEmpty()) {
                if (error)
                    *error = QStringLiteral("empty PEM for %1").arg(f.path);
                return false;
            }
            if (!writeFileWithMode(f.path, f.data, f.mode, error))
                return false;
        }
    } catch (const std::exception &e) {
        if (error)
            *error = QStringLiteral("certificate generation failed: %1")
                         .arg(QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

} // namespace pgtls::lab
