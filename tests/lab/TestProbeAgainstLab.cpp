// SPDX-License-Identifier: MIT
// Integration: the inspection (probe-only) against the real lab, one scenario at a time,
// asserting the report's fields.
#include "CertificateInfo.h"
#include "Inspector.h"
#include "Lab.h"
#include "../support/LabFixture.h"
#include "../support/TestCerts.h"
#include "ReportJson.h"
#include "RootCert.h"
#include "TlsProbe.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/x509_vfy.h>

using namespace pgtls;
using namespace pgtls::lab;

class TestProbeAgainstLab : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void correctEndpointIsEncryptedAndVerified();
    void aliasFailsTheHostNameCheckWithTheAliasExplanation();
    void aliasPassesUnderVerifyCaWithAWarning();
    void unknownCaIsNotTrusted();
    void unknownCaUnderRequireIsEncryptedButNotAuthenticated();
    void expiredCertificateIsRefused();
    void anExpiredChainIsStillBuiltToTheBundlesAnchor();
    void revocationListsReachTheProbeAsTheyReachLibpq_data();
    void revocationListsReachTheProbeAsTheyReachLibpq();
    void plaintextAcceptedStillOffersTls();
    void sslOffMeansTlsRefused();
    void defaultRootCertIsUsedWhenNoneGiven();
    void validityIsJudgedAtTheGivenTime();

private:
    InspectionReport inspect(Scenario scenario, SslMode mode, const QString &homeDir = QString(),
                             bool keepRootCert = true);
    void switchTo(Scenario scenario);
    // psql -Atc "select 1" with `conninfo` (PG* variables removed, the lab's passfile, HOME =
    // `home` when given): its exit code, *output its words.
    int psql(const QString &conninfo, const QString &home, QByteArray *output) const;

    Lab *m_lab = nullptr;
    QTemporaryDir m_emptyHome;
    QString m_rootSha256;
};

void TestProbeAgainstLab::initTestCase()
{
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qInfo("lab started in %lld ms on port %u", m_lab->startMilliseconds(), m_lab->port());
    QFile ca(m_lab->caBundlePath());
    QVERIFY(ca.open(QIODevice::ReadOnly));
    const QList<CertificateInfo> roots = CertificateInfo::fromPemAll(ca.readAll());
    QCOMPARE(roots.size(), 1);
    m_rootSha256 = roots.first().sha256;
}

void TestProbeAgainstLab::cleanupTestCase()
{
    const QString dir = m_lab->directory();
    delete m_lab;
    QVERIFY(!QFileInfo::exists(dir));
}

