// SPDX-License-Identifier: MIT
// BundlePanel offscreen: the summary of the real RDS bundles, downloads from a local HTTPS server
// (progress, cancel, failure keeps the previous file, what changed), the built-in snapshot, and
// installing root.crt into a temporary home with the confirmation answered by the test.
#include "../core/LocalHttpsServer.h"
#include "BundlePanel.h"
#include "CertBuilder.h"
#include "ChainVerifier.h"
#include "EndpointForm.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace pgtls;
using namespace pgtls::ui;
using namespace pgtls::testing;

namespace {

const QString kEuWest1Host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");

QString rdsFile(const char *name)
{
    return QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/") + QLatin1String(name);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString labelText(const QWidget *w, const char *name)
{
    auto *l = w->findChild<QLabel *>(QLatin1String(name));
    return l && !l->isHidden() ? l->text() : QString();
}

QPushButton *button(const QWidget *w, const char *name)
{
    return w->findChild<QPushButton *>(QLatin1String(name));
}

// The pictures are for people: written only when PGTLS_BUNDLE_SHOTS names a directory.
void shoot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("PGTLS_BUNDLE_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    w->resize(w->width(),
        w->hasHeightForWidth() ? w->heightForWidth(w->width()) : w->sizeHint().height());
    QCoreApplication::processEvents(); // pending layout requests, so the picture is what a user sees
    w->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace

class TestBundlePanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void summaryOfTheGlobalBundle();
    void regionalBundleWarnsForAnotherRegionsEndpoint();
    void regionIsSuggestedFromTheHost_data();
    void regionIsSuggestedFromTheHost();
    void loadErrorIsShownInline();
    void downloadChoosesTheFileAndShowsWhatChanged();
    void failedDownloadKeepsThePreviousFile();
    void downloadShowsProgressAndCancels();
    void snapshotIsWrittenAndLoads();
    void installReplacesRootCrtWithABackup();
    void declinedInstallTouchesNothing();
    void formWiresThePanel();
    void aBundleThatAnchorsAFailedChainIsNotBlamed();
    void aBundleWithoutTheAnchorIsBlamed();

private:
    // A root, an intermediate and an RDS-named leaf (expired when `expired`) valid at the real
    // time; the root's PEM written as the bundle; the verification of leaf+intermediate against
    // `anchorInBundle` ? that bundle : a bundle of another root.
    TrustResult verifyLabChain(bool expired, bool anchorInBundle, QString *bundle);
    QWidget *panelWidget() const { return m_panel.get(); }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundlePanel> m_panel;
    QString m_data;
    QString m_home;
};

void TestBundlePanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_data = m_dir->filePath(QStringLiteral("data"));
    m_home = m_dir->filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(m_home));
    m_panel = std::make_unique<BundlePanel>();
    m_panel->setDataDirectory(m_data);
    m_panel->setHomeDirectory(m_home);
    m_panel->resize(420, m_panel->sizeHint().height());
    m_panel->show();
}

void TestBundlePanel::cleanup()
{
    m_panel.reset();
    m_dir.reset();
}

void TestBundlePanel::summaryOfTheGlobalBundle()
{
    m_panel->setEndpointHost(kEuWest1Host);
    m_panel->setBundlePath(rdsFile("global-bundle.pem"));
    QCOMPARE(m_panel->bundle().count(), 108);
    QVERIFY2(labelText(panelWidget(), "bundleSummary").contains(QLatin1String("108 certificates")),
        qPrintable(labelText(panelWidget(), "bundleSummary")));
    QVERIFY(labelText(panelWidget(), "bundleSummary").contains(QLatin1String("earliest expiry")));
    const QString ids = labelText(panelWidget(), "bundleRdsIds");
    for (const char *id : { "rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1" })
        QVERIFY2(ids.contains(QLatin1String(id)), qPrintable(ids));
    auto *regions = panelWidget()->findChild<QLabel *>(QStringLiteral("bundleRegions"));
    QVERIFY(regions->text().contains(QLatin1String("more")));
    QVERIFY(regions->toolTip().contains(QLatin1String("eu-west-1")));
    QVERIFY(labelText(panelWidget(), "bundleWarnings").isEmpty());
    QVERIFY(button(panelWidget(), "bundleInstall")->isEnabled());
    shoot(panelWidget(), QStringLiteral("global-bundle"));
}

