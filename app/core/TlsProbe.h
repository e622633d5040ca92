// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"
#include "InspectionReport.h"
#include "Problem.h"
#include "RootCert.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace pgtls {

// The TLS probe: TCP connect, PostgreSQL SSLRequest, TLS handshake (SNI as libpq sends it), capture
// of the chain exactly as sent, protocol, cipher and group; then chain verification against the
// CA file and host-name matching by libpq's rules. Needs no credentials.
//
// Asynchronous: start() returns at once and reports nothing synchronously; finished() is emitted
// exactly once per start(), also after cancel() (outcome Cancelled) and on timeout (TimedOut);
// a run superseded by another start() emits nothing. Handlers of stepFinished() and finished() may
// call cancel() or start().
// Everything runs on the caller's event loop; no call blocks (name resolution uses QHostInfo).
class TlsProbe : public QObject
{
    Q_OBJECT
public:
    explicit TlsProbe(QObject *parent = nullptr);
    ~TlsProbe() override;

    // `rootCert` says which CA file to verify against (and whether to); `now` judges validity.
    void start(const Endpoint &endpoint, const RootCertResolution &rootCert, int timeoutMs,
               const QDateTime &now = QDateTime::currentDateTimeUtc());
    void cancel();
    // libpq's home directory, for the default revocation list ~/.postgresql/root.crl (as
    // PgSession::Options::homeDirectory); empty (the default): RootCert::libpqHomeDirectory().
    // Takes effect at the next start().
    void setHomeDirectory(const QString &homeDir) { m_homeDir = homeDir; }
    bool isRunning() const { return m_running; }
    const ProbeResult &result() const { return m_result; }

    // libpq's SNI rule (fe-secure-openssl.c): no SNI for an empty host or one that looks like an IP
    // address (only digits and dots, or containing ':').
    static bool libpqSendsSni(const QString &host);
    // A readable description of bytes a non-PostgreSQL server sent instead of 'S' or 'N'.
    static QString describeUnexpectedAnswer(const QByteArray &bytes);

signals:
    // A step completed: "resolve", "tcp", "ssl-request", "tls". For progress display.
    void stepFinished(const QString &step);
    void finished();

private:
    struct Tls;
    void resolved(const QList<QHostAddress> &addresses, const QString &error);
    void connectNext();
    void onConnected();
    void onReadyRead();
    void onSocketError();
    void startTls();
    void driveHandshake();
    void handshakeDone();
    void fail(ProblemCode code, const QString &message);
    void finish(ProbeResult::Outcome outcome);
    // Records a step's time and announces it; false when a handler of stepFinished() cancelled or
    // restarted the probe (the caller must then return at once).
    [[nodiscard]] bool mark(qint64 &slot, const QString &step);
    QString currentStepDescription() const;

    Endpoint m_endpoint;
    RootCertResolution m_rootCert;
    QString m_homeDir;
    QDateTime m_now;
    int m_timeoutMs = 10000;
    ProbeResult m_result;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    QPointer<QTcpSocket> m_socket;
    QList<QHostAddress> m_addresses;
    int m_nextAddress = 0;
    int m_lookupId = -1;
    enum class Stage { Idle, Resolving, Connecting, AwaitingSslAnswer, Handshaking, Done } m_stage = Stage::Idle;
    std::unique_ptr<Tls> m_tls;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace pgtls
