// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace pgtls {

// A NoticeResponse the server sent (or a notice of libpq's own): hostile text, kept bounded.
struct ServerNotice
{
    QString severity;                // "WARNING", "NOTICE", ... as sent
    QString message;                 // at most SafeText::kMaxMessageChars characters
};

// What one libpq connection attempt found: the client's view (libpq) and the server's own view.
struct SessionResult
{
    bool attempted = false;
    bool connected = false;          // CONNECTION_OK reached
    bool reachedAuthentication = false; // the server asked for a password (or other auth): pg_hba matched
    bool needsPassword = false;      // PQconnectionNeedsPassword(): the server wants a password we lack
    bool passwordSent = false;       // a password (ours, PGPASSWORD or .pgpass) was used
    SslMode sslmode = SslMode::VerifyFull;

    // The client's view (PQsslInUse / PQsslAttribute), valid when connected.
    bool sslInUse = false;
    // TLS on the final connection attempt as observed while libpq polled: also valid when the
    // attempt stopped at the authentication request (a withheld password) or failed after it.
    bool sslInUseObserved = false;
    bool channelBindingRequired = false; // the attempt ran with channel_binding=require
    QString protocol;                // "TLSv1.3"
    QString cipher;
    int keyBits = 0;
    QString compression;             // "on"/"off" as libpq says

    // The server's view, valid when connected.
    std::optional<bool> sslIsUsed;   // sslinfo's ssl_is_used(), else pg_stat_ssl.ssl
    QString sslIsUsedSource;         // "sslinfo", "pg_stat_ssl" or empty
    bool sslinfoInstalled = false;
    std::optional<bool> pgStatSsl;   // pg_stat_ssl.ssl for pg_backend_pid()
    QString pgStatSslVersion;
    QString pgStatSslCipher;
    int pgStatSslBits = 0;
    QString showSsl;                 // SHOW ssl: "on"/"off"
    std::optional<QString> rdsForceSsl; // SHOW rds.force_ssl when the parameter exists
    QString serverVersion;           // server_version
    int backendPid = 0;
    QString serverAddress;           // inet_server_addr():port as the server saw it, when TCP

    QList<ServerNotice> notices;     // at most PgSession::kMaxNotices, in arrival order
    int noticesDropped = 0;          // notices beyond that bound
    qint64 bytesReceived = 0;        // bytes the server sent (an upper estimate), bounded by kMaxBytes

    QString error;                   // libpq's message verbatim (trimmed, bounded), empty when connected
    QString errorCode;               // "timeout", "cancelled", "password-needed", ... (see classifyFailure())
    // The step the attempt ended at (libpq's PQstatus observed while it polled, on the final
    // attempt): "resolve", "tcp-connect", "ssl-request" (waiting for the answer to SSLRequest),
    // "tls-handshake", "authentication" (startup packet sent, until AuthenticationOk),
    // "startup" (authenticated, until ReadyForQuery), "server-view" (connected, our queries);
    // empty when the session connected and finished its queries.
    QString step;
    // The SQLSTATEs of the errors the server sent while connecting, in order (one per failed
    // attempt that got an ErrorResponse); structure, not text, in any language.
    QStringList sqlstates;
    QString queryError;              // connected, but a server-view query failed: the server's message
    qint64 connectMs = -1;           // start() to CONNECTION_OK (or failure)
    qint64 totalMs = -1;             // start() to finished(), queries included
};

