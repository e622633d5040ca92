// SPDX-License-Identifier: MIT
// Integration: PgSession (asynchronous libpq) against the lab, every scenario under every sslmode,
// each outcome cross-checked with psql itself; plus password handling, cancel, timeout and hostile
// or absent servers on loopback.
#include "Lab.h"
#include "PgSession.h"
#include "RootCert.h"

#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <optional>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

const char *const kPgVariables[] = {
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGSSLMODE",
    "PGREQUIRESSL",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGSSLCRL",
    "PGSSLCRLDIR",
    "PGSSLSNI",
    "PGPASSFILE",
    "PGPASSWORD",
    "PGCONNECT_TIMEOUT",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGSYSCONFDIR",
    "PGTARGETSESSIONATTRS",
    "PGOPTIONS",
    "PGAPPNAME",
    "PGGSSENCMODE",
    "PGSSLMINPROTOCOLVERSION",
    "PGSSLMAXPROTOCOLVERSION",
    "PGCHANNELBINDING",
};

enum class Root { None, Lab, Missing };

// A loopback server that is not PostgreSQL.
class FakeServer : public QTcpServer
{
public:
    enum class Behaviour { Silent, Http, HangUp };
    explicit FakeServer(Behaviour behaviour)
        : m_behaviour(behaviour)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                socket->setParent(this);
                if (m_behaviour == Behaviour::HangUp) {
                    socket->abort();
                } else if (m_behaviour == Behaviour::Http) {
                    connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                        socket->readAll();
                        socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                        socket->disconnectFromHost();
                    });
                }
            }
        });
    }

private:
    Behaviour m_behaviour;
};

struct PsqlOutcome
{
    bool ran = false;
    bool connected = false;
    QString ssl; // pg_stat_ssl.ssl as psql saw it: "t", "f"
    QString error; // stderr, "psql: error: " removed
};

} // namespace

Q_DECLARE_METATYPE(Root)

class TestPgSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void classifiesLibpqMessages_data();
    void classifiesLibpqMessages();
    void agreesWithPsqlForEveryScenarioAndSslMode_data();
    void agreesWithPsqlForEveryScenarioAndSslMode();
    void rebuildsTheDefaultVerbosityText_data();
    void rebuildsTheDefaultVerbosityText();
    void classifiesByStructureNotText_data();
    void classifiesByStructureNotText();
    void recordsTheStepAndSqlstateOfAFailure_data();
    void recordsTheStepAndSqlstateOfAFailure();
    void withoutAnyPasswordTheServerAsksForOne();
    void theRightPasswordConnects();
    void aWrongPasswordFailsAuthentication();
    void pgpasswordIsUsedWhenNotWithheld();
    void withheldPasswordIgnoresPgpasswordPassfileAndArgument_data();
    void withheldPasswordIgnoresPgpasswordPassfileAndArgument();
    void serverViewQueriesCanBeSkipped();
    void aHostNameIsResolvedWithoutLibpq();
    void aUnixSocketConnectsWithoutTls();
    void anUnparsableHostaddrFailsAfterStartReturns();
    void aStalledServerViewQueryEnds_data();
    void aStalledServerViewQueryEnds();
    void cancelFinishesExactlyOnce_data();
    void cancelFinishesExactlyOnce();
    void aSilentServerTimesOut();
    void aServerThatIsNotPostgresIsRecognised_data();
    void aServerThatIsNotPostgresIsRecognised();
    void aClosedPortIsRefused();
    void anUnresolvableNameIsADnsFailure();

private:
    void switchTo(Scenario scenario);
    Endpoint labEndpoint(SslMode mode, Root root) const;
    std::optional<SessionResult> run(const Endpoint &endpoint, const QString &password = QString(),
        PgSession::Options options = PgSession::Options());
    PsqlOutcome psql(const Endpoint &endpoint, const QString &pgpassword = QString(),
        const QString &sql = QString());
    Endpoint superuserEndpoint() const;

    Lab *m_lab = nullptr;
    QString m_missingRoot;
};

