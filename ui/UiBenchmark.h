// SPDX-License-Identifier: MIT
#pragma once

#include "UiLagMonitor.h"

#include <QPointer>

namespace pgtls::ui {

class MainWindow;

// `pgtls-inspector --demo --measure` (tests/bench/gui.sh): measures
//   - process start to the first paint of the window: UiLagMonitor::msSinceProcessStart() at the
//     first QEvent::Paint of any widget in the window, and the CLOCK_REALTIME of that moment (ms
//     since the epoch) so a script can measure from its own clock;
//   - the longest UI-thread stall (UiLagMonitor, 5 ms ticks) during an inspection of the demo lab,
//     from just before MainWindow::inspect() until 100 ms after inspectionFinished (so the
//     repaint of the filled views counts), once without and once with the sslmode matrix.
// Then prints one JSON line on stdout and emits finished() once (false if the lab failed or it
// took over two minutes). Reads only public MainWindow API and objectNames.
//
// Call start() before the window is shown, and after MainWindow::startDemo().
class UiBenchmark : public QObject
{
    Q_OBJECT
public:
    explicit UiBenchmark(MainWindow *window, QObject *parent = nullptr);
    void start();

signals:
    void finished(bool ok);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onInspectionFinished();
    void measureNext();
    void finish(bool ok, const QString &error = QString());

    QPointer<MainWindow> m_window;
    UiLagMonitor m_lag;
    qint64 m_firstPaintMs = -1;
    qint64 m_firstPaintEpochMs = -1;
    int m_phase = 0; // 0: the demo's own first inspection; 1: matrix off; 2: matrix on
    bool m_measuring = false;
    qint64 m_stallMs[3] = { -1, -1, -1 };
    qint64 m_inspectMs[3] = { -1, -1, -1 };
    bool m_done = false;
};

} // namespace pgtls::ui
