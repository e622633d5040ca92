// SPDX-License-Identifier: MIT
// The TLS probe against hostile and broken servers: each must end in a clear error inside the
// timeout, never a hang or a crash. Also a well-behaved TLS server, to check chain capture.
#include "CertBuilder.h"
#include "../support/TestCerts.h"
#include "TlsProbe.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;

namespace {

enum class Behaviour {
    Silent,            // accepts, never answers
    Garbage,           // answers the SSLRequest with junk
    SThenClose,        // 'S', then closes
    N,                 // 'N'
    Http,              // an HTTP server
    ErrorMessage,      // 'E' + an error message, as very old servers do
    SThenSilence,      // 'S', then never answers the ClientHello
    SThenHalfRecord,   // 'S', then half a TLS record, then silence
    SWithExtraBytes,   // 'S' with bytes glued behind it (CVE-2021-23222)
    CloseAtOnce,       // accepts and closes without a byte
};

// A TCP server that misbehaves in one chosen way after reading the 8-byte SSLRequest.
class HostileServer : public QTcpServer
{
public:
    explicit HostileServer(Behaviour b)
        : m_behaviour(b)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                if (m_behaviour == Behaviour::CloseAtOnce) {
                    s->close();
                    continue;
                }
                connect(s, &QTcpSocket::readyRead, s, [this, s] { onRead(s); });
            }
        });
    }

private:
    void onRead(QTcpSocket *s)
    {
        m_buffer[s] += s->readAll();
        if (m_answered.contains(s) || m_buffer[s].size() < 8)
            return;
        m_answered.insert(s);
        switch (m_behaviour) {
        case Behaviour::Silent:
        case Behaviour::CloseAtOnce:
            break;
        case Behaviour::Garbage: s->write("\x01\x02XYZ garbage"); break;
        case Behaviour::SThenClose:
            s->write("S");
            s->flush();
            s->disconnectFromHost();
            break;
        case Behaviour::N: s->write("N"); break;
        case Behaviour::Http: s->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); break;
        case Behaviour::ErrorMessage:
            s->write(QByteArray("E\0\0\0\x20SFATAL\0Munsupported frontend protocol\0\0", 37));
            break;
        case Behaviour::SThenSilence: s->write("S"); break;
        case Behaviour::SThenHalfRecord: s->write(QByteArray("S\x16\x03\x03\x40\x00\x02\x00\x00", 9).left(1));
            // The record header arrives separately, after the client sent its ClientHello.
            connect(s, &QTcpSocket::readyRead, s, [s] {
                s->readAll();
                s->write(QByteArray("\x16\x03\x03\x40\x00\x02\x00\x00\x46", 9));
            });
            break;
        case Behaviour::SWithExtraBytes: s->write("Sinjected"); break;
        }
    }

    Behaviour m_behaviour;
    QHash<QTcpSocket *, QByteArray> m_buffer;
    QSet<QTcpSocket *> m_answered;
};

// A PostgreSQL-like TLS server: answers 'S', then does a real TLS handshake with a chosen chain
// (QSslSocket starts unencrypted, like a STARTTLS server).
class FakePostgresTlsServer : public QTcpServer
{
public:
    FakePostgresTlsServer(const QList<QSslCertificate> &chain, const QSslKey &key)
        : m_chain(chain)
        , m_key(key)
    {
    }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificateChain(m_chain);
        conf.setPrivateKey(m_key);
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        ssl->setSslConfiguration(conf);
        ssl->setSocketDescriptor(fd);
        connect(ssl, &QSslSocket::readyRead, ssl, [ssl] {
            if (ssl->isEncrypted() || ssl->bytesAvailable() < 8)
                return;
            ssl->read(8);
            ssl->write("S");
            ssl->startServerEncryption();
        });
    }

private:
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
};

