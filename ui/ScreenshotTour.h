// SPDX-License-Identifier: MIT
#pragma once

#include "Lab.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QTimer>

namespace pgtls::ui {

class MainWindow;

// `pgtls-inspector --screenshots DIR`: drives a MainWindow through every demo-lab scenario with
// the sslmode matrix on and, after each inspection, writes with QWidget::grab()
//   DIR/<scenario>-window.png        the whole window (first tab showing)
//   DIR/<scenario>-<tab>.png         the verdict banner and that tab, for every tab present
// where <tab> is the first word of the tab page's objectName ("chain", "host", "session",
// "matrix", "raw", ...). The window is resized to `size` first. Only public MainWindow API and
// objectNames are used.
//
// start() reports nothing synchronously; finished() fires exactly once: true after the last
// scenario, false on the first failure (lab failure, unwritable file, overall timeout; the reason
// goes to stderr).
class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent = nullptr);

    void setWindowSize(const QSize &size) { m_size = size; }
    // Starts the demo lab on the window (MainWindow::startDemo) unless it runs already.
    void start();

signals:
    void finished(bool ok);

private:
    void onInspected();
    void captureNext();
    void fail(const QString &message);
    void finish(bool ok);
    bool save(QWidget *widget, const QString &name);

    QPointer<MainWindow> m_window;
    QString m_directory;
    QSize m_size { 1400, 900 };
    QList<lab::Scenario> m_scenarios;
    int m_index = 0; // scenario being captured
    QList<int> m_pendingTabs; // -1: the whole window
    QTimer m_deadline;
    bool m_done = false;
};

} // namespace pgtls::ui
