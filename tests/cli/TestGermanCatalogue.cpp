// SPDX-License-Identifier: MIT
// Classification by structure, not English text: pgtls-check --json under a German message
// catalogue (libpq's libpq5-15.mo, the C library's strerror texts, and a lab server that speaks
// German too) gives the same problem code as under LC_ALL=C for every problem the lab can
// produce, and shows libpq's German text as the detail, as psql prints it.
#include "Lab.h"
#include "../support/LabFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

enum class Peer { Lab, ClosedPort, SilentListener, HttpServer };

// How one run of pgtls-check (or psql) is set up.
struct Case
{
    Scenario scenario = Scenario::Correct;
    Peer peer = Peer::Lab;
    QString sslmode = QStringLiteral("verify-full");
    bool rootFile = true;        // --sslrootcert the lab's CA bundle
    bool passfile = true;        // PGPASSFILE the lab's passfile
    QString password;            // PGPASSWORD ("lab": the lab's password)
    QString dbname;              // empty: the lab's
    bool libpqText = true;       // the detail is libpq's text (not our own timeout message)
};

struct Outcome
{
    bool ran = false;
    QString code;                // the verdict's first error
    QString sessionCode;
    QString sessionError;
    QString sessionStep;
    QString probeStep;
    QString explanation;
    QString fix;
    QByteArray raw;
};

} // namespace

Q_DECLARE_METATYPE(Case)

class TestGermanCatalogue : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void theLabServerSpeaksGerman();
    void sameCodeInGermanAsInEnglish_data();
    void sameCodeInGermanAsInEnglish();
    void aSilentListenerIsNotBlamedOnTheFirewall();

private:
    QProcessEnvironment environment(const Case &c, bool german, const QString &home) const;
    QStringList target(const Case &c) const;
    // `home` is HOME for the run: the same for psql and us where libpq's text names a path in it.
    Outcome check(const Case &c, bool german, const QString &home);
    QString psqlError(const Case &c, bool german, const QString &home);
    bool switchTo(Scenario s);

    Lab *m_lab = nullptr;
    QString m_psql;
    QTcpServer m_silent;         // listens, never accepts: the kernel completes TCP, nothing answers
    QTcpServer m_http;           // answers like a web server
    quint16 m_closedPort = 0;
};

void TestGermanCatalogue::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral("/usr/share/locale/de/LC_MESSAGES/libpq5-15.mo")),
        "Debian's German libpq catalogue is needed");
    m_psql = Lab::serverBinDirectory() + QStringLiteral("/psql");
    QVERIFY(QFileInfo::exists(m_psql));
    // The lab's server inherits LANGUAGE from us (its LC_ALL is C); lc_messages is set below.
    qputenv("LANGUAGE", "de");
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // lc_messages = 'C.UTF-8' lets gettext follow LANGUAGE in the server (under 'C' it does not).
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    }
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(m_psql, { QStringLiteral("-X"), QStringLiteral("-h"), m_lab->directory(),
                        QStringLiteral("-p"), QString::number(m_lab->port()), QStringLiteral("-U"),
                        QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("postgres"),
                        QStringLiteral("-c"),
                        QStringLiteral("ALTER SYSTEM SET lc_messages = 'C.UTF-8'"),
                        QStringLiteral("-c"), QStringLiteral("SELECT pg_reload_conf()") });
    QVERIFY(p.waitForFinished(20000));
    QVERIFY2(p.exitCode() == 0, p.readAll().constData());

    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    m_silent.pauseAccepting();
    QVERIFY(m_http.listen(QHostAddress::LocalHost));
    connect(&m_http, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_http.nextPendingConnection()) {
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            s->write("HTTP/1.0 400 Bad Request\r\n\r\n");
            s->disconnectFromHost();
        }
    });
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        m_closedPort = closed.serverPort();
    }
}

void TestGermanCatalogue::cleanupTestCase()
{
    delete m_lab;
    m_lab = nullptr;
}

bool TestGermanCatalogue::switchTo(Scenario s)
{
    const QString error = test::switchScenario(*m_lab, s);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return error.isEmpty();
}

QProcessEnvironment TestGermanCatalogue::environment(
    const Case &c, bool german, const QString &home) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(QLatin1String("PG")) || k.startsWith(QLatin1String("LC_"))
            || k == QLatin1String("LANGUAGE") || k == QLatin1String("LANG"))
            env.remove(k);
    }
    env.insert(QStringLiteral("HOME"), home); // no ~/.postgresql/root.crt, no ~/.pgpass
    env.insert(QStringLiteral("LC_ALL"), german ? QStringLiteral("C.UTF-8") : QStringLiteral("C"));
    if (german)
        env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("de"));
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    if (c.passfile)
        env.insert(QStringLiteral("PGPASSFILE"), m_lab->passfilePath());
    else
        env.insert(QStringLiteral("PGPASSFILE"), home + QStringLiteral("/no-passfile"));
    if (c.password == QLatin1String("lab"))
        env.insert(QStringLiteral("PGPASSWORD"), m_lab->password());
    else if (!c.password.isEmpty())
        env.insert(QStringLiteral("PGPASSWORD"), c.password);
    return env;
}

