// SPDX-License-Identifier: MIT
// `pgtls-check bundle info` on the real RDS bundles and `pgtls-check bundle download` against a
// local HTTPS server (127.0.0.1 only), run as a user runs them.
#include "../core/LocalHttpsServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace pgtls::testing;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QString all() const { return QString::fromUtf8(out + err); }
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QString rds(const char *file)
{
    return QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/") + QLatin1String(file);
}

} // namespace

class TestCliBundle : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void helpDescribesEveryCommandAndFlag();
    void infoOnTheGlobalBundle();
    void infoOnTheGlobalBundleAsJson();
    void infoOnTheRetired2019BundleExitsOne();
    void infoExitCodes_data();
    void infoExitCodes();
    void filesThatBlockOrFloodEndAtOnceWithExitTwo_data();
    void filesThatBlockOrFloodEndAtOnceWithExitTwo();
    void downloadWritesTheBundleAndReportsTheUpdate();
    void failedDownloadLeavesOutIntact_data();
    void failedDownloadLeavesOutIntact();

private:
    // Runs pgtls-check without blocking the event loop (the HTTPS server lives in this process).
    Run runCli(const QStringList &args);

    TestPki m_pki;
    std::unique_ptr<LocalHttpsServer> m_server;
    QTemporaryDir m_dir;
    QString m_caFile;
    QString m_lsanSuppressions;
    QByteArray m_usEast1;
    QByteArray m_global;
};

Run TestCliBundle::runCli(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
    // Under ASan: QNetworkAccessManager's HTTP thread frees OpenSSL's per-thread state (DRBGs,
    // error queue) in its thread-exit handlers, which can race with the CLI's exit and show up as a
    // leak in libcrypto. The in-process downloader tests run with leak detection unsuppressed.
    env.insert(
        QStringLiteral("LSAN_OPTIONS"), QStringLiteral("suppressions=") + m_lsanSuppressions);
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(PGTLS_CHECK_BIN), args);
    Run r;
    if (!finished.wait(60000)) {
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

void TestCliBundle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_usEast1 = readFile(rds("us-east-1-bundle.pem"));
    m_global = readFile(rds("global-bundle.pem"));
    QCOMPARE(m_usEast1.size(), 4576);
    QCOMPARE(m_global.size(), 165408);
    m_pki = TestPki::make(QStringLiteral("CLI Download Test CA"));
    m_lsanSuppressions = m_dir.filePath(QStringLiteral("lsan.supp"));
    QVERIFY(writeFile(m_lsanSuppressions, "leak:libcrypto.so\n"));
    m_caFile = m_dir.filePath(QStringLiteral("test-ca.pem"));
    QVERIFY(writeFile(m_caFile, m_pki.ca.pem));
    m_server = std::make_unique<LocalHttpsServer>(m_pki);
    QVERIFY(m_server->listen());
    m_server->setRoute(QStringLiteral("/global/global-bundle.pem"), Route::ok(m_global));
    m_server->setRoute(QStringLiteral("/us-east-1/us-east-1-bundle.pem"), Route::ok(m_usEast1));
    m_server->setRoute(QStringLiteral("/eu-central-1/eu-central-1-bundle.pem"),
        Route::ok("<html><body>Please sign in</body></html>\n", "text/html"));
}

void TestCliBundle::helpDescribesEveryCommandAndFlag()
{
    const Run r = runCli({ QStringLiteral("bundle"), QStringLiteral("--help") });
    QCOMPARE(r.exitCode, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const char *word : { "bundle info", "bundle download", "--json", "--host", "--region",
             "--partition", "--out", "--base-url", "--download-ca", "--timeout", "eu-west-1",
             "us-gov-west-1", "cn-north-1", "Exit codes" }) {
        QVERIFY2(help.contains(QLatin1String(word)), word);
    }

    const Run top = runCli({ QStringLiteral("--help") });
    QCOMPARE(top.exitCode, 0);
    QVERIFY(QString::fromUtf8(top.out).contains(QLatin1String("pgtls-check bundle info")));
    QVERIFY(QString::fromUtf8(top.out).contains(QLatin1String("pgtls-check bundle download")));

    const Run sub = runCli(
        { QStringLiteral("bundle"), QStringLiteral("download"), QStringLiteral("--help") });
    QCOMPARE(sub.exitCode, 0);
    QVERIFY(
        QString::fromUtf8(sub.out).startsWith(QLatin1String("Usage: pgtls-check bundle download")));
}

