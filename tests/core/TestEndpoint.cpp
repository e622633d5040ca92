// SPDX-License-Identifier: MIT
#include "Endpoint.h"
#include "RootCert.h"
#include "SecretKeywords.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <libpq-fe.h>

#include <sys/stat.h>

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
    void secretsAreRefusedWithoutTheirValue_data();
    void secretsAreRefusedWithoutTheirValue();
    void parseErrorsNeverQuoteASecret_data();
    void parseErrorsNeverQuoteASecret();
    void noMutationOfASecretLeaksIt();
    void resolvesEnvironmentAndServicesLikeLibpq_data();
    void resolvesEnvironmentAndServicesLikeLibpq();
    void aServiceFileThatIsNoRegularFileIsAnErrorAtOnce_data();
    void aServiceFileThatIsNoRegularFileIsAnErrorAtOnce();
    void secretsInAServiceFileAreNeverTaken();
    void onlyTheGivenEnvironmentIsRead();
    void aServiceLookedUpInLdapIsNamedNotQueried();
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

// The secret value every row below hides somewhere; it must never come back in a message.
static const QString kSecret = QStringLiteral("hunter22");

static bool mentions(const EndpointResult &r, const QString &text)
{
    return r.error.contains(text) || r.warnings.join(QLatin1Char('\n')).contains(text);
}

void TestEndpoint::secretsAreRefusedWithoutTheirValue_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<QString>("errorContains");

    const QString password = QStringLiteral("contains a password");
    const QString passphrase = QStringLiteral("the client key's passphrase (sslpassword)");
    QTest::newRow("a percent-encoded password name in a URI query is a password")
        << QStringLiteral("postgresql://h/db?pass%77ord=hunter22") << password;
    QTest::newRow("a password name with its first letter percent-encoded is a password")
        << QStringLiteral("postgresql://h/db?%70assword=hunter22") << password;
    QTest::newRow("an upper-case hex digit in a percent-encoded name is decoded too")
        << QStringLiteral("postgresql://h/db?sslmode=require&passw%6Frd=hunter22") << password;
    QTest::newRow("sslpassword in a connection string is the client key's passphrase")
        << QStringLiteral("host=h sslkey=/k.pem sslpassword=hunter22") << passphrase;
    QTest::newRow("sslpassword as a URI query parameter is refused")
        << QStringLiteral("postgresql://h/db?sslpassword=hunter22") << passphrase;
    QTest::newRow("a percent-encoded sslpassword name is refused")
        << QStringLiteral("postgresql://h/db?ssl%70assword=hunter22") << passphrase;
    QTest::newRow("the user:secret@ form of a URI is a password")
        << QStringLiteral("postgresql://u:hunter22@h/db") << password;
    QTest::newRow("user:secret@ before a query mark that libpq reads as user information")
        << QStringLiteral("postgresql://u?x:hunter22@h/db") << password;
    QTest::newRow("a password before an unterminated quote is refused, not quoted")
        << QStringLiteral("password=hunter22 host='unterminated") << password;
    QTest::newRow("a passphrase followed by bad percent-encoding is refused, not quoted")
        << QStringLiteral("postgresql://h/db?sslpassword=hunter22%zz") << passphrase;
    QTest::newRow("a password after a bad percent-encoding is refused, not quoted")
        << QStringLiteral("postgresql://h/db?x=%zz&password=hunter22") << password;
    QTest::newRow("a quoted password with spaces in a connection string is refused")
        << QStringLiteral("host=h password = 'hunter22 and more'") << password;
    QTest::newRow("a URI password in a broken IPv6 address (whose error quotes the URI) is refused")
        << QStringLiteral("postgresql://u:hunter22@[::1/db") << password;
}

void TestEndpoint::secretsAreRefusedWithoutTheirValue()
{
    QFETCH(QString, conninfo);
    QFETCH(QString, errorContains);
    const EndpointResult r = EndpointResolver::resolve(input(conninfo));
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(errorContains), qPrintable(r.error));
    QVERIFY2(r.error.contains(QLatin1String("not accepted on the command line")), qPrintable(r.error));
    QVERIFY2(!mentions(r, kSecret), qPrintable(r.error));
}

