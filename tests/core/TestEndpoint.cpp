// SPDX-License-Identifier: MIT
#include "Endpoint.h"
#include "RootCert.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;

using Env = QMap<QString, QString>;
Q_DECLARE_METATYPE(Env)
Q_DECLARE_METATYPE(pgtls::EndpointInput)

class TestEndpoint : public QObject
{
    Q_OBJECT
private slots:
    void resolvesLikePsql_data();
    void resolvesLikePsql();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void serviceFileIsHonoured();
    void severalHostsUseTheFirstWithAWarning();
    void conninfoRoundTrips();
    void hugeConnectTimeoutIsBounded();
    void requiresslMeansRequire();
    void otherLibpqParametersPassThrough();
    void resolvingLeavesThePasswordVariableAlone();
    void libpqHomeIsHomeFirst();
    void rootCertFollowsLibpq_data();
    void rootCertFollowsLibpq();
};

static EndpointInput input(const QString &conninfo = {}, const Env &env = {})
{
    EndpointInput in;
    in.conninfo = conninfo;
    in.environment = env;
    in.osUserName = QStringLiteral("osuser");
    return in;
}

void TestEndpoint::resolvesLikePsql_data()
{
    QTest::addColumn<QString>("hostFlag");
    QTest::addColumn<QString>("sslmodeFlag");
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<Env>("env");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("dbname");
    QTest::addColumn<QString>("sslmode");
    QTest::addColumn<QString>("sslrootcert");

    QTest::newRow("nothing given: OS user, its database, port 5432, verify-full")
        << QString() << QString() << QString() << Env() << QString() << 5432 << QStringLiteral("osuser")
        << QStringLiteral("osuser") << QStringLiteral("verify-full") << QString();
    QTest::newRow("flags are used")
        << QStringLiteral("db.example.com") << QStringLiteral("require") << QString() << Env()
        << QStringLiteral("db.example.com") << 5432 << QStringLiteral("osuser") << QStringLiteral("osuser")
        << QStringLiteral("require") << QString();
    QTest::newRow("a conninfo string overrides -h, as psql's expanded dbname does")
        << QStringLiteral("flaghost") << QString() << QStringLiteral("host=connhost port=6543 dbname=app user=bob")
        << Env() << QStringLiteral("connhost") << 6543 << QStringLiteral("bob") << QStringLiteral("app")
        << QStringLiteral("verify-full") << QString();
    QTest::newRow("a URI is parsed by libpq, query parameters included")
        << QString() << QString()
        << QStringLiteral("postgresql://alice@mydb.c9akciq32.eu-west-1.rds.amazonaws.com:5433/orders?sslmode=verify-ca&sslrootcert=/tmp/b.pem")
        << Env() << QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com") << 5433 << QStringLiteral("alice")
        << QStringLiteral("orders") << QStringLiteral("verify-ca") << QStringLiteral("/tmp/b.pem");
    QTest::newRow("--sslmode wins over the connection string")
        << QString() << QStringLiteral("disable") << QStringLiteral("host=h sslmode=verify-full") << Env()
        << QStringLiteral("h") << 5432 << QStringLiteral("osuser") << QStringLiteral("osuser")
        << QStringLiteral("disable") << QString();
    const Env env{ { QStringLiteral("PGHOST"), QStringLiteral("envhost") },
                   { QStringLiteral("PGPORT"), QStringLiteral("7777") },
                   { QStringLiteral("PGUSER"), QStringLiteral("envuser") },
                   { QStringLiteral("PGDATABASE"), QStringLiteral("envdb") },
                   { QStringLiteral("PGSSLMODE"), QStringLiteral("prefer") },
                   { QStringLiteral("PGSSLROOTCERT"), QStringLiteral("/etc/ca.pem") } };
    QTest::newRow("PG environment variables fill what is not given")
        << QString() << QString() << QString() << env << QStringLiteral("envhost") << 7777
        << QStringLiteral("envuser") << QStringLiteral("envdb") << QStringLiteral("prefer")
        << QStringLiteral("/etc/ca.pem");
    QTest::newRow("flags and conninfo win over the environment")
        << QStringLiteral("flaghost") << QStringLiteral("verify-ca") << QStringLiteral("dbname=x") << env
        << QStringLiteral("flaghost") << 7777 << QStringLiteral("envuser") << QStringLiteral("x")
        << QStringLiteral("verify-ca") << QStringLiteral("/etc/ca.pem");
    QTest::newRow("a plain word as argument is a database name")
        << QString() << QString() << QStringLiteral("inventory") << Env() << QString() << 5432
        << QStringLiteral("osuser") << QStringLiteral("inventory") << QStringLiteral("verify-full") << QString();
}

