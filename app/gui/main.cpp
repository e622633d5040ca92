// SPDX-License-Identifier: MIT
// pgtls-inspector: parses the command line, names the application (for QSettings), shows the
// window. Two hidden tool modes run the demo and quit: --screenshots DIR (scripts/screenshots.sh)
// and --measure (tests/bench/gui.sh); they keep QSettings in a throwaway directory so they neither
// read nor change the user's.

#include "Lab.h"
#include "MainWindow.h"
#include "ProcessHygiene.h"
#include "ScreenshotTour.h"
#include "Translations.h"
#include "UiBenchmark.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTemporaryDir>

#include <optional>

namespace {

struct Options
{
    QCommandLineOption demo { QStringLiteral("demo"),
        QCoreApplication::translate("main",
            "Start the local demo lab and inspect it; the lab stops when the app quits.") };
    QCommandLineOption screenshots { QStringLiteral("screenshots"),
        QCoreApplication::translate(
            "main", "Render every view for every demo scenario into DIR, then quit."),
        QStringLiteral("DIR") };
    QCommandLineOption measure { QStringLiteral("measure"),
        QCoreApplication::translate("main", "Print start-up and UI stall timings as JSON, then quit.") };
    QCommandLineOption windowSize { QStringLiteral("window-size"),
        QCoreApplication::translate("main", "With --screenshots: the window's size, WIDTHxHEIGHT."),
        QStringLiteral("WxH"), QStringLiteral("1400x900") };
};

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("pgtls"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("pgtls.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("pgtls-inspector"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));
}

void describe(QCommandLineParser &parser, Options &o)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Shows exactly how a PostgreSQL connection is secured."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(o.demo);
    o.screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(o.screenshots);
    o.measure.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(o.measure);
    o.windowSize.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(o.windowSize);
}

// --help, --version and bad options need no display: they are answered before a QApplication
// (which needs one) exists.
bool answersWithoutDisplay(int argc, char **argv)
{
    QStringList args; // the program's name first, as parse() expects
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    Options o;
    describe(parser, o);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions); // -style is one word
    if (!parser.parse(args)) {
        // Qt's own GUI arguments (-platform offscreen, -style Fusion, ...) are QApplication's to
        // take; any other unknown option is an error process() prints (exit 1) without a display.
        static const QStringList qtGuiOptions = { QStringLiteral("platform"),
            QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
            QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"),
            QStringLiteral("qwindowicon"), QStringLiteral("qwindowtitle"), QStringLiteral("reverse"),
            QStringLiteral("session"), QStringLiteral("style"), QStringLiteral("stylesheet"),
            QStringLiteral("widgetcount"), QStringLiteral("display"), QStringLiteral("geometry"),
            QStringLiteral("title"), QStringLiteral("name"), QStringLiteral("visual"),
            QStringLiteral("sync"), QStringLiteral("qmljsdebugger"), QStringLiteral("nograb"),
            QStringLiteral("dograb") };
        const QStringList unknown = parser.unknownOptionNames();
        for (const QString &name : unknown) {
            if (qtGuiOptions.contains(name))
                return false;
        }
        return true;
    }
    return parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))
        || parser.isSet(QStringLiteral("version"));
}

} // namespace

int main(int argc, char **argv)
{
    // A password may arrive (typed, from the keychain): no core dump, no reading of our memory by
    // another process of the user, from the very start.
    pgtls::ProcessHygiene::protectSecrets();
    if (answersWithoutDisplay(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameApplication();
        pgtls::Translations::install(&app, QLocale::system());
        QCommandLineParser parser;
        Options o;
        describe(parser, o);
        parser.process(app); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    nameApplication();
    pgtls::Translations::install(&app, QLocale::system());
    QApplication::setApplicationDisplayName(QStringLiteral("PG TLS Inspector"));
    QApplication::setDesktopFileName(QStringLiteral("io.github.pgtls.Inspector"));

    QCommandLineParser parser;
    Options o;
    describe(parser, o);
    parser.process(app);
    QSize windowSize;
    {
        const QStringList wh = parser.value(o.windowSize).split(QLatin1Char('x'));
        if (wh.size() == 2)
            windowSize = QSize(wh.at(0).toInt(), wh.at(1).toInt());
        if (!windowSize.isValid() || windowSize.width() < 200 || windowSize.height() < 200) {
            qCritical("--window-size: expected WIDTHxHEIGHT, e.g. 1024x700");
            return 2;
        }
    }

    const bool screenshots = parser.isSet(o.screenshots);
    const bool measure = parser.isSet(o.measure);
    std::optional<QTemporaryDir> settingsDir;
    if (screenshots || measure) {
        settingsDir.emplace();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir->path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir->path());
    }

    pgtls::ui::MainWindow window;
    const auto quitWith = [&app](bool ok) { app.exit(ok ? 0 : 1); };
    pgtls::ui::ScreenshotTour tour(&window, parser.value(o.screenshots));
    tour.setWindowSize(windowSize);
    pgtls::ui::UiBenchmark benchmark(&window);
    if (parser.isSet(o.demo) || screenshots || measure)
        pgtls::lab::Lab::installTerminationHandlers();
    if (screenshots) {
        QObject::connect(&tour, &pgtls::ui::ScreenshotTour::finished, &app, quitWith);
        tour.start();
    } else if (parser.isSet(o.demo) || measure) {
        window.startDemo();
    }
    if (measure && !screenshots) {
        QObject::connect(&benchmark, &pgtls::ui::UiBenchmark::finished, &app, quitWith);
        benchmark.start();
    }
    window.show();
    return app.exec();
}