void TestPgSession::initTestCase()
{
    // Deterministic: no PG* variable of the caller's reaches libpq (or psql) unless a test sets it.
    for (const char *name : kPgVariables)
        qunsetenv(name);
    // Modes without verification run with no sslrootcert, so libpq falls back to its default
    // root.crt, in the home directory of the password database (libpq 15 ignores $HOME). It must
    // not exist, or libpq would verify under allow/prefer/require too.
    const QString home = RootCert::libpqHomeDirectory();
    QVERIFY2(!QFileInfo::exists(home + QStringLiteral("/.postgresql/root.crt")),
        "libpq's default root.crt exists; these expectations assume it does not");
    QVERIFY2(!QFileInfo::exists(home + QStringLiteral("/.pgpass")),
        "~/.pgpass exists; the password tests assume libpq finds no password by default");

    m_lab = new Lab(this);
    QSignalSpy started(m_lab, &Lab::started);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->start(Scenario::Correct);
    QVERIFY(started.wait(30000) || !failed.isEmpty());
    QVERIFY2(
        failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    m_missingRoot = m_lab->directory() + QStringLiteral("/no-such-root.crt");
}

void TestPgSession::cleanupTestCase()
{
    delete m_lab;
    m_lab = nullptr;
}

void TestPgSession::switchTo(Scenario scenario)
{
    if (m_lab->scenario() == scenario)
        return;
    QSignalSpy changed(m_lab, &Lab::scenarioChanged);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->setScenario(scenario);
    QVERIFY(changed.wait(20000) || !failed.isEmpty());
    QVERIFY2(
        failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
}

Endpoint TestPgSession::labEndpoint(SslMode mode, Root root) const
{
    Endpoint e = m_lab->endpoint();
    e.sslmode = mode;
    if (root == Root::None)
        e.sslrootcert.clear();
    else if (root == Root::Missing)
        e.sslrootcert = m_missingRoot;
    return e;
}

std::optional<SessionResult> TestPgSession::run(
    const Endpoint &endpoint, const QString &password, PgSession::Options options)
{
    PgSession session;
    QSignalSpy finished(&session, &PgSession::finished);
    session.start(endpoint, password, options);
    if (!finished.isEmpty()) {
        qWarning("finished() was emitted from within start()");
        return std::nullopt;
    }
    if (!session.isRunning()) {
        qWarning("not running after start()");
        return std::nullopt;
    }
    if (!finished.wait(options.timeoutMs + 5000)) {
        qWarning("finished() not emitted within the timeout");
        return std::nullopt;
    }
    if (finished.count() != 1 || session.isRunning()) {
        qWarning("finished() emitted %d times", int(finished.count()));
        return std::nullopt;
    }
    return session.result();
}

Endpoint TestPgSession::superuserEndpoint() const
{
    Endpoint e;
    e.host = m_lab->directory();
    e.port = m_lab->port();
    e.dbname = m_lab->databaseName();
    e.user = QStringLiteral("postgres"); // the lab's only local line: postgres, trust
    e.sslmode = SslMode::Prefer;
    return e;
}

PsqlOutcome TestPgSession::psql(const Endpoint &e, const QString &pgpassword, const QString &sql)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : kPgVariables)
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("PGHOST"), e.host);
    if (!e.hostaddr.isEmpty())
        env.insert(QStringLiteral("PGHOSTADDR"), e.hostaddr);
    env.insert(QStringLiteral("PGPORT"), QString::number(e.port));
    env.insert(QStringLiteral("PGDATABASE"), e.dbname);
    env.insert(QStringLiteral("PGUSER"), e.user);
    env.insert(QStringLiteral("PGSSLMODE"), sslModeName(e.sslmode));
    if (!e.sslrootcert.isEmpty())
        env.insert(QStringLiteral("PGSSLROOTCERT"), e.sslrootcert);
    if (!e.passfile.isEmpty())
        env.insert(QStringLiteral("PGPASSFILE"), e.passfile);
    if (!pgpassword.isEmpty())
        env.insert(QStringLiteral("PGPASSWORD"), pgpassword);
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));

    QProcess process;
    process.setProcessEnvironment(env);
    QSignalSpy done(&process, &QProcess::finished);
    process.start(QStringLiteral("psql"),
        { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-At"), QStringLiteral("-c"),
            sql.isEmpty()
                ? QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                : sql });
    PsqlOutcome outcome;
    if (!done.wait(20000))
        return outcome;
    outcome.ran = process.exitStatus() == QProcess::NormalExit;
    outcome.connected = process.exitCode() == 0;
    outcome.ssl = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    outcome.error = QString::fromUtf8(process.readAllStandardError()).trimmed();
    outcome.error.remove(QStringLiteral("psql: error: "));
    return outcome;
}

void TestPgSession::classifiesLibpqMessages_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("code");
    auto row = [](const char *name, const char *message, const char *code) {
        QTest::newRow(name) << QString::fromUtf8(message) << QString::fromLatin1(code);
    };
    row("no password supplied means a password is needed",
        "connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password "
        "supplied",
        "password-needed");
    row("a rejected password is a failed password",
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication "
        "failed for user \"app\"",
        "password-failed");
    row("a certificate for another name is a host mismatch",
        "connection to server at \"127.0.0.1\", port 5432 failed: server certificate for "
        "\"mydb.rds.amazonaws.com\" does not match host name \"db.example.com\"",
        "host-mismatch");
    row("a certificate for several other names is a host mismatch",
        "server certificate for \"a.example\" (and 2 other names) does not match host name \"b\"",
        "host-mismatch");
    row("a certificate without names is a host mismatch",
        "could not get server's host name from server certificate", "host-mismatch");
    row("verify-full without a host name is a host mismatch",
        "host name must be specified for a verified SSL connection", "host-mismatch");
    row("a missing root file is root-cert-missing",
        "connection to server at \"127.0.0.1\", port 5432 failed: root certificate file "
        "\"/root/.postgresql/root.crt\" does not exist\nEither provide the file or change sslmode "
        "to disable server certificate verification.",
        "root-cert-missing");
    row("an unreadable root file is root-cert-unreadable",
        "could not read root certificate file \"/tmp/x\": no certificate or crl found",
        "root-cert-unreadable");
    row("a chain that does not verify is cert-verify-failed",
        "connection to server at \"127.0.0.1\", port 5432 failed: SSL error: certificate verify "
        "failed",
        "cert-verify-failed");
    row("a verification failure before the plaintext retry is still cert-verify-failed",
        "connection to server at \"127.0.0.1\", port 5432 failed: SSL error: certificate verify "
        "failed\nconnection to server at \"127.0.0.1\", port 5432 failed: FATAL:  no pg_hba.conf "
        "entry for host \"127.0.0.1\", user \"u\", database \"d\", no encryption",
        "cert-verify-failed");
    row("a server without TLS under require is ssl-not-supported",
        "connection to server at \"127.0.0.1\", port 5432 failed: server does not support SSL, but "
        "SSL was required",
        "ssl-not-supported");
    row("no pg_hba line for plaintext is the force_ssl refusal",
        "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"u\", database \"d\", no "
        "encryption",
        "no-pg-hba-entry-no-encryption");
    row("no pg_hba line for an encrypted connection is no-pg-hba-entry",
        "FATAL:  no pg_hba.conf entry for host \"10.0.0.1\", user \"u\", database \"d\", SSL "
        "encryption",
        "no-pg-hba-entry");
    row("an explicit reject line is pg-hba-reject",
        "FATAL:  pg_hba.conf rejects connection for host \"127.0.0.1\", user \"u\", database "
        "\"d\", "
        "no encryption",
        "pg-hba-reject");
    row("an unknown role is role-missing", "FATAL:  role \"nobody\" does not exist",
        "role-missing");
    row("an unknown database is database-missing", "FATAL:  database \"nodb\" does not exist",
        "database-missing");
    row("nothing listening is connection-refused",
        "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server "
        "running on that host and accepting TCP/IP connections?",
        "connection-refused");
    row("an unknown name is a DNS failure",
        "could not translate host name \"nonexistent.invalid\" to address: Name or service not "
        "known",
        "dns-failure");
    row("an HTTP answer to SSLRequest is not PostgreSQL",
        "connection to server at \"127.0.0.1\", port 80 failed: received invalid response to SSL "
        "negotiation: H",
        "not-postgres");
    row("an HTTP answer to the startup packet is not PostgreSQL",
        "expected authentication request from server, but received H", "not-postgres");
    row("a server hanging up before any answer is not PostgreSQL",
        "connection to server at \"127.0.0.1\", port 80 failed: server closed the connection "
        "unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while "
        "processing the request.",
        "not-postgres");
    row("a TLS alert is a failed handshake", "SSL error: tlsv1 alert protocol version",
        "tls-handshake-failed");
    row("a TLS connection cut short is a failed handshake", "SSL SYSCALL error: EOF detected",
        "tls-handshake-failed");
    row("libpq's own connect_timeout is a timeout", "timeout expired", "timeout");
    row("anything else is connection-failed",
        "connection to server at \"10.0.0.1\", port 5432 failed: No route to host",
        "connection-failed");
}

