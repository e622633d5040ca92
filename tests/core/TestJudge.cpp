// SPDX-License-Identifier: MIT
// The verdict's pure parts: the plaintext test's classification and the sslmode matrix rows.
#include "Judge.h"
#include "ProblemCatalog.h"

#include <QtTest>

using namespace pgtls;

Q_DECLARE_METATYPE(pgtls::SessionResult)
Q_DECLARE_METATYPE(pgtls::PlaintextResult::Verdict)
Q_DECLARE_METATYPE(pgtls::SslMode)

namespace {

SessionResult connectedWith(bool tls)
{
    SessionResult s;
    s.attempted = true;
    s.connected = true;
    s.sslInUse = tls;
    return s;
}

SessionResult failedWith(const QString &code, bool needsPassword = false)
{
    SessionResult s;
    s.attempted = true;
    s.errorCode = code;
    s.error = QStringLiteral("libpq says: ") + code;
    s.needsPassword = needsPassword;
    s.reachedAuthentication = needsPassword;
    return s;
}

RootCertResolution rootCert(bool verifies)
{
    RootCertResolution r;
    r.verifies = verifies;
    r.exists = verifies;
    return r;
}

} // namespace

class TestJudge : public QObject
{
    Q_OBJECT
private slots:
    void everyProblemCodeHasWordsAtEveryStep();
    void problemCodeNamesAreUniqueAndRoundTrip();
    void aTimeoutIsExplainedByTheStepItReached_data();
    void aTimeoutIsExplainedByTheStepItReached();
    void theProbesFactsClassifyWhatLibpqsTextDidNot_data();
    void theProbesFactsClassifyWhatLibpqsTextDidNot();
    void plaintextIsClassified_data();
    void plaintextIsClassified();
    void extraAttemptsSendThePasswordOnlyWhenAtLeastAsStrong_data();
    void extraAttemptsSendThePasswordOnlyWhenAtLeastAsStrong();
    void channelBindingIsLearnedFromAWithheldAttempt();
    void eachWeakModeNamesItsOwnWeakness_data();
    void eachWeakModeNamesItsOwnWeakness();
    void theHeadlineNamesTheMostImportantFinding();
    void matrixRowDerivesProtection_data();
    void matrixRowDerivesProtection();
    void everyCatalogCodeHasWords();
    void probeOnlyPredictsWhatLibpqWouldDo_data();
    void probeOnlyPredictsWhatLibpqWouldDo();
    void sessionWarnsOfANamedMissingFileInWeakModes_data();
    void sessionWarnsOfANamedMissingFileInWeakModes();
    void rdsRegionIsParsed_data();
    void rdsRegionIsParsed();
};

void TestJudge::plaintextIsClassified_data()
{
    QTest::addColumn<SessionResult>("plain");
    QTest::addColumn<SessionResult>("tls");
    QTest::addColumn<PlaintextResult::Verdict>("verdict");
    QTest::addColumn<int>("accepted"); // -1 unknown, 0 no, 1 yes
    using V = PlaintextResult::Verdict;
    const SessionResult tlsAsksPassword = failedWith(QStringLiteral("password-needed"), true);
    QTest::newRow("a plaintext login that succeeds is accepted")
        << connectedWith(false) << connectedWith(true) << V::Accepted << 1;
    QTest::newRow("a password request over plaintext means plaintext is accepted")
        << failedWith(QStringLiteral("password-needed"), true) << tlsAsksPassword << V::AcceptedAuthRequired << 1;
    QTest::newRow("an unknown database after pg_hba means plaintext is accepted")
        << failedWith(QStringLiteral("database-missing")) << failedWith(QStringLiteral("database-missing"))
        << V::AcceptedLoginFailed << 1;
    QTest::newRow("no pg_hba entry without encryption while TLS gets in means encryption is required")
        << failedWith(QStringLiteral("no-pg-hba-entry-no-encryption")) << tlsAsksPassword
        << V::RefusedEncryptionRequired << 0;
    QTest::newRow("an explicit reject line while TLS gets in means encryption is required")
        << failedWith(QStringLiteral("pg-hba-reject")) << connectedWith(true) << V::RefusedEncryptionRequired << 0;
    QTest::newRow("refused both with and without TLS says nothing about encryption")
        << failedWith(QStringLiteral("no-pg-hba-entry-no-encryption")) << failedWith(QStringLiteral("no-pg-hba-entry"))
        << V::RefusedNoEntry << 0;
    QTest::newRow("refused without TLS while the TLS attempt timed out cannot say why")
        << failedWith(QStringLiteral("no-pg-hba-entry-no-encryption")) << failedWith(QStringLiteral("timeout"))
        << V::RefusedUnknownWhy << 0;
    QTest::newRow("a timeout is inconclusive")
        << failedWith(QStringLiteral("timeout")) << failedWith(QStringLiteral("timeout")) << V::Inconclusive << -1;
    QTest::newRow("a refused port is inconclusive")
        << failedWith(QStringLiteral("connection-refused")) << failedWith(QStringLiteral("connection-refused"))
        << V::Inconclusive << -1;
}