void TestEndpoint::parseErrorsNeverQuoteASecret_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<QString>("error");

    QTest::newRow("a password written with a colon: libpq would quote it as a parameter name")
        << QStringLiteral("host=h password:hunter22")
        << QStringLiteral("invalid connection string: missing \"=\" after \"\u2026\" in connection info string");
    QTest::newRow("a URI query password without \"=\": libpq would quote it")
        << QStringLiteral("postgresql://h/db?passwordhunter22")
        << QStringLiteral("invalid connection string: missing key/value separator \"=\" in URI query "
                          "parameter: \"\u2026\"");
    QTest::newRow("a secret keyword's name anywhere: the bad token after it is not quoted")
        << QStringLiteral("postgresql://h/db?application_name=sslpassword&x=%zzhunter22")
        << QStringLiteral("invalid connection string: invalid percent-encoded token: \"\u2026\"");
    QTest::newRow("a secret keyword's name after the error point: the bad token is not quoted")
        << QStringLiteral("postgresql://h/db?x=hunter22%zz&application_name=password")
        << QStringLiteral("invalid connection string: invalid percent-encoded token: \"\u2026\"");
    QTest::newRow("an IPv6 error (quoting the whole URI) with a secret name in it")
        << QStringLiteral("postgresql://[::1/db?passwordhunter22")
        << QStringLiteral("invalid connection string: end of string reached when looking for "
                          "matching \"]\" in IPv6 host address in URI: \"\u2026\"");
    QTest::newRow("an unknown keyword next to a secret name is not quoted")
        << QStringLiteral("host=h password-hunter22=x")
        << QStringLiteral("invalid connection string: invalid connection option \"\u2026\"");
    QTest::newRow("without any secret, libpq's precise message is kept")
        << QStringLiteral("postgresql://h/db?x=%zz")
        << QStringLiteral("invalid connection string: invalid percent-encoded token: \"%zz\"");
    QTest::newRow("without any secret, libpq's message for a URI query is kept")
        << QStringLiteral("postgresql://h/db?sslmode")
        << QStringLiteral("invalid connection string: missing key/value separator \"=\" in URI query "
                          "parameter: \"sslmode\"");
}

void TestEndpoint::parseErrorsNeverQuoteASecret()
{
    QFETCH(QString, conninfo);
    const EndpointResult r = EndpointResolver::resolve(input(conninfo));
    QVERIFY(!r.ok());
    QTEST(r.error, "error");
    QVERIFY2(!mentions(r, kSecret), qPrintable(r.error));
}

// The fuzz invariant, over every single-character mutation of a few seeds: when libpq's own
// parser sees a value of 6+ characters for a secret keyword, resolving fails and no error or
// warning contains that value.
void TestEndpoint::noMutationOfASecretLeaksIt()
{
    const QStringList seeds = {
        QStringLiteral("host=h password=hunter22 port=5"),
        QStringLiteral("sslpassword='hunter22' host=h"),
        QStringLiteral("postgresql://u:hunter22@h:5/db?sslmode=require"),
        QStringLiteral("postgresql://h/db?pass%77ord=hunter22&x=1"),
        QStringLiteral("postgresql://h/db?x=1&sslpassword=hunter22"),
        QStringLiteral("postgresql://[::1]:5/db?password=hunter22"),
    };
    const QString alphabet = QStringLiteral("%'\\ =&?@:/[]#,z0");
    int checked = 0;
    int seen = 0;
    for (const QString &seed : seeds) {
        QStringList mutations{ seed };
        for (qsizetype i = 0; i <= seed.size(); ++i) {
            for (const QChar c : alphabet) {
                mutations << QString(seed).insert(i, c);
                if (i < seed.size())
                    mutations << QString(seed).replace(i, 1, c);
            }
            if (i < seed.size())
                mutations << QString(seed).remove(i, 1);
        }
        for (const QString &m : std::as_const(mutations)) {
            QStringList secretValues;
            char *err = nullptr;
            const QByteArray utf8 = m.toUtf8();
            PQconninfoOption *parsed = PQconninfoParse(utf8.constData(), &err);
            for (const PQconninfoOption *o = parsed; o && o->keyword; ++o) {
                if (o->val && SecretKeywords::isSecret(QString::fromUtf8(o->keyword))
                    && qstrlen(o->val) >= 6)
                    secretValues << QString::fromUtf8(o->val);
            }
            PQconninfoFree(parsed);
            if (err)
                PQfreemem(err);
            const EndpointResult r = EndpointResolver::resolve(input(m));
            ++checked;
            if (secretValues.isEmpty())
                continue;
            ++seen;
            QVERIFY2(!r.ok(), qPrintable(m));
            for (const QString &value : std::as_const(secretValues))
                QVERIFY2(!mentions(r, value), qPrintable(m + QLatin1String(" -> ") + r.error));
        }
    }
    QVERIFY(checked > 1000);
    QVERIFY(seen > 100); // the invariant was really exercised
}

