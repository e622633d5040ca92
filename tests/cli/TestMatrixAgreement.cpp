// SPDX-License-Identifier: MIT
// `pgtls-check --matrix` must record what happened: each row's connected and encrypted against
// psql in that row's sslmode, on servers that refuse plaintext, accept it, and have TLS off. Rows
// whose password was withheld count as connected when libpq got to the authentication request
// (Judge::matrixRow), and as encrypted when libpq's TLS was in use there.
#include "../support/ClientRuns.h"
#include "../support/LabFixture.h"
#include "Lab.h"
#include "SslMode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;

class TestMatrixAgreement : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyMatrixRowAgreesWithPsql_data();
    void everyMatrixRowAgreesWithPsql();

private:
    Lab *m_lab = nullptr;
    QString m_psql;
    QTemporaryDir m_home; // HOME for every client: empty, so libpq's default root file is absent
};

void TestMatrixAgreement::initTestCase()
{
    QVERIFY(m_home.isValid());
    m_psql = Lab::serverBinDirectory() + QStringLiteral("/psql");
    if (!QFileInfo(m_psql).isExecutable())
        m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    QVERIFY2(QFileInfo(m_psql).isExecutable(), "psql is needed (postgresql-client-15)");
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestMatrixAgreement::cleanupTestCase()
{
    delete m_lab;
    m_lab = nullptr;
}

void TestMatrixAgreement::everyMatrixRowAgreesWithPsql_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QString>("sslmode"); // the mode asked for (decides which rows withhold)
    // sslrootcert: "lab" (the lab CA), "rogue" (another CA), "missing" (named, does not exist),
    // "default" (none: libpq's default, absent)
    QTest::addColumn<QString>("caFile");

    QTest::newRow("plaintext refused, verify-full with the lab CA asked for")
        << Scenario::Correct << "verify-full"
        << "lab";
    QTest::newRow("plaintext refused, prefer without a CA file asked for")
        << Scenario::Correct << "prefer"
        << "default";
    QTest::newRow("plaintext refused, verify-full with another CA asked for")
        << Scenario::Correct << "verify-full"
        << "rogue";
    QTest::newRow("plaintext refused, require with a named CA file that does not exist")
        << Scenario::Correct << "require"
        << "missing";
    QTest::newRow("plaintext refused and an expired certificate, verify-full asked for")
        << Scenario::Expired << "verify-full"
        << "lab";
    QTest::newRow("plaintext accepted, verify-full with the lab CA asked for")
        << Scenario::PlaintextAccepted << "verify-full"
        << "lab";
    QTest::newRow("plaintext accepted, prefer without a CA file asked for")
        << Scenario::PlaintextAccepted << "prefer"
        << "default";
    QTest::newRow("plaintext accepted, verify-full with another CA asked for")
        << Scenario::PlaintextAccepted << "verify-full"
        << "rogue";
    QTest::newRow("TLS off, verify-full with the lab CA asked for")
        << Scenario::SslOff << "verify-full"
        << "lab";
    QTest::newRow("TLS off, disable without a CA file asked for") << Scenario::SslOff << "disable"
                                                                  << "default";
}

