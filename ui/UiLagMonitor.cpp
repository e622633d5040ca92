// SPDX-License-Identifier: MIT
#include "UiLagMonitor.h"

#include <QFile>

#include <ctime>
#include <unistd.h>

namespace pgtls::ui {

UiLagMonitor::UiLagMonitor(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &UiLagMonitor::tick);
}

void UiLagMonitor::start()
{
    m_maxLagMs = 0;
    m_ticks = 0;
    m_clock.start();
    m_last = 0;
    m_timer.start();
}

void UiLagMonitor::stop()
{
    m_timer.stop();
}

void UiLagMonitor::tick()
{
    const qint64 now = m_clock.elapsed();
    m_maxLagMs = qMax(m_maxLagMs, now - m_last - m_intervalMs);
    m_last = now;
    ++m_ticks;
}

qint64 UiLagMonitor::msSinceProcessStart()
{
    // Field 22 of /proc/self/stat: start time in clock ticks since boot; compare with CLOCK_BOOTTIME.
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    const int close = line.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const qint64 startTicks = fields.at(19).toLongLong(); // field 22 overall, 20th after "pid (comm)"
    const long hz = sysconf(_SC_CLK_TCK);
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    const qint64 nowMs = qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    return nowMs - startTicks * 1000 / hz;
}

} // namespace pgtls::ui
