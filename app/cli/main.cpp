// SPDX-License-Identifier: MIT
// pgtls-check: the command-line front end of PG TLS Inspector. Parses arguments, wires the engine,
// runs the event loop; everything it reports comes from pgtls_core.

#include "BundleDownloader.h"
#include "CaBundle.h"
#include "BundleCommand.h"
#include "CertificateInfo.h"
#include "ClientFiles.h"
#include "Endpoint.h"
#include "Inspector.h"
#include "Lab.h"
#include "ProblemCatalog.h"
#include "ProcessHygiene.h"
#include "RdsTrustStore.h"
#include "ReportHtml.h"
#include "ReportJson.h"
#include "RootCert.h"
#include "SafeFile.h"
#include "TextReport.h"
#include "Translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

#include <termios.h>
#include <unistd.h>

using namespace pgtls;

namespace {

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInternal = 3 };

void printErr(const QString &message)
{
    QTextStream(stderr) << "pgtls-check: " << message << '\n';
}

// Reads a line from the terminal with echo off (as psql's simple_prompt does).
QString readPassword(const QString &prompt)
{
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin;
    FILE *out = tty ? tty : stderr;
    fputs(prompt.toLocal8Bit().constData(), out);
    fflush(out);
    struct termios old;
    const bool haveTermios = tcgetattr(fileno(in), &old) == 0;
    if (haveTermios) {
        struct termios noEcho = old;
        noEcho.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(fileno(in), TCSANOW, &noEcho);
    }
    char buf[1024] = {};
    const bool got = fgets(buf, sizeof buf, in) != nullptr;
    if (haveTermios)
        tcsetattr(fileno(in), TCSANOW, &old);
    fputs("\n", out);
    if (tty)
        fclose(tty);
    QString password = got ? QString::fromLocal8Bit(buf).chopped(QByteArray(buf).endsWith('\n') ? 1 : 0) : QString();
    memset(buf, 0, sizeof buf);
    return password;
}

// Files named on the command line, in the connection string or the environment, looked at once
// before anything starts, without ever blocking: a CA file, client certificate, key or revocation
// list that libpq would hang on (a FIFO, a device, a huge file) is a usage error: neither libpq nor
// psql would ever come back from it. Everything libpq itself copes with is the inspection's to
// report, as libpq's outcome, never a usage error: a named CA file that does not exist (libpq then
// checks nothing under allow/prefer/require and fails under verify-*), one that holds no
// certificate, a directory, an unreadable file (libpq fails with "could not read root certificate
// file"; prefer then retries without TLS). libpq's default files under ~/.postgresql likewise.
int checkNamedFiles(const Endpoint &ep, const QString &homeDir)
{
    auto sourceOf = [&ep](const QString &keyword) {
        return ep.sources.value(keyword) == QLatin1String("flag") ? QStringLiteral("--") + keyword
                                                                  : keyword;
    };
    auto fail = [](const QString &message) {
        printErr(TextReport::sanitize(message));
        return int(ExitUsage);
    };
    if (!ep.sslrootcert.isEmpty()) {
        const QString from = sourceOf(QStringLiteral("sslrootcert"));
        const QString &path = ep.sslrootcert;
        // Only a look (stat(), an O_NONBLOCK open of a regular file): a FIFO is never opened for
        // a blocking read, /dev/zero is never read at all.
        const SafeFileStatus ca = SafeFile::check(path, CaBundle::maxBytes);
        switch (ca.kind) {
        case SafeFileStatus::Kind::Fifo:
            return fail(QCoreApplication::translate("pgtls-check",
                "%1: \"%2\" is a named pipe (FIFO), not a file of CA certificates: reading it "
                "would wait for a writer for ever (libpq and psql would hang on it)")
                            .arg(from, path));
        case SafeFileStatus::Kind::Device:
            return fail(QCoreApplication::translate("pgtls-check",
                "%1: \"%2\" is a device, not a file of CA certificates: reading it would never "
                "end (libpq and psql would hang on it)")
                            .arg(from, path));
        case SafeFileStatus::Kind::TooLarge:
            return fail(QCoreApplication::translate("pgtls-check",
                "%1: \"%2\" is %3 MiB, over the limit of 16 MiB: it is not a file of CA "
                "certificates (the RDS global bundle is 162 KiB)")
                            .arg(from, path,
                                QString::number(double(ca.size) / (1024.0 * 1024.0), 'f', 1)));
        case SafeFileStatus::Kind::Regular:
        case SafeFileStatus::Kind::Missing:
        case SafeFileStatus::Kind::Directory:
        case SafeFileStatus::Kind::Socket:
        case SafeFileStatus::Kind::SymLink:
        case SafeFileStatus::Kind::Unreadable:
            // libpq's to judge, and the report's to explain (RootCert, the verdict).
            break;
        }
    }
    // The other files libpq would open itself (the client certificate and key, the revocation
    // lists), named ones only, in any TLS mode (as for the CA file, the mode does not matter).
    const SslMode mode = ep.sslmode == SslMode::Disable ? SslMode::Require : ep.sslmode;
    for (const ClientFileIssue &issue : ClientFiles::check(ep, mode, homeDir)) {
        if (issue.isDefault || issue.keyword == QLatin1String("sslrootcert"))
            continue;
        const QString keyword = issue.keyword == QLatin1String("sslcrldir")
            ? issue.keyword
            : sourceOf(issue.keyword);
        return fail(QStringLiteral("%1: %2").arg(keyword, issue.message));
    }
    return ExitOk;
}