void TestJudge::plaintextIsClassified()
{
    QFETCH(SessionResult, plain);
    QFETCH(SessionResult, tls);
    QFETCH(int, accepted);
    const PlaintextResult r = Judge::classifyPlaintext(plain, tls);
    QVERIFY(r.tested);
    QTEST(r.verdict, "verdict");
    QCOMPARE(r.accepted.has_value() ? int(*r.accepted) : -1, accepted);
    QVERIFY(!r.explanation.isEmpty());
    QCOMPARE(r.detail, plain.error);
}

void TestJudge::extraAttemptsSendThePasswordOnlyWhenAtLeastAsStrong_data()
{
    QTest::addColumn<SslMode>("attempt");
    QTest::addColumn<SslMode>("requested");
    QTest::addColumn<bool>("rootFile");
    QTest::addColumn<bool>("mayBeSent");
    QTest::addColumn<QString>("reasonMentions");

    QTest::newRow("disable never gets it, even when disable was asked for")
        << SslMode::Disable << SslMode::Disable << false << false << QStringLiteral("never encrypts");
    QTest::newRow("allow never gets it: it tries plaintext first")
        << SslMode::Allow << SslMode::Disable << false << false << QStringLiteral("plaintext first");
    QTest::newRow("prefer never gets it: it falls back to plaintext")
        << SslMode::Prefer << SslMode::Prefer << true << false << QStringLiteral("falls back");
    QTest::newRow("require is weaker than verify-full")
        << SslMode::Require << SslMode::VerifyFull << false << false
        << QStringLiteral("accepts any certificate");
    QTest::newRow("require with a root file checks the CA but is still weaker than verify-ca")
        << SslMode::Require << SslMode::VerifyCa << true << false
        << QStringLiteral("checks the CA here");
    QTest::newRow("verify-ca is weaker than verify-full")
        << SslMode::VerifyCa << SslMode::VerifyFull << true << false
        << QStringLiteral("any host name");
    QTest::newRow("require may carry it when prefer was asked for")
        << SslMode::Require << SslMode::Prefer << false << true << QString();
    QTest::newRow("verify-ca may carry it when require was asked for")
        << SslMode::VerifyCa << SslMode::Require << true << true << QString();
    QTest::newRow("verify-full may always carry it")
        << SslMode::VerifyFull << SslMode::VerifyFull << true << true << QString();
}

void TestJudge::extraAttemptsSendThePasswordOnlyWhenAtLeastAsStrong()
{
    QFETCH(SslMode, attempt);
    QFETCH(SslMode, requested);
    QFETCH(bool, rootFile);
    QFETCH(bool, mayBeSent);
    QFETCH(QString, reasonMentions);
    const QString reason = Judge::passwordWithheldReason(attempt, requested, rootCert(rootFile));
    QCOMPARE(reason.isEmpty(), mayBeSent);
    QVERIFY2(reason.contains(reasonMentions), qPrintable(reason));
    const MatrixRow row = Judge::matrixRow(attempt, failedWith(QStringLiteral("password-needed"), true),
                                           reason, rootCert(rootFile));
    QCOMPARE(row.passwordWithheld, !mayBeSent);
    QCOMPARE(row.passwordWithheldReason, reason);
}

void TestJudge::channelBindingIsLearnedFromAWithheldAttempt()
{
    SessionResult offered = failedWith(QStringLiteral("password-needed"), true);
    offered.channelBindingRequired = true;
    offered.sslInUseObserved = true;
    const QString reason = Judge::passwordWithheldReason(SslMode::Require, SslMode::VerifyFull, rootCert(false));
    MatrixRow row = Judge::matrixRow(SslMode::Require, offered, reason, rootCert(false));
    QCOMPARE(row.channelBinding, QStringLiteral("offered"));
    QVERIFY(row.encrypted && row.connected && !row.caVerified);
    QVERIFY(Judge::channelBindingText(row).contains(QLatin1String("SCRAM-SHA-256-PLUS")));

    SessionResult notOffered = failedWith(QStringLiteral("channel-binding-unavailable"), true);
    notOffered.channelBindingRequired = true;
    notOffered.sslInUseObserved = true;
    row = Judge::matrixRow(SslMode::Require, notOffered, reason, rootCert(false));
    QCOMPARE(row.channelBinding, QStringLiteral("not-offered"));
    QVERIFY(Judge::channelBindingText(row).contains(QLatin1String("does not offer")));
    QVERIFY(row.connected);

    // Without channel_binding=require nothing is learned.
    row = Judge::matrixRow(SslMode::Require, failedWith(QStringLiteral("password-needed"), true), reason,
                           rootCert(false));
    QVERIFY(row.channelBinding.isEmpty());
    QVERIFY(Judge::channelBindingText(row).isEmpty());
}

