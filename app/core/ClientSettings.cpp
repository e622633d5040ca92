// SPDX-License-Identifier: MIT
#include "ClientSettings.h"

#include "ProblemCatalog.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QUrl>

namespace pgtls {

namespace {

const QLatin1String kAliasCode("host-mismatch-alias");

// The certificate's RDS endpoint name (SANs first, the CN when there are none), as the problem
// catalogue names it in the alias explanation; wildcards are skipped (not a host to connect to).
QString rdsNameOfCertificate(const InspectionReport &r)
{
    if (r.probe.chain.isEmpty())
        return {};
    const CertificateInfo &leaf = r.probe.chain.first();
    QStringList names = leaf.sanDns;
    if (names.isEmpty() && leaf.sanIp.isEmpty() && !leaf.subjectCommonName.isEmpty())
        names << leaf.subjectCommonName;
    for (const QString &n : std::as_const(names)) {
        if (!n.startsWith(QLatin1Char('*')) && !ProblemCatalog::rdsRegionOf(n).isEmpty())
            return n;
    }
    return {};
}

bool reportShowsAlias(const InspectionReport &r)
{
    for (const Problem &p : r.problems) {
        if (p.code == kAliasCode)
            return true;
    }
    return r.probe.hostMatch && !r.probe.hostMatch->matched
        && ProblemCatalog::hostMismatchCode(r) == kAliasCode;
}

bool isIpAddress(const QString &host)
{
    return !QHostAddress(host).isNull();
}

// Inside a POSIX sh double-quoted string.
QString shellDoubleQuoted(const QString &value)
{
    QString out;
    for (const QChar c : value) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\') || c == QLatin1Char('$')
            || c == QLatin1Char('`'))
            out += QLatin1Char('\\');
        out += c;
    }
    return QLatin1Char('"') + out + QLatin1Char('"');
}

// A query or userinfo component; '/' kept for readable paths, '+' encoded (Java's URLDecoder
// turns it into a space).
QString urlComponent(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value, "/"));
}

