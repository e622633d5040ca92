// SPDX-License-Identifier: MIT
// Widget tests (offscreen) driving the real MainWindow against a real lab: the form filled by
// typing or pasting, Inspect pressed, the banner read; Cancel against a silent server; pasted
// passwords refused; the password never written to the settings; geometry kept; the demo scenario
// switcher.
#include "DemoBar.h"
#include "EndpointForm.h"
#include "Lab.h"
#include "MainWindow.h"
#include "VerdictBanner.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QWheelEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include "../support/UiTestHelpers.h"

#include <memory>

using namespace pgtls;
using namespace pgtls::ui;
using pgtls::lab::Lab;
using pgtls::lab::Scenario;

Q_DECLARE_METATYPE(pgtls::ui::VerdictBanner::State)

namespace {

using pgtls::test::child;
using pgtls::test::everythingUnder;

// Set up before QApplication exists (see main()): QSettings and libpq's home point into here.
QTemporaryDir *g_config = nullptr;

const char kSecret[] = "Tr0ub4dor-and-3-horses-NOT-IN-SETTINGS";


QString bannerText(MainWindow &w, const char *label)
{
    auto *l = child<QLabel>(w.banner(), label);
    return l ? l->text() : QStringLiteral("<no %1>").arg(QString::fromLatin1(label));
}

// Types into a line edit as a user would (select all, then the keys).
void typeInto(QLineEdit *edit, const QString &text)
{
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    if (!text.isEmpty())
        QTest::keyClicks(edit, text);
}

void typeInto(QSpinBox *spin, int value)
{
    QVERIFY(spin);
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QString::number(value));
    QTest::keyClick(spin, Qt::Key_Tab);
}

void selectSslMode(MainWindow &w, const QString &mode)
{
    auto *combo = child<QComboBox>(&w, "sslmode");
    QVERIFY(combo);
    const int index = combo->findData(mode);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

// Pastes `text` through the clipboard into the conninfo field and presses Return.
void paste(MainWindow &w, const QString &text)
{
    auto *conninfo = child<QLineEdit>(&w, "conninfo");
    QVERIFY(conninfo);
    conninfo->setFocus();
    conninfo->clear();
    QApplication::clipboard()->setText(text);
    QTest::keySequence(conninfo, QKeySequence::Paste);
    QCOMPARE(conninfo->text(), text);
    QTest::keyClick(conninfo, Qt::Key_Return);
    QApplication::clipboard()->clear();
}


} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void newFormIsPrefilledFromThePgEnvironment();
    void pastedUriFillsTheFields();
    void pastedPasswordIsRefusedAndNotKept_data();
    void pastedPasswordIsRefusedAndNotKept();
    void invalidInputIsMarkedInlineWithoutDialog();
    void bannerShowsTheVerdict_data();
    void bannerShowsTheVerdict();
    void matrixCheckboxComparesAllSixModes();
    void missingPasswordFocusesThePasswordField();
    void cancelEndsPromptlyAgainstSilentServer();
    void cancelKeepsThePreviousReport();
    void fileMenuSavesTheReportShown();
    void windowTitleNamesTheAppOnce();
    void theWheelChangesOnlyAFocusedSetting();
    void passwordNeverReachesTheSettings();
    void geometryAndSplitterPersist();
    void tabMovesThroughTheFormInOrder();
    void everyControlHasAnObjectAndAccessibleName();
    void demoSwitchToAliasShowsHostNameFailure();

private:
    void fillForLab(MainWindow &w, const QString &host, bool withPassword);
    bool runInspection(MainWindow &w, int timeoutMs = 30000);
    void switchLab(Scenario scenario);

    Lab *m_lab = nullptr;
};

void TestMainWindow::initTestCase()
{
    qRegisterMetaType<Scenario>();
    m_lab = new Lab(this);
    QSignalSpy started(m_lab, &Lab::started);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->start(Scenario::Correct);
    QVERIFY2(started.wait(30000) || !failed.isEmpty(), "the lab did not start");
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
}