void TestJudge::eachWeakModeNamesItsOwnWeakness_data()
{
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("rootFile");
    QTest::addColumn<QString>("firstWarning");
    QTest::addColumn<QString>("explanationMentions");

    QTest::newRow("prefer over TLS warns that it falls back to plaintext")
        << SslMode::Prefer << true << false << QStringLiteral("prefer-falls-back")
        << QStringLiteral("fails verification");
    QTest::newRow("prefer that fell back says so too")
        << SslMode::Prefer << false << true << QStringLiteral("prefer-falls-back")
        << QStringLiteral("retries without TLS");
    QTest::newRow("allow warns that plaintext is tried first")
        << SslMode::Allow << true << true << QStringLiteral("allow-tries-plaintext")
        << QStringLiteral("without TLS");
    QTest::newRow("require without a root file checks no certificate")
        << SslMode::Require << true << false << QStringLiteral("server-not-authenticated")
        << QStringLiteral("sslmode=require encrypts but checks no certificate");
    QTest::newRow("require with a root file behaves like verify-ca, and says so")
        << SslMode::Require << true << true << QStringLiteral("host-not-checked")
        << QStringLiteral("sslmode=require checks the CA here because a root certificate file exists");
    QTest::newRow("verify-ca keeps its own words")
        << SslMode::VerifyCa << true << true << QStringLiteral("host-not-checked")
        << QStringLiteral("verify-ca checks that a trusted CA issued");
}

void TestJudge::eachWeakModeNamesItsOwnWeakness()
{
    QFETCH(SslMode, mode);
    QFETCH(bool, tls);
    QFETCH(bool, rootFile);
    QFETCH(QString, firstWarning);
    QFETCH(QString, explanationMentions);
    InspectionReport r;
    r.probeOnly = false;
    r.endpoint.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    r.endpoint.sslmode = mode;
    r.rootCert = rootCert(rootFile);
    r.session = connectedWith(tls);
    r.session.sslmode = mode;
    Judge::apply(r);
    QVERIFY(r.ok);
    QVERIFY(!r.problems.isEmpty());
    QCOMPARE(r.problems.first().code, firstWarning);
    bool mentioned = false;
    for (const Problem &p : std::as_const(r.problems))
        mentioned = mentioned || p.explanation.contains(explanationMentions);
    QVERIFY2(mentioned, qPrintable(r.problems.first().explanation));
}

void TestJudge::theHeadlineNamesTheMostImportantFinding()
{
    InspectionReport r;
    r.probeOnly = false;
    r.endpoint.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    r.endpoint.sslmode = SslMode::VerifyFull;
    r.rootCert = rootCert(true);
    r.session = connectedWith(true);
    r.session.sslmode = SslMode::VerifyFull;
    // No sslinfo: a note; the connection is as safe, the verdict stays OK (no warning).
    r.session.sslinfoInstalled = false;
    r.session.serverVersion = QStringLiteral("15.8");
    Judge::apply(r);
    QVERIFY(r.ok);
    QCOMPARE(r.level(), InspectionReport::Level::Ok);
    QCOMPARE(r.summary, QStringLiteral("Encrypted and verified: trusted CA, host name matches"));
    QVERIFY(r.hasProblem(QStringLiteral("sslinfo-missing")));
    for (const Problem &p : std::as_const(r.problems)) {
        if (p.code == QLatin1String("sslinfo-missing"))
            QCOMPARE(Problem::severityName(p.severity), QStringLiteral("info"));
    }
    // The server accepts plaintext: this connection is safe, the server is not; the headline says so,
    // and the problem's detail is what the attempt showed, not libpq's "no password supplied".
    SessionResult plain;
    plain.attempted = true;
    plain.needsPassword = true;
    plain.errorCode = QStringLiteral("password-needed");
    plain.error = QStringLiteral("connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password supplied");
    r.plaintext.attempt = plain;
    Judge::apply(r);
    QCOMPARE(r.level(), InspectionReport::Level::Warning);
    QCOMPARE(r.summary, QStringLiteral("Encrypted and verified, but the server also accepts unencrypted connections"));
    const Problem *accepted = nullptr;
    for (const Problem &p : std::as_const(r.problems)) {
        if (p.code == QLatin1String("plaintext-accepted"))
            accepted = &p;
    }
    QVERIFY(accepted);
    QVERIFY2(!accepted->detail.contains(QLatin1String("fe_sendauth")), qPrintable(accepted->detail));
    QVERIFY2(accepted->detail.contains(QLatin1String("asked for the password over plaintext")), qPrintable(accepted->detail));
    QVERIFY(r.plaintext.detail.contains(QLatin1String("fe_sendauth"))); // libpq's words stay in the plaintext test
}

