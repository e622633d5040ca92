// SPDX-License-Identifier: MIT
#include "ScreenshotTour.h"

#include "DemoBar.h"
#include "MainWindow.h"

#include <QCheckBox>
#include <QDir>
#include <QPixmap>
#include <QTabWidget>

#include <cstdio>

namespace pgtls::ui {

namespace {

// Time for layouts and the deferred painting of a freshly filled view to settle before a grab.
constexpr int kSettleMs = 120;

QString tabKey(const QWidget *page, int index)
{
    QString name = page->objectName();
    if (name.isEmpty())
        return QStringLiteral("tab%1").arg(index + 1);
    // "hostNameView" -> "host", "chainView" -> "chain": the first camel-case word.
    int end = 1;
    while (end < name.size() && !name.at(end).isUpper())
        ++end;
    return name.left(end).toLower();
}

} // namespace

ScreenshotTour::ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(directory)
    , m_scenarios(lab::allScenarios())
{
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(300000);
    connect(&m_deadline, &QTimer::timeout, this,
        [this] { fail(QStringLiteral("the screenshot tour took longer than 5 minutes")); });
}

void ScreenshotTour::start()
{
    QTimer::singleShot(0, this, [this] {
        if (!m_window)
            return fail(QStringLiteral("no window"));
        if (!QDir().mkpath(m_directory))
            return fail(QStringLiteral("cannot create %1").arg(m_directory));
        m_deadline.start();
        m_window->resize(m_size);
        if (auto *matrix = m_window->findChild<QCheckBox *>(QStringLiteral("compareAllModes")))
            matrix->setChecked(true);
        connect(m_window, &MainWindow::inspectionFinished, this, &ScreenshotTour::onInspected);
        m_window->startDemo();
        connect(m_window->demoBar(), &DemoBar::failed, this,
            [this](const QString &message) { fail(QStringLiteral("demo lab: %1").arg(message)); });
    });
}

void ScreenshotTour::onInspected()
{
    if (m_done || !m_pendingTabs.isEmpty() || m_index >= m_scenarios.size())
        return;
    if (m_window->demoBar()->scenario() != m_scenarios.at(m_index))
        return; // an inspection of an earlier scenario, restarted; wait for the current one
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("reportTabs"));
    if (!tabs)
        return fail(QStringLiteral("no reportTabs"));
    m_pendingTabs << -1;
    for (int i = 0; i < tabs->count(); ++i)
        m_pendingTabs << i;
    tabs->setCurrentIndex(0);
    QTimer::singleShot(kSettleMs, this, &ScreenshotTour::captureNext);
}

void ScreenshotTour::captureNext()
{
    if (m_done)
        return;
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("reportTabs"));
    const QString scenario = lab::scenarioName(m_scenarios.at(m_index));
    const int tab = m_pendingTabs.takeFirst();
    bool ok;
    if (tab < 0) {
        ok = save(m_window, scenario + QLatin1String("-window"));
    } else {
        // The banner with the tab below it: the view in the context of its verdict.
        ok = save(
            tabs->parentWidget(), scenario + QLatin1Char('-') + tabKey(tabs->widget(tab), tab));
    }
    if (!ok)
        return;
    if (!m_pendingTabs.isEmpty()) {
        tabs->setCurrentIndex(qMax(0, m_pendingTabs.first()));
        QTimer::singleShot(kSettleMs, this, &ScreenshotTour::captureNext);
        return;
    }
    tabs->setCurrentIndex(0);
    if (++m_index >= m_scenarios.size())
        return finish(true);
    m_window->demoBar()->setScenario(m_scenarios.at(m_index));
}

bool ScreenshotTour::save(QWidget *widget, const QString &name)
{
    const QString path = QDir(m_directory).filePath(name + QLatin1String(".png"));
    // For PNG, quality 0 is the strongest zlib compression (lossless either way).
    if (!widget->grab().save(path, "PNG", 0)) {
        fail(QStringLiteral("cannot write %1").arg(path));
        return false;
    }
    std::fprintf(stderr, "screenshot: %s\n", qPrintable(path));
    return true;
}

void ScreenshotTour::fail(const QString &message)
{
    std::fprintf(stderr, "screenshots: %s\n", qPrintable(message));
    finish(false);
}

void ScreenshotTour::finish(bool ok)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    emit finished(ok);
}

} // namespace pgtls::ui
