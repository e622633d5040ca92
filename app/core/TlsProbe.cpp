// SPDX-License-Identifier: MIT
#include "TlsProbe.h"

#include "OpenSslUtil.h"
#include "Problem.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QTcpSocket>
#include <QtEndian>

#include <openssl/err.h>

namespace pgtls {

namespace {

// PostgreSQL's SSLRequest: Int32 length 8, Int32 code 80877103 (1234 << 16 | 5679).
QByteArray sslRequestPacket()
{
    QByteArray packet(8, '\0');
    qToBigEndian<quint32>(8, packet.data());
    qToBigEndian<quint32>(80877103, packet.data() + 4);
    return packet;
}

QString addressText(const QHostAddress &address, int port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

} // namespace

struct TlsProbe::Tls
{
    ossl::SslCtxPtr ctx;
    ossl::SslPtr ssl;
    BIO *rbio = nullptr; // owned by ssl
    BIO *wbio = nullptr; // owned by ssl
};

TlsProbe::TlsProbe(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_result.errorCode = problemCodeName(ProblemCode::Timeout);
        m_result.error = tr("timed out after %1 ms %2")
                             .arg(m_timeoutMs)
                             .arg(currentStepDescription());
        finish(ProbeResult::Outcome::TimedOut);
    });
}

TlsProbe::~TlsProbe()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    if (m_socket)
        m_socket->abort();
}

bool TlsProbe::libpqSendsSni(const QString &host)
{
    if (host.isEmpty())
        return false;
    bool onlyDigitsAndDots = true;
    for (QChar c : host) {
        if (!(c.isDigit() && c.unicode() < 128) && c != QLatin1Char('.')) {
            onlyDigitsAndDots = false;
            break;
        }
    }
    return !onlyDigitsAndDots && !host.contains(QLatin1Char(':'));
}

QString TlsProbe::describeUnexpectedAnswer(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return tr("nothing (the connection was closed)");
    const QString hex = QString::fromLatin1(bytes.left(16).toHex(' '));
    const auto b0 = static_cast<unsigned char>(bytes.at(0));
    QString guess;
    if (bytes.startsWith("HTTP/"))
        guess = tr("an HTTP server");
    else if (b0 == 0x15 || b0 == 0x16)
        guess = tr("a TLS server that expects a TLS handshake right away, not PostgreSQL's SSLRequest");
    else if (bytes.startsWith("SSH-"))
        guess = tr("an SSH server");
    else if (b0 == 'E')
        guess = tr("an error message instead of an answer to SSLRequest (a very old server or a proxy)");
    else if (bytes.startsWith("220") || bytes.startsWith("+OK") || bytes.startsWith("* OK"))
        guess = tr("a mail server");
    QString printable;
    for (char c : bytes.left(40))
        printable += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QLatin1Char('.');
    QString text = tr("bytes %1 (\"%2\")").arg(hex, printable);
    if (!guess.isEmpty())
        text += tr(", which looks like %1").arg(guess);
    return text;
}

void TlsProbe::start(const Endpoint &endpoint, const RootCertResolution &rootCert, int timeoutMs,
                     const QDateTime &now)
{
    cancel();
    ++m_generation;
    m_endpoint = endpoint;
    m_rootCert = rootCert;
    m_now = now;
    m_timeoutMs = qBound(1, timeoutMs, 24 * 3600 * 1000);
    m_result = ProbeResult();
    m_addresses.clear();
    m_nextAddress = 0;
    m_tls.reset();
    m_running = true;
    m_stage = Stage::Resolving;
    m_clock.start();
    m_deadline.start(m_timeoutMs);

    // Everything else happens from the event loop, so start() never reports synchronously.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(this, [this, generation] {
        if (generation != m_generation || !m_running)
            return;
        if (m_endpoint.isUnixSocket()) {
            fail(ProblemCode::UnixSocket,
                 tr("\"%1\" is a Unix-domain socket: PostgreSQL never uses TLS over a local socket. "
                    "Give a host name or IP address.")
                     .arg(m_endpoint.host));
            return;
        }
        if (m_endpoint.host.isEmpty() && m_endpoint.hostaddr.isEmpty()) {
            fail(ProblemCode::UnixSocket,
                 tr("no host given: libpq connects through the local Unix-domain socket, where PostgreSQL "
                    "never uses TLS. Give a host name or IP address."));
            return;
        }
        const QString target = m_endpoint.hostaddr.isEmpty() ? m_endpoint.host : m_endpoint.hostaddr;
        QHostAddress literal;
        if (literal.setAddress(target)) {
            resolved({ literal }, {});
            return;
        }
        if (!m_endpoint.hostaddr.isEmpty()) {
            fail(ProblemCode::BadHostaddr,
                 tr("hostaddr \"%1\" is not a numeric IP address").arg(m_endpoint.hostaddr));
            return;
        }
        m_lookupId = QHostInfo::lookupHost(target, this, [this, generation](const QHostInfo &info) {
            m_lookupId = -1;
            if (generation != m_generation || !m_running)
                return;
            resolved(info.addresses(), info.error() == QHostInfo::NoError ? QString() : info.errorString());
        });
    }, Qt::QueuedConnection);
}

