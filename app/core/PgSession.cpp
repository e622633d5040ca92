// SPDX-License-Identifier: MIT
#include "PgSession.h"

#include "ClientFiles.h"
#include "Problem.h"
#include "RootCert.h"
#include "SafeText.h"
#include "SecretMemory.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QHostInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>

#include <libpq-fe.h>

#include <libintl.h>
#include <sys/ioctl.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace pgtls {

namespace {

// Never a file: stat() fails with ENOTDIR, so libpq silently finds no password in it. (libpq 15
// prints "WARNING: password file "/dev/null" is not a plain file" on stderr for /dev/null itself.)
constexpr const char *kNoPassfile = "/dev/null/pgtls-no-passfile";

// How many resolved addresses are handed to libpq (it tries them in order, as it would its own
// getaddrinfo() results).
constexpr int kMaxAddresses = 8;

// One row: the server's own view of this connection.
constexpr const char *kServerViewQuery
    = "SELECT current_setting('ssl'), current_setting('server_version'),"
      " current_setting('rds.force_ssl', true), pg_backend_pid(),"
      " s.ssl, s.version, s.cipher, s.bits,"
      " host(inet_server_addr()), inet_server_port(),"
      " (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
      "  WHERE e.extname = 'sslinfo')"
      " FROM (SELECT 1) AS one LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid()";

// libpq's and the server's messages, trimmed and bounded (a server may send 30,000 bytes).
QString trimmedMessage(const char *message)
{
    return SafeText::bounded(QString::fromUtf8(message ? message : "").trimmed());
}

// A value inside a conninfo string, quoted as libpq's conninfo_parse() reads it.
QString quoteConninfoValue(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    quoted.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// Without a hook of the application's, OpenSSL asks for an encrypted client key's passphrase on
// the terminal, blocking our event loop (and a GUI with no terminal for ever). libpq's default
// hook gives OpenSSL the sslpassword parameter when one is set (a service file may hold it) and
// an empty passphrase otherwise, so the key fails to load with libpq's own message instead.
int keyPassphraseHook(char *buffer, int size, PGconn *conn)
{
    return PQdefaultSSLKeyPassHook_OpenSSL(buffer, size, conn);
}

// libpq's gettext text domain as libpq_binddomain() names it: PG_TEXTDOMAIN("libpq5"), i.e.
// "libpq5-15" for libpq 15 (Debian ships /usr/share/locale/*/LC_MESSAGES/libpq5-15.mo).
const QByteArray &libpqTextDomain()
{
    static const QByteArray domain = "libpq5-" + QByteArray::number(PQlibVersion() / 10000);
    return domain;
}

// The server's text domain (for the last resort only: the server speaks its own lc_messages).
const QByteArray &serverTextDomain()
{
    static const QByteArray domain = "postgres-" + QByteArray::number(PQlibVersion() / 10000);
    return domain;
}

// A printf-style message as a pattern: its literal parts in order, the conversions as any text
// on one line; the trailing newline dropped (messages are trimmed and joined).
QRegularExpression formatPattern(const QString &format)
{
    QString f = format;
    while (f.endsWith(QLatin1Char('\n')))
        f.chop(1);
    static const QRegularExpression conversion(QStringLiteral("%[-+ #0-9.]*(?:l|ll|z)?[sducmx]"));
    QString pattern;
    qsizetype at = 0;
    auto it = conversion.globalMatch(f);
    while (it.hasNext()) {
        const auto m = it.next();
        pattern += QRegularExpression::escape(f.mid(at, m.capturedStart() - at));
        pattern += QStringLiteral("[^\\n]*?");
        at = m.capturedEnd();
    }
    pattern += QRegularExpression::escape(f.mid(at));
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

// Whether `message` holds the message `msgid` of `domain`, in English or in the current language.
bool holdsMessage(const QString &message, const QByteArray &domain, const char *msgid,
    const char *plural = nullptr)
{
    QStringList forms { QString::fromUtf8(msgid) };
    if (plural) {
        forms << QString::fromUtf8(dngettext(domain.constData(), msgid, plural, 1))
              << QString::fromUtf8(dngettext(domain.constData(), msgid, plural, 2))
              << QString::fromUtf8(plural);
    } else {
        forms << QString::fromUtf8(dgettext(domain.constData(), msgid));
    }
    forms.removeDuplicates();
    for (const QString &form : std::as_const(forms)) {
        if (formatPattern(form).match(message).hasMatch())
            return true;
    }
    return false;
}

bool libpqSaid(const QString &message, const char *msgid, const char *plural = nullptr)
{
    return holdsMessage(message, libpqTextDomain(), msgid, plural);
}

bool serverSaid(const QString &message, const char *msgid)
{
    return holdsMessage(message, serverTextDomain(), msgid);
}

// The C library's text for an errno as libpq prints it (strerror_r in the current language).
bool saysErrno(const QString &message, int error)
{
    const QString english = error == ECONNREFUSED ? QStringLiteral("Connection refused") : QString();
    const QString local = QString::fromLocal8Bit(std::strerror(error));
    return (!local.isEmpty() && message.contains(local))
        || (!english.isEmpty() && message.contains(english, Qt::CaseInsensitive));
}

// The step libpq is in, by its connection status (fe-connect.c, PQconnectPoll()).
QString stepOf(ConnStatusType status, bool sslInUse)
{
    switch (status) {
    case CONNECTION_NEEDED:
    case CONNECTION_STARTED:
        return QStringLiteral("tcp-connect");
    case CONNECTION_MADE:
    case CONNECTION_GSS_STARTUP:
        return QStringLiteral("ssl-request");
    case CONNECTION_SSL_STARTUP:
        // libpq sets ssl_in_use when it starts the handshake (after the server's 'S').
        return sslInUse ? QStringLiteral("tls-handshake") : QStringLiteral("ssl-request");
    case CONNECTION_AWAITING_RESPONSE:
        return QStringLiteral("authentication");
    case CONNECTION_AUTH_OK:
    case CONNECTION_SETENV:
    case CONNECTION_CHECK_WRITABLE:
    case CONNECTION_CONSUME:
    case CONNECTION_CHECK_TARGET:
    case CONNECTION_CHECK_STANDBY:
    case CONNECTION_OK:
        return QStringLiteral("startup");
    case CONNECTION_BAD:
        break;
    }
    return QString();
}

// The steps in the order libpq goes through them.
int stepRank(const QString &step)
{
    static const QStringList order { QStringLiteral("options"), QStringLiteral("resolve"),
        QStringLiteral("tcp-connect"), QStringLiteral("ssl-request"),
        QStringLiteral("tls-handshake"), QStringLiteral("authentication"),
        QStringLiteral("startup"), QStringLiteral("server-view") };
    return int(order.indexOf(step));
}

QString laterStep(const QString &a, const QString &b)
{
    return stepRank(b) > stepRank(a) ? b : a;
}

// The step a failure of this kind cannot happen before.
QString impliedStep(const QString &code)
{
    if (code == problemCodeName(ProblemCode::SslNotSupported))
        return QStringLiteral("ssl-request");
    if (code == problemCodeName(ProblemCode::CertVerifyFailed)
        || code == problemCodeName(ProblemCode::HostMismatch)
        || code == problemCodeName(ProblemCode::TlsHandshakeFailed)
        || code == problemCodeName(ProblemCode::RootCertMissing)
        || code == problemCodeName(ProblemCode::RootCertUnreadable))
        return QStringLiteral("tls-handshake");
    if (code == problemCodeName(ProblemCode::PasswordFailed)
        || code == problemCodeName(ProblemCode::PasswordNeeded)
        || code.startsWith(problemCodeName(ProblemCode::NoPgHbaEntry))
        || code == problemCodeName(ProblemCode::PgHbaReject)
        || code == problemCodeName(ProblemCode::ChannelBindingUnavailable)
        || code == problemCodeName(ProblemCode::ServerNotReady)
        || code == problemCodeName(ProblemCode::TooManyConnections))
        return QStringLiteral("authentication");
    if (code == problemCodeName(ProblemCode::DatabaseMissing)
        || code == problemCodeName(ProblemCode::RoleMissing))
        return QStringLiteral("startup");
    return QString();
}

bool authenticatedIn(ConnStatusType status)
{
    switch (status) {
    case CONNECTION_AUTH_OK:
    case CONNECTION_SETENV:
    case CONNECTION_CHECK_WRITABLE:
    case CONNECTION_CONSUME:
    case CONNECTION_CHECK_TARGET:
    case CONNECTION_CHECK_STANDBY:
    case CONNECTION_OK:
        return true;
    default:
        return false;
    }
}

} // namespace

class PgSession::Private
{
public:
    enum class Phase { Idle, Resolving, Connecting, Querying, Finishing };
    enum class Query { ServerView, Sslinfo };

    explicit Private(PgSession *owner)
        : q(owner)
    {
        deadline.setSingleShot(true);
        // A coarse timer may fire up to 5% early; the timeout is a promise to the user.
        deadline.setTimerType(Qt::PreciseTimer);
        QObject::connect(&deadline, &QTimer::timeout, q, [this] { onDeadline(); });
    }

    ~Private() { release(); }

    void start();
    void onResolved(const QHostInfo &info);
    void startConnecting(const QStringList &addresses);
    void connectPoll();
    // What libpq appended to its message during the last poll is one attempt's failure, made in
    // the step (and TLS state) libpq was in before that poll.
    void collectFailure(const QString &step, bool tls, bool authenticated);
    QString finalErrorMessage();
    void handlePollResult(PostgresPollingStatusType status);
    void onConnected();
    void sendQuery(Query query, const QByteArray &sql);
    void flush();
    void onQueryReadable();
    bool handleQueryResult(PGresult *res);
    void onDeadline();
    void fail(const QString &code, const QString &message);
    void finish();
    void release();
    void watch(QSocketNotifier::Type type);
    QString phaseDescription() const;
    QString phaseStep() const;
    // Counts what the server has sent since the last call (FIONREAD before libpq reads: an upper
    // estimate, as unread bytes may be counted again); false, and the attempt failed, beyond
    // kMaxBytes.
    [[nodiscard]] bool withinBudget();
    void observeTls();
    static void noticeReceiver(void *arg, const PGresult *res);

    PgSession *q;
    Phase phase = Phase::Idle;
    Endpoint endpoint;
    QString password;
    Options options;
    SessionResult result;

    PGconn *conn = nullptr;
    QElapsedTimer clock;
    QTimer deadline;
    int lookupId = -1;
    quint64 generation = 0;

    // Connecting: one notifier for the direction libpq asked, on the socket it gave.
    QSocketNotifier *pollNotifier = nullptr;
    int pollSocket = -1;
    QSocketNotifier::Type pollType = QSocketNotifier::Read;

    // Querying: always readable, writable only while PQflush() has data left.
    QSocketNotifier *readNotifier = nullptr;
    QSocketNotifier *writeNotifier = nullptr;
    Query currentQuery = Query::ServerView;
    int rowsOfQuery = 0;
    QString sslinfoSchema;

    // Connecting: where libpq is, as seen after the last poll, and what it has reported so far.
    QString currentStep;
    qsizetype errorConsumed = 0;
    QList<AttemptFailure> failures;
};

void PgSession::Private::start()
{
    ++generation;
    phase = Phase::Resolving;
    clock.start();
    if (options.timeoutMs > 0)
        deadline.start(options.timeoutMs);

    const QString home = options.homeDirectory.isEmpty() ? RootCert::libpqHomeDirectory()
                                                         : options.homeDirectory;
    const QList<ClientFileIssue> unsafeFiles = ClientFiles::check(endpoint, endpoint.sslmode, home);
    if (!unsafeFiles.isEmpty()) {
        QStringList messages;
        for (const ClientFileIssue &issue : unsafeFiles)
            messages << issue.message;
        result.connectMs = 0;
        result.step = QStringLiteral("options");
        // finished() still comes from the event loop (fail() queues it).
        fail(problemCodeName(ProblemCode::ClientFileUnsafe), messages.join(QLatin1Char(' ')));
        return;
    }

    // libpq must not resolve names itself (getaddrinfo() blocks): resolve with QHostInfo unless
    // hostaddr is given, the host is an IP literal, a Unix socket directory, or empty (libpq's
    // default socket).
    const QString host = endpoint.host;
    const bool needsLookup = endpoint.hostaddr.isEmpty() && !host.isEmpty()
        && !endpoint.isUnixSocket() && QHostAddress(host).isNull();
    if (!needsLookup) {
        // Through the event loop: start() reports nothing synchronously, not even a failure.
        QMetaObject::invokeMethod(
            q,
            [this, gen = generation] {
                if (gen == generation && phase == Phase::Resolving)
                    startConnecting({});
            },
            Qt::QueuedConnection);
        return;
    }
    lookupId = QHostInfo::lookupHost(host, q, [this, gen = generation](const QHostInfo &info) {
        if (gen != generation || phase != Phase::Resolving)
            return;
        lookupId = -1;
        onResolved(info);
    });
}

void PgSession::Private::onResolved(const QHostInfo &info)
{
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        // Worded like libpq's own message, so it reads the same as psql's.
        const QString reason
            = info.error() == QHostInfo::NoError ? PgSession::tr("no address") : info.errorString();
        result.connectMs = clock.elapsed();
        result.step = QStringLiteral("resolve");
        fail(problemCodeName(ProblemCode::DnsFailure),
            PgSession::tr("could not translate host name \"%1\" to address: %2")
                .arg(endpoint.host, reason));
        return;
    }
    // QHostInfo returns getaddrinfo()'s order, which is the order libpq would try. All of them are
    // passed (as many host entries with the same name), so libpq falls back to the next address
    // exactly as it does with its own lookup (e.g. localhost = ::1 then 127.0.0.1).
    QStringList addresses;
    const auto all = info.addresses();
    for (const QHostAddress &address : all) {
        // toString() keeps an IPv6 scope ("fe80::1%eth0"), which libpq's numeric parsing accepts.
        const QString text = address.toString();
        if (!addresses.contains(text))
            addresses.append(text);
        if (addresses.size() == kMaxAddresses)
            break;
    }
    emit q->stepFinished(QStringLiteral("resolve"));
    if (phase == Phase::Resolving) // a slot connected to stepFinished may have cancelled
        startConnecting(addresses);
}

void PgSession::Private::startConnecting(const QStringList &addresses)
{
    phase = Phase::Connecting;

    std::vector<QByteArray> keys;
    std::vector<QByteArray> values;
    auto add = [&](const char *key, const QString &value) {
        keys.emplace_back(key);
        values.push_back(value.toUtf8());
    };
    const auto keywords = endpoint.toKeywords();
    for (const auto &[key, value] : keywords) {
        // Our QTimer owns the deadline; libpq's connect_timeout only works in its blocking mode.
        if (key == QLatin1String("connect_timeout") || key == QLatin1String("hostaddr"))
            continue;
        if (options.withholdPassword
            && (key == QLatin1String("passfile") || key == QLatin1String("dbname")))
            continue;
        if (key == QLatin1String("host") && addresses.size() > 1) {
            add("host",
                QStringList(QList<QString>(addresses.size(), value)).join(QLatin1Char(',')));
            continue;
        }
        keys.push_back(key.toUtf8());
        values.push_back(value.toUtf8());
    }
    if (!addresses.isEmpty())
        add("hostaddr", addresses.join(QLatin1Char(',')));
    else if (!endpoint.hostaddr.isEmpty())
        add("hostaddr", endpoint.hostaddr);

    int expandDbname = 0;
    if (options.withholdPassword) {
        // libpq 15 ignores empty values in the keyword arrays (conninfo_array_parse), and
        // conninfo_add_defaults() then fills a still-NULL password from PGPASSWORD. An empty
        // password set inside a connection string is kept, though, and blocks PGPASSWORD: so the
        // dbname is passed as "dbname='...' password=''" with expand_dbname=1 (this is the only
        // keyword expanded). An empty password makes connectOptions2() read the passfile, which
        // therefore points at nothing.
        QString dbnameConninfo = QStringLiteral("password=''");
        if (!endpoint.dbname.isEmpty())
            dbnameConninfo.prepend(
                QStringLiteral("dbname=%1 ").arg(quoteConninfoValue(endpoint.dbname)));
        add("dbname", dbnameConninfo);
        keys.emplace_back("passfile");
        values.emplace_back(kNoPassfile);
        expandDbname = 1;
    } else if (!password.isEmpty()) {
        add("password", password);
    }
    if (options.requireChannelBinding && !endpoint.extraOptions.contains(QStringLiteral("channel_binding"))) {
        add("channel_binding", QStringLiteral("require"));
        result.channelBindingRequired = true;
    }
    add("fallback_application_name", QStringLiteral("pgtls-inspector"));

    std::vector<const char *> keyPtrs;
    std::vector<const char *> valuePtrs;
    for (size_t i = 0; i < keys.size(); ++i) {
        keyPtrs.push_back(keys[i].constData());
        valuePtrs.push_back(values[i].constData());
    }
    keyPtrs.push_back(nullptr);
    valuePtrs.push_back(nullptr);

    conn = PQconnectStartParams(keyPtrs.data(), valuePtrs.data(), expandDbname);

    // libpq holds its own copy now; ours goes.
    for (auto &value : values)
        wipe(value);
    wipe(password);

    if (!conn) {
        result.connectMs = clock.elapsed();
        fail(problemCodeName(ProblemCode::ConnectionFailed),
            PgSession::tr("out of memory: libpq could not allocate a connection"));
        return;
    }
    // Notices are data: without a receiver libpq's default one writes them raw to stderr (a
    // hostile server's escape sequences would repaint the terminal).
    PQsetNoticeReceiver(conn, &Private::noticeReceiver, this);
    // The server's errors then carry their SQLSTATE in the message ("FATAL:  28P01: ..."): libpq
    // 15 has no accessor for a failed connection's error fields. The text shown is rebuilt as
    // libpq's default verbosity gives it (defaultVerbosityText()); after connecting, the default
    // is restored for the queries.
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    if (PQstatus(conn) == CONNECTION_BAD) {
        result.connectMs = clock.elapsed();
        result.step = QStringLiteral("options");
        const QString message = finalErrorMessage();
        fail(PgSession::classifyError(message), message);
        return;
    }
    currentStep = stepOf(PQstatus(conn), false);
    // libpq's documentation: "If you have yet to call PQconnectPoll, i.e., just after the call to
    // PQconnectStart, behave as if it last returned PGRES_POLLING_WRITING." The non-blocking
    // connect() is under way; polling before the socket is writable would send on it too early.
    handlePollResult(PGRES_POLLING_WRITING);
}

void PgSession::Private::watch(QSocketNotifier::Type type)
{
    const int socket = PQsocket(conn);
    if (socket < 0) {
        // libpq asked to wait but has no socket: poll again on the next turn of the loop.
        QMetaObject::invokeMethod(
            q,
            [this, gen = generation] {
                if (gen == generation && phase == Phase::Connecting)
                    connectPoll();
            },
            Qt::QueuedConnection);
        return;
    }
    // The socket changes between polls when libpq moves to the next address or retries with or
    // without SSL (sslmode prefer/allow); the descriptor number may even be reused, so a notifier
    // is kept only for the very same socket and direction.
    if (pollNotifier && pollSocket == socket && pollType == type) {
        pollNotifier->setEnabled(true);
        return;
    }
    delete pollNotifier;
    pollSocket = socket;
    pollType = type;
    pollNotifier = new QSocketNotifier(socket, type, q);
    QObject::connect(pollNotifier, &QSocketNotifier::activated, q, [this] {
        pollNotifier->setEnabled(false);
        connectPoll();
    });
}

void PgSession::Private::connectPoll()
{
    if (!withinBudget())
        return;
    const ConnStatusType before = PQstatus(conn);
    const bool tls = PQsslInUse(conn);
    const PostgresPollingStatusType status = PQconnectPoll(conn);
    const qsizetype known = failures.size();
    collectFailure(stepOf(before, tls), tls, authenticatedIn(before));
    const ConnStatusType after = PQstatus(conn);
    if (after != CONNECTION_BAD)
        currentStep = stepOf(after, PQsslInUse(conn));
    else if (failures.size() > known)
        currentStep = failures.last().step;
    else if (!stepOf(before, tls).isEmpty())
        currentStep = stepOf(before, tls);
    handlePollResult(status);
}

void PgSession::Private::collectFailure(const QString &step, bool tls, bool authenticated)
{
    const QString all = QString::fromUtf8(PQerrorMessage(conn));
    if (all.size() < errorConsumed)
        errorConsumed = 0;
    if (all.size() == errorConsumed)
        return;
    const QString verbose = all.mid(errorConsumed);
    errorConsumed = all.size();
    if (failures.size() >= 16) // libpq makes at most a few attempts per address
        return;
    AttemptFailure f;
    QStringList states;
    f.message = SafeText::bounded(PgSession::defaultVerbosityText(verbose, &states).trimmed());
    f.sqlstate = states.value(0);
    f.step = step;
    f.tls = tls;
    f.authenticated = authenticated;
    // One poll may take libpq through several steps (a busy machine lets the server answer
    // before libpq reads): the failure itself says how far it got at least.
    f.step = laterStep(step, impliedStep(PgSession::classifyFailure({ f })));
    failures.append(f);
    result.sqlstates << states;
}

QString PgSession::Private::finalErrorMessage()
{
    const QString verbose = QString::fromUtf8(PQerrorMessage(conn));
    return SafeText::bounded(PgSession::defaultVerbosityText(verbose).trimmed());
}

bool PgSession::Private::withinBudget()
{
    const int socket = PQsocket(conn);
    int available = 0;
    if (socket >= 0 && ::ioctl(socket, FIONREAD, &available) == 0 && available > 0)
        result.bytesReceived += available;
    if (result.bytesReceived <= PgSession::kMaxBytes)
        return true;
    const QString message
        = PgSession::tr("the server sent more than %1 MiB %2; a PostgreSQL server sends a few KiB "
                        "here, so the attempt was stopped")
              .arg(PgSession::kMaxBytes / (1024 * 1024))
              .arg(phaseDescription());
    if (phase == Phase::Querying) {
        // libpq connected; only the server's view is cut short.
        result.queryError = message;
        finish();
        return false;
    }
    if (result.connectMs < 0)
        result.connectMs = clock.elapsed();
    result.step = currentStep;
    fail(problemCodeName(ProblemCode::ServerFlood), message);
    return false;
}

void PgSession::Private::observeTls()
{
    // libpq moves to a new socket (and drops TLS) when it retries: what is seen last belongs to
    // the final attempt. After a failure PQsslInUse() is false again, so it is read while polling.
    result.sslInUseObserved = PQsslInUse(conn);
    if (result.sslInUseObserved && result.protocol.isEmpty()) {
        result.protocol = SafeText::bounded(QString::fromUtf8(PQsslAttribute(conn, "protocol")), 64);
        result.cipher = SafeText::bounded(QString::fromUtf8(PQsslAttribute(conn, "cipher")), 128);
    } else if (!result.sslInUseObserved) {
        result.protocol.clear();
        result.cipher.clear();
    }
}

void PgSession::Private::noticeReceiver(void *arg, const PGresult *res)
{
    auto *self = static_cast<Private *>(arg);
    if (!self || !res)
        return;
    SessionResult &r = self->result;
    if (r.notices.size() >= PgSession::kMaxNotices) {
        ++r.noticesDropped;
        return;
    }
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    ServerNotice n;
    n.severity = SafeText::bounded(QString::fromUtf8(severity ? severity : ""), 32);
    n.message = trimmedMessage(primary ? primary : PQresultErrorMessage(res));
    r.notices.append(n);
}

void PgSession::Private::handlePollResult(PostgresPollingStatusType status)
{
    switch (status) {
    case PGRES_POLLING_READING:
        observeTls();
        watch(QSocketNotifier::Read);
        return;
    case PGRES_POLLING_WRITING:
        observeTls();
        watch(QSocketNotifier::Write);
        return;
    case PGRES_POLLING_OK:
        onConnected();
        return;
    case PGRES_POLLING_FAILED:
    case PGRES_POLLING_ACTIVE: // unused by libpq since 7.x
        break;
    }
    result.connectMs = clock.elapsed();
    result.needsPassword = PQconnectionNeedsPassword(conn);
    // password_needed: the server asked for a password, so a pg_hba.conf line matched.
    result.reachedAuthentication = PQconnectionUsedPassword(conn);
    result.passwordSent = PQconnectionUsedPassword(conn) && !result.needsPassword;
    result.step = currentStep;
    const QString message = finalErrorMessage();
    const QString code = result.needsPassword ? problemCodeName(ProblemCode::PasswordNeeded)
        : failures.isEmpty()                  ? PgSession::classifyError(message)
                                              : PgSession::classifyFailure(failures);
    // libpq refused the server's authentication request for want of channel binding: the server
    // did ask, so pg_hba.conf let the attempt that far.
    if (code == problemCodeName(ProblemCode::ChannelBindingUnavailable))
        result.reachedAuthentication = true;
    fail(code, message);
}

void PgSession::Private::onConnected()
{
    delete pollNotifier;
    pollNotifier = nullptr;
    pollSocket = -1;

    result.connectMs = clock.elapsed();
    result.connected = true;
    result.reachedAuthentication = true;
    // The queries' errors read as libpq's default verbosity gives them.
    PQsetErrorVerbosity(conn, PQERRORS_DEFAULT);
    result.passwordSent = PQconnectionUsedPassword(conn);
    result.sslInUse = PQsslInUse(conn);
    result.sslInUseObserved = result.sslInUse;
    if (result.sslInUse) {
        auto attribute = [this](const char *name) {
            return SafeText::bounded(QString::fromUtf8(PQsslAttribute(conn, name)), 128);
        };
        result.protocol = attribute("protocol");
        result.cipher = attribute("cipher");
        result.keyBits = attribute("key_bits").toInt();
        result.compression = attribute("compression");
    }
    emit q->stepFinished(QStringLiteral("connected"));
    if (phase != Phase::Connecting) // cancelled from a slot
        return;

    if (!options.queryServerView) {
        finish();
        return;
    }
    phase = Phase::Querying;
    if (PQsetnonblocking(conn, 1) != 0) {
        result.queryError = trimmedMessage(PQerrorMessage(conn));
        finish();
        return;
    }
    readNotifier = new QSocketNotifier(PQsocket(conn), QSocketNotifier::Read, q);
    QObject::connect(readNotifier, &QSocketNotifier::activated, q, [this] { onQueryReadable(); });
    writeNotifier = new QSocketNotifier(PQsocket(conn), QSocketNotifier::Write, q);
    writeNotifier->setEnabled(false);
    QObject::connect(writeNotifier, &QSocketNotifier::activated, q, [this] { flush(); });
    sendQuery(Query::ServerView, QByteArray(kServerViewQuery));
}

void PgSession::Private::sendQuery(Query query, const QByteArray &sql)
{
    currentQuery = query;
    rowsOfQuery = 0;
    if (!PQsendQueryParams(conn, sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0)) {
        result.queryError = trimmedMessage(PQerrorMessage(conn));
        finish();
        return;
    }
    // Row by row: each query returns one row, and a server that sends more is stopped at the
    // second instead of being collected (libpq would otherwise keep the whole result).
    PQsetSingleRowMode(conn);
    flush();
}

void PgSession::Private::flush()
{
    const int rc = PQflush(conn);
    if (rc < 0) {
        result.queryError = trimmedMessage(PQerrorMessage(conn));
        finish();
        return;
    }
    writeNotifier->setEnabled(rc == 1);
}

void PgSession::Private::onQueryReadable()
{
    if (!withinBudget())
        return;
    if (!PQconsumeInput(conn)) {
        result.queryError = trimmedMessage(PQerrorMessage(conn));
        finish();
        return;
    }
    // Reading may have made room for libpq to send the rest of a query.
    if (writeNotifier->isEnabled()) {
        flush();
        if (phase != Phase::Querying)
            return;
    }
    while (!PQisBusy(conn)) {
        PGresult *res = PQgetResult(conn);
        if (!res) {
            // This query is complete.
            if (currentQuery == Query::ServerView && !sslinfoSchema.isEmpty()
                && result.queryError.isEmpty()) {
                const QByteArray schema = sslinfoSchema.toUtf8();
                char *quoted = PQescapeIdentifier(conn, schema.constData(), size_t(schema.size()));
                if (!quoted) {
                    result.queryError = trimmedMessage(PQerrorMessage(conn));
                    finish();
                    return;
                }
                const QByteArray sql = QByteArray("SELECT ") + quoted + ".ssl_is_used()";
                PQfreemem(quoted);
                sendQuery(Query::Sslinfo, sql);
                return;
            }
            emit q->stepFinished(QStringLiteral("server-view"));
            if (phase == Phase::Querying)
                finish();
            return;
        }
        const bool ok = handleQueryResult(res);
        PQclear(res);
        if (!ok) {
            // A failing query is not a failed connection: recorded, and the session ends here.
            finish();
            return;
        }
    }
}

bool PgSession::Private::handleQueryResult(PGresult *res)
{
    const ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_TUPLES_OK) // the end of the rows in single-row mode
        return true;
    if (status != PGRES_SINGLE_TUPLE) {
        result.queryError = trimmedMessage(PQresultErrorMessage(res));
        return false;
    }
    if (++rowsOfQuery > 1) {
        result.queryError = PgSession::tr(
            "the server sent more than the one row this query returns; the session was stopped");
        return false;
    }
    if (PQntuples(res) < 1)
        return true;
    auto text = [res](int column) -> std::optional<QString> {
        if (column >= PQnfields(res) || PQgetisnull(res, 0, column))
            return std::nullopt;
        // Server values are short (versions, settings, names); a hostile one is cut.
        return SafeText::bounded(QString::fromUtf8(PQgetvalue(res, 0, column)), 256);
    };
    auto boolean = [&text](int column) -> std::optional<bool> {
        const auto value = text(column);
        if (!value)
            return std::nullopt;
        return *value == QLatin1String("t");
    };