// One asynchronous libpq session: PQconnectStartParams + PQconnectPoll driven by QSocketNotifier
// (re-created whenever PQsocket() changes), then asynchronous queries for the server's view
// (PQsendQueryParams, PQconsumeInput/PQisBusy on readable). Names are resolved with QHostInfo and
// passed as hostaddr (host kept for SNI and verification) so libpq does no blocking DNS.
// No call blocks the caller's thread; start() reports nothing synchronously; finished() is emitted
// exactly once per start(), also after cancel() (errorCode "cancelled") and on timeout ("timeout").
// The password, when given, lives only in this object's memory and libpq's; it is never logged,
// reported, or put in any result.
class PgSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int timeoutMs = 10000;
        bool queryServerView = true; // after connecting, run the server-view queries
        // Never send a password on this attempt (no `password`, passfile=/dev/null, PGPASSWORD ignored):
        // used by the plaintext test and unencrypted matrix attempts. A password request then ends the
        // attempt with reachedAuthentication=true, errorCode "password-needed".
        bool withholdPassword = false;
        // Add channel_binding=require (unless the endpoint sets channel_binding itself): libpq
        // then accepts only SCRAM-SHA-256-PLUS. With the password withheld, the attempt learns
        // whether the server offers it ("password-needed") or not ("channel-binding-unavailable").
        bool requireChannelBinding = false;
        // libpq's home directory (for ~/.postgresql/*); empty: RootCert::libpqHomeDirectory().
        // Before libpq is started, the files it would open are checked (ClientFiles): a FIFO, a
        // device or a huge file there would hang our thread inside libpq, so such an attempt is
        // not started and ends with "client-file-unsafe".
        QString homeDirectory;
    };

    // Whatever the server sends, one attempt keeps this little: at most kMaxBytes received
    // (then "server-flood"), kMaxNotices notices, one row per server-view query.
    static constexpr qint64 kMaxBytes = 2 * 1024 * 1024;
    static constexpr int kMaxNotices = 20;

    explicit PgSession(QObject *parent = nullptr);
    ~PgSession() override;

    // `password` may be empty: then libpq's own sources apply (PGPASSWORD, passfile/.pgpass).
    void start(const Endpoint &endpoint, const QString &password, const Options &options);
    void cancel();
    bool isRunning() const;
    const SessionResult &result() const;

    // One failed attempt as libpq reported it: its part of libpq's message, the server's SQLSTATE
    // (when the server sent an ErrorResponse) and the step and TLS state libpq was in.
    struct AttemptFailure
    {
        QString message;   // libpq's text for this attempt (default verbosity, as psql shows it)
        QString sqlstate;  // empty: libpq's own error, not the server's
        QString step;      // as SessionResult::step
        bool tls = false;  // TLS was in use on this attempt when it failed
        bool authenticated = false; // the server had sent AuthenticationOk
    };
    // The errorCode for failed attempts, by structure first: the server's SQLSTATE (28P01, 3D000,
    // 28000 told apart by the step, 57P03, 53300), then libpq's own messages matched in libpq's
    // catalogue of the current language (dgettext on its text domain) and in English, then the
    // step. The most specific cause over all attempts wins (as classifyError()).
    static QString classifyFailure(const QList<AttemptFailure> &attempts);
    // libpq's message at PQERRORS_VERBOSE as it would read at the default verbosity (what psql
    // prints): the "SQLSTATE: " after each server error's severity and its LOCATION line (and the
    // other VERBOSE-only field lines) removed. The SQLSTATEs found are appended to `sqlstates`.
    static QString defaultVerbosityText(const QString &verbose, QStringList *sqlstates = nullptr);

    // The errorCode for a libpq error message by its text only (libpq 15's messages in the
    // current language's catalogue and in English, the server's in English; the first cause wins
    // when libpq reports several attempts): "password-needed",
    // "password-failed", "host-mismatch", "root-cert-missing", "root-cert-unreadable",
    // "cert-verify-failed", "ssl-not-supported", "no-pg-hba-entry-no-encryption",
    // "no-pg-hba-entry", "pg-hba-reject", "role-missing", "database-missing",
    // "server-not-ready", "too-many-connections" (classifyFailure() only),
    // "connection-refused", "dns-failure", "not-postgres", "tls-handshake-failed",
    // "channel-binding-unavailable", "timeout"
    // (libpq's own connect_timeout), else "connection-failed". The session itself also sets
    // "timeout" (its deadline), "cancelled" and "server-flood".
    static QString classifyError(const QString &libpqMessage);

signals:
    void stepFinished(const QString &step); // "resolve", "connected", "server-view"
    void finished();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace pgtls