void TestMainWindow::cleanupTestCase()
{
    m_lab->stop();
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::switchLab(Scenario scenario)
{
    if (m_lab->scenario() == scenario)
        return;
    QSignalSpy changed(m_lab, &Lab::scenarioChanged);
    QSignalSpy failed(m_lab, &Lab::failed);
    m_lab->setScenario(scenario);
    QVERIFY(changed.wait(20000) || !failed.isEmpty());
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
}

void TestMainWindow::fillForLab(MainWindow &w, const QString &host, bool withPassword)
{
    typeInto(child<QLineEdit>(&w, "host"), host);
    typeInto(child<QLineEdit>(&w, "hostaddr"), QStringLiteral("127.0.0.1"));
    typeInto(child<QSpinBox>(&w, "port"), m_lab->port());
    typeInto(child<QLineEdit>(&w, "dbname"), m_lab->databaseName());
    typeInto(child<QLineEdit>(&w, "user"), m_lab->userName());
    typeInto(child<QLineEdit>(&w, "sslrootcert"), m_lab->caBundlePath());
    selectSslMode(w, QStringLiteral("verify-full"));
    typeInto(child<QLineEdit>(&w, "password"), withPassword ? m_lab->password() : QString());
}

bool TestMainWindow::runInspection(MainWindow &w, int timeoutMs)
{
    QSignalSpy finished(&w, &MainWindow::inspectionFinished);
    QSignalSpy started(&w, &MainWindow::inspectionStarted);
    QTest::mouseClick(child<QPushButton>(&w, "inspectButton"), Qt::LeftButton);
    if (started.count() != 1)
        return false;
    return finished.wait(timeoutMs) && finished.count() == 1;
}

void TestMainWindow::newFormIsPrefilledFromThePgEnvironment()
{
    qputenv("PGHOST", "env-host.example.com");
    qputenv("PGPORT", "6543");
    qputenv("PGSSLMODE", "verify-ca");
    qputenv("PGUSER", "envuser");
    EndpointForm form;
    qunsetenv("PGHOST");
    qunsetenv("PGPORT");
    qunsetenv("PGSSLMODE");
    qunsetenv("PGUSER");
    QCOMPARE(child<QLineEdit>(&form, "host")->text(), QStringLiteral("env-host.example.com"));
    QCOMPARE(child<QSpinBox>(&form, "port")->value(), 6543);
    QCOMPARE(
        child<QComboBox>(&form, "sslmode")->currentData().toString(), QStringLiteral("verify-ca"));
    QCOMPARE(child<QLineEdit>(&form, "user")->text(), QStringLiteral("envuser"));
    QCOMPARE(child<QLineEdit>(&form, "dbname")->text(), QString()); // not given: shows the default
    QCOMPARE(form.endpoint().dbname, QStringLiteral("envuser")); // libpq's default: the user name
}

void TestMainWindow::pastedUriFillsTheFields()
{
    MainWindow w;
    w.show();
    paste(w,
        QStringLiteral("postgresql://alice@db.example.com:6432/sales?sslmode=verify-ca"
                       "&sslrootcert=/etc/ssl/rds.pem&hostaddr=10.1.2.3&application_name=probe"));
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), QStringLiteral("db.example.com"));
    QCOMPARE(child<QLineEdit>(&w, "hostaddr")->text(), QStringLiteral("10.1.2.3"));
    QCOMPARE(child<QSpinBox>(&w, "port")->value(), 6432);
    QCOMPARE(child<QLineEdit>(&w, "dbname")->text(), QStringLiteral("sales"));
    QCOMPARE(child<QLineEdit>(&w, "user")->text(), QStringLiteral("alice"));
    QCOMPARE(
        child<QComboBox>(&w, "sslmode")->currentData().toString(), QStringLiteral("verify-ca"));
    QCOMPARE(child<QLineEdit>(&w, "sslrootcert")->text(), QStringLiteral("/etc/ssl/rds.pem"));
    QCOMPARE(child<QLineEdit>(&w, "conninfo")->text(), QString()); // consumed
    const Endpoint ep = w.form()->endpoint();
    QCOMPARE(ep.extraOptions.value(QStringLiteral("application_name")), QStringLiteral("probe"));
    QVERIFY(child<QLabel>(&w, "extraParameters")
                ->text()
                .contains(QLatin1String("application_name=probe")));
    QCOMPARE(child<QLineEdit>(&w, "sslrootcert")->property("state").toString(),
        QStringLiteral("invalid"));

    // A keyword/value string sets every field, as a new connection would: what it does not name
    // goes back to libpq's default (no stale host address sends the connection elsewhere), and the
    // hint says what changed.
    typeInto(child<QLineEdit>(&w, "hostaddr"), QStringLiteral("127.0.0.1"));
    paste(w, QStringLiteral("host=nonexistent.invalid port=1"));
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), QStringLiteral("nonexistent.invalid"));
    QCOMPARE(child<QSpinBox>(&w, "port")->value(), 1);
    QCOMPARE(child<QLineEdit>(&w, "hostaddr")->text(), QString());
    QCOMPARE(child<QLineEdit>(&w, "sslrootcert")->text(), QString());
    QCOMPARE(w.form()->endpoint().extraOptions.value(QStringLiteral("application_name")), QString());
    const QString hint = child<QLabel>(&w, "conninfoHint")->text();
    QVERIFY2(hint.contains(QLatin1String("Cleared (not in the string): ")) && hint.contains(QLatin1String("host address")),
             qPrintable(hint));
    QVERIFY2(hint.contains(QLatin1String("Set: host, port")), qPrintable(hint));
}

