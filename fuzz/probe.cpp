// SPDX-License-Identifier: MIT
// The TlsProbe state machine (answer to SSLRequest, then the TLS handshake) fed a hostile
// server's bytes in arbitrary chunks. A QTcpServer on 127.0.0.1 waits for the SSLRequest, then
// writes the input in chunks (one event-loop turn apart) and closes; the probe connects to it.
// Input: byte 0 says how many chunk-size bytes follow (1..8), each chunk-size byte gives a chunk of
// 1..256 bytes (used in turn), the rest is what the server sends.
// Asserts: no crash or leak; finished() exactly once; never a timeout (the server always closes);
// the outcome is TlsEstablished only with a chain; the error texts are bounded and well-formed.

#include "FuzzCommon.h"
#include "TlsProbe.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace pgtls;

namespace {

struct Script
{
    QList<int> chunks;
    QByteArray payload;
};

// Writes the payload in chunks once the 8-byte SSLRequest has arrived, then closes. A child of
// the server's socket, so it goes with it.
class Writer : public QObject
{
public:
    Writer(QTcpSocket *peer, const Script &script)
        : QObject(peer), m_peer(peer), m_script(script)
    {
        connect(peer, &QTcpSocket::readyRead, this, [this] {
            m_received += m_peer->readAll().size(); // the SSLRequest, then the ClientHello: dropped
            if (!m_started && m_received >= 8) {
                m_started = true;
                QTimer::singleShot(0, this, [this] { next(); });
            }
        });
    }

private:
    void next()
    {
        if (m_offset >= m_script.payload.size()) {
            m_peer->disconnectFromHost();
            return;
        }
        const int n = m_script.chunks.at(m_index++ % m_script.chunks.size());
        m_peer->write(m_script.payload.mid(m_offset, n));
        m_peer->flush();
        m_offset += n;
        QTimer::singleShot(0, this, [this] { next(); });
    }

    QTcpSocket *m_peer;
    Script m_script;
    qint64 m_received = 0;
    bool m_started = false;
    qsizetype m_offset = 0;
    int m_index = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_probe";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);
    static QTcpServer *server = [] {
        auto *s = new QTcpServer;
        if (!s->listen(QHostAddress::LocalHost, 0))
            fuzz::violated("cannot listen on 127.0.0.1");
        return s;
    }();
    if (size < 1 || size > 65536)
        return 0;

    Script script;
    const size_t count = size_t(data[0] % 8) + 1;
    size_t pos = 1;
    for (size_t i = 0; i < count && pos < size; ++i, ++pos)
        script.chunks << int(data[pos]) + 1;
    if (script.chunks.isEmpty())
        script.chunks << 1;
    script.payload = QByteArray(reinterpret_cast<const char *>(data + pos), qsizetype(size - pos));

    QList<QTcpSocket *> peers;
    const auto accept = QObject::connect(server, &QTcpServer::newConnection, server, [&] {
        while (QTcpSocket *peer = server->nextPendingConnection()) {
            peers << peer;
            new Writer(peer, script);
        }
    });

    Endpoint endpoint;
    endpoint.host = QStringLiteral("db.example.com"); // SNI sent, host name matched
    endpoint.hostaddr = QStringLiteral("127.0.0.1");
    endpoint.port = server->serverPort();
    RootCertResolution rootCert; // no CA file: the chain is not verified
    int finishedCount = 0;
    {
        TlsProbe probe;
        QEventLoop loop;
        QObject::connect(&probe, &TlsProbe::finished, &loop, [&] {
            ++finishedCount;
            loop.quit();
        });
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(15000);
        probe.start(endpoint, rootCert, 8000);
        loop.exec();
        fuzz::require(finishedCount == 1, "the probe did not finish");
        // Nothing else may arrive: let every queued event run.
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        fuzz::require(finishedCount == 1, "finished() was emitted more than once");

        const ProbeResult &r = probe.result();
        fuzz::require(r.outcome != ProbeResult::Outcome::TimedOut,
                      "the probe timed out although the server closed", r.error);
        fuzz::require(r.outcome != ProbeResult::Outcome::NotRun, "the probe reports it never ran");
        if (r.outcome == ProbeResult::Outcome::TlsEstablished)
            fuzz::require(!r.chain.isEmpty(), "TLS established without a chain");
        else
            fuzz::require(!r.error.isEmpty() && !r.errorCode.isEmpty(), "a failure without an error");
        fuzz::require(r.error.size() <= 4096, "unbounded error text", r.error.left(200));
        fuzz::require(r.sslResponse.size() <= 1024, "unbounded SSL answer text");
        fuzz::requireWellFormed(r.error, "probe error");
        fuzz::requireWellFormed(r.sslResponse, "probe SSL answer");
    }
    QObject::disconnect(accept);
    for (QTcpSocket *peer : peers) {
        peer->abort();
        delete peer;
    }
    // Connections the probe opened and the server has not handed out yet.
    while (QTcpSocket *late = server->nextPendingConnection())
        delete late;
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
