// SPDX-License-Identifier: MIT
// pgtls-check as a user runs it: flags, exit codes, JSON, and the chain it reports compared with
// what `openssl s_client -starttls postgres -showcerts` sees on the same lab server.
#include "CertificateInfo.h"
#include "Lab.h"
#include "../support/LabFixture.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <sys/stat.h>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run runCli(const QStringList &args, const QMap<QString, QString> &env = {}, int timeoutMs = 30000)
{
    QProcess p;
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const QString &k : pe.keys()) {
        if (k.startsWith(QLatin1String("PG")))
            pe.remove(k);
    }
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        pe.insert(it.key(), it.value());
    p.setProcessEnvironment(pe);
    p.start(QStringLiteral(PGTLS_CHECK_BIN), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "did not finish";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void helpListsEveryFlag();
    void versionIsPrinted();
    void usageErrorsExitTwoAndNameTheFlag_data();
    void usageErrorsExitTwoAndNameTheFlag();
    void verifiedLabExitsZeroWithJsonContract();
    void chainFingerprintsEqualOpensslSClient();
    void aliasExitsOneWithVerdictFirst();
    void environmentIsHonoured();
    void htmlReportIsWritten();
    void homeDirectoryRootCertIsLibpqs();
    void filesThatBlockOrFloodEndAtOnceWithExitTwo_data();
    void filesThatBlockOrFloodEndAtOnceWithExitTwo();
    void aFifoAsTheDefaultRootCertDoesNotHangTheProbe();
    void disableNeverCountsAsEncrypted();
    void fullInspectionAnswersTheCoreQuestion();
    void matrixFlagFillsTheMatrix();
    void noPasswordAndNoTerminalFailsClearly();
    void passwordIsAskedOnTheTerminalWithoutEcho();
    void passwordNeverLeaks();
    void demoModeStartsTheLabAndInspectsIt_data();
    void demoModeStartsTheLabAndInspectsIt();

private:
    QStringList labArgs(const QString &host) const;
    Lab *m_lab = nullptr;
    QTemporaryDir m_files; // FIFOs and huge files for the rows that need them
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(PGTLS_CHECK_BIN)), PGTLS_CHECK_BIN);
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestCli::cleanupTestCase()
{
    delete m_lab;
}

QStringList TestCli::labArgs(const QString &host) const
{
    return { QStringLiteral("--probe-only"), QStringLiteral("-h"), host, QStringLiteral("--hostaddr"),
             QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_lab->port()),
             QStringLiteral("--sslrootcert"), m_lab->caBundlePath() };
}

void TestCli::helpListsEveryFlag()
{
    const Run r = runCli({ QStringLiteral("--help") });
    QCOMPARE(r.exitCode, 0);
    for (const char *flag : { "--host", "--port", "--dbname", "--user", "--hostaddr", "--sslmode", "--sslrootcert",
                              "--probe-only", "--matrix", "--json", "--timeout", "--demo", "--scenario", "--version",
                              "Exit codes", "PGSSLMODE" }) {
        QVERIFY2(r.out.contains(flag), flag);
    }
}