void TlsProbe::cancel()
{
    if (!m_running)
        return;
    m_result.error = tr("cancelled %1").arg(currentStepDescription());
    m_result.errorCode = problemCodeName(ProblemCode::Cancelled);
    finish(ProbeResult::Outcome::Cancelled);
}

QString TlsProbe::currentStepDescription() const
{
    switch (m_stage) {
    case Stage::Resolving: return tr("while resolving the host name");
    case Stage::Connecting: return tr("while connecting (TCP)");
    case Stage::AwaitingSslAnswer: return tr("while waiting for the answer to SSLRequest");
    case Stage::Handshaking: return tr("during the TLS handshake");
    case Stage::Idle:
    case Stage::Done: break;
    }
    return {};
}

bool TlsProbe::mark(qint64 &slot, const QString &step)
{
    slot = m_clock.elapsed();
    const quint64 generation = m_generation;
    emit stepFinished(step);
    return m_running && generation == m_generation;
}

void TlsProbe::resolved(const QList<QHostAddress> &addresses, const QString &error)
{
    if (addresses.isEmpty()) {
        fail(ProblemCode::DnsFailure,
             tr("could not translate host name \"%1\" to address: %2")
                 .arg(m_endpoint.host, error.isEmpty() ? tr("no addresses") : error));
        return;
    }
    m_addresses = addresses;
    if (!mark(m_result.timings.resolve, QStringLiteral("resolve")))
        return;
    m_stage = Stage::Connecting;
    connectNext();
}

void TlsProbe::connectNext()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    if (m_nextAddress >= m_addresses.size()) {
        // Every address failed; the error of the last attempt stays in m_result.
        finish(ProbeResult::Outcome::Failed);
        return;
    }
    const QHostAddress address = m_addresses.at(m_nextAddress++);
    m_result.triedAddresses << addressText(address, m_endpoint.port);
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &TlsProbe::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &TlsProbe::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &TlsProbe::onSocketError);
    m_socket->connectToHost(address, static_cast<quint16>(m_endpoint.port));
}

void TlsProbe::onConnected()
{
    if (!m_running)
        return;
    m_result.connectedAddress = addressText(m_socket->peerAddress(), m_endpoint.port);
    if (!mark(m_result.timings.tcp, QStringLiteral("tcp")))
        return;
    m_stage = Stage::AwaitingSslAnswer;
    m_socket->write(sslRequestPacket());
}

void TlsProbe::onSocketError()
{
    if (!m_running || !m_socket)
        return;
    const auto err = m_socket->error();
    const QString where = m_result.triedAddresses.isEmpty() ? QString() : m_result.triedAddresses.last();
    if (m_stage == Stage::Connecting) {
        QString code = problemCodeName(ProblemCode::ConnectionFailed);
        if (err == QAbstractSocket::ConnectionRefusedError)
            code = problemCodeName(ProblemCode::ConnectionRefused);
        m_result.errorCode = code;
        m_result.error = tr("could not connect to %1: %2").arg(where, m_socket->errorString());
        connectNext(); // libpq also tries the next address
        return;
    }
    if (err == QAbstractSocket::RemoteHostClosedError) {
        if (m_stage == Stage::AwaitingSslAnswer) {
            fail(ProblemCode::NotPostgres,
                 tr("the server at %1 closed the connection without answering the SSLRequest: "
                    "this is not a PostgreSQL server, or it refuses this client")
                     .arg(where));
        } else {
            fail(ProblemCode::TlsHandshakeFailed,
                 tr("the server at %1 closed the connection during the TLS handshake").arg(where));
        }
        return;
    }
    fail(ProblemCode::ConnectionFailed, tr("connection to %1 failed: %2").arg(where, m_socket->errorString()));
}

