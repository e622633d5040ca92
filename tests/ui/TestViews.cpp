// SPDX-License-Identifier: MIT
// Widget tests of the report views (offscreen), on real reports: the full inspection (session,
// plaintext test, matrix) of the lab in each scenario. Also renders every view, light and dark, into
// /tmp/pgtls-views/ for a human to look at.
#include "ChainCard.h"
#include "ChainView.h"
#include "HostNameView.h"
#include "Inspector.h"
#include "Lab.h"
#include "MatrixView.h"
#include "RawView.h"
#include "SessionView.h"
#include "ValidityBar.h"
#include "VerdictBanner.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;
using namespace pgtls::ui;

namespace {

const QString screenshotDir = QStringLiteral("/tmp/pgtls-views");

QtMessageHandler previousHandler = nullptr;

// The offscreen platform warns on every show(); that says nothing about the views.
void quietOffscreen(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")))
        return;
    previousHandler(type, context, message);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8);
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(g, QPalette::Window, window);
        p.setColor(g, QPalette::WindowText, g == QPalette::Disabled ? QColor(0x80, 0x80, 0x80) : text);
        p.setColor(g, QPalette::Base, base);
        p.setColor(g, QPalette::AlternateBase, QColor(0x33, 0x33, 0x36));
        p.setColor(g, QPalette::Text, g == QPalette::Disabled ? QColor(0x80, 0x80, 0x80) : text);
        p.setColor(g, QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        p.setColor(g, QPalette::ButtonText, text);
        p.setColor(g, QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
        p.setColor(g, QPalette::HighlightedText, Qt::white);
        p.setColor(g, QPalette::Mid, QColor(0x55, 0x55, 0x55));
        p.setColor(g, QPalette::Dark, QColor(0x18, 0x18, 0x18));
        p.setColor(g, QPalette::Light, QColor(0x50, 0x50, 0x50));
        p.setColor(g, QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
        p.setColor(g, QPalette::ToolTipBase, base);
        p.setColor(g, QPalette::ToolTipText, text);
    }
    return p;
}

template<typename T>
T *child(QWidget *view, const QString &name)
{
    T *w = view->findChild<T *>(name);
    if (!w)
        qWarning("no child %s", qPrintable(name));
    return w;
}

} // namespace

class TestViews : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void bannerShowsTheVerdictInWordsAndState_data();
    void bannerShowsTheVerdictInWordsAndState();
    void bannerIdleAndBusyAreNeutral();
    void chainShowsSentCardsThenAnchorOrMissingIssuer_data();
    void chainShowsSentCardsThenAnchorOrMissingIssuer();
    void chainSelectionShowsEveryFieldWithCopyAndExport();
    void validityBarColoursByDaysLeft_data();
    void validityBarColoursByDaysLeft();
    void hostNameViewHighlightsTheMatchAndExplainsTheAlias_data();
    void hostNameViewHighlightsTheMatchAndExplainsTheAlias();
    void sessionViewShowsTheServersView_data();
    void sessionViewShowsTheServersView();
    void sessionViewWarnsProminentlyAboutAProxy();
    void sessionViewSaysWhenTheSessionWasNotRun();
    void matrixShowsSixModesWithTheRequestedOneMarked_data();
    void matrixShowsSixModesWithTheRequestedOneMarked();
    void matrixHasAnEmptyStateWhenNotRequested();
    void rawViewShowsParsableJsonAndSavesIt();
    void rawViewSavesHtmlOrJsonByExtension_data();
    void rawViewSavesHtmlOrJsonByExtension();
    void rawViewReportsAFailedSave();
    void clearingAViewReturnsToItsEmptyState();
    void everyViewRendersInLightAndDarkPalettes();

private:
    InspectionReport inspect(const Endpoint &ep, bool probeOnly);
    void switchTo(Scenario scenario);
    const InspectionReport &report(const QString &scenario) { return m_reports[scenario]; }

    Lab *m_lab = nullptr;
    QTemporaryDir m_emptyHome;
    QTemporaryDir m_out;
    QMap<QString, InspectionReport> m_reports;
};

