// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace pgtls {

// What OpenSSL found wrong with one certificate of the chain (depth 0 = leaf).
struct CertificateIssue
{
    int depth = 0;
    QString code;      // "expired", "not-yet-valid", "unknown-issuer", "self-signed", "bad-signature", "other"
    int opensslError = 0; // X509_V_ERR_*
    QString detail;    // X509_verify_cert_error_string() verbatim
};

struct TrustResult
{
    bool attempted = false;       // false when there was no CA file to verify against
    bool trusted = false;
    QString caFile;               // the file verified against
    QString anchorSha256;         // SHA-256 (DER) of the CA-file certificate that anchors the chain; empty when none
    QString anchorSubject;
    int opensslError = 0;         // first X509_V_ERR_* as libpq would hit it, 0 when trusted
    QString error;                // precise text, e.g. "unable to get local issuer certificate (depth 1, issuer ...)"
    int errorDepth = -1;
    QList<CertificateIssue> issues; // every problem found, continuing past the first
    QList<CertificateInfo> verifiedChain; // the chain OpenSSL built (leaf .. anchor) when trusted
};

// Verifies a chain the way libpq 15 does with OpenSSL: the certificates the server sent are the
// untrusted chain (leaf first), the CA file is the only trust store (what
// SSL_CTX_load_verify_locations() loads: every PEM certificate and CRL of the file, read once
// through SafeFile and parsed from memory, so a FIFO, a device or a huge file is refused at once
// instead of blocking), no partial chains, purpose "ssl_server", verification time `now`.
class ChainVerifier
{
public:
    // `sent` is the chain exactly as sent, leaf first. A missing or unreadable `caFile` gives
    // attempted=true, trusted=false and an error naming the file (libpq's "could not read root
    // certificate file"); a FIFO, a device or a file over SafeFile's bound gives an error saying
    // so ("root certificate file ... is a named pipe (FIFO)..."), with opensslError 0.
    static TrustResult verify(const QList<CertificateInfo> &sent, const QString &caFile, const QDateTime &now);
};

} // namespace pgtls