void TlsProbe::onReadyRead()
{
    if (!m_running || !m_socket)
        return;
    if (m_stage == Stage::AwaitingSslAnswer) {
        const QByteArray answer = m_socket->read(1);
        if (answer.isEmpty())
            return;
        const char c = answer.at(0);
        if (c == 'S') {
            m_result.sslResponse = QStringLiteral("S");
            m_result.tlsOffered = true;
            if (!mark(m_result.timings.sslRequest, QStringLiteral("ssl-request")))
                return;
            if (m_socket->bytesAvailable() > 0) {
                // libpq 15 refuses this too (CVE-2021-23222): bytes injected before the handshake.
                fail(ProblemCode::UnencryptedDataAfterSslResponse,
                     tr("received unencrypted data after SSL response"));
                return;
            }
            startTls();
            return;
        }
        if (c == 'N') {
            m_result.sslResponse = QStringLiteral("N");
            if (!mark(m_result.timings.sslRequest, QStringLiteral("ssl-request")))
                return;
            m_result.errorCode = problemCodeName(ProblemCode::SslNotSupported);
            m_result.error = tr("server does not support SSL, but SSL was required");
            finish(ProbeResult::Outcome::TlsRefused);
            return;
        }
        // Not PostgreSQL: gather what else arrived with it for the message.
        const QByteArray seen = answer + m_socket->read(63);
        m_result.sslResponse = describeUnexpectedAnswer(seen);
        fail(ProblemCode::NotPostgres,
             tr("not a PostgreSQL server: it answered the SSLRequest with %1 instead of 'S' or 'N'")
                 .arg(m_result.sslResponse));
        return;
    }
    if (m_stage == Stage::Handshaking && m_tls) {
        const QByteArray data = m_socket->readAll();
        if (!data.isEmpty())
            BIO_write(m_tls->rbio, data.constData(), static_cast<int>(data.size()));
        driveHandshake();
    }
}

