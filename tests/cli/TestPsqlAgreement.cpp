// SPDX-License-Identifier: MIT
// pgtls-check must say what libpq does: psql beside it on the same lab server, for every sslmode ×
// CA file × host × server certificate, in full mode (connected or not, TLS in use, libpq's own
// message) and in --probe-only mode (the prediction contract of probe.libpq).
#include "../support/ClientRuns.h"
#include "../support/LabFixture.h"
#include "Lab.h"
#include "SslMode.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

struct CaFile
{
    QString name;
    QString path; // empty: no sslrootcert, libpq's default ~/.postgresql/root.crt (absent)
    bool holdsCertificates = false; // a readable bundle: libpq verifies the chain with it
};

struct Host
{
    QString name;
    QString conninfo;
};

// What psql did.
struct PsqlOutcome
{
    bool connected = false;
    QString ssl; // "t" or "f" (pg_stat_ssl.ssl of its own backend) when connected
    QString message; // libpq's message when it did not connect ("psql: error: " removed)
};

// One line for a failure message: libpq's line breaks shown as \n.
QString shortened(QString text, int max = 400)
{
    text = text.trimmed().replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return text.size() > max ? text.left(max) + QStringLiteral("…") : text;
}

// psql exits 0 after the query and 2 when the connection failed; anything else is not an
// outcome of libpq's connection (an empty `error` means the run is usable).
PsqlOutcome psqlOutcome(const test::ClientRun &run, QString *error)
{
    PsqlOutcome o;
    const QString out = QString::fromUtf8(run.out).trimmed();
    const QString err = QString::fromUtf8(run.err).trimmed();
    if (run.exitCode == 0 && (out == QLatin1String("t") || out == QLatin1String("f"))) {
        o.connected = true;
        o.ssl = out;
    } else if (run.exitCode == 2 && err.startsWith(QLatin1String("psql: error: "))) {
        o.message = err.mid(int(qstrlen("psql: error: ")));
    } else {
        *error = QStringLiteral(
            "psql gave no connection outcome: exit %1, stdout \"%2\", stderr \"%3\"")
                     .arg(run.exitCode)
                     .arg(shortened(out), shortened(err));
    }
    return o;
}

QString describe(const PsqlOutcome &o)
{
    return o.connected ? QStringLiteral("psql connected, ssl=%1").arg(o.ssl)
                       : QStringLiteral("psql failed: %1").arg(shortened(o.message));
}

// pgtls-check's JSON document, or why there is none.
std::optional<QJsonObject> reportOf(const test::ClientRun &run, QString *why)
{
    if (run.exitCode != 0 && run.exitCode != 1) {
        *why = QStringLiteral("pgtls-check exit %1: %2")
                   .arg(run.exitCode)
                   .arg(shortened(QString::fromUtf8(run.err + run.out)));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &parseError);
    if (!doc.isObject()) {
        *why = QStringLiteral("pgtls-check exit %1 printed no JSON report (%2): %3")
                   .arg(run.exitCode)
                   .arg(parseError.errorString(), shortened(QString::fromUtf8(run.out + run.err)));
        return std::nullopt;
    }
    return doc.object();
}

QString jsonText(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("null");
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isString())
        return QLatin1Char('"') + shortened(v.toString()) + QLatin1Char('"');
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