void TestJudge::matrixRowDerivesProtection_data()
{
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<SessionResult>("attempt");
    QTest::addColumn<bool>("withheld");
    QTest::addColumn<bool>("rootFile");
    QTest::addColumn<QString>("expected"); // connected encrypted ca host mitm as 5 chars of 0/1

    QTest::newRow("disable connects unencrypted and is not safe")
        << SslMode::Disable << failedWith(QStringLiteral("password-needed"), true) << true << true << QStringLiteral("10000");
    QTest::newRow("prefer encrypted without a root file is not verified")
        << SslMode::Prefer << connectedWith(true) << false << false << QStringLiteral("11000");
    QTest::newRow("prefer with a root file verifies the CA but stays downgradable")
        << SslMode::Prefer << connectedWith(true) << false << true << QStringLiteral("11100");
    QTest::newRow("prefer that fell back to plaintext is unencrypted")
        << SslMode::Prefer << connectedWith(false) << false << true << QStringLiteral("10000");
    QTest::newRow("require without a root file encrypts only")
        << SslMode::Require << connectedWith(true) << false << false << QStringLiteral("11000");
    QTest::newRow("verify-ca checks the CA, not the host")
        << SslMode::VerifyCa << connectedWith(true) << false << true << QStringLiteral("11100");
    QTest::newRow("verify-full that connected is safe")
        << SslMode::VerifyFull << connectedWith(true) << false << true << QStringLiteral("11111");
    QTest::newRow("verify-full that failed is nothing")
        << SslMode::VerifyFull << failedWith(QStringLiteral("host-mismatch")) << false << true << QStringLiteral("00000");
    QTest::newRow("allow that reached authentication over TLS counts as connected and encrypted")
        << SslMode::Allow << [] { SessionResult s = failedWith(QStringLiteral("password-needed"), true); s.sslInUseObserved = true; return s; }()
        << true << false << QStringLiteral("11000");
}

void TestJudge::matrixRowDerivesProtection()
{
    QFETCH(SslMode, mode);
    QFETCH(SessionResult, attempt);
    QFETCH(bool, withheld);
    QFETCH(bool, rootFile);
    QFETCH(QString, expected);
    const MatrixRow row = Judge::matrixRow(mode, attempt, withheld, rootCert(rootFile));
    const QString got = QStringLiteral("%1%2%3%4%5")
                            .arg(int(row.connected))
                            .arg(int(row.encrypted))
                            .arg(int(row.caVerified))
                            .arg(int(row.hostVerified))
                            .arg(int(row.mitmSafe));
    QCOMPARE(got, expected);
    QVERIFY(!row.note.isEmpty());
    QCOMPARE(row.passwordWithheld, withheld);
}

void TestJudge::everyCatalogCodeHasWords()
{
    const InspectionReport context;
    for (const QString &code : ProblemCatalog::knownCodes()) {
        const Problem p = ProblemCatalog::make(code, QStringLiteral("detail"), context);
        QCOMPARE(p.code, code);
        QVERIFY2(!p.title.isEmpty() && p.title != QLatin1String("problem"), qPrintable(code));
        QVERIFY2((!p.explanation.isEmpty() && p.explanation != QLatin1String("See the detail."))
                     || code == QLatin1String("untrusted") || code == QLatin1String("session-failed"),
                 qPrintable(code));
        QCOMPARE(p.detail, QStringLiteral("detail"));
    }
}

void TestJudge::everyProblemCodeHasWordsAtEveryStep()
{
    const QStringList steps = { QString(), QStringLiteral("resolve"), QStringLiteral("tcp-connect"),
        QStringLiteral("ssl-request"), QStringLiteral("tls-handshake"),
        QStringLiteral("authentication"), QStringLiteral("startup"),
        QStringLiteral("server-view") };
    for (const QString &step : steps) {
        InspectionReport context;
        context.session.attempted = true;
        context.session.step = step;
        for (const ProblemCode code : allProblemCodes()) {
            const QString name = problemCodeName(code);
            const Problem p = ProblemCatalog::make(name, QString(), context);
            const QString what = QStringLiteral("%1 at step \"%2\"").arg(name, step);
            QCOMPARE(p.code, name);
            QVERIFY2(!p.title.isEmpty() && p.title != QLatin1String("problem"), qPrintable(what));
            QVERIFY2(!p.explanation.isEmpty(), qPrintable(what));
            QVERIFY2(!p.fix.isEmpty(), qPrintable(what));
        }
    }
}