const char *const kDescription =
    "Shows how a PostgreSQL connection is secured: TLS offered or not, the certificate chain the server\n"
    "sends, whether it verifies against your CA bundle the way libpq does, and whether the host name\n"
    "matches the certificate by libpq's rules.\n"
    "\n"
    "CONNINFO is a libpq connection string (\"host=... sslmode=...\") or a postgresql:// URI; its values\n"
    "override -h/-p/-U as in psql. libpq's environment variables (PGHOST, PGHOSTADDR, PGPORT, PGUSER,\n"
    "PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT, PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR,\n"
    "PGREQUIRESSL) are honoured like psql does. Neither a password nor the client key's passphrase\n"
    "(sslpassword) is accepted on the command line.\n"
    "\n"
    "Without --probe-only it also connects with libpq in the chosen sslmode (the password comes from\n"
    "PGPASSWORD or ~/.pgpass, or is asked for on the terminal), asks the server for its view\n"
    "(ssl_is_used(), pg_stat_ssl, ssl, rds.force_ssl), and tests whether the server accepts unencrypted\n"
    "connections (without ever sending a password for that test).\n"
    "\n"
    "CA bundles: `pgtls-check bundle info FILE` shows what a bundle holds (RDS CAs, regions, expiry);\n"
    "`pgtls-check bundle download` fetches the official RDS bundle (see `pgtls-check bundle --help`).\n"
    "\n"
    "Exit codes: 0 the requested connection succeeded with the requested protection (with --probe-only:\n"
    "libpq's TLS would succeed: TLS offered; for verify-ca/verify-full, or whenever the CA file exists,\n"
    "the file loads and the chain verified; for verify-full the host name matched); 1 it failed\n"
    "(network, TLS, verification, authentication; a CA file that does not exist fails verify-* only,\n"
    "and one libpq cannot load fails every mode that uses TLS, as in libpq); 2 usage error (a CA,\n"
    "client or revocation file that libpq would hang on: a FIFO, a device, a huge file); 3 internal error.\n"
    "\n"
    "Examples:\n"
    "  pgtls-check -h mydb.abc123.eu-west-1.rds.amazonaws.com -U app --sslrootcert global-bundle.pem\n"
    "  pgtls-check --matrix --json \"postgresql://app@db.example.com/app?sslmode=verify-ca\"\n"
    "  pgtls-check --probe-only -h db.example.com --sslrootcert ca.pem   (no login at all)\n"
    "  pgtls-check --demo --scenario alias";