void TestProbeAgainstLab::switchTo(Scenario scenario)
{
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

InspectionReport TestProbeAgainstLab::inspect(Scenario scenario, SslMode mode, const QString &homeDir,
                                             bool keepRootCert)
{
    switchTo(scenario);
    Endpoint ep = m_lab->endpoint();
    ep.sslmode = mode;
    if (!keepRootCert)
        ep.sslrootcert.clear();
    Inspector inspector;
    QSignalSpy finished(&inspector, &Inspector::finished);
    InspectionOptions options;
    options.timeoutMs = 10000;
    options.homeDirectory = homeDir.isEmpty() ? m_emptyHome.path() : homeDir;
    inspector.start(ep, options);
    if (!finished.wait(15000))
        qWarning("inspection did not finish");
    InspectionReport r = inspector.report();
    if (finished.count() != 1)
        r.probe.outcome = ProbeResult::Outcome::NotRun; // makes the caller's first check fail
    return r;
}

static bool hasProblem(const InspectionReport &r, const QString &code, Problem::Severity severity)
{
    return std::any_of(r.problems.cbegin(), r.problems.cend(), [&](const Problem &p) {
        return p.code == code && p.severity == severity;
    });
}

void TestProbeAgainstLab::correctEndpointIsEncryptedAndVerified()
{
    const InspectionReport r = inspect(Scenario::Correct, SslMode::VerifyFull);
    const ProbeResult &p = r.probe;
    QCOMPARE(p.outcome, ProbeResult::Outcome::TlsEstablished);
    QVERIFY(p.tlsOffered);
    QCOMPARE(p.connectedAddress, QStringLiteral("127.0.0.1:%1").arg(m_lab->port()));
    QCOMPARE(p.sni, Lab::endpointHostName());
    QCOMPARE(p.protocol, QStringLiteral("TLSv1.3"));
    QVERIFY(!p.cipher.isEmpty());
    QVERIFY(!p.group.isEmpty());
    // The server sends leaf + intermediate, as RDS does; the root comes from the bundle.
    QCOMPARE(p.chain.size(), 2);
    QCOMPARE(p.chain.at(0).sanDns, QStringList{ Lab::endpointHostName() });
    QVERIFY(!p.chain.at(0).isCa);
    QVERIFY(p.chain.at(1).isCa);
    QVERIFY(p.chain.at(1).subject.contains(QLatin1String("Lab")));
    QCOMPARE(p.chain.at(0).issuer, p.chain.at(1).subject);
    QVERIFY(p.trust.attempted);
    QVERIFY2(p.trust.trusted, qPrintable(p.trust.error));
    QCOMPARE(p.trust.anchorSha256, m_rootSha256);
    QVERIFY(p.hostMatch.has_value());
    QVERIFY(p.hostMatch->matched);
    QCOMPARE(p.hostMatch->by, QStringLiteral("san-dns"));
    QCOMPARE(p.hostMatch->entry, Lab::endpointHostName());
    QVERIFY(r.ok);
    QCOMPARE(r.problems.size(), 0);
    QVERIFY(r.summary.startsWith(QLatin1String("Encrypted and verified")));
    QVERIFY(p.timings.tcp >= 0 && p.timings.tls >= p.timings.tcp);

    const QJsonObject json = ReportJson::toJson(r);
    QCOMPARE(json.value(QStringLiteral("sslmode")).toString(), QStringLiteral("verify-full"));
    const QJsonObject probe = json.value(QStringLiteral("probe")).toObject();
    QCOMPARE(probe.value(QStringLiteral("tls_offered")).toBool(), true);
    QCOMPARE(probe.value(QStringLiteral("chain")).toArray().size(), 2);
    QCOMPARE(probe.value(QStringLiteral("trust")).toObject().value(QStringLiteral("anchor_sha256")).toString(), m_rootSha256);
    QCOMPARE(probe.value(QStringLiteral("host_match")).toObject().value(QStringLiteral("by")).toString(),
             QStringLiteral("san-dns"));
    QCOMPARE(json.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool(), true);
}

void TestProbeAgainstLab::aliasFailsTheHostNameCheckWithTheAliasExplanation()
{
    const InspectionReport r = inspect(Scenario::Alias, SslMode::VerifyFull);
    QCOMPARE(r.endpoint.host, Lab::aliasHostName());
    QCOMPARE(r.probe.sni, Lab::aliasHostName());
    QVERIFY(r.probe.trust.trusted);
    QVERIFY(r.probe.hostMatch.has_value());
    QVERIFY(!r.probe.hostMatch->matched);
    QCOMPARE(r.probe.hostMatch->checkedName, Lab::aliasHostName());
    QCOMPARE(r.probe.hostMatch->error,
             QStringLiteral("server certificate for \"%1\" does not match host name \"%2\"")
                 .arg(Lab::endpointHostName(), Lab::aliasHostName()));
    QVERIFY(!r.ok);
    QVERIFY(hasProblem(r, QStringLiteral("host-mismatch-alias"), Problem::Severity::Error));
    QCOMPARE(r.summary, QStringLiteral("Failed: host name does not match the certificate"));
    QVERIFY(r.problems.first().fix.contains(Lab::endpointHostName()));
}

void TestProbeAgainstLab::aliasPassesUnderVerifyCaWithAWarning()
{
    const InspectionReport r = inspect(Scenario::Alias, SslMode::VerifyCa);
    QVERIFY(r.ok);
    QVERIFY(r.probe.trust.trusted);
    QVERIFY(hasProblem(r, QStringLiteral("host-not-checked"), Problem::Severity::Warning));
}

void TestProbeAgainstLab::unknownCaIsNotTrusted()
{
    const InspectionReport r = inspect(Scenario::UnknownCa, SslMode::VerifyFull);
    QCOMPARE(r.probe.outcome, ProbeResult::Outcome::TlsEstablished);
    QCOMPARE(r.probe.chain.size(), 2);
    QVERIFY(r.probe.chain.at(1).subject.contains(QLatin1String("Rogue")));
    QVERIFY(r.probe.trust.attempted);
    QVERIFY(!r.probe.trust.trusted);
    QVERIFY(r.probe.trust.anchorSha256.isEmpty());
    QVERIFY2(r.probe.trust.error.contains(QLatin1String("unable to get local issuer certificate")),
             qPrintable(r.probe.trust.error));
    QVERIFY(!r.ok);
    QVERIFY(hasProblem(r, QStringLiteral("unknown-ca"), Problem::Severity::Error));
}

void TestProbeAgainstLab::unknownCaUnderRequireIsEncryptedButNotAuthenticated()
{
    // No sslrootcert and no ~/.postgresql/root.crt: libpq's require does not verify anything.
    const InspectionReport r = inspect(Scenario::UnknownCa, SslMode::Require, QString(), false);
    QVERIFY(!r.rootCert.verifies);
    QVERIFY(!r.probe.trust.attempted);
    QVERIFY(r.ok);
    QVERIFY(hasProblem(r, QStringLiteral("server-not-authenticated"), Problem::Severity::Warning));
    QVERIFY(r.summary.contains(QLatin1String("man in the middle")));
}

void TestProbeAgainstLab::expiredCertificateIsRefused()
{
    const InspectionReport r = inspect(Scenario::Expired, SslMode::VerifyFull);
    QCOMPARE(r.probe.outcome, ProbeResult::Outcome::TlsEstablished);
    QVERIFY(r.probe.chain.first().isExpiredAt(r.now));
    QVERIFY(!r.probe.trust.trusted);
    QVERIFY(hasProblem(r, QStringLiteral("cert-expired"), Problem::Severity::Error));
    const bool leafExpiredIssue = std::any_of(r.probe.trust.issues.cbegin(), r.probe.trust.issues.cend(),
                                              [](const CertificateIssue &i) { return i.depth == 0 && i.code == QLatin1String("expired"); });
    QVERIFY(leafExpiredIssue);
    QVERIFY(!r.ok);
}

// A failed chain is still a chain: the bundle that anchors it is named (JSON trust.anchor_sha256,
// trust.chain) although the leaf has expired.
void TestProbeAgainstLab::anExpiredChainIsStillBuiltToTheBundlesAnchor()
{
    const InspectionReport r = inspect(Scenario::Expired, SslMode::VerifyFull);
    QCOMPARE(r.probe.outcome, ProbeResult::Outcome::TlsEstablished);
    const TrustResult &t = r.probe.trust;
    QVERIFY(!t.trusted);
    QCOMPARE(t.opensslError, int(X509_V_ERR_CERT_HAS_EXPIRED));
    QCOMPARE(t.anchorSha256, m_rootSha256);
    QCOMPARE(t.chain.size(), 3);
    QCOMPARE(t.chain.at(0).sha256, r.probe.chain.at(0).sha256);
    QCOMPARE(t.chain.at(1).sha256, r.probe.chain.at(1).sha256);
    QCOMPARE(t.chain.at(2).sha256, m_rootSha256);
    QVERIFY(t.verifiedChain.isEmpty());

    const QJsonObject trust = ReportJson::toJson(r)
                                      .value(QStringLiteral("probe")).toObject()
                                      .value(QStringLiteral("trust")).toObject();
    QCOMPARE(trust.value(QStringLiteral("anchor_sha256")).toString(), m_rootSha256);
    QCOMPARE(trust.value(QStringLiteral("trusted")).toBool(true), false);
    const QJsonArray chain = trust.value(QStringLiteral("chain")).toArray();
    QCOMPARE(chain.size(), 3);
    QCOMPARE(chain.at(2).toString(), m_rootSha256);
    const QJsonArray issues = trust.value(QStringLiteral("issues")).toArray();
    QCOMPARE(issues.size(), 1);
    const QJsonObject issue = issues.at(0).toObject();
    QCOMPARE(issue.value(QStringLiteral("depth")).toInt(-1), 0);
    QCOMPARE(issue.value(QStringLiteral("code")).toString(), QStringLiteral("expired"));
    QCOMPARE(issue.value(QStringLiteral("error")).toString(), QStringLiteral("certificate has expired"));
    QCOMPARE(issue.value(QStringLiteral("subject")).toString(), r.probe.chain.at(0).subject);
}

int TestProbeAgainstLab::psql(const QString &conninfo, const QString &home, QByteArray *output) const
{
    QString program = QStandardPaths::findExecutable(QStringLiteral("psql"));
    if (program.isEmpty())
        program = Lab::serverBinDirectory() + QStringLiteral("/psql");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys())
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    env.insert(QStringLiteral("PGPASSFILE"), m_lab->passfilePath());
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("C"));
    if (!home.isEmpty())
        env.insert(QStringLiteral("HOME"), home);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, { conninfo, QStringLiteral("-Atc"), QStringLiteral("select 1") });
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

