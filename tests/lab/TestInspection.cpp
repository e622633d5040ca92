// SPDX-License-Identifier: MIT
// Integration: the full inspection (probe + libpq session + plaintext test + matrix) against the
// lab, every scenario with the sslmodes that tell it apart, asserting the whole report; a
// TLS-terminating relay for the proxy-disagreement warning; scripted servers for the pg_hba and
// login problems the lab cannot produce.
#include "CertBuilder.h"
#include "../support/TestCerts.h"
#include "Inspector.h"
#include "Lab.h"
#include "../support/LabFixture.h"
#include "ReportJson.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;

Q_DECLARE_METATYPE(pgtls::SslMode)

namespace {

// A TLS-terminating relay, like a pooler with client-side TLS and a plaintext server side: it answers
// the SSLRequest with 'S', does TLS with the client, and relays the decrypted bytes to the server in
// plaintext.
class TlsTerminatingRelay : public QTcpServer
{
public:
    TlsTerminatingRelay(quint16 upstreamPort, const QList<QSslCertificate> &chain, const QSslKey &key)
        : m_upstreamPort(upstreamPort)
        , m_chain(chain)
        , m_key(key)
    {
    }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *client = new QSslSocket(this);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificateChain(m_chain);
        conf.setPrivateKey(m_key);
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        client->setSslConfiguration(conf);
        client->setSocketDescriptor(fd);
        auto *server = new QTcpSocket(client);
        server->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        connect(client, &QSslSocket::readyRead, client, [client, server] {
            if (!client->isEncrypted()) {
                if (client->bytesAvailable() < 8)
                    return;
                client->read(8); // SSLRequest
                client->write("S");
                client->startServerEncryption();
                return;
            }
            server->write(client->readAll());
        });
        connect(server, &QTcpSocket::readyRead, client, [client, server] { client->write(server->readAll()); });
        connect(client, &QSslSocket::disconnected, client, &QObject::deleteLater);
        connect(server, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
    }

private:
    quint16 m_upstreamPort;
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
};

// A scripted PostgreSQL: refuses TLS ('N'), then answers the startup message with one FATAL error.
class ScriptedErrorServer : public QTcpServer
{
public:
    explicit ScriptedErrorServer(const QByteArray &message)
        : m_message(message)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, s, [this, s] { onRead(s); });
        });
    }

private:
    void onRead(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        while (buf.size() >= 8) {
            const quint32 len = qFromBigEndian<quint32>(buf.constData());
            const quint32 code = qFromBigEndian<quint32>(buf.constData() + 4);
            if (quint32(buf.size()) < len)
                return;
            buf.remove(0, int(len));
            if (code == 80877103 || code == 80877104) { // SSLRequest, GSSENCRequest
                s->write("N");
                continue;
            }
            QByteArray fields;
            fields += "SFATAL";
            fields += '\0';
            fields += "VFATAL";
            fields += '\0';
            fields += "C28000";
            fields += '\0';
            fields += 'M' + m_message;
            fields += '\0';
            fields += '\0';
            QByteArray msg("E");
            QByteArray lenBytes(4, '\0');
            qToBigEndian<quint32>(quint32(fields.size() + 4), lenBytes.data());
            s->write(msg + lenBytes + fields);
            s->disconnectFromHost();
            return;
        }
    }

    QByteArray m_message;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QString problemCodes(const InspectionReport &r)
{
    QStringList codes;
    for (const Problem &p : r.problems)
        codes << p.code;
    return codes.join(QLatin1Char(','));
}

} // namespace

class TestInspection : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void scenarioAndSslmodeGiveTheWholeReport_data();
    void scenarioAndSslmodeGiveTheWholeReport();
    void matrixShowsWhatEachModeProtects();
    void namedMissingCaFileGivesEachModeLibpqsOutcome();
    void caFileWithoutACertificateFailsEveryTlsMode();
    void missingPasswordIsReportedSoAFrontEndCanAsk();
    void givenPasswordIsUsedAndNeverReported();
    void wrongPasswordIsPasswordFailed();
    void missingDatabaseIsDatabaseMissing();
    void proxyThatTerminatesTlsIsFlagged();
    void scriptedServerErrorsAreExplained_data();
    void scriptedServerErrorsAreExplained();
    void retiredRdsBundleIsExplained();
    void intermediateOnlyCaFileIsIncomplete();
    void unreachableServersAreExplained_data();
    void unreachableServersAreExplained();