void TestBundlePanel::regionalBundleWarnsForAnotherRegionsEndpoint()
{
    m_panel->setEndpointHost(kEuWest1Host);
    m_panel->setBundlePath(rdsFile("us-east-1-bundle.pem"));
    QCOMPARE(m_panel->bundle().count(), 3);
    QVERIFY(labelText(panelWidget(), "bundleSummary").contains(QLatin1String("3 certificates")));
    QVERIFY(labelText(panelWidget(), "bundleRegions").contains(QLatin1String("us-east-1")));
    const QString warnings = labelText(panelWidget(), "bundleWarnings");
    QVERIFY2(warnings.contains(QLatin1String("eu-west-1")), qPrintable(warnings));
    shoot(panelWidget(), QStringLiteral("us-east-1-for-eu-west-1"));

    // The same bundle for its own region: no warning.
    m_panel->setEndpointHost(QStringLiteral("mydb.c9akciq32.us-east-1.rds.amazonaws.com"));
    QVERIFY(labelText(panelWidget(), "bundleWarnings").isEmpty());
}

void TestBundlePanel::regionIsSuggestedFromTheHost_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("key");
    QTest::newRow("an RDS instance suggests its region")
        << kEuWest1Host << QStringLiteral("eu-west-1");
    QTest::newRow("an Aurora cluster suggests its region")
        << QStringLiteral("c.cluster-c9akciq32.ap-southeast-2.rds.amazonaws.com")
        << QStringLiteral("ap-southeast-2");
    QTest::newRow("a GovCloud endpoint suggests its region") << QStringLiteral(
        "mydb.c9akciq32.us-gov-west-1.rds.amazonaws.com") << QStringLiteral("us-gov-west-1");
    QTest::newRow("a China endpoint suggests its region") << QStringLiteral(
        "mydb.c9akciq32.cn-north-1.rds.amazonaws.com.cn") << QStringLiteral("cn-north-1");
    QTest::newRow("another host suggests the global bundle")
        << QStringLiteral("db.example.com") << QStringLiteral("global");
}

void TestBundlePanel::regionIsSuggestedFromTheHost()
{
    QFETCH(QString, host);
    QFETCH(QString, key);
    m_panel->setEndpointHost(host);
    QCOMPARE(m_panel->selectedDownload(), key);
}

void TestBundlePanel::loadErrorIsShownInline()
{
    const QString bad = m_dir->filePath(QStringLiteral("page.pem"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<html><body>Not found</body></html>\n");
    f.close();
    m_panel->setBundlePath(bad);
    QVERIFY(!m_panel->bundle().ok());
    auto *summary = panelWidget()->findChild<QLabel *>(QStringLiteral("bundleSummary"));
    QCOMPARE(summary->property("state").toString(), QStringLiteral("invalid"));
    QCOMPARE(summary->text(), m_panel->bundle().error);
    QVERIFY(!button(panelWidget(), "bundleInstall")->isEnabled());
    shoot(panelWidget(), QStringLiteral("load-error"));
}

void TestBundlePanel::downloadChoosesTheFileAndShowsWhatChanged()
{
    const TestPki pki = TestPki::make(QStringLiteral("Bundle panel test CA"));
    LocalHttpsServer server(pki);
    QVERIFY(server.listen());
    const QByteArray regional = readFile(rdsFile("us-east-1-bundle.pem"));
    const QByteArray global = readFile(rdsFile("global-bundle.pem"));
    server.setRoute(QStringLiteral("/global/global-bundle.pem"), Route::ok(regional));
    m_panel->setBaseUrl(server.baseUrl());
    m_panel->setExtraCaCertificates({ pki.caCertificate() });
    m_panel->setEndpointHost(QStringLiteral("db.example.com"));
    QCOMPARE(m_panel->selectedDownload(), QStringLiteral("global"));

    QSignalSpy finished(m_panel.get(), &BundlePanel::downloadFinished);
    QSignalSpy chosen(m_panel.get(), &BundlePanel::bundleChosen);
    button(panelWidget(), "bundleDownload")->click();
    QVERIFY(m_panel->isDownloading());
    QVERIFY(finished.wait(20000));
    auto result = finished.takeFirst().at(0).value<BundleDownloadResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    const QString dest = QDir(m_data).filePath(QStringLiteral("global-bundle.pem"));
    QCOMPARE(result.destination, dest);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), dest);
    QCOMPARE(m_panel->bundlePath(), dest);
    QCOMPARE(m_panel->bundle().count(), 3);
    QVERIFY(labelText(panelWidget(), "bundleDownloadStatus")
                .contains(QLatin1String("Downloaded 3 certificates")));

    // An update: the status says what changed.
    server.setRoute(QStringLiteral("/global/global-bundle.pem"), Route::ok(global));
    button(panelWidget(), "bundleDownload")->click();
    QVERIFY(finished.wait(20000));
    result = finished.takeFirst().at(0).value<BundleDownloadResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.changed);
    const BundleDiff diff = BundleDiff::between(CaBundle::fromData(regional, QStringLiteral("a")),
        CaBundle::fromData(global, QStringLiteral("b")));
    const QString status = labelText(panelWidget(), "bundleDownloadStatus");
    QVERIFY2(
        status.contains(
            QStringLiteral("%1 added, %2 removed").arg(diff.added.size()).arg(diff.removed.size())),
        qPrintable(status));
    QVERIFY(status.contains(QLatin1String("Added: Amazon RDS")));
    QCOMPARE(m_panel->bundle().count(), 108);
    shoot(panelWidget(), QStringLiteral("download-updated"));
}

