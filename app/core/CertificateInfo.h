// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace pgtls {

// Everything the report shows about one X.509 certificate: a plain value, filled from DER.
struct CertificateInfo
{
    QByteArray der;               // the certificate exactly as received / read
    QString subject;              // one-line RFC 2253 form, e.g. "CN=mydb...,O=...,C=US"
    QString issuer;               // same form
    QString subjectCommonName;    // first CN of the subject, empty when none
    QString serial;               // lower-case hex, no separators, no leading zeros (as openssl x509 -serial but lower case)
    QDateTime notBefore;          // UTC
    QDateTime notAfter;           // UTC
    QString sha256;               // 64 lower-case hex characters of SHA-256 over `der`
    QString keyType;              // "RSA", "EC", "Ed25519", "Ed448", "DSA" or OpenSSL's short name
    int keyBits = 0;
    QString keyCurve;             // EC curve name (e.g. "secp384r1"), empty otherwise
    QString signatureAlgorithm;   // OpenSSL long name, e.g. "sha256WithRSAEncryption"
    QStringList sanDns;           // dNSName entries in certificate order
    QStringList sanIp;            // iPAddress entries as text, in certificate order
    bool isCa = false;            // basicConstraints CA:TRUE
    bool selfSigned = false;      // subject == issuer and the signature verifies with its own key

    bool isNull() const { return der.isEmpty(); }
    // Validity at `now`.
    bool isExpiredAt(const QDateTime &now) const { return now > notAfter; }
    bool isNotYetValidAt(const QDateTime &now) const { return now < notBefore; }
    QString toPem() const;

    // Parses one DER certificate; returns a null CertificateInfo (and sets *error) when it is not one.
    static CertificateInfo fromDer(const QByteArray &der, QString *error = nullptr);
    // Parses every certificate of a PEM text (other PEM blocks are ignored).
    static QList<CertificateInfo> fromPemAll(const QByteArray &pem, QString *error = nullptr);
};

} // namespace pgtls