// Full mode: the libpq session of pgtls-check against psql. Empty: they agree. With
// `compareTrust` (verify-ca with a bundle: libpq's outcome is its chain verification, CRLs
// included), the probe's chain view (probe.trust.trusted) must agree with it too.
QStringList compareFull(const PsqlOutcome &psql, const test::ClientRun &ours, bool compareTrust)
{
    QString why;
    const std::optional<QJsonObject> report = reportOf(ours, &why);
    if (!report)
        return { QStringLiteral("%1; %2").arg(describe(psql), why) };
    const QJsonObject session = report->value(QLatin1String("session")).toObject();
    const bool connected = session.value(QLatin1String("connected")).toBool();
    const QJsonValue sslInUse = session.value(QLatin1String("ssl_in_use"));
    const QJsonValue error = session.value(QLatin1String("error"));
    const QString ourSide
        = QStringLiteral("pgtls-check exit %1, session.attempted %2, connected %3, ssl_in_use %4, "
                         "error %5")
              .arg(ours.exitCode)
              .arg(jsonText(session.value(QLatin1String("attempted"))),
                  jsonText(session.value(QLatin1String("connected"))), jsonText(sslInUse),
                  jsonText(error));
    QStringList problems;
    if (!session.value(QLatin1String("attempted")).toBool())
        problems << QStringLiteral("no libpq session was attempted");
    if (connected != psql.connected)
        problems << QStringLiteral("connected differs");
    else if (connected && sslInUse.toBool() != (psql.ssl == QLatin1String("t")))
        problems << QStringLiteral("TLS in use differs");
    if ((ours.exitCode == 0) != psql.connected)
        problems << QStringLiteral("exit code differs");
    if (!psql.connected && error.toString().trimmed() != psql.message.trimmed())
        problems << QStringLiteral("libpq's message differs");
    const QJsonValue trusted = report->value(QLatin1String("probe"))
                                   .toObject()
                                   .value(QLatin1String("trust"))
                                   .toObject()
                                   .value(QLatin1String("trusted"));
    if (compareTrust && trusted.toBool() != psql.connected)
        problems << QStringLiteral("the chain view (probe.trust.trusted %1) differs from libpq's "
                                   "verify-ca")
                        .arg(jsonText(trusted));
    if (problems.isEmpty())
        return {};
    return { QStringLiteral("%1: %2; %3")
                 .arg(problems.join(QStringLiteral(", ")), describe(psql), ourSide) };
}

// --probe-only: probe.libpq against psql, by the contract (see issue11-context.md):
//   psql connected with TLS <=> tls == "succeeds" && (fallback != "plaintext-first" || the server
//   refuses plaintext); psql connected at all <=> tls == "succeeds" || (fallback != "none" && the
//   server accepts plaintext); fallback follows from the mode; exit 0 <=> tls == "succeeds" and the
//   mode is not disable.
QStringList compareProbeOnly(
    const PsqlOutcome &psql, const test::ClientRun &ours, SslMode mode, bool plaintextAccepted)
{
    QString why;
    const std::optional<QJsonObject> report = reportOf(ours, &why);
    if (!report)
        return { QStringLiteral("%1; %2").arg(describe(psql), why) };
    const QJsonValue libpq
        = report->value(QLatin1String("probe")).toObject().value(QLatin1String("libpq"));
    const QString tls = libpq.toObject().value(QLatin1String("tls")).toString();
    const QString fallback = libpq.toObject().value(QLatin1String("fallback")).toString();
    const QString ourSide = QStringLiteral("pgtls-check --probe-only exit %1, probe.libpq %2")
                                .arg(ours.exitCode)
                                .arg(jsonText(libpq));
    if (!QStringList(
            { QStringLiteral("succeeds"), QStringLiteral("fails"), QStringLiteral("not-tried") })
             .contains(tls)
        || !QStringList(
            { QStringLiteral("none"), QStringLiteral("plaintext-first"),
                QStringLiteral("plaintext-after-failure"), QStringLiteral("plaintext-only") })
                .contains(fallback))
        return { QStringLiteral("no probe.libpq prediction; %1; %2").arg(describe(psql), ourSide) };

    QStringList problems;
    QString expectedFallback = QStringLiteral("none");
    if (mode == SslMode::Disable)
        expectedFallback = QStringLiteral("plaintext-only");
    else if (mode == SslMode::Allow)
        expectedFallback = QStringLiteral("plaintext-first");
    else if (mode == SslMode::Prefer && tls == QLatin1String("fails"))
        expectedFallback = QStringLiteral("plaintext-after-failure");
    if (fallback != expectedFallback)
        problems << QStringLiteral("fallback should be %1").arg(expectedFallback);
    if ((mode == SslMode::Disable) != (tls == QLatin1String("not-tried")))
        problems << QStringLiteral("tls \"not-tried\" is for disable only");
    const bool succeeds = tls == QLatin1String("succeeds");
    const bool predictsTls
        = succeeds && (fallback != QLatin1String("plaintext-first") || !plaintextAccepted);
    const bool predictsConnection
        = succeeds || (fallback != QLatin1String("none") && plaintextAccepted);
    if (predictsConnection != psql.connected)
        problems << QStringLiteral("predicts %1")
                        .arg(predictsConnection ? QStringLiteral("a connection")
                                                : QStringLiteral("no connection"));
    else if (psql.connected && predictsTls != (psql.ssl == QLatin1String("t")))
        problems << QStringLiteral("predicts %1")
                        .arg(predictsTls ? QStringLiteral("TLS") : QStringLiteral("plaintext"));
    if ((ours.exitCode == 0) != (succeeds && mode != SslMode::Disable))
        problems << QStringLiteral("exit code does not follow tls");
    if (problems.isEmpty())
        return {};
    return { QStringLiteral("%1: %2; %3")
                 .arg(problems.join(QStringLiteral(", ")), describe(psql), ourSide) };
}

} // namespace