// host, hostaddr, port, user, dbname, sslmode, sslrootcert as a conninfo (for psql and us).
QStringList TestGermanCatalogue::target(const Case &c) const
{
    QString port = QString::number(m_lab->port());
    if (c.peer == Peer::ClosedPort)
        port = QString::number(m_closedPort);
    else if (c.peer == Peer::SilentListener)
        port = QString::number(m_silent.serverPort());
    else if (c.peer == Peer::HttpServer)
        port = QString::number(m_http.serverPort());
    const QString host = c.scenario == Scenario::Alias ? Lab::aliasHostName()
                                                       : Lab::endpointHostName();
    QString conninfo = QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 user=%3 dbname=%4 "
                                      "sslmode=%5")
                           .arg(host, port, m_lab->userName(),
                               c.dbname.isEmpty() ? m_lab->databaseName() : c.dbname, c.sslmode);
    if (c.rootFile)
        conninfo += QStringLiteral(" sslrootcert=%1").arg(m_lab->caBundlePath());
    return { conninfo };
}

Outcome TestGermanCatalogue::check(const Case &c, bool german, const QString &home)
{
    Outcome o;
    QProcess p;
    p.setProcessEnvironment(environment(c, german, home));
    p.setStandardInputFile(QProcess::nullDevice());
    QStringList args = { QStringLiteral("--json"), QStringLiteral("--timeout"),
        c.peer == Peer::SilentListener ? QStringLiteral("3") : QStringLiteral("15") };
    args += target(c);
    QSignalSpy done(&p, &QProcess::finished);
    p.start(QStringLiteral(PGTLS_CHECK_BIN), args);
    // The event loop runs meanwhile: the HTTP peer lives in this thread.
    if (!done.wait(40000)) {
        p.kill();
        p.waitForFinished();
        return o;
    }
    o.raw = p.readAllStandardOutput();
    const QJsonObject root = QJsonDocument::fromJson(o.raw).object();
    if (root.isEmpty())
        return o;
    o.ran = true;
    const QJsonArray problems = root.value(QStringLiteral("verdict"))
                                    .toObject()
                                    .value(QStringLiteral("problems"))
                                    .toArray();
    for (const QJsonValue &v : problems) {
        const QJsonObject pr = v.toObject();
        if (pr.value(QStringLiteral("severity")).toString() == QLatin1String("error")) {
            o.code = pr.value(QStringLiteral("code")).toString();
            o.explanation = pr.value(QStringLiteral("explanation")).toString();
            o.fix = pr.value(QStringLiteral("fix")).toString();
            break;
        }
    }
    const QJsonObject session = root.value(QStringLiteral("session")).toObject();
    o.sessionCode = session.value(QStringLiteral("error_code")).toString();
    o.sessionError = session.value(QStringLiteral("error")).toString();
    o.sessionStep = session.value(QStringLiteral("step")).toString();
    o.probeStep = root.value(QStringLiteral("probe"))
                      .toObject()
                      .value(QStringLiteral("step"))
                      .toString();
    return o;
}

QString TestGermanCatalogue::psqlError(const Case &c, bool german, const QString &home)
{
    QProcess p;
    p.setProcessEnvironment(environment(c, german, home));
    p.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy done(&p, &QProcess::finished);
    p.start(m_psql, QStringList { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-c"),
                                  QStringLiteral("select 1") }
            + target(c));
    if (!done.wait(40000)) {
        p.kill();
        p.waitForFinished();
        return QString();
    }
    return QString::fromUtf8(p.readAllStandardError());
}

void TestGermanCatalogue::theLabServerSpeaksGerman()
{
    QVERIFY(switchTo(Scenario::Correct));
    Case c;
    c.passfile = false;
    c.password = QStringLiteral("not-the-password");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString german = psqlError(c, true, home.path());
    // The server's own message (postgres-15.mo), not only libpq's frame around it.
    QVERIFY2(german.contains(QStringLiteral("Passwort-Authentifizierung")), qPrintable(german));
    QVERIFY2(german.contains(QStringLiteral("Verbindung zum Server")), qPrintable(german));
    // The server speaks its own language to every client: under LC_ALL=C only libpq's frame is
    // English, so the LC_ALL=C runs below classify a German server text too.
    const QString english = psqlError(c, false, home.path());
    QVERIFY2(english.contains(QLatin1String("connection to server at")), qPrintable(english));
    QVERIFY2(english.contains(QStringLiteral("Passwort-Authentifizierung")), qPrintable(english));
}