void TestCliBundle::infoOnTheGlobalBundle()
{
    const Run r
        = runCli({ QStringLiteral("bundle"), QStringLiteral("info"), rds("global-bundle.pem") });
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QLatin1String("OK:")), qPrintable(out.left(200)));
    QVERIFY2(out.contains(QLatin1String("108 certificates")), qPrintable(out.left(500)));
    for (const char *id : { "rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1" })
        QVERIFY2(out.contains(QLatin1String(id)), id);
    QVERIFY(out.contains(QLatin1String("eu-west-1")));
    QVERIFY(out.contains(QLatin1String("Amazon RDS ap-southeast-6 Root CA ECC384 G1")));
}

void TestCliBundle::infoOnTheGlobalBundleAsJson()
{
    const Run r = runCli({ QStringLiteral("bundle"), QStringLiteral("info"),
        QStringLiteral("--json"), QStringLiteral("--host"),
        QStringLiteral("mydb.abc123xyz.eu-west-1.rds.amazonaws.com"), rds("global-bundle.pem") });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("count")).toInt(), 108);
    QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("pem"));
    QCOMPARE(o.value(QStringLiteral("rds_ca_ids")).toArray(),
        QJsonArray({ QStringLiteral("rds-ca-ecc384-g1"), QStringLiteral("rds-ca-rsa2048-g1"),
            QStringLiteral("rds-ca-rsa4096-g1") }));
    QVERIFY(o.value(QStringLiteral("rds_regions")).toArray().contains(QStringLiteral("eu-west-1")));
    QCOMPARE(o.value(QStringLiteral("expired_count")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("duplicate_count")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("usable")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("earliest_expiry")).toString(),
        QStringLiteral("2061-05-18T21:49:45Z"));
    const QJsonObject endpoint = o.value(QStringLiteral("endpoint")).toObject();
    QCOMPARE(endpoint.value(QStringLiteral("rds_region")).toString(), QStringLiteral("eu-west-1"));
    QCOMPARE(endpoint.value(QStringLiteral("region_covered")).toBool(), true);
    const QJsonArray certs = o.value(QStringLiteral("certificates")).toArray();
    QCOMPARE(certs.size(), 108);
    QCOMPARE(certs.at(0).toObject().value(QStringLiteral("rds_ca_id")).toString(),
        QStringLiteral("rds-ca-rsa2048-g1"));
    QCOMPARE(certs.at(0).toObject().value(QStringLiteral("rds_region")).toString(),
        QStringLiteral("sa-east-1"));
}

void TestCliBundle::infoOnTheRetired2019BundleExitsOne()
{
    const Run r = runCli({ QStringLiteral("bundle"), QStringLiteral("info"),
        rds("rds-combined-ca-bundle-2019.pem") });
    QCOMPARE(r.exitCode, 1);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QLatin1String("FAIL:")), qPrintable(out.left(300)));
    QVERIFY2(out.contains(QLatin1String("retired")), qPrintable(out.left(600)));
    QVERIFY(out.contains(QLatin1String("rds-ca-2019")));
    QVERIFY(out.contains(QLatin1String("45 certificates")));

    const Run j = runCli({ QStringLiteral("bundle"), QStringLiteral("info"),
        QStringLiteral("--json"), rds("rds-combined-ca-bundle-2019.pem") });
    QCOMPARE(j.exitCode, 1);
    QCOMPARE(j.json().value(QStringLiteral("usable")).toBool(), false);
    QCOMPARE(j.json().value(QStringLiteral("expired_count")).toInt(), 45);
    QVERIFY(j.json()
                .value(QStringLiteral("unusable_reason"))
                .toString()
                .contains(QLatin1String("retired")));
}