void TestViews::initTestCase()
{
    previousHandler = qInstallMessageHandler(quietOffscreen);
    QVERIFY(m_emptyHome.isValid());
    QVERIFY(m_out.isValid());
    m_lab = new Lab(this);
    QSignalSpy started(m_lab, &Lab::started);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->start(Scenario::Correct);
    QVERIFY(started.wait(30000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const QList<Scenario> scenarios{Scenario::Correct,           Scenario::Alias,     Scenario::UnknownCa,
                                    Scenario::Expired,           Scenario::PlaintextAccepted,
                                    Scenario::NoSslinfo,         Scenario::SslOff};
    for (Scenario s : scenarios) {
        switchTo(s);
        if (QTest::currentTestFailed())
            return;
        m_reports.insert(scenarioName(s), inspect(m_lab->endpoint(), false));
    }
    switchTo(Scenario::Correct);
    m_reports.insert(QStringLiteral("probe-only"), inspect(m_lab->endpoint(), true));
}

void TestViews::cleanupTestCase()
{
    delete m_lab;
    m_lab = nullptr;
}

void TestViews::switchTo(Scenario scenario)
{
    if (m_lab->scenario() == scenario)
        return;
    QSignalSpy changed(m_lab, &Lab::scenarioChanged);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->setScenario(scenario);
    QVERIFY(changed.wait(15000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
}

InspectionReport TestViews::inspect(const Endpoint &ep, bool probeOnly)
{
    InspectionOptions options;
    options.probeOnly = probeOnly;
    options.matrix = !probeOnly;
    options.homeDirectory = m_emptyHome.path();
    Inspector inspector;
    QSignalSpy finished(&inspector, &Inspector::finished);
    inspector.start(ep, options);
    if (!finished.wait(options.timeoutMs + 5000))
        qWarning("inspection did not finish");
    return inspector.report();
}

void TestViews::bannerShowsTheVerdictInWordsAndState_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<bool>("explained"); // explanation and fix shown
    QTest::newRow("correct endpoint is ok") << "correct" << "ok" << "Encrypted and verified" << false;
    QTest::newRow("alias fails with the host name") << "alias" << "failed" << "Failed: host name does not match" << true;
    QTest::newRow("unknown CA fails") << "unknown-ca" << "failed" << "Failed: the server's CA is not in your CA file" << true;
    QTest::newRow("expired certificate fails") << "expired" << "failed" << "Failed: a certificate has expired" << true;
    // The headline names the most important finding, not only this connection's safety.
    QTest::newRow("plaintext accepted is ok with a warning that the headline names")
        << "plaintext-accepted" << "warning"
        << "Encrypted and verified, but the server also accepts unencrypted connections" << true;
    // A missing optional extension changes nothing about safety: a note, the banner stays green.
    QTest::newRow("missing sslinfo is ok, with a note") << "no-sslinfo" << "ok" << "Encrypted and verified" << true;
    QTest::newRow("ssl off fails") << "ssl-off" << "failed" << "Failed: the server does not offer TLS" << true;
}

void TestViews::bannerShowsTheVerdictInWordsAndState()
{
    QFETCH(QString, scenario);
    const InspectionReport &r = report(scenario);
    VerdictBanner banner;
    banner.setReport(r);
    QTEST(VerdictBanner::stateName(banner.state()), "state");
    QCOMPARE(banner.property("state").toString(), VerdictBanner::stateName(banner.state()));
    QFETCH(QString, summary);
    auto *text = child<QLabel>(&banner, QStringLiteral("verdictSummary"));
    QVERIFY2(text->text().startsWith(summary), qPrintable(text->text()));
    QFETCH(bool, explained);
    auto *explanation = child<QLabel>(&banner, QStringLiteral("verdictExplanation"));
    auto *fix = child<QLabel>(&banner, QStringLiteral("verdictFix"));
    QCOMPARE(!explanation->text().isEmpty(), explained);
    QCOMPARE(!fix->text().isEmpty(), explained);
    if (explained) {
        QVERIFY(explanation->text().contains(r.problems.constFirst().explanation.left(20)));
        QVERIFY(!explanation->isHidden());
    }
    QVERIFY(!child<QLabel>(&banner, QStringLiteral("verdictIcon"))->pixmap().isNull());
    QVERIFY(child<QProgressBar>(&banner, QStringLiteral("verdictBusy"))->isHidden());
    if (scenario == QLatin1String("alias"))
        QVERIFY(child<QLabel>(&banner, QStringLiteral("verdictDetail"))->text().contains(QLatin1String("does not match")));
}

void TestViews::bannerIdleAndBusyAreNeutral()
{
    VerdictBanner banner;
    banner.setBusy(QStringLiteral("TLS handshake"));
    QCOMPARE(banner.state(), VerdictBanner::State::Running);
    QVERIFY(!child<QProgressBar>(&banner, QStringLiteral("verdictBusy"))->isHidden());
    QCOMPARE(child<QLabel>(&banner, QStringLiteral("verdictExplanation"))->text(), QStringLiteral("TLS handshake"));
    banner.setIdle(QStringLiteral("Press Inspect"));
    QCOMPARE(banner.state(), VerdictBanner::State::Idle);
    QVERIFY(child<QProgressBar>(&banner, QStringLiteral("verdictBusy"))->isHidden());
    QCOMPARE(child<QLabel>(&banner, QStringLiteral("verdictExplanation"))->text(), QStringLiteral("Press Inspect"));
}

void TestViews::chainShowsSentCardsThenAnchorOrMissingIssuer_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("roles");  // every node, top to bottom
    QTest::addColumn<QString>("lastNode");   // objectName of the node after the sent certificates
    QTest::newRow("correct: server, intermediate, then the root from the CA file")
        << "correct" << QStringList{QStringLiteral("server"), QStringLiteral("intermediate"), QStringLiteral("anchor")} << "chainAnchorCard";
    QTest::newRow("unknown CA: the issuer is not in the CA file")
        << "unknown-ca" << QStringList{QStringLiteral("server"), QStringLiteral("intermediate"), QStringLiteral("missing")} << "chainIssuerNotFound";
    QTest::newRow("expired: the chain is still built to the root from the CA file")
        << "expired" << QStringList{QStringLiteral("server"), QStringLiteral("intermediate"), QStringLiteral("anchor")} << "chainAnchorCard";
    QTest::newRow("ssl off: no chain at all") << "ssl-off" << QStringList{} << QString();
}

void TestViews::chainShowsSentCardsThenAnchorOrMissingIssuer()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, roles);
    QFETCH(QString, lastNode);
    const InspectionReport &r = report(scenario);
    ChainView view;
    view.setReport(r);
    QStringList actual;
    for (ChainCard *card : view.cards())
        actual << card->property("role").toString();
    QCOMPARE(actual, roles);
    QCOMPARE(view.findChildren<ChainCard *>(QStringLiteral("chainCard")).size(), r.probe.chain.size());
    for (const QString &name : {QStringLiteral("chainAnchorCard"), QStringLiteral("chainIssuerNotFound"),
                                QStringLiteral("chainNotTrusted"), QStringLiteral("chainNotVerified")})
        QCOMPARE(view.findChild<ChainCard *>(name) != nullptr, name == lastNode);
    QCOMPARE(child<QLabel>(&view, QStringLiteral("chainEmpty"))->isHidden(), !roles.isEmpty());
    if (lastNode == QLatin1String("chainAnchorCard")) {
        auto *anchor = view.findChild<ChainCard *>(lastNode);
        QVERIFY(anchor->accessibleName().contains(QLatin1String("from your CA file")));
    }
    if (!roles.isEmpty()) {
        QCOMPARE(view.selectedIndex(), 0);
        QVERIFY(view.cards().constFirst()->accessibleName().contains(r.probe.chain.constFirst().subjectCommonName));
    }
    if (scenario == QLatin1String("expired")) {
        QCOMPARE(view.cards().constFirst()->validityBar()->state(), ValidityBar::State::Expired);
        // The problem is on the server certificate's card, with its date, not on the CA file.
        view.selectCard(0);
        QVERIFY2(view.selectedCertificateText().contains(QLatin1String("Trust: Problem: certificate has expired (valid until ")),
                 qPrintable(view.selectedCertificateText()));
    }
}