void TestJudge::problemCodeNamesAreUniqueAndRoundTrip()
{
    QSet<QString> names;
    for (const ProblemCode code : allProblemCodes()) {
        const QString name = problemCodeName(code);
        QVERIFY2(!name.isEmpty(), qPrintable(QString::number(int(code))));
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
        QCOMPARE(problemCodeFromName(name), std::optional<ProblemCode>(code));
    }
    QCOMPARE(ProblemCatalog::knownCodes().size(), names.size());
    QCOMPARE(problemCodeFromName(QStringLiteral("no-such-code")), std::nullopt);
}

void TestJudge::aTimeoutIsExplainedByTheStepItReached_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("says");
    QTest::addColumn<bool>("blamesTheFirewall");
    QTest::newRow("before TCP connected it is the firewall case")
        << QStringLiteral("tcp-connect") << QStringLiteral("not established") << true;
    QTest::newRow("waiting for the SSLRequest answer the connection was accepted")
        << QStringLiteral("ssl-request") << QStringLiteral("was accepted") << false;
    QTest::newRow("in the TLS handshake it says the handshake stalled")
        << QStringLiteral("tls-handshake") << QStringLiteral("handshake did not complete") << false;
    QTest::newRow("during authentication it says the login stalled")
        << QStringLiteral("authentication") << QStringLiteral("did not finish authentication")
        << false;
    QTest::newRow("after login it says the session did not start")
        << QStringLiteral("startup") << QStringLiteral("accepted the login") << false;
    QTest::newRow("in the server-view queries it says libpq connected")
        << QStringLiteral("server-view") << QStringLiteral("libpq connected") << false;
    QTest::newRow("in the name lookup it says no connection was tried")
        << QStringLiteral("resolve") << QStringLiteral("name lookup") << false;
}

void TestJudge::aTimeoutIsExplainedByTheStepItReached()
{
    QFETCH(QString, step);
    QFETCH(QString, says);
    QFETCH(bool, blamesTheFirewall);
    InspectionReport r;
    r.probeOnly = false;
    r.endpoint.host = QStringLiteral("db.example.com");
    r.endpoint.port = 5432;
    r.session.attempted = true;
    r.session.errorCode = problemCodeName(ProblemCode::Timeout);
    r.session.error = QStringLiteral("timed out after 10000 ms while connecting");
    r.session.step = step;
    Judge::apply(r);
    const Problem *p = r.firstError();
    QVERIFY(p);
    QCOMPARE(p->code, QStringLiteral("timeout"));
    QVERIFY2(p->explanation.contains(says), qPrintable(p->explanation));
    QCOMPARE(p->fix.contains(QLatin1String("security group")), blamesTheFirewall);
}

void TestJudge::theProbesFactsClassifyWhatLibpqsTextDidNot_data()
{
    QTest::addColumn<QString>("sessionCode");
    QTest::addColumn<QString>("sessionStep");
    QTest::addColumn<int>("probeOutcome");
    QTest::addColumn<QString>("probeCode");
    QTest::addColumn<QString>("probeStep");
    QTest::addColumn<bool>("hostMatched");
    QTest::addColumn<QString>("code");
    using O = ProbeResult::Outcome;
    QTest::newRow("a TCP connect the probe saw refused is connection-refused")
        << QStringLiteral("connection-failed") << QStringLiteral("tcp-connect") << int(O::Failed)
        << QStringLiteral("connection-refused") << QStringLiteral("tcp-connect") << true
        << QStringLiteral("connection-refused");
    QTest::newRow("an SSLRequest the probe saw refused is ssl-not-supported")
        << QStringLiteral("connection-failed") << QStringLiteral("ssl-request")
        << int(O::TlsRefused) << QString() << QStringLiteral("ssl-request") << true
        << QStringLiteral("ssl-not-supported");
    QTest::newRow("a handshake failure where only the probe's host match failed is host-mismatch")
        << QStringLiteral("tls-handshake-failed") << QStringLiteral("tls-handshake")
        << int(O::TlsEstablished) << QString() << QString() << false
        << QStringLiteral("host-mismatch");
    QTest::newRow("a handshake failure where the host matched stays a failed handshake")
        << QStringLiteral("tls-handshake-failed") << QStringLiteral("tls-handshake")
        << int(O::TlsEstablished) << QString() << QString() << true
        << QStringLiteral("tls-handshake-failed");
}

