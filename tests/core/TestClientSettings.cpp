// SPDX-License-Identifier: MIT
// ClientSettings: the copy-ready verified settings for every client, from a report.
#include "ClientSettings.h"

#include <QDir>
#include <QtTest>

using namespace pgtls;

namespace {

const QString kRdsName = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");

InspectionReport makeReport(const QString &host, const QString &rootCert)
{
    InspectionReport r;
    r.endpoint.host = host;
    r.endpoint.port = 5433;
    r.endpoint.dbname = QStringLiteral("appdb");
    r.endpoint.user = QStringLiteral("app_user");
    r.endpoint.sslmode = SslMode::Prefer; // the settings recommend verify-full whatever was used
    r.endpoint.sslrootcert = rootCert;
    r.rootCert.path = rootCert;
    r.rootCert.exists = true;
    r.probe.outcome = ProbeResult::Outcome::TlsEstablished;
    CertificateInfo leaf;
    leaf.subjectCommonName = kRdsName;
    leaf.sanDns = { kRdsName };
    r.probe.chain = { leaf };
    r.probe.trust.attempted = true;
    r.probe.trust.trusted = true;
    HostMatch m;
    m.checkedName = host;
    m.matched = host == kRdsName;
    r.probe.hostMatch = m;
    return r;
}

InspectionReport aliasReport()
{
    InspectionReport r
        = makeReport(QStringLiteral("db.example.com"), QStringLiteral("/etc/ca/global-bundle.pem"));
    Problem p;
    p.code = QStringLiteral("host-mismatch-alias");
    r.problems << p;
    return r;
}

QString allText(const ClientSettings &s)
{
    QString t;
    for (const ClientSnippet &c : s.snippets)
        t += c.text + QLatin1Char('\n');
    return t;
}

} // namespace

class TestClientSettings : public QObject
{
    Q_OBJECT
private slots:
    void everyClientHasAVerifiedSnippet_data();
    void everyClientHasAVerifiedSnippet();
    void pathsWithSpacesAndQuotesAreQuoted_data();
    void pathsWithSpacesAndQuotesAreQuoted();
    void noSnippetEverHoldsAPassword();
    void aliasUsesTheCertificatesRdsName();
    void matchingHostIsKept();
    void relativeCaPathBecomesAbsolute();
    void noCaFileGivesAPlaceholderAndANote();
    void quotingHelpers_data();
    void quotingHelpers();
};

void TestClientSettings::everyClientHasAVerifiedSnippet_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("expected");
    const QString ca = QStringLiteral("/etc/ca/global-bundle.pem");
    QTest::newRow("psql gets a verify-full conninfo with the CA file")
        << QStringLiteral("psql")
        << QStringList { QStringLiteral("psql \"host=") + kRdsName, QStringLiteral("port=5433"),
               QStringLiteral("dbname=appdb"), QStringLiteral("user=app_user"),
               QStringLiteral("sslmode=verify-full"), QStringLiteral("sslrootcert=") + ca };
    QTest::newRow("the environment sets PGSSLMODE and PGSSLROOTCERT")
        << QStringLiteral("env")
        << QStringList { QStringLiteral("export PGHOST=") + kRdsName,
               QStringLiteral("export PGPORT=5433"), QStringLiteral("export PGSSLMODE=verify-full"),
               QStringLiteral("export PGSSLROOTCERT=") + ca };
    QTest::newRow("pgJDBC gets a URL with sslmode and sslrootcert")
        << QStringLiteral("jdbc")
        << QStringList { QStringLiteral("jdbc:postgresql://") + kRdsName
                   + QStringLiteral(":5433/appdb?sslmode=verify-full&sslrootcert=") + ca,
               QStringLiteral("props.setProperty(\"user\", \"app_user\")") };
    QTest::newRow("pgx gets a URL and a tls.Config with RootCAs and ServerName")
        << QStringLiteral("pgx")
        << QStringList { QStringLiteral("postgres://app_user@") + kRdsName
                   + QStringLiteral(":5433/appdb?sslmode=verify-full&sslrootcert=") + ca,
               QStringLiteral("os.ReadFile(\"") + ca + QStringLiteral("\")"),
               QStringLiteral("RootCAs:    pool"),
               QStringLiteral("ServerName: \"") + kRdsName + QStringLiteral("\""),
               QStringLiteral("AppendCertsFromPEM") };
    QTest::newRow("psycopg gets a conninfo and keyword arguments")
        << QStringLiteral("psycopg")
        << QStringList { QStringLiteral("psycopg.connect(\"host=") + kRdsName,
               QStringLiteral("sslmode=\"verify-full\""),
               QStringLiteral("sslrootcert=\"") + ca + QStringLiteral("\"") };
    QTest::newRow("node-postgres reads the CA file and rejects unauthorized servers")
        << QStringLiteral("node")
        << QStringList { QStringLiteral("ca: fs.readFileSync('") + ca + QStringLiteral("')"),
               QStringLiteral("rejectUnauthorized: true"),
               QStringLiteral("servername: '") + kRdsName + QStringLiteral("'") };
    QTest::newRow("Npgsql uses VerifyFull and the root certificate")
        << QStringLiteral("npgsql")
        << QStringList { QStringLiteral("Host=") + kRdsName
               + QStringLiteral(";Port=5433;Database=appdb;"
                                "Username=app_user;SSL Mode=VerifyFull;"
                                "Root Certificate=")
               + ca };
}

