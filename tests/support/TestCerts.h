// SPDX-License-Identifier: MIT
#pragma once

// Certificates for test servers, made with the lab's CertBuilder.

#include "CertBuilder.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

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

// An EC P-256 certificate with the subject O=`organization` (when not empty), CN=`cn`, valid from
// `from` to `to`; self-signed, or issued by `issuer`. A leaf (not `ca`) names `cn` as DNS SAN too.
inline lab::IssuedCert makeCertBetween(const QString &organization, const QString &cn, bool ca,
                                       const QDateTime &from, const QDateTime &to,
                                       const lab::IssuedCert *issuer)
{
    lab::CertRequest req;
    if (!organization.isEmpty())
        req.subject << qMakePair(QStringLiteral("O"), organization);
    req.subject << qMakePair(QStringLiteral("CN"), cn);
    req.notBefore = from;
    req.notAfter = to;
    req.isCa = ca;
    if (!ca)
        req.sanDns = { cn };
    const lab::PrivateKey key = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    return issuer ? lab::CertBuilder::issue(req, key, *issuer) : lab::CertBuilder::selfSigned(req, key);
}

// A certificate revocation list (v2, PEM) signed with SHA-256 by `issuer`'s key, naming
// `issuer`'s subject, that revokes the certificates `revoked` (DER; by serial number, revoked at
// `thisUpdate`), valid from `thisUpdate` until `nextUpdate`. Throws std::runtime_error when
// OpenSSL fails.
inline QByteArray makeCrl(const lab::IssuedCert &issuer, const QList<QByteArray> &revoked,
                          const QDateTime &thisUpdate, const QDateTime &nextUpdate)
{
    auto fail = [] { throw std::runtime_error("makeCrl: OpenSSL failed"); };
    const unsigned char *p = reinterpret_cast<const unsigned char *>(issuer.der.constData());
    std::unique_ptr<X509, decltype(&X509_free)> ca(d2i_X509(nullptr, &p, long(issuer.der.size())),
                                                   &X509_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), &X509_CRL_free);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(
            ASN1_TIME_set(nullptr, time_t(thisUpdate.toSecsSinceEpoch())), &ASN1_TIME_free);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(
            ASN1_TIME_set(nullptr, time_t(nextUpdate.toSecsSinceEpoch())), &ASN1_TIME_free);
    if (!ca || !crl || !last || !next || !X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2)
        || !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get()))
        || !X509_CRL_set1_lastUpdate(crl.get(), last.get())
        || !X509_CRL_set1_nextUpdate(crl.get(), next.get()))
        fail();
    for (const QByteArray &der : revoked) {
        const unsigned char *q = reinterpret_cast<const unsigned char *>(der.constData());
        std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &q, long(der.size())),
                                                         &X509_free);
        X509_REVOKED *entry = X509_REVOKED_new();
        if (!cert || !entry || !X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(cert.get()))
            || !X509_REVOKED_set_revocationDate(entry, last.get())
            || !X509_CRL_add0_revoked(crl.get(), entry)) {
            X509_REVOKED_free(entry);
            fail();
        }
    }
    EVP_PKEY *key = static_cast<EVP_PKEY *>(issuer.key.nativeHandle());
    if (!X509_CRL_sort(crl.get()) || !key || X509_CRL_sign(crl.get(), key, EVP_sha256()) <= 0)
        fail();
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    if (!out || !PEM_write_bio_X509_CRL(out.get(), crl.get()))
        fail();
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return QByteArray(data, int(size));
}

// makeCrl() by the issuer of a TestCert, valid from yesterday for a week.
inline QByteArray makeCrl(const TestCert &issuer, const QList<const TestCert *> &revoked)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<QByteArray> ders;
    for (const TestCert *cert : revoked)
        ders << cert->cert.der;
    return makeCrl(issuer.cert, ders, now.addDays(-1), now.addDays(7));
}

} // namespace pgtls::test
