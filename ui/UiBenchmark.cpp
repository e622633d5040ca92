// SPDX-License-Identifier: MIT
#include "UiBenchmark.h"

#include "DemoBar.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <ctime>

namespace pgtls::ui {

namespace {

qint64 realtimeMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace

UiBenchmark::UiBenchmark(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_lag(5)
{ }

void UiBenchmark::start()
{
    // An application-wide filter only until the first paint: paint events go to the widgets,
    // not to the window.
    qApp->installEventFilter(this);
    connect(m_window, &MainWindow::inspectionFinished, this, &UiBenchmark::onInspectionFinished);
    if (m_window->demoBar()) {
        connect(m_window->demoBar(), &DemoBar::failed, this,
            [this](const QString &message) { finish(false, message); });
    }
    QTimer::singleShot(120000, this, [this] { finish(false, QStringLiteral("timed out")); });
}

bool UiBenchmark::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && m_firstPaintMs < 0 && watched->isWidgetType()
        && static_cast<QWidget *>(watched)->window() == m_window) {
        m_firstPaintMs = UiLagMonitor::msSinceProcessStart();
        m_firstPaintEpochMs = realtimeMs();
        qApp->removeEventFilter(this);
    }
    return QObject::eventFilter(watched, event);
}

void UiBenchmark::onInspectionFinished()
{
    if (m_done)
        return;
    const int phase = m_phase;
    m_inspectMs[phase] = m_window->lastReport().totalMs;
    // Keep measuring while the filled views lay out and repaint.
    QTimer::singleShot(100, this, [this, phase] {
        if (m_measuring) {
            m_lag.stop();
            m_stallMs[phase] = m_lag.maxLagMs();
            m_measuring = false;
        }
        measureNext();
    });
}

void UiBenchmark::measureNext()
{
    if (m_done)
        return;
    if (++m_phase > 2)
        return finish(true);
    if (auto *matrix = m_window->findChild<QCheckBox *>(QStringLiteral("compareAllModes")))
        matrix->setChecked(m_phase == 2);
    m_measuring = true;
    m_lag.start();
    m_window->inspect();
}

void UiBenchmark::finish(bool ok, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_lag.stop();
    QJsonObject o {
        { QStringLiteral("first_paint_ms"), m_firstPaintMs },
        { QStringLiteral("first_paint_epoch_ms"), m_firstPaintEpochMs },
        { QStringLiteral("stall_ms"), m_stallMs[1] },
        { QStringLiteral("stall_matrix_ms"), m_stallMs[2] },
        { QStringLiteral("inspect_ms"), m_inspectMs[1] },
        { QStringLiteral("inspect_matrix_ms"), m_inspectMs[2] },
        { QStringLiteral("first_inspect_ms"), m_inspectMs[0] },
    };
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    emit finished(ok);
}

} // namespace pgtls::ui
