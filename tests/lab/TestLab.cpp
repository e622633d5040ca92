// SPDX-License-Identifier: MIT
// The lab against the real thing: Debian's PostgreSQL 15, psql and openssl s_client as clients.
// The same executable doubles as a lab owner for the kill tests: `TestLab --lab-child` starts a
// lab, prints "READY <dir>", and runs until killed.
#include "Lab.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstdio>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using pgtls::lab::Lab;
using pgtls::lab::Scenario;

namespace {

struct Run
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs a client process to completion through the event loop (no waitFor*, no sleeps).
Run runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env = {})
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    QProcessEnvironment e = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    p.setProcessEnvironment(e);
    p.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy done(&p, &QProcess::finished);
    p.start();
    Run r;
    r.finished = done.wait(20000);
    if (!r.finished) {
        p.kill();
        done.wait(2000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QProcessEnvironment clientEnvironment(const Lab &lab)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    }
    env.insert(QStringLiteral("PGPASSFILE"), lab.passfilePath());
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("5"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    return env;
}

QString psqlProgram()
{
    const QString own = Lab::serverBinDirectory() + QStringLiteral("/psql");
    return QFileInfo(own).isExecutable() ? own : QStringLiteral("/usr/bin/psql");
}

// psql as labuser over TCP, as a user would connect to the endpoint. libpq 15 verifies the CA even
// in sslmode=require when sslrootcert names an existing file, so require gets a file that does not
// exist.
Run psqlTcp(const Lab &lab, const QString &host, const QString &sslmode, const QString &sql,
    const QString &extraConninfo = QString())
{
    const QString rootCert = sslmode == QLatin1String("require")
        ? lab.directory() + QStringLiteral("/no-such-root.crt")
        : lab.caBundlePath();
    const QString conninfo
        = QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4 sslmode=%5 "
                         "sslrootcert=%6")
              .arg(host)
              .arg(lab.port())
              .arg(lab.databaseName(), lab.userName(), sslmode, rootCert)
        + (extraConninfo.isEmpty() ? QString() : QLatin1Char(' ') + extraConninfo);
    return runProcess(psqlProgram(),
        { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-At"), QStringLiteral("-c"),
            sql, conninfo },
        clientEnvironment(lab));
}