void TestViews::chainSelectionShowsEveryFieldWithCopyAndExport()
{
    const InspectionReport &r = report(QStringLiteral("correct"));
    ChainView view;
    view.setReport(r);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *details = child<QTableWidget>(&view, QStringLiteral("chainDetails"));
    QString text = view.selectedCertificateText();
    const CertificateInfo &leaf = r.probe.chain.constFirst();
    QVERIFY(text.contains(leaf.sha256));
    QVERIFY(text.contains(leaf.serial));
    QVERIFY(text.contains(leaf.sanDns.constFirst()));
    QVERIFY(details->rowCount() >= 15);

    // Keyboard: Down moves to the intermediate, End to the anchor.
    view.cards().constFirst()->setFocus();
    QTest::keyClick(view.cards().constFirst(), Qt::Key_Down);
    QCOMPARE(view.selectedIndex(), 1);
    QVERIFY(view.selectedCertificateText().contains(r.probe.chain.at(1).sha256));
    QTest::keyClick(view.cards().at(1), Qt::Key_End);
    QCOMPARE(view.selectedIndex(), int(view.cards().size()) - 1);
    QVERIFY(view.selectedCertificateText().contains(r.probe.trust.anchorSha256));

    QTest::mouseClick(child<QPushButton>(&view, QStringLiteral("chainCopy")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), view.selectedCertificateText());

    const QString pem = m_out.filePath(QStringLiteral("anchor.pem"));
    QString error;
    QVERIFY2(view.exportSelectedPem(pem, &error), qPrintable(error));
    QFile f(pem);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<CertificateInfo> back = CertificateInfo::fromPemAll(f.readAll());
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.constFirst().sha256, r.probe.trust.anchorSha256);
}

