// SPDX-License-Identifier: MIT
// pgtls-check: the command-line front end of PG TLS Inspector. Parses arguments, wires the engine,
// runs the event loop; everything it reports comes from pgtls_core.

#include "Endpoint.h"
#include "Inspector.h"
#include "Lab.h"
#include "ReportJson.h"
#include "RootCert.h"
#include "TextReport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

using namespace pgtls;

namespace {

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInternal = 3 };

QString tr(const char *text)
{
    return QCoreApplication::translate("pgtls-check", text);
}

void printErr(const QString &message)
{
    QTextStream(stderr) << "pgtls-check: " << message << '\n';
}

const char *const kDescription =
    "Shows how a PostgreSQL connection is secured: TLS offered or not, the certificate chain the server\n"
    "sends, whether it verifies against your CA bundle the way libpq does, and whether the host name\n"
    "matches the certificate by libpq's rules.\n"
    "\n"
    "CONNINFO is a libpq connection string (\"host=... sslmode=...\") or a postgresql:// URI; its values\n"
    "override -h/-p/-U as in psql. libpq's environment variables (PGHOST, PGHOSTADDR, PGPORT, PGUSER,\n"
    "PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT, PGSERVICE) are honoured like psql does.\n"
    "A password is never accepted as an option.\n"
    "\n"
    "Exit codes: 0 the probe succeeded and verified as the sslmode asks (as libpq would: TLS offered;\n"
    "for verify-ca/verify-full, or whenever the CA file exists, the chain verified; for verify-full the\n"
    "host name matched); 1 it failed (network, TLS, verification); 2 usage error or unreadable input;\n"
    "3 internal error.\n"
    "\n"
    "Examples:\n"
    "  pgtls-check --probe-only -h mydb.abc123.eu-west-1.rds.amazonaws.com --sslrootcert global-bundle.pem\n"
    "  pgtls-check --probe-only --json \"postgresql://app@db.example.com/app?sslmode=verify-ca\"\n"
    "  pgtls-check --probe-only --demo --scenario alias";

