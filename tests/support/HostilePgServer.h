// SPDX-License-Identifier: MIT
#pragma once

// A hostile PostgreSQL peer for tests, on 127.0.0.1 only. Per connection it reads the SSLRequest
// (answers 'N', or 'S' and then does server-side TLS with the certificate chain it is given) and
// the StartupMessage, then plays a script of backend messages: after the StartupMessage, after each
// PasswordMessage and after each Sync (the end of the Parse/Bind/Describe/Execute/Sync that
// PQsendQueryParams sends) or simple Query. Optionally DataRows without end after the query answer,
// and a dribble mode (one byte per second). It records every byte it received on each connection
// (decrypted under TLS) and every PasswordMessage payload, which is what the tests assert on.
// Header-only and without Q_OBJECT, so any test can include it.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>
#include <QtEndian>

#include <algorithm>

namespace pgtls::test {

// Backend messages of protocol 3.0 ("Message Formats" in the PostgreSQL documentation).
namespace pgwire {

inline QByteArray int32(qint32 v)
{
    QByteArray b(4, '\0');
    qToBigEndian<qint32>(v, b.data());
    return b;
}

inline QByteArray int16(qint16 v)
{
    QByteArray b(2, '\0');
    qToBigEndian<qint16>(v, b.data());
    return b;
}

inline QByteArray cstring(const QByteArray &s)
{
    return s + '\0';
}

// A typed message: type byte, int32 length (counting itself), body.
inline QByteArray message(char type, const QByteArray &body)
{
    return QByteArray(1, type) + int32(qint32(body.size() + 4)) + body;
}

inline QByteArray authenticationOk()
{
    return message('R', int32(0));
}
inline QByteArray authenticationCleartextPassword()
{
    return message('R', int32(3));
}

// The fields of an ErrorResponse or NoticeResponse: S (localised severity), V (severity), C
// (SQLSTATE), M.
inline QByteArray reportFields(
    const QByteArray &severity, const QByteArray &code, const QByteArray &text)
{
    return 'S' + cstring(severity) + 'V' + cstring(severity) + 'C' + cstring(code) + 'M'
        + cstring(text) + '\0';
}

inline QByteArray errorResponse(
    const QByteArray &severity, const QByteArray &code, const QByteArray &text)
{
    return message('E', reportFields(severity, code, text));
}

inline QByteArray noticeResponse(
    const QByteArray &severity, const QByteArray &code, const QByteArray &text)
{
    return message('N', reportFields(severity, code, text));
}

inline QByteArray parameterStatus(const QByteArray &name, const QByteArray &value)
{
    return message('S', cstring(name) + cstring(value));
}

inline QByteArray backendKeyData(qint32 pid, qint32 key)
{
    return message('K', int32(pid) + int32(key));
}
inline QByteArray readyForQuery(char status = 'I')
{
    return message('Z', QByteArray(1, status));
}
inline QByteArray parseComplete()
{
    return message('1', {});
}
inline QByteArray bindComplete()
{
    return message('2', {});
}
inline QByteArray commandComplete(const QByteArray &tag)
{
    return message('C', cstring(tag));
}

// A RowDescription of text columns (type oid 25, text format).
inline QByteArray rowDescription(const QList<QByteArray> &columns)
{
    QByteArray body = int16(qint16(columns.size()));
    for (const QByteArray &name : columns)
        body += cstring(name) + int32(0) + int16(0) + int32(25) + int16(-1) + int32(-1) + int16(0);
    return message('T', body);
}

inline QByteArray dataRow(const QList<QByteArray> &values)
{
    QByteArray body = int16(qint16(values.size()));
    for (const QByteArray &v : values)
        body += int32(qint32(v.size())) + v;
    return message('D', body);
}

// One DataRow of one column that is exactly `totalBytes` long on the wire.
inline QByteArray dataRowOfSize(int totalBytes)
{
    const int overhead = 1 + 4 + 2 + 4;
    return dataRow({ QByteArray(std::max(0, totalBytes - overhead), 'r') });
}

// What a server sends between AuthenticationOk and ReadyForQuery.
inline QByteArray serverParameters()
{
    return parameterStatus("server_version", "15.0") + parameterStatus("server_encoding", "UTF8")
        + parameterStatus("client_encoding", "UTF8") + parameterStatus("DateStyle", "ISO, MDY")
        + parameterStatus("integer_datetimes", "on")
        + parameterStatus("standard_conforming_strings", "on") + backendKeyData(4242, 0x5eed);
}

// A whole successful login: AuthenticationOk, the parameters, BackendKeyData, ReadyForQuery.
inline QByteArray acceptLogin()
{
    return authenticationOk() + serverParameters() + readyForQuery();
}

// The answer to one extended-protocol query that fails: the Parse is refused, Sync still answered.
inline QByteArray queryError(const QByteArray &text = "permission denied")
{
    return errorResponse("ERROR", "42501", text) + readyForQuery();
}

} // namespace pgwire

class HostilePgServer : public QTcpServer
{
public:
    enum class Tls { Refuse, Accept }; // the answer to SSLRequest: 'N', or 'S' and TLS
    enum class Dribble { None, Startup, Query }; // which answer goes out one byte per second

