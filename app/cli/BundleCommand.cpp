// SPDX-License-Identifier: MIT
// pgtls-check bundle: inspect and download CA bundles.

#include "BundleCommand.h"

#include "SafeText.h"

#include "BundleDownloader.h"
#include "CaBundle.h"
#include "CertificateInfo.h"
#include "Endpoint.h"
#include "Inspector.h"
#include "Lab.h"
#include "ProblemCatalog.h"
#include "RdsTrustStore.h"
#include "ReportHtml.h"
#include "ReportJson.h"
#include "RootCert.h"
#include "SafeFile.h"
#include "TextReport.h"
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

namespace pgtls::cli {

namespace {

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInternal = 3 };

void printErr(const QString &message)
{
    QTextStream(stderr) << "pgtls-check: " << message << '\n';
}
// ---- pgtls-check bundle: inspect and download CA bundles ----------------------------------------

const char *const kBundleDescription
    = "pgtls-check bundle: CA bundle files, and the official Amazon RDS bundles.\n"
      "\n"
      "  pgtls-check bundle info [--json] [--host ENDPOINT] FILE\n"
      "      what FILE holds and whether it is usable (for ENDPOINT's RDS region)\n"
      "  pgtls-check bundle download [--region R | --partition P] [--out FILE] [--base-url URL]\n"
      "                              [--download-ca FILE] [--timeout S] [--json]\n"
      "      download an official RDS bundle over HTTPS, validate it, replace FILE atomically\n";

QString formatName(CaBundle::Format format)
{
    switch (format) {
    case CaBundle::Format::Pkcs7:
        return QStringLiteral("pkcs7");
    case CaBundle::Format::Der:
        return QStringLiteral("der");
    case CaBundle::Format::Pem:
        break;
    }
    return QStringLiteral("pem");
}

QString isoUtc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString shortDate(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                       : QString();
}

QString certificateCount(int n)
{
    return n == 1 ? QCoreApplication::translate("pgtls-check bundle", "1 certificate") : QCoreApplication::translate("pgtls-check bundle", "%1 certificates").arg(n);
}

QString certLabel(const CertificateInfo &c)
{
    return c.subjectCommonName.isEmpty() ? c.subject : c.subjectCommonName;
}

QJsonObject certJson(const CertificateInfo &c)
{
    return QJsonObject { { QStringLiteral("subject"), c.subject },
        { QStringLiteral("common_name"), c.subjectCommonName },
        { QStringLiteral("sha256"), c.sha256 },
        { QStringLiteral("not_after"), isoUtc(c.notAfter) } };
}

// Replaces the "Usage: ..." line QCommandLineParser writes (it names argv[0] only).
QString subcommandHelp(const QCommandLineParser &parser, const QString &usage)
{
    QString text = parser.helpText();
    const qsizetype eol = text.indexOf(QLatin1Char('\n'));
    return QCoreApplication::translate("pgtls-check", "Usage: %1").arg(usage) + (eol < 0 ? QString() : text.mid(eol));
}

int runBundleInfo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(QCoreApplication::translate("pgtls-check bundle", "Shows what a CA bundle file holds: the certificates (PEM, PKCS#7 or DER), which Amazon "
        "RDS CAs\n"
        "and regions, the earliest expiry, expired certificates, duplicates, and warnings. With "
        "--host, also\n"
        "whether the bundle has a current root for that RDS endpoint's region.\n"
        "\n"
        "Exit codes: 0 usable; 1 not usable (only retired rds-ca-2019/2015 CAs, every certificate\n"
        "expired, or no root for the endpoint's region); 2 usage error or FILE is not a CA "
        "bundle."));
    const QCommandLineOption helpOpt(
        { QStringLiteral("help") }, QCoreApplication::translate("pgtls-check bundle", "Show this help and exit."));
    const QCommandLineOption jsonOpt(
        { QStringLiteral("json") }, QCoreApplication::translate("pgtls-check bundle", "Print the result as JSON on stdout."));
    const QCommandLineOption hostOpt({ QStringLiteral("h"), QStringLiteral("host") },
        QCoreApplication::translate("pgtls-check bundle", "The endpoint the bundle is for (e.g. "
                 "mydb.abc123.eu-west-1.rds.amazonaws.com): warn when the bundle "
                 "has no root for its RDS region."),
        QStringLiteral("ENDPOINT"));
    parser.addOptions({ helpOpt, jsonOpt, hostOpt });
    parser.addPositionalArgument(QStringLiteral("FILE"), QCoreApplication::translate("pgtls-check bundle", "The CA bundle file."));
    const QString usage = QStringLiteral("pgtls-check bundle info [--json] [--host ENDPOINT] FILE");
    if (!parser.parse(QStringList { QStringLiteral("pgtls-check") } + args)) {
        printErr(QStringLiteral("bundle info: ") + parser.errorText());
        printErr(QCoreApplication::translate("pgtls-check bundle", "try pgtls-check bundle info --help"));
        return ExitUsage;
    }
    if (parser.isSet(helpOpt)) {
        QTextStream(stdout) << subcommandHelp(parser, usage);
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        printErr(files.isEmpty()
                ? QCoreApplication::translate("pgtls-check bundle", "bundle info: name the bundle FILE")
                : QCoreApplication::translate("pgtls-check bundle", "bundle info: one FILE expected, %1 given").arg(files.size()));
        return ExitUsage;
    }
    const QString path = files.first();
    const CaBundle bundle = CaBundle::load(path);
    if (!bundle.ok()) {
        QString message = bundle.error;
        if (!message.contains(path))
            message = QCoreApplication::translate("pgtls-check bundle", "%1: %2").arg(path, message);
        printErr(TextReport::sanitize(QStringLiteral("bundle info: ") + message));
        return ExitUsage;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString host = parser.value(hostOpt).trimmed();
    const QString region = ProblemCatalog::rdsRegionOf(host);
    // RDS Proxy presents an Amazon Trust Services certificate, not one from an RDS CA.
    static const QRegularExpression proxyRe(
        QStringLiteral(R"(\.proxy-[a-z0-9]+\.)"), QRegularExpression::CaseInsensitiveOption);
    const bool proxy = !region.isEmpty() && proxyRe.match(host).hasMatch();
    const bool hasAmazonTrustRoot
        = std::any_of(bundle.entries.cbegin(), bundle.entries.cend(), [](const BundleEntry &e) {
              return e.cert.subjectCommonName.startsWith(QLatin1String("Amazon Root CA"));
          });
    const QList<BundleEntry> expired = bundle.expiredAt(now);
    const QStringList warnings = bundle.warnings(host, now);

    // What makes the bundle unusable (exit 1), most specific first.
    QString unusable;
    if (bundle.holdsOnlyRetiredRdsCas()) {
        unusable = QCoreApplication::translate("pgtls-check bundle", "it holds only retired Amazon RDS CAs (rds-ca-2019 / rds-ca-2015), which expired; "
            "servers now use rds-ca-rsa2048-g1 and its siblings. Download the current bundle: "
            "pgtls-check bundle download");
    } else if (expired.size() == bundle.entries.size()) {
        unusable = QCoreApplication::translate("pgtls-check bundle", "every certificate in it has expired");
    } else if (proxy && !hasAmazonTrustRoot) {
        unusable = QCoreApplication::translate("pgtls-check bundle", "%1 is an RDS Proxy endpoint, which presents a certificate from Amazon Trust Services "
            "(Amazon Root CA 1), and the bundle holds no Amazon Trust Services root; use the "
            "system "
            "trust store or AmazonRootCA1.pem")
                       .arg(host);
    } else if (!proxy && !region.isEmpty() && !bundle.coversRegion(region)) {
        unusable = QCoreApplication::translate("pgtls-check bundle", "it has no current Amazon RDS root for %1, the region of %2; use the global bundle "
            "or the %1 bundle: pgtls-check bundle download --region %1")
                       .arg(region, host);
    }

    int i = 0;
    QString firstToExpire;
    for (const BundleEntry &e : bundle.entries) {
        if (e.cert.notAfter == bundle.earliestExpiry()) {
            firstToExpire = certLabel(e.cert);
            break;
        }
    }

    if (parser.isSet(jsonOpt)) {
        QJsonArray certs;
        for (const BundleEntry &e : bundle.entries) {
            QJsonObject o = certJson(e.cert);
            o.insert(QStringLiteral("issuer"), e.cert.issuer);
            o.insert(QStringLiteral("not_before"), isoUtc(e.cert.notBefore));
            o.insert(QStringLiteral("expired"), e.cert.isExpiredAt(now));
            o.insert(QStringLiteral("ca"), e.cert.isCa);
            o.insert(QStringLiteral("self_signed"), e.cert.selfSigned);
            o.insert(QStringLiteral("duplicate"), e.duplicate);
            o.insert(QStringLiteral("rds_ca_id"),
                e.rds.isNull() ? QJsonValue() : QJsonValue(e.rds.caId));
            o.insert(QStringLiteral("rds_region"),
                e.rds.region.isEmpty() ? QJsonValue() : QJsonValue(e.rds.region));
            o.insert(QStringLiteral("rds_root"), e.rds.root);
            o.insert(QStringLiteral("rds_retired"), e.rds.retired);
            certs.append(o);
        }
        QJsonObject endpoint;
        if (!host.isEmpty()) {
            endpoint = QJsonObject { { QStringLiteral("host"), host },
                { QStringLiteral("rds_region"),
                    region.isEmpty() ? QJsonValue() : QJsonValue(region) },
                { QStringLiteral("rds_proxy"), proxy },
                { QStringLiteral("region_covered"),
                    region.isEmpty() ? QJsonValue() : QJsonValue(bundle.coversRegion(region)) } };
        }
        const QJsonObject root {
            { QStringLiteral("file"), path },
            { QStringLiteral("format"), formatName(bundle.format) },
            { QStringLiteral("count"), bundle.count() },
            { QStringLiteral("rds_ca_ids"), QJsonArray::fromStringList(bundle.rdsCaIds()) },
            { QStringLiteral("rds_regions"), QJsonArray::fromStringList(bundle.rdsRegions()) },
            { QStringLiteral("earliest_expiry"), isoUtc(bundle.earliestExpiry()) },
            { QStringLiteral("expired_count"), int(expired.size()) },
            { QStringLiteral("duplicate_count"), bundle.duplicateCount() },
            { QStringLiteral("only_retired_rds_cas"), bundle.holdsOnlyRetiredRdsCas() },
            { QStringLiteral("endpoint"), host.isEmpty() ? QJsonValue() : QJsonValue(endpoint) },
            { QStringLiteral("usable"), unusable.isEmpty() },
            { QStringLiteral("unusable_reason"),
                unusable.isEmpty() ? QJsonValue() : QJsonValue(unusable) },
            { QStringLiteral("warnings"), QJsonArray::fromStringList(warnings) },
            { QStringLiteral("certificates"), certs },
        };
        QTextStream(stdout) << SafeText::escapeJson(QJsonDocument(root).toJson(QJsonDocument::Indented));
        return unusable.isEmpty() ? ExitOk : ExitFailed;
    }

    QString text;
    QTextStream s(&text);
    s << (unusable.isEmpty() ? QCoreApplication::translate("pgtls-check bundle", "OK: %1 is usable").arg(path)
                             : QCoreApplication::translate("pgtls-check bundle", "FAIL: %1 is not usable: %2").arg(path, unusable))
      << '\n';
    s << QCoreApplication::translate("pgtls-check bundle", "Format:          %1, %2")
             .arg(formatName(bundle.format).toUpper(), certificateCount(bundle.count()))
      << '\n';
    const QStringList ids = bundle.rdsCaIds();
    s << QCoreApplication::translate("pgtls-check bundle", "RDS CAs:         %1")
             .arg(ids.isEmpty() ? QCoreApplication::translate("pgtls-check bundle", "none") : ids.join(QStringLiteral(", ")))
      << '\n';
    const QStringList regions = bundle.rdsRegions();
    s << QCoreApplication::translate("pgtls-check bundle", "RDS regions:     %1")
             .arg(regions.isEmpty() ? QCoreApplication::translate("pgtls-check bundle", "none")
                                    : QStringLiteral("(%1) ").arg(regions.size())
                         + regions.join(QStringLiteral(", ")))
      << '\n';
    s << QCoreApplication::translate("pgtls-check bundle", "Earliest expiry: %1 (%2)").arg(shortDate(bundle.earliestExpiry()), SafeText::field(firstToExpire))
      << '\n';
    s << QCoreApplication::translate("pgtls-check bundle", "Expired:         %1")
             .arg(expired.isEmpty() ? QCoreApplication::translate("pgtls-check bundle", "none")
                                    : QCoreApplication::translate("pgtls-check bundle", "%1 of %2").arg(expired.size()).arg(bundle.count()))
      << '\n';
    s << QCoreApplication::translate("pgtls-check bundle", "Duplicates:      %1")
             .arg(bundle.duplicateCount() == 0 ? QCoreApplication::translate("pgtls-check bundle", "none")
                                               : QString::number(bundle.duplicateCount()))
      << '\n';
    if (!host.isEmpty()) {
        if (region.isEmpty())
            s << QCoreApplication::translate("pgtls-check bundle", "Endpoint:        %1 (not an Amazon RDS endpoint name: no region to check)")
                     .arg(host)
              << '\n';
        else if (proxy)
            s << QCoreApplication::translate("pgtls-check bundle", "Endpoint:        %1 (RDS Proxy in %2): %3")
                     .arg(host, region,
                         hasAmazonTrustRoot
                             ? QCoreApplication::translate("pgtls-check bundle", "an Amazon Trust Services root is in the bundle")
                             : QCoreApplication::translate("pgtls-check bundle", "NO Amazon Trust Services root (Amazon Root CA 1) in the bundle"))
              << '\n';
        else
            s << QCoreApplication::translate("pgtls-check bundle", "Endpoint:        %1 (RDS region %2): %3")
                     .arg(host, region,
                         bundle.coversRegion(region)
                             ? QCoreApplication::translate("pgtls-check bundle", "a current root for the region is in the bundle")
                             : QCoreApplication::translate("pgtls-check bundle", "NO current root for the region in the bundle"))
              << '\n';
    }
    if (!warnings.isEmpty()) {
        s << QCoreApplication::translate("pgtls-check bundle", "Warnings:") << '\n';
        for (const QString &w : warnings)
            s << "  - " << SafeText::field(w) << '\n';
    }
    s << QCoreApplication::translate("pgtls-check bundle", "Certificates:") << '\n';
    for (const BundleEntry &e : bundle.entries) {
        QStringList notes;
        if (!e.rds.isNull())
            notes << e.rds.caId
                    + (e.rds.region.isEmpty() ? QString() : QStringLiteral(" ") + e.rds.region);
        notes << (e.cert.selfSigned ? QCoreApplication::translate("pgtls-check bundle", "root")
                : e.cert.isCa       ? QCoreApplication::translate("pgtls-check bundle", "intermediate")
                                    : QCoreApplication::translate("pgtls-check bundle", "not a CA"));
        if (e.cert.isExpiredAt(now))
            notes << QCoreApplication::translate("pgtls-check bundle", "EXPIRED %1")
                         .arg(e.cert.notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd")));
        else
            notes << QCoreApplication::translate("pgtls-check bundle", "until %1")
                         .arg(e.cert.notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd")));
        if (e.duplicate)
            notes << QCoreApplication::translate("pgtls-check bundle", "duplicate");
        s << QStringLiteral("  %1. %2 [%3]")
                 .arg(++i, 3)
                 .arg(SafeText::field(certLabel(e.cert)), SafeText::field(notes.join(QStringLiteral(", "))))
          << '\n';
    }
    s.flush();
    QTextStream(stdout) << TextReport::sanitize(text);
    return unusable.isEmpty() ? ExitOk : ExitFailed;
}

QString byteText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("?");
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(QString::number(bytes / (1024.0 * 1024.0), 'f', 1));
    if (bytes >= 1024)
        return QStringLiteral("%1 KiB").arg(QString::number(bytes / 1024.0, 'f', 1));
    return QStringLiteral("%1 B").arg(bytes);
}

// "a, b, c" in lines of at most 100 columns, each indented by two spaces.
QString wrappedList(const QStringList &items)
{
    QString text;
    QString line = QStringLiteral("  ");
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString item = items.at(i) + (i + 1 < items.size() ? QStringLiteral(",") : QString());
        if (line.size() + item.size() + 1 > 100) {
            text += line + QLatin1Char('\n');
            line = QStringLiteral("  ");
        }
        line += (line.size() > 2 ? QStringLiteral(" ") : QString()) + item;
    }
    return text + line;
}

int runBundleDownload(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(
        QCoreApplication::translate("pgtls-check bundle", "Downloads an official Amazon RDS CA bundle over HTTPS (by default the global "
                 "bundle of the\n"
                 "commercial regions, %1),\n"
                 "checks that it is a bundle of CA certificates, and only then replaces the file "
                 "(atomically: a\n"
                 "failed or interrupted download leaves the old file as it was). Redirects are "
                 "followed from https\n"
                 "to https only (at most 5); the download is limited to 4 MiB. After an update it "
                 "says which\n"
                 "certificates were added and removed.\n"
                 "\n"
                 "Commercial regions:\n%2\n"
                 "GovCloud regions (https://truststore.pki.us-gov-west-1.rds.amazonaws.com):\n%3\n"
                 "China regions (https://rds-truststore.s3.cn-north-1.amazonaws.com.cn):\n%4\n"
                 "\n"
                 "Exit codes: 0 downloaded (or unchanged); 1 the download failed (the message says "
                 "why: HTTP "
                 "status,\nTLS, timeout, not a bundle, ...); 2 usage error.")
            .arg(RdsTrustStore::globalBundleUrl(RdsTrustStore::Partition::Commercial).toString(),
                wrappedList(RdsTrustStore::commercialRegions()),
                wrappedList(RdsTrustStore::govCloudRegions()),
                wrappedList(RdsTrustStore::chinaRegions())));
    const QCommandLineOption helpOpt(
        { QStringLiteral("help") }, QCoreApplication::translate("pgtls-check bundle", "Show this help and exit."));
    const QCommandLineOption regionOpt({ QStringLiteral("region") },
        QCoreApplication::translate("pgtls-check bundle", "Download this region's bundle (its 3 roots) instead of the global "
                 "bundle; \"global\" is the global bundle."),
        QStringLiteral("R"));
    const QCommandLineOption partitionOpt({ QStringLiteral("partition") },
        QCoreApplication::translate("pgtls-check bundle", "Without --region: the global bundle of commercial (default), govcloud or china."),
        QStringLiteral("P"));
    const QCommandLineOption outOpt({ QStringLiteral("out") },
        QCoreApplication::translate("pgtls-check bundle", "Where to write the bundle (default: %1).")
            .arg(BundleDownloader::defaultDestination(QStringLiteral("<name>"))),
        QStringLiteral("FILE"));
    const QCommandLineOption baseOpt({ QStringLiteral("base-url") },
        QCoreApplication::translate("pgtls-check bundle", "Download from this https:// server (a mirror) instead of the official "
                 "trust store; the path layout is kept: URL/global/global-bundle.pem, "
                 "URL/REGION/REGION-bundle.pem."),
        QStringLiteral("URL"));
    const QCommandLineOption caOpt({ QStringLiteral("download-ca") },
        QCoreApplication::translate("pgtls-check bundle", "Also trust the CA certificate(s) in FILE (PEM or DER) for the HTTPS "
                 "connection, e.g. a mirror's private CA; the system CAs stay trusted."),
        QStringLiteral("FILE"));
    const QCommandLineOption timeoutOpt({ QStringLiteral("timeout") },
        QCoreApplication::translate("pgtls-check bundle", "Bound for the whole download, in seconds (default 60; the "
                 "download also ends after 30 s without data)."),
        QStringLiteral("S"));
    const QCommandLineOption jsonOpt(
        { QStringLiteral("json") }, QCoreApplication::translate("pgtls-check bundle", "Print the result as JSON on stdout."));
    parser.addOptions(
        { helpOpt, regionOpt, partitionOpt, outOpt, baseOpt, caOpt, timeoutOpt, jsonOpt });
    const QString usage
        = QStringLiteral("pgtls-check bundle download [--region R | --partition P] [--out FILE]\n"
                         "                                   [--base-url URL] [--download-ca FILE] "
                         "[--timeout S] [--json]");
    if (!parser.parse(QStringList { QStringLiteral("pgtls-check") } + args)) {
        printErr(QStringLiteral("bundle download: ") + parser.errorText());
        printErr(QCoreApplication::translate("pgtls-check bundle", "try pgtls-check bundle download --help"));
        return ExitUsage;
    }
    if (parser.isSet(helpOpt)) {
        QTextStream(stdout) << subcommandHelp(parser, usage);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printErr(QCoreApplication::translate("pgtls-check bundle", "bundle download: unexpected argument \"%1\" (the file goes after --out)")
                     .arg(parser.positionalArguments().first()));
        return ExitUsage;
    }

    const QString region = parser.value(regionOpt).trimmed();
    const QString base = parser.value(baseOpt).trimmed();
    if (parser.isSet(baseOpt)) {
        const QUrl baseUrl(base, QUrl::StrictMode);
        if (baseUrl.scheme() != QLatin1String("https")) {
            printErr(QCoreApplication::translate("pgtls-check bundle", "--base-url: \"%1\" is not an https:// URL; bundles are only downloaded over HTTPS")
                         .arg(base));
            return ExitUsage;
        }
    }
    QString error;
    QUrl url;
    QString name;
    if (!region.isEmpty() && region != QLatin1String("global")) {
        if (parser.isSet(partitionOpt)) {
            printErr(QCoreApplication::translate("pgtls-check bundle", "--partition: give either --region or --partition (a region implies "
                              "its partition)"));
            return ExitUsage;
        }
        url = RdsTrustStore::bundleUrl(region, base, &error);
        name = RdsTrustStore::bundleName(region);
        if (!url.isValid()) {
            printErr((RdsTrustStore::isKnownRegion(region) ? QStringLiteral("--base-url: ")
                                                           : QStringLiteral("--region: "))
                + error);
            return ExitUsage;
        }
    } else {
        RdsTrustStore::Partition partition = RdsTrustStore::Partition::Commercial;
        const QString p = parser.value(partitionOpt).trimmed().toLower();
        if (p == QLatin1String("govcloud")) {
            partition = RdsTrustStore::Partition::GovCloud;
        } else if (p == QLatin1String("china")) {
            partition = RdsTrustStore::Partition::China;
        } else if (!p.isEmpty() && p != QLatin1String("commercial")) {
            printErr(QCoreApplication::translate("pgtls-check bundle", "--partition: \"%1\" is not commercial, govcloud or china")
                         .arg(parser.value(partitionOpt)));
            return ExitUsage;
        }
        url = RdsTrustStore::globalBundleUrl(partition, base, &error);
        name = RdsTrustStore::globalBundleName(partition);
        if (!url.isValid()) {
            printErr(QStringLiteral("--base-url: ") + error);
            return ExitUsage;
        }
    }

    BundleDownloadOptions options;
    options.url = url;
    options.name = name;
    options.destination = parser.value(outOpt);
    if (!options.destination.isEmpty() && QFileInfo(options.destination).isDir()) {
        printErr(QCoreApplication::translate("pgtls-check bundle", "--out: \"%1\" is a directory; name the bundle file")
                     .arg(options.destination));
        return ExitUsage;
    }
    if (parser.isSet(caOpt)) {
        const QString caPath = parser.value(caOpt);
        // One read, through the descriptor that was checked: a FIFO or a device is refused at
        // once, never read.
        const SafeFileStatus f = SafeFile::read(caPath, CaBundle::maxBytes);
        if (!f.ok()) {
            printErr(TextReport::sanitize(QCoreApplication::translate("pgtls-check bundle",
                "--download-ca: cannot read \"%1\": %2").arg(caPath, f.error)));
            return ExitUsage;
        }
        const QByteArray &data = f.data;
        QList<QSslCertificate> cas = QSslCertificate::fromData(data, QSsl::Pem);
        if (cas.isEmpty())
            cas = QSslCertificate::fromData(data, QSsl::Der);
        if (cas.isEmpty()) {
            printErr(
                QCoreApplication::translate("pgtls-check bundle", "--download-ca: \"%1\" holds no certificate (PEM or DER)").arg(caPath));
            return ExitUsage;
        }
        options.extraCaCertificates = cas;
    }
    int timeoutSeconds = 60;
    if (parser.isSet(timeoutOpt)) {
        bool ok = false;
        timeoutSeconds = parser.value(timeoutOpt).toInt(&ok);
        if (!ok || timeoutSeconds < 1 || timeoutSeconds > 3600) {
            printErr(QCoreApplication::translate("pgtls-check bundle", "--timeout: \"%1\" is not a number of seconds between 1 and 3600")
                         .arg(parser.value(timeoutOpt)));
            return ExitUsage;
        }
    }
    options.deadlineMs = timeoutSeconds * 1000;
    options.transferTimeoutMs = qMin(timeoutSeconds, 30) * 1000;

    const bool json = parser.isSet(jsonOpt);
    const bool showProgress = isatty(STDERR_FILENO);
    BundleDownloader downloader;
    qsizetype progressWidth = 0; // of the progress line on the terminal, to clear it at the end
    if (showProgress) {
        QObject::connect(&downloader, &BundleDownloader::progress, &downloader,
            [url, &progressWidth](qint64 received, qint64 total) {
                const QString line = QCoreApplication::translate("pgtls-check bundle", "Downloading %1: %2 of %3")
                                         .arg(TextReport::sanitize(url.toDisplayString()),
                                             byteText(received), byteText(total));
                QTextStream(stderr) << '\r' << line.leftJustified(progressWidth);
                progressWidth = qMax(progressWidth, line.size());
            });
    }
    int exitCode = ExitInternal;
    QObject::connect(&downloader, &BundleDownloader::finished, &downloader,
        [&exitCode, &progressWidth, json](const BundleDownloadResult &r) {
            if (progressWidth > 0)
                QTextStream(stderr) << '\r' << QString(progressWidth, QLatin1Char(' ')) << '\r';
            exitCode = r.ok ? ExitOk : ExitFailed;
            if (json) {
                auto certs = [](const QList<CertificateInfo> &list) {
                    QJsonArray a;
                    for (const CertificateInfo &c : list)
                        a.append(certJson(c));
                    return a;
                };
                const QJsonObject o {
                    { QStringLiteral("ok"), r.ok },
                    { QStringLiteral("error_code"),
                        r.errorCode.isEmpty() ? QJsonValue() : QJsonValue(r.errorCode) },
                    { QStringLiteral("error"),
                        r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error) },
                    { QStringLiteral("url"), r.url.toString() },
                    { QStringLiteral("final_url"), r.finalUrl.toString() },
                    { QStringLiteral("redirects"), r.redirects },
                    { QStringLiteral("http_status"),
                        r.httpStatus == 0 ? QJsonValue() : QJsonValue(r.httpStatus) },
                    { QStringLiteral("bytes"), r.bytes },
                    { QStringLiteral("destination"), r.destination },
                    { QStringLiteral("changed"), r.changed },
                    { QStringLiteral("had_previous"), r.hadPrevious },
                    { QStringLiteral("count"), r.ok ? QJsonValue(r.bundle.count()) : QJsonValue() },
                    { QStringLiteral("rds_ca_ids"),
                        QJsonArray::fromStringList(r.ok ? r.bundle.rdsCaIds() : QStringList()) },
                    { QStringLiteral("added"),
                        certs(r.ok ? r.diff.added : QList<CertificateInfo>()) },
                    { QStringLiteral("removed"),
                        certs(r.ok ? r.diff.removed : QList<CertificateInfo>()) },
                };
                QTextStream(stdout) << SafeText::escapeJson(QJsonDocument(o).toJson(QJsonDocument::Indented));
            } else if (!r.ok) {
                printErr(TextReport::sanitize(
                    QCoreApplication::translate("pgtls-check bundle", "download failed (%1): %2").arg(r.errorCode, r.error)));
                if (QFileInfo(r.destination).isFile())
                    printErr(
                        TextReport::sanitize(QCoreApplication::translate("pgtls-check bundle", "%1 was not changed").arg(r.destination)));
                else
                    printErr(TextReport::sanitize(
                        QCoreApplication::translate("pgtls-check bundle", "nothing was written to %1").arg(r.destination)));
            } else {
                QString text;
                QTextStream s(&text);
                s << QCoreApplication::translate("pgtls-check bundle", "Downloaded %1 (%2 bytes, %3)")
                         .arg(r.finalUrl.toDisplayString())
                         .arg(r.bytes)
                         .arg(certificateCount(r.bundle.count()))
                  << '\n';
                if (!r.changed) {
                    s << QCoreApplication::translate("pgtls-check bundle", "Unchanged: %1 already holds this bundle").arg(r.destination)
                      << '\n';
                } else if (!r.hadPrevious) {
                    s << QCoreApplication::translate("pgtls-check bundle", "Written to %1").arg(r.destination) << '\n';
                } else {
                    s << QCoreApplication::translate("pgtls-check bundle", "Updated %1: %2 added, %3 removed")
                             .arg(r.destination)
                             .arg(r.diff.added.size())
                             .arg(r.diff.removed.size())
                      << '\n';
                    for (const CertificateInfo &c : r.diff.added)
                        s << QStringLiteral("  + %1 (until %2)")
                                 .arg(certLabel(c),
                                     c.notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd")))
                          << '\n';
                    for (const CertificateInfo &c : r.diff.removed)
                        s << QStringLiteral("  - %1 (until %2)")
                                 .arg(certLabel(c),
                                     c.notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd")))
                          << '\n';
                }
                for (const QString &w : r.bundle.warnings({}, QDateTime::currentDateTimeUtc()))
                    s << QCoreApplication::translate("pgtls-check bundle", "warning: %1").arg(w) << '\n';
                s.flush();
                QTextStream(stdout) << TextReport::sanitize(text);
            }
            QCoreApplication::exit(exitCode);
        });
    downloader.start(options);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

// `pgtls-check bundle ...`: args are the arguments after "bundle".
int runBundleCommand(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub.isEmpty()) {
        QTextStream(stderr) << QString::fromUtf8(kBundleDescription);
        printErr(
            QCoreApplication::translate("pgtls-check bundle", "bundle: name a command (info or download); try pgtls-check bundle --help"));
        return ExitUsage;
    }
    if (sub == QLatin1String("--help") || sub == QLatin1String("-help")
        || sub == QLatin1String("help")) {
        // Everything: the overview, then each command's own help.
        QTextStream(stdout) << QString::fromUtf8(kBundleDescription) << '\n'
                            << QStringLiteral("== pgtls-check bundle info ==") << '\n';
        runBundleInfo({ QStringLiteral("--help") });
        QTextStream(stdout) << '\n' << QStringLiteral("== pgtls-check bundle download ==") << '\n';
        runBundleDownload({ QStringLiteral("--help") });
        return ExitOk;
    }
    if (sub == QLatin1String("info"))
        return runBundleInfo(args.mid(1));
    if (sub == QLatin1String("download"))
        return runBundleDownload(args.mid(1));
    printErr(
        QCoreApplication::translate("pgtls-check bundle", "bundle: unknown command \"%1\" (info or download); try pgtls-check bundle --help")
            .arg(sub));
    return ExitUsage;
}

} // namespace pgtls::cli