void TestMainWindow::pastedPasswordIsRefusedAndNotKept_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::newRow("a keyword/value password moves to the password field")
        << QStringLiteral("host=pw.example.com password=%1 dbname=x").arg(QLatin1String(kSecret));
    QTest::newRow("a password in the URI's user part moves to the password field")
        << QStringLiteral("postgresql://bob:%1@pw.example.com/x").arg(QLatin1String(kSecret));
    QTest::newRow("a password as a URI parameter moves to the password field")
        << QStringLiteral("postgresql://pw.example.com/x?password=%1").arg(QLatin1String(kSecret));
}

void TestMainWindow::pastedPasswordIsRefusedAndNotKept()
{
    // A pasted DATABASE_URL: the password goes into the Password field (memory only), the rest
    // fills the form, and the password is nowhere else: no other field, no hint, no settings.
    QFETCH(QString, conninfo);
    {
        MainWindow w;
        w.show();
        typeInto(child<QLineEdit>(&w, "host"), QStringLiteral("kept.example.com"));
        paste(w, conninfo);
        auto *hint = child<QLabel>(&w, "conninfoHint");
        QVERIFY2(hint->text().contains(QLatin1String("now in the Password field")), qPrintable(hint->text()));
        QCOMPARE(child<QLineEdit>(&w, "conninfo")->property("state").toString(), QStringLiteral("valid"));
        QVERIFY(!hint->text().contains(QLatin1String(kSecret)));
        QCOMPARE(child<QLineEdit>(&w, "host")->text(), QStringLiteral("pw.example.com"));
        QCOMPARE(child<QLineEdit>(&w, "dbname")->text(), QStringLiteral("x"));
        QCOMPARE(w.form()->password(), QLatin1String(kSecret));
        const auto edits = w.findChildren<QLineEdit *>();
        for (const QLineEdit *e : edits) {
            if (e->objectName() != QLatin1String("password"))
                QVERIFY2(!e->text().contains(QLatin1String(kSecret)), qPrintable(e->objectName()));
        }
        QCOMPARE(child<QLineEdit>(&w, "password")->echoMode(), QLineEdit::Password);
        QVERIFY(!w.form()->endpoint().toConninfo().contains(QLatin1String(kSecret)));
        for (const QWidget *dialog : QApplication::topLevelWidgets())
            QVERIFY(dialog == &w || !dialog->isVisible() || !dialog->inherits("QDialog"));
        w.close();
    }
    QSettings().sync();
    QVERIFY(!everythingUnder(g_config->path()).contains(kSecret));
}