void TestJudge::theProbesFactsClassifyWhatLibpqsTextDidNot()
{
    QFETCH(QString, sessionCode);
    QFETCH(QString, sessionStep);
    QFETCH(int, probeOutcome);
    QFETCH(QString, probeCode);
    QFETCH(QString, probeStep);
    QFETCH(bool, hostMatched);
    QFETCH(QString, code);
    InspectionReport r;
    r.probeOnly = false;
    r.endpoint.host = QStringLiteral("db.example.com");
    r.endpoint.sslmode = SslMode::VerifyFull;
    r.rootCert.verifies = true;
    r.session.attempted = true;
    r.session.errorCode = sessionCode;
    r.session.error = QStringLiteral("Verbindung zum Server fehlgeschlagen: unbekannt");
    r.session.step = sessionStep;
    r.probe.outcome = ProbeResult::Outcome(probeOutcome);
    r.probe.errorCode = probeCode;
    r.probe.step = probeStep;
    if (r.probe.outcome == ProbeResult::Outcome::TlsEstablished) {
        r.probe.trust.attempted = true;
        r.probe.trust.trusted = true;
        HostMatch m;
        m.matched = hostMatched;
        r.probe.hostMatch = m;
    }
    Judge::apply(r);
    const Problem *p = r.firstError();
    QVERIFY(p);
    QCOMPARE(p->code, code);
    // The detail stays libpq's text.
    QCOMPARE(p->detail, r.session.error);
}

namespace {

enum class Seen { Refused, Trusted, Untrusted, HostMismatch, HandshakeFailed, TcpRefused };
enum class Root { None, NamedMissing, Unusable, Usable };

InspectionReport probeOnlyReport(SslMode mode, Seen seen, Root root)
{
    InspectionReport r;
    r.probeOnly = true;
    r.endpoint.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    r.endpoint.sslmode = mode;
    RootCertResolution file;
    file.path = QStringLiteral("/home/u/.postgresql/root.crt");
    file.isDefault = true;
    if (root == Root::NamedMissing) {
        file.path = QStringLiteral("global-bundel.pem");
        file.isDefault = false;
    } else if (root == Root::Unusable) {
        file.path = QStringLiteral("README.md");
        file.isDefault = false;
        file.exists = true;
        file.fileKind = SafeFileStatus::Kind::Regular;
        file.certificates = 0;
        file.loadError = QStringLiteral(
            "could not read root certificate file \"README.md\": no certificate or crl found");
    } else if (root == Root::Usable) {
        file.exists = true;
        file.fileKind = SafeFileStatus::Kind::Regular;
        file.certificates = 1;
    }
    r.rootCert = RootCert::forMode(mode, file);
    ProbeResult &p = r.probe;
    switch (seen) {
    case Seen::Refused:
        p.outcome = ProbeResult::Outcome::TlsRefused;
        p.sslResponse = QStringLiteral("N");
        p.errorCode = QStringLiteral("ssl-not-supported");
        p.error = QStringLiteral("server does not support SSL, but SSL was required");
        break;
    case Seen::TcpRefused:
        p.outcome = ProbeResult::Outcome::Failed;
        p.errorCode = QStringLiteral("connection-refused");
        p.error = QStringLiteral("could not connect: Connection refused");
        break;
    case Seen::HandshakeFailed:
        p.outcome = ProbeResult::Outcome::Failed;
        p.tlsOffered = true;
        p.sslResponse = QStringLiteral("S");
        p.errorCode = QStringLiteral("tls-handshake-failed");
        p.error = QStringLiteral("TLS handshake failed: alert");
        break;
    case Seen::Trusted:
    case Seen::Untrusted:
    case Seen::HostMismatch: {
        p.outcome = ProbeResult::Outcome::TlsEstablished;
        p.tlsOffered = true;
        p.sslResponse = QStringLiteral("S");
        CertificateInfo leaf;
        leaf.notAfter = QDateTime::currentDateTimeUtc().addDays(300);
        leaf.notBefore = QDateTime::currentDateTimeUtc().addDays(-3);
        p.chain << leaf;
        p.trust.attempted = r.rootCert.verifies;
        p.trust.trusted = seen != Seen::Untrusted && r.rootCert.verifies;
        if (seen == Seen::Untrusted) {
            p.trust.opensslError = 20; // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
            p.trust.error = QStringLiteral("unable to get local issuer certificate");
        }
        HostMatch h;
        h.matched = seen != Seen::HostMismatch;
        h.error = h.matched ? QString() : QStringLiteral("server certificate does not match");
        p.hostMatch = h;
        break;
    }
    }
    r.now = QDateTime::currentDateTimeUtc();
    return r;
}

} // namespace