Endpoint endpointFor(quint16 port, const QString &host = QStringLiteral("db.example.com"))
{
    Endpoint e;
    e.host = host;
    e.hostaddr = QStringLiteral("127.0.0.1");
    e.port = port;
    e.sslmode = SslMode::Require;
    return e;
}

} // namespace

Q_DECLARE_METATYPE(Behaviour)
Q_DECLARE_METATYPE(pgtls::ProbeResult::Outcome)

class TestTlsProbeHostile : public QObject
{
    Q_OBJECT
private slots:
    void hostileServerEndsInAClearError_data();
    void hostileServerEndsInAClearError();
    void tlsServerThatIsNotPostgresIsRecognised();
    void closedPortIsConnectionRefused();
    void unixSocketHostIsRefusedWithAReason();
    void cancelEndsWithOneFinished();
    void cancelOrRestartFromAStepHandlerIsSafe_data();
    void cancelOrRestartFromAStepHandlerIsSafe();
    void noHostMeansTheUnixSocket();
    void sniCanBeTurnedOffAndProtocolsBounded();
    void chainIsCapturedExactlyAsSent();
    void sniFollowsLibpq_data();
    void sniFollowsLibpq();

private:
    ProbeResult runProbe(const Endpoint &e, int timeoutMs, int *finishedCount = nullptr);
};

ProbeResult TestTlsProbeHostile::runProbe(const Endpoint &e, int timeoutMs, int *finishedCount)
{
    TlsProbe probe;
    QSignalSpy spy(&probe, &TlsProbe::finished);
    probe.start(e, RootCertResolution(), timeoutMs);
    // start() reports nothing synchronously.
    if (spy.count() != 0)
        qFatal("finished() emitted synchronously");
    // The probe's own deadline must end it; the spy waits a little longer than that.
    if (!spy.wait(timeoutMs + 3000))
        qWarning("the probe did not finish within its timeout");
    if (finishedCount)
        *finishedCount = spy.count();
    return probe.result();
}

void TestTlsProbeHostile::hostileServerEndsInAClearError_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<ProbeResult::Outcome>("outcome");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("errorContains");

    using O = ProbeResult::Outcome;
    QTest::newRow("a port that accepts and says nothing times out waiting for the SSLRequest answer")
        << Behaviour::Silent << O::TimedOut << QStringLiteral("timeout")
        << QStringLiteral("while waiting for the answer to SSLRequest");
    QTest::newRow("garbage in answer to SSLRequest is not PostgreSQL, with the bytes shown")
        << Behaviour::Garbage << O::Failed << QStringLiteral("not-postgres") << QStringLiteral("01 02 58 59 5a");
    QTest::newRow("'S' then close fails the TLS handshake")
        << Behaviour::SThenClose << O::Failed << QStringLiteral("tls-handshake-failed")
        << QStringLiteral("closed the connection during the TLS handshake");
    QTest::newRow("'N' means the server refuses TLS")
        << Behaviour::N << O::TlsRefused << QStringLiteral("ssl-not-supported")
        << QStringLiteral("server does not support SSL");
    QTest::newRow("a plain HTTP server is recognised")
        << Behaviour::Http << O::Failed << QStringLiteral("not-postgres") << QStringLiteral("an HTTP server");
    QTest::newRow("an error message instead of an answer is not a usable PostgreSQL")
        << Behaviour::ErrorMessage << O::Failed << QStringLiteral("not-postgres") << QStringLiteral("error message");
    QTest::newRow("a handshake that never starts times out during the handshake")
        << Behaviour::SThenSilence << O::TimedOut << QStringLiteral("timeout") << QStringLiteral("during the TLS handshake");
    QTest::newRow("a handshake that stalls halfway times out during the handshake")
        << Behaviour::SThenHalfRecord << O::TimedOut << QStringLiteral("timeout") << QStringLiteral("during the TLS handshake");
    QTest::newRow("bytes glued behind 'S' are refused like libpq does")
        << Behaviour::SWithExtraBytes << O::Failed << QStringLiteral("unencrypted-data-after-ssl-response")
        << QStringLiteral("received unencrypted data after SSL response");
    QTest::newRow("a server that closes at once is not answering as PostgreSQL")
        << Behaviour::CloseAtOnce << O::Failed << QStringLiteral("not-postgres")
        << QStringLiteral("closed the connection without answering the SSLRequest");
}

