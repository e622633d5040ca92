// SPDX-License-Identifier: MIT
// pgtls-check as a user runs it: flags, exit codes, JSON, and the chain it reports compared with
// what `openssl s_client -starttls postgres -showcerts` sees on the same lab server.
#include "CertificateInfo.h"
#include "Lab.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

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
    void demoModeStartsTheLabAndInspectsIt_data();
    void demoModeStartsTheLabAndInspectsIt();

private:
    QStringList labArgs(const QString &host) const;
    Lab *m_lab = nullptr;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(PGTLS_CHECK_BIN)), PGTLS_CHECK_BIN);
    m_lab = new Lab(this);
    QSignalSpy started(m_lab, &Lab::started);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->start(Scenario::Correct);
    QVERIFY(started.wait(20000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
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
    QTest::newRow("a CA file that does not exist is named")
        << QStringList{ p, QStringLiteral("-h"), QStringLiteral("x"), QStringLiteral("--sslrootcert"), QStringLiteral("/nonexistent/ca.pem") }
        << QStringLiteral("--sslrootcert: file \"/nonexistent/ca.pem\" does not exist");
    QTest::newRow("a directory as CA file is named")
        << QStringList{ p, QStringLiteral("-h"), QStringLiteral("x"), QStringLiteral("--sslrootcert"), QStringLiteral("/tmp") }
        << QStringLiteral("\"/tmp\" is a directory");
    QTest::newRow("a timeout that is not a number names --timeout")
        << QStringList{ p, QStringLiteral("--timeout"), QStringLiteral("soon") } << QStringLiteral("--timeout");
    QTest::newRow("an unknown flag is named")
        << QStringList{ p, QStringLiteral("--colour") } << QStringLiteral("colour");
    QTest::newRow("a password in the connection string is refused")
        << QStringList{ p, QStringLiteral("host=x password=hunter2") } << QStringLiteral("contains a password");
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