// --lab: start the lab, say how to reach it, keep it until SIGINT/SIGTERM.
int runLab(const QString &scenarioName, bool json)
{
    const auto scenario = lab::parseScenario(scenarioName);
    if (!scenario) {
        printErr(tr("--scenario: unknown scenario \"%1\"").arg(scenarioName));
        return ExitUsage;
    }
    lab::Lab::installTerminationHandlers();
    lab::Lab labServer;
    QObject::connect(&labServer, &lab::Lab::failed, &labServer, [](const QString &message) {
        printErr(QCoreApplication::translate("pgtls-check", "the lab failed: %1").arg(message));
        QCoreApplication::exit(ExitInternal);
    });
    QObject::connect(&labServer, &lab::Lab::started, &labServer, [&labServer, json]() {
        const Endpoint ep = labServer.endpoint();
        QTextStream out(stdout);
        if (json) {
            out << QJsonDocument(QJsonObject{
                       { QStringLiteral("host"), ep.host },
                       { QStringLiteral("alias"), lab::Lab::aliasHostName() },
                       { QStringLiteral("hostaddr"), ep.hostaddr },
                       { QStringLiteral("port"), ep.port },
                       { QStringLiteral("dbname"), ep.dbname },
                       { QStringLiteral("user"), ep.user },
                       { QStringLiteral("sslrootcert"), ep.sslrootcert },
                       { QStringLiteral("passfile"), ep.passfile },
                       { QStringLiteral("scenario"), lab::scenarioName(labServer.scenario()) },
                       { QStringLiteral("started_ms"), labServer.startMilliseconds() } })
                       .toJson(QJsonDocument::Compact)
                << '\n';
        } else {
            out << tr("Lab running (scenario \"%1\", started in %2 ms). Stop it with Ctrl-C.")
                       .arg(lab::scenarioName(labServer.scenario()))
                       .arg(labServer.startMilliseconds())
                << '\n'
                << tr("  psql:        PGPASSFILE=%1 psql \"%2\"").arg(ep.passfile, ep.toConninfo()) << '\n'
                << tr("  pgtls-check: pgtls-check --probe-only \"%1\"").arg(ep.toConninfo()) << '\n';
        }
        out.flush();
    });
    labServer.start(*scenario);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pgtls-check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(kDescription));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption helpOpt({ QStringLiteral("help") }, tr("Show this help and exit."));
    const QCommandLineOption versionOpt({ QStringLiteral("version") }, tr("Show the version and exit."));
    const QCommandLineOption hostOpt({ QStringLiteral("h"), QStringLiteral("host") },
                                     tr("Server host name: checked against the certificate and sent as SNI."),
                                     QStringLiteral("HOST"));
    const QCommandLineOption portOpt({ QStringLiteral("p"), QStringLiteral("port") }, tr("Server port (default 5432)."),
                                     QStringLiteral("PORT"));
    const QCommandLineOption dbOpt({ QStringLiteral("d"), QStringLiteral("dbname") }, tr("Database name."),
                                   QStringLiteral("DBNAME"));
    const QCommandLineOption userOpt({ QStringLiteral("U"), QStringLiteral("user") }, tr("User name."),
                                     QStringLiteral("USER"));
    const QCommandLineOption hostaddrOpt(
        { QStringLiteral("hostaddr") },
        tr("Connect to this IP address instead of resolving HOST; the certificate is still checked against HOST."),
        QStringLiteral("ADDR"));
    const QCommandLineOption sslmodeOpt({ QStringLiteral("sslmode") },
                                        tr("disable, allow, prefer, require, verify-ca or verify-full "
                                           "(default: verify-full, or PGSSLMODE)."),
                                        QStringLiteral("MODE"));
    const QCommandLineOption rootcertOpt(
        { QStringLiteral("sslrootcert") },
        tr("CA bundle (PEM) to verify the server against; default as libpq: ~/.postgresql/root.crt."),
        QStringLiteral("FILE"));
    const QCommandLineOption probeOnlyOpt({ QStringLiteral("probe-only") },
                                          tr("TLS handshake and certificate checks only; no login."));
    const QCommandLineOption matrixOpt({ QStringLiteral("matrix") }, tr("Try all six sslmodes (needs the session)."));
    const QCommandLineOption jsonOpt({ QStringLiteral("json") }, tr("Print the report as JSON on stdout."));
    const QCommandLineOption timeoutOpt({ QStringLiteral("timeout") },
                                        tr("Bound for the whole inspection, in seconds (default 10)."),
                                        QStringLiteral("SECONDS"));
    const QCommandLineOption demoOpt({ QStringLiteral("demo") },
                                     tr("Start the local lab (a throwaway TLS PostgreSQL with an RDS-like chain) "
                                        "and inspect it."));
    const QCommandLineOption labOpt({ QStringLiteral("lab") },
                                    tr("Start the demo lab and keep it running until interrupted (Ctrl-C); print how "
                                       "to connect to it (as JSON with --json). For trainers, psql and benchmarks."));
    const QCommandLineOption scenarioOpt(
        { QStringLiteral("scenario") },
        tr("With --demo: correct, alias, unknown-ca, expired, plaintext-accepted, no-sslinfo or ssl-off."),
        QStringLiteral("NAME"), QStringLiteral("correct"));
    parser.addOptions({ helpOpt, versionOpt, hostOpt, portOpt, dbOpt, userOpt, hostaddrOpt, sslmodeOpt, rootcertOpt,
                        probeOnlyOpt, matrixOpt, jsonOpt, timeoutOpt, demoOpt, labOpt, scenarioOpt });
    parser.addPositionalArgument(QStringLiteral("CONNINFO"),
                                 tr("Connection string or postgresql:// URI (optional)."),
                                 QStringLiteral("[CONNINFO | postgresql://URI]"));

    if (!parser.parse(QCoreApplication::arguments())) {
        printErr(parser.errorText());
        printErr(tr("try --help"));
        return ExitUsage;
    }
    if (parser.isSet(helpOpt)) {
        QTextStream(stdout) << parser.helpText();
        return ExitOk;
    }
    if (parser.isSet(versionOpt)) {
        QTextStream(stdout) << "pgtls-check " << PGTLS_VERSION << '\n';
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        printErr(tr("too many arguments: %1 (quote the connection string)").arg(positional.join(QLatin1Char(' '))));
        return ExitUsage;
    }
    if (parser.isSet(labOpt))
        return runLab(parser.value(scenarioOpt), parser.isSet(jsonOpt));
    if (!parser.isSet(probeOnlyOpt)) {
        printErr(tr("this version inspects with --probe-only (TLS and certificates, no login); "
                    "the libpq session, the plaintext test and --matrix are not available yet"));
        return ExitUsage;
    }
    if (parser.isSet(matrixOpt)) {
        printErr(tr("--matrix needs the libpq session, which this version does not have yet"));
        return ExitUsage;
    }

    int timeoutSeconds = 10;
    if (parser.isSet(timeoutOpt)) {
        bool ok = false;
        timeoutSeconds = parser.value(timeoutOpt).toInt(&ok);
        if (!ok || timeoutSeconds < 1 || timeoutSeconds > 3600) {
            printErr(tr("--timeout: \"%1\" is not a number of seconds between 1 and 3600").arg(parser.value(timeoutOpt)));
            return ExitUsage;
        }
    }

    const bool json = parser.isSet(jsonOpt);
    Inspector inspector;
    InspectionOptions options;
    options.probeOnly = true;
    options.timeoutMs = timeoutSeconds * 1000;
    options.homeDirectory = RootCert::libpqHomeDirectory();

    auto report = [&]() {
        const InspectionReport &r = inspector.report();
        if (json)
            QTextStream(stdout) << QString::fromUtf8(ReportJson::toBytes(r));
        else
            QTextStream(stdout) << TextReport::render(r);
        QCoreApplication::exit(r.ok ? ExitOk : ExitFailed);
    };
    QObject::connect(&inspector, &Inspector::finished, &app, report);

    std::unique_ptr<lab::Lab> demoLab;
    if (parser.isSet(demoOpt)) {
        const auto scenario = lab::parseScenario(parser.value(scenarioOpt));
        if (!scenario) {
            printErr(tr("--scenario: unknown scenario \"%1\"").arg(parser.value(scenarioOpt)));
            return ExitUsage;
        }
        lab::Lab::installTerminationHandlers();
        demoLab = std::make_unique<lab::Lab>();
        QObject::connect(demoLab.get(), &lab::Lab::failed, &app, [](const QString &message) {
            printErr(QCoreApplication::translate("pgtls-check", "the demo lab could not start: %1").arg(message));
            QCoreApplication::exit(ExitInternal);
        });
        QObject::connect(demoLab.get(), &lab::Lab::started, &app, [&]() {
            Endpoint ep = demoLab->endpoint();
            if (parser.isSet(sslmodeOpt)) {
                const auto mode = parseSslMode(parser.value(sslmodeOpt));
                if (!mode) {
                    printErr(tr("--sslmode: \"%1\" is not an sslmode").arg(parser.value(sslmodeOpt)));
                    QCoreApplication::exit(ExitUsage);
                    return;
                }
                ep.sslmode = *mode;
            }
            if (!json) {
                QTextStream(stderr) << tr("Demo lab: PostgreSQL on 127.0.0.1:%1, scenario \"%2\": %3")
                                           .arg(demoLab->port())
                                           .arg(lab::scenarioName(demoLab->scenario()),
                                                lab::scenarioDescription(demoLab->scenario()))
                                    << '\n';
            }
            inspector.start(ep, options);
        });
        demoLab->start(*scenario);
    } else {
        EndpointInput in;
        in.host = parser.value(hostOpt);
        in.port = parser.value(portOpt);
        in.dbname = parser.value(dbOpt);
        in.user = parser.value(userOpt);
        in.hostaddr = parser.value(hostaddrOpt);
        in.sslmode = parser.value(sslmodeOpt);
        in.sslrootcert = parser.value(rootcertOpt);
        in.conninfo = positional.value(0);
        in.environment = EndpointResolver::processEnvironment();
        in.osUserName = EndpointResolver::currentOsUser();
        const EndpointResult resolved = EndpointResolver::resolve(in);
        if (!resolved.ok()) {
            printErr(resolved.error);
            return ExitUsage;
        }
        for (const QString &w : resolved.warnings)
            printErr(w);
        const Endpoint &ep = resolved.endpoint;
        // An explicitly named CA file must be usable: naming a file that is not there is a usage error.
        if (!ep.sslrootcert.isEmpty()) {
            const QFileInfo fi(ep.sslrootcert);
            const QString from = ep.sources.value(QStringLiteral("sslrootcert")) == QLatin1String("flag")
                ? QStringLiteral("--sslrootcert")
                : QStringLiteral("sslrootcert");
            if (!fi.exists()) {
                printErr(tr("%1: file \"%2\" does not exist").arg(from, ep.sslrootcert));
                return ExitUsage;
            }
            if (fi.isDir()) {
                printErr(tr("%1: \"%2\" is a directory, not a file of CA certificates").arg(from, ep.sslrootcert));
                return ExitUsage;
            }
            if (!fi.isReadable()) {
                printErr(tr("%1: file \"%2\" is not readable (permissions)").arg(from, ep.sslrootcert));
                return ExitUsage;
            }
        }
        options.timeoutMs = qMin(options.timeoutMs, parser.isSet(timeoutOpt) ? options.timeoutMs
                                                                              : ep.connectTimeoutSeconds * 1000);
        inspector.start(ep, options);
    }
    return app.exec();
}