// A case for the comparison with libpq: files written to a temporary directory (@DIR@ in the
// values stands for it); HOME is @DIR@/home.
struct LibpqCase
{
    QString conninfo;
    Env env;
    QMap<QString, QByteArray> files; // relative path -> contents
};
Q_DECLARE_METATYPE(LibpqCase)

// Every variable libpq 15's conninfo_add_defaults() and parseServiceInfo() read.
static QStringList libpqVariables()
{
    QStringList names{ QStringLiteral("PGSERVICEFILE"), QStringLiteral("PGSYSCONFDIR"),
                       QStringLiteral("PGREQUIRESSL"), QStringLiteral("HOME") };
    char *err = nullptr;
    PQconninfoOption *options = PQconninfoParse("", &err);
    for (const PQconninfoOption *o = options; o && o->keyword; ++o) {
        if (o->envvar)
            names << QString::fromUtf8(o->envvar);
    }
    PQconninfoFree(options);
    return names;
}

void TestEndpoint::resolvesEnvironmentAndServicesLikeLibpq_data()
{
    QTest::addColumn<LibpqCase>("c");

    const QByteArray services = "# services\n"
                                "[svc]\n"
                                "host=127.0.0.3\n"
                                "port=3\n"
                                "  dbname=svcdb  \n"
                                "sslmode=verify-ca\n"
                                "user=svcuser\n"
                                "sslsni=0\n"
                                "\n"
                                "[other]\n"
                                "host=127.0.0.6\n"
                                "port=6\n"
                                "sslmode=require\n";
    const QString serviceFile = QStringLiteral("@DIR@/services.conf");
    const QString sysconf = QStringLiteral("@DIR@/sysconf");
    const Env envValues{ { QStringLiteral("PGHOST"), QStringLiteral("127.0.0.2") },
                         { QStringLiteral("PGPORT"), QStringLiteral("2") },
                         { QStringLiteral("PGUSER"), QStringLiteral("envuser") },
                         { QStringLiteral("PGDATABASE"), QStringLiteral("envdb") },
                         { QStringLiteral("PGSSLMODE"), QStringLiteral("require") },
                         { QStringLiteral("PGSSLROOTCERT"), QStringLiteral("/tmp/env-ca.pem") },
                         { QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("7") } };

    QTest::newRow("the environment alone")
        << LibpqCase{ {}, envValues, {} };
    LibpqCase service{ {}, { { QStringLiteral("PGSERVICE"), QStringLiteral("svc") },
                             { QStringLiteral("PGSERVICEFILE"), serviceFile },
                             { QStringLiteral("PGSYSCONFDIR"), sysconf } },
                       { { QStringLiteral("services.conf"), services } } };
    QTest::newRow("a service file alone, named by PGSERVICE and PGSERVICEFILE") << service;
    LibpqCase both = service;
    for (auto it = envValues.cbegin(); it != envValues.cend(); ++it)
        both.env.insert(it.key(), it.value());
    QTest::newRow("service and environment: the service file wins, the environment fills the rest")
        << both;
    LibpqCase serviceKeyword = service;
    serviceKeyword.conninfo = QStringLiteral("service=other");
    QTest::newRow("service= in the connection string wins over PGSERVICE") << serviceKeyword;
    LibpqCase explicitWins = both;
    explicitWins.conninfo = QStringLiteral("service=svc host=127.0.0.4 port=4");
    QTest::newRow("connection string values win over the service file") << explicitWins;
    LibpqCase sysconfOnly{ {}, { { QStringLiteral("PGSERVICE"), QStringLiteral("svc") },
                                 { QStringLiteral("PGSERVICEFILE"), QStringLiteral("@DIR@/others.conf") },
                                 { QStringLiteral("PGSYSCONFDIR"), sysconf } },
                           { { QStringLiteral("others.conf"), "[unrelated]\nport=9\n" },
                             { QStringLiteral("sysconf/pg_service.conf"), services } } };
    QTest::newRow("PGSYSCONFDIR's pg_service.conf when PGSERVICEFILE lacks the group") << sysconfOnly;
    LibpqCase homeFirst{ QStringLiteral("service=svc"), { { QStringLiteral("PGSYSCONFDIR"), sysconf } },
                         { { QStringLiteral("home/.pg_service.conf"), "[svc]\nhost=127.0.0.5\nport=5\n" },
                           { QStringLiteral("sysconf/pg_service.conf"), services } } };
    QTest::newRow("~/.pg_service.conf first: a group found there ends the search") << homeFirst;
    LibpqCase homeThenSystem = homeFirst;
    homeThenSystem.files.insert(QStringLiteral("home/.pg_service.conf"), "[other]\nhost=127.0.0.5\n");
    QTest::newRow("~/.pg_service.conf without the group, then PGSYSCONFDIR's") << homeThenSystem;
    LibpqCase missing = service;
    missing.env.insert(QStringLiteral("PGSERVICE"), QStringLiteral("nosuch"));
    QTest::newRow("a missing service is refused with libpq's message") << missing;
    LibpqCase emptyService = service;
    emptyService.env.insert(QStringLiteral("PGSERVICE"), QString());
    QTest::newRow("an empty PGSERVICE is still looked up, as libpq does") << emptyService;
    LibpqCase syntax = service;
    syntax.files.insert(QStringLiteral("services.conf"), "[svc]\nhost = 127.0.0.3\n");
    QTest::newRow("a key with blanks around \"=\" is a syntax error for libpq") << syntax;
    LibpqCase unknownKey = service;
    unknownKey.files.insert(QStringLiteral("services.conf"), "[svc]\nhots=127.0.0.3\n");
    QTest::newRow("an unknown key in the group is a syntax error") << unknownKey;
    LibpqCase nested = service;
    nested.files.insert(QStringLiteral("services.conf"), "[svc]\nservice=other\n");
    QTest::newRow("a nested service is refused") << nested;
    LibpqCase otherGroupsIgnored = service;
    otherGroupsIgnored.files.insert(QStringLiteral("services.conf"),
                                    "[svcx]\nhots=bad\n[svc]\nhost=127.0.0.3\nport=3\n[svc2]\nport=9\n");
    QTest::newRow("other groups, even broken ones, are not read") << otherGroupsIgnored;
    LibpqCase crlf = service;
    crlf.files.insert(QStringLiteral("services.conf"),
                      "[svc]\r\nhost=127.0.0.3\r\nport=3\r\nsslrootcert=/tmp/a=b.pem\r\n");
    QTest::newRow("CRLF line ends are blanks, a value may hold \"=\"") << crlf;
    LibpqCase header = service;
    header.files.insert(QStringLiteral("services.conf"),
                        "[svcextra]\nport=9\n[svc] # prod\nhost=127.0.0.3\nport=3\n");
    QTest::newRow("a group header matches on its name and \"]\" only, as in libpq") << header;
    LibpqCase missingFile = service;
    missingFile.env.insert(QStringLiteral("PGSERVICEFILE"), QStringLiteral("@DIR@/none.conf"));
    QTest::newRow("a PGSERVICEFILE that does not exist is an error") << missingFile;
    QTest::newRow("PGREQUIRESSL=1 means sslmode=require")
        << LibpqCase{ {}, { { QStringLiteral("PGHOST"), QStringLiteral("127.0.0.2") },
                            { QStringLiteral("PGPORT"), QStringLiteral("2") },
                            { QStringLiteral("PGREQUIRESSL"), QStringLiteral("1") } }, {} };
    QTest::newRow("PGSSLMODE wins over PGREQUIRESSL")
        << LibpqCase{ {}, { { QStringLiteral("PGHOST"), QStringLiteral("127.0.0.2") },
                            { QStringLiteral("PGPORT"), QStringLiteral("2") },
                            { QStringLiteral("PGSSLMODE"), QStringLiteral("verify-ca") },
                            { QStringLiteral("PGREQUIRESSL"), QStringLiteral("1") } }, {} };
    QTest::newRow("a service's sslmode wins over PGREQUIRESSL")
        << LibpqCase{ QStringLiteral("service=svc"),
                      { { QStringLiteral("PGREQUIRESSL"), QStringLiteral("1") },
                        { QStringLiteral("PGSERVICEFILE"), serviceFile },
                        { QStringLiteral("PGSYSCONFDIR"), sysconf } },
                      { { QStringLiteral("services.conf"), services } } };
    QTest::newRow("requiressl=1 in the connection string is sslmode=require")
        << LibpqCase{ QStringLiteral("host=127.0.0.2 port=2 requiressl=1"), {}, {} };
}