void TestCli::versionIsPrinted()
{
    const Run r = runCli({ QStringLiteral("--version") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QByteArray("pgtls-check " PGTLS_VERSION));
}

void TestCli::usageErrorsExitTwoAndNameTheFlag_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString p = QStringLiteral("--probe-only");
    QTest::newRow("an unknown sslmode names --sslmode")
        << QStringList{ p, QStringLiteral("-h"), QStringLiteral("x"), QStringLiteral("--sslmode"), QStringLiteral("strict") }
        << QStringLiteral("--sslmode: \"strict\" is not an sslmode");
    QTest::newRow("a timeout that is not a number names --timeout")
        << QStringList{ p, QStringLiteral("--timeout"), QStringLiteral("soon") } << QStringLiteral("--timeout");
    QTest::newRow("an unknown flag is named")
        << QStringList{ p, QStringLiteral("--colour") } << QStringLiteral("colour");
    QTest::newRow("a password in the connection string is refused")
        << QStringList{ p, QStringLiteral("host=x password=hunter2") } << QStringLiteral("contains a password");
    QTest::newRow("an unquoted password is never echoed")
        << QStringList{ p, QStringLiteral("host=x"), QStringLiteral("password=hunter2") } << QStringLiteral("too many arguments");
    QTest::newRow("a URI password libpq cannot parse is never echoed")
        << QStringList{ p, QStringLiteral("postgresql://u:hunter2%zz@h/db") } << QStringLiteral("contains a password");
    QTest::newRow("the client key's passphrase in a connection string is refused")
        << QStringList{ p, QStringLiteral("host=x sslpassword=hunter2x") } << QStringLiteral("passphrase (sslpassword)");
    QTest::newRow("a percent-encoded sslpassword in a URI is refused")
        << QStringList{ p, QStringLiteral("postgresql://h/db?ssl%70assword=hunter2x") } << QStringLiteral("passphrase (sslpassword)");
    QTest::newRow("a percent-encoded password name in a URI is refused")
        << QStringList{ p, QStringLiteral("postgresql://h/db?pass%77ord=hunter2x") } << QStringLiteral("contains a password");
    QTest::newRow("a secret behind a token libpq cannot parse is never quoted")
        << QStringList{ p, QStringLiteral("postgresql://h/db?x=%zz&password=hunter2x") } << QStringLiteral("contains a password");
    QTest::newRow("a hostaddr that is no address is named")
        << QStringList{ p, QStringLiteral("-h"), QStringLiteral("x"), QStringLiteral("--hostaddr"), QStringLiteral("foo") }
        << QStringLiteral("--hostaddr");
    QTest::newRow("two connection strings are refused")
        << QStringList{ p, QStringLiteral("host=x"), QStringLiteral("host=y") } << QStringLiteral("too many arguments");
    QTest::newRow("an unknown demo scenario is named")
        << QStringList{ p, QStringLiteral("--demo"), QStringLiteral("--scenario"), QStringLiteral("broken") }
        << QStringLiteral("--scenario");
}

void TestCli::usageErrorsExitTwoAndNameTheFlag()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(!r.err.contains("hunter2"));
    QVERIFY(r.out.isEmpty());
}

