// SPDX-License-Identifier: MIT
// The CA file (sslrootcert) as libpq treats it, against the lab with psql beside pgtls-check: a
// named file that does not exist (verify-* fail, the weaker modes connect without any check), one
// that holds no certificate or is a directory (libpq fails to load it in every mode that uses TLS;
// prefer then retries without TLS), and the probe-only prediction of what libpq would do under
// prefer and allow on servers that refuse TLS or whose chain fails.
#include "Lab.h"
#include "../support/LabFixture.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// Runs `program` with no PG* variables of the caller's, HOME in `home` (no ~/.postgresql there).
Run run(const QString &program, const QStringList &args, const QString &home,
    const QString &passfile = QString())
{
    QProcess p;
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const QString &k : pe.keys()) {
        if (k.startsWith(QLatin1String("PG")))
            pe.remove(k);
    }
    pe.insert(QStringLiteral("HOME"), home);
    pe.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    pe.insert(QStringLiteral("LANGUAGE"), QStringLiteral("C"));
    if (!passfile.isEmpty())
        pe.insert(QStringLiteral("PGPASSFILE"), passfile);
    p.setProcessEnvironment(pe);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = "did not finish";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList problemCodes(const QJsonObject &report)
{
    QStringList codes;
    const QJsonArray problems = report.value(QStringLiteral("verdict"))
                                    .toObject()
                                    .value(QStringLiteral("problems"))
                                    .toArray();
    for (const QJsonValue &p : problems)
        codes << p.toObject().value(QStringLiteral("code")).toString();
    return codes;
}

QString severityOf(const QJsonObject &report, const QString &code)
{
    const QJsonArray problems = report.value(QStringLiteral("verdict"))
                                    .toObject()
                                    .value(QStringLiteral("problems"))
                                    .toArray();
    for (const QJsonValue &p : problems) {
        if (p.toObject().value(QStringLiteral("code")).toString() == code)
            return p.toObject().value(QStringLiteral("severity")).toString();
    }
    return {};
}

} // namespace

class TestRootFile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void namedCaFileOutcomeAgreesWithPsql_data();
    void namedCaFileOutcomeAgreesWithPsql();
    void namedMissingFileIsReportedAsTheTrap_data();
    void namedMissingFileIsReportedAsTheTrap();
    void probeOnlyWithANamedMissingFileKeepsTheChainAndSaysWhy();
    void probeOnlyWithAnUnusableFileFailsAsLibpqWould_data();
    void probeOnlyWithAnUnusableFileFailsAsLibpqWould();
    void probeOnlyPredictsPreferAndAllowOnAServerThatRefusesTls_data();
    void probeOnlyPredictsPreferAndAllowOnAServerThatRefusesTls();
    void probeOnlyPredictsPreferAndAllowWhenTheChainFails_data();
    void probeOnlyPredictsPreferAndAllowWhenTheChainFails();
    void probeOnlyPredictsSuccessWhereLibpqSucceeds_data();
    void probeOnlyPredictsSuccessWhereLibpqSucceeds();
    void unusableFileUnderPreferEndsInPlaintextLikePsql();
    void unreadableFileFailsInLibpqsWords();

private:
    QString conninfo(const QString &mode, const QString &rootFile) const;
    QString fileFor(const QString &kind) const;
    // psql's exit code and whether it used TLS (select ssl_is_used() printed "t").
    Run psql(const QString &conninfo) const;
    Run check(const QStringList &args) const;
    void predictionAgreesWithPsql(const QString &mode, const QString &rootFile,
        const QString &tls, const QString &fallback);

    Lab *m_lab = nullptr;
    QTemporaryDir m_dir;
    QString m_home; // an empty home: libpq's default ~/.postgresql/root.crt does not exist
    QString m_psql;
};

void TestRootFile::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(PGTLS_CHECK_BIN)), PGTLS_CHECK_BIN);
    m_psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    if (m_psql.isEmpty())
        m_psql = Lab::serverBinDirectory() + QStringLiteral("/psql");
    QVERIFY2(QFileInfo::exists(m_psql), "psql is needed (postgresql-client-15)");
    QVERIFY(m_dir.isValid());
    m_home = m_dir.filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(m_home));
    QFile notCert(m_dir.filePath(QStringLiteral("not-a-cert.pem")));
    QVERIFY(notCert.open(QIODevice::WriteOnly));
    notCert.write("this is a README, not a certificate\n");
    notCert.close();
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("a-directory.pem"))));
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestRootFile::cleanupTestCase()
{
    delete m_lab;
}