bool processAlive(pid_t pid)
{
    if (pid <= 0 || ::kill(pid, 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray s = stat.readAll();
    const qsizetype paren = s.lastIndexOf(')');
    return paren < 0 || paren + 2 >= s.size() || s.at(paren + 2) != 'Z';
}

pid_t postmasterPid(const QString &labDir)
{
    QFile f(labDir + QStringLiteral("/data/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return pid_t(f.readLine().trimmed().toLongLong());
}

// The subjectAltName of the first certificate in `pem` as `openssl x509 -ext subjectAltName`
// prints it ("DNS:name", "IP Address:127.0.0.1"); empty when the certificate has none.
QString subjectAltNameOf(const QByteArray &pem)
{
    const QTemporaryDir scratch;
    const QString path = scratch.filePath(QStringLiteral("leaf.pem"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(pem) != pem.size())
        return QStringLiteral("(cannot write %1)").arg(path);
    f.close();
    const Run r = runProcess(QStringLiteral("/usr/bin/openssl"),
        { QStringLiteral("x509"), QStringLiteral("-in"), path, QStringLiteral("-noout"),
            QStringLiteral("-ext"), QStringLiteral("subjectAltName") });
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (lines.at(i).contains(QLatin1String("Subject Alternative Name")))
            return lines.at(i + 1).trimmed();
    }
    return QString();
}

int countCertificates(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return int(f.readAll().count("-----BEGIN CERTIFICATE-----"));
}

// Starts a lab, failing the test (with the lab's message) when it does not start.
bool startLab(Lab &lab, Scenario scenario = Scenario::Correct)
{
    QSignalSpy started(&lab, &Lab::started);
    QSignalSpy failed(&lab, &Lab::failed);
    lab.start(scenario);
    if (!started.wait(20000) && started.isEmpty()) {
        qWarning("lab did not start: %s",
            failed.isEmpty() ? "no signal within 20 s"
                             : qPrintable(failed.first().first().toString()));
        return false;
    }
    if (!failed.isEmpty()) {
        qWarning(
            "lab emitted failed after started: %s", qPrintable(failed.first().first().toString()));
        return false;
    }
    qInfo("lab started in %lld ms (port %u, %s)", lab.startMilliseconds(), lab.port(),
        qPrintable(lab.directory()));
    return true;
}

// The child mode: own a lab until killed.
int runLabChild(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Lab::installTerminationHandlers();
    Lab lab;
    QObject::connect(&lab, &Lab::started, &app, [&lab] {
        std::printf("READY %s\n", qPrintable(lab.directory()));
        std::fflush(stdout);
    });
    QObject::connect(&lab, &Lab::failed, &app, [](const QString &message) {
        std::printf("FAILED %s\n", qPrintable(message));
        std::fflush(stdout);
        QCoreApplication::exit(3);
    });
    lab.start();
    return app.exec();
}

} // namespace

class TestLab : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void scenarioNamesRoundTrip();
    void startCreatesAPrivateLabAndStopRemovesIt();
    void destructorStopsTheServerAndRemovesTheDirectory();
    void setScenarioWhenNotRunningFails();
    void scenarioSwitchTakesEffect_data();
    void scenarioSwitchTakesEffect();
    void crlFileRevokesOnlyTheRevokedLeaf_data();
    void crlFileRevokesOnlyTheRevokedLeaf();
    void staleLabWithRunningServerIsRemovedOnNextStart();
    void labOfAKilledOwnerIsRemovedOnNextStart();
    void terminationSignalStopsLabsAndExits();
    void cleanupTestCase();

private:
    struct Child
    {
        QProcess *process = nullptr;
        QString dir;
    };
    Child startChild();

    Lab *m_lab = nullptr; // shared by the scenario rows
};

void TestLab::initTestCase()
{
    // A missing PostgreSQL is a failure, not a skip: a skipped suite shows "Passed" in ctest.
    for (const char *name : { "initdb", "postgres" }) {
        const QString path = Lab::serverBinDirectory() + QLatin1Char('/') + QLatin1String(name);
        if (!QFileInfo(path).isExecutable())
            QFAIL(qPrintable(
                QStringLiteral("%1 is missing: install postgresql-15 (the lab tests need it)")
                    .arg(path)));
    }
    QVERIFY2(
        QFileInfo(psqlProgram()).isExecutable(), "psql is missing: install postgresql-client-15");
    QVERIFY2(QFileInfo(QStringLiteral("/usr/bin/openssl")).isExecutable(),
        "openssl is missing: install openssl");
}

void TestLab::scenarioNamesRoundTrip()
{
    for (Scenario s : pgtls::lab::allScenarios()) {
        QVERIFY(!pgtls::lab::scenarioName(s).isEmpty());
        QVERIFY(!pgtls::lab::scenarioDescription(s).isEmpty());
        QCOMPARE(
            pgtls::lab::parseScenario(pgtls::lab::scenarioName(s)), std::optional<Scenario>(s));
    }
    QCOMPARE(pgtls::lab::scenarioName(Scenario::UnknownCa), QStringLiteral("unknown-ca"));
    QCOMPARE(pgtls::lab::parseScenario(QStringLiteral("Correct")), std::nullopt);
    QCOMPARE(pgtls::lab::parseScenario(QString()), std::nullopt);
}

void TestLab::startCreatesAPrivateLabAndStopRemovesIt()
{
    Lab lab;
    QVERIFY(!lab.isRunning());
    QVERIFY(startLab(lab));
    QVERIFY(lab.isRunning());
    QVERIFY(lab.port() > 0);
    QCOMPARE(lab.scenario(), Scenario::Correct);

    const QString dir = lab.directory();
    QVERIFY(QFileInfo(dir).fileName().startsWith(QLatin1String("pgtls-lab-")));
    struct stat st
    {
    };
    QCOMPARE(::lstat(QFile::encodeName(dir).constData(), &st), 0);
    QVERIFY(S_ISDIR(st.st_mode));
    // The top-level directory stays ours (stale-lab cleanup goes by its owner); as root the server
    // runs as `postgres`, which may create its socket and data/ there (group rwx, sticky).
    QCOMPARE(st.st_uid, ::geteuid());
    uid_t serverUid = ::geteuid();
    if (serverUid == 0) {
        const passwd *pw = ::getpwnam("postgres");
        QVERIFY(pw);
        serverUid = pw->pw_uid;
        QCOMPARE(st.st_gid, pw->pw_gid);
        QCOMPARE(st.st_mode & 07777, mode_t(01770));
    } else {
        QCOMPARE(st.st_mode & 07777, mode_t(0700));
    }
    QCOMPARE(::lstat(QFile::encodeName(dir + QStringLiteral("/data")).constData(), &st), 0);
    QCOMPARE(st.st_uid, serverUid);
    QCOMPARE(st.st_mode & 07777, mode_t(0700));
    QCOMPARE(::lstat(QFile::encodeName(dir + QStringLiteral("/pki")).constData(), &st), 0);
    QCOMPARE(st.st_uid, serverUid);
    QCOMPARE(st.st_mode & 07777, mode_t(0700));
    for (const char *ours : { "/owner.pid", "/server.log", "/passfile" }) {
        QCOMPARE(::lstat(QFile::encodeName(dir + QLatin1String(ours)).constData(), &st), 0);
        QVERIFY2(S_ISREG(st.st_mode) && st.st_uid == ::geteuid(), ours);
    }
    QCOMPARE(
        ::stat(QFile::encodeName(dir + QStringLiteral("/pki/server.key")).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
    QCOMPARE(st.st_uid, serverUid);
    QCOMPARE(::stat(QFile::encodeName(lab.passfilePath()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));

    // As RDS: the bundle holds the root only; the server sends leaf + intermediate.
    QCOMPARE(countCertificates(lab.caBundlePath()), 1);
    QCOMPARE(countCertificates(dir + QStringLiteral("/pki/server.crt")), 2);
    QCOMPARE(countCertificates(lab.rogueCaBundlePath()), 1);
    QVERIFY(!lab.password().isEmpty());

    const pgtls::Endpoint e = lab.endpoint();
    QCOMPARE(e.host, Lab::endpointHostName());
    QCOMPARE(e.hostaddr, QStringLiteral("127.0.0.1"));
    QCOMPARE(e.port, int(lab.port()));
    QCOMPARE(e.sslmode, pgtls::SslMode::VerifyFull);
    QCOMPARE(e.sslrootcert, lab.caBundlePath());
    QCOMPARE(e.passfile, lab.passfilePath());

    const Run r = psqlTcp(lab, Lab::endpointHostName(), QStringLiteral("verify-full"),
        QStringLiteral("SELECT ssl_is_used(), current_user"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out.trimmed(), QStringLiteral("t|labuser"));

    const pid_t pm = postmasterPid(dir);
    QVERIFY(processAlive(pm));
    lab.stop();
    QVERIFY(!lab.isRunning());
    QVERIFY(!QFileInfo::exists(dir));
    QVERIFY(!processAlive(pm));
    lab.stop(); // idempotent
    QVERIFY(!lab.isRunning());
}

void TestLab::destructorStopsTheServerAndRemovesTheDirectory()
{
    auto lab = std::make_unique<Lab>();
    QVERIFY(startLab(*lab));
    const QString dir = lab->directory();
    const pid_t pm = postmasterPid(dir);
    QVERIFY(processAlive(pm));
    lab.reset();
    QVERIFY(!QFileInfo::exists(dir));
    QVERIFY(!processAlive(pm));
}

void TestLab::setScenarioWhenNotRunningFails()
{
    Lab lab;
    QSignalSpy failed(&lab, &Lab::failed);
    QSignalSpy changed(&lab, &Lab::scenarioChanged);
    lab.setScenario(Scenario::Expired);
    QCOMPARE(failed.size(), 0); // never synchronously
    QVERIFY(failed.wait(2000));
    QVERIFY(failed.first().first().toString().contains(QLatin1String("not running")));
    QCOMPARE(changed.size(), 0);
}

void TestLab::scenarioSwitchTakesEffect_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("verifyFullError"); // empty: verify-full connects
    QTest::addColumn<QString>("plaintextResult"); // "accepted" or the expected error text
    QTest::addColumn<QString>("forceSsl");
    QTest::addColumn<QString>("sslinfoCount");
    QTest::addColumn<int>("verifyReturnCode"); // openssl s_client with the lab bundle; -1: no TLS
    QTest::addColumn<QString>("leafIssuer");
    QTest::addColumn<QString>("leafSan"); // openssl's words; empty: no subjectAltName
    // s_client with the lab CRLs, -crl_check_all (the rogue chain has no CRL: 3, the last error)
    QTest::addColumn<int>("crlVerifyReturnCode");
    QTest::addColumn<QString>("crlVerifyFullError"); // verify-full with sslcrl = crlPath()
    QTest::addColumn<QString>("ipHostVerifyFullError"); // verify-full with host=127.0.0.1

    const QString labIssuer = QStringLiteral("Lab RDS eu-west-1 Subordinate CA RSA2048 G1.A.1");
    const QString refused
        = QStringLiteral("no pg_hba.conf entry for host \"127.0.0.1\", user \"labuser\", "
                         "database \"labdb\", no encryption");
    const QString dnsSan = QStringLiteral("DNS:") + Lab::endpointHostName();
    const QString verifyFailed = QStringLiteral("certificate verify failed");
    // libpq 15 checks the CN too when no SAN has the host's type: the DNS SAN and the CN.
    const QString ipMismatch
        = QStringLiteral("server certificate for \"%1\" (and 1 other name) does not match host "
                         "name \"127.0.0.1\"")
              .arg(Lab::endpointHostName());
    const QString cnIpMismatch
        = QStringLiteral("server certificate for \"%1\" does not match host name \"127.0.0.1\"")
              .arg(Lab::endpointHostName());
    QTest::newRow("the endpoint name verifies and plaintext is refused")
        << "correct" << QString() << refused << "1"
        << "1" << 0 << labIssuer << dnsSan << 0 << QString() << ipMismatch;
    QTest::newRow("an alias fails the host name check")
        << "alias"
        << "server certificate for \"mydb.c9akciq32.eu-west-1.rds.amazonaws.com\" does not match "
           "host name "
           "\"db.example.internal\""
        << refused << "1"
        << "1" << 0 << labIssuer << dnsSan << 0
        << "server certificate for \"mydb.c9akciq32.eu-west-1.rds.amazonaws.com\" does not match "
           "host name \"db.example.internal\""
        << ipMismatch;
    QTest::newRow("a chain from an unknown CA fails verification")
        << "unknown-ca" << verifyFailed << refused << "1"
        << "1" << 20 << "Lab Rogue Subordinate CA ECC256 G1.A.1" << dnsSan << 3 << verifyFailed
        << verifyFailed;
    QTest::newRow("an expired server certificate fails verification")
        << "expired" << verifyFailed << refused << "1"
        << "1" << 10 << labIssuer << dnsSan << 10 << verifyFailed << verifyFailed;
    QTest::newRow("a server certificate that is not valid yet fails verification")
        << "not-yet-valid" << verifyFailed << refused << "1"
        << "1" << 9 << labIssuer << dnsSan << 9 << verifyFailed << verifyFailed;
    QTest::newRow("a certificate naming the host only in its CN passes libpq's verify-full")
        << "cn-only" << QString() << refused << "1"
        << "1" << 0 << labIssuer << QString() << 0 << QString() << cnIpMismatch;
    QTest::newRow("a certificate with only an IP SAN verifies for the IP and, by CN, the name")
        << "ip-san" << QString() << refused << "1"
        << "1" << 0 << labIssuer << QStringLiteral("IP Address:127.0.0.1") << 0 << QString()
        << QString();
    QTest::newRow("a revoked certificate verifies without the CRL and fails with it")
        << "revoked" << QString() << refused << "1"
        << "1" << 0 << labIssuer << dnsSan << 23 << verifyFailed << ipMismatch;
    QTest::newRow("plaintext is accepted when rds.force_ssl is 0")
        << "plaintext-accepted" << QString() << "accepted"
        << "0"
        << "1" << 0 << labIssuer << dnsSan << 0 << QString() << ipMismatch;
    QTest::newRow("without sslinfo the extension is gone")
        << "no-sslinfo" << QString() << refused << "1"
        << "0" << 0 << labIssuer << dnsSan << 0 << QString() << ipMismatch;
    QTest::newRow("ssl off refuses TLS and accepts plaintext")
        << "ssl-off"
        << "server does not support SSL, but SSL was required"
        << "accepted"
        << "0"
        << "1" << -1 << QString() << QString() << -1
        << "server does not support SSL, but SSL was required"
        << "server does not support SSL, but SSL was required";
    QTest::newRow("switching back to correct restores everything")
        << "correct" << QString() << refused << "1"
        << "1" << 0 << labIssuer << dnsSan << 0 << QString() << ipMismatch;
}

void TestLab::scenarioSwitchTakesEffect()
{
    QFETCH(QString, scenario);
    QFETCH(QString, verifyFullError);
    QFETCH(QString, plaintextResult);
    QFETCH(QString, forceSsl);
    QFETCH(QString, sslinfoCount);
    QFETCH(int, verifyReturnCode);
    QFETCH(QString, leafIssuer);
    QFETCH(QString, leafSan);
    QFETCH(int, crlVerifyReturnCode);
    QFETCH(QString, crlVerifyFullError);
    QFETCH(QString, ipHostVerifyFullError);

    if (!m_lab) {
        m_lab = new Lab(this);
        QVERIFY(startLab(*m_lab));
    }
    QVERIFY(m_lab->isRunning());
    Lab &lab = *m_lab;

    const std::optional<Scenario> s = pgtls::lab::parseScenario(scenario);
    QVERIFY(s);
    QSignalSpy changed(&lab, &Lab::scenarioChanged);
    QSignalSpy failed(&lab, &Lab::failed);
    lab.setScenario(*s);
    QVERIFY2(changed.wait(15000) || !changed.isEmpty(),
        failed.isEmpty() ? "no signal" : qPrintable(failed.first().first().toString()));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(changed.first().first().value<Scenario>(), *s);
    QCOMPARE(lab.scenario(), *s);
    QCOMPARE(lab.endpoint().host,
        *s == Scenario::Alias ? Lab::aliasHostName() : Lab::endpointHostName());

    // verify-full through the endpoint() host name, as a client of the lab would connect.
    const Run full = psqlTcp(
        lab, lab.endpoint().host, QStringLiteral("verify-full"), QStringLiteral("SELECT 1"));
    if (verifyFullError.isEmpty())
        QVERIFY2(
            full.exitCode == 0 && full.out.trimmed() == QLatin1String("1"), qPrintable(full.err));
    else
        QVERIFY2(full.exitCode != 0 && full.err.contains(verifyFullError), qPrintable(full.err));

    // The same with the lab's CRLs (libpq then checks every certificate of the chain), and to the
    // IP address as host (libpq matches it against iPAddress SANs, else the CN).
    const Run withCrl = psqlTcp(lab, lab.endpoint().host, QStringLiteral("verify-full"),
        QStringLiteral("SELECT 1"), QStringLiteral("sslcrl=") + lab.crlPath());
    if (crlVerifyFullError.isEmpty())
        QVERIFY2(withCrl.exitCode == 0 && withCrl.out.trimmed() == QLatin1String("1"),
            qPrintable(withCrl.err));
    else
        QVERIFY2(withCrl.exitCode != 0 && withCrl.err.contains(crlVerifyFullError),
            qPrintable(withCrl.err));
    const Run byIp = psqlTcp(lab, QStringLiteral("127.0.0.1"), QStringLiteral("verify-full"),
        QStringLiteral("SELECT 1"));
    if (ipHostVerifyFullError.isEmpty())
        QVERIFY2(byIp.exitCode == 0 && byIp.out.trimmed() == QLatin1String("1"),
            qPrintable(byIp.err));
    else
        QVERIFY2(byIp.exitCode != 0 && byIp.err.contains(ipHostVerifyFullError),
            qPrintable(byIp.err));

    const Run plain = psqlTcp(
        lab, Lab::endpointHostName(), QStringLiteral("disable"), QStringLiteral("SELECT 1"));
    if (plaintextResult == QLatin1String("accepted"))
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    else
        QVERIFY2(plain.exitCode != 0 && plain.err.contains(plaintextResult), qPrintable(plain.err));

    // Server settings as the lab user sees them (TLS without verification where TLS is on).
    const Run settings = psqlTcp(lab, Lab::endpointHostName(),
        *s == Scenario::SslOff ? QStringLiteral("disable") : QStringLiteral("require"),
        QStringLiteral("SHOW rds.force_ssl; SELECT count(*) FROM pg_extension WHERE "
                       "extname = 'sslinfo'; SELECT ssl FROM pg_stat_ssl WHERE pid = "
                       "pg_backend_pid()"));
    QVERIFY2(settings.exitCode == 0, qPrintable(settings.err));
    QCOMPARE(settings.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
        QStringList({ forceSsl, sslinfoCount,
            *s == Scenario::SslOff ? QStringLiteral("f") : QStringLiteral("t") }));

    // What the server sends, seen by OpenSSL's own client.
    const Run tls = runProcess(QStringLiteral("/usr/bin/openssl"),
        { QStringLiteral("s_client"), QStringLiteral("-starttls"), QStringLiteral("postgres"),
            QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(lab.port()),
            QStringLiteral("-servername"), lab.endpoint().host, QStringLiteral("-CAfile"),
            lab.caBundlePath(), QStringLiteral("-showcerts") });
    // s_client's -CRL reads only the first CRL of a file; its -CAfile loads certificates and every
    // CRL, as libpq loads sslcrl into its store.
    const QTemporaryDir scratch;
    const QString caAndCrls = scratch.filePath(QStringLiteral("ca-and-crls.pem"));
    {
        QFile ca(lab.caBundlePath()), crl(lab.crlPath()), out(caAndCrls);
        QVERIFY(ca.open(QIODevice::ReadOnly) && crl.open(QIODevice::ReadOnly)
            && out.open(QIODevice::WriteOnly));
        const QByteArray both = ca.readAll() + crl.readAll();
        QCOMPARE(out.write(both), both.size());
    }
    const Run tlsCrl = runProcess(QStringLiteral("/usr/bin/openssl"),
        { QStringLiteral("s_client"), QStringLiteral("-starttls"), QStringLiteral("postgres"),
            QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(lab.port()),
            QStringLiteral("-servername"), lab.endpoint().host, QStringLiteral("-CAfile"),
            caAndCrls, QStringLiteral("-crl_check_all") });
    if (verifyReturnCode < 0) {
        QVERIFY2(!tls.out.contains(QLatin1String("BEGIN CERTIFICATE")), qPrintable(tls.out));
        QVERIFY2(tlsCrl.out.contains(QLatin1String("no peer certificate available")),
            qPrintable(tlsCrl.out));
        return;
    }
    QVERIFY2(
        tlsCrl.out.contains(QStringLiteral("Verify return code: %1 ").arg(crlVerifyReturnCode)),
        qPrintable(tlsCrl.out));
    const qsizetype leafBegin = tls.out.indexOf(QLatin1String("-----BEGIN CERTIFICATE-----"));
    const QLatin1String endMarker("-----END CERTIFICATE-----");
    const qsizetype leafEnd = tls.out.indexOf(endMarker, leafBegin);
    QVERIFY2(leafBegin >= 0 && leafEnd > leafBegin, qPrintable(tls.out));
    const QByteArray leafPem
        = tls.out.mid(leafBegin, leafEnd + endMarker.size() - leafBegin).toLatin1() + '\n';
    QCOMPARE(subjectAltNameOf(leafPem), leafSan);
    QVERIFY2(tls.out.contains(QStringLiteral("Verify return code: %1 ").arg(verifyReturnCode)),
        qPrintable(tls.out));
    QVERIFY2(tls.out.contains(QStringLiteral(" 0 s:CN = %1").arg(Lab::endpointHostName())),
        qPrintable(tls.out));
    QVERIFY2(tls.out.contains(QRegularExpression(
                 QStringLiteral("\\n\\s+i:.*CN = ") + QRegularExpression::escape(leafIssuer))),
        qPrintable(tls.out));
    QCOMPARE(
        int(tls.out.count(QLatin1String("BEGIN CERTIFICATE"))), 2); // leaf + intermediate, no root
}

void TestLab::crlFileRevokesOnlyTheRevokedLeaf_data()
{
    QTest::addColumn<QString>("chainFile"); // in pki/: leaf then intermediate
    QTest::addColumn<QString>("verifyResult"); // openssl verify -crl_check_all: "OK" or the error

    QTest::newRow("the correct leaf is not revoked") << "server.crt" << "OK";
    QTest::newRow("the CN-only leaf is not revoked") << "cn-only.crt" << "OK";
    QTest::newRow("the IP-SAN leaf is not revoked") << "ip-san.crt" << "OK";
    QTest::newRow("the revoked leaf is revoked")
        << "revoked.crt" << "error 23 at 0 depth lookup: certificate revoked";
    QTest::newRow("the not-yet-valid leaf fails on its dates, not on the CRL")
        << "not-yet-valid.crt" << "error 9 at 0 depth lookup: certificate is not yet valid";
}

void TestLab::crlFileRevokesOnlyTheRevokedLeaf()
{
    QFETCH(QString, chainFile);
    QFETCH(QString, verifyResult);
    if (!m_lab) {
        m_lab = new Lab(this);
        QVERIFY(startLab(*m_lab));
    }
    const Lab &lab = *m_lab;
    QCOMPARE(QFileInfo(lab.crlPath()).absolutePath(), QFileInfo(lab.caBundlePath()).absolutePath());
    QFile crl(lab.crlPath());
    QVERIFY(crl.open(QIODevice::ReadOnly));
    // The root's CRL (covering the intermediate) and the intermediate's (covering the leaves).
    QCOMPARE(int(crl.readAll().count("-----BEGIN X509 CRL-----")), 2);

    const QString pki = QFileInfo(lab.caBundlePath()).absolutePath();
    const QString chain = pki + QLatin1Char('/') + chainFile;
    QCOMPARE(countCertificates(chain), 2);
    // openssl verify checks the first certificate of the file; the intermediate comes untrusted.
    const Run r = runProcess(QStringLiteral("/usr/bin/openssl"),
        { QStringLiteral("verify"), QStringLiteral("-crl_check_all"), QStringLiteral("-CAfile"),
            lab.caBundlePath(), QStringLiteral("-CRLfile"), lab.crlPath(),
            QStringLiteral("-untrusted"), pki + QStringLiteral("/intermediate.crt"), chain });
    const QString output = r.out + r.err;
    if (verifyResult == QLatin1String("OK")) {
        QVERIFY2(r.exitCode == 0 && output.contains(chain + QStringLiteral(": OK")),
            qPrintable(output));
    } else {
        QVERIFY2(r.exitCode != 0 && output.contains(verifyResult), qPrintable(output));
    }
}

void TestLab::staleLabWithRunningServerIsRemovedOnNextStart()
{
    // A lab whose owner is gone but whose server still runs: fake that with a live lab whose
    // owner.pid names a process that has exited.
    Lab orphan;
    QVERIFY(startLab(orphan));
    const QString orphanDir = orphan.directory();
    const pid_t orphanPm = postmasterPid(orphanDir);
    QVERIFY(processAlive(orphanPm));

    QProcess gone;
    qint64 deadPid = 0;
    QObject::connect(&gone, &QProcess::started, &gone, [&] { deadPid = gone.processId(); });
    QSignalSpy goneDone(&gone, &QProcess::finished);
    gone.start(QStringLiteral("/bin/true"), {});
    QVERIFY(goneDone.wait(5000));
    QVERIFY(deadPid > 0 && !processAlive(pid_t(deadPid)));
    QFile owner(orphanDir + QStringLiteral("/owner.pid"));
    QVERIFY(owner.open(QIODevice::WriteOnly | QIODevice::Truncate));
    owner.write(QByteArray::number(deadPid) + '\n');
    owner.close();

    QSignalSpy orphanFailed(&orphan, &Lab::failed);
    Lab next;
    QVERIFY(startLab(next));
    QVERIFY(!QFileInfo::exists(orphanDir));
    QVERIFY(!processAlive(orphanPm));
    // The orphaned Lab object notices that its server is gone.
    QTRY_COMPARE_WITH_TIMEOUT(orphanFailed.size(), 1, 5000);
    QVERIFY(!orphan.isRunning());
    QVERIFY(QFileInfo::exists(next.directory()));
}

TestLab::Child TestLab::startChild()
{
    Child c;
    c.process = new QProcess(this);
    c.process->setProgram(QCoreApplication::applicationFilePath());
    c.process->setArguments({ QStringLiteral("--lab-child") });
    c.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QSignalSpy ready(c.process, &QProcess::readyReadStandardOutput);
    c.process->start();
    QByteArray out;
    while (!out.contains('\n') && (ready.wait(20000) || c.process->bytesAvailable() > 0))
        out += c.process->readAll();
    if (out.startsWith("READY "))
        c.dir = QString::fromLocal8Bit(out.mid(6).trimmed());
    else
        qWarning("lab child: %s", out.constData());
    return c;
}

void TestLab::labOfAKilledOwnerIsRemovedOnNextStart()
{
    const Child child = startChild();
    QVERIFY(!child.dir.isEmpty());
    QVERIFY(QFileInfo::exists(child.dir));
    const pid_t pm = postmasterPid(child.dir);
    QVERIFY(processAlive(pm));

    QSignalSpy done(child.process, &QProcess::finished);
    ::kill(pid_t(child.process->processId()), SIGKILL);
    QVERIFY(done.wait(5000));
    // PR_SET_PDEATHSIG: the server shuts down when its owner dies, however it dies.
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pm), 5000);
    // The directory stays (nobody is left to remove it) until some lab starts; under `ctest -j`
    // that may be another suite's lab, so only the outcome is checked.

    Lab next;
    QVERIFY(startLab(next));
    QVERIFY(!QFileInfo::exists(child.dir));
}

void TestLab::terminationSignalStopsLabsAndExits()
{
    const Child child = startChild();
    QVERIFY(!child.dir.isEmpty());
    const pid_t pm = postmasterPid(child.dir);
    QVERIFY(processAlive(pm));

    QSignalSpy done(child.process, &QProcess::finished);
    ::kill(pid_t(child.process->processId()), SIGTERM);
    QVERIFY(done.wait(10000));
    QCOMPARE(child.process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process->exitCode(), 128 + SIGTERM);
    QVERIFY(!QFileInfo::exists(child.dir));
    QVERIFY(!processAlive(pm));
}

void TestLab::cleanupTestCase()
{
    if (m_lab) {
        const QString dir = m_lab->directory();
        delete m_lab;
        m_lab = nullptr;
        QVERIFY(!QFileInfo::exists(dir));
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && qstrcmp(argv[1], "--lab-child") == 0)
        return runLabChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestLab test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestLab.moc"
