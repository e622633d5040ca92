// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"
#include "ChainVerifier.h"
#include "Endpoint.h"
#include "HostMatcher.h"
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
    ProbeTimings timings;

    static QString outcomeName(Outcome o);
};

struct InspectionReport
{
    Endpoint endpoint;
    RootCertResolution rootCert;
    QDateTime startedAt;       // UTC
    QDateTime now;             // the time certificate validity was judged at
    bool probeOnly = true;
    ProbeResult probe;

    // The verdict: the same answer as the exit code.
    bool ok = false;
    QString summary;           // one line, the GUI banner's words
    ProblemList problems;
    qint64 totalMs = -1;
};

} // namespace pgtls