void TestBundlePanel::failedDownloadKeepsThePreviousFile()
{
    const TestPki pki = TestPki::make(QStringLiteral("Bundle panel test CA"));
    LocalHttpsServer server(pki);
    QVERIFY(server.listen());
    const QByteArray regional = readFile(rdsFile("us-east-1-bundle.pem"));
    server.setRoute(QStringLiteral("/eu-west-1/eu-west-1-bundle.pem"), Route::ok(regional));
    m_panel->setBaseUrl(server.baseUrl());
    m_panel->setExtraCaCertificates({ pki.caCertificate() });
    m_panel->setEndpointHost(kEuWest1Host);
    QCOMPARE(m_panel->selectedDownload(), QStringLiteral("eu-west-1"));
    QSignalSpy finished(m_panel.get(), &BundlePanel::downloadFinished);
    button(panelWidget(), "bundleDownload")->click();
    QVERIFY(finished.wait(20000));
    QVERIFY(finished.takeFirst().at(0).value<BundleDownloadResult>().ok);
    const QString dest = m_panel->destinationFor(QStringLiteral("eu-west-1"));
    QCOMPARE(readFile(dest), regional);

    // HTML instead of PEM, then a 404: refused, the file stays as it was.
    server.setRoute(QStringLiteral("/eu-west-1/eu-west-1-bundle.pem"),
        Route::ok("<html><body>maintenance</body></html>", "text/html"));
    button(panelWidget(), "bundleDownload")->click();
    QVERIFY(finished.wait(20000));
    auto result = finished.takeFirst().at(0).value<BundleDownloadResult>();
    QVERIFY(!result.ok);
    QCOMPARE(readFile(dest), regional);
    auto *status = panelWidget()->findChild<QLabel *>(QStringLiteral("bundleDownloadStatus"));
    QVERIFY2(status->text().contains(dest), qPrintable(status->text()));
    QCOMPARE(status->property("state").toString(), QStringLiteral("invalid"));
    QCOMPARE(m_panel->bundle().count(), 3);
    shoot(panelWidget(), QStringLiteral("download-failed"));

    Route notFound;
    notFound.status = 404;
    notFound.reason = "Not Found";
    server.setRoute(QStringLiteral("/eu-west-1/eu-west-1-bundle.pem"), notFound);
    button(panelWidget(), "bundleDownload")->click();
    QVERIFY(finished.wait(20000));
    result = finished.takeFirst().at(0).value<BundleDownloadResult>();
    QCOMPARE(result.errorCode, QStringLiteral("http-error"));
    QCOMPARE(readFile(dest), regional);
    QVERIFY(status->text().contains(QLatin1String("404")));
}