void TestJudge::probeOnlyPredictsWhatLibpqWouldDo_data()
{
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<int>("seen");
    QTest::addColumn<int>("root");
    QTest::addColumn<QString>("tls");
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<QString>("code"); // a problem the verdict must carry
    const auto row = [](const char *name, SslMode mode, Seen seen, Root root, const char *tls,
                         const char *fallback, const char *code) {
        QTest::newRow(name) << mode << int(seen) << int(root) << QString::fromLatin1(tls)
                            << QString::fromLatin1(fallback) << QString::fromLatin1(code);
    };
    row("disable never tries TLS, plaintext only", SslMode::Disable, Seen::Trusted, Root::Usable,
        "not-tried", "plaintext-only", "sslmode-disable");
    row("prefer on a server refusing TLS retries without it", SslMode::Prefer, Seen::Refused,
        Root::None, "fails", "plaintext-after-failure", "prefer-retries-plaintext");
    row("prefer whose chain fails with a root file retries without TLS", SslMode::Prefer,
        Seen::Untrusted, Root::Usable, "fails", "plaintext-after-failure",
        "prefer-retries-plaintext");
    row("prefer whose handshake fails retries without TLS", SslMode::Prefer,
        Seen::HandshakeFailed, Root::None, "fails", "plaintext-after-failure",
        "prefer-retries-plaintext");
    row("prefer with an unusable root file retries without TLS", SslMode::Prefer, Seen::Trusted,
        Root::Unusable, "fails", "plaintext-after-failure", "root-cert-unusable");
    row("prefer that cannot reach the server has nothing to fall back to", SslMode::Prefer,
        Seen::TcpRefused, Root::None, "fails", "none", "connection-refused");
    row("prefer over TLS without a root file succeeds and warns of the fallback", SslMode::Prefer,
        Seen::Trusted, Root::None, "succeeds", "none", "prefer-falls-back");
    row("prefer with a named file that does not exist succeeds unverified, and warns",
        SslMode::Prefer, Seen::Trusted, Root::NamedMissing, "succeeds", "none",
        "root-cert-named-missing-unverified");
    row("allow on a server refusing TLS goes plaintext first", SslMode::Allow, Seen::Refused,
        Root::None, "fails", "plaintext-first", "allow-tls-would-fail");
    row("allow whose chain fails goes plaintext first, TLS failing", SslMode::Allow,
        Seen::Untrusted, Root::Usable, "fails", "plaintext-first", "allow-tls-would-fail");
    row("allow over good TLS still goes plaintext first", SslMode::Allow, Seen::Trusted,
        Root::Usable, "succeeds", "plaintext-first", "allow-tries-plaintext");
    row("require whose chain fails with a root file fails, without fallback", SslMode::Require,
        Seen::Untrusted, Root::Usable, "fails", "none", "unknown-ca");
    row("require with a named file that does not exist succeeds unverified", SslMode::Require,
        Seen::Trusted, Root::NamedMissing, "succeeds", "none",
        "root-cert-named-missing-unverified");
    row("verify-full with a named file that does not exist fails before the handshake",
        SslMode::VerifyFull, Seen::Trusted, Root::NamedMissing, "fails", "none",
        "root-cert-named-missing");
    row("verify-ca without libpq's default file fails before the handshake", SslMode::VerifyCa,
        Seen::Trusted, Root::None, "fails", "none", "root-cert-missing");
    row("verify-full with a host mismatch fails", SslMode::VerifyFull, Seen::HostMismatch,
        Root::Usable, "fails", "none", "host-mismatch");
    row("verify-full that verifies succeeds", SslMode::VerifyFull, Seen::Trusted, Root::Usable,
        "succeeds", "none", "");
}