void TestEndpoint::resolvesEnvironmentAndServicesLikeLibpq()
{
    QFETCH(LibpqCase, c);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("home")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sysconf")));
    for (auto it = c.files.cbegin(); it != c.files.cend(); ++it) {
        QFile f(dir.filePath(it.key()));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(it.value());
    }
    Env env;
    for (auto it = c.env.cbegin(); it != c.env.cend(); ++it)
        env.insert(it.key(), QString(it.value()).replace(QLatin1String("@DIR@"), dir.path()));
    env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));

    // libpq itself, as psql calls it (expanded dbname), with exactly `env` as its environment:
    // the test sets its own process environment, the product never does.
    const QStringList variables = libpqVariables();
    QMap<QString, QByteArray> saved;
    for (const QString &name : variables) {
        if (qEnvironmentVariableIsSet(name.toLatin1().constData()))
            saved.insert(name, qgetenv(name.toLatin1().constData()));
        qunsetenv(name.toLatin1().constData());
    }
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        qputenv(it.key().toLatin1().constData(), it.value().toLocal8Bit());
    const QByteArray conninfo = c.conninfo.toUtf8();
    const char *keywords[] = { "dbname", nullptr };
    const char *values[] = { conninfo.constData(), nullptr };
    PGconn *conn = PQconnectStartParams(c.conninfo.isEmpty() ? keywords + 1 : keywords, values, 1);
    QMap<QString, QString> libpq;
    QString libpqError;
    if (conn) {
        if (PQconninfoOption *used = PQconninfo(conn)) {
            for (const PQconninfoOption *o = used; o->keyword; ++o) {
                if (o->val)
                    libpq.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
            }
            PQconninfoFree(used);
        }
        // An option error (connectOptions1) leaves the connection without options, so without a
        // host: every other case names one (loopback, ports 2-6: nothing listens there).
        if (PQstatus(conn) == CONNECTION_BAD && libpq.value(QStringLiteral("host")).isEmpty()
            && libpq.value(QStringLiteral("hostaddr")).isEmpty())
            libpqError = QString::fromLocal8Bit(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
    }
    for (const QString &name : variables)
        qunsetenv(name.toLatin1().constData());
    for (auto it = saved.cbegin(); it != saved.cend(); ++it)
        qputenv(it.key().toLatin1().constData(), it.value());

    // Ours, from `env` only.
    EndpointInput in = input(c.conninfo, env);
    in.osUserName = EndpointResolver::currentOsUser();
    const EndpointResult r = EndpointResolver::resolve(in);
    if (!libpqError.isEmpty()) {
        QVERIFY2(!r.ok(), qPrintable(libpqError));
        QCOMPARE(r.error, libpqError);
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(!libpq.isEmpty());
    const Endpoint &e = r.endpoint;
    QCOMPARE(e.host, libpq.value(QStringLiteral("host")));
    QCOMPARE(QString::number(e.port), libpq.value(QStringLiteral("port")));
    QCOMPARE(e.user, libpq.value(QStringLiteral("user")));
    QCOMPARE(e.dbname, libpq.value(QStringLiteral("dbname")));
    if (e.sources.value(QStringLiteral("sslmode")) == QLatin1String("default"))
        QCOMPARE(libpq.value(QStringLiteral("sslmode")), QStringLiteral("prefer")); // libpq's own default
    else
        QCOMPARE(sslModeName(e.sslmode), libpq.value(QStringLiteral("sslmode")));
    QCOMPARE(e.sslrootcert, libpq.value(QStringLiteral("sslrootcert")));
    QCOMPARE(e.extraOptions.value(QStringLiteral("sslsni"), QStringLiteral("1")),
             libpq.value(QStringLiteral("sslsni")));
    if (libpq.contains(QStringLiteral("connect_timeout")))
        QCOMPARE(QString::number(e.connectTimeoutSeconds), libpq.value(QStringLiteral("connect_timeout")));
}

void TestEndpoint::aServiceFileThatIsNoRegularFileIsAnErrorAtOnce_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("a FIFO named as PGSERVICEFILE (opening it would wait for a writer)")
        << QStringLiteral("@DIR@/fifo") << QStringLiteral("@DIR@/fifo");
    QTest::newRow("/dev/zero named as PGSERVICEFILE (it never ends)")
        << QStringLiteral("/dev/zero") << QStringLiteral("/dev/zero");
    QTest::newRow("a directory named as PGSERVICEFILE")
        << QStringLiteral("@DIR@") << QStringLiteral("@DIR@");
}