void TestPgSession::classifiesLibpqMessages()
{
    QFETCH(QString, message);
    QFETCH(QString, code);
    QCOMPARE(PgSession::classifyError(message), code);
}

void TestPgSession::agreesWithPsqlForEveryScenarioAndSslMode_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<Root>("root");
    QTest::addColumn<bool>("connected");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("code");

    // Modes that do not verify run without a root file (with one, libpq verifies under
    // allow/prefer/require too: the "with the lab root" rows).
    auto row = [](Scenario s, SslMode m, Root root, bool connected, bool tls, const char *code) {
        const QString what = connected
            ? (tls ? QStringLiteral("connects with TLS") : QStringLiteral("connects without TLS"))
            : QStringLiteral("fails with %1").arg(QLatin1String(code));
        const QString rootText = root == Root::Lab ? QStringLiteral(" with the lab root")
            : root == Root::Missing                ? QStringLiteral(" with a missing root file")
                                                   : QString();
        const QString name = QStringLiteral("%1 under %2%3 %4")
                                 .arg(scenarioName(s), sslModeName(m), rootText, what);
        QTest::newRow(qPrintable(name))
            << s << m << root << connected << tls << QString::fromLatin1(code);
    };
    using S = Scenario;
    using M = SslMode;
    const char *noEnc = "no-pg-hba-entry-no-encryption";
    // force_ssl=1 servers whose certificate verifies: only disable fails.
    for (const S s : { S::Correct, S::NoSslinfo }) {
        row(s, M::Disable, Root::None, false, false, noEnc);
        row(s, M::Allow, Root::None, true, true, "");
        row(s, M::Prefer, Root::None, true, true, "");
        row(s, M::Require, Root::None, true, true, "");
        row(s, M::VerifyCa, Root::Lab, true, true, "");
        row(s, M::VerifyFull, Root::Lab, true, true, "");
    }
    row(S::Correct, M::Require, Root::Lab, true, true, "");
    row(S::Correct, M::VerifyFull, Root::Missing, false, false, "root-cert-missing");
    row(S::Correct, M::Require, Root::Missing, true, true, "");

    row(S::Alias, M::Disable, Root::None, false, false, noEnc);
    row(S::Alias, M::Allow, Root::None, true, true, "");
    row(S::Alias, M::Prefer, Root::None, true, true, "");
    row(S::Alias, M::Require, Root::None, true, true, "");
    row(S::Alias, M::Require, Root::Lab, true, true, "");
    row(S::Alias, M::VerifyCa, Root::Lab, true, true, "");
    row(S::Alias, M::VerifyFull, Root::Lab, false, false, "host-mismatch");

    for (const S s : { S::UnknownCa, S::Expired }) {
        row(s, M::Disable, Root::None, false, false, noEnc);
        row(s, M::Allow, Root::None, true, true, "");
        row(s, M::Prefer, Root::None, true, true, "");
        row(s, M::Require, Root::None, true, true, "");
        row(s, M::VerifyCa, Root::Lab, false, false, "cert-verify-failed");
        row(s, M::VerifyFull, Root::Lab, false, false, "cert-verify-failed");
    }
    // With a root file libpq verifies in every TLS mode; prefer then retries in plaintext, which
    // this force_ssl server refuses; allow tried plaintext first.
    row(S::UnknownCa, M::Allow, Root::Lab, false, false, "cert-verify-failed");
    row(S::UnknownCa, M::Prefer, Root::Lab, false, false, "cert-verify-failed");
    row(S::UnknownCa, M::Require, Root::Lab, false, false, "cert-verify-failed");

    row(S::PlaintextAccepted, M::Disable, Root::None, true, false, "");
    row(S::PlaintextAccepted, M::Allow, Root::None, true, false, "");
    row(S::PlaintextAccepted, M::Prefer, Root::None, true, true, "");
    row(S::PlaintextAccepted, M::Require, Root::None, true, true, "");
    row(S::PlaintextAccepted, M::VerifyCa, Root::Lab, true, true, "");
    row(S::PlaintextAccepted, M::VerifyFull, Root::Lab, true, true, "");

    row(S::SslOff, M::Disable, Root::None, true, false, "");
    row(S::SslOff, M::Allow, Root::None, true, false, "");
    row(S::SslOff, M::Prefer, Root::None, true, false, "");
    row(S::SslOff, M::Prefer, Root::Lab, true, false, "");
    row(S::SslOff, M::Require, Root::None, false, false, "ssl-not-supported");
    row(S::SslOff, M::VerifyCa, Root::Lab, false, false, "ssl-not-supported");
    row(S::SslOff, M::VerifyFull, Root::Lab, false, false, "ssl-not-supported");
}

