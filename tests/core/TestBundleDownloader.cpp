// SPDX-License-Identifier: MIT
// BundleDownloader against a real local HTTPS server (QSslServer on 127.0.0.1, test CA trusted
// through the extra-CA option), and RdsTrustStore's official URLs. Nothing reaches the internet.
#include "BundleDownloader.h"
#include "LocalHttpsServer.h"
#include "RdsTrustStore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::testing;

namespace {

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

const QString kUsEast1Path = QStringLiteral("/us-east-1/us-east-1-bundle.pem");
const QString kGlobalPath = QStringLiteral("/global/global-bundle.pem");

} // namespace

class TestBundleDownloader : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void trustStoreUrls_data();
    void trustStoreUrls();
    void partitionGlobalBundlesHaveTheirOwnStores_data();
    void partitionGlobalBundlesHaveTheirOwnStores();
    void commercialRegionsAreTheGlobalBundlesRegions();

    void goodBundleIsWrittenAndAnUpdateReportsTheDiff();
    void failureLeavesThePreviousBundleIntact_data();
    void failureLeavesThePreviousBundleIntact();
    void httpsRedirectIsFollowed_data();
    void httpsRedirectIsFollowed();
    void cancelFinishesOnceAndIsNotAnError_data();
    void cancelFinishesOnceAndIsNotAnError();
    void startReportsNothingSynchronously();
    void deadlineBoundsTheWholeDownload();
    void unwritableDestinationFailsWithoutPartialFile();
    void defaultDestinationIsInTheAppDataDirectory();
    void customNetworkAccessManagerIsUsed();

private:
    BundleDownloadOptions optionsFor(const QString &url) const;
    // Runs one download to its end; fails the test unless finished() fired exactly once.
    BundleDownloadResult run(const BundleDownloadOptions &options, qint64 *elapsedMs = nullptr);

    TestPki m_pki;
    TestPki m_otherPki;
    std::unique_ptr<LocalHttpsServer> m_server;
    std::unique_ptr<LocalHttpsServer> m_untrusted;
    QTemporaryDir m_dir;
    QString m_dest;
    QByteArray m_usEast1;
    QByteArray m_global;
};

