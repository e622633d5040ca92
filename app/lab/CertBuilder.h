// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

namespace pgtls::lab {

// A private key made with the OpenSSL API (never by shelling out).
class PrivateKey
{
public:
    enum class Type { Rsa2048, Rsa4096, EcP256, EcP384 };
    static PrivateKey generate(Type type);
    QByteArray toPem() const;       // PKCS#8 PEM, unencrypted
    bool isNull() const { return !m_pkey; }
    void *nativeHandle() const { return m_pkey.get(); } // EVP_PKEY*

private:
    std::shared_ptr<void> m_pkey;
};

// A certificate to issue. Subject entries are (field, value) pairs in order, e.g. {"C","US"},{"CN","..."}.
struct CertRequest
{
    QList<QPair<QString, QString>> subject;
    QDateTime notBefore;
    QDateTime notAfter;
    bool isCa = false;
    int pathLength = -1;       // basicConstraints pathlen for CAs; -1 = none
    QStringList sanDns;
    QStringList sanIp;         // textual IPv4/IPv6
    // When false, a leaf (not isCa) with no SAN entries at all gets dNSName (or iPAddress) = its
    // first CN; when true and no SANs are given, no subjectAltName extension is written.
    bool includeCnOnly = false;
    qint64 serial = 0;         // 0 = random 64-bit

    // Deliberately odd contents for host-name tests. subjectAltName entries are written in this
    // order: sanDns, sanIp, rawSanDns, rawSanIp, rawSan.
    QList<QByteArray> rawSanDns;         // dNSName bytes exactly as given (may hold a NUL)
    QList<QByteArray> rawSanIp;          // iPAddress octets exactly as given (any length)
    // Ordered entries of any kind: ("DNS", bytes), ("IP", octets), ("email", bytes), ("URI", bytes).
    QList<QPair<QString, QByteArray>> rawSan;
    QStringList extraCommonNames;        // further CN entries appended after `subject`
    QList<QByteArray> rawCommonNames;    // further CN entries, UTF8String with these exact bytes
};

// An issued certificate together with its key.
struct IssuedCert
{
    QByteArray der;
    QByteArray pem;
    PrivateKey key;
};

// Both functions throw std::runtime_error when OpenSSL fails and std::invalid_argument on bad input.
class CertBuilder
{
public:
    // Self-signed (roots).
    static IssuedCert selfSigned(const CertRequest &req, const PrivateKey &key);
    // Signed by `issuer` (whose key signs); authorityKeyIdentifier/subjectKeyIdentifier set, SHA-256.
    static IssuedCert issue(const CertRequest &req, const PrivateKey &key, const IssuedCert &issuer);
};

} // namespace pgtls::lab