void TestCli::verifiedLabExitsZeroWithJsonContract()
{
    const Run r = runCli(labArgs(Lab::endpointHostName()) << QStringLiteral("--json"));
    QVERIFY2(r.exitCode == 0, r.out.constData());
    const QJsonObject j = r.json();
    for (const char *key : { "endpoint", "sslmode", "probe", "timings_ms", "verdict" })
        QVERIFY2(j.contains(QLatin1String(key)), key);
    const QJsonObject endpoint = j.value(QStringLiteral("endpoint")).toObject();
    QCOMPARE(endpoint.value(QStringLiteral("host")).toString(), Lab::endpointHostName());
    QCOMPARE(endpoint.value(QStringLiteral("hostaddr")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(endpoint.value(QStringLiteral("port")).toInt(), int(m_lab->port()));
    const QJsonObject probe = j.value(QStringLiteral("probe")).toObject();
    for (const char *key : { "tls_offered", "protocol", "cipher", "group", "chain", "trust", "host_match", "error" })
        QVERIFY2(probe.contains(QLatin1String(key)), key);
    const QJsonObject leaf = probe.value(QStringLiteral("chain")).toArray().first().toObject();
    for (const char *key : { "subject", "issuer", "serial", "not_before", "not_after", "sha256", "key",
                             "signature_algorithm", "san", "is_ca", "self_signed" })
        QVERIFY2(leaf.contains(QLatin1String(key)), key);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(leaf.value(QStringLiteral("sha256")).toString()).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$)"))
                .match(leaf.value(QStringLiteral("not_after")).toString()).hasMatch());
    QCOMPARE(leaf.value(QStringLiteral("key")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("RSA"));
    QCOMPARE(leaf.value(QStringLiteral("key")).toObject().value(QStringLiteral("bits")).toInt(), 2048);
    QCOMPARE(probe.value(QStringLiteral("host_match")).toObject().value(QStringLiteral("matched")).toBool(), true);
    const QJsonObject timings = j.value(QStringLiteral("timings_ms")).toObject();
    for (const char *key : { "tcp", "tls", "session", "total" })
        QVERIFY2(timings.contains(QLatin1String(key)), key);
    QCOMPARE(j.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool(), true);
}

void TestCli::chainFingerprintsEqualOpensslSClient()
{
    QProcess s;
    s.start(QStringLiteral("openssl"),
            { QStringLiteral("s_client"), QStringLiteral("-starttls"), QStringLiteral("postgres"),
              QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(m_lab->port()),
              QStringLiteral("-servername"), Lab::endpointHostName(), QStringLiteral("-showcerts") });
    s.closeWriteChannel();
    QVERIFY(s.waitForFinished(20000));
    const QList<CertificateInfo> seen = CertificateInfo::fromPemAll(s.readAllStandardOutput());
    QCOMPARE(seen.size(), 2);

    const Run r = runCli(labArgs(Lab::endpointHostName()) << QStringLiteral("--json"));
    const QJsonArray chain = r.json().value(QStringLiteral("probe")).toObject().value(QStringLiteral("chain")).toArray();
    QCOMPARE(chain.size(), seen.size());
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(chain.at(i).toObject().value(QStringLiteral("sha256")).toString(), seen.at(i).sha256);
}

void TestCli::aliasExitsOneWithVerdictFirst()
{
    const Run r = runCli(labArgs(Lab::aliasHostName()));
    QCOMPARE(r.exitCode, 1);
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.startsWith(QLatin1String("FAIL: Failed: host name does not match the certificate\n")), r.out.constData());
    QVERIFY(text.contains(QStringLiteral("does not match host name \"%1\"").arg(Lab::aliasHostName())));
    QVERIFY(text.contains(QLatin1String("host-mismatch-alias")));
}

void TestCli::environmentIsHonoured()
{
    // PGSSLMODE=verify-ca lets the alias pass (the host name is not checked), like psql would.
    const QMap<QString, QString> env{ { QStringLiteral("PGHOST"), Lab::aliasHostName() },
                                      { QStringLiteral("PGHOSTADDR"), QStringLiteral("127.0.0.1") },
                                      { QStringLiteral("PGPORT"), QString::number(m_lab->port()) },
                                      { QStringLiteral("PGSSLMODE"), QStringLiteral("verify-ca") },
                                      { QStringLiteral("PGSSLROOTCERT"), m_lab->caBundlePath() } };
    const Run r = runCli({ QStringLiteral("--probe-only"), QStringLiteral("--json") }, env);
    QVERIFY2(r.exitCode == 0, r.out.constData());
    const QJsonObject j = r.json();
    QCOMPARE(j.value(QStringLiteral("sslmode")).toString(), QStringLiteral("verify-ca"));
    QCOMPARE(j.value(QStringLiteral("endpoint")).toObject().value(QStringLiteral("host")).toString(), Lab::aliasHostName());
}

void TestCli::htmlReportIsWritten()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("report.html"));
    const Run r = runCli(labArgs(Lab::aliasHostName()) << QStringLiteral("--html") << file);
    QCOMPARE(r.exitCode, 1);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll();
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(html.contains("host name does not match the certificate"));
    QVERIFY(html.contains(Lab::aliasHostName().toUtf8()));
    const Run bad = runCli(labArgs(Lab::endpointHostName()) << QStringLiteral("--html") << QStringLiteral("/nonexistent/dir/r.html"));
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("--html: cannot write"));
}

