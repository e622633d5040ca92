// SPDX-License-Identifier: MIT
#pragma once

// Certificates for test servers, made with the lab's CertBuilder.

#include "CertBuilder.h"

#include <QDateTime>
#include <QSslCertificate>
#include <QSslKey>

namespace pgtls::test {

struct TestCert
{
    lab::IssuedCert cert;
    lab::PrivateKey key;
    QSslCertificate qt() const { return QSslCertificate(cert.der, QSsl::Der); }
    QSslKey qtKey() const { return QSslKey(key.toPem(), QSsl::Ec); }
};

// An EC P-256 certificate for `name` (CN and DNS SAN), valid from yesterday for `days` days;
// self-signed, or issued by `issuer` when given. `isCa` makes a CA certificate.
inline TestCert makeCert(const QString &name, const TestCert *issuer = nullptr, bool isCa = false, int days = 30)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    lab::CertRequest req;
    req.subject = { { QStringLiteral("CN"), name } };
    req.notBefore = now.addDays(-1);
    req.notAfter = now.addDays(days);
    req.isCa = isCa;
    if (!isCa)
        req.sanDns = { name };
    TestCert t;
    t.key = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    t.cert = issuer ? lab::CertBuilder::issue(req, t.key, issuer->cert) : lab::CertBuilder::selfSigned(req, t.key);
    return t;
}

} // namespace pgtls::test