void TestViews::validityBarColoursByDaysLeft_data()
{
    QTest::addColumn<int>("daysLeft");
    QTest::addColumn<int>("daysSinceStart");
    QTest::addColumn<QString>("state");
    QTest::newRow("a year left is valid") << 365 << 30 << "valid";
    QTest::newRow("31 days left is valid") << 31 << 300 << "valid";
    QTest::newRow("30 days left expires soon") << 30 << 300 << "expires-soon";
    QTest::newRow("past notAfter is expired") << -3 << 400 << "expired";
    QTest::newRow("before notBefore is not yet valid") << 400 << -2 << "not-yet-valid";
}

void TestViews::validityBarColoursByDaysLeft()
{
    QFETCH(int, daysLeft);
    QFETCH(int, daysSinceStart);
    const QDateTime now(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    ValidityBar bar;
    bar.setValidity(now.addDays(-daysSinceStart), now.addDays(daysLeft), now);
    QTEST(ValidityBar::stateName(bar.state()), "state");
    QVERIFY(!bar.toolTip().isEmpty());
}

void TestViews::hostNameViewHighlightsTheMatchAndExplainsTheAlias_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("matchedEntry"); // empty: none matched
    QTest::addColumn<bool>("alias");
    QTest::newRow("correct endpoint matches its SAN DNS entry") << "correct" << Lab::endpointHostName() << false;
    QTest::newRow("alias matches nothing and is explained") << "alias" << QString() << true;
}

void TestViews::hostNameViewHighlightsTheMatchAndExplainsTheAlias()
{
    QFETCH(QString, scenario);
    QFETCH(QString, matchedEntry);
    QFETCH(bool, alias);
    const InspectionReport &r = report(scenario);
    HostNameView view;
    view.setReport(r);
    QVERIFY(child<QLabel>(&view, QStringLiteral("hostChecked"))->text().contains(r.endpoint.host));
    QVERIFY(child<QLabel>(&view, QStringLiteral("hostAddrNote"))->text().contains(QLatin1String("127.0.0.1")));
    auto *candidates = child<QTableWidget>(&view, QStringLiteral("hostCandidates"));
    QCOMPARE(candidates->rowCount(), r.probe.hostMatch->candidates.size());
    QStringList matched;
    for (int row = 0; row < candidates->rowCount(); ++row) {
        QVERIFY(!candidates->item(row, 3)->text().isEmpty()); // every candidate says why
        QVERIFY(!candidates->item(row, 3)->icon().isNull());
        if (candidates->item(row, 0)->data(Qt::UserRole).toBool()) {
            matched << candidates->item(row, 1)->text();
            QVERIFY(candidates->item(row, 1)->font().bold());
        }
    }
    QCOMPARE(matched, matchedEntry.isEmpty() ? QStringList() : QStringList{matchedEntry});
    auto *aliasText = child<QLabel>(&view, QStringLiteral("hostAlias"));
    QCOMPARE(!aliasText->parentWidget()->isHidden(), alias);
    if (alias) {
        QVERIFY(aliasText->text().contains(r.problems.constFirst().explanation));
        QVERIFY(aliasText->text().contains(r.problems.constFirst().fix));
    }
}

