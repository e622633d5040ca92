// SPDX-License-Identifier: MIT
#include "ProblemCatalog.h"

#include "CaBundle.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <openssl/x509_vfy.h>

namespace pgtls {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("pgtls::ProblemCatalog", text, nullptr, n);
}

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
        return { tr("the server did not answer in time"),
                 tr("The server did not finish answering in time. A firewall or security group that drops "
                    "packets, a wrong port, or a server that accepts connections but never answers all look "
                    "like this."),
                 tr("Check the port and that this machine may reach it (for RDS: the security group's inbound "
                    "rule for port %1, and whether the instance is publicly accessible).")
                     .arg(e.port) };
    if (code == QLatin1String("connection-refused"))
        return { tr("connection refused"),
                 tr("Nothing listens on port %1 at that address, or a firewall actively refused the connection.")
                     .arg(e.port),
                 tr("Check host and port; is the server running and listening on this address "
                    "(listen_addresses)?") };
    if (code == QLatin1String("connection-failed"))
        return { tr("could not connect"), tr("The connection to the server failed."),
                 tr("See the detail; check host, port and the network path.") };
    if (code == QLatin1String("dns-failure"))
        return { tr("the host name does not resolve"), tr("The host name could not be resolved to an address."),
                 tr("Check the spelling of \"%1\"; private RDS endpoints resolve only inside their VPC (or "
                    "through its DNS resolver).")
                     .arg(host) };
    if (code == QLatin1String("not-postgres"))
        return { tr("not a PostgreSQL server"),
                 tr("Something answers on this port, but it is not PostgreSQL: it did not answer PostgreSQL's "
                    "request to start TLS."),
                 tr("Check the port number (PostgreSQL usually listens on 5432).") };
    if (code == QLatin1String("ssl-not-supported"))
        return { tr("the server does not offer TLS"),
                 tr("The server refused to start TLS (ssl=off, or a proxy in between without TLS). Every "
                    "connection to it is unencrypted; sslmode=prefer silently falls back to plaintext."),
                 tr("Turn on ssl on the server (RDS always supports TLS; check any proxy or pooler in between).") };
    if (code == QLatin1String("unix-socket"))
        return { tr("a Unix-domain socket has no TLS"), tr("TLS is only used over TCP."),
                 tr("Give a host name or IP address.") };
    if (code == QLatin1String("unencrypted-data-after-ssl-response"))
        return { tr("data injected before the TLS handshake"),
                 tr("Bytes arrived before the TLS handshake began: something on the path may be injecting data "
                    "(CVE-2021-23222). libpq refuses this connection."),
                 tr("Find out what sits between you and the server.") };
    if (code == QLatin1String("tls-handshake-failed"))
        return { tr("the TLS handshake failed"),
                 tr("The server accepted the request for TLS but the handshake failed."),
                 tr("Check the server's TLS settings (ssl_min_protocol_version, certificates) and any proxy in "
                    "between.") };
    if (code == QLatin1String("cancelled"))
        return { tr("cancelled"), tr("The inspection was cancelled."), QString() };
    if (code == QLatin1String("root-cert-missing"))
        return { tr("no CA file to verify the server with"),
                 tr("sslmode=%1 verifies the server against a CA file, and there is none at %2: libpq does not "
                    "even try to connect.")
                     .arg(sslModeName(e.sslmode), r.rootCert.path),
                 tr("Download the RDS CA bundle (or your CA's certificate) and pass it with sslrootcert=, or "
                    "save it as %1.")
                     .arg(r.rootCert.path) };
    if (code == QLatin1String("root-cert-unreadable"))
        return { tr("the CA file cannot be used"),
                 tr("%1 is not a readable file of PEM certificates, so libpq cannot verify anything.").arg(file),
                 tr("Give a readable PEM file of CA certificates (for RDS: the global bundle).") };
    if (code == QLatin1String("cert-expired"))
        return { tr("a certificate has expired"),
                 tr("A certificate of the server's chain has expired, so libpq refuses it under verify-ca and "
                    "verify-full."),
                 tr("Renew the server certificate (on RDS: rotate the instance to a current CA, e.g. "
                    "rds-ca-rsa2048-g1).") };
    if (code == QLatin1String("cert-not-yet-valid"))
        return { tr("a certificate is not valid yet"),
                 tr("A certificate of the chain is not valid yet: either it was issued for the future, or this "
                    "machine's clock is wrong."),
                 tr("Check this machine's date and time.") };
    if (code == QLatin1String("ca-file-incomplete"))
        return { tr("the CA file lacks the root certificate"),
                 tr("The CA file holds an intermediate certificate of this chain but not the root it was issued "
                    "by; libpq does not accept partial chains."),
                 tr("Add the root CA to %1 (for RDS: the global or regional bundle holds the roots).").arg(file) };
    if (code == QLatin1String("self-signed"))
        return { tr("self-signed certificate not trusted"),
                 tr("The server presents a self-signed certificate that %1 does not hold.").arg(file),
                 tr("Put that certificate (or the CA that issued it) into the CA file, or use a certificate "
                    "from a real CA.") };
    if (code == QLatin1String("bad-signature"))
        return { tr("a certificate signature does not verify"),
                 tr("A certificate's signature does not verify: it was altered, or its issuer is an impostor "
                    "with the same name."),
                 tr("Treat this as an attack until explained.") };
    if (code == QLatin1String("unknown-ca")) {
        const QString issuer = r.probe.chain.isEmpty() ? QString() : r.probe.chain.last().issuer;
        QString expl = issuer.isEmpty()
            ? tr("No certificate in %1 vouches for the server's certificate.").arg(file)
            : tr("No certificate in %1 vouches for the server's chain (issued by \"%2\").").arg(file, issuer);
        QString fix;
        if (!file.isEmpty() && CaBundle::load(file).holdsOnlyRetiredRdsCas()) {
            expl += QLatin1Char(' ')
                + tr("The file holds only retired Amazon RDS CAs (rds-ca-2019 expired on 2024-08-22, "
                     "rds-ca-2015 in 2020): this is the old combined bundle.");
            fix = tr("Replace it with the current RDS global bundle (global-bundle.pem).");
        } else if (issuer.contains(QLatin1String("Amazon RDS"))) {
            expl += QLatin1Char(' ') + tr("The chain comes from an Amazon RDS CA: the bundle is stale or for another region.");
        }
        if (fix.isEmpty()) {
            fix = region.isEmpty() ? tr("Use the CA bundle of the CA that issued the server's certificate.")
                                   : tr("Use the RDS global bundle, or the %1 regional bundle.").arg(region);
        }
        return { tr("the server's CA is not in your CA file"), expl, fix };
    }
    if (code == QLatin1String("untrusted"))
        return { tr("the certificate chain did not verify"), tr("The certificate chain did not verify."),
                 tr("See the detail.") };
    if (code == QLatin1String("host-mismatch-alias")) {
        const QString rdsName = firstRdsName(r);
        return { tr("host name does not match the certificate"),
                 tr("The certificate is for %1 but you connected to %2, an alias (a Route 53 CNAME, an internal "
                    "DNS name or a load balancer). libpq checks the name you typed, not where it points.")
                     .arg(rdsName, e.host),
                 tr("Connect to the RDS endpoint name %1 (use hostaddr to route elsewhere if you must), or accept "
                    "sslmode=verify-ca knowingly: then any certificate from that CA passes.")
                     .arg(rdsName) };
    }
    if (code == QLatin1String("host-mismatch")) {
        const QStringList names = certificateNames(r);
        return { tr("host name does not match the certificate"),
                 e.host.isEmpty()
                     ? tr("verify-full compares the certificate with the host name, and none was given (hostaddr "
                          "is never checked).")
                     : tr("The server's certificate does not name the host you connected to (%1), so it may "
                          "belong to another server.")
                           .arg(e.host),
                 names.isEmpty() ? tr("Give the host name the certificate was issued for.")
                                 : tr("Connect using a name in the certificate: %1.").arg(names.join(QStringLiteral(", "))) };
    }
    if (code == QLatin1String("password-needed"))
        return { tr("a password is needed"),
                 tr("The server asks for a password and none was available (no PGPASSWORD, no matching "
                    "~/.pgpass line, no saved password)."),
                 tr("Enter the password when asked, or put it into ~/.pgpass (mode 0600).") };
    if (code == QLatin1String("password-failed"))
        return { tr("password authentication failed"),
                 tr("The server rejected the user name or password (or, on RDS, an IAM token that expired)."),
                 tr("Check user and password; for RDS IAM authentication generate a fresh token.") };
    if (code == QLatin1String("plaintext-refused"))
        return { tr("the server requires encryption"),
                 tr("The server refuses unencrypted connections (rds.force_ssl=1, or pg_hba.conf has only "
                    "hostssl lines for you), and sslmode=%1 did not use TLS.")
                     .arg(sslModeName(e.sslmode)),
                 tr("Use sslmode=verify-full with the CA bundle.") };
    if (code == QLatin1String("no-pg-hba-entry"))
        return { tr("no pg_hba.conf entry allows this connection"),
                 tr("The server has no pg_hba.conf line for this client address, user and database (over this "
                    "transport)."),
                 tr("Ask the DBA for a pg_hba.conf entry, or check user and database names (on RDS this usually "
                    "means a wrong user or database, or rds.force_ssl with a plaintext attempt).") };
    if (code == QLatin1String("pg-hba-reject"))
        return { tr("pg_hba.conf rejects this connection"),
                 tr("A pg_hba.conf line explicitly rejects this client address, user and database."),
                 tr("Ask the DBA which connections the server admits.") };
    if (code == QLatin1String("role-missing"))
        return { tr("the role does not exist"), tr("The user name is not a role on this server."),
                 tr("Check the user name.") };
    if (code == QLatin1String("database-missing"))
        return { tr("the database does not exist"), tr("There is no database with this name on the server."),
                 tr("Check the database name (libpq's default is the user name).") };
    if (code == QLatin1String("sslmode-disable"))
        return { tr("sslmode=disable never uses TLS"),
                 tr("With sslmode=disable libpq never asks for TLS, whatever the server offers: everything, the "
                    "password exchange included, crosses the network unencrypted."),
                 tr("Use sslmode=verify-full with the CA bundle.") };
    if (code == QLatin1String("invalid-option"))
        return { tr("invalid connection option"), tr("A connection option has a value libpq does not accept."),
                 tr("See the detail.") };
    if (code == QLatin1String("allow-tries-plaintext"))
        return { tr("allow tries plaintext first"),
                 tr("sslmode=allow connects without TLS whenever the server accepts that, and uses TLS only when "
                    "the server insists."),
                 tr("Use sslmode=verify-full."), warn };
    if (code == QLatin1String("session-failed"))
        return { tr("the connection failed"), tr("libpq could not connect."), tr("See the detail.") };
    // Warnings
    if (code == QLatin1String("server-not-authenticated"))
        return { tr("the server is not authenticated"),
                 tr("sslmode=%1 encrypts but does not check the server's certificate: a man in the middle can "
                    "present any certificate and read or change the traffic.")
                     .arg(sslModeName(e.sslmode)),
                 tr("Use sslmode=verify-full with sslrootcert pointing at the CA bundle."), warn };
    if (code == QLatin1String("host-not-checked"))
        return { tr("the host name is not checked"),
                 tr("verify-ca checks that a trusted CA issued the certificate, not for which host: any server "
                    "with a certificate from that CA (for RDS: any RDS instance using it) passes."),
                 tr("Use sslmode=verify-full."), warn };
    if (code == QLatin1String("cert-expires-soon")) {
        const qint64 days = r.probe.chain.isEmpty() ? 0 : r.now.daysTo(r.probe.chain.first().notAfter);
        return { tr("the server certificate expires soon"),
                 tr("The server certificate expires in %n day(s).", int(days)),
                 tr("Renew or rotate it before then."), warn };
    }
    if (code == QLatin1String("not-encrypted"))
        return { tr("not encrypted"),
                 tr("The connection does not use TLS: anyone on the path can read and change the traffic, "
                    "passwords of weak authentication methods included."),
                 tr("Use sslmode=verify-full (and make the server require TLS: rds.force_ssl=1)."), warn };
    if (code == QLatin1String("plaintext-accepted"))
        return { tr("the server accepts unencrypted connections"),
                 tr("A client with sslmode=disable, allow, or prefer (libpq's default) facing an attacker who "
                    "blocks TLS will connect without encryption."),
                 tr("On RDS set rds.force_ssl=1 in the DB parameter group (the default from PostgreSQL 15); "
                    "elsewhere use hostssl lines only in pg_hba.conf."),
                 warn };
    if (code == QLatin1String("tls-terminated-by-proxy"))
        return { tr("TLS ends at a proxy, not at the server"),
                 tr("libpq used TLS, but the server says this session is not encrypted: a pooler or proxy "
                    "(PgBouncer, RDS Proxy, a load balancer) terminates TLS and talks to the server in plaintext."),
                 tr("Check the proxy's server-side TLS settings (e.g. PgBouncer's server_tls_sslmode)."), warn };
    if (code == QLatin1String("tls-parameters-differ"))
        return { tr("the server sees a different TLS session"),
                 tr("The protocol or cipher libpq negotiated differs from what the server reports for this session: "
                    "something in between re-encrypts the traffic."),
                 tr("Check the proxy or pooler between you and the server."), warn };
    if (code == QLatin1String("sslinfo-missing"))
        return { tr("sslinfo is not installed"),
                 tr("ssl_is_used() comes from the sslinfo extension, which this database does not have; "
                    "pg_stat_ssl answered instead."),
                 tr("Optional: CREATE EXTENSION sslinfo; (allowed on RDS)."), warn };
    return { tr("problem"), tr("See the detail."), QString() };
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
             QStringLiteral("sslinfo-missing") };
}

} // namespace pgtls
