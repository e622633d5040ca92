// SPDX-License-Identifier: MIT
#include "MainWindow.h"

#include "AboutDialog.h"
#include "BundlePanel.h"

#include "ChainView.h"
#include "ClientSettingsView.h"
#include "DemoBar.h"
#include "EndpointForm.h"
#include "HostNameView.h"
#include "Inspector.h"
#include "MatrixView.h"
#include "ProfilesPanel.h"
#include "RawView.h"
#include "RootCert.h"
#include "SecretMemory.h"
#include "SessionView.h"
#include "VerdictBanner.h"
#include "WheelGuard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

const char kGeometryKey[] = "window/geometry";
const char kStateKey[] = "window/state";
const char kSplitterKey[] = "window/splitter";
const char kTabKey[] = "window/tab";

// How many parts an inspection of `ep` runs (probe, session, plaintext pair, extra matrix
// attempts), for the step counter; mirrors Inspector::start().
int expectedParts(const Endpoint &ep, bool matrix)
{
    int parts = 1 + 1 + 2;
    if (matrix) {
        const bool sessionServesRow
            = ep.sslmode != SslMode::Disable && ep.sslmode != SslMode::Allow;
        parts += 5 - (sessionServesRow ? 1 : 0);
    }
    return parts;
}

QString stepDescription(const QString &step)
{
    if (step == QLatin1String("resolve"))
        return MainWindow::tr("Host name resolved");
    if (step == QLatin1String("tcp"))
        return MainWindow::tr("TCP connection established");
    if (step == QLatin1String("ssl-request"))
        return MainWindow::tr("The server answered the SSLRequest");
    if (step == QLatin1String("tls"))
        return MainWindow::tr("TLS handshake done");
    if (step == QLatin1String("probe"))
        return MainWindow::tr("TLS probe finished");
    if (step == QLatin1String("session"))
        return MainWindow::tr("libpq session finished");
    if (step == QLatin1String("plaintext"))
        return MainWindow::tr("Plaintext test: one attempt finished");
    if (step.startsWith(QLatin1String("matrix")))
        return MainWindow::tr("sslmode matrix: one mode finished");
    return step;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_inspector(new Inspector(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    // Qt appends the application's display name ("— PG TLS Inspector") to every title itself.
    setWindowTitle(QString());
    buildUi();
    buildActions();
    WheelGuard::install(this);
    connect(m_inspector, &Inspector::stepFinished, this, &MainWindow::onStep);
    connect(m_inspector, &Inspector::finished, this, &MainWindow::onFinished);
    connect(m_form, &EndpointForm::submitted, this, &MainWindow::inspect);
    connect(m_form, &EndpointForm::edited, this, [this] {
        if (!m_lastReport.startedAt.isValid() || isInspecting())
            return;
        m_statusLabel->setText(
            tr("The form changed since the report shown: press F5 to inspect again."));
    });
    setRunning(false);
    m_banner->setIdle(tr("Fill in the endpoint on the left and press Inspect (F5)."));
    restoreSettings();
}

MainWindow::~MainWindow()
{
    saveSettings();
}

void MainWindow::buildUi()
{
    // Left: the form, scrollable, with the action buttons always visible beneath it.
    m_form = new EndpointForm;
    m_formScroll = new QScrollArea;
    m_formScroll->setObjectName(QStringLiteral("formScroll"));
    m_formScroll->setWidget(m_form);
    m_formScroll->setWidgetResizable(true);
    m_formScroll->setFrameShape(QFrame::NoFrame);
    m_formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formScroll->setMinimumWidth(370);
    m_formScroll->setAccessibleName(tr("What to inspect"));

    m_inspectButton = new QPushButton(tr("&Inspect"));
    m_inspectButton->setObjectName(QStringLiteral("inspectButton"));
    m_inspectButton->setAccessibleName(tr("Inspect"));
    m_inspectButton->setToolTip(tr("Inspect the endpoint (F5 or Ctrl+R; also runs it again)"));
    m_inspectButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_inspectButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setAccessibleName(tr("Cancel the inspection"));
    m_cancelButton->setToolTip(tr("Cancel the inspection under way (Esc)"));
    m_cancelButton->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 6, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_inspectButton);

    auto *left = new QWidget;
    left->setObjectName(QStringLiteral("leftPane"));
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(8, 8, 4, 8);
    // Saved profiles above the form (added first, so it comes first in the tab order too).
    leftLayout->addWidget(new ProfilesPanel(m_form));
    leftLayout->addWidget(m_formScroll, 1);
    leftLayout->addLayout(buttons);

    // Right: the verdict, then the views.
    m_banner = new VerdictBanner;
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("reportTabs"));
    m_tabs->setAccessibleName(tr("Report views"));
    m_tabs->setDocumentMode(true);
    m_chain = new ChainView;
    m_hostName = new HostNameView;
    m_session = new SessionView;
    m_matrix = new MatrixView;
    m_raw = new RawView;
    auto *clientSettings = new ClientSettingsView;
    struct Tab
    {
        QWidget *widget;
        ReportView *view;
        const char *objectName;
        QString title;
        QString accessibleName;
    };
    const Tab tabs[] = {
        { m_chain, m_chain, "chainView", tr("Chain"), tr("Certificate chain") },
        { m_hostName, m_hostName, "hostNameView", tr("Host name"), tr("Host name check") },
        { m_session, m_session, "sessionView", tr("Session"), tr("Session and server's view") },
        { m_matrix, m_matrix, "matrixView", tr("sslmode matrix"), tr("sslmode matrix") },
        { clientSettings, clientSettings, "clientSettingsView", tr("Client settings"),
            tr("Client settings for the verified configuration") },
        { m_raw, m_raw, "rawView", tr("Raw"), tr("Raw JSON report") },
    };
    for (const Tab &t : tabs) {
        if (t.widget->objectName().isEmpty())
            t.widget->setObjectName(QString::fromLatin1(t.objectName));
        if (t.widget->accessibleName().isEmpty())
            t.widget->setAccessibleName(t.accessibleName);
        m_tabs->addTab(t.widget, t.title);
        m_views << t.view;
    }

    auto *right = new QWidget;
    right->setObjectName(QStringLiteral("rightPane"));
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(4, 8, 8, 8);
    rightLayout->setSpacing(8);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(m_tabs, 1);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 430, 850 });

    auto *central = new QWidget;
    central->setObjectName(QStringLiteral("central"));
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_statusLabel = new QLabel;
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setObjectName(QStringLiteral("statusText"));
    m_statusLabel->setAccessibleName(tr("Status"));
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addWidget(m_statusLabel, 1);

    setTabOrder(m_form, m_cancelButton);
    setTabOrder(m_cancelButton, m_inspectButton);
    setTabOrder(m_inspectButton, m_tabs);
    resize(1280, 820);
}