    struct Script
    {
        Tls tls = Tls::Refuse;
        QList<QSslCertificate> chain; // leaf first; with Tls::Accept
        QSslKey key;
        QByteArray onStartup; // sent after the StartupMessage
        bool closeAfterStartup = false; // close once onStartup is out (e.g. after a FATAL error)
        QByteArray onPassword; // sent after each PasswordMessage
        QByteArray onQuery; // sent after each Sync or simple Query
        int endlessRowBytes = 0; // > 0: after onQuery, DataRows of this size without end
        qint64 endlessCap = qint64(2)
            << 30; // ... but never more than this many bytes per connection
        Dribble dribble = Dribble::None;
    };

    // What one connection brought.
    struct Connection
    {
        QByteArray received; // every byte from the client, TLS decrypted (first 64 MiB)
        bool sslRequested = false;
        bool gssRequested = false;
        bool tlsStarted = false; // 'S' sent and the server side of the handshake started
        bool encrypted = false; // the handshake completed
        bool cancelRequest = false;
        bool startupReceived = false;
        QMap<QByteArray, QByteArray> startup; // user, database, application_name, ...
        QList<QByteArray> passwords; // each PasswordMessage payload (without its NUL)
        QByteArray frontendTypes; // the type byte of every message after the StartupMessage
        qint64 endlessSent = 0; // bytes of endless DataRows written
        bool closedByClient = false;
    };

    explicit HostilePgServer(const Script &script, QObject *parent = nullptr)
        : QTcpServer(parent)
        , m_script(script)
        , m_endlessRow(script.endlessRowBytes > 0 ? pgwire::dataRowOfSize(script.endlessRowBytes)
                                                  : QByteArray())
    { }

    bool listenOnLoopback() { return listen(QHostAddress::LocalHost, 0); }

    const QList<Connection> &connections() const { return m_connections; }

    QList<QByteArray> passwordMessages() const
    {
        QList<QByteArray> all;
        for (const Connection &c : m_connections)
            all += c.passwords;
        return all;
    }

    // Whether `needle` occurs in what any connection received.
    bool received(const QByteArray &needle) const
    {
        return std::any_of(m_connections.cbegin(), m_connections.cend(),
            [&needle](const Connection &c) { return c.received.contains(needle); });
    }

    int startupCount() const
    {
        return int(std::count_if(m_connections.cbegin(), m_connections.cend(),
            [](const Connection &c) { return c.startupReceived; }));
    }

    bool anyQueryReceived() const
    {
        return std::any_of(m_connections.cbegin(), m_connections.cend(), [](const Connection &c) {
            return c.frontendTypes.contains('S') || c.frontendTypes.contains('Q');
        });
    }