void TestMainWindow::invalidInputIsMarkedInlineWithoutDialog()
{
    MainWindow w;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QSignalSpy started(&w, &MainWindow::inspectionStarted);
    typeInto(child<QLineEdit>(&w, "host"), QString());
    QTest::keyClick(&w, Qt::Key_F5);
    QCOMPARE(started.count(), 0);
    QCOMPARE(child<QLineEdit>(&w, "host")->property("state").toString(), QStringLiteral("invalid"));
    QVERIFY(child<QLabel>(&w, "hostHint")->isVisible());
    QVERIFY(bannerText(w, "verdictExplanation").contains(QLatin1String("host name")));

    typeInto(child<QLineEdit>(&w, "host"), QStringLiteral("db.example.com"));
    QCOMPARE(child<QLineEdit>(&w, "host")->property("state").toString(), QStringLiteral("valid"));
    typeInto(child<QLineEdit>(&w, "hostaddr"), QStringLiteral("not-an-address"));
    QCOMPARE(
        child<QLineEdit>(&w, "hostaddr")->property("state").toString(), QStringLiteral("invalid"));
    QVERIFY(child<QLabel>(&w, "hostaddrHint")
                ->text()
                .contains(QLatin1String("not a numeric IP address")));
    QTest::mouseClick(child<QPushButton>(&w, "inspectButton"), Qt::LeftButton);
    QCOMPARE(started.count(), 0);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(&w, "hostaddr"));
    for (const QWidget *top : QApplication::topLevelWidgets())
        QVERIFY(top == &w || !top->isVisible());

    // The CA bundle line says whether the file exists, once the keys settle.
    typeInto(child<QLineEdit>(&w, "sslrootcert"), m_lab->caBundlePath());
    QTRY_COMPARE(
        child<QLineEdit>(&w, "sslrootcert")->property("state").toString(), QStringLiteral("valid"));
    typeInto(
        child<QLineEdit>(&w, "sslrootcert"), m_lab->caBundlePath() + QStringLiteral(".missing"));
    QTRY_COMPARE(child<QLineEdit>(&w, "sslrootcert")->property("state").toString(),
        QStringLiteral("invalid"));
    QVERIFY(child<QLabel>(&w, "sslrootcertHint")->text().contains(QLatin1String("does not exist")));
}

void TestMainWindow::bannerShowsTheVerdict_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<bool>("alias");
    QTest::addColumn<VerdictBanner::State>("state");
    QTest::addColumn<QString>("summary");
    QTest::newRow("the correct endpoint is encrypted and verified")
        << Scenario::Correct << false << VerdictBanner::State::Ok
        << QStringLiteral("Encrypted and verified");
    QTest::newRow("an alias fails on the host name")
        << Scenario::Alias << true << VerdictBanner::State::Failed
        << QStringLiteral("host name does not match");
    QTest::newRow("an unknown CA fails verification")
        << Scenario::UnknownCa << false << VerdictBanner::State::Failed
        << QStringLiteral("CA is not in your CA file");
    QTest::newRow("ssl off is not encrypted")
        << Scenario::SslOff << false << VerdictBanner::State::Failed
        << QStringLiteral("does not offer TLS");
}

void TestMainWindow::bannerShowsTheVerdict()
{
    QFETCH(Scenario, scenario);
    QFETCH(bool, alias);
    QFETCH(VerdictBanner::State, state);
    QFETCH(QString, summary);
    switchLab(scenario);
    MainWindow w;
    w.show();
    fillForLab(w, alias ? Lab::aliasHostName() : Lab::endpointHostName(), true);
    QVERIFY(runInspection(w));
    QVERIFY(!w.lastWasCancelled());
    QVERIFY2(bannerText(w, "verdictSummary").contains(summary),
        qPrintable(bannerText(w, "verdictSummary")));
    QCOMPARE(w.banner()->state(), state);
    QCOMPARE(w.lastReport().summary, bannerText(w, "verdictSummary"));
    QCOMPARE(w.lastReport().endpoint.hostaddr, QStringLiteral("127.0.0.1"));
    QVERIFY(w.lastReport().matrix.isEmpty());
    QVERIFY(!child<QPushButton>(&w, "cancelButton")->isEnabled());
}

void TestMainWindow::matrixCheckboxComparesAllSixModes()
{
    switchLab(Scenario::Correct);
    MainWindow w;
    w.show();
    fillForLab(w, Lab::endpointHostName(), true);
    child<QCheckBox>(&w, "compareAllModes")->setFocus();
    QTest::keyClick(child<QCheckBox>(&w, "compareAllModes"), Qt::Key_Space);
    QVERIFY(w.form()->compareAllModes());
    QVERIFY(runInspection(w));
    QCOMPARE(w.lastReport().matrix.size(), 6);
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Ok);
}

