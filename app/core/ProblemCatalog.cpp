// SPDX-License-Identifier: MIT
#include "ProblemCatalog.h"

#include "CaBundle.h"
#include "PgSession.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <openssl/x509_vfy.h>

namespace pgtls {

// Problem.h: the names of the closed set of codes.

QString problemCodeName(ProblemCode code)
{
    // No default: a new code without a name does not compile.
    switch (code) {
    case ProblemCode::Timeout: return QStringLiteral("timeout");
    case ProblemCode::ConnectionRefused: return QStringLiteral("connection-refused");
    case ProblemCode::ConnectionFailed: return QStringLiteral("connection-failed");
    case ProblemCode::DnsFailure: return QStringLiteral("dns-failure");
    case ProblemCode::NotPostgres: return QStringLiteral("not-postgres");
    case ProblemCode::SslNotSupported: return QStringLiteral("ssl-not-supported");
    case ProblemCode::UnixSocket: return QStringLiteral("unix-socket");
    case ProblemCode::UnencryptedDataAfterSslResponse: return QStringLiteral("unencrypted-data-after-ssl-response");
    case ProblemCode::TlsHandshakeFailed: return QStringLiteral("tls-handshake-failed");
    case ProblemCode::Cancelled: return QStringLiteral("cancelled");
    case ProblemCode::RootCertMissing: return QStringLiteral("root-cert-missing");
    case ProblemCode::RootCertUnreadable: return QStringLiteral("root-cert-unreadable");
    case ProblemCode::CertExpired: return QStringLiteral("cert-expired");
    case ProblemCode::CertNotYetValid: return QStringLiteral("cert-not-yet-valid");
    case ProblemCode::CaFileIncomplete: return QStringLiteral("ca-file-incomplete");
    case ProblemCode::SelfSigned: return QStringLiteral("self-signed");
    case ProblemCode::BadSignature: return QStringLiteral("bad-signature");
    case ProblemCode::UnknownCa: return QStringLiteral("unknown-ca");
    case ProblemCode::Untrusted: return QStringLiteral("untrusted");
    case ProblemCode::CertVerifyFailed: return QStringLiteral("cert-verify-failed");
    case ProblemCode::CertRevoked: return QStringLiteral("cert-revoked");
    case ProblemCode::CrlMissing: return QStringLiteral("crl-missing");
    case ProblemCode::CrlExpired: return QStringLiteral("crl-expired");
    case ProblemCode::RootCertNamedMissing: return QStringLiteral("root-cert-named-missing");
    case ProblemCode::RootCertNamedMissingUnverified: return QStringLiteral("root-cert-named-missing-unverified");
    case ProblemCode::RootCertUnusable: return QStringLiteral("root-cert-unusable");
    case ProblemCode::PreferRetriesPlaintext: return QStringLiteral("prefer-retries-plaintext");
    case ProblemCode::AllowTlsWouldFail: return QStringLiteral("allow-tls-would-fail");
    case ProblemCode::HostMismatchAlias: return QStringLiteral("host-mismatch-alias");
    case ProblemCode::HostMismatch: return QStringLiteral("host-mismatch");
    case ProblemCode::PasswordNeeded: return QStringLiteral("password-needed");
    case ProblemCode::PasswordFailed: return QStringLiteral("password-failed");
    case ProblemCode::PlaintextRefused: return QStringLiteral("plaintext-refused");
    case ProblemCode::NoPgHbaEntry: return QStringLiteral("no-pg-hba-entry");
    case ProblemCode::NoPgHbaEntryNoEncryption: return QStringLiteral("no-pg-hba-entry-no-encryption");
    case ProblemCode::PgHbaReject: return QStringLiteral("pg-hba-reject");
    case ProblemCode::RoleMissing: return QStringLiteral("role-missing");
    case ProblemCode::DatabaseMissing: return QStringLiteral("database-missing");
    case ProblemCode::ServerNotReady: return QStringLiteral("server-not-ready");
    case ProblemCode::TooManyConnections: return QStringLiteral("too-many-connections");
    case ProblemCode::SessionFailed: return QStringLiteral("session-failed");
    case ProblemCode::SslmodeDisable: return QStringLiteral("sslmode-disable");
    case ProblemCode::InvalidOption: return QStringLiteral("invalid-option");
    case ProblemCode::BadHostaddr: return QStringLiteral("bad-hostaddr");
    case ProblemCode::NoCertificate: return QStringLiteral("no-certificate");
    case ProblemCode::Internal: return QStringLiteral("internal");
    case ProblemCode::ClientFileUnsafe: return QStringLiteral("client-file-unsafe");
    case ProblemCode::ServerFlood: return QStringLiteral("server-flood");
    case ProblemCode::ChannelBindingUnavailable: return QStringLiteral("channel-binding-unavailable");
    case ProblemCode::ServerViewIncomplete: return QStringLiteral("server-view-incomplete");
    case ProblemCode::AllowTriesPlaintext: return QStringLiteral("allow-tries-plaintext");
    case ProblemCode::PreferFallsBack: return QStringLiteral("prefer-falls-back");
    case ProblemCode::ServerNotAuthenticated: return QStringLiteral("server-not-authenticated");
    case ProblemCode::HostNotChecked: return QStringLiteral("host-not-checked");
    case ProblemCode::CertExpiresSoon: return QStringLiteral("cert-expires-soon");
    case ProblemCode::NotEncrypted: return QStringLiteral("not-encrypted");
    case ProblemCode::PlaintextAccepted: return QStringLiteral("plaintext-accepted");
    case ProblemCode::TlsTerminatedByProxy: return QStringLiteral("tls-terminated-by-proxy");
    case ProblemCode::TlsParametersDiffer: return QStringLiteral("tls-parameters-differ");
    case ProblemCode::SslinfoMissing: return QStringLiteral("sslinfo-missing");
    }
    return QString();
}

QList<ProblemCode> allProblemCodes()
{
    QList<ProblemCode> codes;
    for (int i = 0; i <= int(kLastProblemCode); ++i)
        codes << ProblemCode(i);
    return codes;
}

std::optional<ProblemCode> problemCodeFromName(const QString &name)
{
    static const QHash<QString, ProblemCode> byName = [] {
        QHash<QString, ProblemCode> h;
        for (const ProblemCode code : allProblemCodes())
            h.insert(problemCodeName(code), code);
        return h;
    }();
    const auto it = byName.constFind(name);
    if (it == byName.cend())
        return std::nullopt;
    return *it;
}


namespace {

struct Text
{
    QString title, explanation, fix;
    Problem::Severity severity = Problem::Severity::Error;
};

// The names the leaf certificate answers to, SANs first (CN only when there are none).
QStringList certificateNames(const InspectionReport &r)
{
    if (r.probe.chain.isEmpty())
        return {};
    const CertificateInfo &leaf = r.probe.chain.first();
    QStringList names = leaf.sanDns + leaf.sanIp;
    if (names.isEmpty() && !leaf.subjectCommonName.isEmpty())
        names << leaf.subjectCommonName;
    return names;
}

QString firstRdsName(const InspectionReport &r)
{
    const QStringList names = certificateNames(r);
    for (const QString &n : names) {
        if (!ProblemCatalog::rdsRegionOf(n).isEmpty())
            return n;
    }
    return {};
}

// The revocation problems: which list, which certificate.
Text revocationText(ProblemCode code, const InspectionReport &r)
{
    const QString codeName = problemCodeName(code);
    const TrustResult &t = r.probe.trust;
    QStringList lists;
    if (!t.crlFile.isEmpty())
        lists << t.crlFile;
    if (!t.crlDir.isEmpty())
        lists << QCoreApplication::translate("pgtls::ProblemCatalog", "the directory %1")
                     .arg(t.crlDir);
    const QString where = lists.join(QStringLiteral(", "));
    const QString wanted = code == ProblemCode::CertRevoked ? QStringLiteral("revoked")
                                                                 : codeName;
    int depth = t.errorDepth;
    for (const CertificateIssue &i : t.issues)
        if (i.code == wanted) {
            depth = i.depth;
            break;
        }
    const CertificateInfo c = t.certificateAt(depth, r.probe.chain);
    const QString which = depth == 0
        ? QCoreApplication::translate("pgtls::ProblemCatalog", "the server's certificate (%1)")
              .arg(c.subject)
        : QCoreApplication::translate("pgtls::ProblemCatalog", "the CA certificate %1")
              .arg(c.subject);
    if (code == ProblemCode::CertRevoked)
        return { depth == 0 ? QCoreApplication::translate("pgtls::ProblemCatalog",
                                  "the server certificate has been revoked")
                            : QCoreApplication::translate("pgtls::ProblemCatalog",
                                  "a CA certificate of the chain has been revoked"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The certificate revocation list %1 says that %2 was revoked by its issuer. "
                "libpq loads that list together with the root file and refuses the "
                "handshake (\"certificate revoked\"), in every sslmode that verifies.")
                .arg(where, which),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server must get a new certificate: a revoked one can never be trusted "
                "again. Ask whoever runs the server to install a newly issued certificate "
                "(on RDS: rotate the instance's certificate). Do not remove the revocation "
                "list to get past this.") };
    if (code == ProblemCode::CrlMissing)
        return { QCoreApplication::translate("pgtls::ProblemCatalog",
                     "no revocation list for a certificate of the chain"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Revocation checking is on, because %1 loaded: libpq then sets "
                "X509_V_FLAG_CRL_CHECK_ALL, and every certificate of the chain, the root "
                "included, needs a current revocation list from its issuer. None was found "
                "for %2 (issued by %3), so libpq fails with \"unable to get certificate "
                "CRL\".")
                .arg(where, which, c.issuer),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Add the revocation list of %1 to %2 (in sslcrldir: as <hash>.r0, see "
                "openssl rehash), or stop checking revocation: unset sslcrl and sslcrldir "
                "and remove ~/.postgresql/root.crl.")
                .arg(c.issuer, where) };
    return { QCoreApplication::translate("pgtls::ProblemCatalog",
                 "a revocation list is out of date"),
        QCoreApplication::translate("pgtls::ProblemCatalog",
            "The revocation list of %1's issuer in %2 is past its next update, so libpq "
            "refuses the chain (\"CRL has expired\").")
            .arg(c.subject, where),
        QCoreApplication::translate("pgtls::ProblemCatalog",
            "Download the issuer's current revocation list into %1.")
            .arg(where) };
}

Text textFor(ProblemCode code, const InspectionReport &r)
{
    const Endpoint &e = r.endpoint;
    const QString host = e.host.isEmpty() ? e.hostaddr : e.host;
    const QString file = r.probe.trust.caFile.isEmpty() ? r.rootCert.path : r.probe.trust.caFile;
    const QString region = ProblemCatalog::rdsRegionOf(e.host);
    const auto warn = Problem::Severity::Warning;

    // The step the failure happened at: the session's when libpq ran, else the probe's.
    const QString step = (r.probeOnly || !r.session.attempted) ? r.probe.step : r.session.step;
    const bool tcpConnected = step == QLatin1String("ssl-request")
        || step == QLatin1String("tls-handshake") || step == QLatin1String("authentication")
        || step == QLatin1String("startup") || step == QLatin1String("server-view");

    // No default: every code has its words, or this does not compile (-Wswitch).
    switch (code) {
    case ProblemCode::Timeout: {
        const QString title = QCoreApplication::translate(
            "pgtls::ProblemCatalog", "the server did not answer in time");
        if (step == QLatin1String("resolve"))
            return { QCoreApplication::translate(
                         "pgtls::ProblemCatalog", "the host name did not resolve in time"),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The name lookup for \"%1\" did not finish in time: no connection was even "
                    "tried.")
                    .arg(host),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check this machine's DNS resolver (private RDS names resolve only inside "
                    "their VPC).") };
        if (step == QLatin1String("ssl-request"))
            return { title,
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The TCP connection to port %1 was accepted, but nothing answered "
                    "PostgreSQL's request to start TLS. The network path is open (this is not a "
                    "firewall or security group); what listens there does not speak PostgreSQL, "
                    "or the server is hung or overloaded.")
                    .arg(e.port),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check that port %1 is the PostgreSQL server's (not another service or a "
                    "stuck proxy), and the server's load and log.")
                    .arg(e.port) };
        if (step == QLatin1String("tls-handshake"))
            return { title,
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The server agreed to TLS, but the TLS handshake did not complete in time. "
                    "The network path is open; the server, or a proxy in between, stalled in the "
                    "handshake."),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check the server's (or the proxy's) TLS setup and load; a path that drops "
                    "large packets (MTU) can also stall a handshake.") };
        if (step == QLatin1String("authentication"))
            return { title,
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The server received the login request but did not finish authentication in "
                    "time. The network path is open; the server is slow to authenticate (an "
                    "LDAP, RADIUS or PAM back end, a pooler waiting for a server connection) or "
                    "hung."),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check the server's authentication back end and its log; then try again.") };
        if (step == QLatin1String("startup"))
            return { title,
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The server accepted the login but did not finish starting the session in "
                    "time."),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check the server's load and log (a pooler may be waiting for a free server "
                    "connection).") };
        if (step == QLatin1String("server-view"))
            return { title,
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "libpq connected and logged in, but the server did not answer the "
                    "inspection's queries in time."),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Check the server's load, and any pooler in between.") };
        return { title,
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The TCP connection to port %1 was not established in time: a firewall or "
                "security group that drops packets, a wrong address or port, or a host that is "
                "down all look like this.")
                .arg(e.port),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the address and port and that this machine may reach it (for RDS: the "
                "security group's inbound rule for port %1, and whether the instance is publicly "
                "accessible).")
                .arg(e.port) };
    }
    case ProblemCode::ConnectionRefused:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "connection refused"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Nothing listens on port %1 at that address, or a firewall actively refused the "
                "connection.")
                .arg(e.port),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check host and port; is the server running and listening on this address "
                "(listen_addresses)?") };
    case ProblemCode::ConnectionFailed: {
        if (tcpConnected)
            return { QCoreApplication::translate("pgtls::ProblemCatalog", "the connection failed"),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The TCP connection was established, then the attempt failed (see the "
                    "detail): the network path is open."),
                QCoreApplication::translate("pgtls::ProblemCatalog",
                    "See the detail; check the server's log.") };
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "could not connect"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The connection to the server could not be established."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "See the detail; check host, port and the network path.") };
    }
    case ProblemCode::ServerNotReady:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server does not accept connections now"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server answered that it cannot accept connections now (SQLSTATE 57P03): it "
                "is starting up, shutting down, or in recovery (a standby without hot_standby). "
                "libpq tries the next host, if there is one."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Wait until the server is up (on RDS: the instance status is Available), then "
                "inspect again.") };
    case ProblemCode::TooManyConnections:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server has no free connection slot"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server refused the connection because all its connection slots are in use "
                "(SQLSTATE 53300: max_connections, or the role's or database's CONNECTION "
                "LIMIT)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Close idle sessions or raise the limit (on RDS: max_connections in the "
                "parameter group); a pooler helps.") };
    case ProblemCode::NoPgHbaEntryNoEncryption:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "no pg_hba.conf entry for an unencrypted connection"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server has no pg_hba.conf line that admits this client address, user and "
                "database without encryption: it admits them over TLS only (rds.force_ssl=1, or "
                "hostssl lines), or not at all."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full with the CA bundle.") };
    case ProblemCode::NoCertificate:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server sent no certificate"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The TLS handshake completed without a server certificate (an anonymous cipher "
                "suite): nothing identifies the server, and libpq refuses this under verify-ca "
                "and verify-full."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Configure the server (or the proxy in between) with a certificate "
                "(ssl_cert_file, ssl_key_file).") };
    case ProblemCode::BadHostaddr:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "hostaddr is not an address"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "hostaddr must be a numeric IPv4 or IPv6 address; libpq rejects this value "
                "before connecting."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Give hostaddr as an IP address (or leave it out and give the host name).") };
    case ProblemCode::Internal:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the inspection itself failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "This tool could not set up its own TLS probe (see the detail): this says "
                "nothing about the server."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Try again; if it persists, report the detail as a bug of PG TLS Inspector.") };
    case ProblemCode::ServerFlood:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the server sent far too much"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server kept sending data (over %1 MiB) where a PostgreSQL server sends a few "
                "KiB, so the attempt was stopped to keep this tool's memory bounded. A broken proxy "
                "or a hostile server behaves like this.")
                .arg(PgSession::kMaxBytes / (1024 * 1024)),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check that %1:%2 really is the PostgreSQL server you mean to reach, and what sits "
                "in between.")
                .arg(host)
                .arg(e.port) };
    case ProblemCode::ChannelBindingUnavailable:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "no channel binding offered"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "channel_binding=require lets libpq log in only with SCRAM-SHA-256-PLUS over TLS, "
                "which ties the login to this very TLS connection. The server did not offer it "
                "(md5 or password authentication, SCRAM without TLS, or a pooler in between), so "
                "libpq refused to authenticate."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use scram-sha-256 in pg_hba.conf with a SCRAM password (password_encryption = "
                "scram-sha-256, then set the password again) over hostssl; RDS offers it from "
                "PostgreSQL 11. Or drop channel_binding=require and rely on verify-full.") };
    case ProblemCode::ServerViewIncomplete:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the server's own view is missing"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "libpq connected, but the queries that ask the server how it sees this session "
                "(ssl_is_used(), pg_stat_ssl, SHOW ssl, rds.force_ssl) did not complete, so what "
                "the server says is unknown."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "See the detail. A pooler that does not allow the extended query protocol, a role "
                "without access to pg_stat_ssl, or a server that is not PostgreSQL can cause it."),
            warn };
    case ProblemCode::DnsFailure:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the host name does not resolve"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The host name could not be resolved to an address."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the spelling of \"%1\"; private RDS endpoints resolve only inside their VPC "
                "(or "
                "through its DNS resolver).")
                .arg(host) };
    case ProblemCode::NotPostgres:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "not a PostgreSQL server"),
            step == QLatin1String("authentication") || step == QLatin1String("startup")
                ? QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Something answers on this port, but it is not PostgreSQL: it did not answer "
                    "PostgreSQL's startup message as a PostgreSQL server does.")
                : QCoreApplication::translate("pgtls::ProblemCatalog",
                    "Something answers on this port, but it is not PostgreSQL: it did not answer "
                    "PostgreSQL's request to start TLS."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the port number (PostgreSQL usually listens on 5432).") };
    case ProblemCode::SslNotSupported:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server does not offer TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server refused to start TLS (ssl=off, or a proxy in between without TLS). "
                "Every "
                "connection to it is unencrypted; sslmode=prefer silently falls back to "
                "plaintext."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Turn on ssl on the server (RDS always supports TLS; check any proxy or pooler in "
                "between).") };
    case ProblemCode::UnixSocket:
        return {
            QCoreApplication::translate("pgtls::ProblemCatalog", "a Unix-domain socket has no TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "TLS is only used over TCP."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Give a host name or IP address.")
        };
    case ProblemCode::UnencryptedDataAfterSslResponse:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "data injected before the TLS handshake"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Bytes arrived before the TLS handshake began: something on the path may be "
                "injecting data "
                "(CVE-2021-23222). libpq refuses this connection."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Find out what sits between you and the server.") };
    case ProblemCode::TlsHandshakeFailed:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the TLS handshake failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server accepted the request for TLS but the handshake failed."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the server's TLS settings (ssl_min_protocol_version, certificates) and any "
                "proxy in "
                "between.") };
    case ProblemCode::Cancelled:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "cancelled"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "The inspection was cancelled."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Start the inspection again to see the result.") };
    case ProblemCode::RootCertMissing:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "no CA file to verify the server with"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=%1 verifies the server against a CA file, and there is none at %2: libpq "
                "does not "
                "even try to connect.")
                .arg(sslModeName(e.sslmode), r.rootCert.path),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Download the RDS CA bundle (or your CA's certificate) and pass it with "
                "sslrootcert=, or "
                "save it as %1.")
                .arg(r.rootCert.path) };
    case ProblemCode::RootCertUnreadable:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the CA file cannot be used"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "%1 is not a readable file of PEM certificates, so libpq cannot verify anything.")
                .arg(file),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Give a readable PEM file of CA certificates (for RDS: the global bundle).") };
    case ProblemCode::ClientFileUnsafe:
        // ClientFiles::check() found a file libpq would hang on; the detail is its message.
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "a TLS file would make libpq hang"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "libpq opens the CA file, the client certificate and key and the revocation "
                "lists itself, and waits until it has read them. One of them is a named pipe, a "
                "device or an oversized file (see the detail): libpq, and psql, would wait for "
                "ever or read without end, so no libpq connection was attempted."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Point the setting the detail names at a regular file, or move the file away; "
                "then inspect again.") };
    case ProblemCode::CertExpired:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "a certificate has expired"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate of the server's chain has expired, so libpq refuses it under "
                "verify-ca and "
                "verify-full."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Renew the server certificate (on RDS: rotate the instance to a current CA, e.g. "
                "rds-ca-rsa2048-g1).") };
    case ProblemCode::CertNotYetValid:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "a certificate is not valid yet"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate of the chain is not valid yet: either it was issued for the future, "
                "or this "
                "machine's clock is wrong."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Check this machine's date and time.") };
    case ProblemCode::CaFileIncomplete:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the CA file lacks the root certificate"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The CA file holds an intermediate certificate of this chain but not the root it "
                "was issued "
                "by; libpq does not accept partial chains."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Add the root CA to %1 (for RDS: the global or regional bundle holds the roots).")
                .arg(file) };
    case ProblemCode::SelfSigned:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "self-signed certificate not trusted"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server presents a self-signed certificate that %1 does not hold.")
                .arg(file),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Put that certificate (or the CA that issued it) into the CA file, or use a "
                "certificate "
                "from a real CA.") };
    case ProblemCode::BadSignature:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "a certificate signature does not verify"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate's signature does not verify: it was altered, or its issuer is an "
                "impostor "
                "with the same name."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Treat this as an attack until explained.") };
    case ProblemCode::UnknownCa: {
        const QString issuer = r.probe.chain.isEmpty() ? QString() : r.probe.chain.last().issuer;
        QString expl = issuer.isEmpty()
            ? QCoreApplication::translate("pgtls::ProblemCatalog",
                "No certificate in %1 vouches for the server's certificate.")
                  .arg(file)
            : QCoreApplication::translate("pgtls::ProblemCatalog",
                "No certificate in %1 vouches for the server's chain (issued by \"%2\").")
                  .arg(file, issuer);
        QString fix;
        if (!file.isEmpty() && CaBundle::load(file).holdsOnlyRetiredRdsCas()) {
            expl += QLatin1Char(' ')
                + QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The file holds only retired Amazon RDS CAs (rds-ca-2019 expired on "
                    "2024-08-22, "
                    "rds-ca-2015 in 2020): this is the old combined bundle.");
            fix = QCoreApplication::translate("pgtls::ProblemCatalog",
                "Replace it with the current RDS global bundle (global-bundle.pem).");
        } else if (issuer.contains(QLatin1String("Amazon RDS"))) {
            expl += QLatin1Char(' ')
                + QCoreApplication::translate("pgtls::ProblemCatalog",
                    "The chain comes from an Amazon RDS CA: the bundle is stale or for another "
                    "region.");
        }
        if (fix.isEmpty()) {
            fix = region.isEmpty() ? QCoreApplication::translate("pgtls::ProblemCatalog",
                      "Use the CA bundle of the CA that issued the server's certificate.")
                                   : QCoreApplication::translate("pgtls::ProblemCatalog",
                                       "Use the RDS global bundle, or the %1 regional bundle.")
                                         .arg(region);
        }
        // An issuer nobody trusts is also what a man in the middle looks like.
        expl += QLatin1Char(' ')
            + QCoreApplication::translate("pgtls::ProblemCatalog",
                "An issuer your CA file does not know can also mean that this is not your server: "
                "a man in the middle presents a certificate of its own.");
        fix += QLatin1Char(' ')
            + QCoreApplication::translate("pgtls::ProblemCatalog",
                "Before trusting another CA, check that you reach the real server (the "
                "certificate's issuer and SHA-256 in the Chain view against what the provider "
                "publishes).");
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server's CA is not in your CA file"),
            expl, fix };
    }
    case ProblemCode::Untrusted:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the certificate chain did not verify"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The certificate chain did not verify."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    case ProblemCode::HostMismatchAlias: {
        const QString rdsName = firstRdsName(r);
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "host name does not match the certificate"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The certificate is for %1 but you connected to %2, an alias (a Route 53 CNAME, an "
                "internal "
                "DNS name or a load balancer). libpq checks the name you typed, not where it "
                "points.")
                .arg(rdsName, e.host),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Connect to the RDS endpoint name %1 (use hostaddr to route elsewhere if you "
                "must), or accept "
                "sslmode=verify-ca knowingly: then any certificate from that CA passes.")
                .arg(rdsName) };
    }
    case ProblemCode::HostMismatch: {
        const QStringList names = certificateNames(r);
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "host name does not match the certificate"),
            e.host.isEmpty() ? QCoreApplication::translate("pgtls::ProblemCatalog",
                "verify-full compares the certificate with the host name, and none was given "
                "(hostaddr "
                "is never checked).")
                             : QCoreApplication::translate("pgtls::ProblemCatalog",
                                 "The server's certificate does not name the host you connected to "
                                 "(%1), so it may "
                                 "belong to another server.")
                                   .arg(e.host),
            names.isEmpty() ? QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Give the host name the certificate was issued for.")
                            : QCoreApplication::translate("pgtls::ProblemCatalog",
                                "Connect using a name in the certificate: %1.")
                                  .arg(names.join(QStringLiteral(", "))) };
    }
    case ProblemCode::PasswordNeeded:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "a password is needed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server asks for a password and none was available (no PGPASSWORD, no matching "
                "~/.pgpass line, no saved password)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Enter the password when asked, or put it into ~/.pgpass (mode 0600).") };
    case ProblemCode::PasswordFailed:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "password authentication failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server rejected the user name or password (or, on RDS, an IAM token that "
                "expired)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check user and password; for RDS IAM authentication generate a fresh token.") };
    case ProblemCode::PlaintextRefused:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server requires encryption"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server refuses unencrypted connections (rds.force_ssl=1, or pg_hba.conf has "
                "only "
                "hostssl lines for you), and sslmode=%1 did not use TLS.")
                .arg(sslModeName(e.sslmode)),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Use sslmode=verify-full with the CA bundle.") };
    case ProblemCode::NoPgHbaEntry:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "no pg_hba.conf entry allows this connection"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server has no pg_hba.conf line for this client address, user and database "
                "(over this "
                "transport)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Ask the DBA for a pg_hba.conf entry, or check user and database names (on RDS "
                "this usually "
                "means a wrong user or database, or rds.force_ssl with a plaintext attempt).") };
    case ProblemCode::PgHbaReject:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "pg_hba.conf rejects this connection"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A pg_hba.conf line explicitly rejects this client address, user and database."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Ask the DBA which connections the server admits.") };
    case ProblemCode::RoleMissing:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the role does not exist"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The user name is not a role on this server."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Check the user name.") };
    case ProblemCode::DatabaseMissing:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the database does not exist"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "There is no database with this name on the server."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the database name (libpq's default is the user name).") };
    case ProblemCode::SslmodeDisable:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "sslmode=disable never uses TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "With sslmode=disable libpq never asks for TLS, whatever the server offers: "
                "everything, the "
                "password exchange included, crosses the network unencrypted."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Use sslmode=verify-full with the CA bundle.") };
    case ProblemCode::InvalidOption:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "invalid connection option"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "A connection option has a value libpq does not accept."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    case ProblemCode::AllowTriesPlaintext:
        return {
            QCoreApplication::translate("pgtls::ProblemCatalog", "allow tries plaintext first"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=allow connects without TLS whenever the server accepts that, and uses TLS "
                "only when "
                "the server insists."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Use sslmode=verify-full."), warn
        };
    case ProblemCode::PreferFallsBack:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "prefer falls back to plaintext"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=prefer uses TLS when the server offers it, but an attacker who refuses TLS, "
                "or whose certificate fails verification, gets a plaintext connection: libpq then "
                "retries without TLS, and the password and every query cross the network in clear."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Use sslmode=verify-full."), warn };
    case ProblemCode::SessionFailed:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the connection failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "libpq could not connect."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    // Warnings
    case ProblemCode::ServerNotAuthenticated:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server is not authenticated"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=%1 encrypts but checks no certificate here (there is no root certificate "
                "file; with one, libpq would check the CA): a man in the middle can present any "
                "certificate and read or change the traffic.")
                .arg(sslModeName(e.sslmode)),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full with sslrootcert pointing at the CA bundle."),
            warn };
    case ProblemCode::HostNotChecked:
        return {
            QCoreApplication::translate("pgtls::ProblemCatalog", "the host name is not checked"),
            e.sslmode == SslMode::VerifyCa
                ? QCoreApplication::translate("pgtls::ProblemCatalog",
                    "verify-ca checks that a trusted CA issued the certificate, not for which host: "
                    "any server with a certificate from that CA (for RDS: any RDS instance using "
                    "it) passes.")
                : QCoreApplication::translate("pgtls::ProblemCatalog",
                    "sslmode=%1 checks the CA here because a root certificate file exists (libpq "
                    "then behaves like verify-ca), but not for which host the certificate is: any "
                    "server with a certificate from that CA (for RDS: any RDS instance using it) "
                    "passes.")
                      .arg(sslModeName(e.sslmode)),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Use sslmode=verify-full."), warn
        };
    case ProblemCode::CertExpiresSoon: {
        const qint64 days = r.probe.chain.isEmpty() ? 0 : r.now.daysTo(r.probe.chain.first().notAfter);
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server certificate expires soon"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server certificate expires in %n day(s).", nullptr, int(days)),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Renew or rotate it before then."),
            warn };
    }
    case ProblemCode::NotEncrypted:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "not encrypted"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The connection does not use TLS: anyone on the path can read and change the "
                "traffic, "
                "passwords of weak authentication methods included."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full (and make the server require TLS: rds.force_ssl=1)."),
            warn };
    case ProblemCode::PlaintextAccepted:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server accepts unencrypted connections"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A client with sslmode=disable, allow, or prefer (libpq's default) facing an "
                "attacker who "
                "blocks TLS will connect without encryption."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "On RDS set rds.force_ssl=1 in the DB parameter group (the default from PostgreSQL "
                "15); "
                "elsewhere use hostssl lines only in pg_hba.conf."),
            warn };
    case ProblemCode::TlsTerminatedByProxy:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "TLS ends at a proxy, not at the server"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "libpq used TLS, but the server says this session is not encrypted: a pooler or "
                "proxy "
                "(PgBouncer, RDS Proxy, a load balancer) terminates TLS and talks to the server in "
                "plaintext."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the proxy's server-side TLS settings (e.g. PgBouncer's "
                "server_tls_sslmode)."),
            warn };
    case ProblemCode::TlsParametersDiffer:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server sees a different TLS session"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The protocol or cipher libpq negotiated differs from what the server reports for "
                "this session: "
                "something in between re-encrypts the traffic."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Check the proxy or pooler between you and the server."),
            warn };
    case ProblemCode::SslinfoMissing:
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "sslinfo is not installed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "ssl_is_used() comes from the sslinfo extension, which this database does not "
                "have; "
                "pg_stat_ssl answered instead."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Optional: CREATE EXTENSION sslinfo; (allowed on RDS)."),
            // A note, not a warning: the connection is as safe with or without it.
            Problem::Severity::Info };
    case ProblemCode::CertRevoked:
    case ProblemCode::CrlMissing:
    case ProblemCode::CrlExpired:
        return revocationText(code, r);
    case ProblemCode::RootCertNamedMissing:
        // verify-ca/verify-full with an sslrootcert that does not exist: libpq fails.
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the CA file you named does not exist"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "You named %1 as the CA file (sslrootcert), and there is no such file. "
                "sslmode=%2 verifies the server against that file, so libpq does not even start "
                "the TLS handshake: the connection fails.")
                .arg(r.rootCert.path, sslModeName(e.sslmode)),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Correct the path in sslrootcert, or download the CA bundle and name it: for "
                "Amazon RDS `pgtls-check bundle download` saves the official global-bundle.pem "
                "(https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem).") };
    case ProblemCode::RootCertNamedMissingUnverified:
        // allow/prefer/require with an sslrootcert that does not exist: libpq checks nothing.
        return { QCoreApplication::translate("pgtls::ProblemCatalog",
                     "the CA file you named does not exist, so nothing is verified"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "You named %1 as the CA file (sslrootcert), and there is no such file. Under "
                "sslmode=%2 libpq does not stop there: it connects without checking any "
                "certificate, exactly as if you had named none, so a man in the middle can "
                "present any certificate and read or change the traffic. A typo in sslrootcert "
                "silently turns verification off.")
                .arg(r.rootCert.path, sslModeName(e.sslmode)),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Correct the path, or download the RDS bundle (`pgtls-check bundle download`, or "
                "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) and name it; "
                "use sslmode=verify-full, under which a missing CA file fails instead of being "
                "ignored."),
            warn };
    case ProblemCode::RootCertUnusable: {
        // The root file exists but libpq cannot load it (no certificate, a directory, unreadable):
        // TLS fails before the handshake, in every mode that uses TLS.
        const QString what = r.rootCert.named()
            ? QCoreApplication::translate("pgtls::ProblemCatalog", "The CA file you named, %1,")
                  .arg(r.rootCert.path)
            : QCoreApplication::translate(
                "pgtls::ProblemCatalog", "libpq's default CA file %1").arg(r.rootCert.path);
        QString then;
        switch (e.sslmode) {
        case SslMode::Prefer:
            then = QCoreApplication::translate("pgtls::ProblemCatalog",
                "Under sslmode=prefer libpq then retries without TLS: if the server accepts "
                "plaintext, the connection is unencrypted, and a file meant to add verification "
                "removed encryption instead.");
            break;
        case SslMode::Allow:
            then = QCoreApplication::translate("pgtls::ProblemCatalog",
                "Under sslmode=allow libpq tries plaintext first; only when the server refuses "
                "that does it try TLS, which then fails on this file.");
            break;
        default:
            then = QCoreApplication::translate("pgtls::ProblemCatalog",
                "Under sslmode=%1 the connection fails.").arg(sslModeName(e.sslmode));
            break;
        }
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "libpq cannot load the CA file"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "%1 exists but holds no PEM certificate, or cannot be read (see libpq's words in "
                "the detail). libpq loads an existing CA file whenever it uses TLS, in every "
                "sslmode but disable, and stops before the TLS handshake when that fails. %2")
                .arg(what, then),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Point sslrootcert at a readable PEM file of CA certificates (for Amazon RDS: "
                "global-bundle.pem, `pgtls-check bundle download`); convert a DER or PKCS#7 file "
                "with openssl."),
            r.session.connected ? warn : Problem::Severity::Error };
    }
    case ProblemCode::PreferRetriesPlaintext:
        // Probe-only, sslmode=prefer, TLS refused or failing: libpq would retry without TLS.
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "prefer would retry without TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "TLS fails here (see the detail), and sslmode=prefer does not stop there: libpq "
                "retries the connection without TLS, and if the server accepts plaintext, the "
                "password and every query cross the network in clear. An attacker gets the same "
                "result by refusing TLS or presenting a certificate that fails verification. "
                "Whether this server accepts plaintext depends on its pg_hba.conf, which the "
                "probe does not learn (it does not log in)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full with the CA bundle, and make the server require TLS (on "
                "RDS: rds.force_ssl=1). Run the inspection without --probe-only to see whether "
                "the server accepts plaintext."),
            warn };
    case ProblemCode::AllowTlsWouldFail:
        // Probe-only, sslmode=allow, TLS refused or failing: plaintext or nothing.
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "allow: plaintext, or no connection"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=allow tries plaintext first and uses TLS only when the server refuses "
                "that; here TLS would fail as well (see the detail). So the connection is either "
                "unencrypted, when the server accepts plaintext, or fails. Whether this server "
                "accepts plaintext depends on its pg_hba.conf, which the probe does not learn."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full with the CA bundle. Run the inspection without "
                "--probe-only to see whether the server accepts plaintext."),
            warn };
    case ProblemCode::CertVerifyFailed:
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server certificate did not verify"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "libpq could not verify the server's certificate chain against the CA file %1 "
                "(see the detail for OpenSSL's reason).")
                .arg(file),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check that the CA file holds the CA that issued the server's certificate (for "
                "RDS: the current global bundle).") };
    }
    // Not reached: every case returns.
    return {};
}