    qint64 endlessBytesSent() const
    {
        qint64 n = 0;
        for (const Connection &c : m_connections)
            n += c.endlessSent;
        return n;
    }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *socket = new QSslSocket(this);
        if (m_script.tls == Tls::Accept) {
            QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
            conf.setLocalCertificateChain(m_script.chain);
            conf.setPrivateKey(m_script.key);
            conf.setPeerVerifyMode(QSslSocket::VerifyNone);
            socket->setSslConfiguration(conf);
        }
        if (!socket->setSocketDescriptor(fd)) {
            delete socket;
            return;
        }
        m_connections.append(Connection());
        auto *peer = new Peer(this, socket, int(m_connections.size() - 1));
        QObject::connect(socket, &QSslSocket::readyRead, peer, [peer] { peer->onReadable(); });
        QObject::connect(
            socket, &QSslSocket::encrypted, peer, [peer] { peer->record().encrypted = true; });
        QObject::connect(socket, &QSslSocket::bytesWritten, peer, [peer] { peer->refill(); });
        QObject::connect(
            socket, &QSslSocket::encryptedBytesWritten, peer, [peer] { peer->refill(); });
        // A failed handshake or a reset ends the connection; a normal close from the client comes
        // as disconnected() after its last bytes were read.
        QObject::connect(
            socket, &QSslSocket::errorOccurred, peer, [socket](QAbstractSocket::SocketError e) {
                if (e != QAbstractSocket::RemoteHostClosedError)
                    socket->abort();
            });
        QObject::connect(socket, &QSslSocket::disconnected, peer, [peer, socket] {
            peer->record().closedByClient = true;
            peer->stop();
            socket->deleteLater();
        });
    }

private:
    static constexpr qsizetype kRecordCap = qsizetype(64) << 20;
    static constexpr qint64 kWriteWindow = qint64(4) << 20;
    static constexpr int kMaxMessage = 1 << 20;

    // One connection's state; a child of its socket, so it goes away with it.
    class Peer : public QObject
    {
    public:
        Peer(HostilePgServer *server, QSslSocket *socket, int index)
            : QObject(socket)
            , m_server(server)
            , m_socket(socket)
            , m_index(index)
        {
            m_dribbleTimer.setInterval(1000);
            QObject::connect(&m_dribbleTimer, &QTimer::timeout, this, [this] { dribbleOne(); });
        }

        Connection &record() { return m_server->m_connections[m_index]; }

        void stop()
        {
            m_dribbleTimer.stop();
            m_pending.clear();
            m_endless = false;
            m_closing = false;
        }

        void onReadable()
        {
            const QByteArray data = m_socket->readAll();
            Connection &c = record();
            if (c.received.size() < kRecordCap)
                c.received += data.left(kRecordCap - c.received.size());
            m_in += data;
            while (m_socket->state() == QAbstractSocket::ConnectedState) {
                if (!(m_startupDone ? takeTypedMessage() : takeUntypedMessage()))
                    break;
            }
        }

        void refill()
        {
            if (!m_endless || !m_pending.isEmpty())
                return;
            Connection &c = record();
            const qint64 cap = m_server->m_script.endlessCap;
            while (m_socket->state() == QAbstractSocket::ConnectedState && c.endlessSent < cap
                && m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < kWriteWindow) {
                m_socket->write(m_server->m_endlessRow);
                c.endlessSent += m_server->m_endlessRow.size();
            }
        }

    private:
        // SSLRequest, GSSENCRequest, CancelRequest or StartupMessage: int32 length, int32 code.
        bool takeUntypedMessage()
        {
            if (m_in.size() < 8)
                return false;
            const qint32 length = qFromBigEndian<qint32>(m_in.constData());
            const qint32 code = qFromBigEndian<qint32>(m_in.constData() + 4);
            if (length < 8 || length > 10000) {
                m_socket->abort();
                return false;
            }
            if (m_in.size() < length)
                return false;
            const QByteArray body = m_in.mid(8, length - 8);
            m_in.remove(0, length);
            Connection &c = record();
            if (code == 80877103) { // SSLRequest
                c.sslRequested = true;
                if (m_server->m_script.tls == Tls::Accept && !m_socket->isEncrypted()
                    && !c.tlsStarted) {
                    m_socket->write("S");
                    m_socket->flush();
                    c.tlsStarted = true;
                    m_in.clear(); // anything glued behind the request is not TLS
                    m_socket->startServerEncryption();
                    return false;
                }
                m_socket->write("N");
                return true;
            }
            if (code == 80877104) { // GSSENCRequest
                c.gssRequested = true;
                m_socket->write("N");
                return true;
            }
            if (code == 80877102) { // CancelRequest
                c.cancelRequest = true;
                m_socket->disconnectFromHost();
                return false;
            }
            if (code != 196608) { // not protocol 3.0
                m_socket->abort();
                return false;
            }
            const QList<QByteArray> parts = body.split('\0');
            for (int i = 0; i + 1 < parts.size(); i += 2) {
                if (!parts.at(i).isEmpty())
                    c.startup.insert(parts.at(i), parts.at(i + 1));
            }
            c.startupReceived = true;
            m_startupDone = true;
            send(m_server->m_script.onStartup, m_server->m_script.dribble == Dribble::Startup);
            if (m_server->m_script.closeAfterStartup)
                closeWhenSent();
            return true;
        }