void TestCli::homeDirectoryRootCertIsLibpqs()
{
    // libpq takes ~/.postgresql/root.crt from $HOME: so must we.
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".postgresql")));
    QVERIFY(QFile::copy(m_lab->caBundlePath(), home.filePath(QStringLiteral(".postgresql/root.crt"))));
    QStringList args = labArgs(Lab::endpointHostName());
    args.removeAt(args.indexOf(QStringLiteral("--sslrootcert")) + 1);
    args.removeAll(QStringLiteral("--sslrootcert"));
    const Run r = runCli(args << QStringLiteral("--json"), { { QStringLiteral("HOME"), home.path() } });
    QVERIFY2(r.exitCode == 0, r.out.constData());
    QCOMPARE(r.json().value(QStringLiteral("root_cert")).toObject().value(QStringLiteral("path")).toString(),
             home.filePath(QStringLiteral(".postgresql/root.crt")));
}

void TestCli::filesThatBlockOrFloodEndAtOnceWithExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env"); // NAME=value
    QTest::addColumn<QString>("message");
    QVERIFY(m_files.isValid());
    const QString fifo = m_files.filePath(QStringLiteral("ca.fifo"));
    if (!QFileInfo::exists(fifo))
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString big = m_files.filePath(QStringLiteral("big.pem"));
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(20 * 1024 * 1024)); // sparse
    }
    const QString p = QStringLiteral("--probe-only");
    const QStringList target { p, QStringLiteral("-h"), QStringLiteral("x"), QStringLiteral("--hostaddr"),
                               QStringLiteral("127.0.0.1") };
    QTest::newRow("a FIFO as --sslrootcert ends at once with exit 2, naming the file")
        << (QStringList(target) << QStringLiteral("--sslrootcert") << fifo) << QStringList()
        << QStringLiteral("--sslrootcert: \"%1\" is a named pipe (FIFO)").arg(fifo);
    QTest::newRow("a FIFO as sslrootcert in the connection string ends at once with exit 2")
        << QStringList { p, QStringLiteral("host=x hostaddr=127.0.0.1 sslrootcert=%1").arg(fifo) }
        << QStringList() << QStringLiteral("sslrootcert: \"%1\" is a named pipe (FIFO)").arg(fifo);
    QTest::newRow("a FIFO as PGSSLROOTCERT ends at once with exit 2")
        << target << QStringList { QStringLiteral("PGSSLROOTCERT=") + fifo }
        << QStringLiteral("sslrootcert: \"%1\" is a named pipe (FIFO)").arg(fifo);
    QTest::newRow("/dev/zero as --sslrootcert is refused without reading it")
        << (QStringList(target) << QStringLiteral("--sslrootcert") << QStringLiteral("/dev/zero"))
        << QStringList() << QStringLiteral("--sslrootcert: \"/dev/zero\" is a device");
    QTest::newRow("a 20 MiB --sslrootcert is refused without reading it")
        << (QStringList(target) << QStringLiteral("--sslrootcert") << big) << QStringList()
        << QStringLiteral("--sslrootcert: \"%1\" is 20.0 MiB, over the limit").arg(big);
    QTest::newRow("a FIFO as sslcert ends at once with exit 2, naming the file")
        << QStringList { p, QStringLiteral("host=x hostaddr=127.0.0.1 sslcert=%1").arg(fifo) }
        << QStringList() << QStringLiteral("sslcert: The client certificate %1 (sslcert) is a named pipe").arg(fifo);
    QTest::newRow("/dev/zero as PGSSLCRL ends at once with exit 2, naming the file")
        << (QStringList(target) << QStringLiteral("--sslrootcert") << m_lab->caBundlePath())
        << QStringList { QStringLiteral("PGSSLCRL=/dev/zero") }
        << QStringLiteral("sslcrl: The certificate revocation list /dev/zero (sslcrl) is a device");
}