void TestBundleDownloader::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_usEast1 = readFile(QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/us-east-1-bundle.pem"));
    m_global = readFile(QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/global-bundle.pem"));
    QCOMPARE(m_usEast1.size(), 4576);
    QCOMPARE(m_global.size(), 165408);

    m_pki = TestPki::make(QStringLiteral("Download Test CA"));
    m_otherPki = TestPki::make(QStringLiteral("Some Other CA"));
    m_server = std::make_unique<LocalHttpsServer>(m_pki);
    m_untrusted = std::make_unique<LocalHttpsServer>(m_otherPki);
    QVERIFY(m_server->listen());
    QVERIFY(m_untrusted->listen());

    LocalHttpsServer &s = *m_server;
    s.setRoute(kUsEast1Path, Route::ok(m_usEast1));
    s.setRoute(kGlobalPath, Route::ok(m_global));
    m_untrusted->setRoute(kUsEast1Path, Route::ok(m_usEast1));
    s.setRoute(QStringLiteral("/truncated.pem"), Route::ok(m_usEast1.left(m_usEast1.size() / 2)));
    s.setRoute(QStringLiteral("/page.html"),
        Route::ok("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Captive "
                  "portal</body></html>\n",
            "text/html"));
    s.setRoute(QStringLiteral("/leaf.pem"), Route::ok(m_pki.server.pem));
    s.setRoute(QStringLiteral("/with-key.pem"), Route::ok(m_pki.ca.key.toPem() + m_pki.ca.pem));
    Route serverError;
    serverError.status = 500;
    serverError.reason = "Internal Server Error";
    serverError.body = "oops";
    s.setRoute(QStringLiteral("/error"), serverError);

    const QByteArray big(5 * 1024 * 1024, 'A');
    s.setRoute(QStringLiteral("/big-announced.pem"), Route::ok(big));
    Route stream = Route::ok(big);
    stream.sendContentLength = false;
    s.setRoute(QStringLiteral("/big-streamed.pem"), stream);

    Route stall = Route::ok(m_global);
    stall.mode = Route::Mode::StallAfterHeaders;
    s.setRoute(QStringLiteral("/stall.pem"), stall);
    Route half = Route::ok(m_global);
    half.mode = Route::Mode::StallAfterPart;
    half.partBytes = 40000;
    s.setRoute(QStringLiteral("/half.pem"), half);

    const QByteArray port = QByteArray::number(s.port());
    s.setRoute(QStringLiteral("/to-http"),
        Route::redirect(302, "http://127.0.0.1:" + port + kUsEast1Path.toLatin1()));
    s.setRoute(QStringLiteral("/to-ftp"), Route::redirect(302, "ftp://127.0.0.1/bundle.pem"));
    s.setRoute(QStringLiteral("/loop"), Route::redirect(302, "/loop"));
    s.setRoute(QStringLiteral("/ping"), Route::redirect(302, "/pong"));
    s.setRoute(QStringLiteral("/pong"), Route::redirect(302, "/ping"));
    for (int i = 1; i <= 7; ++i)
        s.setRoute(QStringLiteral("/hop%1").arg(i),
            Route::redirect(302, "/hop" + QByteArray::number(i + 1)));
    s.setRoute(QStringLiteral("/hop8"), Route::ok(m_usEast1));
    s.setRoute(QStringLiteral("/moved"),
        Route::redirect(301, "https://localhost:" + port + kUsEast1Path.toLatin1()));
    s.setRoute(QStringLiteral("/relative"), Route::redirect(302, kUsEast1Path.toLatin1()));
    Route noLocation;
    noLocation.status = 302;
    noLocation.reason = "Found";
    s.setRoute(QStringLiteral("/no-location"), noLocation);
}

// Every test starts with a good bundle at m_dest.
void TestBundleDownloader::init()
{
    m_dest = m_dir.filePath(QStringLiteral("us-east-1-bundle.pem"));
    QVERIFY(writeFile(m_dest, m_usEast1));
}

BundleDownloadOptions TestBundleDownloader::optionsFor(const QString &url) const
{
    BundleDownloadOptions o;
    o.url = QUrl(url);
    o.destination = m_dest;
    o.extraCaCertificates = { m_pki.caCertificate() };
    o.transferTimeoutMs = 10000;
    o.deadlineMs = 20000;
    return o;
}

BundleDownloadResult TestBundleDownloader::run(
    const BundleDownloadOptions &options, qint64 *elapsedMs)
{
    BundleDownloader downloader;
    QSignalSpy spy(&downloader, &BundleDownloader::finished);
    QElapsedTimer timer;
    timer.start();
    downloader.start(options);
    if (!spy.wait(30000) || spy.size() != 1) {
        QTest::qFail("finished() did not fire exactly once", __FILE__, __LINE__);
        return {};
    }
    if (elapsedMs)
        *elapsedMs = timer.elapsed();
    if (downloader.isRunning())
        QTest::qFail("still running after finished()", __FILE__, __LINE__);
    return spy.at(0).at(0).value<BundleDownloadResult>();
}

void TestBundleDownloader::trustStoreUrls_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("no region is the commercial global bundle")
        << QString() << QString()
        << QStringLiteral("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    QTest::newRow("\"global\" is the commercial global bundle too")
        << QStringLiteral("global") << QString()
        << QStringLiteral("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    QTest::newRow("eu-west-1 has its own bundle")
        << QStringLiteral("eu-west-1") << QString()
        << QStringLiteral(
               "https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem");
    QTest::newRow("a GovCloud region uses the GovCloud trust store")
        << QStringLiteral("us-gov-west-1") << QString()
        << QStringLiteral("https://truststore.pki.us-gov-west-1.rds.amazonaws.com/us-gov-west-1/"
                          "us-gov-west-1-bundle.pem");
    QTest::newRow("the other GovCloud region is in the same store")
        << QStringLiteral("us-gov-east-1") << QString()
        << QStringLiteral("https://truststore.pki.us-gov-west-1.rds.amazonaws.com/us-gov-east-1/"
                          "us-gov-east-1-bundle.pem");
    QTest::newRow("a China region uses the China trust store")
        << QStringLiteral("cn-northwest-1") << QString()
        << QStringLiteral("https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/cn-northwest-1/"
                          "cn-northwest-1-bundle.pem");
    QTest::newRow("a base URL override replaces scheme, host and port and keeps the layout")
        << QStringLiteral("eu-west-1") << QStringLiteral("https://127.0.0.1:8443")
        << QStringLiteral("https://127.0.0.1:8443/eu-west-1/eu-west-1-bundle.pem");
    QTest::newRow("an override with a path prefix and a trailing slash keeps the layout under it")
        << QString() << QStringLiteral("https://mirror.example.com/rds/")
        << QStringLiteral("https://mirror.example.com/rds/global/global-bundle.pem");
    QTest::newRow("an override applies to GovCloud regions as well")
        << QStringLiteral("us-gov-east-1") << QStringLiteral("https://mirror.example.com")
        << QStringLiteral("https://mirror.example.com/us-gov-east-1/us-gov-east-1-bundle.pem");
    QTest::newRow("an unknown region is refused")
        << QStringLiteral("eu-middle-9") << QString() << QString();
    QTest::newRow("a region with a path in it is refused")
        << QStringLiteral("../etc") << QString() << QString();
    QTest::newRow("an override without a host is refused")
        << QString() << QStringLiteral("mirror") << QString();
    QTest::newRow("an override with a query is refused")
        << QString() << QStringLiteral("https://mirror.example.com/?x=1") << QString();
}

void TestBundleDownloader::trustStoreUrls()
{
    QFETCH(QString, region);
    QFETCH(QString, base);
    QFETCH(QString, expected);
    QString error;
    const QUrl url = RdsTrustStore::bundleUrl(region, base, &error);
    if (expected.isEmpty()) {
        QVERIFY(!url.isValid());
        QVERIFY(!error.isEmpty());
        if (!region.isEmpty()) {
            QVERIFY2(error.contains(region), qPrintable(error));
            QVERIFY2(error.contains(QLatin1String("--help")),
                qPrintable(error)); // how to list the regions
        } else {
            QVERIFY2(error.contains(base), qPrintable(error));
        }
    } else {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(url.toString(), expected);
    }
}

void TestBundleDownloader::partitionGlobalBundlesHaveTheirOwnStores_data()
{
    QTest::addColumn<RdsTrustStore::Partition>("partition");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("name");
    QTest::newRow("commercial global bundle")
        << RdsTrustStore::Partition::Commercial
        << QStringLiteral("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem")
        << QStringLiteral("global");
    QTest::newRow("GovCloud global bundle")
        << RdsTrustStore::Partition::GovCloud
        << QStringLiteral(
               "https://truststore.pki.us-gov-west-1.rds.amazonaws.com/global/global-bundle.pem")
        << QStringLiteral("us-gov-global");
    QTest::newRow("China global bundle")
        << RdsTrustStore::Partition::China
        << QStringLiteral(
               "https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/global/global-bundle.pem")
        << QStringLiteral("cn-global");
}

void TestBundleDownloader::partitionGlobalBundlesHaveTheirOwnStores()
{
    QFETCH(RdsTrustStore::Partition, partition);
    QFETCH(QString, expected);
    QFETCH(QString, name);
    QCOMPARE(RdsTrustStore::globalBundleUrl(partition).toString(), expected);
    QCOMPARE(RdsTrustStore::globalBundleName(partition), name);
    QCOMPARE(
        RdsTrustStore::globalBundleUrl(partition, QStringLiteral("https://127.0.0.1:1")).toString(),
        QStringLiteral("https://127.0.0.1:1/global/global-bundle.pem"));
}

void TestBundleDownloader::commercialRegionsAreTheGlobalBundlesRegions()
{
    const QStringList regions = RdsTrustStore::commercialRegions();
    QCOMPARE(regions.size(), 34);
    QCOMPARE(RdsTrustStore::govCloudRegions(),
        QStringList({ QStringLiteral("us-gov-east-1"), QStringLiteral("us-gov-west-1") }));
    QCOMPARE(RdsTrustStore::partitionOf(QStringLiteral("us-gov-east-1")),
        RdsTrustStore::Partition::GovCloud);
    QCOMPARE(
        RdsTrustStore::partitionOf(QStringLiteral("cn-north-1")), RdsTrustStore::Partition::China);
    QCOMPARE(RdsTrustStore::partitionOf(QStringLiteral("eu-west-1")),
        RdsTrustStore::Partition::Commercial);

    // The list agrees with the regions of the real global bundle (without its Beta and Preview
    // CAs).
    const CaBundle global
        = CaBundle::load(QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/global-bundle.pem"));
    QVERIFY2(global.ok(), qPrintable(global.error));
    QStringList fromBundle;
    for (const QString &r : global.rdsRegions()) {
        if (!r.startsWith(QLatin1String("beta")) && !r.startsWith(QLatin1String("preview")))
            fromBundle.append(r);
    }
    QCOMPARE(fromBundle, regions);
}

void TestBundleDownloader::goodBundleIsWrittenAndAnUpdateReportsTheDiff()
{
    const QString dest = m_dir.filePath(QStringLiteral("fresh/rds/bundle.pem"));
    QFile::remove(dest);

    BundleDownloadOptions o = optionsFor(
        RdsTrustStore::bundleUrl(QStringLiteral("us-east-1"), m_server->baseUrl()).toString());
    o.destination = dest;
    BundleDownloader downloader;
    QSignalSpy progress(&downloader, &BundleDownloader::progress);
    QSignalSpy finished(&downloader, &BundleDownloader::finished);
    downloader.start(o);
    QVERIFY(finished.wait(20000));
    BundleDownloadResult r = downloader.result();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.errorCode.isEmpty());
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(r.bytes, qint64(4576));
    QCOMPARE(r.destination, dest);
    QVERIFY(r.changed);
    QVERIFY(!r.hadPrevious);
    QCOMPARE(r.bundle.count(), 3);
    QCOMPARE(r.diff.added.size(), 3);
    QCOMPARE(r.diff.removed.size(), 0);
    QCOMPARE(readFile(dest), m_usEast1);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), qint64(4576));

    // An update to the global bundle: the 105 roots of the other regions come in, nothing goes.
    o.url = RdsTrustStore::bundleUrl({}, m_server->baseUrl());
    downloader.start(o);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 2);
    r = downloader.result();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.changed);
    QVERIFY(r.hadPrevious);
    QCOMPARE(r.bundle.count(), 108);
    QCOMPARE(r.diff.added.size(), 105);
    QCOMPARE(r.diff.removed.size(), 0);
    QCOMPARE(readFile(dest), m_global);

    // The same again: nothing changed, the file is left alone.
    const QDateTime modified = QFileInfo(dest).lastModified();
    downloader.start(o);
    QVERIFY(finished.wait(20000));
    r = downloader.result();
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(!r.changed);
    QVERIFY(r.diff.added.isEmpty());
    QVERIFY(r.diff.removed.isEmpty());
    QCOMPARE(QFileInfo(dest).lastModified(), modified);

    // And back to the regional bundle: 105 removed.
    o.url = RdsTrustStore::bundleUrl(QStringLiteral("us-east-1"), m_server->baseUrl());
    downloader.start(o);
    QVERIFY(finished.wait(20000));
    r = downloader.result();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.diff.added.size(), 0);
    QCOMPARE(r.diff.removed.size(), 105);
    QCOMPARE(readFile(dest), m_usEast1);
    QCOMPARE(finished.size(), 4);
}