private:
    InspectionReport inspect(const Endpoint &ep, const InspectionOptions &options);
    void switchTo(Scenario scenario);

    Lab *m_lab = nullptr;
    QTemporaryDir m_emptyHome;
};

void TestInspection::initTestCase()
{
    QVERIFY2(!QFileInfo::exists(QStringLiteral("/root/.postgresql/root.crt")),
             "a ~/.postgresql/root.crt of the machine's user would change libpq's behaviour in these tests");
    m_lab = new Lab(this);
    const QString error = test::startLab(*m_lab);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestInspection::cleanupTestCase()
{
    delete m_lab;
}

void TestInspection::switchTo(Scenario scenario)
{
    const QString error = test::switchScenario(*m_lab, scenario);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

InspectionReport TestInspection::inspect(const Endpoint &ep, const InspectionOptions &given)
{
    InspectionOptions options = given;
    options.probeOnly = false;
    if (options.homeDirectory.isEmpty())
        options.homeDirectory = m_emptyHome.path();
    Inspector inspector;
    QSignalSpy finished(&inspector, &Inspector::finished);
    inspector.start(ep, options);
    if (!finished.wait(options.timeoutMs + 5000))
        qWarning("inspection did not finish");
    if (finished.count() != 1)
        qWarning("finished() emitted %d times", int(finished.count()));
    return inspector.report();
}

void TestInspection::scenarioAndSslmodeGiveTheWholeReport_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<bool>("withCaFile");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<QString>("sslIsUsed");     // "true", "false" or "" (not connected)
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("forceSsl");
    QTest::addColumn<QString>("problems");      // problem codes in order, comma-separated
    QTest::addColumn<QString>("plaintext");     // plaintext verdict
    QTest::addColumn<QString>("summary");       // start of the summary

    using S = Scenario;
    using M = SslMode;
    const QString refused = QStringLiteral("refused-encryption-required");
    const QString acceptedAuth = QStringLiteral("accepted-auth-required");
    QTest::newRow("correct endpoint, verify-full: encrypted and verified, plaintext refused")
        << S::Correct << M::VerifyFull << true << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QString() << refused << QStringLiteral("Encrypted and verified");
    QTest::newRow("correct endpoint, verify-ca: host name not checked")
        << S::Correct << M::VerifyCa << true << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("host-not-checked") << refused << QStringLiteral("Encrypted, CA verified");
    QTest::newRow("correct endpoint, require without a CA file: not authenticated")
        << S::Correct << M::Require << false << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("server-not-authenticated") << refused
        << QStringLiteral("Encrypted, but the server was not authenticated");
    QTest::newRow("correct endpoint, require with a CA file: libpq verifies the CA")
        << S::Correct << M::Require << true << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("host-not-checked") << refused << QStringLiteral("Encrypted, CA verified");
    QTest::newRow("correct endpoint, allow: plaintext refused, libpq retries with TLS")
        << S::Correct << M::Allow << false << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("allow-tries-plaintext,server-not-authenticated") << refused
        << QStringLiteral("Encrypted, but the server was not authenticated");
    QTest::newRow("correct endpoint, disable: the server requires encryption")
        << S::Correct << M::Disable << false << false << false << QString() << QString() << QString()
        << QStringLiteral("plaintext-refused") << refused << QStringLiteral("Failed: the server requires encryption");
    QTest::newRow("alias, verify-full: host name mismatch explained as an alias")
        << S::Alias << M::VerifyFull << true << false << false << QString() << QString() << QString()
        << QStringLiteral("host-mismatch-alias") << refused << QStringLiteral("Failed: host name does not match");
    QTest::newRow("alias, verify-ca: passes, host not checked")
        << S::Alias << M::VerifyCa << true << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("host-not-checked") << refused << QStringLiteral("Encrypted, CA verified");
    QTest::newRow("unknown CA, verify-full: not in the CA file")
        << S::UnknownCa << M::VerifyFull << true << false << false << QString() << QString() << QString()
        << QStringLiteral("unknown-ca") << refused << QStringLiteral("Failed: the server's CA is not in your CA file");
    QTest::newRow("unknown CA, require without a CA file: connects, unauthenticated")
        << S::UnknownCa << M::Require << false << true << true << QStringLiteral("true") << QStringLiteral("sslinfo")
        << QStringLiteral("1") << QStringLiteral("server-not-authenticated") << refused
        << QStringLiteral("Encrypted, but the server was not authenticated");
    QTest::newRow("expired certificate, verify-full: refused as expired")
        << S::Expired << M::VerifyFull << true << false << false << QString() << QString() << QString()
        << QStringLiteral("cert-expired") << refused << QStringLiteral("Failed: a certificate has expired");
    QTest::newRow("plaintext accepted, verify-full: verified, with the plaintext warning")
        << S::PlaintextAccepted << M::VerifyFull << true << true << true << QStringLiteral("true")
        << QStringLiteral("sslinfo") << QStringLiteral("0") << QStringLiteral("plaintext-accepted") << acceptedAuth
        << QStringLiteral("Encrypted and verified");
    QTest::newRow("plaintext accepted, disable: connected without TLS, the server agrees")
        << S::PlaintextAccepted << M::Disable << false << true << false << QStringLiteral("false")
        << QStringLiteral("sslinfo") << QStringLiteral("0") << QStringLiteral("not-encrypted,plaintext-accepted")
        << acceptedAuth << QStringLiteral("Not encrypted");
    QTest::newRow("plaintext accepted, allow: libpq tries plaintext first and stays there")
        << S::PlaintextAccepted << M::Allow << false << true << false << QStringLiteral("false")
        << QStringLiteral("sslinfo") << QStringLiteral("0") << QStringLiteral("allow-tries-plaintext,not-encrypted,plaintext-accepted")
        << acceptedAuth << QStringLiteral("Not encrypted");
    QTest::newRow("plaintext accepted, prefer: TLS first")
        << S::PlaintextAccepted << M::Prefer << false << true << true << QStringLiteral("true")
        << QStringLiteral("sslinfo") << QStringLiteral("0")
        << QStringLiteral("prefer-falls-back,server-not-authenticated,plaintext-accepted") << acceptedAuth
        << QStringLiteral("Encrypted, but the server was not authenticated");
    QTest::newRow("no sslinfo, verify-full: pg_stat_ssl answers instead")
        << S::NoSslinfo << M::VerifyFull << true << true << true << QStringLiteral("true")
        << QStringLiteral("pg_stat_ssl") << QStringLiteral("1") << QStringLiteral("sslinfo-missing") << refused
        << QStringLiteral("Encrypted and verified");
    QTest::newRow("ssl off, verify-full: the server does not offer TLS")
        << S::SslOff << M::VerifyFull << true << false << false << QString() << QString() << QString()
        << QStringLiteral("ssl-not-supported,plaintext-accepted") << acceptedAuth
        << QStringLiteral("Failed: the server does not offer TLS");
    QTest::newRow("ssl off, prefer: silently unencrypted")
        << S::SslOff << M::Prefer << false << true << false << QStringLiteral("false") << QStringLiteral("sslinfo")
        << QStringLiteral("0") << QStringLiteral("prefer-falls-back,not-encrypted,plaintext-accepted") << acceptedAuth
        << QStringLiteral("Not encrypted");
}

void TestInspection::scenarioAndSslmodeGiveTheWholeReport()
{
    QFETCH(Scenario, scenario);
    QFETCH(SslMode, mode);
    QFETCH(bool, withCaFile);
    switchTo(scenario);
    Endpoint ep = m_lab->endpoint();
    ep.sslmode = mode;
    if (!withCaFile)
        ep.sslrootcert.clear();
    InspectionOptions options;
    const InspectionReport r = inspect(ep, options);

    QTEST(r.ok, "ok");
    QVERIFY(r.session.attempted);
    QFETCH(bool, ok);
    QCOMPARE(r.session.connected, ok);
    QTEST(r.session.sslInUse && r.session.connected, "encrypted");
    QFETCH(QString, sslIsUsed);
    QCOMPARE(r.session.sslIsUsed.has_value() ? (*r.session.sslIsUsed ? QStringLiteral("true") : QStringLiteral("false")) : QString(),
             sslIsUsed);
    QTEST(r.session.sslIsUsedSource, "source");
    QTEST(r.session.rdsForceSsl.value_or(QString()), "forceSsl");
    if (r.session.connected) {
        QVERIFY(r.session.serverVersion.startsWith(QLatin1String("15")));
        QCOMPARE(r.session.showSsl, scenario == Scenario::SslOff ? QStringLiteral("off") : QStringLiteral("on"));
        QVERIFY(r.session.error.isEmpty());
        QVERIFY(r.session.passwordSent); // the lab's passfile
    } else {
        QVERIFY(!r.session.error.isEmpty());
    }
    QTEST(problemCodes(r), "problems");
    QVERIFY(r.plaintext.tested);
    QTEST(PlaintextResult::verdictName(r.plaintext.verdict), "plaintext");
    QVERIFY(!r.plaintext.attempt.passwordSent);
    QVERIFY(!r.plaintext.reference.passwordSent);
    QFETCH(QString, summary);
    QVERIFY2(r.summary.startsWith(summary), qPrintable(r.summary));
    for (const Problem &p : r.problems) {
        QVERIFY2(!p.title.isEmpty() && !p.explanation.isEmpty(), qPrintable(p.code));
        if (p.isError())
            QVERIFY2(!p.detail.isEmpty(), qPrintable(p.code)); // libpq's words, verbatim
    }
    // The JSON says the same.
    const QJsonObject j = ReportJson::toJson(r);
    QCOMPARE(j.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool(), r.ok);
    QCOMPARE(j.value(QStringLiteral("session")).toObject().value(QStringLiteral("connected")).toBool(), r.session.connected);
    QCOMPARE(j.value(QStringLiteral("plaintext")).toObject().value(QStringLiteral("tested")).toBool(), true);
}

void TestInspection::matrixShowsWhatEachModeProtects()
{
    switchTo(Scenario::PlaintextAccepted);
    Endpoint ep = m_lab->endpoint();
    ep.sslrootcert.clear(); // no CA file: only verify-ca/verify-full would need one
    InspectionOptions options;
    options.matrix = true;
    InspectionReport r = inspect(ep, options);
    QCOMPARE(r.matrix.size(), 6);
    auto row = [&r](SslMode m) { return *std::find_if(r.matrix.cbegin(), r.matrix.cend(), [m](const MatrixRow &x) { return x.sslmode == m; }); };
    QVERIFY(row(SslMode::Disable).connected && !row(SslMode::Disable).encrypted && row(SslMode::Disable).passwordWithheld);
    QVERIFY(row(SslMode::Allow).connected && !row(SslMode::Allow).encrypted);
    QVERIFY(row(SslMode::Prefer).connected && row(SslMode::Prefer).encrypted && !row(SslMode::Prefer).caVerified);
    QVERIFY(row(SslMode::Require).connected && row(SslMode::Require).encrypted && !row(SslMode::Require).mitmSafe);
    QVERIFY(!row(SslMode::VerifyCa).connected);
    QCOMPARE(row(SslMode::VerifyCa).errorCode, QStringLiteral("root-cert-missing"));
    QVERIFY(!row(SslMode::VerifyFull).connected);
    for (const MatrixRow &m : std::as_const(r.matrix))
        QVERIFY(!m.mitmSafe);

    // With the lab's CA file, verify-full is the one safe mode.
    ep = m_lab->endpoint();
    r = inspect(ep, options);
    QVERIFY(row(SslMode::VerifyFull).connected && row(SslMode::VerifyFull).mitmSafe);
    QVERIFY(row(SslMode::VerifyCa).connected && row(SslMode::VerifyCa).caVerified && !row(SslMode::VerifyCa).hostVerified
            && !row(SslMode::VerifyCa).mitmSafe);
    QVERIFY(row(SslMode::Prefer).caVerified && !row(SslMode::Prefer).mitmSafe); // downgradable
    const QJsonArray matrix = ReportJson::toJson(r).value(QStringLiteral("matrix")).toArray();
    QCOMPARE(matrix.size(), 6);
    for (const char *key : { "sslmode", "connected", "encrypted", "ca_verified", "host_verified", "mitm_safe", "error" })
        QVERIFY2(matrix.first().toObject().contains(QLatin1String(key)), key);
}

void TestInspection::namedMissingCaFileGivesEachModeLibpqsOutcome()
{
    // A typo in sslrootcert: verify-* fail as libpq does, the weaker modes connect unverified.
    switchTo(Scenario::Correct);
    QTemporaryDir dir;
    Endpoint ep = m_lab->endpoint();
    ep.sslrootcert = dir.filePath(QStringLiteral("global-bundel.pem"));
    ep.sslmode = SslMode::Require;
    InspectionOptions options;
    options.matrix = true;
    const InspectionReport r = inspect(ep, options);
    QVERIFY(r.rootCert.named());
    QVERIFY(!r.rootCert.exists);
    QCOMPARE(r.rootCert.stateName(), QStringLiteral("missing"));
    // The user's own mode connected, with TLS, unverified; and the verdict names the trap.
    QVERIFY2(r.ok, qPrintable(problemCodes(r)));
    QVERIFY(r.session.connected && r.session.sslInUse);
    QVERIFY2(r.hasProblem(QStringLiteral("root-cert-named-missing-unverified")), qPrintable(problemCodes(r)));
    QVERIFY2(r.hasProblem(QStringLiteral("server-not-authenticated")), qPrintable(problemCodes(r)));
    QCOMPARE(r.matrix.size(), 6);
    auto row = [&r](SslMode m) {
        return *std::find_if(r.matrix.cbegin(), r.matrix.cend(),
            [m](const MatrixRow &x) { return x.sslmode == m; });
    };
    for (SslMode m : { SslMode::Prefer, SslMode::Require }) {
        QVERIFY2(row(m).connected && row(m).encrypted && !row(m).caVerified,
            qPrintable(sslModeName(m) + QLatin1Char(' ') + row(m).error));
    }
    for (SslMode m : { SslMode::VerifyCa, SslMode::VerifyFull }) {
        QVERIFY(!row(m).connected);
        QVERIFY2(row(m).error.contains(QStringLiteral("root certificate file \"%1\" does not exist")
                                           .arg(ep.sslrootcert)),
            qPrintable(row(m).error));
    }
    // The probe still captured the chain, and says why it was not verified.
    QVERIFY(r.probe.chain.size() >= 2);
    QVERIFY(!r.probe.trust.attempted);
    QVERIFY2(r.probe.trust.error.contains(ep.sslrootcert), qPrintable(r.probe.trust.error));
}

void TestInspection::caFileWithoutACertificateFailsEveryTlsMode()
{
    switchTo(Scenario::Correct);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("README.pem"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a certificate\n");
    }
    Endpoint ep = m_lab->endpoint();
    ep.sslrootcert = path;
    InspectionOptions options;
    options.matrix = true;
    const InspectionReport r = inspect(ep, options);
    QVERIFY(!r.ok);
    QCOMPARE(r.rootCert.stateName(), QStringLiteral("unusable"));
    QCOMPARE(r.rootCert.certificates, 0);
    for (const MatrixRow &m : std::as_const(r.matrix)) {
        if (m.sslmode == SslMode::Disable)
            continue;
        QVERIFY2(!m.connected, qPrintable(sslModeName(m.sslmode)));
        QVERIFY2(m.error.contains(QStringLiteral("could not read root certificate file")),
            qPrintable(sslModeName(m.sslmode) + QLatin1Char(' ') + m.error));
    }
}

void TestInspection::missingPasswordIsReportedSoAFrontEndCanAsk()
{
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    qunsetenv("PGPASSWORD");
    const InspectionReport r = inspect(ep, InspectionOptions());
    QVERIFY(!r.ok);
    QVERIFY(r.session.needsPassword);
    QVERIFY(r.hasProblem(QStringLiteral("password-needed")));
}

void TestInspection::givenPasswordIsUsedAndNeverReported()
{
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    InspectionOptions options;
    options.password = m_lab->password();
    options.matrix = true;
    const InspectionReport r = inspect(ep, options);
    QVERIFY2(r.ok, qPrintable(problemCodes(r)));
    QVERIFY(r.session.passwordSent);
    const QByteArray json = ReportJson::toBytes(r);
    QVERIFY(!json.contains(m_lab->password().toUtf8()));
}

void TestInspection::wrongPasswordIsPasswordFailed()
{
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    InspectionOptions options;
    options.password = QStringLiteral("not-the-password");
    const InspectionReport r = inspect(ep, options);
    QVERIFY(!r.ok);
    QCOMPARE(r.problems.first().code, QStringLiteral("password-failed"));
    QVERIFY(r.problems.first().detail.contains(QLatin1String("password authentication failed for user \"labuser\"")));
}

void TestInspection::missingDatabaseIsDatabaseMissing()
{
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.dbname = QStringLiteral("nosuchdb");
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    InspectionOptions options;
    options.password = m_lab->password();
    const InspectionReport r = inspect(ep, options);
    QVERIFY(!r.ok);
    QCOMPARE(r.problems.first().code, QStringLiteral("database-missing"));
}

void TestInspection::proxyThatTerminatesTlsIsFlagged()
{
    // The relay does TLS with the client and plaintext with the lab server (which must accept it).
    switchTo(Scenario::PlaintextAccepted);
    const test::TestCert ca = test::makeCert(QStringLiteral("Test Proxy CA"), nullptr, true);
    const test::TestCert leaf = test::makeCert(QStringLiteral("pooler.example.internal"), &ca);
    QTemporaryDir dir;
    QFile caFile(dir.filePath(QStringLiteral("proxy-ca.pem")));
    QVERIFY(caFile.open(QIODevice::WriteOnly));
    caFile.write(ca.cert.pem);
    caFile.close();

    TlsTerminatingRelay relay(m_lab->port(), { leaf.qt() }, leaf.qtKey());
    QVERIFY(relay.listen(QHostAddress::LocalHost));
    Endpoint ep = m_lab->endpoint();
    ep.host = QStringLiteral("pooler.example.internal");
    ep.port = relay.serverPort();
    ep.sslrootcert = caFile.fileName();
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    InspectionOptions options;
    options.password = m_lab->password();
    const InspectionReport r = inspect(ep, options);
    QVERIFY2(r.session.connected, qPrintable(r.session.error));
    QVERIFY(r.session.sslInUse);               // libpq: TLS, verified, host name matched
    QVERIFY(r.session.sslIsUsed.has_value());
    QVERIFY(!*r.session.sslIsUsed);           // the server: no TLS on this session
    QVERIFY(r.hasProblem(QStringLiteral("tls-terminated-by-proxy")));
    QVERIFY2(r.summary.startsWith(QLatin1String("Encrypted only as far as a proxy")), qPrintable(r.summary));
}

void TestInspection::scriptedServerErrorsAreExplained_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("code");
    QTest::newRow("no pg_hba entry for a TLS-less attempt")
        << QByteArray("no pg_hba.conf entry for host \"127.0.0.1\", user \"u\", database \"d\", no encryption")
        << QStringLiteral("no-pg-hba-entry");
    QTest::newRow("an explicit pg_hba reject line")
        << QByteArray("pg_hba.conf rejects connection for host \"127.0.0.1\", user \"u\", database \"d\", no encryption")
        << QStringLiteral("pg-hba-reject");
    QTest::newRow("an unknown role") << QByteArray("role \"u\" does not exist") << QStringLiteral("role-missing");
    QTest::newRow("a failed password")
        << QByteArray("password authentication failed for user \"u\"") << QStringLiteral("password-failed");
}