QString TestRootFile::fileFor(const QString &kind) const
{
    if (kind == QLatin1String("missing"))
        return m_dir.filePath(QStringLiteral("global-bundel.pem")); // the typo
    if (kind == QLatin1String("not-a-cert"))
        return m_dir.filePath(QStringLiteral("not-a-cert.pem"));
    if (kind == QLatin1String("directory"))
        return m_dir.filePath(QStringLiteral("a-directory.pem"));
    return m_lab->caBundlePath();
}

QString TestRootFile::conninfo(const QString &mode, const QString &rootFile) const
{
    const Endpoint ep = m_lab->endpoint();
    return QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4 sslmode=%5 "
                          "sslrootcert=%6")
        .arg(ep.host)
        .arg(m_lab->port())
        .arg(ep.dbname, ep.user, mode, rootFile);
}

Run TestRootFile::psql(const QString &conninfo) const
{
    return run(m_psql, { conninfo, QStringLiteral("-Atc"), QStringLiteral("select ssl_is_used()") },
        m_home, m_lab->passfilePath());
}

Run TestRootFile::check(const QStringList &args) const
{
    return run(QStringLiteral(PGTLS_CHECK_BIN), args, m_home, m_lab->passfilePath());
}

void TestRootFile::namedCaFileOutcomeAgreesWithPsql_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mode");
    for (const char *file : { "missing", "not-a-cert", "directory" }) {
        for (const char *mode : { "allow", "prefer", "require", "verify-ca", "verify-full" }) {
            QTest::addRow("a CA file that is %s, under %s: pgtls-check gets psql's outcome and words",
                file, mode)
                << QString::fromLatin1(file) << QString::fromLatin1(mode);
        }
    }
}

void TestRootFile::namedCaFileOutcomeAgreesWithPsql()
{
    QFETCH(QString, file);
    QFETCH(QString, mode);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    const QString info = conninfo(mode, fileFor(file));
    const Run theirs = psql(info);
    const Run ours = check({ info, QStringLiteral("--json") });
    QVERIFY2(ours.exitCode == 0 || ours.exitCode == 1, ours.err.constData());
    const QJsonObject report = ours.json();
    const QJsonObject session = report.value(QStringLiteral("session")).toObject();
    // The same outcome: connected or not, with TLS or not; the exit code follows it.
    QCOMPARE(session.value(QStringLiteral("connected")).toBool(), theirs.exitCode == 0);
    if (theirs.exitCode == 0) {
        QCOMPARE(session.value(QStringLiteral("ssl_in_use")).toBool(),
            theirs.out.trimmed() == "t");
        QCOMPARE(ours.exitCode, 0);
    } else {
        QCOMPARE(ours.exitCode, 1);
        // libpq's words, as psql prints them (its first failure line, without "psql: error: ").
        const QString said = QString::fromUtf8(theirs.err)
                                 .section(QLatin1Char('\n'), 0, 0)
                                 .remove(QStringLiteral("psql: error: "));
        QVERIFY2(session.value(QStringLiteral("error")).toString().contains(said),
            qPrintable(said + QStringLiteral(" | ") + session.value(QStringLiteral("error")).toString()));
    }
    const QJsonObject root = report.value(QStringLiteral("root_cert")).toObject();
    QCOMPARE(root.value(QStringLiteral("path")).toString(), fileFor(file));
    QCOMPARE(root.value(QStringLiteral("named")).toBool(), true);
    QCOMPARE(root.value(QStringLiteral("exists")).toBool(), file != QLatin1String("missing"));
    QCOMPARE(root.value(QStringLiteral("state")).toString(),
        file == QLatin1String("missing") ? QStringLiteral("missing") : QStringLiteral("unusable"));
}