void TestPgSession::agreesWithPsqlForEveryScenarioAndSslMode()
{
    QFETCH(Scenario, scenario);
    QFETCH(SslMode, mode);
    QFETCH(Root, root);
    QFETCH(bool, connected);
    QFETCH(bool, tls);
    QFETCH(QString, code);

    switchTo(scenario);
    if (QTest::currentTestFailed())
        return;
    const Endpoint endpoint = labEndpoint(mode, root);
    const auto r = run(endpoint);
    QVERIFY(r);
    QVERIFY(r->attempted);
    QCOMPARE(r->sslmode, mode);
    QVERIFY2(r->connected == connected, qPrintable(r->error));
    QCOMPARE(r->errorCode, code);
    QCOMPARE(r->sslInUse, tls);
    QVERIFY(r->connectMs >= 0 && r->totalMs >= r->connectMs);

    if (connected) {
        QVERIFY(r->error.isEmpty());
        QVERIFY2(r->queryError.isEmpty(), qPrintable(r->queryError));
        QVERIFY(r->passwordSent); // from the lab's passfile, scram-sha-256
        QVERIFY(r->reachedAuthentication);
        if (tls) {
            QVERIFY(r->protocol.startsWith(QLatin1String("TLSv1.")));
            QVERIFY(!r->cipher.isEmpty());
            QVERIFY(r->keyBits >= 128);
            QCOMPARE(r->pgStatSslVersion, r->protocol);
            QCOMPARE(r->pgStatSslCipher, r->cipher);
            QCOMPARE(r->pgStatSslBits, r->keyBits);
        } else {
            QVERIFY(r->protocol.isEmpty());
        }
        // The server's view agrees with the client's.
        QCOMPARE(r->pgStatSsl, std::optional<bool>(tls));
        QCOMPARE(r->sslIsUsed, std::optional<bool>(tls));
        const bool sslinfo = scenario != Scenario::NoSslinfo;
        QCOMPARE(r->sslinfoInstalled, sslinfo);
        QCOMPARE(r->sslIsUsedSource,
            sslinfo ? QStringLiteral("sslinfo") : QStringLiteral("pg_stat_ssl"));
        QCOMPARE(r->showSsl,
            scenario == Scenario::SslOff ? QStringLiteral("off") : QStringLiteral("on"));
        const bool plaintext
            = scenario == Scenario::PlaintextAccepted || scenario == Scenario::SslOff;
        QCOMPARE(r->rdsForceSsl,
            std::optional<QString>(plaintext ? QStringLiteral("0") : QStringLiteral("1")));
        QVERIFY(r->serverVersion.startsWith(QLatin1String("15.")));
        QVERIFY(r->backendPid > 0);
        QCOMPARE(r->serverAddress, QStringLiteral("127.0.0.1:%1").arg(m_lab->port()));
    } else {
        QVERIFY(!r->error.isEmpty());
        QVERIFY(!r->sslIsUsed);
    }

    // What psql itself does with the same parameters.
    const PsqlOutcome p = psql(endpoint);
    QVERIFY(p.ran);
    QVERIFY2(p.connected == r->connected,
        qPrintable(QStringLiteral("psql: %1; PgSession: %2").arg(p.error, r->error)));
    if (p.connected) {
        QCOMPARE(p.ssl, tls ? QStringLiteral("t") : QStringLiteral("f"));
    } else {
        QCOMPARE(PgSession::classifyError(p.error), r->errorCode);
        QCOMPARE(p.error, r->error);
    }
}