void TestEndpoint::aServiceFileThatIsNoRegularFileIsAnErrorAtOnce()
{
    QFETCH(QString, path);
    QFETCH(QString, errorContains);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo"))).constData(), 0600) == 0);
    path.replace(QLatin1String("@DIR@"), dir.path());
    errorContains.replace(QLatin1String("@DIR@"), dir.path());
    QElapsedTimer clock;
    clock.start();
    const EndpointResult r = EndpointResolver::resolve(
        input(QStringLiteral("service=svc"), Env{ { QStringLiteral("PGSERVICEFILE"), path } }));
    QVERIFY(!r.ok());
    QVERIFY2(r.error.startsWith(QLatin1String("service file: ")), qPrintable(r.error));
    QVERIFY2(r.error.contains(errorContains), qPrintable(r.error));
    QVERIFY(clock.elapsed() < 5000);
}

void TestEndpoint::secretsInAServiceFileAreNeverTaken()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(QStringLiteral("services.conf")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[svc]\nhost=db.example.com\npassword=hunter22\nsslpassword=hunter22\n");
    f.close();
    const EndpointResult r = EndpointResolver::resolve(input(
        QStringLiteral("service=svc"),
        Env{ { QStringLiteral("PGSERVICEFILE"), f.fileName() },
             { QStringLiteral("PGSYSCONFDIR"), dir.path() } }));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.host, QStringLiteral("db.example.com"));
    QCOMPARE(r.warnings.size(), 2);
    QVERIFY2(r.warnings.at(0).contains(QLatin1String("sets password")), qPrintable(r.warnings.at(0)));
    QVERIFY2(r.warnings.at(1).contains(QLatin1String("sets sslpassword")), qPrintable(r.warnings.at(1)));
    QVERIFY(!mentions(r, kSecret));
    for (const auto &[key, value] : r.endpoint.toKeywords()) {
        QVERIFY2(!SecretKeywords::isSecret(key), qPrintable(key));
        QVERIFY(!value.contains(kSecret));
    }
}