void MainWindow::buildActions()
{
    m_inspectAction = new QAction(m_inspectButton->icon(), tr("&Inspect"), this);
    m_inspectAction->setObjectName(QStringLiteral("inspectAction"));
    m_inspectAction->setShortcuts({ QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R) });
    m_inspectAction->setShortcutContext(Qt::WindowShortcut);
    m_inspectAction->setStatusTip(tr("Inspect the endpoint, or run the inspection again"));
    connect(m_inspectAction, &QAction::triggered, this, &MainWindow::inspect);
    connect(m_inspectButton, &QPushButton::clicked, m_inspectAction, &QAction::trigger);

    m_cancelAction = new QAction(m_cancelButton->icon(), tr("&Cancel"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancel);
    connect(m_cancelButton, &QPushButton::clicked, m_cancelAction, &QAction::trigger);

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    menuBar()->setObjectName(QStringLiteral("menuBar"));
    m_saveAction = new QAction(tr("&Save Report…"), this);
    m_saveAction->setObjectName(QStringLiteral("saveReportAction"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setStatusTip(tr("Save the report shown as JSON, or as an HTML report for a ticket"));
    m_saveAction->setEnabled(false);
    connect(m_saveAction, &QAction::triggered, m_raw, &RawView::save);
    connect(m_raw, &RawView::statusChanged, this, [this](const QString &text) { m_statusLabel->setText(text); });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(m_saveAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu *inspection = menuBar()->addMenu(tr("I&nspection"));
    inspection->setObjectName(QStringLiteral("inspectionMenu"));
    inspection->addAction(m_inspectAction);
    inspection->addAction(m_cancelAction);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    QAction *about = help->addAction(tr("&About PG TLS Inspector"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
    QAction *aboutQt = help->addAction(tr("About &Qt"));
    aboutQt->setObjectName(QStringLiteral("aboutQtAction"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    // Shortcuts work wherever the focus is in the window (the menu bar holds the actions too).
    addAction(m_inspectAction);
    addAction(m_cancelAction);
    addAction(m_saveAction);
    addAction(quit);
}

void MainWindow::startDemo()
{
    if (m_demoBar)
        return;
    m_demoBar = new DemoBar;
    auto *bar = new QToolBar(tr("Demo lab"), this);
    bar->setObjectName(QStringLiteral("demoToolBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->addWidget(m_demoBar);
    addToolBar(Qt::TopToolBarArea, bar);
    setWindowTitle(tr("demo lab"));

    connect(m_demoBar, &DemoBar::busy, this, [this](const QString &what) {
        if (!isInspecting())
            m_banner->setBusy(what);
        m_statusLabel->setText(what);
    });
    connect(m_demoBar, &DemoBar::endpointReady, this, [this](const Endpoint &endpoint) {
        m_form->setEndpoint(endpoint);
        inspect();
    });
    connect(m_demoBar, &DemoBar::failed, this, [this](const QString &message) {
        if (isInspecting())
            return; // the inspection's own report will say what went wrong
        // Shown as a failed verdict so it stands out; not a report of an endpoint (views
        // untouched).
        InspectionReport r;
        r.summary = tr("The demo lab failed");
        Problem p;
        p.code = QStringLiteral("lab-failed");
        p.title = r.summary;
        p.detail = message;
        p.explanation
            = tr("The local PostgreSQL of the demo lab could not be started or switched.");
        p.fix = tr("Check that Debian's postgresql-15 is installed (%1), then restart with --demo.")
                    .arg(lab::Lab::serverBinDirectory());
        r.problems << p;
        m_banner->setReport(r);
        m_statusLabel->setText(tr("Demo lab: %1").arg(message));
    });
    m_demoBar->startLab();
}

bool MainWindow::isInspecting() const
{
    return m_inspector->isRunning();
}

void MainWindow::inspect()
{
    const QString problem = m_form->validate();
    if (!problem.isEmpty()) {
        // The field is marked and focused; the banner keeps a report it shows (the views show it
        // too).
        if (!isInspecting() && !m_lastReport.startedAt.isValid())
            m_banner->setIdle(problem);
        m_statusLabel->setText(problem);
        return;
    }
    const Endpoint endpoint = m_form->endpoint();
    InspectionOptions options;
    options.probeOnly = false;
    options.matrix = m_form->compareAllModes();
    options.timeoutMs = m_form->timeoutSeconds() * 1000;
    options.homeDirectory = RootCert::libpqHomeDirectory();
    options.password = m_form->password();
    m_passwordGiven = !options.password.isEmpty();

    m_cancelled = false;
    m_stepsDone = 0;
    m_stepsExpected = expectedParts(endpoint, options.matrix);
    for (ReportView *v : std::as_const(m_views))
        v->clearReport();
    const QString target = endpoint.hostaddr.isEmpty()
        ? QStringLiteral("%1:%2").arg(endpoint.host).arg(endpoint.port)
        : QStringLiteral("%1:%2 (at %3)")
              .arg(endpoint.host)
              .arg(endpoint.port)
              .arg(endpoint.hostaddr);
    m_banner->setBusy(
        tr("Connecting to %1 with sslmode=%2…").arg(target, sslModeName(endpoint.sslmode)));
    m_statusLabel->setText(tr("Inspecting %1…").arg(target));
    setRunning(true);
    m_inspector->start(endpoint, options);
    wipe(options.password); // the inspector holds its own copy; this one is dropped
    emit inspectionStarted();
}

void MainWindow::cancel()
{
    if (!isInspecting())
        return;
    m_cancelled = true;
    m_inspector->cancel();
}

void MainWindow::onStep(const QString &step)
{
    const bool part = step == QLatin1String("probe") || step == QLatin1String("session")
        || step == QLatin1String("plaintext") || step.startsWith(QLatin1String("matrix"));
    if (part)
        ++m_stepsDone;
    m_banner->setBusy(tr("%1 · %2 of %3 checks done")
                          .arg(stepDescription(step))
                          .arg(qMin(m_stepsDone, m_stepsExpected))
                          .arg(m_stepsExpected));
}

void MainWindow::onFinished()
{
    setRunning(false);
    m_lastReport = m_inspector->report();
    if (m_cancelled) {
        if (m_shownReport.startedAt.isValid()) {
            // Cancel stops the new inspection; it does not throw away the last complete one.
            showReport(m_shownReport);
            m_statusLabel->setText(
                tr("Cancelled. Showing the previous report: %1:%2 inspected at %3. Press F5 to "
                   "inspect again.")
                    .arg(m_shownReport.endpoint.host)
                    .arg(m_shownReport.endpoint.port)
                    .arg(QLocale().toString(m_shownReport.startedAt.toLocalTime().time(),
                        QLocale::ShortFormat)));
        } else {
            m_banner->setIdle(tr("Cancelled. Press F5 to inspect again."));
            m_statusLabel->setText(tr("Cancelled"));
        }
        emit inspectionFinished();
        return;
    }
    m_shownReport = m_lastReport;
    showReport(m_lastReport);
    const Endpoint &ep = m_lastReport.endpoint;
    m_statusLabel->setText(tr("%1:%2 inspected at %3 in %4 ms")
                               .arg(ep.host)
                               .arg(ep.port)
                               .arg(QLocale().toString(m_lastReport.startedAt.toLocalTime().time(),
                                   QLocale::ShortFormat))
                               .arg(m_lastReport.totalMs));
    setWindowTitle(m_demoBar ? tr("%1 (demo lab)").arg(ep.host) : ep.host);
    if (m_lastReport.session.needsPassword && !m_passwordGiven)
        m_form->requestPassword(tr("The server asks for a password: enter it and press F5."));
    emit inspectionFinished();
}

void MainWindow::showReport(const InspectionReport &report)
{
    m_banner->setReport(report);
    m_form->bundlePanel()->setLastTrust(report.endpoint.host, report.probe.trust);
    for (ReportView *v : std::as_const(m_views))
        v->setReport(report);
    if (m_saveAction)
        m_saveAction->setEnabled(true);
}

void MainWindow::setRunning(bool running)
{
    m_cancelAction->setEnabled(running);
    m_cancelButton->setEnabled(running);
    m_inspectButton->setToolTip(running
            ? tr("Restart the inspection (F5 or Ctrl+R)")
            : tr("Inspect the endpoint (F5 or Ctrl+R; also runs it again)"));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
    restoreState(settings.value(QLatin1String(kStateKey)).toByteArray());
    m_splitter->restoreState(settings.value(QLatin1String(kSplitterKey)).toByteArray());
    m_tabs->setCurrentIndex(
        qBound(0, settings.value(QLatin1String(kTabKey), 0).toInt(), m_tabs->count() - 1));
}

void MainWindow::saveSettings()
{
    // Layout only: never the password, nor anything typed into the form.
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState());
    settings.setValue(QLatin1String(kSplitterKey), m_splitter->saveState());
    settings.setValue(QLatin1String(kTabKey), m_tabs->currentIndex());
}

} // namespace pgtls::ui