void TestViews::sessionViewShowsTheServersView_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("sslIsUsed");
    QTest::addColumn<bool>("sslinfoHint");
    QTest::addColumn<QString>("plaintext"); // start of the plaintext answer
    QTest::addColumn<QString>("forceSsl");
    QTest::newRow("correct: ssl_is_used from sslinfo, plaintext refused")
        << "correct" << "true (from sslinfo)" << false << "refused" << "1";
    QTest::newRow("no sslinfo: pg_stat_ssl answers, with the install hint")
        << "no-sslinfo" << "true (from pg_stat_ssl)" << true << "refused" << "1";
    QTest::newRow("plaintext accepted: said so") << "plaintext-accepted" << "true (from sslinfo)" << false << "ACCEPTED" << "0";
    QTest::newRow("ssl off: not connected, no server view") << "ssl-off" << QString() << false << "ACCEPTED" << QString();
}

void TestViews::sessionViewShowsTheServersView()
{
    QFETCH(QString, scenario);
    QFETCH(QString, sslIsUsed);
    QFETCH(bool, sslinfoHint);
    QFETCH(QString, plaintext);
    QFETCH(QString, forceSsl);
    const InspectionReport &r = report(scenario);
    SessionView view;
    view.setReport(r);
    QCOMPARE(child<QLabel>(&view, QStringLiteral("sessionSslIsUsed"))->text(), sslIsUsed);
    auto *hint = child<QLabel>(&view, QStringLiteral("sessionSslinfoHint"));
    QCOMPARE(!hint->isHidden(), sslinfoHint);
    if (sslinfoHint)
        QVERIFY(hint->text().contains(QLatin1String("CREATE EXTENSION sslinfo")));
    QVERIFY(child<QLabel>(&view, QStringLiteral("sessionPlaintext"))->text().startsWith(plaintext));
    QCOMPARE(child<QLabel>(&view, QStringLiteral("sessionForceSsl"))->text(), forceSsl);
    QCOMPARE(!child<QGroupBox>(&view, QStringLiteral("sessionServerGroup"))->isHidden(), !sslIsUsed.isEmpty());
    QVERIFY(child<QWidget>(&view, QStringLiteral("sessionProxyWarning"))->isHidden());
    QVERIFY(child<QWidget>(&view, QStringLiteral("sessionNotRun"))->isHidden());
    const QString timings = child<QLabel>(&view, QStringLiteral("sessionTimings"))->text();
    QVERIFY2(timings.contains(QLatin1String("TLS handshake")) && timings.contains(QLatin1String("inspection total")),
             qPrintable(timings));
    if (!sslIsUsed.isEmpty()) {
        QVERIFY(child<QLabel>(&view, QStringLiteral("sessionServerVersion"))->text().startsWith(QLatin1String("15")));
        QCOMPARE(child<QLabel>(&view, QStringLiteral("sessionProtocol"))->text(), r.session.protocol);
        QCOMPARE(child<QLabel>(&view, QStringLiteral("sessionShowSsl"))->text(), QStringLiteral("on"));
    }
}

void TestViews::sessionViewWarnsProminentlyAboutAProxy()
{
    InspectionReport r = report(QStringLiteral("correct"));
    Problem proxy;
    proxy.code = QStringLiteral("tls-terminated-by-proxy");
    proxy.severity = Problem::Severity::Warning;
    proxy.title = QStringLiteral("a proxy terminates TLS");
    proxy.detail = QStringLiteral("libpq: TLS in use; server (sslinfo): no TLS");
    proxy.explanation = QStringLiteral("Something between you and the server ends TLS.");
    r.problems.append(proxy);
    SessionView view;
    view.setReport(r);
    QVERIFY(!child<QWidget>(&view, QStringLiteral("sessionProxyWarning"))->isHidden());
    const QString text = child<QLabel>(&view, QStringLiteral("sessionProxyWarningText"))->text();
    QVERIFY(text.contains(proxy.title) && text.contains(proxy.detail) && text.contains(proxy.explanation));
}

