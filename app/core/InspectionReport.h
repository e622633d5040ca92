// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"
#include "ChainVerifier.h"
#include "Endpoint.h"
#include "HostMatcher.h"
#include "PgSession.h"
#include "Problem.h"
#include "RootCert.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace pgtls {

// What the TLS probe saw, step by step. Times are milliseconds since the probe started; -1 = step not reached.
struct ProbeTimings
{
    qint64 resolve = -1;   // name resolution done
    qint64 tcp = -1;       // TCP connected
    qint64 sslRequest = -1; // one-byte answer to SSLRequest received
    qint64 tls = -1;       // TLS handshake complete
    qint64 total = -1;     // probe finished (any outcome)

    // The duration of the step that ended at `end` and began at `begin` (both offsets); -1 if not reached.
    static qint64 stepMs(qint64 end, qint64 begin) { return end < 0 ? -1 : end - qMax<qint64>(0, begin); }
};

struct ProbeResult
{
    enum class Outcome {
        NotRun,         // the probe did not run (e.g. sslmode=disable, Unix socket)
        TlsEstablished, // handshake completed, chain captured
        TlsRefused,     // the server answered 'N' to SSLRequest
        Failed,         // network, protocol or TLS failure: see error
        Cancelled,
        TimedOut,
    };
    Outcome outcome = Outcome::NotRun;
    QString connectedAddress;  // "127.0.0.1:5432" as actually used
    QStringList triedAddresses;
    QString sslResponse;       // "S", "N", or a description of what was seen instead
    bool tlsOffered = false;   // 'S'
    QString sni;               // the server name sent (empty: none, as libpq does for IP-address hosts)
    QString protocol;          // "TLSv1.3"
    QString cipher;            // OpenSSL name, e.g. "TLS_AES_256_GCM_SHA384"
    QString group;             // key-exchange group, e.g. "x25519"
    QList<CertificateInfo> chain; // exactly as sent, leaf first
    TrustResult trust;
    std::optional<HostMatch> hostMatch; // set when a chain was received and a host name exists
    QString error;             // precise, verbatim where possible; empty when none
    QString errorCode;         // problem code for `error` ("timeout", "connection-refused", "not-postgres", ...)
    // The step the probe ended at when it did not establish TLS: "resolve", "tcp-connect",
    // "ssl-request" (sent, waiting for the answer; also a refusal 'N'), "tls-handshake".
    QString step;
    ProbeTimings timings;

    static QString outcomeName(Outcome o);
};

// "Does this server accept unencrypted connections?", answered by an sslmode=disable attempt that
// never sends a password.
struct PlaintextResult
{
    enum class Verdict {
        NotTested,
        Accepted,                 // logged in without TLS (e.g. trust authentication)
        AcceptedAuthRequired,     // the server asked for a password over plaintext (none was sent)
        AcceptedLoginFailed,      // pg_hba allowed plaintext; the login failed for another reason (role, database)
        RefusedEncryptionRequired, // pg_hba refuses plaintext but lets TLS in: rds.force_ssl=1 / hostssl only
        RefusedUnknownWhy,        // refused; the TLS reference attempt failed too early to compare
        RefusedNoEntry,           // refused, but TLS is refused for this user/database too: no pg_hba entry at all
        Inconclusive,             // network error, timeout: no answer either way
    };
    bool tested = false;
    Verdict verdict = Verdict::NotTested;
    std::optional<bool> accepted;
    QString detail;               // libpq's message verbatim (empty when it connected)
    QString explanation;          // what it means, RDS-aware
    SessionResult attempt;        // sslmode=disable, password withheld
    SessionResult reference;      // sslmode=require, password withheld: does TLS get past pg_hba?

    static QString verdictName(Verdict v);
};

// One row of the sslmode matrix: what an attempt in that mode did and what it protects against.
struct MatrixRow
{
    SslMode sslmode = SslMode::Disable;
    bool connected = false;       // logged in, or reached authentication when the password was withheld
    // The password is never sent on an attempt weaker than the mode the user asked for (nor on one
    // that may be plaintext): the attempt stops at the authentication request. The reason says why.
    bool passwordWithheld = false;
    QString passwordWithheldReason;
    // Learned from a withheld TLS attempt run with channel_binding=require: "offered" (the server
    // offers SCRAM-SHA-256-PLUS), "not-offered", or empty (not learned).
    QString channelBinding;
    bool encrypted = false;
    bool caVerified = false;
    bool hostVerified = false;
    bool mitmSafe = false;
    QString note;                 // why it is or is not safe, in plain words
    QString error;                // libpq's message verbatim
    QString errorCode;
    qint64 ms = -1;
};

// Probe-only: what libpq, in the requested sslmode and with the same root file, would do with what
// the probe saw (JSON "probe.libpq"). Whether a plaintext attempt would be accepted depends on the
// server's pg_hba.conf, which the probe does not learn.
struct LibpqPrediction
{
    enum class Tls {
        NotPredicted, // not a probe-only inspection
        Succeeds,     // libpq's TLS connection would get past the handshake and its checks
        Fails,        // TLS refused, the root file missing (verify-*) or unusable, the chain or
                      // (verify-full) the host name not verifying, or the server not reached
        NotTried,     // sslmode=disable
    };
    enum class Fallback {
        None,                  // no plaintext attempt (or the failure leaves none: not reached)
        PlaintextFirst,        // allow: plaintext first, TLS only when the server refuses it
        PlaintextAfterFailure, // prefer: TLS refused or failing, libpq retries without TLS
        PlaintextOnly,         // disable
    };
    Tls tls = Tls::NotPredicted;
    Fallback fallback = Fallback::None;
    QString tlsFailure; // why TLS fails (the first error's title); empty unless Fails

    bool predicted() const { return tls != Tls::NotPredicted; }
    // "succeeds", "fails", "not-tried" (empty when not predicted).
    static QString tlsName(Tls tls);
    // "none", "plaintext-first", "plaintext-after-failure", "plaintext-only".
    static QString fallbackName(Fallback fallback);
};

struct InspectionReport
{
    Endpoint endpoint;
    RootCertResolution rootCert;
    QDateTime startedAt;       // UTC
    QDateTime now;             // the time certificate validity was judged at
    bool probeOnly = true;
    bool matrixRequested = false;
    ProbeResult probe;
    SessionResult session;        // attempted=false in probe-only mode
    PlaintextResult plaintext;
    QList<MatrixRow> matrix;      // empty unless requested
    LibpqPrediction probeLibpq;   // probe-only: what libpq would do (set by the Judge)

    // The verdict: the same answer as the exit code.
    bool ok = false;
    QString summary;           // one line, the GUI banner's words
    ProblemList problems;
    qint64 totalMs = -1;

    // The verdict at a glance: Failed when not ok, Warning when ok with warnings, else Ok.
    enum class Level { Ok, Warning, Failed };
    Level level() const;
    // The first error-severity problem; nullptr when there is none.
    const Problem *firstError() const;
    bool hasProblem(const QString &code) const;
};

} // namespace pgtls