void TestMainWindow::missingPasswordFocusesThePasswordField()
{
    switchLab(Scenario::Correct);
    MainWindow w;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    fillForLab(w, Lab::endpointHostName(), false);
    child<QLineEdit>(&w, "host")->setFocus();
    QVERIFY(runInspection(w));
    QVERIFY(w.lastReport().session.needsPassword);
    auto *password = child<QLineEdit>(&w, "password");
    QTRY_VERIFY(password->hasFocus());
    QVERIFY(
        child<QLabel>(&w, "passwordHint")->text().contains(QLatin1String("asks for a password")));
    QCOMPARE(password->property("state").toString(), QStringLiteral("invalid"));
}

void TestMainWindow::cancelEndsPromptlyAgainstSilentServer()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> held; // accepted and never answered
    connect(&silent, &QTcpServer::newConnection, &silent, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            held << s;
    });
    MainWindow w;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    typeInto(child<QLineEdit>(&w, "host"), QStringLiteral("silent.example.com"));
    typeInto(child<QLineEdit>(&w, "hostaddr"), QStringLiteral("127.0.0.1"));
    typeInto(child<QSpinBox>(&w, "port"), silent.serverPort());
    typeInto(child<QSpinBox>(&w, "timeout"), 120);
    QSignalSpy finished(&w, &MainWindow::inspectionFinished);
    QTest::keyClick(&w, Qt::Key_F5);
    QVERIFY(w.isInspecting());
    QVERIFY(child<QPushButton>(&w, "cancelButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 5000); // the probe is connected and waiting

    QElapsedTimer timer;
    timer.start();
    QTest::keyClick(&w, Qt::Key_Escape);
    QVERIFY(finished.count() == 1 || finished.wait(3000));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(w.lastWasCancelled());
    QVERIFY(!w.isInspecting());
    QVERIFY2(bannerText(w, "verdictExplanation").contains(QLatin1String("Cancelled")),
        qPrintable(bannerText(w, "verdictExplanation")));
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Idle);
    QVERIFY(!child<QPushButton>(&w, "cancelButton")->isEnabled());
    qDeleteAll(held);
}

void TestMainWindow::cancelKeepsThePreviousReport()
{
    switchLab(Scenario::Correct);
    MainWindow w;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    fillForLab(w, Lab::endpointHostName(), true);
    QVERIFY(runInspection(w));
    const QString summary = bannerText(w, "verdictSummary");
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Ok);

    // A second inspection, of a server that never answers, cancelled.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> held;
    connect(&silent, &QTcpServer::newConnection, &silent, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            held << s;
    });
    typeInto(child<QSpinBox>(&w, "port"), silent.serverPort());
    QSignalSpy finished(&w, &MainWindow::inspectionFinished);
    QTest::keyClick(&w, Qt::Key_F5);
    QVERIFY(w.isInspecting());
    QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 5000);
    QTest::keyClick(&w, Qt::Key_Escape);
    QVERIFY(finished.count() == 1 || finished.wait(3000));
    QVERIFY(w.lastWasCancelled());
    // The previous report is still what the window shows, and the status bar says so.
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Ok);
    QCOMPARE(bannerText(w, "verdictSummary"), summary);
    const QString status = child<QLabel>(&w, "statusText")->text();
    QVERIFY2(status.contains(QLatin1String("Showing the previous report")), qPrintable(status));
    QVERIFY(child<QAction>(&w, "saveReportAction")->isEnabled());
    qDeleteAll(held);
}