void TestViews::sessionViewSaysWhenTheSessionWasNotRun()
{
    const InspectionReport &r = report(QStringLiteral("probe-only"));
    QVERIFY(!r.session.attempted);
    SessionView view;
    view.setReport(r);
    QVERIFY(!child<QWidget>(&view, QStringLiteral("sessionNotRun"))->isHidden());
    QVERIFY(child<QGroupBox>(&view, QStringLiteral("sessionServerGroup"))->isHidden());
    QCOMPARE(child<QLabel>(&view, QStringLiteral("sessionProtocol"))->text(), r.probe.protocol + QStringLiteral(" (TLS probe)"));
}

void TestViews::matrixShowsSixModesWithTheRequestedOneMarked_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("disableRow"); // connected, encrypted, ca, host, mitm as 0/1
    QTest::addColumn<QString>("verifyFullRow");
    QTest::newRow("correct: disable refused, verify-full all safe") << "correct" << "00000" << "11111";
    QTest::newRow("plaintext accepted: disable connects unencrypted") << "plaintext-accepted" << "10000" << "11111";
    QTest::newRow("alias: verify-full fails") << "alias" << "00000" << "00000";
}

void TestViews::matrixShowsSixModesWithTheRequestedOneMarked()
{
    QFETCH(QString, scenario);
    const InspectionReport &r = report(scenario);
    MatrixView view;
    view.setReport(r);
    auto *table = child<QTableWidget>(&view, QStringLiteral("matrixTable"));
    QCOMPARE(child<QStackedWidget>(&view, QString())->currentWidget(), table->parentWidget());
    QCOMPARE(table->rowCount(), 6);
    QCOMPARE(view.requestedRow(), 5);
    QVERIFY(table->verticalHeaderItem(5)->text().contains(QLatin1String("verify-full")));
    QVERIFY(table->verticalHeaderItem(5)->font().bold());
    QVERIFY(!table->verticalHeaderItem(0)->font().bold());
    auto cells = [table](int row) {
        QString s;
        for (int c = 0; c < MatrixView::Note; ++c)
            s += table->item(row, c)->data(Qt::UserRole).toBool() ? QLatin1Char('1') : QLatin1Char('0');
        return s;
    };
    QTEST(cells(0), "disableRow");
    QTEST(cells(5), "verifyFullRow");
    QVERIFY(!table->item(0, MatrixView::Connected)->toolTip().isEmpty());
    QVERIFY(!table->item(0, MatrixView::Connected)->icon().isNull());
}

void TestViews::matrixHasAnEmptyStateWhenNotRequested()
{
    MatrixView view;
    view.setReport(report(QStringLiteral("probe-only")));
    auto *empty = child<QLabel>(&view, QStringLiteral("matrixEmpty"));
    QCOMPARE(child<QStackedWidget>(&view, QString())->currentWidget(), empty);
    QVERIFY(empty->text().contains(QLatin1String("Run with the matrix")));
}

void TestViews::rawViewShowsParsableJsonAndSavesIt()
{
    const InspectionReport &r = report(QStringLiteral("alias"));
    RawView view;
    view.setReport(r);
    const QString text = child<QPlainTextEdit>(&view, QStringLiteral("rawJson"))->toPlainText();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value(QLatin1String("verdict")).toObject().value(QLatin1String("summary")).toString(), r.summary);
    QVERIFY(child<QPlainTextEdit>(&view, QStringLiteral("rawJson"))->isReadOnly());
    QTest::mouseClick(child<QPushButton>(&view, QStringLiteral("rawCopy")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), text);
    const QString path = m_out.filePath(QStringLiteral("report.json"));
    QString saveError;
    QVERIFY2(view.saveTo(path, &saveError), qPrintable(saveError));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), text.toUtf8());
}