void TestClientSettings::everyClientHasAVerifiedSnippet()
{
    QFETCH(QString, id);
    QFETCH(QStringList, expected);
    const ClientSettings s = ClientSettings::forReport(
        makeReport(kRdsName, QStringLiteral("/etc/ca/global-bundle.pem")));
    QCOMPARE(s.snippets.size(), ClientSettings::ids().size());
    const ClientSnippet *c = s.snippet(id);
    QVERIFY(c);
    QVERIFY(!c->title.isEmpty());
    QVERIFY(!c->note.isEmpty());
    for (const QString &e : expected)
        QVERIFY2(c->text.contains(e), qPrintable(e + QStringLiteral("\n---\n") + c->text));
    QVERIFY(!c->text.contains(QLatin1String("prefer")));
}

void TestClientSettings::pathsWithSpacesAndQuotesAreQuoted_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("expected");
    QTest::newRow("libpq quotes the value, the shell double quotes the conninfo")
        << QStringLiteral("psql") << QStringLiteral("sslrootcert='/srv/my ca/it\\\\'s.pem'\"");
    QTest::newRow("the environment uses shell single quotes") << QStringLiteral(
        "env") << QStringLiteral("export PGSSLROOTCERT='/srv/my ca/it'\\''s.pem'");
    QTest::newRow("the JDBC URL percent-encodes the path")
        << QStringLiteral("jdbc") << QStringLiteral("sslrootcert=/srv/my%20ca/it%27s.pem");
    QTest::newRow("Go reads the path from a quoted string")
        << QStringLiteral("pgx") << QStringLiteral("os.ReadFile(\"/srv/my ca/it's.pem\")");
    QTest::newRow("Python keyword argument")
        << QStringLiteral("psycopg") << QStringLiteral("sslrootcert=\"/srv/my ca/it's.pem\"");
    QTest::newRow("JavaScript escapes the single quote")
        << QStringLiteral("node") << QStringLiteral("fs.readFileSync('/srv/my ca/it\\'s.pem')");
    QTest::newRow("Npgsql double-quotes the value")
        << QStringLiteral("npgsql") << QStringLiteral("Root Certificate=\"/srv/my ca/it's.pem\"");
}

void TestClientSettings::pathsWithSpacesAndQuotesAreQuoted()
{
    QFETCH(QString, id);
    QFETCH(QString, expected);
    const ClientSettings s
        = ClientSettings::forReport(makeReport(kRdsName, QStringLiteral("/srv/my ca/it's.pem")));
    const ClientSnippet *c = s.snippet(id);
    QVERIFY(c);
    QVERIFY2(
        c->text.contains(expected), qPrintable(expected + QStringLiteral("\n---\n") + c->text));
}

void TestClientSettings::noSnippetEverHoldsAPassword()
{
    InspectionReport r = makeReport(kRdsName, QStringLiteral("/etc/ca/global-bundle.pem"));
    // Never put there by the engine; the settings must not copy it even if it were.
    r.endpoint.extraOptions.insert(QStringLiteral("password"), QStringLiteral("Sup3rSecret"));
    r.endpoint.extraOptions.insert(
        QStringLiteral("application_name"), QStringLiteral("Sup3rSecret"));
    const ClientSettings s = ClientSettings::forReport(r);
    const QString all = allText(s) + s.notes.join(QLatin1Char('\n'));
    QVERIFY(!all.contains(QLatin1String("Sup3rSecret")));
    for (const ClientSnippet &c : s.snippets) {
        QVERIFY2(
            !c.text.contains(QLatin1String("password="), Qt::CaseInsensitive), qPrintable(c.id));
        QVERIFY2(!c.text.contains(QLatin1String("Password=")), qPrintable(c.id));
    }
}