void TestBundleDownloader::failureLeavesThePreviousBundleIntact_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("server"); // "trusted", "untrusted", "closed-port", "http"
    QTest::addColumn<int>("transferTimeoutMs");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("fragment"); // in the error text

    const QString t = QStringLiteral("trusted");
    QTest::newRow("a 404 is an HTTP error with the status")
        << QStringLiteral("/nothing-here.pem") << t << 10000 << QStringLiteral("http-error")
        << QStringLiteral("404");
    QTest::newRow("a 500 is an HTTP error with the status and reason")
        << QStringLiteral("/error") << t << 10000 << QStringLiteral("http-error")
        << QStringLiteral("500 Internal Server Error");
    QTest::newRow("a truncated file is not a bundle")
        << QStringLiteral("/truncated.pem") << t << 10000 << QStringLiteral("invalid-bundle")
        << QString();
    QTest::newRow("an HTML page instead of PEM is not a bundle")
        << QStringLiteral("/page.html") << t << 10000 << QStringLiteral("invalid-bundle")
        << QString();
    QTest::newRow("a server certificate instead of CAs is not a CA bundle")
        << QStringLiteral("/leaf.pem") << t << 10000 << QStringLiteral("invalid-bundle")
        << QStringLiteral("not a CA");
    QTest::newRow("a private key in the download is refused")
        << QStringLiteral("/with-key.pem") << t << 10000 << QStringLiteral("invalid-bundle")
        << QString();
    QTest::newRow("an oversized body announced by Content-Length is refused before reading it")
        << QStringLiteral("/big-announced.pem") << t << 10000 << QStringLiteral("too-large")
        << QStringLiteral("4 MiB");
    QTest::newRow("an oversized body without Content-Length is cut off at the limit")
        << QStringLiteral("/big-streamed.pem") << t << 10000 << QStringLiteral("too-large")
        << QStringLiteral("4 MiB");
    QTest::newRow("headers then silence times out within the bound") << QStringLiteral(
        "/stall.pem") << t << 700 << QStringLiteral("timeout") << QStringLiteral("0.7 s");
    QTest::newRow("a body that stops halfway times out within the bound") << QStringLiteral(
        "/half.pem") << t << 700 << QStringLiteral("timeout") << QStringLiteral("0.7 s");
    QTest::newRow("a redirect to http is refused")
        << QStringLiteral("/to-http") << t << 10000 << QStringLiteral("redirect-to-http")
        << QStringLiteral("http://127.0.0.1");
    QTest::newRow("a redirect to another scheme is refused")
        << QStringLiteral("/to-ftp") << t << 10000 << QStringLiteral("not-https")
        << QStringLiteral("ftp://");
    QTest::newRow("a redirect to itself is a loop")
        << QStringLiteral("/loop") << t << 10000 << QStringLiteral("redirect-loop")
        << QStringLiteral("loop");
    QTest::newRow("two paths redirecting to each other are a loop") << QStringLiteral(
        "/ping") << t << 10000 << QStringLiteral("redirect-loop") << QStringLiteral("/ping");
    QTest::newRow("more than five redirects are too many")
        << QStringLiteral("/hop1") << t << 10000 << QStringLiteral("redirect-loop")
        << QStringLiteral("more than 5");
    QTest::newRow("a redirect without a Location is an HTTP error")
        << QStringLiteral("/no-location") << t << 10000 << QStringLiteral("http-error")
        << QStringLiteral("302");
    QTest::newRow("a server whose certificate is not trusted is a TLS error")
        << kUsEast1Path << QStringLiteral("untrusted") << 10000 << QStringLiteral("tls-error")
        << QStringLiteral("127.0.0.1");
    QTest::newRow("the trusted server is not trusted without the extra CA")
        << kUsEast1Path << QStringLiteral("no-extra-ca") << 10000 << QStringLiteral("tls-error")
        << QString();
    QTest::newRow("nothing listening is a network error")
        << kUsEast1Path << QStringLiteral("closed-port") << 10000 << QStringLiteral("network")
        << QStringLiteral("refused");
    QTest::newRow("an http URL is refused before connecting")
        << kUsEast1Path << QStringLiteral("http") << 10000 << QStringLiteral("not-https")
        << QStringLiteral("https://");
}