void TestTlsProbeHostile::hostileServerEndsInAClearError()
{
    QFETCH(Behaviour, behaviour);
    HostileServer server(behaviour);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    int finished = 0;
    const ProbeResult r = runProbe(endpointFor(server.serverPort()), 800, &finished);
    QCOMPARE(finished, 1);
    QVERIFY2(r.timings.total <= 800 + 500, "the probe must end by its own deadline");
    QTEST(r.outcome, "outcome");
    QTEST(r.errorCode, "code");
    QFETCH(QString, errorContains);
    QVERIFY2(r.error.contains(errorContains), qPrintable(r.error));
    QVERIFY(r.chain.isEmpty());
    QVERIFY(r.timings.total >= 0);
    QCOMPARE(r.connectedAddress, QStringLiteral("127.0.0.1:%1").arg(server.serverPort()));
}

void TestTlsProbeHostile::tlsServerThatIsNotPostgresIsRecognised()
{
    // A TLS server (e.g. HTTPS) expects a ClientHello at once; our SSLRequest is junk to it.
    const test::TestCert cert = test::makeCert(QStringLiteral("https.example.com"));
    QSslServer server;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(cert.qt());
    conf.setPrivateKey(cert.qtKey());
    server.setSslConfiguration(conf);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    int finished = 0;
    const ProbeResult r = runProbe(endpointFor(server.serverPort()), 2000, &finished);
    QCOMPARE(finished, 1);
    QCOMPARE(r.outcome, ProbeResult::Outcome::Failed);
    QCOMPARE(r.errorCode, QStringLiteral("not-postgres"));
    QVERIFY2(r.error.contains(QLatin1String("not a PostgreSQL server")) || r.error.contains(QLatin1String("TLS server")),
             qPrintable(r.error));
}

void TestTlsProbeHostile::closedPortIsConnectionRefused()
{
    QTcpServer s;
    QVERIFY(s.listen(QHostAddress::LocalHost));
    const quint16 port = s.serverPort();
    s.close();
    const ProbeResult r = runProbe(endpointFor(port), 2000);
    QCOMPARE(r.outcome, ProbeResult::Outcome::Failed);
    QCOMPARE(r.errorCode, QStringLiteral("connection-refused"));
    QVERIFY2(r.error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(r.error));
    QCOMPARE(r.triedAddresses, QStringList{ QStringLiteral("127.0.0.1:%1").arg(port) });
}

void TestTlsProbeHostile::unixSocketHostIsRefusedWithAReason()
{
    Endpoint e;
    e.host = QStringLiteral("/var/run/postgresql");
    const ProbeResult r = runProbe(e, 1000);
    QCOMPARE(r.outcome, ProbeResult::Outcome::Failed);
    QCOMPARE(r.errorCode, QStringLiteral("unix-socket"));
}

void TestTlsProbeHostile::cancelEndsWithOneFinished()
{
    HostileServer server(Behaviour::Silent);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TlsProbe probe;
    QSignalSpy spy(&probe, &TlsProbe::finished);
    QSignalSpy steps(&probe, &TlsProbe::stepFinished);
    probe.start(endpointFor(server.serverPort()), RootCertResolution(), 10000);
    QVERIFY(steps.wait(2000)); // resolve
    QTRY_VERIFY(steps.count() >= 2); // tcp
    probe.cancel();
    QCOMPARE(spy.count(), 0); // not synchronously
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(probe.result().outcome, ProbeResult::Outcome::Cancelled);
    probe.cancel(); // idempotent, no second finished
    QVERIFY(!spy.wait(200));
    QCOMPARE(spy.count(), 1);
}