void TestCli::filesThatBlockOrFloodEndAtOnceWithExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, message);
    QMap<QString, QString> environment;
    for (const QString &e : env)
        environment.insert(e.section(QLatin1Char('='), 0, 0), e.section(QLatin1Char('='), 1));
    QElapsedTimer timer;
    timer.start();
    const Run r = runCli(args, environment, 10000);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCli::aFifoAsTheDefaultRootCertDoesNotHangTheProbe()
{
    // libpq's default ~/.postgresql/root.crt as a FIFO: the probe verifies against it without
    // blocking, and the report says what the file is.
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".postgresql")));
    const QString rootCrt = home.filePath(QStringLiteral(".postgresql/root.crt"));
    QCOMPARE(::mkfifo(QFile::encodeName(rootCrt).constData(), 0600), 0);
    QStringList args = labArgs(Lab::endpointHostName());
    args.removeAt(args.indexOf(QStringLiteral("--sslrootcert")) + 1);
    args.removeAll(QStringLiteral("--sslrootcert"));
    QElapsedTimer timer;
    timer.start();
    const Run r = runCli(args << QStringLiteral("--json"), { { QStringLiteral("HOME"), home.path() } }, 20000);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(r.exitCode == 1, r.out.constData());
    const QJsonObject j = r.json();
    QCOMPARE(j.value(QStringLiteral("root_cert")).toObject().value(QStringLiteral("path")).toString(), rootCrt);
    QVERIFY2(r.out.contains("named pipe (FIFO)"), r.out.constData());
}

void TestCli::disableNeverCountsAsEncrypted()
{
    const Run r = runCli(labArgs(Lab::endpointHostName()) << QStringLiteral("--sslmode") << QStringLiteral("disable"));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith("FAIL: Not encrypted: sslmode=disable never uses TLS"), r.out.constData());
}

void TestCli::fullInspectionAnswersTheCoreQuestion()
{
    const QString conninfo = m_lab->endpoint().toConninfo();
    const Run r = runCli({ conninfo, QStringLiteral("--json") }, { { QStringLiteral("PGPASSFILE"), m_lab->passfilePath() } });
    QVERIFY2(r.exitCode == 0, r.out.constData());
    const QJsonObject j = r.json();
    const QJsonObject session = j.value(QStringLiteral("session")).toObject();
    for (const char *key : { "attempted", "connected", "ssl_in_use", "ssl_is_used", "ssl_is_used_source", "protocol",
                             "cipher", "server_version", "error", "explanation" })
        QVERIFY2(session.contains(QLatin1String(key)), key);
    QCOMPARE(session.value(QStringLiteral("connected")).toBool(), true);
    QCOMPARE(session.value(QStringLiteral("ssl_is_used")).toBool(), true);
    QCOMPARE(session.value(QStringLiteral("ssl_is_used_source")).toString(), QStringLiteral("sslinfo"));
    QCOMPARE(session.value(QStringLiteral("rds_force_ssl")).toString(), QStringLiteral("1"));
    const QJsonObject plaintext = j.value(QStringLiteral("plaintext")).toObject();
    for (const char *key : { "tested", "accepted", "detail" })
        QVERIFY2(plaintext.contains(QLatin1String(key)), key);
    QCOMPARE(plaintext.value(QStringLiteral("accepted")).toBool(true), false);
    QVERIFY(j.value(QStringLiteral("timings_ms")).toObject().value(QStringLiteral("session")).toInt(-1) >= 0);

    const Run text = runCli({ conninfo }, { { QStringLiteral("PGPASSFILE"), m_lab->passfilePath() } });
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.startsWith("OK: Encrypted and verified"), text.out.constData());
    QVERIFY(text.out.contains("ssl_is_used = true (from sslinfo)"));
}