void TestBundleDownloader::failureLeavesThePreviousBundleIntact()
{
    QFETCH(QString, path);
    QFETCH(QString, server);
    QFETCH(int, transferTimeoutMs);
    QFETCH(QString, code);
    QFETCH(QString, fragment);

    QString base = m_server->baseUrl();
    if (server == QLatin1String("untrusted")) {
        base = m_untrusted->baseUrl();
    } else if (server == QLatin1String("closed-port")) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress(QHostAddress::LocalHost)));
        base = QStringLiteral("https://127.0.0.1:%1").arg(probe.serverPort());
    } else if (server == QLatin1String("http")) {
        base = QStringLiteral("http://127.0.0.1:%1").arg(m_server->port());
    }
    BundleDownloadOptions o = optionsFor(base + path);
    if (server == QLatin1String("no-extra-ca"))
        o.extraCaCertificates.clear();
    o.transferTimeoutMs = transferTimeoutMs;
    const int requestsBefore = int(m_server->requests().size());

    qint64 elapsed = 0;
    const BundleDownloadResult r = run(o, &elapsed);
    QVERIFY(!r.ok);
    QCOMPARE(r.errorCode, code);
    QVERIFY2(!r.error.isEmpty(), "an error needs a text");
    if (!fragment.isEmpty())
        QVERIFY2(r.error.contains(fragment), qPrintable(r.error));
    QVERIFY(!r.changed);
    QCOMPARE(r.destination, m_dest);
    QCOMPARE(readFile(m_dest), m_usEast1); // byte for byte
    if (code == QLatin1String("timeout"))
        QVERIFY2(elapsed < transferTimeoutMs + 4000, qPrintable(QString::number(elapsed)));
    if (code == QLatin1String("redirect-to-http")) {
        // The http:// target was never requested (not even over TLS on the same port).
        QCOMPARE(m_server->requests().mid(requestsBefore), QStringList({ path }));
    }
    if (path == QLatin1String("/hop1"))
        QCOMPARE(m_server->requests().size() - requestsBefore, 6); // the request and 5 redirects
}