void TestTlsProbeHostile::chainIsCapturedExactlyAsSent()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const PrivateKey rootKey = PrivateKey::generate(PrivateKey::Type::EcP256);
    CertRequest rootReq;
    rootReq.subject = { { QStringLiteral("CN"), QStringLiteral("Hostile Test Root") } };
    rootReq.notBefore = now.addDays(-1);
    rootReq.notAfter = now.addDays(30);
    rootReq.isCa = true;
    const IssuedCert root = CertBuilder::selfSigned(rootReq, rootKey);
    CertRequest intReq = rootReq;
    intReq.subject = { { QStringLiteral("CN"), QStringLiteral("Hostile Test Intermediate") } };
    const IssuedCert inter = CertBuilder::issue(intReq, PrivateKey::generate(PrivateKey::Type::EcP256), root);
    CertRequest leafReq;
    leafReq.subject = { { QStringLiteral("CN"), QStringLiteral("db.example.com") } };
    leafReq.notBefore = now.addDays(-1);
    leafReq.notAfter = now.addDays(10);
    leafReq.sanDns = { QStringLiteral("db.example.com") };
    const IssuedCert leaf = CertBuilder::issue(leafReq, PrivateKey::generate(PrivateKey::Type::EcP256), inter);

    const QList<QSslCertificate> chain = { QSslCertificate(leaf.der, QSsl::Der), QSslCertificate(inter.der, QSsl::Der) };
    FakePostgresTlsServer server(chain, QSslKey(leaf.key.toPem(), QSsl::Ec));
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const ProbeResult r = runProbe(endpointFor(server.serverPort()), 5000);
    QVERIFY2(r.outcome == ProbeResult::Outcome::TlsEstablished, qPrintable(r.error));
    QVERIFY(r.tlsOffered);
    QCOMPARE(r.sslResponse, QStringLiteral("S"));
    QCOMPARE(r.chain.size(), 2);
    QCOMPARE(r.chain.at(0).der, leaf.der);
    QCOMPARE(r.chain.at(1).der, inter.der);
    QVERIFY(r.protocol.startsWith(QLatin1String("TLSv1.")));
    QVERIFY(!r.cipher.isEmpty());
    QVERIFY(!r.group.isEmpty());
    QVERIFY(r.hostMatch.has_value());
    QVERIFY(r.hostMatch->matched);
    QVERIFY(r.timings.tcp >= 0 && r.timings.tcp <= r.timings.sslRequest && r.timings.sslRequest <= r.timings.tls
            && r.timings.tls <= r.timings.total);
    QVERIFY(!r.trust.attempted); // no CA file given: nothing verified
}

void TestTlsProbeHostile::cancelOrRestartFromAStepHandlerIsSafe_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("restart");
    for (const char *step : { "resolve", "tcp", "ssl-request", "tls" }) {
        QTest::newRow(qPrintable(QStringLiteral("cancel at %1").arg(QLatin1String(step)))) << QString::fromLatin1(step) << false;
        QTest::newRow(qPrintable(QStringLiteral("restart at %1").arg(QLatin1String(step)))) << QString::fromLatin1(step) << true;
    }
}