void TestRootFile::namedMissingFileIsReportedAsTheTrap_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("severity");
    QTest::newRow("allow connects unverified, and the warning names the trap")
        << QStringLiteral("allow") << 0 << QStringLiteral("root-cert-named-missing-unverified")
        << QStringLiteral("warning");
    QTest::newRow("prefer connects unverified, and the warning names the trap")
        << QStringLiteral("prefer") << 0 << QStringLiteral("root-cert-named-missing-unverified")
        << QStringLiteral("warning");
    QTest::newRow("require connects unverified, and the warning names the trap")
        << QStringLiteral("require") << 0 << QStringLiteral("root-cert-named-missing-unverified")
        << QStringLiteral("warning");
    QTest::newRow("verify-full fails, as libpq does, with the download fix")
        << QStringLiteral("verify-full") << 1 << QStringLiteral("root-cert-named-missing")
        << QStringLiteral("error");
    QTest::newRow("verify-ca fails, as libpq does, with the download fix")
        << QStringLiteral("verify-ca") << 1 << QStringLiteral("root-cert-named-missing")
        << QStringLiteral("error");
}

void TestRootFile::namedMissingFileIsReportedAsTheTrap()
{
    // Probe-only: the verdict is ours alone (the session's failure text is the classifier's).
    QFETCH(QString, mode);
    QFETCH(int, exitCode);
    QFETCH(QString, code);
    QFETCH(QString, severity);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    const QString missing = fileFor(QStringLiteral("missing"));
    const Run r = check({ QStringLiteral("--probe-only"), conninfo(mode, missing),
        QStringLiteral("--json") });
    QCOMPARE(r.exitCode, exitCode);
    const QJsonObject report = r.json();
    QVERIFY2(problemCodes(report).contains(code), qPrintable(problemCodes(report).join(u',')));
    QCOMPARE(severityOf(report, code), severity);
    QCOMPARE(report.value(QStringLiteral("root_cert")).toObject().value(QStringLiteral("problem_code")).toString(),
        code);
    const QJsonArray problems
        = report.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("problems")).toArray();
    for (const QJsonValue &v : problems) {
        const QJsonObject p = v.toObject();
        if (p.value(QStringLiteral("code")).toString() != code)
            continue;
        QVERIFY2(p.value(QStringLiteral("explanation")).toString().contains(missing),
            qPrintable(p.value(QStringLiteral("explanation")).toString()));
        QVERIFY2(p.value(QStringLiteral("explanation")).toString().contains(QStringLiteral("You named")),
            qPrintable(p.value(QStringLiteral("explanation")).toString()));
        QVERIFY2(p.value(QStringLiteral("fix")).toString().contains(QStringLiteral("global-bundle.pem")),
            qPrintable(p.value(QStringLiteral("fix")).toString()));
    }
    // The text report says which file, that it does not exist, and what that means here.
    const Run text = check({ QStringLiteral("--probe-only"), conninfo(mode, missing) });
    QCOMPARE(text.exitCode, exitCode);
    QVERIFY2(text.out.contains("(named by sslrootcert), does not exist"), text.out.constData());
    if (exitCode == 0)
        QVERIFY2(text.out.contains("NOTHING is verified"), text.out.constData());
    else
        QVERIFY2(text.out.contains("libpq fails before the TLS handshake"), text.out.constData());
}

void TestRootFile::probeOnlyWithANamedMissingFileKeepsTheChainAndSaysWhy()
{
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    const Run r = check({ QStringLiteral("--probe-only"),
        conninfo(QStringLiteral("prefer"), fileFor(QStringLiteral("missing"))),
        QStringLiteral("--json") });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject probe = r.json().value(QStringLiteral("probe")).toObject();
    QVERIFY(probe.value(QStringLiteral("chain")).toArray().size() >= 2);
    const QJsonObject trust = probe.value(QStringLiteral("trust")).toObject();
    QCOMPARE(trust.value(QStringLiteral("verified")).toBool(true), false);
    QVERIFY2(trust.value(QStringLiteral("error")).toString().contains(QStringLiteral("does not exist")),
        qPrintable(trust.value(QStringLiteral("error")).toString()));
    const QJsonObject libpq = probe.value(QStringLiteral("libpq")).toObject();
    QCOMPARE(libpq.value(QStringLiteral("tls")).toString(), QStringLiteral("succeeds"));
    QCOMPARE(libpq.value(QStringLiteral("fallback")).toString(), QStringLiteral("none"));
}