void TestViews::rawViewSavesHtmlOrJsonByExtension_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("html");
    QTest::newRow("a .html name gets the self-contained HTML report") << QStringLiteral("r.html") << true;
    QTest::newRow("an upper-case .HTM name gets HTML too") << QStringLiteral("r.HTM") << true;
    QTest::newRow("a .json name gets the JSON") << QStringLiteral("r.json") << false;
}

void TestViews::rawViewSavesHtmlOrJsonByExtension()
{
    QFETCH(QString, name);
    QFETCH(bool, html);
    const InspectionReport &r = report(QStringLiteral("alias"));
    RawView view;
    view.setReport(r);
    const QString path = m_out.filePath(name);
    QString saveError;
    QVERIFY2(view.saveTo(path, &saveError), qPrintable(saveError));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray written = f.readAll();
    if (html) {
        QVERIFY(written.startsWith("<!DOCTYPE html>"));
        QVERIFY(QString::fromUtf8(written).contains(r.summary.toHtmlEscaped()));
        QVERIFY(!written.contains("<script"));
    } else {
        QCOMPARE(written, view.json());
        QCOMPARE(QJsonDocument::fromJson(written).object().value(QLatin1String("verdict")).toObject().value(QLatin1String("summary")).toString(), r.summary);
    }
}

void TestViews::rawViewReportsAFailedSave()
{
    RawView view;
    view.setReport(report(QStringLiteral("correct")));
    const QString path = m_out.filePath(QStringLiteral("no-such-dir/report.html"));
    QString saveError;
    QVERIFY(!view.saveTo(path, &saveError));
    QVERIFY(saveError.contains(path));
    QVERIFY(!QFile::exists(path));
}

void TestViews::clearingAViewReturnsToItsEmptyState()
{
    const InspectionReport &r = report(QStringLiteral("correct"));
    ChainView chain;
    chain.setReport(r);
    chain.clearReport();
    QVERIFY(chain.cards().isEmpty());
    QVERIFY(!child<QLabel>(&chain, QStringLiteral("chainEmpty"))->isHidden());
    HostNameView host;
    host.setReport(r);
    host.clearReport();
    QVERIFY(!child<QLabel>(&host, QStringLiteral("hostEmpty"))->isHidden());
    RawView raw;
    raw.setReport(r);
    raw.clearReport();
    QVERIFY(child<QPlainTextEdit>(&raw, QStringLiteral("rawJson"))->toPlainText().isEmpty());
    VerdictBanner banner;
    banner.setReport(r);
    banner.clearReport();
    QCOMPARE(banner.state(), VerdictBanner::State::Idle);
}

void TestViews::everyViewRendersInLightAndDarkPalettes()
{
    QVERIFY(QDir().mkpath(screenshotDir));
    for (auto it = m_reports.cbegin(); it != m_reports.cend(); ++it) {
        for (const bool dark : {false, true}) {
            VerdictBanner banner;
            ChainView chain;
            HostNameView host;
            SessionView session;
            MatrixView matrix;
            RawView raw;
            const QList<QPair<QWidget *, QString>> views{
                {&banner, QStringLiteral("banner")}, {&chain, QStringLiteral("chain")},
                {&host, QStringLiteral("host")},     {&session, QStringLiteral("session")},
                {&matrix, QStringLiteral("matrix")}, {&raw, QStringLiteral("raw")}};
            for (const auto &[widget, name] : views) {
                if (dark)
                    widget->setPalette(darkPalette());
                dynamic_cast<ReportView *>(widget)->setReport(it.value());
                const int height = name == QLatin1String("banner") ? banner.heightForWidth(760) : 520;
                widget->resize(760, height);
                widget->show();
                QVERIFY(QTest::qWaitForWindowExposed(widget));
                const QImage image = widget->grab().toImage();
                QVERIFY(!image.isNull());
                const QString file = QStringLiteral("%1/%2-%3%4.png")
                                             .arg(screenshotDir, it.key(), name, dark ? QStringLiteral("-dark") : QString());
                QVERIFY2(image.save(file), qPrintable(file));
                widget->hide();
            }
        }
    }
}

QTEST_MAIN(TestViews)
#include "TestViews.moc"