void TestBundleDownloader::httpsRedirectIsFollowed_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("maxRedirects");
    QTest::addColumn<int>("redirects");
    QTest::addColumn<QString>("finalHost");
    QTest::newRow("a 301 to another https host name is followed")
        << QStringLiteral("/moved") << 5 << 1 << QStringLiteral("localhost");
    QTest::newRow("a relative redirect stays on https")
        << QStringLiteral("/relative") << 5 << 1 << QStringLiteral("127.0.0.1");
    QTest::newRow("seven redirects are followed when allowed")
        << QStringLiteral("/hop1") << 7 << 7 << QStringLiteral("127.0.0.1");
}

void TestBundleDownloader::httpsRedirectIsFollowed()
{
    QFETCH(QString, path);
    QFETCH(int, maxRedirects);
    QFETCH(int, redirects);
    QFETCH(QString, finalHost);
    const QString dest = m_dir.filePath(QStringLiteral("redirected.pem"));
    QFile::remove(dest);
    BundleDownloadOptions o = optionsFor(m_server->url(path));
    o.destination = dest;
    o.maxRedirects = maxRedirects;
    const BundleDownloadResult r = run(o);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.redirects, redirects);
    QCOMPARE(r.finalUrl.host(), finalHost);
    QCOMPARE(r.url, QUrl(m_server->url(path)));
    QCOMPARE(r.bundle.count(), 3);
    QCOMPARE(readFile(dest), m_usEast1);
}