void TestGermanCatalogue::sameCodeInGermanAsInEnglish_data()
{
    QTest::addColumn<Case>("c");
    QTest::addColumn<QString>("code");
    auto row = [](const char *name, Case c, const char *code) {
        QTest::newRow(name) << c << QString::fromLatin1(code);
    };
    Case closed;
    closed.peer = Peer::ClosedPort;
    closed.sslmode = QStringLiteral("prefer");
    closed.rootFile = false;
    row("a closed port is connection-refused", closed, "connection-refused");

    Case silent;
    silent.peer = Peer::SilentListener;
    silent.sslmode = QStringLiteral("require");
    silent.rootFile = false;
    silent.libpqText = false;
    row("a listener that never answers is a timeout", silent, "timeout");

    Case http;
    http.peer = Peer::HttpServer;
    http.sslmode = QStringLiteral("require");
    http.rootFile = false;
    row("a web server is not PostgreSQL", http, "not-postgres");

    Case alias;
    alias.scenario = Scenario::Alias;
    row("the alias under verify-full is the alias mismatch", alias, "host-mismatch-alias");

    Case unknownCa;
    unknownCa.scenario = Scenario::UnknownCa;
    row("a chain from another CA is unknown-ca", unknownCa, "unknown-ca");

    Case expired;
    expired.scenario = Scenario::Expired;
    row("an expired server certificate is cert-expired", expired, "cert-expired");

    Case noRoot;
    noRoot.rootFile = false;
    row("verify-full without any root file is root-cert-missing", noRoot, "root-cert-missing");

    Case wrongPassword;
    wrongPassword.passfile = false;
    wrongPassword.password = QStringLiteral("not-the-password");
    row("a wrong password is password-failed", wrongPassword, "password-failed");

    Case noDatabase;
    noDatabase.passfile = false;
    noDatabase.password = QStringLiteral("lab");
    noDatabase.dbname = QStringLiteral("nosuchdb");
    row("an unknown database is database-missing", noDatabase, "database-missing");

    Case plaintext;
    plaintext.sslmode = QStringLiteral("disable");
    plaintext.rootFile = false;
    row("disable on a server that requires TLS is plaintext-refused", plaintext,
        "plaintext-refused");

    Case sslOff;
    sslOff.scenario = Scenario::SslOff;
    sslOff.sslmode = QStringLiteral("require");
    sslOff.rootFile = false;
    row("require on a server with ssl=off is ssl-not-supported", sslOff, "ssl-not-supported");
}

void TestGermanCatalogue::sameCodeInGermanAsInEnglish()
{
    QFETCH(Case, c);
    QFETCH(QString, code);
    QVERIFY(switchTo(c.scenario));
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const Outcome english = check(c, false, home.path());
    QVERIFY2(english.ran, english.raw.constData());
    const Outcome german = check(c, true, home.path());
    QVERIFY2(german.ran, german.raw.constData());
    QCOMPARE(english.code, code);
    QCOMPARE(german.code, english.code);
    QCOMPARE(german.sessionCode, english.sessionCode);
    QCOMPARE(german.sessionStep, english.sessionStep);
    QCOMPARE(german.probeStep, english.probeStep);
    if (!c.libpqText)
        return;
    // libpq is the truth: its German text is the detail, exactly as psql prints it.
    QVERIFY(!german.sessionError.isEmpty());
    QVERIFY2(german.sessionError != english.sessionError, qPrintable(german.sessionError));
    const QString psql = psqlError(c, true, home.path());
    QVERIFY2(psql.contains(german.sessionError),
        qPrintable(QStringLiteral("psql: %1\nours: %2").arg(psql, german.sessionError)));
}

void TestGermanCatalogue::aSilentListenerIsNotBlamedOnTheFirewall()
{
    Case c;
    c.peer = Peer::SilentListener;
    c.sslmode = QStringLiteral("require");
    c.rootFile = false;
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const Outcome o = check(c, false, home.path());
    QVERIFY2(o.ran, o.raw.constData());
    QCOMPARE(o.code, QStringLiteral("timeout"));
    // TCP connected (the kernel accepted it); the SSLRequest got no answer.
    QCOMPARE(o.probeStep, QStringLiteral("ssl-request"));
    QVERIFY2(o.explanation.contains(QLatin1String("was accepted")), qPrintable(o.explanation));
    QVERIFY2(!o.fix.contains(QLatin1String("security group")), qPrintable(o.fix));
}

QTEST_GUILESS_MAIN(TestGermanCatalogue)
#include "TestGermanCatalogue.moc"
