// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace pgtls {

struct Endpoint;

// What OpenSSL found wrong with one certificate of the chain (depth 0 = leaf; the depth is the
// certificate's place in the chain OpenSSL built: TrustResult::chain.at(depth), see
// TrustResult::certificateAt()).
struct CertificateIssue
{
    int depth = 0;
    // "expired", "not-yet-valid", "unknown-issuer", "self-signed", "bad-signature", "revoked",
    // "crl-missing" (CRL checking is on and no CRL of this certificate's issuer was found),
    // "crl-expired", "crl-not-yet-valid", "crl-invalid", "other"
    QString code;
    int opensslError = 0; // X509_V_ERR_*
    QString detail;    // X509_verify_cert_error_string() verbatim
};

// The revocation lists libpq 15 loads (initialize_SSL, only when the root file was loaded):
// sslcrl, sslcrldir, or ~/.postgresql/root.crl when both are unset.
struct CrlSettings
{
    QString file; // sslcrl, or the default root.crl (isDefaultFile)
    QString dir;  // sslcrldir: ':'-separated directories searched as X509_LOOKUP_hash_dir() does
    bool isDefaultFile = false;
    bool isEmpty() const { return file.isEmpty() && dir.isEmpty(); }

    // libpq's choice for `e`: sslcrl and sslcrldir from e.extraOptions; both unset and `homeDir`
    // not empty: homeDir/.postgresql/root.crl.
    static CrlSettings forEndpoint(const Endpoint &e, const QString &homeDir);
};

struct TrustResult
{
    bool attempted = false;       // false when there was no CA file to verify against
    bool trusted = false;
    QString caFile;               // the file verified against
    // SHA-256 (DER) of the CA-file certificate that anchors the chain OpenSSL built, trusted or
    // not (an expired leaf under a root of the CA file still has it); empty when the CA file holds
    // no certificate the chain reaches (the issuer at the top is unknown, or the top is a
    // self-signed certificate the CA file lacks). A trusted chain always has it: the anchor is
    // then in libpq's store, which (rarely) may hold it from sslcrl or sslcrldir rather than the
    // CA file, as OpenSSL's loaders put certificates of those files into the same store.
    QString anchorSha256;
    QString anchorSubject;
    int opensslError = 0;         // first X509_V_ERR_* as libpq would hit it, 0 when trusted
    QString error;                // precise text, e.g. "unable to get local issuer certificate (depth 1, issuer ...)"
    int errorDepth = -1;
    QList<CertificateIssue> issues; // every problem found, continuing past each one, in order
    // The chain OpenSSL built (leaf .. top), also when verification failed (as
    // `openssl verify -show_chain` shows it): its last certificate is the anchor when
    // anchorSha256 is set, else the highest certificate whose issuer was not found.
    QList<CertificateInfo> chain;
    QList<CertificateInfo> verifiedChain; // `chain`, only when trusted
    // The certificate an issue's depth names: chain.at(depth), else `sent`.at(depth), else null.
    CertificateInfo certificateAt(int depth, const QList<CertificateInfo> &sent) const
    {
        if (depth >= 0 && depth < chain.size())
            return chain.at(depth);
        return depth >= 0 && depth < sent.size() ? sent.at(depth) : CertificateInfo();
    }

    // Revocation checking, as libpq sets it up (see CrlSettings).
    QString crlFile;              // the CRL file libpq would load (sslcrl or the default), if any
    bool crlFileIsDefault = false; // crlFile is ~/.postgresql/root.crl, not named by sslcrl
    QString crlDir;               // sslcrldir, if any
    // X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL are set: X509_STORE_load_locations()
    // succeeded, so every certificate of the chain below the root needs a CRL of its issuer.
    bool crlChecked = false;
    // Why a CRL setting had no effect (libpq ignores a CRL file it cannot load, silently), or
    // empty; e.g. "the CRL file \"/x/root.crl\" does not exist: revocation is not checked".
    QString crlNote;
    int crlCount = 0;             // CRLs loaded (from the file and the directory lookups)
};

// Verifies a chain the way libpq 15 does with OpenSSL: the certificates the server sent are the
// untrusted chain (leaf first), the CA file is the only trust store (what
// SSL_CTX_load_verify_locations() loads: every PEM certificate and CRL of the file, read once
// through SafeFile and parsed from memory, so a FIFO, a device or a huge file is refused at once
// instead of blocking), no partial chains, purpose "ssl_server", verification time `now`; then,
// like initialize_SSL, the revocation lists of `crl` into the same store with
// X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL when they load.
class ChainVerifier
{
public:
    // `sent` is the chain exactly as sent, leaf first. A missing or unreadable `caFile` gives
    // attempted=true, trusted=false and an error naming the file (libpq's "could not read root
    // certificate file"); a FIFO, a device or a file over SafeFile's bound gives an error saying
    // so ("root certificate file ... is a named pipe (FIFO)..."), with opensslError 0.
    static TrustResult verify(const QList<CertificateInfo> &sent, const QString &caFile,
                              const QDateTime &now, const CrlSettings &crl = {});
};

} // namespace pgtls