void TestBundleDownloader::cancelFinishesOnceAndIsNotAnError_data()
{
    QTest::addColumn<QString>("when");
    QTest::newRow("cancel mid-transfer after some of the body") << QStringLiteral("progress");
    QTest::newRow("cancel right after start") << QStringLiteral("start");
    QTest::newRow("cancel a refused URL before the refusal is reported")
        << QStringLiteral("refused");
}

void TestBundleDownloader::cancelFinishesOnceAndIsNotAnError()
{
    QFETCH(QString, when);
    BundleDownloadOptions o = optionsFor(when == QLatin1String("refused")
            ? QStringLiteral("http://127.0.0.1/x-bundle.pem")
            : m_server->url(QStringLiteral("/half.pem")));
    BundleDownloader downloader;
    QSignalSpy finished(&downloader, &BundleDownloader::finished);
    qint64 receivedAtCancel = 0;
    if (when == QLatin1String("progress")) {
        connect(&downloader, &BundleDownloader::progress, this, [&](qint64 received, qint64 total) {
            if (received > 0 && downloader.isRunning()) {
                QCOMPARE(total, qint64(m_global.size()));
                receivedAtCancel = received;
                downloader.cancel();
            }
        });
    }
    downloader.start(o);
    if (when != QLatin1String("progress"))
        downloader.cancel();
    if (finished.isEmpty())
        QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 1);
    const BundleDownloadResult r = finished.at(0).at(0).value<BundleDownloadResult>();
    QVERIFY(!r.ok);
    QVERIFY(r.cancelled());
    QCOMPARE(r.errorCode, QStringLiteral("cancelled"));
    QVERIFY(!downloader.isRunning());
    if (when == QLatin1String("progress"))
        QVERIFY(receivedAtCancel > 0 && receivedAtCancel < m_global.size());
    QCOMPARE(readFile(m_dest), m_usEast1);
    downloader.cancel(); // a no-op now
    QVERIFY(!finished.wait(300)); // and nothing else arrives later
    QCOMPARE(finished.size(), 1);
}