// The probe's verifier and psql (libpq itself) on the lab with revocation lists generated here:
// a CRL of another CA turns CRL_CHECK_ALL on, and then the lab's chain, whose CAs published none,
// fails "unable to get certificate CRL" for both; a named CRL file that does not exist is ignored
// by both.
void TestProbeAgainstLab::revocationListsReachTheProbeAsTheyReachLibpq_data()
{
    QTest::addColumn<QString>("how"); // "sslcrl", "default", "missing"
    QTest::addColumn<int>("opensslError");
    QTest::newRow("sslcrl with another CA's CRL: the lab chain has no CRL of its issuer")
            << QStringLiteral("sslcrl") << int(X509_V_ERR_UNABLE_TO_GET_CRL);
    QTest::newRow("~/.postgresql/root.crl is loaded when neither sslcrl nor sslcrldir is set")
            << QStringLiteral("default") << int(X509_V_ERR_UNABLE_TO_GET_CRL);
    QTest::newRow("an empty sslcrldir turns checking on as well: libpq adds the lookup and the "
                  "flags")
            << QStringLiteral("sslcrldir") << int(X509_V_ERR_UNABLE_TO_GET_CRL);
    QTest::newRow("a named sslcrl that does not exist is ignored: the chain verifies")
            << QStringLiteral("missing") << 0;
}