class TestPsqlAgreement : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    // Split in three for ctest (each a test of its own, within its timeout also under ASan).
    void pgtlsCheckAgreesWithPsqlOnTrust_data();
    void pgtlsCheckAgreesWithPsqlOnTrust() { agreesWithPsql(); }
    void pgtlsCheckAgreesWithPsqlOnHostNames_data();
    void pgtlsCheckAgreesWithPsqlOnHostNames() { agreesWithPsql(); }
    void pgtlsCheckAgreesWithPsqlOnPlaintext_data();
    void pgtlsCheckAgreesWithPsqlOnPlaintext() { agreesWithPsql(); }
    void pgtlsCheckAgreesWithPsqlOnRevocation_data();
    void pgtlsCheckAgreesWithPsqlOnRevocation();

private:
    // One scenario (the row's) on every sslmode x CA file x host.
    void agreesWithPsql();
    // Runs psql, pgtls-check and pgtls-check --probe-only on every sslmode x CA file x host x
    // extra conninfo (each may be empty) in the lab's current scenario; returns the disagreements
    // and sets *count to the number of combinations.
    QStringList disagreements(bool plaintextAccepted, const QList<CaFile> &caFiles,
        const QList<Host> &hosts, const QStringList &extras, qsizetype *count);

    QProcessEnvironment environment() const
    {
        return test::labClientEnvironment(m_lab->passfilePath(), m_home.path());
    }

    Lab *m_lab = nullptr;
    QString m_psql;
    QTemporaryDir m_home; // HOME for every client: empty, so libpq's default root file is absent
    QTemporaryDir m_files; // the named-but-absent and the not-a-certificate CA files
};

void TestPsqlAgreement::initTestCase()
{
    QVERIFY(m_home.isValid() && m_files.isValid());
    m_psql = Lab::serverBinDirectory() + QStringLiteral("/psql");
    if (!QFileInfo(m_psql).isExecutable())
        m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    QVERIFY2(QFileInfo(m_psql).isExecutable(), "psql is needed (postgresql-client-15)");
    QFile notCert(m_files.filePath(QStringLiteral("notes.txt")));
    QVERIFY(notCert.open(QIODevice::WriteOnly));
    QVERIFY(notCert.write("These are my notes, not a certificate.\n") > 0);
    notCert.close();
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // libpq takes its default root file from HOME: prove that it is the absent one.
    QList<test::ClientRun> probe { { m_psql,
        { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-Atc"),
            QStringLiteral("select 1"),
            QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4 sslmode=verify-ca")
                .arg(Lab::endpointHostName())
                .arg(m_lab->port())
                .arg(m_lab->databaseName(), m_lab->userName()) },
        environment() } };
    test::runConcurrently(probe, 1);
    QVERIFY2(probe.first().exitCode == 2
            && probe.first().err.contains(
                QStringLiteral("root certificate file \"%1/.postgresql/root.crt\" does not exist")
                    .arg(m_home.path())
                    .toUtf8()),
        probe.first().err.constData());
}