void TestRootFile::probeOnlyWithAnUnusableFileFailsAsLibpqWould_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("fallback");
    QTest::newRow("a file with no certificate under prefer: TLS fails, prefer retries without it")
        << QStringLiteral("not-a-cert") << QStringLiteral("prefer")
        << QStringLiteral("plaintext-after-failure");
    QTest::newRow("a directory under require: TLS fails, no fallback")
        << QStringLiteral("directory") << QStringLiteral("require") << QStringLiteral("none");
    QTest::newRow("a file with no certificate under verify-full: TLS fails, no fallback")
        << QStringLiteral("not-a-cert") << QStringLiteral("verify-full") << QStringLiteral("none");
    QTest::newRow("a directory under allow: plaintext first, TLS would fail")
        << QStringLiteral("directory") << QStringLiteral("allow") << QStringLiteral("plaintext-first");
}

void TestRootFile::probeOnlyWithAnUnusableFileFailsAsLibpqWould()
{
    QFETCH(QString, file);
    QFETCH(QString, mode);
    QFETCH(QString, fallback);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    const Run r = check({ QStringLiteral("--probe-only"), conninfo(mode, fileFor(file)),
        QStringLiteral("--json") });
    QCOMPARE(r.exitCode, 1);
    const QJsonObject report = r.json();
    const QJsonObject probe = report.value(QStringLiteral("probe")).toObject();
    QCOMPARE(probe.value(QStringLiteral("libpq")).toObject().value(QStringLiteral("tls")).toString(),
        QStringLiteral("fails"));
    QCOMPARE(probe.value(QStringLiteral("libpq")).toObject().value(QStringLiteral("fallback")).toString(),
        fallback);
    QVERIFY2(problemCodes(report).contains(QStringLiteral("root-cert-unusable")),
        qPrintable(problemCodes(report).join(u',')));
    // libpq's words, and the chain still shown with the reason it was not verified.
    QVERIFY(report.value(QStringLiteral("root_cert")).toObject().value(QStringLiteral("error"))
                .toString()
                .startsWith(QStringLiteral("could not read root certificate file")));
    QVERIFY(probe.value(QStringLiteral("chain")).toArray().size() >= 2);
    QVERIFY(probe.value(QStringLiteral("trust")).toObject().value(QStringLiteral("error"))
                .toString()
                .contains(QStringLiteral("could not read root certificate file")));
}

void TestRootFile::predictionAgreesWithPsql(
    const QString &mode, const QString &rootFile, const QString &tls, const QString &fallback)
{
    const QString info = conninfo(mode, rootFile);
    const Run r = check({ QStringLiteral("--probe-only"), info, QStringLiteral("--json") });
    const QJsonObject report = r.json();
    const QJsonObject libpq
        = report.value(QStringLiteral("probe")).toObject().value(QStringLiteral("libpq")).toObject();
    QCOMPARE(libpq.value(QStringLiteral("tls")).toString(), tls);
    QCOMPARE(libpq.value(QStringLiteral("fallback")).toString(), fallback);
    QCOMPARE(r.exitCode, tls == QLatin1String("succeeds") ? 0 : 1);
    // The contract, checked with psql in the same scenario (the server's plaintext answer learned
    // with sslmode=disable, which the probe itself never learns).
    const bool plaintextAccepted = psql(conninfo(QStringLiteral("disable"), rootFile)).exitCode == 0;
    const Run theirs = psql(info);
    const bool psqlConnected = theirs.exitCode == 0;
    const bool psqlTls = psqlConnected && theirs.out.trimmed() == "t";
    const bool succeeds = tls == QLatin1String("succeeds");
    QCOMPARE(psqlTls,
        succeeds && (fallback != QLatin1String("plaintext-first") || !plaintextAccepted));
    QCOMPARE(psqlConnected,
        succeeds || (fallback != QLatin1String("none") && plaintextAccepted));
}

void TestRootFile::probeOnlyPredictsPreferAndAllowOnAServerThatRefusesTls_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("code");
    QTest::newRow("prefer on ssl=off: TLS fails, libpq would go on without it")
        << QStringLiteral("prefer") << QStringLiteral("plaintext-after-failure")
        << QStringLiteral("sslmode=prefer would go on without it")
        << QStringLiteral("prefer-retries-plaintext");
    QTest::newRow("allow on ssl=off: plaintext goes first")
        << QStringLiteral("allow") << QStringLiteral("plaintext-first")
        << QStringLiteral("sslmode=allow tries plaintext first")
        << QStringLiteral("allow-tls-would-fail");
    QTest::newRow("require on ssl=off: TLS fails, nothing else is tried")
        << QStringLiteral("require") << QStringLiteral("none")
        << QStringLiteral("the server refuses TLS") << QStringLiteral("ssl-not-supported");
}