void TestProbeAgainstLab::revocationListsReachTheProbeAsTheyReachLibpq()
{
    QFETCH(QString, how);
    QFETCH(int, opensslError);
    switchTo(Scenario::Correct);
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".postgresql")));
    const test::TestCert otherCa = test::makeCert(QStringLiteral("Unrelated CRL CA"), nullptr, true);
    const QByteArray crl = test::makeCrl(otherCa, {});

    Endpoint ep = m_lab->endpoint();
    QString option;
    if (how == QLatin1String("sslcrl")) {
        const QString path = home.filePath(QStringLiteral("other.crl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(crl);
        option = QStringLiteral("sslcrl=") + path;
        ep.extraOptions.insert(QStringLiteral("sslcrl"), path);
    } else if (how == QLatin1String("default")) {
        QFile f(home.filePath(QStringLiteral(".postgresql/root.crl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(crl);
    } else if (how == QLatin1String("sslcrldir")) {
        // An empty hashed directory is enough: libpq adds the lookup and sets the flags.
        const QString dir = home.filePath(QStringLiteral("crls"));
        QVERIFY(QDir().mkpath(dir));
        option = QStringLiteral("sslcrldir=") + dir;
        ep.extraOptions.insert(QStringLiteral("sslcrldir"), dir);
    } else {
        const QString path = home.filePath(QStringLiteral("no-such.crl"));
        option = QStringLiteral("sslcrl=") + path;
        ep.extraOptions.insert(QStringLiteral("sslcrl"), path);
    }

    TlsProbe probe;
    probe.setHomeDirectory(home.path());
    QSignalSpy finished(&probe, &TlsProbe::finished);
    probe.start(ep, RootCert::resolve(ep.sslmode, ep.sslrootcert, home.path()), 10000);
    QVERIFY(finished.wait(15000));
    const TrustResult &t = probe.result().trust;
    QVERIFY(t.attempted);
    QCOMPARE(t.opensslError, opensslError);
    QCOMPARE(t.trusted, opensslError == 0);
    QCOMPARE(t.crlChecked, opensslError != 0);
    QCOMPARE(t.anchorSha256, m_rootSha256);
    if (how == QLatin1String("missing"))
        QVERIFY2(t.crlNote.contains(QLatin1String("revocation is not checked")), qPrintable(t.crlNote));
    else
        QCOMPARE(t.errorDepth, 0);

    // libpq, with the same files.
    QString conninfo = QStringLiteral("host=%1 hostaddr=127.0.0.1 port=%2 dbname=%3 user=%4 "
                                      "sslmode=verify-full sslrootcert=%5")
                           .arg(Lab::endpointHostName())
                           .arg(m_lab->port())
                           .arg(m_lab->databaseName(), m_lab->userName(), m_lab->caBundlePath());
    if (!option.isEmpty())
        conninfo += QLatin1Char(' ') + option;
    QByteArray out;
    const int exit = psql(conninfo, home.path(), &out);
    QVERIFY2((exit == 0) == (opensslError == 0), out.constData());
    if (opensslError != 0)
        QVERIFY2(out.contains("certificate verify failed"), out.constData());
}

void TestProbeAgainstLab::plaintextAcceptedStillOffersTls()
{
    const InspectionReport r = inspect(Scenario::PlaintextAccepted, SslMode::VerifyFull);
    QVERIFY(r.probe.tlsOffered);
    QVERIFY(r.ok);
}

void TestProbeAgainstLab::sslOffMeansTlsRefused()
{
    const InspectionReport r = inspect(Scenario::SslOff, SslMode::VerifyFull);
    QCOMPARE(r.probe.outcome, ProbeResult::Outcome::TlsRefused);
    QCOMPARE(r.probe.sslResponse, QStringLiteral("N"));
    QVERIFY(!r.probe.tlsOffered);
    QVERIFY(r.probe.chain.isEmpty());
    QVERIFY(!r.ok);
    QVERIFY(hasProblem(r, QStringLiteral("ssl-not-supported"), Problem::Severity::Error));
    QVERIFY(r.summary.startsWith(QLatin1String("Not encrypted")));
}

void TestProbeAgainstLab::defaultRootCertIsUsedWhenNoneGiven()
{
    // libpq's default ~/.postgresql/root.crt, in a home directory of our own.
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".postgresql")));
    QVERIFY(QFile::copy(m_lab->caBundlePath(), home.filePath(QStringLiteral(".postgresql/root.crt"))));
    const InspectionReport r = inspect(Scenario::Correct, SslMode::VerifyFull, home.path(), false);
    QVERIFY(r.rootCert.isDefault);
    QCOMPARE(r.rootCert.path, home.filePath(QStringLiteral(".postgresql/root.crt")));
    QVERIFY(r.probe.trust.trusted);
    QVERIFY(r.ok);

    // And verify-full without any root file fails the way libpq does.
    const InspectionReport none = inspect(Scenario::Correct, SslMode::VerifyFull, QString(), false);
    QVERIFY(!none.ok);
    QVERIFY(hasProblem(none, QStringLiteral("root-cert-missing"), Problem::Severity::Error));
    QVERIFY(none.problems.first().detail.startsWith(QLatin1String("root certificate file \"")));
}

void TestProbeAgainstLab::validityIsJudgedAtTheGivenTime()
{
    // "Now" is a parameter: ten years ago the lab's certificates were not valid yet.
    switchTo(Scenario::Correct);
    Inspector inspector;
    QSignalSpy finished(&inspector, &Inspector::finished);
    InspectionOptions options;
    options.homeDirectory = m_emptyHome.path();
    options.now = QDateTime::currentDateTimeUtc().addYears(-10);
    inspector.start(m_lab->endpoint(), options);
    QVERIFY(finished.wait(15000));
    const InspectionReport &r = inspector.report();
    QVERIFY(!r.ok);
    QCOMPARE(r.problems.first().code, QStringLiteral("cert-not-yet-valid"));
    QCOMPARE(r.now, options.now);
}

QTEST_GUILESS_MAIN(TestProbeAgainstLab)
#include "TestProbeAgainstLab.moc"
