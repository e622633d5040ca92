// SPDX-License-Identifier: MIT
#include "ProblemCatalog.h"

#include "CaBundle.h"
#include "PgSession.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <openssl/x509_vfy.h>

namespace pgtls {

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

Text textFor(const QString &code, const InspectionReport &r)
{
    const Endpoint &e = r.endpoint;
    const QString host = e.host.isEmpty() ? e.hostaddr : e.host;
    const QString file = r.probe.trust.caFile.isEmpty() ? r.rootCert.path : r.probe.trust.caFile;
    const QString region = ProblemCatalog::rdsRegionOf(e.host);
    const auto warn = Problem::Severity::Warning;

    if (code == QLatin1String("timeout"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server did not answer in time"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server did not finish answering in time. A firewall or security group that "
                "drops "
                "packets, a wrong port, or a server that accepts connections but never answers all "
                "look "
                "like this."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the port and that this machine may reach it (for RDS: the security group's "
                "inbound "
                "rule for port %1, and whether the instance is publicly accessible).")
                .arg(e.port) };
    if (code == QLatin1String("connection-refused"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "connection refused"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Nothing listens on port %1 at that address, or a firewall actively refused the "
                "connection.")
                .arg(e.port),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check host and port; is the server running and listening on this address "
                "(listen_addresses)?") };
    if (code == QLatin1String("connection-failed"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "could not connect"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The connection to the server failed."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "See the detail; check host, port and the network path.") };
    if (code == QLatin1String("server-flood"))
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
    if (code == QLatin1String("channel-binding-unavailable"))
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
    if (code == QLatin1String("server-view-incomplete"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the server's own view is missing"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "libpq connected, but the queries that ask the server how it sees this session "
                "(ssl_is_used(), pg_stat_ssl, SHOW ssl, rds.force_ssl) did not complete, so what "
                "the server says is unknown."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "See the detail. A pooler that does not allow the extended query protocol, a role "
                "without access to pg_stat_ssl, or a server that is not PostgreSQL can cause it."),
            warn };
    if (code == QLatin1String("dns-failure"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the host name does not resolve"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The host name could not be resolved to an address."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the spelling of \"%1\"; private RDS endpoints resolve only inside their VPC "
                "(or "
                "through its DNS resolver).")
                .arg(host) };
    if (code == QLatin1String("not-postgres"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "not a PostgreSQL server"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Something answers on this port, but it is not PostgreSQL: it did not answer "
                "PostgreSQL's "
                "request to start TLS."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the port number (PostgreSQL usually listens on 5432).") };
    if (code == QLatin1String("ssl-not-supported"))
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
    if (code == QLatin1String("unix-socket"))
        return {
            QCoreApplication::translate("pgtls::ProblemCatalog", "a Unix-domain socket has no TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "TLS is only used over TCP."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Give a host name or IP address.")
        };
    if (code == QLatin1String("unencrypted-data-after-ssl-response"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "data injected before the TLS handshake"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Bytes arrived before the TLS handshake began: something on the path may be "
                "injecting data "
                "(CVE-2021-23222). libpq refuses this connection."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Find out what sits between you and the server.") };
    if (code == QLatin1String("tls-handshake-failed"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the TLS handshake failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server accepted the request for TLS but the handshake failed."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the server's TLS settings (ssl_min_protocol_version, certificates) and any "
                "proxy in "
                "between.") };
    if (code == QLatin1String("cancelled"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "cancelled"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "The inspection was cancelled."),
            QString() };
    if (code == QLatin1String("root-cert-missing"))
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
    if (code == QLatin1String("root-cert-unreadable"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the CA file cannot be used"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "%1 is not a readable file of PEM certificates, so libpq cannot verify anything.")
                .arg(file),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Give a readable PEM file of CA certificates (for RDS: the global bundle).") };
    if (code == QLatin1String("client-file-unsafe"))
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
    if (code == QLatin1String("cert-expired"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "a certificate has expired"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate of the server's chain has expired, so libpq refuses it under "
                "verify-ca and "
                "verify-full."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Renew the server certificate (on RDS: rotate the instance to a current CA, e.g. "
                "rds-ca-rsa2048-g1).") };
    if (code == QLatin1String("cert-not-yet-valid"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "a certificate is not valid yet"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate of the chain is not valid yet: either it was issued for the future, "
                "or this "
                "machine's clock is wrong."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Check this machine's date and time.") };
    if (code == QLatin1String("ca-file-incomplete"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the CA file lacks the root certificate"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The CA file holds an intermediate certificate of this chain but not the root it "
                "was issued "
                "by; libpq does not accept partial chains."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Add the root CA to %1 (for RDS: the global or regional bundle holds the roots).")
                .arg(file) };
    if (code == QLatin1String("self-signed"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "self-signed certificate not trusted"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server presents a self-signed certificate that %1 does not hold.")
                .arg(file),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Put that certificate (or the CA that issued it) into the CA file, or use a "
                "certificate "
                "from a real CA.") };
    if (code == QLatin1String("bad-signature"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "a certificate signature does not verify"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A certificate's signature does not verify: it was altered, or its issuer is an "
                "impostor "
                "with the same name."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Treat this as an attack until explained.") };
    if (code == QLatin1String("unknown-ca")) {
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
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server's CA is not in your CA file"),
            expl, fix };
    }
    if (code == QLatin1String("untrusted"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the certificate chain did not verify"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The certificate chain did not verify."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    if (code == QLatin1String("host-mismatch-alias")) {
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
    if (code == QLatin1String("host-mismatch")) {
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
    if (code == QLatin1String("password-needed"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "a password is needed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server asks for a password and none was available (no PGPASSWORD, no matching "
                "~/.pgpass line, no saved password)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Enter the password when asked, or put it into ~/.pgpass (mode 0600).") };
    if (code == QLatin1String("password-failed"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "password authentication failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server rejected the user name or password (or, on RDS, an IAM token that "
                "expired)."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check user and password; for RDS IAM authentication generate a fresh token.") };
    if (code == QLatin1String("plaintext-refused"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server requires encryption"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server refuses unencrypted connections (rds.force_ssl=1, or pg_hba.conf has "
                "only "
                "hostssl lines for you), and sslmode=%1 did not use TLS.")
                .arg(sslModeName(e.sslmode)),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Use sslmode=verify-full with the CA bundle.") };
    if (code == QLatin1String("no-pg-hba-entry"))
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
    if (code == QLatin1String("pg-hba-reject"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "pg_hba.conf rejects this connection"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "A pg_hba.conf line explicitly rejects this client address, user and database."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Ask the DBA which connections the server admits.") };
    if (code == QLatin1String("role-missing"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the role does not exist"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "The user name is not a role on this server."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Check the user name.") };
    if (code == QLatin1String("database-missing"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the database does not exist"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "There is no database with this name on the server."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Check the database name (libpq's default is the user name).") };
    if (code == QLatin1String("sslmode-disable"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "sslmode=disable never uses TLS"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "With sslmode=disable libpq never asks for TLS, whatever the server offers: "
                "everything, the "
                "password exchange included, crosses the network unencrypted."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Use sslmode=verify-full with the CA bundle.") };
    if (code == QLatin1String("invalid-option"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "invalid connection option"),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "A connection option has a value libpq does not accept."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    if (code == QLatin1String("allow-tries-plaintext"))
        return {
            QCoreApplication::translate("pgtls::ProblemCatalog", "allow tries plaintext first"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=allow connects without TLS whenever the server accepts that, and uses TLS "
                "only when "
                "the server insists."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Use sslmode=verify-full."), warn
        };
    if (code == QLatin1String("prefer-falls-back"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "prefer falls back to plaintext"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "sslmode=prefer uses TLS when the server offers it, but an attacker who refuses TLS, "
                "or whose certificate fails verification, gets a plaintext connection: libpq then "
                "retries without TLS, and the password and every query cross the network in clear."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Use sslmode=verify-full."), warn };
    if (code == QLatin1String("session-failed"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "the connection failed"),
            QCoreApplication::translate("pgtls::ProblemCatalog", "libpq could not connect."),
            QCoreApplication::translate("pgtls::ProblemCatalog", "See the detail.") };
    // Warnings
    if (code == QLatin1String("server-not-authenticated"))
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
    if (code == QLatin1String("host-not-checked"))
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
    if (code == QLatin1String("cert-expires-soon")) {
        const qint64 days = r.probe.chain.isEmpty() ? 0 : r.now.daysTo(r.probe.chain.first().notAfter);
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server certificate expires soon"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The server certificate expires in %n day(s).", nullptr, int(days)),
            QCoreApplication::translate("pgtls::ProblemCatalog", "Renew or rotate it before then."),
            warn };
    }
    if (code == QLatin1String("not-encrypted"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "not encrypted"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The connection does not use TLS: anyone on the path can read and change the "
                "traffic, "
                "passwords of weak authentication methods included."),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "Use sslmode=verify-full (and make the server require TLS: rds.force_ssl=1)."),
            warn };
    if (code == QLatin1String("plaintext-accepted"))
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
    if (code == QLatin1String("tls-terminated-by-proxy"))
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
    if (code == QLatin1String("tls-parameters-differ"))
        return { QCoreApplication::translate(
                     "pgtls::ProblemCatalog", "the server sees a different TLS session"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "The protocol or cipher libpq negotiated differs from what the server reports for "
                "this session: "
                "something in between re-encrypts the traffic."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Check the proxy or pooler between you and the server."),
            warn };
    if (code == QLatin1String("sslinfo-missing"))
        return { QCoreApplication::translate("pgtls::ProblemCatalog", "sslinfo is not installed"),
            QCoreApplication::translate("pgtls::ProblemCatalog",
                "ssl_is_used() comes from the sslinfo extension, which this database does not "
                "have; "
                "pg_stat_ssl answered instead."),
            QCoreApplication::translate(
                "pgtls::ProblemCatalog", "Optional: CREATE EXTENSION sslinfo; (allowed on RDS)."),
            warn };
    // --- issue 11 rootfile codes ---
    if (code == QLatin1String("root-cert-named-missing"))
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
    if (code == QLatin1String("root-cert-named-missing-unverified"))
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
    if (code == QLatin1String("root-cert-unusable")) {
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
    if (code == QLatin1String("prefer-retries-plaintext"))
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
    if (code == QLatin1String("allow-tls-would-fail"))
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
    // --- end rootfile codes ---
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
    case X509_V_ERR_CERT_HAS_EXPIRED: return QStringLiteral("cert-expired");
    case X509_V_ERR_CERT_NOT_YET_VALID: return QStringLiteral("cert-not-yet-valid");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: return QStringLiteral("ca-file-incomplete");
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return QStringLiteral("self-signed");
    case X509_V_ERR_CERT_SIGNATURE_FAILURE: return QStringLiteral("bad-signature");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return QStringLiteral("unknown-ca");
    case 0: return QStringLiteral("root-cert-unreadable");
    default: return QStringLiteral("untrusted");
    }
}

QString ProblemCatalog::hostMismatchCode(const InspectionReport &r)
{
    if (!firstRdsName(r).isEmpty() && rdsRegionOf(r.endpoint.host).isEmpty() && !r.endpoint.host.isEmpty())
        return QStringLiteral("host-mismatch-alias");
    return QStringLiteral("host-mismatch");
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
    return { QStringLiteral("timeout"), QStringLiteral("connection-refused"), QStringLiteral("connection-failed"),
             QStringLiteral("dns-failure"), QStringLiteral("not-postgres"), QStringLiteral("ssl-not-supported"),
             QStringLiteral("unix-socket"), QStringLiteral("unencrypted-data-after-ssl-response"),
             QStringLiteral("tls-handshake-failed"), QStringLiteral("cancelled"), QStringLiteral("root-cert-missing"),
             QStringLiteral("root-cert-unreadable"), QStringLiteral("cert-expired"), QStringLiteral("cert-not-yet-valid"),
             QStringLiteral("ca-file-incomplete"), QStringLiteral("self-signed"), QStringLiteral("bad-signature"),
             QStringLiteral("unknown-ca"), QStringLiteral("untrusted"), QStringLiteral("host-mismatch-alias"),
             QStringLiteral("host-mismatch"), QStringLiteral("password-needed"), QStringLiteral("password-failed"),
             QStringLiteral("plaintext-refused"), QStringLiteral("no-pg-hba-entry"), QStringLiteral("pg-hba-reject"),
             QStringLiteral("role-missing"), QStringLiteral("database-missing"), QStringLiteral("session-failed"),
             QStringLiteral("sslmode-disable"), QStringLiteral("invalid-option"), QStringLiteral("allow-tries-plaintext"),
             QStringLiteral("server-not-authenticated"), QStringLiteral("host-not-checked"),
             QStringLiteral("cert-expires-soon"), QStringLiteral("not-encrypted"), QStringLiteral("plaintext-accepted"),
             QStringLiteral("tls-terminated-by-proxy"), QStringLiteral("tls-parameters-differ"),
             QStringLiteral("sslinfo-missing"), QStringLiteral("server-flood"),
             QStringLiteral("channel-binding-unavailable"), QStringLiteral("server-view-incomplete"),
             QStringLiteral("client-file-unsafe"), QStringLiteral("prefer-falls-back"),
             // --- issue 11 rootfile codes ---
             QStringLiteral("root-cert-named-missing"),
             QStringLiteral("root-cert-named-missing-unverified"),
             QStringLiteral("root-cert-unusable"), QStringLiteral("prefer-retries-plaintext"),
             QStringLiteral("allow-tls-would-fail"),
             // --- end rootfile codes ---
    };
}

} // namespace pgtls