void TestTlsProbeHostile::cancelOrRestartFromAStepHandlerIsSafe()
{
    QFETCH(QString, step);
    QFETCH(bool, restart);
    const test::TestCert cert = test::makeCert(QStringLiteral("db.example.com"));
    FakePostgresTlsServer server({ cert.qt() }, cert.qtKey());
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TlsProbe probe;
    QSignalSpy finished(&probe, &TlsProbe::finished);
    QStringList stepsAfterFinish;
    bool acted = false;
    const Endpoint e = endpointFor(server.serverPort(), QStringLiteral("localhost"));
    Endpoint byName = e;
    byName.hostaddr.clear(); // so that "resolve" is a step of its own
    connect(&probe, &TlsProbe::stepFinished, this, [&](const QString &s) {
        if (finished.count() > 0 && !restart)
            stepsAfterFinish << s;
        if (s == step && !acted) {
            acted = true;
            if (restart)
                probe.start(byName, RootCertResolution(), 5000);
            else
                probe.cancel();
        }
    });
    probe.start(byName, RootCertResolution(), 5000);
    QVERIFY(finished.wait(8000));
    QVERIFY(acted);
    if (restart) {
        // The superseded run emits nothing; the new one runs to its end.
        QTRY_COMPARE(probe.isRunning(), false);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(probe.result().outcome, ProbeResult::Outcome::TlsEstablished);
    } else {
        QCOMPARE(probe.result().outcome, ProbeResult::Outcome::Cancelled);
        QVERIFY(!finished.wait(300));
        QCOMPARE(finished.count(), 1);
        QVERIFY2(stepsAfterFinish.isEmpty(), qPrintable(stepsAfterFinish.join(QLatin1Char(','))));
    }
}

void TestTlsProbeHostile::noHostMeansTheUnixSocket()
{
    Endpoint e;
    e.port = 5432;
    const ProbeResult r = runProbe(e, 1000);
    QCOMPARE(r.outcome, ProbeResult::Outcome::Failed);
    QCOMPARE(r.errorCode, QStringLiteral("unix-socket"));
    QVERIFY(r.triedAddresses.isEmpty()); // nothing was contacted
}

void TestTlsProbeHostile::sniCanBeTurnedOffAndProtocolsBounded()
{
    const test::TestCert cert = test::makeCert(QStringLiteral("db.example.com"));
    FakePostgresTlsServer server({ cert.qt() }, cert.qtKey());
    QVERIFY(server.listen(QHostAddress::LocalHost));
    Endpoint e = endpointFor(server.serverPort());
    ProbeResult r = runProbe(e, 5000);
    QCOMPARE(r.sni, QStringLiteral("db.example.com"));
    QCOMPARE(r.protocol, QStringLiteral("TLSv1.3"));
    e.extraOptions.insert(QStringLiteral("sslsni"), QStringLiteral("0"));
    e.extraOptions.insert(QStringLiteral("ssl_max_protocol_version"), QStringLiteral("TLSv1.2"));
    r = runProbe(e, 5000);
    QCOMPARE(r.outcome, ProbeResult::Outcome::TlsEstablished);
    QVERIFY(r.sni.isEmpty());
    QCOMPARE(r.protocol, QStringLiteral("TLSv1.2"));
    e.extraOptions.insert(QStringLiteral("ssl_max_protocol_version"), QStringLiteral("TLSv9"));
    r = runProbe(e, 5000);
    QCOMPARE(r.errorCode, QStringLiteral("invalid-option"));
}

void TestTlsProbeHostile::sniFollowsLibpq_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("sends");
    QTest::newRow("a DNS name is sent") << QStringLiteral("mydb.example.com") << true;
    QTest::newRow("an IPv4 address is not sent") << QStringLiteral("10.1.2.3") << false;
    QTest::newRow("anything with a colon is not sent") << QStringLiteral("::1") << false;
    QTest::newRow("digits and dots only are not sent") << QStringLiteral("1.2.3.4.5") << false;
    QTest::newRow("an empty host is not sent") << QString() << false;
    QTest::newRow("a name starting with digits is sent") << QStringLiteral("1db.example.com") << true;
}

void TestTlsProbeHostile::sniFollowsLibpq()
{
    QFETCH(QString, host);
    QTEST(TlsProbe::libpqSendsSni(host), "sends");
}

QTEST_GUILESS_MAIN(TestTlsProbeHostile)
#include "TestTlsProbeHostile.moc"