void TestEndpoint::resolvesLikePsql()
{
    QFETCH(QString, hostFlag);
    QFETCH(QString, sslmodeFlag);
    QFETCH(QString, conninfo);
    QFETCH(Env, env);
    EndpointInput in = input(conninfo, env);
    in.host = hostFlag;
    in.sslmode = sslmodeFlag;
    const EndpointResult r = EndpointResolver::resolve(in);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QTEST(r.endpoint.host, "host");
    QTEST(r.endpoint.port, "port");
    QTEST(r.endpoint.user, "user");
    QTEST(r.endpoint.dbname, "dbname");
    QTEST(sslModeName(r.endpoint.sslmode), "sslmode");
    QTEST(r.endpoint.sslrootcert, "sslrootcert");
}

void TestEndpoint::rejectsBadInput_data()
{
    QTest::addColumn<EndpointInput>("in");
    QTest::addColumn<QString>("errorContains");

    EndpointInput badPort = input();
    badPort.port = QStringLiteral("54x");
    QTest::newRow("a port flag that is not a number names --port") << badPort << QStringLiteral("--port");
    EndpointInput bigPort = input();
    bigPort.port = QStringLiteral("70000");
    QTest::newRow("a port above 65535 is refused") << bigPort << QStringLiteral("--port");
    EndpointInput badMode = input();
    badMode.sslmode = QStringLiteral("verify_full");
    QTest::newRow("an unknown sslmode flag names --sslmode and the valid ones")
        << badMode << QStringLiteral("--sslmode: \"verify_full\" is not an sslmode; use one of disable, allow");
    QTest::newRow("an unknown sslmode from the environment says so")
        << input({}, Env{ { QStringLiteral("PGSSLMODE"), QStringLiteral("on") } }) << QStringLiteral("from the environment");
    QTest::newRow("a password in the connection string is refused")
        << input(QStringLiteral("host=h password=secret")) << QStringLiteral("contains a password");
    QTest::newRow("a password in a URI is refused")
        << input(QStringLiteral("postgresql://u:secret@h/db")) << QStringLiteral("contains a password");
    QTest::newRow("a password with a space is refused before libpq could quote it")
        << input(QStringLiteral("password=se cret host=x")) << QStringLiteral("contains a password");
    QTest::newRow("a URI password with bad percent-encoding is refused before libpq could quote it")
        << input(QStringLiteral("postgresql://u:sec%zzret@host/db")) << QStringLiteral("contains a password");
    QTest::newRow("a URI password in a broken IPv6 URI is refused")
        << input(QStringLiteral("postgresql://u:secret@[::1/db")) << QStringLiteral("contains a password");
    QTest::newRow("a password as URI query parameter is refused")
        << input(QStringLiteral("postgresql://h/db?password=secret")) << QStringLiteral("contains a password");
    EndpointInput badAddr = input();
    badAddr.hostaddr = QStringLiteral("1.2.3.4.5");
    QTest::newRow("a hostaddr that is no IP address names --hostaddr") << badAddr << QStringLiteral("--hostaddr");
    QTest::newRow("a hostaddr in the connection string is checked too")
        << input(QStringLiteral("host=h hostaddr=foo")) << QStringLiteral("hostaddr \"foo\" is not a numeric IP address");
    QTest::newRow("a service that is not defined is refused like libpq does")
        << input(QStringLiteral("service=nonexistent"), Env{ { QStringLiteral("PGSYSCONFDIR"), QStringLiteral("/nonexistent") } })
        << QStringLiteral("definition of service \"nonexistent\" not found");
    QTest::newRow("a service file that does not exist is named")
        << input(QStringLiteral("service=x"), Env{ { QStringLiteral("PGSERVICEFILE"), QStringLiteral("/nonexistent/file") } })
        << QStringLiteral("service file \"/nonexistent/file\" not found");
    QTest::newRow("a broken connection string gets libpq's message")
        << input(QStringLiteral("host=h port")) << QStringLiteral("invalid connection string: missing \"=\" after \"port\"");
    QTest::newRow("an unknown keyword gets libpq's message")
        << input(QStringLiteral("hots=h")) << QStringLiteral("invalid connection option \"hots\"");
    EndpointInput twice = input(QStringLiteral("host=h"));
    twice.dbname = QStringLiteral("db");
    QTest::newRow("a database given twice is refused") << twice << QStringLiteral("given twice");
}