void TestInspection::scriptedServerErrorsAreExplained()
{
    QFETCH(QByteArray, message);
    ScriptedErrorServer server(message);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    Endpoint ep;
    ep.host = QStringLiteral("db.example.internal");
    ep.hostaddr = QStringLiteral("127.0.0.1");
    ep.port = server.serverPort();
    ep.user = QStringLiteral("u");
    ep.dbname = QStringLiteral("d");
    ep.sslmode = SslMode::Prefer;
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    InspectionOptions options;
    options.timeoutMs = 5000;
    const InspectionReport r = inspect(ep, options);
    QVERIFY(!r.ok);
    QTEST(r.problems.first().code, "code");
    QVERIFY2(r.problems.first().detail.contains(QString::fromUtf8(message)), qPrintable(r.problems.first().detail));
}

void TestInspection::retiredRdsBundleIsExplained()
{
    // The old combined bundle (rds-ca-2015/2019, all expired) cannot verify anything current.
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.sslrootcert = QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/rds-combined-ca-bundle-2019.pem");
    const InspectionReport r = inspect(ep, InspectionOptions());
    QVERIFY(!r.ok);
    QCOMPARE(r.problems.first().code, QStringLiteral("unknown-ca"));
    QVERIFY2(r.problems.first().explanation.contains(QLatin1String("retired")), qPrintable(r.problems.first().explanation));
    QVERIFY(r.problems.first().fix.contains(QLatin1String("global")));
}