// --lab: start the lab, say how to reach it, keep it until SIGINT/SIGTERM.
int runLab(const QString &scenarioName, bool json)
{
    const auto scenario = lab::parseScenario(scenarioName);
    if (!scenario) {
        printErr(QCoreApplication::translate("pgtls-check", "--scenario: unknown scenario \"%1\"")
                     .arg(scenarioName));
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
            out << QCoreApplication::translate("pgtls-check",
                "Lab running (scenario \"%1\", started in %2 ms). Stop it with Ctrl-C.")
                       .arg(lab::scenarioName(labServer.scenario()))
                       .arg(labServer.startMilliseconds())
                << '\n'
                << QCoreApplication::translate(
                       "pgtls-check", "  psql:        PGPASSFILE=%1 psql \"%2\"")
                       .arg(ep.passfile, ep.toConninfo())
                << '\n'
                << QCoreApplication::translate(
                       "pgtls-check", "  pgtls-check: PGPASSFILE=%1 pgtls-check \"%2\"")
                       .arg(ep.passfile, ep.toConninfo())
                << '\n';
        }
        out.flush();
    });
    labServer.start(*scenario);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    // A password may arrive at any moment (PGPASSWORD, .pgpass, the terminal): never in a core dump.
    pgtls::ProcessHygiene::protectSecrets();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pgtls-check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGTLS_VERSION));
    Translations::install(&app, QLocale::system());
    if (argc > 1 && qstrcmp(argv[1], "bundle") == 0)
        return pgtls::cli::runBundleCommand(QCoreApplication::arguments().mid(2));

    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(kDescription));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption helpOpt({ QStringLiteral("help") },
        QCoreApplication::translate("pgtls-check", "Show this help and exit."));
    const QCommandLineOption versionOpt({ QStringLiteral("version") },
        QCoreApplication::translate("pgtls-check", "Show the version and exit."));
    const QCommandLineOption hostOpt({ QStringLiteral("h"), QStringLiteral("host") },
        QCoreApplication::translate(
            "pgtls-check", "Server host name: checked against the certificate and sent as SNI."),
        QStringLiteral("HOST"));
    const QCommandLineOption portOpt({ QStringLiteral("p"), QStringLiteral("port") },
        QCoreApplication::translate("pgtls-check", "Server port (default 5432)."),
        QStringLiteral("PORT"));
    const QCommandLineOption dbOpt({ QStringLiteral("d"), QStringLiteral("dbname") },
        QCoreApplication::translate("pgtls-check", "Database name."), QStringLiteral("DBNAME"));
    const QCommandLineOption userOpt({ QStringLiteral("U"), QStringLiteral("user") },
        QCoreApplication::translate("pgtls-check", "User name."), QStringLiteral("USER"));
    const QCommandLineOption hostaddrOpt({ QStringLiteral("hostaddr") },
        QCoreApplication::translate("pgtls-check",
            "Connect to this IP address instead of resolving HOST; the certificate is still "
            "checked against HOST."),
        QStringLiteral("ADDR"));
    const QCommandLineOption sslmodeOpt({ QStringLiteral("sslmode") },
        QCoreApplication::translate("pgtls-check",
            "disable, allow, prefer, require, verify-ca or verify-full "
            "(default: verify-full, or PGSSLMODE)."),
        QStringLiteral("MODE"));
    const QCommandLineOption rootcertOpt({ QStringLiteral("sslrootcert") },
        QCoreApplication::translate("pgtls-check",
            "CA bundle (PEM) to verify the server against; default as libpq: "
            "~/.postgresql/root.crt."),
        QStringLiteral("FILE"));
    const QCommandLineOption probeOnlyOpt({ QStringLiteral("probe-only") },
        QCoreApplication::translate(
            "pgtls-check", "TLS handshake and certificate checks only; no login."));
    const QCommandLineOption matrixOpt({ QStringLiteral("matrix") },
        QCoreApplication::translate("pgtls-check",
            "Also try all six sslmodes, concurrently (no password is sent in "
            "disable/allow)."));
    const QCommandLineOption jsonOpt({ QStringLiteral("json") },
        QCoreApplication::translate("pgtls-check", "Print the report as JSON on stdout."));
    const QCommandLineOption htmlOpt({ QStringLiteral("html") },
        QCoreApplication::translate(
            "pgtls-check", "Also write a self-contained HTML report to FILE (for a ticket)."),
        QStringLiteral("FILE"));
    const QCommandLineOption timeoutOpt({ QStringLiteral("timeout") },
        QCoreApplication::translate(
            "pgtls-check", "Bound for the whole inspection, in seconds (default 10)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption demoOpt({ QStringLiteral("demo") },
        QCoreApplication::translate("pgtls-check",
            "Start the local lab (a throwaway TLS PostgreSQL with an RDS-like chain) "
            "and inspect it."));
    const QCommandLineOption labOpt({ QStringLiteral("lab") },
        QCoreApplication::translate("pgtls-check",
            "Start the demo lab and keep it running until interrupted (Ctrl-C); print how "
            "to connect to it (as JSON with --json). For trainers, psql and benchmarks."));
    const QCommandLineOption scenarioOpt({ QStringLiteral("scenario") },
        QCoreApplication::translate("pgtls-check",
            "With --demo: correct, alias, unknown-ca, expired, plaintext-accepted, no-sslinfo or "
            "ssl-off."),
        QStringLiteral("NAME"), QStringLiteral("correct"));
    parser.addOptions({ helpOpt, versionOpt, hostOpt, portOpt, dbOpt, userOpt, hostaddrOpt, sslmodeOpt, rootcertOpt,
                        probeOnlyOpt, matrixOpt, jsonOpt, htmlOpt, timeoutOpt, demoOpt, labOpt, scenarioOpt });
    parser.addPositionalArgument(QStringLiteral("CONNINFO"),
        QCoreApplication::translate(
            "pgtls-check", "Connection string or postgresql:// URI (optional)."),
        QStringLiteral("[CONNINFO | postgresql://URI]"));

    if (!parser.parse(QCoreApplication::arguments())) {
        printErr(parser.errorText());
        printErr(QCoreApplication::translate("pgtls-check", "try --help"));
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
        // Never echo them: an unquoted "password=..." would end up on the screen.
        printErr(QCoreApplication::translate("pgtls-check",
            "too many arguments (%1 given, one CONNINFO expected): quote the connection string")
                     .arg(positional.size()));
        return ExitUsage;
    }
    if (parser.isSet(labOpt))
        return runLab(parser.value(scenarioOpt), parser.isSet(jsonOpt));
    if (parser.isSet(matrixOpt) && parser.isSet(probeOnlyOpt)) {
        printErr(QCoreApplication::translate(
            "pgtls-check", "--matrix needs the libpq session: drop --probe-only"));
        return ExitUsage;
    }

    int timeoutSeconds = 10;
    if (parser.isSet(timeoutOpt)) {
        bool ok = false;
        timeoutSeconds = parser.value(timeoutOpt).toInt(&ok);
        if (!ok || timeoutSeconds < 1 || timeoutSeconds > 3600) {
            printErr(QCoreApplication::translate(
                "pgtls-check", "--timeout: \"%1\" is not a number of seconds between 1 and 3600")
                         .arg(parser.value(timeoutOpt)));
            return ExitUsage;
        }
    }

    const bool json = parser.isSet(jsonOpt);
    Inspector inspector;
    InspectionOptions options;
    options.probeOnly = parser.isSet(probeOnlyOpt);
    options.matrix = parser.isSet(matrixOpt);
    options.timeoutMs = timeoutSeconds * 1000;
    options.homeDirectory = RootCert::libpqHomeDirectory();

    bool askedForPassword = false;
    auto report = [&]() {
        const InspectionReport &r = inspector.report();
        if (r.session.needsPassword && !askedForPassword && isatty(STDIN_FILENO)) {
            // Ask like psql: on the terminal, echo off; then inspect again with it.
            askedForPassword = true;
            const Endpoint ep = r.endpoint; // start() resets the report
            options.password = readPassword(
                QCoreApplication::translate("pgtls-check", "Password for user %1: ").arg(ep.user));
            inspector.start(ep, options);
            options.password.fill(QLatin1Char('\0'));
            options.password.clear();
            return;
        }
        if (parser.isSet(htmlOpt)) {
            QSaveFile html(parser.value(htmlOpt));
            if (!html.open(QIODevice::WriteOnly) || html.write(ReportHtml::render(r).toUtf8()) < 0 || !html.commit()) {
                printErr(
                    QCoreApplication::translate("pgtls-check", "--html: cannot write \"%1\": %2")
                        .arg(parser.value(htmlOpt), html.errorString()));
                QCoreApplication::exit(ExitUsage);
                return;
            }
        }
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
            printErr(
                QCoreApplication::translate("pgtls-check", "--scenario: unknown scenario \"%1\"")
                    .arg(parser.value(scenarioOpt)));
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
                    printErr(QCoreApplication::translate(
                        "pgtls-check", "--sslmode: \"%1\" is not an sslmode")
                                 .arg(parser.value(sslmodeOpt)));
                    QCoreApplication::exit(ExitUsage);
                    return;
                }
                ep.sslmode = *mode;
            }
            if (!json) {
                QTextStream(stderr) << QCoreApplication::translate(
                    "pgtls-check", "Demo lab: PostgreSQL on 127.0.0.1:%1, scenario \"%2\": %3")
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
        // Only a file libpq would hang on is a usage error; the rest is libpq's outcome to report.
        if (const int rc = checkNamedFiles(ep, options.homeDirectory); rc != ExitOk)
            return rc;
        if (!parser.isSet(timeoutOpt))
            options.timeoutMs = ep.connectTimeoutSeconds * 1000; // at most 3600 s, see EndpointResolver
        inspector.start(ep, options);
    }
    return app.exec();
}
