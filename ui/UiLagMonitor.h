// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace pgtls::ui {

// Measures how long the UI thread's event loop stalls: a timer asks to run every `intervalMs`;
// the lateness of each tick beyond that is a stall. For the GUI benchmark (--measure), not for
// assertions in tests.
class UiLagMonitor : public QObject
{
    Q_OBJECT
public:
    explicit UiLagMonitor(int intervalMs = 5, QObject *parent = nullptr);
    void start();
    void stop();
    qint64 maxLagMs() const { return m_maxLagMs; }
    qint64 ticks() const { return m_ticks; }

    // Milliseconds since this process was started by the kernel (/proc/self/stat), for
    // "process start to first paint".
    static qint64 msSinceProcessStart();

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxLagMs = 0;
    qint64 m_ticks = 0;
    int m_intervalMs;
};

} // namespace pgtls::ui
