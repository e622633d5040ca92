// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTabWidget;

namespace pgtls {
class Inspector;
}

namespace pgtls::ui {

class ChainView;
class DemoBar;
class EndpointForm;
class HostNameView;
class MatrixView;
class RawView;
class ReportView;
class SessionView;
class VerdictBanner;

// The desktop app's window. It assembles the views and starts actions; it renders nothing itself.
// Left: the EndpointForm (scrollable) with Inspect and Cancel beneath it. Right: the VerdictBanner,
// then tabs with the report views. With startDemo(), a DemoBar (scenario switcher) above both.
//
// Inspect (F5, Ctrl+R; also re-runs, restarting one under way) validates the form and runs a
// pgtls::Inspector (full inspection, matrix on request); Cancel (Esc) ends it promptly. Nothing
// blocks: progress arrives through Inspector::stepFinished. inspectionFinished() fires once per
// inspection that ends (completed or cancelled), after every view shows the report.
//
// Geometry, window state, splitter and the current tab are kept in QSettings (the application's
// organisation/name) when the window closes and restored by the next one. The password never is.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the demo lab and shows the scenario switcher; the form is filled and inspected when
    // the lab is up and after every scenario switch. Idempotent.
    void startDemo();

    EndpointForm *form() const { return m_form; }
    VerdictBanner *banner() const { return m_banner; }
    DemoBar *demoBar() const { return m_demoBar; }
    bool isInspecting() const;
    // The last finished inspection's report (empty before the first).
    const InspectionReport &lastReport() const { return m_lastReport; }
    bool lastWasCancelled() const { return m_cancelled; }

public slots:
    // Validates the form (marking invalid fields, no dialog) and starts the inspection.
    void inspect();
    void cancel();

signals:
    void inspectionStarted();
    void inspectionFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void buildActions();
    void restoreSettings();
    void saveSettings();
    void onStep(const QString &step);
    void onFinished();
    void setRunning(bool running);
    void showReport(const InspectionReport &report);

    Inspector *m_inspector;
    EndpointForm *m_form = nullptr;
    QScrollArea *m_formScroll = nullptr;
    QSplitter *m_splitter = nullptr;
    VerdictBanner *m_banner = nullptr;
    QTabWidget *m_tabs = nullptr;
    ChainView *m_chain = nullptr;
    HostNameView *m_hostName = nullptr;
    SessionView *m_session = nullptr;
    MatrixView *m_matrix = nullptr;
    RawView *m_raw = nullptr;
    QList<ReportView *> m_views;
    DemoBar *m_demoBar = nullptr;
    QPushButton *m_inspectButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QAction *m_inspectAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_saveAction = nullptr;
    QLabel *m_statusLabel = nullptr;

    InspectionReport m_lastReport;
    InspectionReport m_shownReport; // the last completed (not cancelled) report: what the views show
    bool m_cancelled = false;
    bool m_passwordGiven = false;
    int m_stepsDone = 0;
    int m_stepsExpected = 0;
};

} // namespace pgtls::ui