void TestJudge::probeOnlyPredictsWhatLibpqWouldDo()
{
    QFETCH(SslMode, mode);
    QFETCH(int, seen);
    QFETCH(int, root);
    QFETCH(QString, tls);
    QFETCH(QString, fallback);
    QFETCH(QString, code);
    InspectionReport r = probeOnlyReport(mode, Seen(seen), Root(root));
    Judge::apply(r);
    QCOMPARE(LibpqPrediction::tlsName(r.probeLibpq.tls), tls);
    QCOMPARE(LibpqPrediction::fallbackName(r.probeLibpq.fallback), fallback);
    // The exit code's answer: 0 exactly when libpq's TLS would succeed.
    QCOMPARE(r.ok, tls == QLatin1String("succeeds"));
    QStringList codes;
    for (const Problem &p : std::as_const(r.problems))
        codes << p.code;
    if (!code.isEmpty())
        QVERIFY2(codes.contains(code), qPrintable(codes.join(u',')));
    QVERIFY(!r.summary.isEmpty());
    if (fallback == QLatin1String("plaintext-after-failure")) {
        QVERIFY2(r.summary.contains(QLatin1String("sslmode=prefer")), qPrintable(r.summary));
        QVERIFY2(r.summary.contains(QLatin1String("the probe cannot tell")), qPrintable(r.summary));
    }
    if (fallback == QLatin1String("plaintext-first") && tls == QLatin1String("fails"))
        QVERIFY2(r.summary.contains(QLatin1String("tries plaintext first")), qPrintable(r.summary));
    // Idempotent.
    InspectionReport again = r;
    Judge::apply(again);
    QCOMPARE(again.problems.size(), r.problems.size());
    QCOMPARE(again.probeLibpq.tls, r.probeLibpq.tls);
}

void TestJudge::sessionWarnsOfANamedMissingFileInWeakModes_data()
{
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<int>("root");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("severity");
    QTest::newRow("require connected with a named missing file warns that nothing is verified")
        << SslMode::Require << true << int(Root::NamedMissing)
        << QStringLiteral("root-cert-named-missing-unverified") << QStringLiteral("warning");
    QTest::newRow("prefer connected with a named missing file warns that nothing is verified")
        << SslMode::Prefer << true << int(Root::NamedMissing)
        << QStringLiteral("root-cert-named-missing-unverified") << QStringLiteral("warning");
    QTest::newRow("prefer that fell back to plaintext over an unusable file says why")
        << SslMode::Prefer << false << int(Root::Unusable) << QStringLiteral("root-cert-unusable")
        << QStringLiteral("warning");
}

void TestJudge::sessionWarnsOfANamedMissingFileInWeakModes()
{
    QFETCH(SslMode, mode);
    QFETCH(bool, tls);
    QFETCH(int, root);
    QFETCH(QString, code);
    QFETCH(QString, severity);
    InspectionReport r = probeOnlyReport(mode, Seen::Trusted, Root(root));
    r.probeOnly = false;
    r.session = connectedWith(tls);
    r.session.sslmode = mode;
    Judge::apply(r);
    QVERIFY(r.ok);
    QVERIFY(!r.probeLibpq.predicted());
    const Problem *found = nullptr;
    for (const Problem &p : std::as_const(r.problems)) {
        if (p.code == code)
            found = &p;
    }
    QVERIFY2(found, qPrintable(code));
    QCOMPARE(Problem::severityName(found->severity), severity);
    QVERIFY2(found->explanation.contains(r.rootCert.path), qPrintable(found->explanation));
}

void TestJudge::rdsRegionIsParsed_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("region");
    QTest::newRow("an instance endpoint") << QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com") << QStringLiteral("eu-west-1");
    QTest::newRow("an Aurora cluster endpoint") << QStringLiteral("app.cluster-c9akciq32.us-east-2.rds.amazonaws.com") << QStringLiteral("us-east-2");
    QTest::newRow("an Aurora reader endpoint") << QStringLiteral("app.cluster-ro-c9akciq32.ap-south-1.rds.amazonaws.com") << QStringLiteral("ap-south-1");
    QTest::newRow("an RDS Proxy endpoint") << QStringLiteral("p.proxy-c9akciq32.eu-central-1.rds.amazonaws.com") << QStringLiteral("eu-central-1");
    QTest::newRow("a China endpoint") << QStringLiteral("db.c9akciq32.cn-north-1.rds.amazonaws.com.cn") << QStringLiteral("cn-north-1");
    QTest::newRow("a GovCloud endpoint") << QStringLiteral("db.c9akciq32.us-gov-west-1.rds.amazonaws.com") << QStringLiteral("us-gov-west-1");
    QTest::newRow("upper case is fine") << QStringLiteral("MYDB.C9AKCIQ32.EU-WEST-1.RDS.AMAZONAWS.COM") << QStringLiteral("eu-west-1");
    QTest::newRow("an alias is not an RDS endpoint") << QStringLiteral("db.example.internal") << QString();
    QTest::newRow("a look-alike domain is not an RDS endpoint") << QStringLiteral("mydb.c9.eu-west-1.rds.amazonaws.com.evil.example") << QString();
}

void TestJudge::rdsRegionIsParsed()
{
    QFETCH(QString, host);
    QTEST(ProblemCatalog::rdsRegionOf(host), "region");
}

QTEST_GUILESS_MAIN(TestJudge)
#include "TestJudge.moc"
