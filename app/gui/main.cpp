// SPDX-License-Identifier: MIT
// pgtls-inspector: parses the command line, names the application (for QSettings), shows the
// window. Two hidden tool modes run the demo and quit: --screenshots DIR (scripts/screenshots.sh)
// and --measure (tests/bench/gui.sh); they keep QSettings in a throwaway directory so they neither
// read nor change the user's.

#include "Lab.h"
#include "MainWindow.h"
#include "ProcessHygiene.h"
#include "ScreenshotTour.h"
#include "UiBenchmark.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTemporaryDir>

#include <optional>

int main(int argc, char **argv)
{
    // A password may arrive (typed, from the keychain): no core dump, no reading of our memory by
    // another process of the user, from the very start.
    pgtls::ProcessHygiene::protectSecrets();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("pgtls"));
    QApplication::setOrganizationDomain(QStringLiteral("pgtls.invalid"));
    QApplication::setApplicationName(QStringLiteral("pgtls-inspector"));
    QApplication::setApplicationDisplayName(QStringLiteral("PG TLS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.pgtls.Inspector"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Shows exactly how a PostgreSQL connection is secured."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
        QApplication::translate("main",
            "Start the local demo lab and inspect it; "
            "the lab stops when the app quits."));
    parser.addOption(demoOpt);
    QCommandLineOption screenshotsOpt(QStringLiteral("screenshots"),
        QApplication::translate(
            "main", "Render every view for every demo scenario into DIR, then quit."),
        QStringLiteral("DIR"));
    screenshotsOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotsOpt);
    QCommandLineOption measureOpt(QStringLiteral("measure"),
        QApplication::translate("main", "Print start-up and UI stall timings as JSON, then quit."));
    measureOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(measureOpt);
    QCommandLineOption sizeOpt(QStringLiteral("window-size"),
        QApplication::translate("main", "With --screenshots: the window's size, WIDTHxHEIGHT."),
        QStringLiteral("WxH"), QStringLiteral("1400x900"));
    sizeOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(sizeOpt);
    parser.process(app);
    QSize windowSize;
    {
        const QStringList wh = parser.value(sizeOpt).split(QLatin1Char('x'));
        if (wh.size() == 2)
            windowSize = QSize(wh.at(0).toInt(), wh.at(1).toInt());
        if (!windowSize.isValid() || windowSize.width() < 200 || windowSize.height() < 200) {
            qCritical("--window-size: expected WIDTHxHEIGHT, e.g. 1024x700");
            return 2;
        }
    }

    const bool screenshots = parser.isSet(screenshotsOpt);
    const bool measure = parser.isSet(measureOpt);
    std::optional<QTemporaryDir> settingsDir;
    if (screenshots || measure) {
        settingsDir.emplace();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir->path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir->path());
    }

    pgtls::ui::MainWindow window;
    const auto quitWith = [&app](bool ok) { app.exit(ok ? 0 : 1); };
    pgtls::ui::ScreenshotTour tour(&window, parser.value(screenshotsOpt));
    tour.setWindowSize(windowSize);
    pgtls::ui::UiBenchmark benchmark(&window);
    if (parser.isSet(demoOpt) || screenshots || measure)
        pgtls::lab::Lab::installTerminationHandlers();
    if (screenshots) {
        QObject::connect(&tour, &pgtls::ui::ScreenshotTour::finished, &app, quitWith);
        tour.start();
    } else if (parser.isSet(demoOpt) || measure) {
        window.startDemo();
    }
    if (measure && !screenshots) {
        QObject::connect(&benchmark, &pgtls::ui::UiBenchmark::finished, &app, quitWith);
        benchmark.start();
    }
    window.show();
    return app.exec();
}