void TestCliBundle::infoExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("fragment"); // in stdout+stderr

    const QString notCert = m_dir.filePath(QStringLiteral("notes.txt"));
    QVERIFY(writeFile(notCert, "these are not the certificates you are looking for\n"));
    const QString missing = m_dir.filePath(QStringLiteral("missing.pem"));
    const QString eu = QStringLiteral("mydb.abc123xyz.eu-west-1.rds.amazonaws.com");
    const QString use1 = QStringLiteral("mydb.abc123xyz.us-east-1.rds.amazonaws.com");

    QTest::newRow("a file without certificates exits 2 naming the file")
        << QStringList { QStringLiteral("info"), notCert } << 2 << notCert;
    QTest::newRow("a missing file exits 2 naming the file")
        << QStringList { QStringLiteral("info"), missing } << 2 << missing;
    QTest::newRow("no file exits 2")
        << QStringList { QStringLiteral("info") } << 2 << QStringLiteral("FILE");
    QTest::newRow("an unknown flag exits 2 naming it") << QStringList { QStringLiteral("info"),
        QStringLiteral("--frobnicate"), rds("global-bundle.pem") }
                                                       << 2 << QStringLiteral("frobnicate");
    QTest::newRow("an unknown command exits 2 naming it")
        << QStringList { QStringLiteral("inspect") } << 2 << QStringLiteral("inspect");
    QTest::newRow("no command exits 2")
        << QStringList {} << 2 << QStringLiteral("info or download");
    QTest::newRow("a regional bundle for another region's endpoint exits 1") << QStringList {
        QStringLiteral("info"), QStringLiteral("--host"), eu, rds("us-east-1-bundle.pem")
    } << 1 << QStringLiteral("eu-west-1");
    QTest::newRow("a regional bundle for its own region's endpoint exits 0") << QStringList {
        QStringLiteral("info"), QStringLiteral("--host"), use1, rds("us-east-1-bundle.pem")
    } << 0 << QStringLiteral("3 certificates");
    QTest::newRow("an RDS Proxy endpoint cannot be verified with the RDS bundle and exits 1")
        << QStringList { QStringLiteral("info"), QStringLiteral("--host"),
               QStringLiteral("myproxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com"),
               rds("global-bundle.pem") }
        << 1 << QStringLiteral("Amazon Root CA 1");
    QTest::newRow("a GovCloud endpoint with the commercial bundle exits 1") << QStringList {
        QStringLiteral("info"), QStringLiteral("--host"),
        QStringLiteral("mydb.abc123xyz.us-gov-west-1.rds.amazonaws.com"), rds("global-bundle.pem")
    } << 1 << QStringLiteral("--region us-gov-west-1");
    QTest::newRow("a host that is not an RDS endpoint is said so and does not fail")
        << QStringList { QStringLiteral("info"), QStringLiteral("--host"),
               QStringLiteral("db.example.com"), rds("us-east-1-bundle.pem") }
        << 0 << QStringLiteral("not an Amazon RDS endpoint");
}

void TestCliBundle::infoExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, fragment);
    const Run r = runCli(QStringList { QStringLiteral("bundle") } + args);
    QVERIFY2(r.exitCode == exitCode, qPrintable(r.all()));
    QVERIFY2(r.all().contains(fragment), qPrintable(r.all()));
}

void TestCliBundle::filesThatBlockOrFloodEndAtOnceWithExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("fragment"); // in stderr

    const QString fifo = m_dir.filePath(QStringLiteral("bundle.fifo"));
    if (!QFileInfo::exists(fifo))
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString zeroLink = m_dir.filePath(QStringLiteral("zero.pem"));
    if (!QFileInfo(zeroLink).isSymLink())
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zeroLink));

    QTest::newRow("bundle info on a FIFO exits 2 at once, naming the file as a named pipe")
        << QStringList { QStringLiteral("info"), fifo }
        << QStringLiteral("%1 is a named pipe (FIFO)").arg(fifo);
    QTest::newRow("bundle info on /dev/zero exits 2 at once without reading it")
        << QStringList { QStringLiteral("info"), QStringLiteral("/dev/zero") }
        << QStringLiteral("/dev/zero is a device");
    QTest::newRow("bundle info on a link to /dev/zero exits 2 at once without reading it")
        << QStringList { QStringLiteral("info"), zeroLink }
        << QStringLiteral("%1 is a device").arg(zeroLink);
    QTest::newRow("bundle download with a FIFO as --download-ca exits 2 at once, naming it")
        << QStringList { QStringLiteral("download"), QStringLiteral("--download-ca"), fifo,
               QStringLiteral("--out"), m_dir.filePath(QStringLiteral("never-written.pem")) }
        << QStringLiteral("--download-ca: cannot read \"%1\"").arg(fifo);
}

void TestCliBundle::filesThatBlockOrFloodEndAtOnceWithExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, fragment);
    QElapsedTimer timer;
    timer.start();
    const Run r = runCli(QStringList { QStringLiteral("bundle") } + args);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(r.exitCode == 2, qPrintable(r.all()));
    QVERIFY2(QString::fromUtf8(r.err).contains(fragment), qPrintable(r.all()));
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("never-written.pem"))));
}