void TlsProbe::startTls()
{
    m_stage = Stage::Handshaking;
    m_tls = std::make_unique<Tls>();
    ERR_clear_error();
    m_tls->ctx.reset(SSL_CTX_new(TLS_client_method()));
    if (!m_tls->ctx) {
        fail(ProblemCode::Internal, tr("could not create SSL context: %1").arg(ossl::takeErrors()));
        return;
    }
    // As libpq 15 does: ssl_min_protocol_version (default TLS 1.2) and ssl_max_protocol_version, no
    // compression, OpenSSL's default ciphers. The chain is verified separately, so the handshake accepts any.
    const auto version = [](const QString &name) -> int {
        if (name == QLatin1String("TLSv1")) return TLS1_VERSION;
        if (name == QLatin1String("TLSv1.1")) return TLS1_1_VERSION;
        if (name == QLatin1String("TLSv1.2")) return TLS1_2_VERSION;
        if (name == QLatin1String("TLSv1.3")) return TLS1_3_VERSION;
        return -1;
    };
    const QString minName = m_endpoint.extraOptions.value(QStringLiteral("ssl_min_protocol_version"), QStringLiteral("TLSv1.2"));
    const QString maxName = m_endpoint.extraOptions.value(QStringLiteral("ssl_max_protocol_version"));
    const int minVersion = minName.isEmpty() ? 0 : version(minName);
    const int maxVersion = maxName.isEmpty() ? 0 : version(maxName);
    if (minVersion < 0 || maxVersion < 0) {
        fail(ProblemCode::InvalidOption,
             tr("invalid %1 value: \"%2\"")
                 .arg(minVersion < 0 ? QStringLiteral("ssl_min_protocol_version") : QStringLiteral("ssl_max_protocol_version"),
                      minVersion < 0 ? minName : maxName));
        return;
    }
    SSL_CTX_set_min_proto_version(m_tls->ctx.get(), minVersion);
    SSL_CTX_set_max_proto_version(m_tls->ctx.get(), maxVersion);
    SSL_CTX_set_options(m_tls->ctx.get(), SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_verify(m_tls->ctx.get(), SSL_VERIFY_NONE, nullptr);
    m_tls->ssl.reset(SSL_new(m_tls->ctx.get()));
    m_tls->rbio = BIO_new(BIO_s_mem());
    m_tls->wbio = BIO_new(BIO_s_mem());
    if (!m_tls->ssl || !m_tls->rbio || !m_tls->wbio) {
        fail(ProblemCode::Internal, tr("could not create SSL object: %1").arg(ossl::takeErrors()));
        return;
    }
    SSL_set_bio(m_tls->ssl.get(), m_tls->rbio, m_tls->wbio);
    if (m_endpoint.extraOptions.value(QStringLiteral("sslsni"), QStringLiteral("1")) == QLatin1String("1")
        && libpqSendsSni(m_endpoint.host)) {
        m_result.sni = m_endpoint.host;
        const QByteArray name = m_endpoint.host.toUtf8();
        SSL_set_tlsext_host_name(m_tls->ssl.get(), name.constData());
    }
    SSL_set_connect_state(m_tls->ssl.get());
    driveHandshake();
}

void TlsProbe::driveHandshake()
{
    if (!m_tls)
        return;
    ERR_clear_error();
    const int rc = SSL_do_handshake(m_tls->ssl.get());
    // Whatever OpenSSL produced goes out, in every case (including a final alert).
    char buf[16384];
    int n;
    while ((n = BIO_read(m_tls->wbio, buf, sizeof buf)) > 0)
        m_socket->write(buf, n);
    if (rc == 1) {
        handshakeDone();
        return;
    }
    const int err = SSL_get_error(m_tls->ssl.get(), rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        return; // wait for more bytes from the server
    QString detail = ossl::takeErrors();
    if (detail.isEmpty())
        detail = tr("SSL_get_error %1").arg(err);
    fail(ProblemCode::TlsHandshakeFailed, tr("TLS handshake failed: %1").arg(detail));
}

void TlsProbe::handshakeDone()
{
    if (!mark(m_result.timings.tls, QStringLiteral("tls")))
        return;
    SSL *ssl = m_tls->ssl.get();
    m_result.protocol = QString::fromLatin1(SSL_get_version(ssl));
    if (const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl))
        m_result.cipher = QString::fromLatin1(SSL_CIPHER_get_name(cipher));
    const int groupId = SSL_get_negotiated_group(ssl);
    if (groupId > 0) {
        if (const char *name = SSL_group_to_name(ssl, groupId))
            m_result.group = QString::fromLatin1(name);
    }
    // On the client side SSL_get_peer_cert_chain() is the chain exactly as sent, leaf included.
    if (STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl)) {
        for (int i = 0; i < sk_X509_num(chain); ++i) {
            const QByteArray der = ossl::x509ToDer(sk_X509_value(chain, i));
            m_result.chain << CertificateInfo::fromDer(der);
        }
    }
    // Be polite: close_notify, then close.
    SSL_shutdown(ssl);
    char buf[4096];
    int n;
    while ((n = BIO_read(m_tls->wbio, buf, sizeof buf)) > 0)
        m_socket->write(buf, n);
    m_socket->disconnectFromHost();

    if (m_result.chain.isEmpty()) {
        fail(ProblemCode::NoCertificate, tr("the server sent no certificate"));
        return;
    }
    // libpq loads the revocation lists only together with the root file (initialize_SSL).
    if (m_rootCert.verifies)
        m_result.trust = ChainVerifier::verify(
                m_result.chain, m_rootCert.path, m_now,
                CrlSettings::forEndpoint(m_endpoint, m_homeDir.isEmpty()
                                                 ? RootCert::libpqHomeDirectory()
                                                 : m_homeDir));
    m_result.trust.caFile = m_rootCert.path;
    if (!m_endpoint.host.isEmpty())
        m_result.hostMatch = HostMatcher::match(m_endpoint.host, m_result.chain.first());
    finish(ProbeResult::Outcome::TlsEstablished);
}

void TlsProbe::fail(ProblemCode code, const QString &message)
{
    m_result.errorCode = problemCodeName(code);
    m_result.error = message;
    finish(ProbeResult::Outcome::Failed);
}

void TlsProbe::finish(ProbeResult::Outcome outcome)
{
    if (!m_running)
        return;
    m_running = false;
    if (outcome != ProbeResult::Outcome::TlsEstablished) {
        switch (m_stage) {
        case Stage::Resolving: m_result.step = QStringLiteral("resolve"); break;
        case Stage::Connecting: m_result.step = QStringLiteral("tcp-connect"); break;
        case Stage::AwaitingSslAnswer: m_result.step = QStringLiteral("ssl-request"); break;
        case Stage::Handshaking: m_result.step = QStringLiteral("tls-handshake"); break;
        case Stage::Idle:
        case Stage::Done: break;
        }
    }
    m_stage = Stage::Done;
    m_deadline.stop();
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_socket && outcome != ProbeResult::Outcome::TlsEstablished) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    m_result.outcome = outcome;
    m_result.timings.total = m_clock.elapsed();
    // finished() always arrives from the event loop, never inside start() or cancel().
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(this, [this, generation] {
        if (generation == m_generation)
            emit finished();
    }, Qt::QueuedConnection);
}

} // namespace pgtls