void TestPgSession::rebuildsTheDefaultVerbosityText_data()
{
    QTest::addColumn<QString>("verbose");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<QStringList>("sqlstates");
    QTest::newRow("a server error loses its SQLSTATE and LOCATION line")
        << QStringLiteral("connection to server at \"h\" (127.0.0.1), port 5 failed: FATAL:  28P01: "
                          "password authentication failed for user \"u\"\nLOCATION:  auth_failed, "
                          "auth.c:323\n")
        << QStringLiteral("connection to server at \"h\" (127.0.0.1), port 5 failed: FATAL:  "
                          "password authentication failed for user \"u\"\n")
        << QStringList { QStringLiteral("28P01") };
    QTest::newRow("two attempts keep both errors and their DETAIL")
        << QStringLiteral("failed: FATAL:  28000: no entry\nDETAIL:  d\nLOCATION:  f, a.c:1\n"
                          "connection to server failed: FATAL:  3D000: no db\nLOCATION:  g, b.c:2\n")
        << QStringLiteral("failed: FATAL:  no entry\nDETAIL:  d\nconnection to server failed: "
                          "FATAL:  no db\n")
        << QStringList { QStringLiteral("28000"), QStringLiteral("3D000") };
    QTest::newRow("libpq's own message is unchanged")
        << QStringLiteral("connection to server at \"h\", port 1 failed: Connection refused\n\tIs "
                          "the server running on that host and accepting TCP/IP connections?\n")
        << QStringLiteral("connection to server at \"h\", port 1 failed: Connection refused\n\tIs "
                          "the server running on that host and accepting TCP/IP connections?\n")
        << QStringList();
}

void TestPgSession::rebuildsTheDefaultVerbosityText()
{
    QFETCH(QString, verbose);
    QFETCH(QString, plain);
    QFETCH(QStringList, sqlstates);
    QStringList found;
    QCOMPARE(PgSession::defaultVerbosityText(verbose, &found), plain);
    QCOMPARE(found, sqlstates);
}

void TestPgSession::classifiesByStructureNotText_data()
{
    QTest::addColumn<QString>("sqlstate");
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("authenticated");
    QTest::addColumn<QString>("code");
    // The text is in a language nobody has a catalogue for: only the structure speaks.
    auto row = [](const char *name, const char *state, const char *step, bool tls, bool auth,
                   const char *code) {
        QTest::newRow(name) << QString::fromLatin1(state) << QString::fromLatin1(step) << tls
                            << auth << QString::fromLatin1(code);
    };
    row("28P01 is a failed password", "28P01", "authentication", true, false, "password-failed");
    row("3D000 is a missing database", "3D000", "startup", true, true, "database-missing");
    row("28000 after AuthenticationOk is the role", "28000", "startup", true, true,
        "role-missing");
    row("28000 before it over TLS is pg_hba.conf", "28000", "authentication", true, false,
        "no-pg-hba-entry");
    row("28000 before it without TLS is pg_hba.conf for plaintext", "28000", "authentication",
        false, false, "no-pg-hba-entry-no-encryption");
    row("57P03 is a server that is not ready", "57P03", "authentication", true, false,
        "server-not-ready");
    row("53300 is a full server", "53300", "authentication", true, false, "too-many-connections");
    row("an unknown text in the TLS handshake is a failed handshake", "", "tls-handshake", true,
        false, "tls-handshake-failed");
    row("an unknown text at the TCP connect is a failed connection", "", "tcp-connect", false,
        false, "connection-failed");
}

void TestPgSession::classifiesByStructureNotText()
{
    QFETCH(QString, sqlstate);
    QFETCH(QString, step);
    QFETCH(bool, tls);
    QFETCH(bool, authenticated);
    QFETCH(QString, code);
    PgSession::AttemptFailure a;
    a.message = QStringLiteral("ZZZ: qqq xyzzy");
    a.sqlstate = sqlstate;
    a.step = step;
    a.tls = tls;
    a.authenticated = authenticated;
    QCOMPARE(PgSession::classifyFailure({ a }), code);
}

void TestPgSession::recordsTheStepAndSqlstateOfAFailure_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<Root>("root");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("step");
    QTest::addColumn<QStringList>("sqlstates");
    QTest::addColumn<QString>("code");
    using S = Scenario;
    using M = SslMode;
    const QStringList none;
    QTest::newRow("plaintext refused by pg_hba.conf ends at authentication with 28000")
        << S::Correct << M::Disable << Root::None << QString() << QStringLiteral("authentication")
        << QStringList { QStringLiteral("28000") }
        << QStringLiteral("no-pg-hba-entry-no-encryption");
    QTest::newRow("a wrong password ends at authentication with 28P01")
        << S::Correct << M::VerifyFull << Root::Lab << QStringLiteral("wrong-password")
        << QStringLiteral("authentication") << QStringList { QStringLiteral("28P01") }
        << QStringLiteral("password-failed");
    QTest::newRow("an expired certificate ends in the TLS handshake")
        << S::Expired << M::VerifyFull << Root::Lab << QString() << QStringLiteral("tls-handshake")
        << none << QStringLiteral("cert-verify-failed");
    QTest::newRow("the alias ends in the TLS handshake")
        << S::Alias << M::VerifyFull << Root::Lab << QString() << QStringLiteral("tls-handshake")
        << none << QStringLiteral("host-mismatch");
    QTest::newRow("ssl=off under require ends at the SSLRequest answer")
        << S::SslOff << M::Require << Root::None << QString() << QStringLiteral("ssl-request")
        << none << QStringLiteral("ssl-not-supported");
    QTest::newRow("a connected session has no failure step")
        << S::Correct << M::VerifyFull << Root::Lab << QString() << QString() << none
        << QString();
}

void TestPgSession::recordsTheStepAndSqlstateOfAFailure()
{
    QFETCH(Scenario, scenario);
    QFETCH(SslMode, mode);
    QFETCH(Root, root);
    QFETCH(QString, password);
    QFETCH(QString, step);
    QFETCH(QStringList, sqlstates);
    QFETCH(QString, code);
    switchTo(scenario);
    if (QTest::currentTestFailed())
        return;
    Endpoint e = labEndpoint(mode, root);
    if (!password.isEmpty())
        e.passfile.clear();
    const auto r = run(e, password);
    QVERIFY(r);
    QCOMPARE(r->errorCode, code);
    QCOMPARE(r->step, step);
    QCOMPARE(r->sqlstates, sqlstates);
    // The verbose SQLSTATE never reaches the text shown.
    for (const QString &state : sqlstates)
        QVERIFY2(!r->error.contains(state), qPrintable(r->error));
}