QString urlHost(const QString &host)
{
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

// Npgsql (DbConnectionStringBuilder) value quoting.
QString npgsqlValue(const QString &value)
{
    if (!value.contains(QLatin1Char(';')) && !value.contains(QLatin1Char('"'))
        && !value.contains(QLatin1Char('\'')) && !value.contains(QLatin1Char('='))
        && value.trimmed() == value && !value.isEmpty())
        return value;
    QString q = value;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString escapeCommon(const QString &value, QChar quote)
{
    QString out;
    for (const QChar c : value) {
        if (c == QLatin1Char('\\') || c == quote) {
            out += QLatin1Char('\\');
            out += c;
        } else if (c == QLatin1Char('\n')) {
            out += QLatin1String("\\n");
        } else if (c == QLatin1Char('\r')) {
            out += QLatin1String("\\r");
        } else if (c == QLatin1Char('\t')) {
            out += QLatin1String("\\t");
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    return quote + out + quote;
}

} // namespace

QStringList ClientSettings::ids()
{
    return { QStringLiteral("psql"), QStringLiteral("env"), QStringLiteral("jdbc"),
        QStringLiteral("pgx"), QStringLiteral("psycopg"), QStringLiteral("node"),
        QStringLiteral("npgsql") };
}

const ClientSnippet *ClientSettings::snippet(const QString &id) const
{
    for (const ClientSnippet &s : snippets) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

QString ClientSettings::conninfoValue(const QString &value)
{
    if (!value.isEmpty() && !value.contains(QLatin1Char(' ')) && !value.contains(QLatin1Char('\''))
        && !value.contains(QLatin1Char('\\')) && !value.contains(QLatin1Char('\t'))
        && !value.contains(QLatin1Char('=')))
        return value;
    QString q = value;
    q.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    q.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString ClientSettings::shellWord(const QString &value)
{
    static const QString safe = QStringLiteral(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:@%+,=");
    bool plain = !value.isEmpty();
    for (const QChar c : value) {
        if (!safe.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return value;
    QString q = value;
    q.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString ClientSettings::cStyleString(const QString &value)
{
    return escapeCommon(value, QLatin1Char('"'));
}

QString ClientSettings::jsString(const QString &value)
{
    return escapeCommon(value, QLatin1Char('\''));
}

ClientSettings ClientSettings::forReport(const InspectionReport &report)
{
    const Endpoint &ep = report.endpoint;
    ClientSettings s;
    s.reportedHost = ep.host;
    s.host = ep.host;
    s.hostaddr = ep.hostaddr;
    s.port = ep.port > 0 ? ep.port : 5432;
    s.user = ep.user.isEmpty() ? QStringLiteral("<user>") : ep.user;
    s.dbname = ep.dbname.isEmpty() ? s.user : ep.dbname;

    if (reportShowsAlias(report)) {
        const QString rdsName = rdsNameOfCertificate(report);
        if (!rdsName.isEmpty()) {
            s.host = rdsName;
            s.hostFromCertificate = true;
            s.notes << tr(
                "You inspected %1, an alias of the RDS endpoint %2: verify-full checks the "
                "name you connect to, and the certificate only names %2. These settings "
                "use %2.")
                           .arg(ep.host, rdsName);
            if (!ep.hostaddr.isEmpty())
                s.notes << tr("hostaddr=%1 is kept for libpq-based clients (psql, psycopg): they "
                              "connect there and still check the certificate against %2.")
                               .arg(ep.hostaddr, rdsName);
            else
                s.notes << tr("To keep reaching the server through the alias's address, libpq "
                              "clients can add hostaddr=<its IP>: the certificate is still checked "
                              "against %1.")
                               .arg(rdsName);
        }
    }
    if (s.host.isEmpty())
        s.host = QStringLiteral("<host>");

    QString file = report.rootCert.path;
    if (file.isEmpty())
        file = ep.sslrootcert;
    if (file.isEmpty()) {
        s.rootCert = QStringLiteral("/path/to/global-bundle.pem");
        s.notes << tr("No CA bundle is known (no home directory and no sslrootcert): replace "
                      "/path/to/global-bundle.pem with the file of your server's CA (for RDS, the "
                      "global bundle).");
    } else {
        s.rootCert = QFileInfo(file).absoluteFilePath();
        s.rootCertKnown = true;
        if (!QFileInfo::exists(s.rootCert))
            s.notes << tr("%1 does not exist: download or choose the CA bundle first, or every "
                          "client below fails to verify the server.")
                           .arg(s.rootCert);
    }
    if (report.probe.trust.attempted && !report.probe.trust.trusted && s.rootCertKnown)
        s.notes << tr("In this report the server's chain did not verify against %1: with this "
                      "file the settings below fail until you use the bundle of the server's CA.")
                       .arg(s.rootCert);
    if (report.probe.hostMatch && !report.probe.hostMatch->matched && !s.hostFromCertificate)
        s.notes << tr("In this report the certificate does not name %1: verify-full fails until "
                      "you connect with a name the certificate carries (see the Host name view).")
                       .arg(s.host);
    s.notes << tr("No snippet holds a password: libpq-based clients read ~/.pgpass (chmod 0600) "
                  "or PGPASSWORD; give the others the password from a secret store at run time.");

    const QString host = s.host;
    const QString port = QString::number(s.port);
    const QString ca = s.rootCert;
    const bool ipHost = isIpAddress(host);

    // --- libpq conninfo ---
    QStringList kv;
    kv << QStringLiteral("host=") + conninfoValue(host);
    if (!s.hostaddr.isEmpty())
        kv << QStringLiteral("hostaddr=") + conninfoValue(s.hostaddr);
    kv << QStringLiteral("port=") + port << QStringLiteral("dbname=") + conninfoValue(s.dbname)
       << QStringLiteral("user=") + conninfoValue(s.user) << QStringLiteral("sslmode=verify-full")
       << QStringLiteral("sslrootcert=") + conninfoValue(ca);
    const QString conninfo = kv.join(QLatin1Char(' '));

    {
        ClientSnippet c;
        c.id = QStringLiteral("psql");
        c.title = tr("psql / libpq connection string");
        c.text = QStringLiteral("psql ") + shellDoubleQuoted(conninfo) + QLatin1Char('\n');
        c.note = tr("Any libpq client (psql, pg_dump, pgbench) takes the same string. libpq "
                    "defaults to sslmode=prefer, which verifies nothing: always say verify-full. "
                    "Password: ~/.pgpass (host:port:dbname:user:password, chmod 0600) or "
                    "PGPASSWORD, never in the string.");
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("env");
        c.title = tr("libpq environment variables");
        QString t;
        auto line = [&t](const char *name, const QString &value) {
            t += QStringLiteral("export %1=%2\n").arg(QLatin1String(name), shellWord(value));
        };
        line("PGHOST", host);
        if (!s.hostaddr.isEmpty())
            line("PGHOSTADDR", s.hostaddr);
        line("PGPORT", port);
        line("PGDATABASE", s.dbname);
        line("PGUSER", s.user);
        line("PGSSLMODE", QStringLiteral("verify-full"));
        line("PGSSLROOTCERT", ca);
        t += QStringLiteral("psql\n");
        c.text = t;
        c.note = tr("libpq-based clients (psql, psycopg) and pgx read these."
                    " Prefer ~/.pgpass to PGPASSWORD: the environment of a process is "
                    "visible to other tools.");
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("jdbc");
        c.title = tr("pgJDBC (Java)");
        const QString url
            = QStringLiteral("jdbc:postgresql://%1:%2/%3?sslmode=verify-full&sslrootcert=%4")
                  .arg(urlHost(host), port, urlComponent(s.dbname), urlComponent(ca));
        QString t = url + QStringLiteral("\n\n");
        t += QStringLiteral("Properties props = new Properties();\n");
        t += QStringLiteral("props.setProperty(\"user\", %1);\n").arg(cStyleString(s.user));
        t += QStringLiteral("// from a secret store at run time, never in the URL or the code\n");
        t += QStringLiteral("props.setProperty(\"password\", System.getenv(\"PGPASSWORD\"));\n");
        t += QStringLiteral("Connection conn = DriverManager.getConnection(\n    %1, props);\n")
                 .arg(cStyleString(url));
        c.text = t;
        c.note = tr("pgJDBC (42.2.5 and later) reads the PEM file named by sslrootcert directly, "
                    "every certificate of the bundle included: no keytool needed. Do not import "
                    "the bundle with keytool: it imports only the first certificate of a PEM "
                    "bundle, so the truststore trusts one CA and fails for the others (\"works in "
                    "psql, fails in JDBC\"). Never use "
                    "sslfactory=org.postgresql.ssl.NonValidatingFactory: it verifies nothing.");
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("pgx");
        c.title = tr("Go pgx");
        QString userInfo = QString::fromLatin1(QUrl::toPercentEncoding(s.user));
        const QString baseUrl = QStringLiteral("postgres://%1@%2:%3/%4")
                                    .arg(userInfo, urlHost(host), port, urlComponent(s.dbname));
        const QString urlWithCa
            = baseUrl + QStringLiteral("?sslmode=verify-full&sslrootcert=") + urlComponent(ca);
        QString t;
        t += QStringLiteral("// The connection string (password from PGPASSWORD or ~/.pgpass)\n");
        t += QStringLiteral("conn, err := pgx.Connect(ctx,\n    %1)\n\n")
                 .arg(cStyleString(urlWithCa));
        t += QStringLiteral("// Or an explicit tls.Config\n");
        t += QStringLiteral("pemBytes, err := os.ReadFile(%1)\n").arg(cStyleString(ca));
        t += QStringLiteral("if err != nil {\n    return err\n}\n");
        t += QStringLiteral("pool := x509.NewCertPool()\n");
        t += QStringLiteral("if !pool.AppendCertsFromPEM(pemBytes) {\n");
        t += QStringLiteral("    return errors.New(%1)\n}\n")
                 .arg(cStyleString(QStringLiteral("no CA certificate in ") + ca));
        t += QStringLiteral("cfg, err := pgx.ParseConfig(%1)\n")
                 .arg(cStyleString(baseUrl + QStringLiteral("?sslmode=verify-full")));
        t += QStringLiteral("if err != nil {\n    return err\n}\n");
        t += QStringLiteral("cfg.TLSConfig = &tls.Config{\n");
        t += QStringLiteral("    RootCAs:    pool,\n");
        t += QStringLiteral("    ServerName: %1,\n").arg(cStyleString(host));
        t += QStringLiteral("    MinVersion: tls.VersionTLS12,\n}\n");
        t += QStringLiteral("conn, err := pgx.ConnectConfig(ctx, cfg)\n");
        c.text = t;
        c.note = tr("With a tls.Config, ServerName is the name the certificate is checked "
                    "against: keep it %1 even when you dial another address. Never set "
                    "InsecureSkipVerify.")
                     .arg(host);
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("psycopg");
        c.title = tr("psycopg (Python)");
        QString t;
        t += QStringLiteral(
            "import psycopg  # psycopg 3; psycopg2.connect takes the same arguments\n\n");
        t += QStringLiteral("conn = psycopg.connect(%1)\n\n").arg(cStyleString(conninfo));
        t += QStringLiteral("# or keyword arguments\n");
        t += QStringLiteral("conn = psycopg.connect(\n");
        t += QStringLiteral("    host=%1,\n").arg(cStyleString(host));
        if (!s.hostaddr.isEmpty())
            t += QStringLiteral("    hostaddr=%1,\n").arg(cStyleString(s.hostaddr));
        t += QStringLiteral("    port=%1,\n").arg(port);
        t += QStringLiteral("    dbname=%1,\n").arg(cStyleString(s.dbname));
        t += QStringLiteral("    user=%1,\n").arg(cStyleString(s.user));
        t += QStringLiteral("    sslmode=\"verify-full\",\n");
        t += QStringLiteral("    sslrootcert=%1,\n").arg(cStyleString(ca));
        t += QStringLiteral(")  # password: libpq reads ~/.pgpass or PGPASSWORD\n");
        c.text = t;
        c.note = tr("psycopg uses libpq: the same rules as psql, including its unsafe default "
                    "sslmode=prefer when sslmode is left out.");
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("node");
        c.title = tr("node-postgres (pg)");
        QString t;
        t += QStringLiteral("const fs = require('fs');\n");
        t += QStringLiteral("const { Client } = require('pg');\n\n");
        t += QStringLiteral("const client = new Client({\n");
        t += QStringLiteral("  host: %1,\n").arg(jsString(host));
        t += QStringLiteral("  port: %1,\n").arg(port);
        t += QStringLiteral("  database: %1,\n").arg(jsString(s.dbname));
        t += QStringLiteral("  user: %1,\n").arg(jsString(s.user));
        t += QStringLiteral("  // password: node-postgres reads PGPASSWORD; never hard-code it\n");
        t += QStringLiteral("  ssl: {\n");
        t += QStringLiteral("    ca: fs.readFileSync(%1).toString(),\n").arg(jsString(ca));
        t += QStringLiteral("    rejectUnauthorized: true,\n");
        if (!ipHost)
            t += QStringLiteral("    servername: %1,\n").arg(jsString(host));
        t += QStringLiteral("  },\n});\n");
        t += QStringLiteral("await client.connect();\n");
        c.text = t;
        c.note = tr("Give the ssl object, not sslmode in a connectionString: the string's ssl "
                    "parameters take precedence over it. rejectUnauthorized: false turns "
                    "verification off.");
        s.snippets << c;
    }
    {
        ClientSnippet c;
        c.id = QStringLiteral("npgsql");
        c.title = tr("Npgsql (.NET)");
        const QString cs = QStringLiteral("Host=%1;Port=%2;Database=%3;Username=%4;"
                                          "SSL Mode=VerifyFull;Root Certificate=%5")
                               .arg(npgsqlValue(host), port, npgsqlValue(s.dbname),
                                   npgsqlValue(s.user), npgsqlValue(ca));
        QString t = cs + QStringLiteral("\n\n");
        t += QStringLiteral(
            "// Password: from a secret store at run time (or Npgsql's passfile)\n");
        t += QStringLiteral("var builder = new NpgsqlConnectionStringBuilder(\n    %1);\n")
                 .arg(cStyleString(cs));
        t += QStringLiteral(
            "await using var conn = new NpgsqlConnection(builder.ConnectionString);\n");
        t += QStringLiteral("await conn.OpenAsync();\n");
        c.text = t;
        c.note = tr("SSL Mode=VerifyFull checks the CA and the host name; Root Certificate takes "
                    "the PEM bundle. Trust Server Certificate=true disables verification: never "
                    "combine it with this.");
        s.snippets << c;
    }
    return s;
}

} // namespace pgtls