void TestInspection::intermediateOnlyCaFileIsIncomplete()
{
    // A CA file with the intermediate but not the root: libpq accepts no partial chain.
    switchTo(Scenario::Correct);
    Endpoint ep = m_lab->endpoint();
    ep.sslrootcert = QFileInfo(m_lab->caBundlePath()).absolutePath() + QStringLiteral("/intermediate.crt");
    QVERIFY(QFileInfo::exists(ep.sslrootcert));
    const InspectionReport r = inspect(ep, InspectionOptions());
    QVERIFY(!r.ok);
    QCOMPARE(r.problems.first().code, QStringLiteral("ca-file-incomplete"));
    QVERIFY(r.problems.first().detail.contains(QLatin1String("certificate verify failed"))); // libpq's words
}

void TestInspection::unreachableServersAreExplained_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("code");
    QTest::newRow("a closed port is connection-refused") << QStringLiteral("closed") << QStringLiteral("connection-refused");
    QTest::newRow("a silent server is a timeout") << QStringLiteral("silent") << QStringLiteral("timeout");
    QTest::newRow("a name that does not resolve is dns-failure") << QStringLiteral("dns") << QStringLiteral("dns-failure");
    QTest::newRow("a server speaking something else is not-postgres") << QStringLiteral("http") << QStringLiteral("not-postgres");
}