void TestCli::matrixFlagFillsTheMatrix()
{
    const Run r = runCli({ m_lab->endpoint().toConninfo(), QStringLiteral("--matrix"), QStringLiteral("--json") },
                         { { QStringLiteral("PGPASSFILE"), m_lab->passfilePath() } });
    QCOMPARE(r.exitCode, 0);
    const QJsonArray matrix = r.json().value(QStringLiteral("matrix")).toArray();
    QCOMPARE(matrix.size(), 6);
    QStringList modes;
    for (const QJsonValue &v : matrix)
        modes << v.toObject().value(QStringLiteral("sslmode")).toString();
    QCOMPARE(modes, (QStringList{ QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"),
                                  QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full") }));
    QCOMPARE(matrix.last().toObject().value(QStringLiteral("mitm_safe")).toBool(), true);
    QCOMPARE(matrix.first().toObject().value(QStringLiteral("encrypted")).toBool(), false);
}

void TestCli::noPasswordAndNoTerminalFailsClearly()
{
    const Run r = runCli({ m_lab->endpoint().toConninfo() }, { { QStringLiteral("PGPASSFILE"), QStringLiteral("/dev/null/no-passfile") } });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith("FAIL: Failed: a password is needed"), r.out.constData());
}

void TestCli::passwordIsAskedOnTheTerminalWithoutEcho()
{
    // `script` gives pgtls-check a terminal; we answer the prompt once it appears.
    const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
    QVERIFY2(!script.isEmpty(), "script (util-linux) is needed for the terminal test");
    QProcess p;
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    pe.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/dev/null/no-passfile"));
    pe.remove(QStringLiteral("PGPASSWORD"));
    p.setProcessEnvironment(pe);
    const QString command = QStringLiteral("%1 '%2'").arg(QStringLiteral(PGTLS_CHECK_BIN), m_lab->endpoint().toConninfo());
    p.start(script, { QStringLiteral("-q"), QStringLiteral("-e"), QStringLiteral("-c"), command, QStringLiteral("/dev/null") });
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += p.readAll()).contains("Password for user labuser: "), 20000);
    p.write(m_lab->password().toUtf8() + "\n");
    QVERIFY(p.waitForFinished(30000));
    seen += p.readAll();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(seen.contains("OK: Encrypted and verified"), seen.constData());
    QVERIFY2(!seen.contains(m_lab->password().toUtf8()), "the password was echoed");
}

void TestCli::passwordNeverLeaks()
{
    // A known password through PGPASSWORD, then every output, the JSON and the server log are searched.
    const QByteArray password = m_lab->password().toUtf8();
    const QMap<QString, QString> env{ { QStringLiteral("PGPASSWORD"), m_lab->password() },
                                      { QStringLiteral("PGPASSFILE"), QStringLiteral("/dev/null/no-passfile") } };
    const QString good = m_lab->endpoint().toConninfo();
    const QString alias = QString(good).replace(Lab::endpointHostName(), Lab::aliasHostName());
    const QList<QStringList> runs = {
        { good }, { good, QStringLiteral("--json") }, { good, QStringLiteral("--matrix") },
        { good, QStringLiteral("--matrix"), QStringLiteral("--json") }, { alias, QStringLiteral("--json") },
        { good + QStringLiteral(" dbname=nosuchdb"), QStringLiteral("--json") },
        { QString(good).replace(QStringLiteral("user=labuser"), QStringLiteral("user=nosuchuser")) },
    };
    for (const QStringList &args : runs) {
        const Run r = runCli(args, env);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(!r.out.contains(password), qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(!r.err.contains(password), qPrintable(args.join(QLatin1Char(' '))));
    }
    QFile log(m_lab->logPath());
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(!log.readAll().contains(password));
}

void TestCli::demoModeStartsTheLabAndInspectsIt_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("problem");
    QTest::newRow("the correct lab verifies") << QStringLiteral("correct") << 0 << QString();
    QTest::newRow("the expired lab fails") << QStringLiteral("expired") << 1 << QStringLiteral("cert-expired");
    QTest::newRow("the lab with ssl off refuses TLS") << QStringLiteral("ssl-off") << 1 << QStringLiteral("ssl-not-supported");
}

void TestCli::demoModeStartsTheLabAndInspectsIt()
{
    QFETCH(QString, scenario);
    const Run r = runCli({ QStringLiteral("--probe-only"), QStringLiteral("--demo"), QStringLiteral("--scenario"),
                           scenario, QStringLiteral("--json") });
    QTEST(r.exitCode, "exitCode");
    const QJsonObject verdict = r.json().value(QStringLiteral("verdict")).toObject();
    QFETCH(QString, problem);
    if (!problem.isEmpty()) {
        const QJsonArray problems = verdict.value(QStringLiteral("problems")).toArray();
        QVERIFY(!problems.isEmpty());
        QCOMPARE(problems.first().toObject().value(QStringLiteral("code")).toString(), problem);
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