// A code by its name; names outside the closed set only from the helpers' blocks below until
// the lead moves them into ProblemCode.
Text textFor(const QString &code, const InspectionReport &r)
{
    if (const std::optional<ProblemCode> known = problemCodeFromName(code))
        return textFor(*known, r);
    // Codes of issue-11 helpers (string form) go here, each in its marked block.
    return { QCoreApplication::translate("pgtls::ProblemCatalog", "problem"),
        QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail."), QString() };
}

} // namespace

QString ProblemCatalog::rdsRegionOf(const QString &name)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^(?:\*|[a-z0-9-]+)\.(?:cluster-(?:ro-|custom-)?|proxy-)?[a-z0-9]+\.)"
                       R"(([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.rds\.amazonaws\.com(?:\.cn)?\.?$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(name);
    return m.hasMatch() ? m.captured(1).toLower() : QString();
}

QString ProblemCatalog::trustCode(const TrustResult &t)
{
    switch (t.opensslError) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return problemCodeName(ProblemCode::CertExpired);
    case X509_V_ERR_CERT_NOT_YET_VALID: return problemCodeName(ProblemCode::CertNotYetValid);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: return problemCodeName(ProblemCode::CaFileIncomplete);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return problemCodeName(ProblemCode::SelfSigned);
    case X509_V_ERR_CERT_SIGNATURE_FAILURE: return problemCodeName(ProblemCode::BadSignature);
    case X509_V_ERR_CERT_REVOKED: return problemCodeName(ProblemCode::CertRevoked);
    case X509_V_ERR_UNABLE_TO_GET_CRL: return problemCodeName(ProblemCode::CrlMissing);
    case X509_V_ERR_CRL_HAS_EXPIRED: return problemCodeName(ProblemCode::CrlExpired);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return problemCodeName(ProblemCode::UnknownCa);
    case 0: return problemCodeName(ProblemCode::RootCertUnreadable);
    default: return problemCodeName(ProblemCode::Untrusted);
    }
}

QString ProblemCatalog::hostMismatchCode(const InspectionReport &r)
{
    if (!firstRdsName(r).isEmpty() && rdsRegionOf(r.endpoint.host).isEmpty() && !r.endpoint.host.isEmpty())
        return problemCodeName(ProblemCode::HostMismatchAlias);
    return problemCodeName(ProblemCode::HostMismatch);
}

Problem ProblemCatalog::make(const QString &code, const QString &detail, const InspectionReport &context)
{
    const Text t = textFor(code, context);
    Problem p;
    p.code = code;
    p.severity = t.severity;
    p.title = t.title;
    p.detail = detail;
    p.explanation = t.explanation;
    p.fix = t.fix;
    return p;
}

QStringList ProblemCatalog::knownCodes()
{
    QStringList names;
    for (const ProblemCode code : allProblemCodes())
        names << problemCodeName(code);
    // Codes of issue-11 helpers (string form) are appended here, each in its marked block.
    return names;
}

} // namespace pgtls