void TestEndpoint::rejectsBadInput()
{
    QFETCH(EndpointInput, in);
    QFETCH(QString, errorContains);
    const EndpointResult r = EndpointResolver::resolve(in);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(errorContains), qPrintable(r.error));
    QVERIFY(!r.error.contains(QLatin1String("secret")));
}

void TestEndpoint::serviceFileIsHonoured()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(QStringLiteral("services.conf")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[prod]\nhost=prod.example.com\nport=6432\nsslmode=verify-ca\ndbname=shop\n");
    f.close();
    const Env env{ { QStringLiteral("PGSERVICEFILE"), f.fileName() } };
    const EndpointResult r = EndpointResolver::resolve(input(QStringLiteral("service=prod"), env));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.host, QStringLiteral("prod.example.com"));
    QCOMPARE(r.endpoint.port, 6432);
    QCOMPARE(r.endpoint.sslmode, SslMode::VerifyCa);
    QCOMPARE(r.endpoint.dbname, QStringLiteral("shop"));
    // The process environment is left as it was.
    QVERIFY(!qEnvironmentVariableIsSet("PGSERVICE"));
}

void TestEndpoint::severalHostsUseTheFirstWithAWarning()
{
    const EndpointResult r = EndpointResolver::resolve(input(QStringLiteral("host=a.example.com,b.example.com port=5432,5433")));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.host, QStringLiteral("a.example.com"));
    QCOMPARE(r.endpoint.port, 5432);
    QCOMPARE(r.warnings.size(), 2);
}

void TestEndpoint::conninfoRoundTrips()
{
    Endpoint e;
    e.host = QStringLiteral("db.example.com");
    e.hostaddr = QStringLiteral("127.0.0.1");
    e.port = 6000;
    e.dbname = QStringLiteral("my db");
    e.user = QStringLiteral("o'neil");
    e.sslmode = SslMode::VerifyCa;
    e.sslrootcert = QStringLiteral("/tmp/ca bundle.pem");
    const EndpointResult r = EndpointResolver::resolve(input(e.toConninfo()));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.host, e.host);
    QCOMPARE(r.endpoint.hostaddr, e.hostaddr);
    QCOMPARE(r.endpoint.port, e.port);
    QCOMPARE(r.endpoint.dbname, e.dbname);
    QCOMPARE(r.endpoint.user, e.user);
    QCOMPARE(r.endpoint.sslmode, e.sslmode);
    QCOMPARE(r.endpoint.sslrootcert, e.sslrootcert);
}

void TestEndpoint::hugeConnectTimeoutIsBounded()
{
    EndpointResult r = EndpointResolver::resolve(input(QStringLiteral("host=h connect_timeout=3000000")));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.connectTimeoutSeconds, 3600);
    r = EndpointResolver::resolve(input(QString(), Env{ { QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("2147484") } }));
    QCOMPARE(r.endpoint.connectTimeoutSeconds, 3600);
    r = EndpointResolver::resolve(input(QStringLiteral("host=h connect_timeout=1")));
    QCOMPARE(r.endpoint.connectTimeoutSeconds, 2); // libpq's minimum
}

void TestEndpoint::requiresslMeansRequire()
{
    QCOMPARE(EndpointResolver::resolve(input(QStringLiteral("host=h requiressl=1"))).endpoint.sslmode, SslMode::Require);
    QCOMPARE(EndpointResolver::resolve(input(QString(), Env{ { QStringLiteral("PGREQUIRESSL"), QStringLiteral("1") } }))
                 .endpoint.sslmode,
             SslMode::Require);
    QCOMPARE(EndpointResolver::resolve(input(QStringLiteral("host=h requiressl=1 sslmode=verify-ca"))).endpoint.sslmode,
             SslMode::VerifyCa);
}