void TestClientSettings::aliasUsesTheCertificatesRdsName()
{
    const ClientSettings s = ClientSettings::forReport(aliasReport());
    QVERIFY(s.hostFromCertificate);
    QCOMPARE(s.host, kRdsName);
    QCOMPARE(s.reportedHost, QStringLiteral("db.example.com"));
    const QString all = allText(s);
    QVERIFY(!all.contains(QLatin1String("db.example.com")));
    QVERIFY(s.snippet(QStringLiteral("psql"))->text.contains(QStringLiteral("host=") + kRdsName));
    QVERIFY(s.snippet(QStringLiteral("pgx"))
                ->text.contains(QStringLiteral("ServerName: \"") + kRdsName));
    const QString notes = s.notes.join(QLatin1Char('\n'));
    QVERIFY(notes.contains(QLatin1String("db.example.com")));
    QVERIFY(notes.contains(kRdsName));
    QVERIFY(notes.contains(QLatin1String("alias")));
}

void TestClientSettings::matchingHostIsKept()
{
    const ClientSettings s = ClientSettings::forReport(
        makeReport(kRdsName, QStringLiteral("/etc/ca/global-bundle.pem")));
    QVERIFY(!s.hostFromCertificate);
    QCOMPARE(s.host, kRdsName);
    QVERIFY(!s.notes.join(QLatin1Char('\n')).contains(QLatin1String("alias")));
}

void TestClientSettings::relativeCaPathBecomesAbsolute()
{
    const ClientSettings s
        = ClientSettings::forReport(makeReport(kRdsName, QStringLiteral("certs/ca.pem")));
    QCOMPARE(s.rootCert, QDir::current().absoluteFilePath(QStringLiteral("certs/ca.pem")));
    QVERIFY(s.rootCertKnown);
    QVERIFY(s.snippet(QStringLiteral("env"))
                ->text.contains(QStringLiteral("PGSSLROOTCERT=") + s.rootCert));
}

void TestClientSettings::noCaFileGivesAPlaceholderAndANote()
{
    InspectionReport r = makeReport(kRdsName, QString());
    r.rootCert.path.clear();
    const ClientSettings s = ClientSettings::forReport(r);
    QVERIFY(!s.rootCertKnown);
    QVERIFY(s.snippet(QStringLiteral("psql"))
                ->text.contains(QLatin1String("sslrootcert=/path/to/global-bundle.pem")));
    QVERIFY(s.notes.join(QLatin1Char('\n')).contains(QLatin1String("/path/to/global-bundle.pem")));
}

void TestClientSettings::quotingHelpers_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a plain conninfo value stays bare")
        << QStringLiteral("conninfo") << QStringLiteral("/a/b.pem") << QStringLiteral("/a/b.pem");
    QTest::newRow("a conninfo value with a space is single-quoted")
        << QStringLiteral("conninfo") << QStringLiteral("a b") << QStringLiteral("'a b'");
    QTest::newRow("an empty conninfo value is quoted")
        << QStringLiteral("conninfo") << QStringLiteral("") << QStringLiteral("''");
    QTest::newRow("a backslash is escaped in conninfo")
        << QStringLiteral("conninfo") << QStringLiteral("a\\b") << QStringLiteral("'a\\\\b'");
    QTest::newRow("a plain shell word stays bare") << QStringLiteral(
        "shell") << QStringLiteral("verify-full") << QStringLiteral("verify-full");
    QTest::newRow("a shell word with a dollar is quoted")
        << QStringLiteral("shell") << QStringLiteral("a$b") << QStringLiteral("'a$b'");
    QTest::newRow("a C string escapes quotes and backslashes")
        << QStringLiteral("c") << QStringLiteral("a\"b\\c") << QStringLiteral("\"a\\\"b\\\\c\"");
    QTest::newRow("a C string escapes a newline")
        << QStringLiteral("c") << QStringLiteral("a\nb") << QStringLiteral("\"a\\nb\"");
    QTest::newRow("a JavaScript string escapes single quotes")
        << QStringLiteral("js") << QStringLiteral("it's") << QStringLiteral("'it\\'s'");
}

void TestClientSettings::quotingHelpers()
{
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QString got;
    if (kind == QLatin1String("conninfo"))
        got = ClientSettings::conninfoValue(value);
    else if (kind == QLatin1String("shell"))
        got = ClientSettings::shellWord(value);
    else if (kind == QLatin1String("c"))
        got = ClientSettings::cStyleString(value);
    else
        got = ClientSettings::jsString(value);
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestClientSettings)
#include "TestClientSettings.moc"