void TestPsqlAgreement::cleanupTestCase()
{
    delete m_lab;
    m_lab = nullptr;
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsqlOnTrust_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<bool>("plaintextAccepted");
    QTest::newRow("a correct RDS certificate, plaintext refused") << Scenario::Correct << false;
    QTest::newRow("an expired certificate") << Scenario::Expired << false;
    QTest::newRow("a certificate from another CA") << Scenario::UnknownCa << false;
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsqlOnHostNames_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<bool>("plaintextAccepted");
    QTest::newRow("a certificate naming the host in its CN only") << Scenario::CnOnly << false;
    QTest::newRow("a certificate with an IP SAN only") << Scenario::IpSan << false;
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsqlOnPlaintext_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<bool>("plaintextAccepted");
    QTest::newRow("the correct certificate, plaintext accepted too")
        << Scenario::PlaintextAccepted << true;
    QTest::newRow("TLS switched off on the server") << Scenario::SslOff << true;
}

void TestPsqlAgreement::agreesWithPsql()
{
    QFETCH(Scenario, scenario);
    QFETCH(bool, plaintextAccepted);
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QList<CaFile> caFiles = {
        { QStringLiteral("libpq's default (absent)"), QString() },
        { QStringLiteral("a named CA file that does not exist"),
            m_files.filePath(QStringLiteral("no-such-root.crt")) },
        { QStringLiteral("the lab CA"), m_lab->caBundlePath(), true },
        { QStringLiteral("another CA"), m_lab->rogueCaBundlePath(), true },
        { QStringLiteral("a text file, not a certificate"),
            m_files.filePath(QStringLiteral("notes.txt")) },
    };
    const QList<Host> hosts = {
        { QStringLiteral("RDS name"),
            QStringLiteral("host=%1 hostaddr=127.0.0.1").arg(Lab::endpointHostName()) },
        { QStringLiteral("alias"),
            QStringLiteral("host=%1 hostaddr=127.0.0.1").arg(Lab::aliasHostName()) },
        { QStringLiteral("IP"), QStringLiteral("host=127.0.0.1") },
    };
    QElapsedTimer clock;
    clock.start();
    qsizetype count = 0;
    const QStringList found
        = disagreements(plaintextAccepted, caFiles, hosts, { QString() }, &count);
    qInfo("scenario %s: %lld combinations (sslmode x CA file x host), each compared with psql in "
          "full "
          "and --probe-only mode, in %lld ms",
        qPrintable(scenarioName(scenario)), qlonglong(count), clock.elapsed());
    if (QTest::currentTestFailed())
        return;
    for (const QString &d : found)
        qWarning("%s", qPrintable(d));
    QVERIFY2(found.isEmpty(),
        qPrintable(QStringLiteral("%1 of %2 comparisons disagree with psql on scenario %3 (each is "
                                  "printed above)")
                       .arg(found.size())
                       .arg(2 * count)
                       .arg(scenarioName(scenario))));
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsqlOnRevocation_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::newRow("a revoked certificate") << Scenario::Revoked;
    QTest::newRow("a correct certificate that no CRL revokes") << Scenario::Correct;
    QTest::newRow("a certificate that is not valid yet") << Scenario::NotYetValid;
}