void TestPgSession::withoutAnyPasswordTheServerAsksForOne()
{
    switchTo(Scenario::Correct);
    Endpoint e = labEndpoint(SslMode::VerifyFull, Root::Lab);
    e.passfile.clear();
    const auto r = run(e);
    QVERIFY(r);
    QVERIFY(!r->connected);
    QVERIFY(r->needsPassword);
    QVERIFY(r->reachedAuthentication);
    QVERIFY(!r->passwordSent);
    QCOMPARE(r->errorCode, QStringLiteral("password-needed"));
    QVERIFY2(r->error.contains(QLatin1String("no password supplied")), qPrintable(r->error));

    const PsqlOutcome p = psql(e);
    QVERIFY(p.ran && !p.connected);
    QCOMPARE(p.error, r->error);
}

void TestPgSession::theRightPasswordConnects()
{
    switchTo(Scenario::Correct);
    Endpoint e = labEndpoint(SslMode::VerifyFull, Root::Lab);
    e.passfile.clear();
    const QString password = m_lab->password();
    const auto r = run(e, password);
    QVERIFY(r);
    QVERIFY2(r->connected, qPrintable(r->error));
    QVERIFY(r->passwordSent);
    QVERIFY(!r->needsPassword);
    QVERIFY(r->sslInUse);
    // The password reaches no field of the result.
    const QStringList texts = { r->protocol, r->cipher, r->compression, r->pgStatSslVersion,
        r->pgStatSslCipher, r->showSsl, r->serverVersion, r->serverAddress, r->error, r->errorCode,
        r->queryError, r->sslIsUsedSource, r->rdsForceSsl.value_or(QString()) };
    for (const QString &text : texts)
        QVERIFY(!text.contains(password));
}

void TestPgSession::aWrongPasswordFailsAuthentication()
{
    switchTo(Scenario::Correct);
    Endpoint e = labEndpoint(SslMode::VerifyFull, Root::Lab);
    e.passfile.clear();
    const auto r = run(e, QStringLiteral("not-the-password"));
    QVERIFY(r);
    QVERIFY(!r->connected);
    QVERIFY(r->passwordSent);
    QVERIFY(!r->needsPassword);
    QVERIFY(r->reachedAuthentication);
    QCOMPARE(r->errorCode, QStringLiteral("password-failed"));
    QVERIFY2(
        r->error.contains(QLatin1String("password authentication failed for user \"labuser\"")),
        qPrintable(r->error));
}

void TestPgSession::pgpasswordIsUsedWhenNotWithheld()
{
    switchTo(Scenario::Correct);
    Endpoint e = labEndpoint(SslMode::VerifyFull, Root::Lab);
    e.passfile.clear();
    qputenv("PGPASSWORD", m_lab->password().toUtf8());
    const auto r = run(e);
    qunsetenv("PGPASSWORD");
    QVERIFY(r);
    QVERIFY2(r->connected, qPrintable(r->error));
    QVERIFY(r->passwordSent);
}

void TestPgSession::withheldPasswordIgnoresPgpasswordPassfileAndArgument_data()
{
    QTest::addColumn<QString>("dbname");
    QTest::newRow("for the lab database") << QString();
    // The database name travels inside a connection string then: it must survive the quoting.
    QTest::newRow("for a database name with a quote, a space, a backslash and an equals sign")
        << QStringLiteral("it's a \\db=x");
    QTest::newRow("for no database name at all") << QStringLiteral("-");
}

void TestPgSession::withheldPasswordIgnoresPgpasswordPassfileAndArgument()
{
    // The plaintext test must never send a password: not PGPASSWORD, not the passfile, not ours.
    QFETCH(QString, dbname);
    switchTo(Scenario::PlaintextAccepted);
    Endpoint e = labEndpoint(SslMode::Disable, Root::None);
    if (dbname == QLatin1String("-"))
        e.dbname.clear();
    else if (!dbname.isEmpty())
        e.dbname = dbname;
    QVERIFY(!e.passfile.isEmpty());
    qputenv("PGPASSWORD", m_lab->password().toUtf8());
    PgSession::Options options;
    options.withholdPassword = true;
    const auto r = run(e, m_lab->password(), options);
    qunsetenv("PGPASSWORD");
    QVERIFY(r);
    QVERIFY(!r->connected);
    QVERIFY(!r->passwordSent);
    QVERIFY(r->needsPassword);
    QVERIFY(r->reachedAuthentication); // pg_hba accepted plaintext: the answer to the question
    QCOMPARE(r->errorCode, QStringLiteral("password-needed"));
    QVERIFY2(r->error.endsWith(QLatin1String("fe_sendauth: no password supplied")),
        qPrintable(r->error));
}

void TestPgSession::serverViewQueriesCanBeSkipped()
{
    switchTo(Scenario::Correct);
    PgSession::Options options;
    options.queryServerView = false;
    PgSession session;
    QSignalSpy steps(&session, &PgSession::stepFinished);
    QSignalSpy finished(&session, &PgSession::finished);
    session.start(labEndpoint(SslMode::VerifyFull, Root::Lab), QString(), options);
    QVERIFY(finished.wait(15000));
    const SessionResult &r = session.result();
    QVERIFY2(r.connected, qPrintable(r.error));
    QVERIFY(r.sslInUse);
    QCOMPARE(r.backendPid, 0);
    QVERIFY(r.serverVersion.isEmpty());
    QVERIFY(!r.sslIsUsed);
    QCOMPARE(steps.count(), 1);
    QCOMPARE(steps.first().first().toString(), QStringLiteral("connected"));
}