void TestMatrixAgreement::everyMatrixRowAgreesWithPsql()
{
    QFETCH(Scenario, scenario);
    QFETCH(QString, sslmode);
    QFETCH(QString, caFile);
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QString base
        = QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4%5")
              .arg(Lab::endpointHostName())
              .arg(m_lab->port())
              .arg(m_lab->databaseName(), m_lab->userName(),
                  caFile == QLatin1String("default") ? QString()
                                                     : QStringLiteral(" sslrootcert=")
                          + (caFile == QLatin1String("lab") ? m_lab->caBundlePath()
                                  : caFile == QLatin1String("rogue")
                                  ? m_lab->rogueCaBundlePath()
                                  : m_home.filePath(QStringLiteral("no-such-root.crt"))));
    const QProcessEnvironment env
        = test::labClientEnvironment(m_lab->passfilePath(), m_home.path());
    QList<test::ClientRun> runs;
    runs.append({ QStringLiteral(PGTLS_CHECK_BIN),
        { QStringLiteral("--matrix"), QStringLiteral("--json"),
            base + QStringLiteral(" sslmode=") + sslmode },
        env });
    const QList<SslMode> modes = allSslModes();
    for (SslMode mode : modes) {
        runs.append({ m_psql,
            { QStringLiteral("-X"), QStringLiteral("-w"), QStringLiteral("-Atc"),
                QStringLiteral("select ssl from pg_stat_ssl where pid = pg_backend_pid()"),
                base + QStringLiteral(" sslmode=") + sslModeName(mode) },
            env });
    }
    test::runConcurrently(runs, 6);

    const test::ClientRun &matrixRun = runs.first();
    QVERIFY2(matrixRun.exitCode == 0 || matrixRun.exitCode == 1,
        qPrintable(QStringLiteral("%1: exit %2: %3")
                       .arg(matrixRun.commandLine())
                       .arg(matrixRun.exitCode)
                       .arg(QString::fromUtf8(matrixRun.err))));
    const QJsonDocument doc = QJsonDocument::fromJson(matrixRun.out);
    QVERIFY2(doc.isObject(), matrixRun.out.left(2000).constData());
    const QJsonArray rows = doc.object().value(QLatin1String("matrix")).toArray();
    QCOMPARE(rows.size(), modes.size());

    QStringList disagreements;
    for (qsizetype i = 0; i < modes.size(); ++i) {
        const SslMode mode = modes.at(i);
        const QJsonObject row = rows.at(i).toObject();
        QCOMPARE(row.value(QLatin1String("sslmode")).toString(), sslModeName(mode));
        const test::ClientRun &psql = runs.at(1 + i);
        const QString out = QString::fromUtf8(psql.out).trimmed();
        const QString err = QString::fromUtf8(psql.err).trimmed().replace(
            QLatin1Char('\n'), QLatin1String("\\n"));
        QVERIFY2((psql.exitCode == 0 && (out == QLatin1String("t") || out == QLatin1String("f")))
                || (psql.exitCode == 2 && err.startsWith(QLatin1String("psql: error: "))),
            qPrintable(QStringLiteral("%1: exit %2, stdout \"%3\", stderr \"%4\"")
                           .arg(psql.commandLine())
                           .arg(psql.exitCode)
                           .arg(out, err)));
        const bool psqlConnected = psql.exitCode == 0;
        const bool psqlEncrypted = psqlConnected && out == QLatin1String("t");
        const bool connected = row.value(QLatin1String("connected")).toBool();
        const bool encrypted = row.value(QLatin1String("encrypted")).toBool();
        if (connected == psqlConnected && encrypted == psqlEncrypted)
            continue;
        disagreements << QStringLiteral("%1 row: connected %2, encrypted %3 (password_withheld %4, "
                                        "error %5, note \"%6\"); psql: %7")
                             .arg(sslModeName(mode))
                             .arg(connected ? QStringLiteral("yes") : QStringLiteral("no"),
                                 encrypted ? QStringLiteral("yes") : QStringLiteral("no"),
                                 row.value(QLatin1String("password_withheld")).toBool()
                                     ? QStringLiteral("yes")
                                     : QStringLiteral("no"),
                                 row.value(QLatin1String("error"))
                                     .toString()
                                     .replace(QLatin1Char('\n'), QLatin1String("\\n")),
                                 row.value(QLatin1String("note")).toString(),
                                 psqlConnected ? QStringLiteral("connected, ssl=%1").arg(out)
                                               : QStringLiteral("failed: %1").arg(err));
    }
    qInfo("scenario %s, %s with CA file \"%s\" asked for: %lld matrix rows compared with psql",
        qPrintable(scenarioName(scenario)), qPrintable(sslmode), qPrintable(caFile),
        qlonglong(rows.size()));
    for (const QString &d : std::as_const(disagreements))
        qWarning("%s", qPrintable(d));
    QVERIFY2(disagreements.isEmpty(),
        qPrintable(QStringLiteral("%1 of %2 matrix rows disagree with psql (each is printed above)")
                       .arg(disagreements.size())
                       .arg(rows.size())));
}

QTEST_GUILESS_MAIN(TestMatrixAgreement)
#include "TestMatrixAgreement.moc"
