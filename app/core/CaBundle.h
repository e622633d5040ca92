// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"
#include "SafeFile.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace pgtls {

// What a certificate of a bundle is, when it is an Amazon RDS CA.
struct RdsCaIdentity
{
    // As AWS names it: "rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1", "rds-ca-2019",
    // "rds-ca-2015"; empty when not an RDS CA.
    QString caId;
    // "eu-west-1"; empty for the global 2015/2019 roots; "Beta us-east-1" style names keep their
    // prefix ("beta-us-east-1", "preview-us-east-2").
    QString region;
    bool root = false; // a root CA (self-signed), not an intermediate
    bool retired = false; // rds-ca-2019 / rds-ca-2015 generation
    bool isNull() const { return caId.isEmpty(); }
};

// One certificate of a bundle.
struct BundleEntry
{
    CertificateInfo cert;
    RdsCaIdentity rds;
    bool duplicate = false; // the same DER appeared earlier in the file
};

// A loaded CA bundle file (PEM with one or many certificates, PKCS#7 .p7b in DER or PEM, or one DER
// certificate): its certificates, a summary, and warnings. A plain value.
struct CaBundle
{
    enum class Format { Pem, Pkcs7, Der };
    QString path;
    Format format = Format::Pem; // detected from the content, never from the file name
    QList<BundleEntry> entries; // file order
    QString error; // non-empty: nothing usable (see load()); entries then empty
    // "missing", "directory", "not-a-file" (a FIFO, a device, a socket), "unreadable", "empty",
    // "not-a-certificate", "truncated-pem", "private-key", "too-large".
    QString errorCode;
    // PEM blocks that are neither certificates nor PKCS#7 (a CRL, a CSR, ...), described in the
    // user's words; they do not make the load fail.
    QStringList ignoredBlocks;

    bool ok() const { return error.isEmpty(); }
    int count() const { return int(entries.size()); }
    int duplicateCount() const;
    QList<BundleEntry> expiredAt(const QDateTime &now) const;
    // The earliest notAfter among all certificates, expired ones included; invalid when empty.
    QDateTime earliestExpiry() const;
    // The earliest notAfter among the certificates not expired at `now`; invalid when none is
    // valid.
    QDateTime earliestExpiryOfValid(const QDateTime &now) const;
    QStringList rdsCaIds() const; // distinct, sorted
    QStringList rdsRegions() const; // distinct, sorted
    // Every certificate is an rds-ca-2019/2015 CA (the rotation trap); false when empty.
    bool holdsOnlyRetiredRdsCas() const;
    // Holds a current (G1) RDS root for that region (case-insensitive).
    bool coversRegion(const QString &region) const;
    // Warnings in the user's words for this bundle, given the endpoint's host (may be empty) and
    // now: only retired RDS CAs; no root for the endpoint's RDS region (China/GovCloud: their own
    // trust store; an RDS Proxy endpoint: Amazon Trust Services, not an RDS CA); expired
    // certificates; duplicates; non-CA certificates in a CA bundle; ignored PEM blocks. Empty when
    // !ok().
    QStringList warnings(const QString &endpointHost, const QDateTime &now) const;

    // Loads and validates a file, read once through SafeFile (a FIFO or a device is refused, never
    // read). Errors are specific and in the user's words: a missing file, a directory, a FIFO or a
    // device, unreadable permissions,
    // an empty file, no certificate in it (saying what it looks like: HTML, JSON, a CSR...), a
    // truncated or damaged PEM block, a private key inside (refused: a CA bundle is public, a key
    // in it means the file is the wrong one or a secret is about to be spread), a file over 16 MiB.
    static CaBundle load(const QString &path);
    // The same from a file already read with SafeFile::read(path, maxBytes): the bytes checked are
    // the bytes parsed (and, for RootCertInstaller, the bytes written).
    static CaBundle fromFile(const SafeFileStatus &file, const QString &path);
    // Files and downloads over this size are refused.
    static constexpr qint64 maxBytes = 16 * 1024 * 1024;
    // The same from bytes already in memory (a download), `name` used in messages.
    static CaBundle fromData(const QByteArray &data, const QString &name);
    // What AWS calls this certificate, when it is an RDS CA. The subject is compared RDN by RDN
    // (OU=Amazon RDS and the CN pattern), whatever the RDN order.
    static RdsCaIdentity identifyRds(const CertificateInfo &cert);
};

// Bundle differences after an update, by SHA-256.
struct BundleDiff
{
    QList<CertificateInfo> added;
    QList<CertificateInfo> removed;
    static BundleDiff between(const CaBundle &before, const CaBundle &after);
};

} // namespace pgtls