// sslcrl (the lab's CRLs for the whole chain) with and without a root file: libpq checks the CRLs
// only when it verifies the chain.
void TestPsqlAgreement::pgtlsCheckAgreesWithPsqlOnRevocation()
{
    QFETCH(Scenario, scenario);
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QList<CaFile> caFiles = {
        { QStringLiteral("libpq's default (absent)"), QString() },
        { QStringLiteral("the lab CA"), m_lab->caBundlePath(), true },
    };
    const QList<Host> hosts = { { QStringLiteral("RDS name"),
        QStringLiteral("host=%1 hostaddr=127.0.0.1").arg(Lab::endpointHostName()) } };
    qsizetype count = 0;
    const QStringList found = disagreements(
        false, caFiles, hosts, { QString(), QStringLiteral("sslcrl=") + m_lab->crlPath() }, &count);
    qInfo("scenario %s: %lld combinations (sslmode x CA file x sslcrl) compared with psql in full "
          "and --probe-only mode",
        qPrintable(scenarioName(scenario)), qlonglong(count));
    if (QTest::currentTestFailed())
        return;
    for (const QString &d : found)
        qWarning("%s", qPrintable(d));
    QVERIFY2(found.isEmpty(),
        qPrintable(QStringLiteral("%1 of %2 comparisons disagree with psql on scenario %3 (each is "
                                  "printed above)")
                       .arg(found.size())
                       .arg(2 * count)
                       .arg(scenarioName(scenario))));
}

QStringList TestPsqlAgreement::disagreements(bool plaintextAccepted, const QList<CaFile> &caFiles,
    const QList<Host> &hosts, const QStringList &extras, qsizetype *count)
{
    struct Combination
    {
        SslMode mode;
        QString label;
        bool compareTrust;
    };
    QList<Combination> combinations;
    QList<test::ClientRun> runs; // per combination: psql, pgtls-check, pgtls-check --probe-only
    const QProcessEnvironment env = environment();
    for (SslMode mode : allSslModes()) {
        for (const CaFile &ca : caFiles) {
            for (const Host &host : hosts) {
                for (const QString &extra : extras) {
                    QString conninfo
                        = QStringLiteral("%1 port=%2 dbname=%3 user=%4 sslmode=%5")
                              .arg(host.conninfo)
                              .arg(m_lab->port())
                              .arg(m_lab->databaseName(), m_lab->userName(), sslModeName(mode));
                    if (!ca.path.isEmpty())
                        conninfo += QStringLiteral(" sslrootcert=") + ca.path;
                    QString label
                        = QStringLiteral("%1 / %2 / %3").arg(sslModeName(mode), ca.name, host.name);
                    if (!extra.isEmpty()) {
                        conninfo += QLatin1Char(' ') + extra;
                        label += QStringLiteral(" / ") + extra.section(QLatin1Char('='), 0, 0);
                    }
                    combinations.append(
                        { mode, label, mode == SslMode::VerifyCa && ca.holdsCertificates });
                    runs.append({ m_psql,
                        { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-Atc"),
                            QStringLiteral(
                                "select ssl from pg_stat_ssl where pid = pg_backend_pid()"),
                            conninfo },
                        env });
                    runs.append({ QStringLiteral(PGTLS_CHECK_BIN),
                        { QStringLiteral("--json"), conninfo }, env });
                    runs.append({ QStringLiteral(PGTLS_CHECK_BIN),
                        { QStringLiteral("--probe-only"), QStringLiteral("--json"), conninfo },
                        env });
                }
            }
        }
    }
    test::runConcurrently(runs, 6);

    QStringList found;
    *count = combinations.size();
    for (qsizetype i = 0; i < combinations.size(); ++i) {
        const Combination &c = combinations.at(i);
        const test::ClientRun &psqlRun = runs.at(3 * i);
        QString psqlError;
        const PsqlOutcome psql = psqlOutcome(psqlRun, &psqlError);
        if (!psqlError.isEmpty()) {
            // Not a disagreement: the comparison itself is impossible.
            QTest::qFail(
                qPrintable(
                    QStringLiteral("%1: %2 (%3)").arg(c.label, psqlError, psqlRun.commandLine())),
                __FILE__, __LINE__);
            return {};
        }
        for (const QString &d : compareFull(psql, runs.at(3 * i + 1), c.compareTrust))
            found << QStringLiteral("[full] %1: %2").arg(c.label, d);
        for (const QString &d :
            compareProbeOnly(psql, runs.at(3 * i + 2), c.mode, plaintextAccepted))
            found << QStringLiteral("[probe-only] %1: %2").arg(c.label, d);
    }
    return found;
}

QTEST_GUILESS_MAIN(TestPsqlAgreement)
#include "TestPsqlAgreement.moc"