void TestMainWindow::fileMenuSavesTheReportShown()
{
    switchLab(Scenario::Correct);
    MainWindow w;
    w.show();
    auto *save = child<QAction>(&w, "saveReportAction");
    QVERIFY(save);
    QVERIFY(!save->isEnabled()); // nothing to save yet
    QCOMPARE(save->shortcut(), QKeySequence(QKeySequence::Save));
    const auto menus = w.findChildren<QMenu *>(QStringLiteral("fileMenu"));
    QCOMPARE(menus.size(), 1);
    QVERIFY(menus.first()->actions().contains(save));
    fillForLab(w, Lab::endpointHostName(), true);
    QVERIFY(runInspection(w));
    QVERIFY(save->isEnabled());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.html"));
    // The file dialog, answered like a user: the name typed, Enter.
    QTimer::singleShot(0, &w, [path] {
        QTRY_VERIFY(qobject_cast<QFileDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        dialog->selectFile(path);
        QMetaObject::invokeMethod(dialog, "accept");
    });
    child<QLineEdit>(&w, "host")->setFocus();
    save->trigger();
    QVERIFY(QFileInfo::exists(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("<html"));
    QVERIFY2(child<QLabel>(&w, "statusText")->text().contains(path),
             qPrintable(child<QLabel>(&w, "statusText")->text()));
}

void TestMainWindow::windowTitleNamesTheAppOnce()
{
    switchLab(Scenario::Correct);
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Qt appends the display name to the window's own title; the title must not name the app.
    QVERIFY(!w.windowTitle().contains(QLatin1String("PG TLS Inspector")));
    fillForLab(w, Lab::endpointHostName(), true);
    QVERIFY(runInspection(w));
    QCOMPARE(w.windowTitle(), Lab::endpointHostName());
}

namespace {

void turnWheel(QWidget *over, int notches)
{
    const QPointF local(over->width() / 2.0, over->height() / 2.0);
    QWheelEvent wheel(local, over->mapToGlobal(local), QPoint(), QPoint(0, -120 * notches),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(over, &wheel);
}

} // namespace

void TestMainWindow::theWheelChangesOnlyAFocusedSetting()
{
    MainWindow w;
    w.resize(1024, 700);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    auto *sslmode = child<QComboBox>(&w, "sslmode");
    auto *port = child<QSpinBox>(&w, "port");
    auto *scroll = child<QScrollArea>(&w, "formScroll");
    QVERIFY(sslmode && port && scroll);
    QVERIFY2(scroll->verticalScrollBar()->maximum() > 0, "the form should scroll at 1024x700");
    child<QLineEdit>(&w, "host")->setFocus();
    const int mode = sslmode->currentIndex();
    const int portValue = port->value();
    const int scrolled = scroll->verticalScrollBar()->value();
    // A pointer passing over the controls while scrolling the pane: the pane scrolls, the
    // settings stay.
    turnWheel(sslmode, 1);
    turnWheel(port, 1);
    QCOMPARE(sslmode->currentIndex(), mode);
    QCOMPARE(port->value(), portValue);
    QVERIFY2(scroll->verticalScrollBar()->value() > scrolled,
             qPrintable(QString::number(scroll->verticalScrollBar()->value())));
    QVERIFY(!sslmode->hasFocus());
    // Clicked or tabbed into, the control takes the wheel as usual.
    sslmode->setFocus();
    QTRY_VERIFY(sslmode->hasFocus());
    const int before = sslmode->currentIndex();
    turnWheel(sslmode, before > 0 ? -1 : 1);
    QVERIFY(sslmode->currentIndex() != before);
    QCOMPARE(sslmode->focusPolicy(), Qt::StrongFocus);
}

void TestMainWindow::passwordNeverReachesTheSettings()
{
    switchLab(Scenario::Correct);
    const QString secret = QString::fromLatin1(kSecret);
    {
        MainWindow w;
        w.show();
        fillForLab(w, Lab::endpointHostName(), false);
        typeInto(child<QLineEdit>(&w, "password"), secret);
        QCOMPARE(w.form()->password(), secret);
        QVERIFY(runInspection(w)); // a wrong password: the server refuses it
        QVERIFY(!w.lastReport().session.connected);
        QVERIFY(!w.lastReport().summary.contains(secret));
        w.close();
    }
    QSettings settings;
    settings.sync();
    QVERIFY(QFileInfo::exists(settings.fileName()));
    QVERIFY(settings.contains(QStringLiteral("window/geometry")));
    QVERIFY(!everythingUnder(g_config->path()).contains(kSecret));
    QFile log(m_lab->logPath());
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(!log.readAll().contains(kSecret));
}

void TestMainWindow::geometryAndSplitterPersist()
{
    QList<int> sizes;
    {
        MainWindow w;
        w.show();
        w.resize(1111, 777);
        auto *splitter = child<QSplitter>(&w, "mainSplitter");
        splitter->setSizes({ 430, 640 });
        child<QTabWidget>(&w, "reportTabs")->setCurrentIndex(2);
        QTRY_COMPARE(w.size(), QSize(1111, 777));
        sizes = splitter->sizes();
        w.close();
    }
    MainWindow second;
    second.show();
    QTRY_COMPARE(second.size(), QSize(1111, 777));
    QCOMPARE(child<QSplitter>(&second, "mainSplitter")->sizes(), sizes);
    QCOMPARE(child<QTabWidget>(&second, "reportTabs")->currentIndex(), 2);
}

void TestMainWindow::tabMovesThroughTheFormInOrder()
{
    MainWindow w;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    typeInto(child<QLineEdit>(&w, "host"),
        QStringLiteral("db.example.com")); // Inspect enabled, Cancel not
    const char *order[] = { "host", "hostaddr", "port", "dbname", "user", "sslmode", "sslrootcert",
        "browseRootCert", "bundleRegion", "bundleDownload", "bundleUseSnapshot", "password",
        "timeout", "compareAllModes", "inspectButton" };
    child<QLineEdit>(&w, "conninfo")->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab); // to the Fill button
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("fillFromConninfo"));
    for (const char *name : order) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *focus = QApplication::focusWidget();
        // A spin box's focus is on its inner line edit.
        if (focus && focus->parentWidget() && focus->parentWidget()->inherits("QAbstractSpinBox"))
            focus = focus->parentWidget();
        QVERIFY(focus);
        QCOMPARE(focus->objectName(), QString::fromLatin1(name));
    }
}