void TestRootFile::probeOnlyPredictsPreferAndAllowOnAServerThatRefusesTls()
{
    QFETCH(QString, mode);
    QFETCH(QString, fallback);
    QFETCH(QString, summary);
    QFETCH(QString, code);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::SslOff), QString());
    predictionAgreesWithPsql(mode, m_lab->caBundlePath(), QStringLiteral("fails"), fallback);
    const Run r = check({ QStringLiteral("--probe-only"), conninfo(mode, m_lab->caBundlePath()),
        QStringLiteral("--json") });
    const QJsonObject report = r.json();
    QVERIFY2(report.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("summary"))
                 .toString()
                 .contains(summary),
        r.out.constData());
    QVERIFY2(problemCodes(report).contains(code), qPrintable(problemCodes(report).join(u',')));
    if (mode != QLatin1String("require")) {
        const Run text = check({ QStringLiteral("--probe-only"), conninfo(mode, m_lab->caBundlePath()) });
        QVERIFY2(text.out.contains("libpq would  "), text.out.constData());
        QVERIFY2(text.out.contains("the probe cannot tell"), text.out.constData());
        // The HTML report says it in one line.
        const QString html = m_dir.filePath(QStringLiteral("report-%1.html").arg(mode));
        QCOMPARE(check({ QStringLiteral("--probe-only"), conninfo(mode, m_lab->caBundlePath()),
                     QStringLiteral("--html"), html })
                     .exitCode,
            1);
        QFile f(html);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(f.readAll());
        QVERIFY2(page.contains(QStringLiteral("libpq would")), qPrintable(page));
        QVERIFY2(page.contains(QStringLiteral("TLS: fails")), qPrintable(page));
        QVERIFY2(page.contains(QStringLiteral("plaintext: %1").arg(fallback)), qPrintable(page));
    }
}

void TestRootFile::probeOnlyPredictsPreferAndAllowWhenTheChainFails_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<QString>("code");
    QTest::newRow("prefer with the lab CA file and a chain from another CA retries without TLS")
        << QStringLiteral("prefer") << QStringLiteral("plaintext-after-failure")
        << QStringLiteral("prefer-retries-plaintext");
    QTest::newRow("allow with the lab CA file and a chain from another CA goes plaintext first")
        << QStringLiteral("allow") << QStringLiteral("plaintext-first")
        << QStringLiteral("allow-tls-would-fail");
    QTest::newRow("require with the lab CA file verifies like verify-ca, and fails")
        << QStringLiteral("require") << QStringLiteral("none") << QStringLiteral("unknown-ca");
}

void TestRootFile::probeOnlyPredictsPreferAndAllowWhenTheChainFails()
{
    QFETCH(QString, mode);
    QFETCH(QString, fallback);
    QFETCH(QString, code);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::UnknownCa), QString());
    predictionAgreesWithPsql(mode, m_lab->caBundlePath(), QStringLiteral("fails"), fallback);
    const Run r = check({ QStringLiteral("--probe-only"), conninfo(mode, m_lab->caBundlePath()),
        QStringLiteral("--json") });
    const QJsonObject report = r.json();
    QVERIFY2(problemCodes(report).contains(code), qPrintable(problemCodes(report).join(u',')));
    QVERIFY2(problemCodes(report).contains(QStringLiteral("unknown-ca")),
        qPrintable(problemCodes(report).join(u',')));
}

void TestRootFile::probeOnlyPredictsSuccessWhereLibpqSucceeds_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("fallback");
    QTest::newRow("prefer with the right CA file: TLS succeeds, no fallback")
        << QStringLiteral("prefer") << QStringLiteral("lab") << QStringLiteral("none");
    QTest::newRow("allow with the right CA file: TLS would succeed, plaintext goes first")
        << QStringLiteral("allow") << QStringLiteral("lab") << QStringLiteral("plaintext-first");
    QTest::newRow("verify-full with the right CA file: TLS succeeds")
        << QStringLiteral("verify-full") << QStringLiteral("lab") << QStringLiteral("none");
    QTest::newRow("require with a named file that does not exist: TLS succeeds, unverified")
        << QStringLiteral("require") << QStringLiteral("missing") << QStringLiteral("none");
}