void TestEndpoint::onlyTheGivenEnvironmentIsRead()
{
    qputenv("PGHOST", "process-host");
    qputenv("PGSERVICE", "process-service");
    const EndpointResult r = EndpointResolver::resolve(input(QStringLiteral("dbname=x")));
    qunsetenv("PGHOST");
    qunsetenv("PGSERVICE");
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.host, QString());
    QCOMPARE(r.endpoint.port, 5432);
}

void TestEndpoint::aServiceLookedUpInLdapIsNamedNotQueried()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(QStringLiteral("services.conf")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[svc]\nldap://ldap.invalid/dc=example?uniqueMember?one?(cn=svc)\nport=6000\n");
    f.close();
    const EndpointResult r = EndpointResolver::resolve(input(
        QStringLiteral("service=svc"), Env{ { QStringLiteral("PGSERVICEFILE"), f.fileName() } }));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoint.port, 6000); // libpq goes on after a failed LDAP lookup, too
    QCOMPARE(r.warnings.size(), 2); // LDAP, and no host (the Unix-domain socket)
    QVERIFY2(r.warnings.at(0).contains(QLatin1String("line 2, is looked up in LDAP by libpq")),
             qPrintable(r.warnings.at(0)));
}

QTEST_GUILESS_MAIN(TestEndpoint)
#include "TestEndpoint.moc"