    if (currentQuery == Query::ServerView) {
        result.showSsl = text(0).value_or(QString());
        result.serverVersion = text(1).value_or(QString());
        result.rdsForceSsl = text(2);
        result.backendPid = text(3).value_or(QString()).toInt();
        result.pgStatSsl = boolean(4);
        result.pgStatSslVersion = text(5).value_or(QString());
        result.pgStatSslCipher = text(6).value_or(QString());
        result.pgStatSslBits = text(7).value_or(QString()).toInt();
        const auto address = text(8);
        const auto port = text(9);
        if (address) {
            const bool v6 = address->contains(QLatin1Char(':'));
            result.serverAddress = (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2"))
                                       .arg(*address, port.value_or(QString()));
        }
        sslinfoSchema = text(10).value_or(QString());
        result.sslinfoInstalled = !sslinfoSchema.isEmpty();
        if (result.pgStatSsl) {
            result.sslIsUsed = result.pgStatSsl;
            result.sslIsUsedSource = QStringLiteral("pg_stat_ssl");
        }
    } else {
        if (const auto used = boolean(0)) {
            result.sslIsUsed = used;
            result.sslIsUsedSource = QStringLiteral("sslinfo");
        }
    }
    return true;
}

QString PgSession::Private::phaseDescription() const
{
    switch (phase) {
    case Phase::Resolving:
        return PgSession::tr("while resolving the host name");
    case Phase::Connecting:
        return PgSession::tr("while connecting");
    case Phase::Querying:
        return PgSession::tr("during the server-view queries");
    case Phase::Idle:
    case Phase::Finishing:
        break;
    }
    return QString();
}

QString PgSession::Private::phaseStep() const
{
    switch (phase) {
    case Phase::Resolving:
        return QStringLiteral("resolve");
    case Phase::Connecting:
        return currentStep.isEmpty() ? QStringLiteral("tcp-connect") : currentStep;
    case Phase::Querying:
        return QStringLiteral("server-view");
    case Phase::Idle:
    case Phase::Finishing:
        break;
    }
    return QString();
}

void PgSession::Private::onDeadline()
{
    if (phase == Phase::Idle || phase == Phase::Finishing)
        return;
    if (result.connectMs < 0)
        result.connectMs = clock.elapsed();
    result.step = phaseStep();
    fail(problemCodeName(ProblemCode::Timeout),
        PgSession::tr("timed out after %1 ms %2").arg(options.timeoutMs).arg(phaseDescription()));
}

void PgSession::Private::fail(const QString &code, const QString &message)
{
    result.errorCode = code;
    result.error = message;
    finish();
}

void PgSession::Private::release()
{
    if (lookupId >= 0) {
        QHostInfo::abortHostLookup(lookupId);
        lookupId = -1;
    }
    delete pollNotifier;
    pollNotifier = nullptr;
    pollSocket = -1;
    delete readNotifier;
    readNotifier = nullptr;
    delete writeNotifier;
    writeNotifier = nullptr;
    deadline.stop();
    if (conn) {
        // Closes the socket without waiting for anything; this is also how an attempt is
        // cancelled (PQcancel would open a second, blocking connection).
        PQfinish(conn);
        conn = nullptr;
    }
    wipe(password);
}

void PgSession::Private::finish()
{
    if (phase == Phase::Idle || phase == Phase::Finishing)
        return;
    phase = Phase::Finishing;
    if (result.connected && result.step.isEmpty() && !result.queryError.isEmpty())
        result.step = QStringLiteral("server-view");
    release();
    result.totalMs = clock.elapsed();
    // Queued: finish() may run inside start() or inside a slot of ours; finished() always comes
    // from the event loop, once.
    QMetaObject::invokeMethod(
        q,
        [this, gen = generation] {
            if (gen != generation || phase != Phase::Finishing)
                return;
            phase = Phase::Idle;
            emit q->finished();
        },
        Qt::QueuedConnection);
}

PgSession::PgSession(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    static const bool hookInstalled = [] {
        PQsetSSLKeyPassHook_OpenSSL(&keyPassphraseHook);
        return true;
    }();
    Q_UNUSED(hookInstalled);
}

PgSession::~PgSession() = default;

void PgSession::start(const Endpoint &endpoint, const QString &password, const Options &options)
{
    if (isRunning()) {
        qWarning("pgtls::PgSession::start: an attempt is already running; ignored");
        return;
    }
    d->endpoint = endpoint;
    d->password = password;
    d->options = options;
    d->sslinfoSchema.clear();
    d->currentStep.clear();
    d->errorConsumed = 0;
    d->failures.clear();
    d->result = SessionResult();
    d->result.attempted = true;
    d->result.sslmode = endpoint.sslmode;
    d->start();
}

void PgSession::cancel()
{
    if (d->phase == Private::Phase::Idle || d->phase == Private::Phase::Finishing)
        return;
    if (d->result.connectMs < 0)
        d->result.connectMs = d->clock.elapsed();
    d->result.step = d->phaseStep();
    d->fail(problemCodeName(ProblemCode::Cancelled), tr("cancelled %1").arg(d->phaseDescription()));
}

bool PgSession::isRunning() const
{
    return d->phase != Private::Phase::Idle;
}

const SessionResult &PgSession::result() const
{
    return d->result;
}

namespace {

// The codes classifyError() and classifyFailure() give, most specific first: when libpq reports
// several attempts, the first cause in this order is the one to fix (e.g. a verification failure
// followed by the plaintext retry's "no pg_hba.conf entry").
const QStringList &causeOrder()
{
    static const QStringList order {
        problemCodeName(ProblemCode::Timeout),
        problemCodeName(ProblemCode::PasswordNeeded),
        problemCodeName(ProblemCode::PasswordFailed),
        problemCodeName(ProblemCode::HostMismatch),
        problemCodeName(ProblemCode::RootCertMissing),
        problemCodeName(ProblemCode::RootCertUnreadable),
        problemCodeName(ProblemCode::CertVerifyFailed),
        problemCodeName(ProblemCode::SslNotSupported),
        problemCodeName(ProblemCode::NoPgHbaEntryNoEncryption),
        problemCodeName(ProblemCode::NoPgHbaEntry),
        problemCodeName(ProblemCode::PgHbaReject),
        problemCodeName(ProblemCode::RoleMissing),
        problemCodeName(ProblemCode::DatabaseMissing),
        problemCodeName(ProblemCode::ServerNotReady),
        problemCodeName(ProblemCode::TooManyConnections),
        problemCodeName(ProblemCode::ConnectionRefused),
        problemCodeName(ProblemCode::DnsFailure),
        problemCodeName(ProblemCode::NotPostgres),
        problemCodeName(ProblemCode::ChannelBindingUnavailable),
        problemCodeName(ProblemCode::TlsHandshakeFailed),
        problemCodeName(ProblemCode::ConnectionFailed),
    };
    return order;
}

QString firstCause(const QStringList &codes)
{
    const QStringList &order = causeOrder();
    qsizetype best = order.size() - 1;
    for (const QString &code : codes) {
        const qsizetype at = order.indexOf(code);
        if (at >= 0 && at < best)
            best = at;
    }
    return order.at(best);
}

// One attempt's part of libpq's message, by libpq's own texts (in English and in the current
// language's catalogue) and the server's English ones.
QString classifyText(const QString &m)
{
    auto has = [&m](const char *needle) {
        return m.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    if (libpqSaid(m, "timeout expired\n"))
        return problemCodeName(ProblemCode::Timeout);
    if (has("no password supplied")) // PQnoPasswordSupplied: never translated
        return problemCodeName(ProblemCode::PasswordNeeded);
    if (has("password authentication failed for user"))
        return problemCodeName(ProblemCode::PasswordFailed);
    if (libpqSaid(m, "server certificate for \"%s\" does not match host name \"%s\"\n")
        || libpqSaid(m, "server certificate for \"%s\" (and %d other name) does not match host name \"%s\"\n",
            "server certificate for \"%s\" (and %d other names) does not match host name \"%s\"\n")
        || libpqSaid(m, "could not get server's host name from server certificate\n")
        || libpqSaid(m, "host name must be specified for a verified SSL connection\n"))
        return problemCodeName(ProblemCode::HostMismatch);
    if (libpqSaid(m, "root certificate file \"%s\" does not exist\nEither provide the file or "
                     "change sslmode to disable server certificate verification.\n")
        || (has("root certificate file") && has("does not exist")))
        return problemCodeName(ProblemCode::RootCertMissing);
    if (libpqSaid(m, "could not read root certificate file \"%s\": %s\n"))
        return problemCodeName(ProblemCode::RootCertUnreadable);
    // OpenSSL's reason strings are never translated.
    if (has("certificate verify failed"))
        return problemCodeName(ProblemCode::CertVerifyFailed);
    if (libpqSaid(m, "server does not support SSL, but SSL was required\n"))
        return problemCodeName(ProblemCode::SslNotSupported);
    if (has("no pg_hba.conf entry"))
        return has("no encryption") ? problemCodeName(ProblemCode::NoPgHbaEntryNoEncryption)
                                    : problemCodeName(ProblemCode::NoPgHbaEntry);
    if (has("pg_hba.conf rejects connection"))
        return problemCodeName(ProblemCode::PgHbaReject);
    if (m.contains(QLatin1String("role \"")) && has("\" does not exist"))
        return problemCodeName(ProblemCode::RoleMissing);
    if (m.contains(QLatin1String("database \"")) && has("\" does not exist"))
        return problemCodeName(ProblemCode::DatabaseMissing);
    if (saysErrno(m, ECONNREFUSED))
        return problemCodeName(ProblemCode::ConnectionRefused);
    if (libpqSaid(m, "could not translate host name \"%s\" to address: %s\n"))
        return problemCodeName(ProblemCode::DnsFailure);
    if (libpqSaid(m, "received invalid response to SSL negotiation: %c\n")
        || libpqSaid(m, "received invalid response to GSSAPI negotiation: %c\n")
        || libpqSaid(m, "expected authentication request from server, but received %c\n")
        || libpqSaid(m, "unexpected response from server; first received character was \"%c\"\n")
        || libpqSaid(m, "unexpected message from server during startup\n")
        || has("invalid message length") || has("invalid message format")
        || (libpqSaid(m, "server closed the connection unexpectedly\n\tThis probably means the "
                         "server terminated abnormally\n\tbefore or while processing the "
                         "request.\n")
            && !libpqSaid(m, "SSL error: %s\n") && !libpqSaid(m, "SSL SYSCALL error: %s\n")
            && !has("SSL")))
        return problemCodeName(ProblemCode::NotPostgres);
    if (libpqSaid(m, "channel binding required, but SSL not in use\n")
        || libpqSaid(m, "channel binding is required, but server did not offer an authentication "
                        "method that supports channel binding\n")
        || libpqSaid(m, "channel binding required, but server authenticated client without "
                        "channel binding\n")
        || libpqSaid(m, "channel binding required but not supported by server's authentication "
                        "request\n")
        || (has("channel binding") && has("required")))
        return problemCodeName(ProblemCode::ChannelBindingUnavailable);
    if (libpqSaid(m, "SSL error: %s\n") || libpqSaid(m, "SSL SYSCALL error: %s\n"))
        return problemCodeName(ProblemCode::TlsHandshakeFailed);
    return problemCodeName(ProblemCode::ConnectionFailed);
}

// One attempt by structure: the server's SQLSTATE, then libpq's text, then the step.
QString classifyAttempt(const PgSession::AttemptFailure &a)
{
    const QString &state = a.sqlstate;
    if (state == QLatin1String("28P01")) // invalid_password
        return problemCodeName(ProblemCode::PasswordFailed);
    if (state == QLatin1String("3D000")) // invalid_catalog_name
        return problemCodeName(ProblemCode::DatabaseMissing);
    if (state == QLatin1String("57P03")) // cannot_connect_now: starting up, shutting down, recovery
        return problemCodeName(ProblemCode::ServerNotReady);
    if (state == QLatin1String("53300")) // too_many_connections
        return problemCodeName(ProblemCode::TooManyConnections);
    if (state == QLatin1String("28000")) { // invalid_authorization_specification
        // After AuthenticationOk only the role itself can be refused (it does not exist, or may
        // not log in); before it, pg_hba.conf refused the attempt. The server's own text (in its
        // language, which may be ours) tells the rest, English as the fallback.
        if (a.authenticated || serverSaid(a.message, "role \"%s\" does not exist"))
            return problemCodeName(ProblemCode::RoleMissing);
        // 28000 is also an authentication method's failure other than a password's (ident,
        // peer, PAM, LDAP, RADIUS, cert): the text, where we know it, says which.
        const QString byText = classifyText(a.message);
        if (byText == problemCodeName(ProblemCode::PasswordFailed)
            || byText == problemCodeName(ProblemCode::RoleMissing)
            || byText == problemCodeName(ProblemCode::PgHbaReject)
            || byText == problemCodeName(ProblemCode::NoPgHbaEntry)
            || byText == problemCodeName(ProblemCode::NoPgHbaEntryNoEncryption))
            return byText;
        if (serverSaid(a.message, "pg_hba.conf rejects connection for host \"%s\", user \"%s\", "
                                  "database \"%s\", %s"))
            return problemCodeName(ProblemCode::PgHbaReject);
        return a.tls ? problemCodeName(ProblemCode::NoPgHbaEntry)
                     : problemCodeName(ProblemCode::NoPgHbaEntryNoEncryption);
    }
    const QString byText = classifyText(a.message);
    if (byText != problemCodeName(ProblemCode::ConnectionFailed))
        return byText;
    // libpq's text said nothing we know (another language without a catalogue, a new message):
    // what the step tells.
    if (a.step == QLatin1String("tls-handshake"))
        return problemCodeName(ProblemCode::TlsHandshakeFailed);
    return byText;
}

} // namespace

QString PgSession::classifyFailure(const QList<AttemptFailure> &attempts)
{
    QStringList codes;
    for (const AttemptFailure &a : attempts)
        codes << classifyAttempt(a);
    return firstCause(codes);
}

QString PgSession::defaultVerbosityText(const QString &verbose, QStringList *sqlstates)
{
    // pqBuildErrorMessage3() at PQERRORS_VERBOSE: "SEVERITY:  SQLSTATE: primary\n", then the
    // DETAIL/HINT/QUERY/CONTEXT lines (as at the default), then only at VERBOSE the SCHEMA NAME ...
    // CONSTRAINT NAME lines and "LOCATION:  function, file:line\n". A server error begins the
    // message, a line, or follows libpq's "connection to server ... failed: ".
    static const QRegularExpression serverError(
        QStringLiteral(R"((?:^|(?<=\n)|(?<=: ))([^\s:]{1,32}):  ([0-9A-Z]{5}): )"));
    QStringList verboseLabels;
    for (const char *label : { "LOCATION:  ", "SCHEMA NAME:  %s\n", "TABLE NAME:  %s\n",
             "COLUMN NAME:  %s\n", "DATATYPE NAME:  %s\n", "CONSTRAINT NAME:  %s\n" }) {
        QString english = QString::fromUtf8(label);
        QString local = QString::fromUtf8(dgettext(libpqTextDomain().constData(), label));
        for (QString *l : { &english, &local }) {
            if (l->endsWith(QLatin1String("%s\n")))
                l->chop(3);
        }
        verboseLabels << english;
        if (local != english)
            verboseLabels << local;
    }

    QList<QRegularExpressionMatch> starts;
    auto it = serverError.globalMatch(verbose);
    while (it.hasNext())
        starts << it.next();
    if (starts.isEmpty())
        return verbose;

    QString out;
    qsizetype at = 0;
    for (qsizetype i = 0; i < starts.size(); ++i) {
        const QRegularExpressionMatch &m = starts.at(i);
        if (sqlstates)
            *sqlstates << m.captured(2);
        out += verbose.mid(at, m.capturedStart() - at);
        out += m.captured(1) + QStringLiteral(":  ");
        const qsizetype bodyStart = m.capturedEnd();
        const qsizetype bodyEnd
            = i + 1 < starts.size() ? starts.at(i + 1).capturedStart() : verbose.size();
        QString body = verbose.mid(bodyStart, bodyEnd - bodyStart);
        // The VERBOSE-only lines are the block's last ones: drop them from the end, the
        // LOCATION line first (the last occurrence: a server's DETAIL may hold the same words).
        auto dropLastLine = [&body](const QString &label) {
            const qsizetype line = body.lastIndexOf(QLatin1Char('\n') + label);
            if (line < 0)
                return;
            const qsizetype end = body.indexOf(QLatin1Char('\n'), line + 1);
            body.remove(line + 1, end < 0 ? body.size() - line - 1 : end - line);
        };
        for (const QString &label : std::as_const(verboseLabels))
            dropLastLine(label);
        out += body;
        at = bodyEnd;
    }
    out += verbose.mid(at);
    return out;
}

QString PgSession::classifyError(const QString &libpqMessage)
{
    return classifyText(libpqMessage);
}

} // namespace pgtls
