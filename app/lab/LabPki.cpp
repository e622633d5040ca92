// SPDX-License-Identifier: MIT
#include "LabPki.h"

#include "LabFiles.h"

#include "CertBuilder.h"

#include <QDateTime>
#include <QDir>

#include <exception>

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