void TestPgSession::aHostNameIsResolvedWithoutLibpq()
{
    // "localhost" is resolved by QHostInfo and every address handed to libpq in order (the lab
    // listens on 127.0.0.1 only: if ::1 came first, libpq moves on to the next, as psql does).
    switchTo(Scenario::Correct);
    Endpoint e = labEndpoint(SslMode::Require, Root::None);
    e.host = QStringLiteral("localhost");
    e.hostaddr.clear();
    PgSession session;
    QSignalSpy steps(&session, &PgSession::stepFinished);
    QSignalSpy finished(&session, &PgSession::finished);
    session.start(e, QString(), PgSession::Options());
    QVERIFY(finished.wait(15000));
    const SessionResult &r = session.result();
    QVERIFY2(r.connected, qPrintable(r.error));
    QVERIFY(r.sslInUse);
    QCOMPARE(r.serverAddress, QStringLiteral("127.0.0.1:%1").arg(m_lab->port()));
    QStringList names;
    for (const auto &args : std::as_const(steps))
        names << args.first().toString();
    QCOMPARE(names,
        QStringList({ QStringLiteral("resolve"), QStringLiteral("connected"),
            QStringLiteral("server-view") }));
}

void TestPgSession::aUnixSocketConnectsWithoutTls()
{
    switchTo(Scenario::Correct);
    const Endpoint e = superuserEndpoint();
    const auto r = run(e);
    QVERIFY(r);
    QVERIFY2(r->connected, qPrintable(r->error));
    QVERIFY(!r->sslInUse);
    QVERIFY(!r->passwordSent);
    QCOMPARE(r->sslIsUsed, std::optional<bool>(false));
    QVERIFY(r->serverAddress.isEmpty());

    const PsqlOutcome p = psql(e);
    QVERIFY(p.ran);
    QVERIFY2(p.connected, qPrintable(p.error));
    QCOMPARE(p.ssl, QStringLiteral("f"));
}

void TestPgSession::anUnparsableHostaddrFailsAfterStartReturns()
{
    // libpq rejects this inside PQconnectStartParams; finished() still comes from the event loop.
    Endpoint e;
    e.host = QStringLiteral("db.example.com");
    e.hostaddr = QStringLiteral("999.1.1.1");
    e.port = 5432;
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    const auto r = run(e);
    QVERIFY(r);
    QVERIFY(!r->connected);
    QCOMPARE(r->errorCode, QStringLiteral("connection-failed"));
    QVERIFY2(r->error.contains(QLatin1String("999.1.1.1")), qPrintable(r->error));
}

void TestPgSession::aStalledServerViewQueryEnds_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::newRow("when the deadline passes") << false;
    QTest::newRow("when cancelled") << true;
}