void TestBundlePanel::downloadShowsProgressAndCancels()
{
    const TestPki pki = TestPki::make(QStringLiteral("Bundle panel test CA"));
    LocalHttpsServer server(pki);
    QVERIFY(server.listen());
    const QByteArray global = readFile(rdsFile("global-bundle.pem"));
    Route stall = Route::ok(global);
    stall.mode = Route::Mode::StallAfterPart;
    stall.partBytes = 4096;
    server.setRoute(QStringLiteral("/global/global-bundle.pem"), stall);
    m_panel->setBaseUrl(server.baseUrl());
    m_panel->setExtraCaCertificates({ pki.caCertificate() });
    m_panel->selectDownload(QStringLiteral("global"));
    // A previous good file at the destination.
    const QString dest = m_panel->destinationFor(QStringLiteral("global"));
    QVERIFY(QDir().mkpath(m_data));
    QVERIFY(QFile::copy(rdsFile("us-east-1-bundle.pem"), dest));

    QSignalSpy finished(m_panel.get(), &BundlePanel::downloadFinished);
    button(panelWidget(), "bundleDownload")->click();
    auto *progress = panelWidget()->findChild<QProgressBar *>(QStringLiteral("bundleProgress"));
    auto *cancel = button(panelWidget(), "bundleCancel");
    QVERIFY(progress->isVisible());
    QVERIFY(cancel->isVisible());
    QVERIFY(!button(panelWidget(), "bundleDownload")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(progress->maximum(), int(global.size()), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(progress->value(), 4096, 20000);
    shoot(panelWidget(), QStringLiteral("download-progress"));

    cancel->click();
    QCOMPARE(finished.size(), 1); // cancel() reports before it returns
    const auto result = finished.takeFirst().at(0).value<BundleDownloadResult>();
    QVERIFY(result.cancelled());
    QVERIFY(!m_panel->isDownloading());
    QVERIFY(!progress->isVisible());
    QVERIFY(button(panelWidget(), "bundleDownload")->isEnabled());
    QVERIFY(labelText(panelWidget(), "bundleDownloadStatus").contains(QLatin1String("cancelled")));
    QCOMPARE(readFile(dest), readFile(rdsFile("us-east-1-bundle.pem")));
}

void TestBundlePanel::snapshotIsWrittenAndLoads()
{
    QSignalSpy chosen(m_panel.get(), &BundlePanel::bundleChosen);
    button(panelWidget(), "bundleUseSnapshot")->click();
    QCOMPARE(chosen.size(), 1);
    const QString path = chosen.at(0).at(0).toString();
    QCOMPARE(path, m_panel->snapshotPath());
    QVERIFY(path.startsWith(m_data));
    const CaBundle b = CaBundle::load(path);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.count(), 108);
    QCOMPARE(m_panel->bundle().count(), 108);
    const QString summary = labelText(panelWidget(), "bundleSummary");
    QVERIFY2(
        summary.contains(QLatin1String("snapshot")) && summary.contains(QLatin1String("taken ")),
        qPrintable(summary));
    QVERIFY(labelText(panelWidget(), "bundleDownloadStatus").contains(QLatin1String("taken ")));
    shoot(panelWidget(), QStringLiteral("snapshot"));
}

void TestBundlePanel::installReplacesRootCrtWithABackup()
{
    QStringList questions;
    m_panel->setConfirmation([&questions](const QString &q, std::function<void(bool)> answer) {
        questions << q;
        answer(true);
    });
    QSignalSpy installed(m_panel.get(), &BundlePanel::installFinished);
    const QString target = QDir(m_home).filePath(QStringLiteral(".postgresql/root.crt"));

    m_panel->setBundlePath(rdsFile("us-east-1-bundle.pem"));
    button(panelWidget(), "bundleInstall")->click();
    QCOMPARE(installed.size(), 1);
    auto r = installed.takeFirst().at(0).value<RootCertInstallResult>();
    QVERIFY2(r.ok(), qPrintable(r.message));
    QVERIFY(questions.value(0).contains(QLatin1String("does not exist yet")));
    QCOMPARE(readFile(target), readFile(rdsFile("us-east-1-bundle.pem")));
    QVERIFY(r.backupPath.isEmpty());

    m_panel->setBundlePath(rdsFile("global-bundle.pem"));
    button(panelWidget(), "bundleInstall")->click();
    QCOMPARE(installed.size(), 1);
    r = installed.takeFirst().at(0).value<RootCertInstallResult>();
    QVERIFY2(r.ok(), qPrintable(r.message));
    QVERIFY(
        questions.value(1).contains(QLatin1String("replaces the current file (3 certificates)")));
    QCOMPARE(readFile(target), readFile(rdsFile("global-bundle.pem")));
    QVERIFY(!r.backupPath.isEmpty());
    QCOMPARE(readFile(r.backupPath), readFile(rdsFile("us-east-1-bundle.pem")));
    const QString status = labelText(panelWidget(), "bundleInstallStatus");
    QVERIFY2(status.contains(r.backupPath), qPrintable(status));
    shoot(panelWidget(), QStringLiteral("installed"));

    // Describing the installed file itself: nothing to install.
    m_panel->setBundlePath(QString());
    QVERIFY(labelText(panelWidget(), "bundleSummary").contains(QLatin1String("libpq's default")));
    QVERIFY(!button(panelWidget(), "bundleInstall")->isEnabled());
}

void TestBundlePanel::declinedInstallTouchesNothing()
{
    m_panel->setConfirmation(
        [](const QString &, std::function<void(bool)> answer) { answer(false); });
    QSignalSpy installed(m_panel.get(), &BundlePanel::installFinished);
    m_panel->setBundlePath(rdsFile("global-bundle.pem"));
    button(panelWidget(), "bundleInstall")->click();
    QCOMPARE(installed.size(), 0);
    QVERIFY(!QFile::exists(QDir(m_home).filePath(QStringLiteral(".postgresql/root.crt"))));
    QVERIFY(
        labelText(panelWidget(), "bundleInstallStatus").contains(QLatin1String("Not installed")));
}

void TestBundlePanel::formWiresThePanel()
{
    EndpointForm form;
    auto *panel = form.findChild<BundlePanel *>(QStringLiteral("bundlePanel"));
    QVERIFY(panel);
    panel->setDataDirectory(m_data);
    panel->setHomeDirectory(m_home);
    auto *host = form.findChild<QLineEdit *>(QStringLiteral("host"));
    auto *rootCert = form.findChild<QLineEdit *>(QStringLiteral("sslrootcert"));
    host->setText(kEuWest1Host);
    QCOMPARE(panel->selectedDownload(), QStringLiteral("eu-west-1"));
    rootCert->setText(rdsFile("us-east-1-bundle.pem"));
    QCOMPARE(panel->bundle().count(), 3);
    QVERIFY(labelText(panel, "bundleWarnings").contains(QLatin1String("eu-west-1")));

    QSignalSpy edited(&form, &EndpointForm::edited);
    panel->useSnapshot();
    QCOMPARE(rootCert->text(), panel->snapshotPath());
    QCOMPARE(form.endpoint().sslrootcert, panel->snapshotPath());
    QVERIFY(edited.size() >= 1);
    form.resize(430, form.sizeHint().height());
    form.show();
    shoot(&form, QStringLiteral("form"));
}

TrustResult TestBundlePanel::verifyLabChain(bool expired, bool anchorInBundle, QString *bundle)
{
    using namespace pgtls::lab;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto make = [](const QString &cn, bool ca, const QDateTime &from, const QDateTime &to,
                   const IssuedCert *issuer) {
        CertRequest req;
        req.subject = { { QStringLiteral("CN"), cn } };
        req.notBefore = from;
        req.notAfter = to;
        req.isCa = ca;
        if (!ca)
            req.sanDns = { cn };
        const PrivateKey key = PrivateKey::generate(PrivateKey::Type::EcP256);
        return issuer ? CertBuilder::issue(req, key, *issuer) : CertBuilder::selfSigned(req, key);
    };
    const IssuedCert root = make(QStringLiteral("Panel Root CA"), true, now.addYears(-1), now.addYears(10), nullptr);
    const IssuedCert other = make(QStringLiteral("Other Root CA"), true, now.addYears(-1), now.addYears(10), nullptr);
    const IssuedCert inter = make(QStringLiteral("Panel Intermediate CA"), true, now.addYears(-1), now.addYears(10), &root);
    const IssuedCert leaf = make(kEuWest1Host, false, now.addDays(-400),
        expired ? now.addDays(-3) : now.addDays(300), &inter);
    *bundle = m_dir->filePath(QStringLiteral("panel-bundle.pem"));
    QFile f(*bundle);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(anchorInBundle ? root.pem : other.pem);
    f.close();
    const QList<CertificateInfo> sent { CertificateInfo::fromDer(leaf.der), CertificateInfo::fromDer(inter.der) };
    return ChainVerifier::verify(sent, *bundle, now);
}

// The lab's expired scenario as the GUI met it: a bundle that is not an RDS bundle warns for an RDS
// host, until the inspection shows that it held the chain's anchor.
void TestBundlePanel::aBundleThatAnchorsAFailedChainIsNotBlamed()
{
    QString bundle;
    const TrustResult trust = verifyLabChain(true, true, &bundle);
    QVERIFY(!trust.trusted);
    QVERIFY(!trust.anchorSha256.isEmpty());
    m_panel->setEndpointHost(kEuWest1Host);
    m_panel->setBundlePath(bundle);
    QVERIFY2(labelText(panelWidget(), "bundleWarnings").contains(QLatin1String("cannot verify that server")),
        qPrintable(labelText(panelWidget(), "bundleWarnings")));

    m_panel->setLastTrust(kEuWest1Host, trust);
    const QString warnings = labelText(panelWidget(), "bundleWarnings");
    QVERIFY2(warnings.startsWith(QStringLiteral("✓ It holds the root of %1's chain (CN=Panel Root CA)").arg(kEuWest1Host)),
        qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("not because of this bundle: the server certificate (%1) expired on ").arg(kEuWest1Host)),
        qPrintable(warnings));
    QVERIFY2(!warnings.contains(QLatin1String("cannot verify that server")), qPrintable(warnings));
    QCOMPARE(panelWidget()->findChild<QLabel *>(QStringLiteral("bundleWarnings"))->property("state").toString(),
        QStringLiteral("valid"));
    shoot(panelWidget(), QStringLiteral("anchors-an-expired-chain"));

    // An inspection of the same host that got no chain at all (the ssl-off scenario) says nothing
    // about the bundle: the evidence of the earlier one stays.
    m_panel->setLastTrust(kEuWest1Host, TrustResult());
    QVERIFY2(labelText(panelWidget(), "bundleWarnings").startsWith(QStringLiteral("✓ It holds the root")),
        qPrintable(labelText(panelWidget(), "bundleWarnings")));

    // Another host: that evidence says nothing about it.
    m_panel->setEndpointHost(QStringLiteral("other.c9akciq32.eu-west-1.rds.amazonaws.com"));
    QVERIFY(!labelText(panelWidget(), "bundleWarnings").contains(QLatin1String("It holds the root")));
}

void TestBundlePanel::aBundleWithoutTheAnchorIsBlamed()
{
    QString bundle;
    const TrustResult trust = verifyLabChain(false, false, &bundle);
    QVERIFY(!trust.trusted);
    QVERIFY(trust.anchorSha256.isEmpty());
    m_panel->setEndpointHost(kEuWest1Host);
    m_panel->setBundlePath(bundle);
    m_panel->setLastTrust(kEuWest1Host, trust);
    const QString warnings = labelText(panelWidget(), "bundleWarnings");
    QVERIFY2(warnings.startsWith(QStringLiteral("⚠ It does not hold the CA that %1's chain needs: CN=Panel Root CA.").arg(kEuWest1Host)),
        qPrintable(warnings));
    QVERIFY2(!warnings.contains(QLatin1String("It holds the root")), qPrintable(warnings));
    QCOMPARE(panelWidget()->findChild<QLabel *>(QStringLiteral("bundleWarnings"))->property("state").toString(),
        QStringLiteral("invalid"));
}

QTEST_MAIN(TestBundlePanel)
#include "TestBundlePanel.moc"