void TestBundleDownloader::startReportsNothingSynchronously()
{
    BundleDownloader downloader;
    QSignalSpy finished(&downloader, &BundleDownloader::finished);
    BundleDownloadOptions o = optionsFor(QStringLiteral("http://127.0.0.1/x-bundle.pem"));
    downloader.start(o);
    QCOMPARE(finished.size(), 0);
    QVERIFY(downloader.isRunning());
    QVERIFY(finished.wait(5000));
    QCOMPARE(downloader.result().errorCode, QStringLiteral("not-https"));

    // A run superseded by another start() reports nothing; the new one reports once.
    downloader.start(optionsFor(m_server->url(QStringLiteral("/stall.pem"))));
    downloader.start(optionsFor(m_server->url(kUsEast1Path)));
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.size(), 2);
    QVERIFY2(downloader.result().ok, qPrintable(downloader.result().error));
    QVERIFY(!finished.wait(300));
}

void TestBundleDownloader::deadlineBoundsTheWholeDownload()
{
    BundleDownloadOptions o = optionsFor(m_server->url(QStringLiteral("/half.pem")));
    o.transferTimeoutMs = 30000;
    o.deadlineMs = 600;
    qint64 elapsed = 0;
    const BundleDownloadResult r = run(o, &elapsed);
    QCOMPARE(r.errorCode, QStringLiteral("timeout"));
    QVERIFY2(r.error.contains(QLatin1String("0.6 s")), qPrintable(r.error));
    QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
    QCOMPARE(readFile(m_dest), m_usEast1);
}

void TestBundleDownloader::unwritableDestinationFailsWithoutPartialFile()
{
    const QString blocker = m_dir.filePath(QStringLiteral("a-file"));
    QVERIFY(writeFile(blocker, "not a directory"));
    BundleDownloadOptions o = optionsFor(m_server->url(kUsEast1Path));
    o.destination = blocker + QStringLiteral("/rds/bundle.pem");
    BundleDownloadResult r = run(o);
    QCOMPARE(r.errorCode, QStringLiteral("write-failed"));
    QVERIFY2(r.error.contains(blocker), qPrintable(r.error));
    QCOMPARE(readFile(blocker), QByteArray("not a directory"));

    o.destination = m_dir.path(); // a directory
    r = run(o);
    QCOMPARE(r.errorCode, QStringLiteral("write-failed"));
}

void TestBundleDownloader::defaultDestinationIsInTheAppDataDirectory()
{
    // QStandardPaths' test mode (set in initTestCase) keeps this out of the real home.
    QVERIFY(QStandardPaths::isTestModeEnabled());
    // Shared by pgtls-check and pgtls-inspector.
    const QString expected = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/pgtls-inspector/rds/us-east-1-bundle.pem");
    QCOMPARE(BundleDownloader::defaultDestination(QStringLiteral("us-east-1")), expected);
    QFile::remove(expected);

    BundleDownloadOptions o = optionsFor(
        RdsTrustStore::bundleUrl(QStringLiteral("us-east-1"), m_server->baseUrl()).toString());
    o.destination.clear(); // the name comes from the URL's file name
    const BundleDownloadResult r = run(o);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.destination, expected);
    QCOMPARE(readFile(expected), m_usEast1);
    QVERIFY(QFile::remove(expected));
}

void TestBundleDownloader::customNetworkAccessManagerIsUsed()
{
    QNetworkAccessManager network;
    QSignalSpy used(&network, &QNetworkAccessManager::finished);
    BundleDownloadOptions o = optionsFor(m_server->url(kUsEast1Path));
    o.network = &network;
    const BundleDownloadResult r = run(o);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(used.size(), 1);
}

QTEST_GUILESS_MAIN(TestBundleDownloader)
#include "TestBundleDownloader.moc"