void TestMainWindow::everyControlHasAnObjectAndAccessibleName()
{
    MainWindow w;
    w.show();
    QList<QWidget *> controls = w.form()->findChildren<QWidget *>();
    controls << child<QWidget>(&w, "inspectButton") << child<QWidget>(&w, "cancelButton")
             << child<QWidget>(&w, "reportTabs");
    int checked = 0;
    for (QWidget *c : std::as_const(controls)) {
        if (!c || c->focusPolicy() == Qt::NoFocus
            || c->objectName().startsWith(QLatin1String("qt_")))
            continue;
        if (c->parentWidget()
            && (c->parentWidget()->inherits("QAbstractSpinBox")
                || c->parentWidget()->inherits("QComboBox")))
            continue; // the inner editor of a spin box or combo box
        QVERIFY2(!c->objectName().isEmpty(), c->metaObject()->className());
        QVERIFY2(!c->accessibleName().isEmpty(), qPrintable(c->objectName()));
        ++checked;
    }
    QVERIFY(checked >= 15);
}

void TestMainWindow::demoSwitchToAliasShowsHostNameFailure()
{
    MainWindow w;
    w.show();
    QSignalSpy finished(&w, &MainWindow::inspectionFinished);
    w.startDemo();
    DemoBar *bar = w.demoBar();
    QVERIFY(bar);
    QSignalSpy failed(bar, &DemoBar::failed);
    // The lab starts, the form is filled from lab.endpoint() and inspected (its passfile: no
    // password).
    QVERIFY(finished.wait(60000));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), Lab::endpointHostName());
    QCOMPARE(w.form()->password(), QString());
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Ok);
    QVERIFY(w.lastReport().session.connected);

    // The trainer picks "alias" in the switcher: the lab switches, the form follows, it
    // re-inspects.
    auto *combo = child<QComboBox>(bar, "scenario");
    QVERIFY(combo && combo->isEnabled());
    const int index = combo->findText(lab::scenarioName(Scenario::Alias));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    emit combo->activated(index);
    QVERIFY(child<QLabel>(bar, "scenarioDescription")->text()
        == lab::scenarioDescription(Scenario::Alias));
    QVERIFY(finished.wait(60000));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), Lab::aliasHostName());
    QCOMPARE(w.banner()->state(), VerdictBanner::State::Failed);
    QVERIFY2(bannerText(w, "verdictSummary").contains(QLatin1String("host name does not match")),
        qPrintable(bannerText(w, "verdictSummary")));
    QVERIFY(bannerText(w, "verdictExplanation").contains(Lab::aliasHostName()));
}

int main(int argc, char **argv)
{
    return pgtls::test::runIsolatedWidgetTest<TestMainWindow>(argc, argv, "TestMainWindow", &g_config);
}

#include "TestMainWindow.moc"