void TestPgSession::aStalledServerViewQueryEnds()
{
    // A superuser session holds an exclusive lock on pg_extension, so the server-view query waits.
    QFETCH(bool, cancel);
    switchTo(Scenario::Correct);
    const Endpoint admin = superuserEndpoint();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGAPPNAME"), QStringLiteral("pgtls-locker"));
    QProcess locker;
    locker.setProcessEnvironment(env);
    QSignalSpy lockerDone(&locker, &QProcess::finished);
    locker.start(QStringLiteral("psql"),
        { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-h"), admin.host,
            QStringLiteral("-p"), QString::number(admin.port), QStringLiteral("-U"), admin.user,
            QStringLiteral("-d"), admin.dbname, QStringLiteral("-c"),
            QStringLiteral("BEGIN; LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE; "
                           "SELECT pg_sleep(30);") });
    // Released even when a check below fails, so later tests do not wait on the lock.
    const auto release = qScopeGuard([this, admin, &locker, &lockerDone] {
        psql(admin, QString(),
            QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE application_name = 'pgtls-locker'"));
        if (lockerDone.isEmpty() && !lockerDone.wait(10000))
            locker.kill();
    });
    const QString lockHeld = QStringLiteral(
        "SELECT count(*) FROM pg_locks WHERE relation = 'pg_catalog.pg_extension'::regclass"
        " AND mode = 'AccessExclusiveLock' AND granted");
    QTRY_COMPARE_WITH_TIMEOUT(psql(admin, QString(), lockHeld).ssl, QStringLiteral("1"), 10000);

    PgSession session;
    QSignalSpy steps(&session, &PgSession::stepFinished);
    QSignalSpy finished(&session, &PgSession::finished);
    PgSession::Options options;
    options.timeoutMs = 2000;
    session.start(labEndpoint(SslMode::VerifyFull, Root::Lab), QString(), options);
    if (cancel) {
        QVERIFY(steps.wait(5000));
        QCOMPARE(steps.last().first().toString(), QStringLiteral("connected"));
        session.cancel();
    }
    QVERIFY(finished.wait(options.timeoutMs + 5000));
    const SessionResult r = session.result();
    QVERIFY2(r.connected, qPrintable(r.error));
    QVERIFY(r.sslInUse);
    QCOMPARE(r.errorCode, cancel ? QStringLiteral("cancelled") : QStringLiteral("timeout"));
    QCOMPARE(r.error,
        cancel ? QStringLiteral("cancelled during the server-view queries")
               : QStringLiteral("timed out after 2000 ms during the server-view queries"));
    QCOMPARE(finished.count(), 1);
}

void TestPgSession::cancelFinishesExactlyOnce_data()
{
    QTest::addColumn<bool>("afterAccept");
    QTest::newRow("cancel right after start") << false;
    QTest::newRow("cancel once the server has accepted the TCP connection") << true;
}

void TestPgSession::cancelFinishesExactlyOnce()
{
    QFETCH(bool, afterAccept);
    FakeServer server(FakeServer::Behaviour::Silent);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy accepted(&server, &QTcpServer::newConnection);

    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    e.sslmode = SslMode::Prefer;
    PgSession session;
    QSignalSpy finished(&session, &PgSession::finished);
    session.start(e, QString(), PgSession::Options());
    if (afterAccept)
        QVERIFY(accepted.wait(5000));
    session.cancel();
    QCOMPARE(finished.count(), 0); // queued, even for cancel
    QVERIFY(finished.wait(5000));
    QCOMPARE(session.result().errorCode, QStringLiteral("cancelled"));
    QVERIFY(!session.result().connected);
    QVERIFY(!session.isRunning());
    session.cancel(); // after finished(): nothing
    QVERIFY(!finished.wait(300));
    QCOMPARE(finished.count(), 1);
}

void TestPgSession::aSilentServerTimesOut()
{
    FakeServer server(FakeServer::Behaviour::Silent);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    e.sslmode = SslMode::Prefer;
    PgSession::Options options;
    options.timeoutMs = 1500;
    const auto r = run(e, QString(), options);
    QVERIFY(r);
    QCOMPARE(r->errorCode, QStringLiteral("timeout"));
    QCOMPARE(r->error, QStringLiteral("timed out after 1500 ms while connecting"));
    // TCP connected; the SSLRequest got no answer: the step says so (not a firewall).
    QCOMPARE(r->step, QStringLiteral("ssl-request"));
    QVERIFY2(r->totalMs >= 1500 && r->totalMs < 3000, qPrintable(QString::number(r->totalMs)));
}

void TestPgSession::aServerThatIsNotPostgresIsRecognised_data()
{
    QTest::addColumn<int>("behaviour");
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<QString>("detail");
    const int http = int(FakeServer::Behaviour::Http);
    const int hangUp = int(FakeServer::Behaviour::HangUp);
    QTest::newRow("an HTTP server answers SSLRequest under prefer")
        << http << SslMode::Prefer
        << QStringLiteral("received invalid response to SSL negotiation: H");
    QTest::newRow("an HTTP server answers SSLRequest under verify-full")
        << http << SslMode::VerifyFull
        << QStringLiteral("received invalid response to SSL negotiation: H");
    QTest::newRow("an HTTP server answers the startup packet under disable")
        << http << SslMode::Disable
        << QStringLiteral("expected authentication request from server");
    QTest::newRow("a server hangs up at once under prefer")
        << hangUp << SslMode::Prefer << QStringLiteral("server closed the connection unexpectedly");
}

void TestPgSession::aServerThatIsNotPostgresIsRecognised()
{
    QFETCH(int, behaviour);
    QFETCH(SslMode, mode);
    QFETCH(QString, detail);
    FakeServer server(static_cast<FakeServer::Behaviour>(behaviour));
    QVERIFY(server.listen(QHostAddress::LocalHost));
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = server.serverPort();
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    e.sslmode = mode;
    const auto r = run(e);
    QVERIFY(r);
    QVERIFY(!r->connected);
    QCOMPARE(r->errorCode, QStringLiteral("not-postgres"));
    QVERIFY2(r->error.contains(detail), qPrintable(r->error));
}

void TestPgSession::aClosedPortIsRefused()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = port;
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    const auto r = run(e);
    QVERIFY(r);
    QCOMPARE(r->errorCode, QStringLiteral("connection-refused"));
    QCOMPARE(r->step, QStringLiteral("tcp-connect"));
    QVERIFY2(r->error.contains(QLatin1String("Connection refused")), qPrintable(r->error));

    const PsqlOutcome p = psql(e);
    QVERIFY(p.ran && !p.connected);
    QCOMPARE(p.error, r->error);
}

void TestPgSession::anUnresolvableNameIsADnsFailure()
{
    // A name the resolver refuses without asking anyone: a first label of 64 characters (DNS allows
    // 63), so no query leaves this machine (an ordinary .invalid name is sent to the configured
    // name server). libpq's getaddrinfo() and Qt's lookup both fail at once.
    const QString name = QString(64, QLatin1Char('a')) + QStringLiteral(".invalid");
    Endpoint e;
    e.host = name;
    e.port = 5432;
    e.dbname = QStringLiteral("x");
    e.user = QStringLiteral("x");
    PgSession::Options options;
    options.timeoutMs = 5000;
    const auto r = run(e, QString(), options);
    QVERIFY(r);
    QVERIFY(!r->connected);
    QCOMPARE(r->errorCode, QStringLiteral("dns-failure"));
    QVERIFY2(r->error.startsWith(
                 QStringLiteral("could not translate host name \"%1\" to address").arg(name)),
        qPrintable(r->error));

    const PsqlOutcome p = psql(e);
    QVERIFY(p.ran && !p.connected);
    QCOMPARE(PgSession::classifyError(p.error), r->errorCode);
}

QTEST_GUILESS_MAIN(TestPgSession)
#include "TestPgSession.moc"
