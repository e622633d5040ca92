// SPDX-License-Identifier: MIT
// pgtls-inspector: parses the command line, names the application (for QSettings), shows the
// window.

#include "Lab.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("pgtls"));
    QApplication::setOrganizationDomain(QStringLiteral("pgtls.invalid"));
    QApplication::setApplicationName(QStringLiteral("pgtls-inspector"));
    QApplication::setApplicationDisplayName(QStringLiteral("PG TLS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pgtls-inspector"));

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
    parser.process(app);

    pgtls::ui::MainWindow window;
    if (parser.isSet(demoOpt)) {
        pgtls::lab::Lab::installTerminationHandlers();
        window.startDemo();
    }
    window.show();
    return app.exec();
}