        // Type byte, int32 length (counting itself), body.
        bool takeTypedMessage()
        {
            if (m_in.size() < 5)
                return false;
            const char type = m_in.at(0);
            const qint32 length = qFromBigEndian<qint32>(m_in.constData() + 1);
            if (length < 4 || length > kMaxMessage) {
                m_socket->abort();
                return false;
            }
            if (m_in.size() < 1 + length)
                return false;
            const QByteArray body = m_in.mid(5, length - 4);
            m_in.remove(0, 1 + length);
            Connection &c = record();
            c.frontendTypes += type;
            const Script &script = m_server->m_script;
            switch (type) {
            case 'p': // PasswordMessage (also SASL responses, which this peer never asks for)
                c.passwords.append(body.endsWith('\0') ? body.chopped(1) : body);
                send(script.onPassword, false);
                break;
            case 'S': // Sync
            case 'Q': // Query
                send(script.onQuery, script.dribble == Dribble::Query);
                if (script.endlessRowBytes > 0) {
                    m_endless = true;
                    refill();
                }
                break;
            case 'X': // Terminate
                m_socket->disconnectFromHost();
                return false;
            default: // Parse, Bind, Describe, Execute, Flush: answered at the Sync
                break;
            }
            return true;
        }

        // Bytes go out in order; a dribbled chunk holds back what follows it.
        void send(const QByteArray &bytes, bool dribble)
        {
            if (bytes.isEmpty())
                return;
            if (!dribble && m_pending.isEmpty()) {
                m_socket->write(bytes);
                return;
            }
            m_pending.append({ bytes, dribble });
            if (!m_dribbleTimer.isActive())
                pump();
        }

        void pump()
        {
            while (!m_pending.isEmpty()) {
                auto &[bytes, dribble] = m_pending.first();
                if (dribble) {
                    dribbleOne();
                    return;
                }
                m_socket->write(bytes);
                m_pending.removeFirst();
            }
            afterPending();
        }

        void dribbleOne()
        {
            if (m_pending.isEmpty()) {
                m_dribbleTimer.stop();
                return;
            }
            QByteArray &bytes = m_pending.first().first;
            m_socket->write(bytes.left(1));
            bytes.remove(0, 1);
            if (!bytes.isEmpty()) {
                if (!m_dribbleTimer.isActive())
                    m_dribbleTimer.start();
                return;
            }
            m_pending.removeFirst();
            m_dribbleTimer.stop();
            pump();
        }

        void afterPending()
        {
            if (m_closing) {
                m_socket->disconnectFromHost();
                return;
            }
            refill();
        }

        void closeWhenSent()
        {
            m_closing = true;
            if (m_pending.isEmpty())
                afterPending();
        }

        HostilePgServer *m_server;
        QSslSocket *m_socket;
        int m_index;
        QByteArray m_in;
        bool m_startupDone = false;
        bool m_endless = false;
        bool m_closing = false;
        QList<QPair<QByteArray, bool>> m_pending;
        QTimer m_dribbleTimer;
    };

    Script m_script;
    QByteArray m_endlessRow;
    QList<Connection> m_connections;
};

} // namespace pgtls::test