void TestCliBundle::downloadWritesTheBundleAndReportsTheUpdate()
{
    const QString out = m_dir.filePath(QStringLiteral("download/root.crt"));
    const QStringList common = { QStringLiteral("bundle"), QStringLiteral("download"),
        QStringLiteral("--base-url"), m_server->baseUrl(), QStringLiteral("--download-ca"),
        m_caFile, QStringLiteral("--out"), out, QStringLiteral("--timeout"), QStringLiteral("20") };

    Run r
        = runCli(common + QStringList { QStringLiteral("--region"), QStringLiteral("us-east-1") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(readFile(out), m_usEast1);
    QVERIFY2(QString::fromUtf8(r.out).contains(QLatin1String("3 certificates")), r.out.constData());
    QVERIFY(!r.err.contains("Downloading")); // no progress: stderr is not a terminal

    r = runCli(common); // the global bundle
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(readFile(out), m_global);
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QLatin1String("105 added, 0 removed")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("+ Amazon RDS eu-west-1 Root CA RSA2048 G1")));

    r = runCli(common + QStringList { QStringLiteral("--json") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("changed")).toBool(), false);
    QCOMPARE(o.value(QStringLiteral("count")).toInt(), 108);
    QCOMPARE(o.value(QStringLiteral("http_status")).toInt(), 200);
    QCOMPARE(o.value(QStringLiteral("destination")).toString(), out);
    QCOMPARE(o.value(QStringLiteral("url")).toString(),
        m_server->url(QStringLiteral("/global/global-bundle.pem")));
}

void TestCliBundle::failedDownloadLeavesOutIntact_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("fragment"); // in stderr

    const QString base = m_server->baseUrl();
    const QString ca = m_caFile;
    QTest::newRow("a region the server does not have exits 1 with the HTTP status")
        << QStringList { QStringLiteral("--base-url"), base, QStringLiteral("--download-ca"), ca,
               QStringLiteral("--region"), QStringLiteral("eu-west-1") }
        << 1 << QStringLiteral("404");
    QTest::newRow("an HTML page instead of the bundle exits 1 as an invalid bundle")
        << QStringList { QStringLiteral("--base-url"), base, QStringLiteral("--download-ca"), ca,
               QStringLiteral("--region"), QStringLiteral("eu-central-1") }
        << 1 << QStringLiteral("invalid-bundle");
    QTest::newRow("a server whose CA is not given exits 1 with a TLS error")
        << QStringList { QStringLiteral("--base-url"), base } << 1 << QStringLiteral("tls-error");
    QTest::newRow("an unknown region exits 2 and says how to list the regions")
        << QStringList { QStringLiteral("--base-url"), base, QStringLiteral("--region"),
               QStringLiteral("moon-base-1") }
        << 2 << QStringLiteral("--help");
    QTest::newRow("an http base URL exits 2 naming the flag") << QStringList {
        QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:%1").arg(m_server->port())
    } << 2 << QStringLiteral("--base-url");
    QTest::newRow("a --download-ca file without certificates exits 2 naming the flag")
        << QStringList { QStringLiteral("--base-url"), base, QStringLiteral("--download-ca"),
               rds("PROVENANCE.md") }
        << 2 << QStringLiteral("--download-ca");
    QTest::newRow("a bad --timeout exits 2 naming the flag")
        << QStringList { QStringLiteral("--timeout"), QStringLiteral("soon") } << 2
        << QStringLiteral("--timeout");
    QTest::newRow("an unknown --partition exits 2 naming the flag")
        << QStringList { QStringLiteral("--partition"), QStringLiteral("mars") } << 2
        << QStringLiteral("--partition");
}

void TestCliBundle::failedDownloadLeavesOutIntact()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, fragment);
    const QString out = m_dir.filePath(QStringLiteral("kept.pem"));
    QVERIFY(writeFile(out, m_usEast1));
    const Run r = runCli(
        QStringList { QStringLiteral("bundle"), QStringLiteral("download"), QStringLiteral("--out"),
            out, QStringLiteral("--timeout"), QStringLiteral("20") }
        + args);
    QVERIFY2(r.exitCode == exitCode, qPrintable(r.all()));
    QVERIFY2(QString::fromUtf8(r.err).contains(fragment), r.err.constData());
    QCOMPARE(readFile(out), m_usEast1);
    if (exitCode == 1)
        QVERIFY2(
            QString::fromUtf8(r.err).contains(QLatin1String("was not changed")), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliBundle)
#include "TestCliBundle.moc"