void TestEndpoint::otherLibpqParametersPassThrough()
{
    EndpointResult r = EndpointResolver::resolve(
        input(QStringLiteral("host=h sslsni=0 application_name=app ssl_min_protocol_version=TLSv1.3"),
              Env{ { QStringLiteral("PGSSLCRL"), QStringLiteral("/etc/crl.pem") } }));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.extraOptions.value(QStringLiteral("sslsni")), QStringLiteral("0"));
    QCOMPARE(r.endpoint.extraOptions.value(QStringLiteral("application_name")), QStringLiteral("app"));
    QCOMPARE(r.endpoint.extraOptions.value(QStringLiteral("ssl_min_protocol_version")), QStringLiteral("TLSv1.3"));
    QCOMPARE(r.endpoint.extraOptions.value(QStringLiteral("sslcrl")), QStringLiteral("/etc/crl.pem"));
    QVERIFY(r.endpoint.toKeywords().contains(qMakePair(QStringLiteral("sslsni"), QStringLiteral("0"))));
    r = EndpointResolver::resolve(input(QString(), Env{ { QStringLiteral("PGSSLSNI"), QStringLiteral("0") } }));
    QCOMPARE(r.endpoint.extraOptions.value(QStringLiteral("sslsni")), QStringLiteral("0"));
}

void TestEndpoint::resolvingLeavesThePasswordVariableAlone()
{
    qputenv("PGPASSWORD", "keep-me");
    EndpointInput in = input(QStringLiteral("host=h"));
    in.environment = EndpointResolver::processEnvironment();
    QVERIFY(!in.environment.contains(QStringLiteral("PGPASSWORD")));
    QVERIFY(EndpointResolver::resolve(in).ok());
    QCOMPARE(qgetenv("PGPASSWORD"), QByteArray("keep-me"));
    qunsetenv("PGPASSWORD");
}

void TestEndpoint::libpqHomeIsHomeFirst()
{
    const QByteArray saved = qgetenv("HOME");
    qputenv("HOME", "/tmp/some-home");
    QCOMPARE(RootCert::libpqHomeDirectory(), QStringLiteral("/tmp/some-home"));
    qunsetenv("HOME");
    QVERIFY(!RootCert::libpqHomeDirectory().isEmpty()); // the password database's entry
    qputenv("HOME", saved);
}

void TestEndpoint::rootCertFollowsLibpq_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("explicitFile");
    QTest::addColumn<bool>("fileExists");
    QTest::addColumn<bool>("verifies");
    QTest::addColumn<QString>("errorStart");

    QTest::newRow("verify-full without the default root.crt cannot start")
        << QStringLiteral("verify-full") << false << false << false << QStringLiteral("root certificate file \"");
    QTest::newRow("verify-ca with a missing explicit file cannot start")
        << QStringLiteral("verify-ca") << true << false << false << QStringLiteral("root certificate file \"");
    QTest::newRow("verify-full with the default root.crt present verifies")
        << QStringLiteral("verify-full") << false << true << true << QString();
    QTest::newRow("require with an existing root file verifies, as libpq does")
        << QStringLiteral("require") << false << true << true << QString();
    QTest::newRow("require without a root file does not verify and is no error")
        << QStringLiteral("require") << true << false << false << QString();
    QTest::newRow("prefer with an existing root file verifies too")
        << QStringLiteral("prefer") << true << true << true << QString();
    QTest::newRow("disable never verifies") << QStringLiteral("disable") << true << true << false << QString();
}

void TestEndpoint::rootCertFollowsLibpq()
{
    QFETCH(QString, mode);
    QFETCH(bool, explicitFile);
    QFETCH(bool, fileExists);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QString path = explicitFile ? home.filePath(QStringLiteral("bundle.pem"))
                                : home.filePath(QStringLiteral(".postgresql/root.crt"));
    if (fileExists) {
        QVERIFY(QDir(home.path()).mkpath(QFileInfo(path).absolutePath()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const RootCertResolution r =
        RootCert::resolve(*parseSslMode(mode), explicitFile ? path : QString(), home.path());
    QCOMPARE(r.path, path);
    QCOMPARE(r.isDefault, !explicitFile);
    QCOMPARE(r.exists, fileExists);
    QTEST(r.verifies, "verifies");
    QFETCH(QString, errorStart);
    if (errorStart.isEmpty())
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    else
        QVERIFY2(r.error.startsWith(errorStart + path + QLatin1String("\" does not exist")), qPrintable(r.error));
    QCOMPARE(r.checksHostName, mode == QLatin1String("verify-full"));
}

QTEST_GUILESS_MAIN(TestEndpoint)
#include "TestEndpoint.moc"
