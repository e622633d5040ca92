// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace pgtls {

// Every problem the engine reports: one closed set. Each code has a stable name (JSON, exit
// codes, tests) in problemCodeName(), and ProblemCatalog gives every code a title, an
// explanation and a fix in a switch without default, so the compiler (-Wswitch, an error here)
// proves that no code is left without words. Emitters use these names, never a string literal.
enum class ProblemCode {
    Timeout, // "timeout",
    ConnectionRefused, // "connection-refused",
    ConnectionFailed, // "connection-failed",
    DnsFailure, // "dns-failure",
    NotPostgres, // "not-postgres",
    SslNotSupported, // "ssl-not-supported",
    UnixSocket, // "unix-socket",
    UnencryptedDataAfterSslResponse, // "unencrypted-data-after-ssl-response",
    TlsHandshakeFailed, // "tls-handshake-failed",
    Cancelled, // "cancelled",
    RootCertMissing, // "root-cert-missing",
    RootCertUnreadable, // "root-cert-unreadable",
    RootCertNamedMissing, // "root-cert-named-missing",
    RootCertNamedMissingUnverified, // "root-cert-named-missing-unverified",
    RootCertUnusable, // "root-cert-unusable",
    CertExpired, // "cert-expired",
    CertNotYetValid, // "cert-not-yet-valid",
    CaFileIncomplete, // "ca-file-incomplete",
    SelfSigned, // "self-signed",
    BadSignature, // "bad-signature",
    UnknownCa, // "unknown-ca",
    Untrusted, // "untrusted",
    CertVerifyFailed, // "cert-verify-failed",
    CertRevoked, // "cert-revoked",
    CrlMissing, // "crl-missing",
    CrlExpired, // "crl-expired",
    HostMismatchAlias, // "host-mismatch-alias",
    HostMismatch, // "host-mismatch",
    PasswordNeeded, // "password-needed",
    PasswordFailed, // "password-failed",
    PlaintextRefused, // "plaintext-refused",
    NoPgHbaEntry, // "no-pg-hba-entry",
    NoPgHbaEntryNoEncryption, // "no-pg-hba-entry-no-encryption",
    PgHbaReject, // "pg-hba-reject",
    RoleMissing, // "role-missing",
    DatabaseMissing, // "database-missing",
    ServerNotReady, // "server-not-ready",
    TooManyConnections, // "too-many-connections",
    SessionFailed, // "session-failed",
    SslmodeDisable, // "sslmode-disable",
    InvalidOption, // "invalid-option",
    BadHostaddr, // "bad-hostaddr",
    NoCertificate, // "no-certificate",
    Internal, // "internal",
    ClientFileUnsafe, // "client-file-unsafe",
    ServerFlood, // "server-flood",
    ChannelBindingUnavailable, // "channel-binding-unavailable",
    ServerViewIncomplete, // "server-view-incomplete",
    AllowTriesPlaintext, // "allow-tries-plaintext",
    PreferFallsBack, // "prefer-falls-back",
    PreferRetriesPlaintext, // "prefer-retries-plaintext",
    AllowTlsWouldFail, // "allow-tls-would-fail",
    ServerNotAuthenticated, // "server-not-authenticated",
    HostNotChecked, // "host-not-checked",
    CertExpiresSoon, // "cert-expires-soon",
    NotEncrypted, // "not-encrypted",
    PlaintextAccepted, // "plaintext-accepted",
    TlsTerminatedByProxy, // "tls-terminated-by-proxy",
    TlsParametersDiffer, // "tls-parameters-differ",
    SslinfoMissing, // "sslinfo-missing",
};

// The last enumerator, for iterating over all codes.
inline constexpr ProblemCode kLastProblemCode = ProblemCode::SslinfoMissing;

// The stable name: "timeout", "host-mismatch-alias", ...
QString problemCodeName(ProblemCode code);
// The code with this name; nullopt for any other string.
std::optional<ProblemCode> problemCodeFromName(const QString &name);
// Every code, in declaration order.
QList<ProblemCode> allProblemCodes();

// A failure or warning, as data. `code` is stable (used by JSON consumers and for exit codes);
// `detail` is the libpq/OpenSSL/system text verbatim; `explanation` and `fix` are in the user's words.
// A Problem never holds a password.
struct Problem
{
    // Error: the inspection failed; Warning: a weakness a user must know; Info: a note that
    // changes nothing about the connection's safety (an optional extension is missing).
    enum class Severity { Error, Warning, Info };

    QString code;        // problemCodeName() of one ProblemCode
    Severity severity = Severity::Error;
    QString title;       // a few words for a banner: "host name does not match the certificate"
    QString detail;
    QString explanation;
    QString fix;

    bool isError() const { return severity == Severity::Error; }
    bool isWarning() const { return severity == Severity::Warning; }
    static QString severityName(Severity s)
    {
        return s == Severity::Error ? QStringLiteral("error")
            : s == Severity::Warning ? QStringLiteral("warning")
                                     : QStringLiteral("info");
    }
};

using ProblemList = QList<Problem>;

} // namespace pgtls
