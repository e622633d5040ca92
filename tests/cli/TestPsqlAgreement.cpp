// SPDX-License-Identifier: MIT
// pgtls-check's outcome must agree with psql's for every sslmode, CA file and host name, on every
// lab scenario that changes what libpq decides.
#include "Lab.h"
#include "../support/LabFixture.h"
#include "SslMode.h"

#include <QProcess>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;

class TestPsqlAgreement : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void pgtlsCheckAgreesWithPsql_data();
    void pgtlsCheckAgreesWithPsql();

private:
    Lab *m_lab = nullptr;
    QString m_psql;
};

static int run(const QString &program, const QStringList &args, const QString &passfile, QByteArray *output = nullptr)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    }
    env.insert(QStringLiteral("PGPASSFILE"), passfile);
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (output)
        *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

void TestPsqlAgreement::initTestCase()
{
    QVERIFY2(!QFileInfo::exists(QStringLiteral("/root/.postgresql/root.crt")),
             "a ~/.postgresql/root.crt would change libpq's behaviour in this test");
    m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    if (m_psql.isEmpty())
        m_psql = Lab::serverBinDirectory() + QStringLiteral("/psql");
    QVERIFY2(QFileInfo::exists(m_psql), "psql is needed (postgresql-client-15)");
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestPsqlAgreement::cleanupTestCase()
{
    delete m_lab;
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsql_data()
{
    QTest::addColumn<Scenario>("scenario");
    const QList<Scenario> scenarios = { Scenario::Correct, Scenario::UnknownCa, Scenario::Expired,
                                        Scenario::PlaintextAccepted, Scenario::SslOff };
    for (Scenario s : scenarios)
        QTest::newRow(qPrintable(scenarioName(s))) << s;
}

void TestPsqlAgreement::pgtlsCheckAgreesWithPsql()
{
    QFETCH(Scenario, scenario);
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString rogue = m_lab->rogueCaBundlePath();
    const QList<QPair<QString, QString>> caFiles = { { QStringLiteral("lab CA"), m_lab->caBundlePath() },
                                                     { QStringLiteral("another CA"), rogue },
                                                     { QStringLiteral("no CA file"), QString() } };
    const QStringList hosts = { Lab::endpointHostName(), Lab::aliasHostName() };
    QStringList disagreements;
    int cases = 0;
    for (const QString &mode : allSslModeNames()) {
        for (const auto &[caName, caFile] : caFiles) {
            for (const QString &host : hosts) {
                QString conninfo = QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4 sslmode=%5")
                                       .arg(host)
                                       .arg(m_lab->port())
                                       .arg(m_lab->databaseName(), m_lab->userName(), mode);
                if (!caFile.isEmpty())
                    conninfo += QStringLiteral(" sslrootcert=") + caFile;
                QByteArray psqlOut, ourOut;
                const int psql = run(m_psql, { conninfo, QStringLiteral("-Atc"), QStringLiteral("select 1") },
                                     m_lab->passfilePath(), &psqlOut);
                const int ours = run(QStringLiteral(PGTLS_CHECK_BIN), { conninfo }, m_lab->passfilePath(), &ourOut);
                ++cases;
                QVERIFY2(ours == 0 || ours == 1, qPrintable(QStringLiteral("%1: exit %2\n%3").arg(conninfo).arg(ours).arg(QString::fromUtf8(ourOut))));
                if ((psql == 0) != (ours == 0)) {
                    disagreements << QStringLiteral("%1 / %2 / %3: psql exit %4 (%5), pgtls-check exit %6 (%7)")
                                         .arg(mode, caName, host)
                                         .arg(psql)
                                         .arg(QString::fromUtf8(psqlOut).trimmed())
                                         .arg(ours)
                                         .arg(QString::fromUtf8(ourOut.left(ourOut.indexOf('\n'))));
                }
            }
        }
    }
    qInfo("%d combinations compared with psql on scenario %s", cases, qPrintable(scenarioName(scenario)));
    QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestPsqlAgreement)
#include "TestPsqlAgreement.moc"
