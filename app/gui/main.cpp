// SPDX-License-Identifier: MIT
// pgtls-inspector: minimal first window (the GUI issue replaces it): runs the TLS probe on an
// endpoint, or on the local lab with --demo, and shows the text report.

#include "Endpoint.h"
#include "Inspector.h"
#include "Lab.h"
#include "RootCert.h"
#include "TextReport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>

#include <memory>

using namespace pgtls;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pgtls-inspector"));
    QApplication::setApplicationDisplayName(QStringLiteral("PG TLS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
                                     QApplication::translate("main", "Start the local lab and inspect it."));
    parser.addOption(demoOpt);
    parser.process(app);

    QWidget window;
    window.setWindowTitle(QStringLiteral("PG TLS Inspector"));
    auto *layout = new QVBoxLayout(&window);
    auto *row = new QHBoxLayout;
    auto *conninfo = new QLineEdit;
    conninfo->setObjectName(QStringLiteral("conninfo"));
    conninfo->setPlaceholderText(QApplication::translate("main", "host=... sslrootcert=... or postgresql://..."));
    auto *inspect = new QPushButton(QApplication::translate("main", "Inspect"));
    inspect->setObjectName(QStringLiteral("inspect"));
    row->addWidget(new QLabel(QApplication::translate("main", "Connection:")));
    row->addWidget(conninfo, 1);
    row->addWidget(inspect);
    layout->addLayout(row);
    auto *status = new QLabel;
    status->setObjectName(QStringLiteral("status"));
    status->setWordWrap(true);
    layout->addWidget(status);
    auto *output = new QPlainTextEdit;
    output->setObjectName(QStringLiteral("report"));
    output->setReadOnly(true);
    output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(output, 1);
    window.resize(900, 640);

    Inspector inspector;
    QObject::connect(&inspector, &Inspector::stepFinished, status, [status](const QString &step) {
        status->setText(QApplication::translate("main", "Step done: %1").arg(step));
    });
    QObject::connect(&inspector, &Inspector::finished, &window, [&]() {
        status->setText(inspector.report().summary);
        output->setPlainText(TextReport::render(inspector.report()));
        inspect->setEnabled(true);
    });
    auto startInspection = [&](const Endpoint &ep) {
        InspectionOptions options;
        options.probeOnly = true;
        options.timeoutMs = ep.connectTimeoutSeconds * 1000;
        options.homeDirectory = RootCert::libpqHomeDirectory();
        inspect->setEnabled(false);
        status->setText(QApplication::translate("main", "Inspecting %1 ...").arg(ep.host));
        inspector.start(ep, options);
    };
    QObject::connect(inspect, &QPushButton::clicked, &window, [&]() {
        EndpointInput in;
        in.conninfo = conninfo->text().trimmed();
        in.environment = EndpointResolver::processEnvironment();
        in.osUserName = EndpointResolver::currentOsUser();
        const EndpointResult r = EndpointResolver::resolve(in);
        if (!r.ok()) {
            status->setText(r.error);
            return;
        }
        startInspection(r.endpoint);
    });

    std::unique_ptr<lab::Lab> demoLab;
    if (parser.isSet(demoOpt)) {
        lab::Lab::installTerminationHandlers();
        demoLab = std::make_unique<lab::Lab>();
        status->setText(QApplication::translate("main", "Starting the demo lab ..."));
        QObject::connect(demoLab.get(), &lab::Lab::failed, &window, [status](const QString &message) {
            status->setText(QApplication::translate("main", "The demo lab could not start: %1").arg(message));
        });
        QObject::connect(demoLab.get(), &lab::Lab::started, &window, [&]() {
            conninfo->setText(demoLab->endpoint().toConninfo());
            startInspection(demoLab->endpoint());
        });
        demoLab->start();
    }
    window.show();
    return app.exec();
}
