// SPDX-License-Identifier: MIT
// A real HTTPS server on 127.0.0.1 for download tests: QSslServer with a certificate for
// 127.0.0.1/localhost issued by a throwaway test CA, and a tiny HTTP/1.1 responder that answers
// per path (status, headers, body, or stalling on purpose). Header-only, shared by the core and
// CLI download tests.
#pragma once

#include "CertBuilder.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStringList>

#include <memory>

namespace pgtls::testing {

// A test CA and a server certificate it issued for localhost and 127.0.0.1.
struct TestPki
{
    lab::IssuedCert ca;
    lab::IssuedCert server;

    static TestPki make(const QString &caName)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        TestPki pki;
        lab::CertRequest caReq;
        caReq.subject = { { QStringLiteral("O"), QStringLiteral("PG TLS Inspector tests") },
            { QStringLiteral("CN"), caName } };
        caReq.notBefore = now.addDays(-1);
        caReq.notAfter = now.addDays(30);
        caReq.isCa = true;
        pki.ca = lab::CertBuilder::selfSigned(
            caReq, lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256));
        lab::CertRequest leafReq;
        leafReq.subject = { { QStringLiteral("CN"), QStringLiteral("localhost") } };
        leafReq.notBefore = now.addDays(-1);
        leafReq.notAfter = now.addDays(10);
        leafReq.sanDns = { QStringLiteral("localhost") };
        leafReq.sanIp = { QStringLiteral("127.0.0.1") };
        pki.server = lab::CertBuilder::issue(
            leafReq, lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256), pki.ca);
        return pki;
    }
    QSslCertificate caCertificate() const { return QSslCertificate(ca.der, QSsl::Der); }
};

// What the server answers for one path.
struct Route
{
    enum class Mode {
        Complete, // status, headers, whole body, close
        StallAfterHeaders, // status and headers (with the Content-Length of `body`), then silence
        StallAfterPart, // status, headers and the first `partBytes` of the body, then silence
    };
    int status = 200;
    QByteArray reason = "OK";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool sendContentLength = true; // false: the body ends when the connection closes
    Mode mode = Mode::Complete;
    qint64 partBytes = 0;

    static Route ok(
        const QByteArray &body, const QByteArray &contentType = "application/x-pem-file")
    {
        Route r;
        r.body = body;
        r.headers = { { "Content-Type", contentType } };
        return r;
    }
    static Route redirect(int status, const QByteArray &location)
    {
        Route r;
        r.status = status;
        r.reason = status == 301 ? "Moved Permanently" : "Found";
        r.headers = { { "Location", location } };
        return r;
    }
};

class LocalHttpsServer
{
public:
    explicit LocalHttpsServer(const TestPki &pki)
        : m_server(std::make_unique<QSslServer>())
    {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(QSslCertificate(pki.server.der, QSsl::Der));
        conf.setPrivateKey(QSslKey(pki.server.key.toPem(), QSsl::Ec));
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server->setSslConfiguration(conf);
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(),
            [this]() { acceptPending(); });
    }

    bool listen() { return m_server->listen(QHostAddress(QHostAddress::LocalHost)); }
    quint16 port() const { return m_server->serverPort(); }
    QString baseUrl(const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QStringLiteral("https://%1:%2").arg(host).arg(port());
    }
    QString url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return baseUrl(host) + path;
    }
    void setRoute(const QString &path, const Route &route) { m_routes.insert(path, route); }
    // Paths requested so far, in order.
    QStringList requests() const { return m_requests; }
    // Connections that completed the TLS handshake.
    int handshakes() const { return m_handshakes; }

private:
    void acceptPending()
    {
        while (m_server->hasPendingConnections()) {
            auto *socket = qobject_cast<QSslSocket *>(m_server->nextPendingConnection());
            if (!socket)
                continue;
            ++m_handshakes;
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QSslSocket::readyRead, socket, [this, socket, buffer]() {
                buffer->append(socket->readAll());
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0 || buffer->isEmpty())
                    return;
                const QList<QByteArray> requestLine
                    = buffer->left(buffer->indexOf("\r\n")).split(' ');
                buffer->clear();
                answer(socket, requestLine.value(1));
            });
            QObject::connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void answer(QSslSocket *socket, const QByteArray &target)
    {
        const QString path = QString::fromLatin1(target);
        m_requests.append(path);
        Route route;
        if (m_routes.contains(path)) {
            route = m_routes.value(path);
        } else {
            route.status = 404;
            route.reason = "Not Found";
            route.body = "<html><body><h1>404 Not Found</h1></body></html>\n";
            route.headers = { { "Content-Type", "text/html" } };
        }
        QByteArray head
            = "HTTP/1.1 " + QByteArray::number(route.status) + ' ' + route.reason + "\r\n";
        for (const auto &h : std::as_const(route.headers))
            head += h.first + ": " + h.second + "\r\n";
        if (route.sendContentLength)
            head += "Content-Length: " + QByteArray::number(route.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        socket->write(head);
        switch (route.mode) {
        case Route::Mode::Complete:
            socket->write(route.body);
            socket->disconnectFromHost(); // after the pending bytes are written
            break;
        case Route::Mode::StallAfterHeaders:
            break;
        case Route::Mode::StallAfterPart:
            socket->write(route.body.left(route.partBytes));
            break;
        }
    }

    std::unique_ptr<QSslServer> m_server;
    QHash<QString, Route> m_routes;
    QStringList m_requests;
    int m_handshakes = 0;
};

} // namespace pgtls::testing