void TestInspection::unreachableServersAreExplained()
{
    QFETCH(QString, kind);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, &server, [&server, kind] {
        while (QTcpSocket *s = server.nextPendingConnection()) {
            if (kind == QLatin1String("http"))
                connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); s->write("HTTP/1.1 400 Bad Request\r\n\r\n"); s->disconnectFromHost(); });
        }
    });
    Endpoint ep;
    ep.host = QStringLiteral("db.example.internal");
    ep.hostaddr = QStringLiteral("127.0.0.1");
    ep.port = server.serverPort();
    ep.user = QStringLiteral("u");
    ep.dbname = QStringLiteral("d");
    ep.sslmode = SslMode::Require;
    ep.passfile = QStringLiteral("/dev/null/no-passfile");
    if (kind == QLatin1String("closed"))
        server.close();
    if (kind == QLatin1String("dns")) {
        // Refused by the resolver without a query (a 64-character label): tests stay on loopback.
        ep.host = QString(64, QLatin1Char('a')) + QStringLiteral(".invalid");
        ep.hostaddr.clear();
    }
    InspectionOptions options;
    options.timeoutMs = 1500;
    const InspectionReport r = inspect(ep, options);
    QVERIFY(!r.ok);
    QVERIFY(!r.problems.isEmpty());
    QTEST(r.problems.first().code, "code");
    QVERIFY(!r.problems.first().detail.isEmpty());
    QCOMPARE(r.plaintext.accepted.has_value(), false); // no answer either way
}

QTEST_GUILESS_MAIN(TestInspection)
#include "TestInspection.moc"