void TestRootFile::probeOnlyPredictsSuccessWhereLibpqSucceeds()
{
    QFETCH(QString, mode);
    QFETCH(QString, file);
    QFETCH(QString, fallback);
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    predictionAgreesWithPsql(mode, fileFor(file), QStringLiteral("succeeds"), fallback);
}

void TestRootFile::unusableFileUnderPreferEndsInPlaintextLikePsql()
{
    // A server that accepts plaintext: the file meant to add verification removed encryption.
    QCOMPARE(test::switchScenario(*m_lab, Scenario::PlaintextAccepted), QString());
    const QString info = conninfo(QStringLiteral("prefer"), fileFor(QStringLiteral("not-a-cert")));
    const Run theirs = psql(info);
    QCOMPARE(theirs.exitCode, 0);
    QCOMPARE(theirs.out.trimmed(), QByteArray("f"));
    const Run ours = check({ info, QStringLiteral("--json") });
    QCOMPARE(ours.exitCode, 0);
    const QJsonObject report = ours.json();
    const QJsonObject session = report.value(QStringLiteral("session")).toObject();
    QCOMPARE(session.value(QStringLiteral("connected")).toBool(), true);
    QCOMPARE(session.value(QStringLiteral("ssl_in_use")).toBool(true), false);
    QVERIFY2(problemCodes(report).contains(QStringLiteral("root-cert-unusable")),
        qPrintable(problemCodes(report).join(u',')));
    QCOMPARE(severityOf(report, QStringLiteral("root-cert-unusable")), QStringLiteral("warning"));
    QVERIFY2(problemCodes(report).contains(QStringLiteral("not-encrypted")),
        qPrintable(problemCodes(report).join(u',')));
}

void TestRootFile::unreadableFileFailsInLibpqsWords()
{
    // A CA file that cannot be read (mode 000). As root every file is readable: both clients then
    // run as nobody, in a directory nobody may enter.
    QCOMPARE(test::switchScenario(*m_lab, Scenario::Correct), QString());
    QVERIFY(QFile::setPermissions(m_dir.path(),
        QFile::permissions(m_dir.path()) | QFile::ExeOther | QFile::ExeGroup));
    const QString path = m_dir.filePath(QStringLiteral("locked.pem"));
    QVERIFY(QFile::copy(m_lab->caBundlePath(), path));
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
    const QString info = conninfo(QStringLiteral("require"), path);
    auto asUser = [](const QString &program, const QStringList &args) {
        if (geteuid() != 0)
            return QPair<QString, QStringList>(program, args);
        return QPair<QString, QStringList>(QStringLiteral("setpriv"),
            QStringList { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                QStringLiteral("--clear-groups"), program }
                + args);
    };
    const auto theirsCmd = asUser(m_psql, { info, QStringLiteral("-Atc"), QStringLiteral("select 1") });
    const Run theirs = run(theirsCmd.first, theirsCmd.second, m_dir.path());
    QCOMPARE(theirs.exitCode, 2);
    const QString said = QString::fromUtf8(theirs.err)
                             .section(QLatin1Char('\n'), 0, 0)
                             .section(QStringLiteral("failed: "), 1);
    QVERIFY2(said.startsWith(QStringLiteral("could not read root certificate file \"%1\"").arg(path)),
        theirs.err.constData());
    const auto oursCmd = asUser(QStringLiteral(PGTLS_CHECK_BIN),
        { QStringLiteral("--probe-only"), info, QStringLiteral("--json") });
    const Run ours = run(oursCmd.first, oursCmd.second, m_dir.path());
    QCOMPARE(ours.exitCode, 1);
    const QJsonObject report = ours.json();
    const QJsonObject root = report.value(QStringLiteral("root_cert")).toObject();
    QCOMPARE(root.value(QStringLiteral("kind")).toString(), QStringLiteral("unreadable"));
    QCOMPARE(root.value(QStringLiteral("state")).toString(), QStringLiteral("unusable"));
    // libpq's words exactly (psql's trailing space included).
    QCOMPARE(root.value(QStringLiteral("error")).toString(), said);
    QCOMPARE(report.value(QStringLiteral("probe")).toObject().value(QStringLiteral("libpq"))
                 .toObject().value(QStringLiteral("tls")).toString(),
        QStringLiteral("fails"));
}

QTEST_GUILESS_MAIN(TestRootFile)
#include "TestRootFile.moc"
