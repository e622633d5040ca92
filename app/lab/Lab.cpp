// SPDX-License-Identifier: MIT
#include "Lab.h"

#include "LabFiles.h"
#include "LabPki.h"
#include "LabScenario.h"
#include "SafeRemove.h"
#include "StaleLabs.h"
#include "UniqueFd.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <functional>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls::lab {

// Phase timings of a start: QT_LOGGING_RULES="pgtls.lab.debug=true".
Q_LOGGING_CATEGORY(lcLab, "pgtls.lab", QtInfoMsg)

namespace {

constexpr int kReadyTimeoutMs = 10000;
constexpr int kPollMs = 20;
constexpr int kPsqlTimeoutMs = 15000;
constexpr int kStaleTimeoutMs = 3000;
constexpr int kMaxPortAttempts = 4;

const QLatin1String kTmpDir("/tmp");
const QLatin1String kDirPrefix("pgtls-lab-");
const QLatin1String kOwnerFile("owner.pid");
const QLatin1String kUser("labuser");
const QLatin1String kDatabase("labdb");

QList<Lab *> &liveLabs()
{
    static QList<Lab *> labs;
    return labs;
}

// The OS user the server runs as. PostgreSQL refuses to run as root, so as root we switch to
// `postgres` in the child; otherwise the server runs as we do.
struct ServerUser
{
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

bool writeFileMode(const QString &path, const QByteArray &data, mode_t mode,
    const ServerUser *owner, QString *error)
{
    const bool switchUser = owner && owner->switchUser;
    return writeFileWithMode(path, data, mode, error, switchUser, switchUser ? owner->uid : 0,
        switchUser ? owner->gid : 0);
}

// Replaces a server file in one step, so that a reload never reads half a file.
bool replaceServerFile(
    const QString &path, const QByteArray &data, const ServerUser &owner, QString *error)
{
    return replaceFileWithMode(path, data, 0600, error, owner.switchUser,
        owner.switchUser ? owner.uid : 0, owner.switchUser ? owner.gid : 0);
}

// Files of data/ belong to the server user: read them without following a link it planted and
// without blocking on a FIFO.
QByteArray readServerFile(const QString &path, qint64 maxBytes = 1024 * 1024)
{
    return readFileNoFollow(path, maxBytes).value_or(QByteArray());
}

// Line `index` (0-based) of a postmaster.pid file, trimmed.
QString postmasterPidLine(const QString &dataDir, int index)
{
    const QList<QByteArray> lines
        = readServerFile(dataDir + QStringLiteral("/postmaster.pid"), 64 * 1024).split('\n');
    return index < lines.size() ? QString::fromLatin1(lines.at(index).trimmed()) : QString();
}

quint16 pickFreePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

QString randomPassword()
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    QString pw;
    for (int i = 0; i < 24; ++i)
        pw += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet - 1))]);
    return pw;
}

QString quoteConf(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

QString tailOfFile(const QString &path, int maxLines = 12)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no server log)");
    if (f.size() > 4096)
        f.seek(f.size() - 4096);
    QStringList lines
        = QString::fromLocal8Bit(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() > maxLines)
        lines = lines.mid(lines.size() - maxLines);
    return lines.isEmpty() ? QStringLiteral("(empty server log)") : lines.join(QLatin1Char('\n'));
}

QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The caller's libpq settings (PGSSLMODE, PGPASSWORD, PGDATA, ...) must not leak into the lab.
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    }
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
    return env;
}

// Signal self-pipe for installTerminationHandlers().
int g_signalPipe[2] = { -1, -1 };

void onTerminationSignal(int signo)
{
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(signo);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}

} // namespace

class LabPrivate
{
public:
    enum class State { Idle, Starting, Running };

    explicit LabPrivate(Lab *lab)
        : q(lab)
    { }

    Lab *q;
    State state = State::Idle;
    quint64 generation = 0;

    QString dir;
    QString dataDir;
    QString pkiDir;
    quint16 port = 0;
    int portAttempts = 0;
    QString password;
    ServerUser serverUser;
    Scenario scenario = Scenario::Correct;
    Scenario startScenario = Scenario::Correct;
    QElapsedTimer startClock;
    qint64 startMs = -1;

    QProcess *initdb = nullptr;
    QProcess *postmaster = nullptr;
    QProcess *psql = nullptr;
    QThread *pkiThread = nullptr;
    QTimer *readyTimer = nullptr;
    QElapsedTimer readyClock;
    bool initdbDone = false;
    bool pkiDone = false;
    bool setupDone = false;

    FileIdentity dirIdentity; // the directory mkdtemp() made: only that one is removed
    QList<StaleLab> stale;
    QTimer *staleTimer = nullptr;
    QElapsedTimer staleClock;

    QList<Scenario> pendingSwitches;
    bool switching = false;

    QString binPath(const char *name) const
    {
        return Lab::serverBinDirectory() + QLatin1Char('/') + QLatin1String(name);
    }
    QString logPath() const
    {
        return dir.isEmpty() ? QString() : dir + QStringLiteral("/server.log");
    }
    LabPki pki() const { return LabPki(pkiDir, Lab::endpointHostName()); }

    // Runs `f` from the event loop unless stop() (or a failure) happened in between.
    void post(std::function<void()> f)
    {
        const quint64 gen = generation;
        QTimer::singleShot(0, q, [this, gen, f = std::move(f)] {
            if (generation == gen)
                f();
        });
    }

    void configureServerProcess(QProcess *p)
    {
        p->setWorkingDirectory(dir);
        p->setProcessEnvironment(cleanEnvironment());
        const ServerUser user = serverUser;
        const pid_t parent = ::getpid();
        // Runs in the child between fork and exec: only async-signal-safe calls.
        p->setChildProcessModifier([user, parent] {
            if (user.switchUser) {
                if (::setgroups(1, &user.gid) != 0 || ::setgid(user.gid) != 0
                    || ::setuid(user.uid) != 0)
                    ::_exit(126);
            }
            // Our own process group, so that a terminal's Ctrl-C reaches only us: the termination
            // handlers (or, without them, the parent-death signal) then stop the server in order.
            ::setpgid(0, 0);
            // After setuid: a credential change clears the parent-death signal.
            ::prctl(PR_SET_PDEATHSIG, SIGINT);
            if (::getppid() != parent)
                ::_exit(125);
        });
    }

    void beginStart();
    void cleanupStaleLabs();
    void checkStale(bool force);
    void onPkiFinished(bool ok, const QString &error);
    void onInitdbFinished(int exitCode, QProcess::ExitStatus status);
    bool writeInitialConfig(QString *error);
    bool writeScenarioFiles(Scenario s, QString *error);
    bool writePassfile(QString *error);
    void launchPostmaster();
    void pollReady();
    void onPostmasterFinished(int exitCode, QProcess::ExitStatus status);
    void runSetupSql();
    void maybeFinishStart();
    void runPsql(const QString &database, const QString &sql, bool tuplesOnly,
        std::function<void(bool ok, const QString &out, const QString &err)> done);
    void nextSwitch();
    void fail(const QString &message);
    void teardown();
    void killAndWait(QProcess *&p, int signo, int waitMs);
};

// ---- start
// ---------------------------------------------------------------------------------------

void LabPrivate::beginStart()
{
    for (const char *name : { "initdb", "postgres" }) {
        const QFileInfo fi(binPath(name));
        if (!fi.isExecutable()) {
            fail(QStringLiteral(
                "PostgreSQL 15 server binaries not found in %1 (no %2): install postgresql-15")
                     .arg(Lab::serverBinDirectory(), QLatin1String(name)));
            return;
        }
    }
    if (!QFileInfo(binPath("psql")).isExecutable()
        && !QFileInfo(QStringLiteral("/usr/bin/psql")).isExecutable()) {
        fail(QStringLiteral("psql not found in %1 or /usr/bin: install postgresql-client-15")
                 .arg(Lab::serverBinDirectory()));
        return;
    }

    serverUser = ServerUser();
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            fail(QStringLiteral(
                "running as root, but there is no 'postgres' OS user to run the server as "
                "(PostgreSQL refuses to run as root): install postgresql-15"));
            return;
        }
        serverUser = { true, pw->pw_uid, pw->pw_gid };
    }

    cleanupStaleLabs();

    QByteArray templ
        = QFile::encodeName(QString(kTmpDir) + QLatin1Char('/') + kDirPrefix) + "XXXXXX";
    if (!::mkdtemp(templ.data())) {
        fail(QStringLiteral("cannot create the lab directory in %1: %2")
                 .arg(kTmpDir, errnoText(errno)));
        return;
    }
    dir = QFile::decodeName(templ);
    dataDir = dir + QStringLiteral("/data");
    pkiDir = dir + QStringLiteral("/pki");
    UniqueFd dirFd(openDirectoryNoFollow(dir));
    struct stat dirStat
    {
    };
    if (!dirFd.isValid() || ::fstat(dirFd.get(), &dirStat) != 0) {
        fail(QStringLiteral("cannot open the lab directory %1: %2").arg(dir, errnoText(errno)));
        return;
    }
    dirIdentity = FileIdentity::of(dirStat);
    QString error;
    // Made while the directory is still ours alone, so nobody can have planted anything at these
    // names. owner.pid holds "PID STARTTIME": the next lab removes this directory once that
    // process is gone. server.log exists before QProcess opens it by name for the server.
    const QByteArray owner
        = QByteArray::number(::getpid()) + ' ' + processStartTime(::getpid()) + '\n';
    if (!writeFileMode(dir + QLatin1Char('/') + kOwnerFile, owner, 0644, nullptr, &error)
        || !writeFileMode(logPath(), QByteArray(), 0600, nullptr, &error)) {
        fail(error);
        return;
    }
    if (::mkdirat(dirFd.get(), "pki", 0700) != 0) {
        fail(QStringLiteral("cannot create %1: %2").arg(pkiDir, errnoText(errno)));
        return;
    }
    // The top-level directory stays ours (its owner is what StaleLabs.h goes by). As root, the
    // server needs to create data/ and its socket here: group `postgres` may write, and the sticky
    // bit keeps it from renaming or replacing what root made (owner.pid, server.log, passfile).
    if (serverUser.switchUser
        && (::fchown(dirFd.get(), uid_t(-1), serverUser.gid) != 0
            || ::fchmod(dirFd.get(), S_ISVTX | S_IRWXU | S_IRWXG) != 0)) {
        fail(QStringLiteral("cannot open %1 to the postgres group: %2").arg(dir, errnoText(errno)));
        return;
    }
    password = randomPassword();
    portAttempts = 0;

    // initdb (about 0.6 s) and the key generation run side by side.
    initdb = new QProcess(q);
    configureServerProcess(initdb);
    initdb->setProgram(binPath("initdb"));
    initdb->setArguments({ QStringLiteral("-D"), dataDir, QStringLiteral("-N"),
        QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
        QStringLiteral("postgres"), QStringLiteral("-E"), QStringLiteral("UTF8"),
        QStringLiteral("--locale=C"), QStringLiteral("--no-instructions") });
    QObject::connect(initdb, &QProcess::finished, q,
        [this](int code, QProcess::ExitStatus st) { onInitdbFinished(code, st); });
    QObject::connect(initdb, &QProcess::errorOccurred, q, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(QStringLiteral("initdb failed to start: %1").arg(initdb->errorString()));
    });
    initdb->start();

    // Key generation is CPU work of up to a second: off the caller's thread, so a GUI stays live.
    auto result = std::make_shared<QString>();
    auto ok = std::make_shared<bool>(false);
    const LabPki labPki = pki();
    pkiThread = QThread::create([labPki, result, ok] { *ok = labPki.generate(result.get()); });
    const quint64 gen = generation;
    QThread *thread = pkiThread;
    QObject::connect(pkiThread, &QThread::finished, q, [this, gen, thread, result, ok] {
        thread->deleteLater();
        if (pkiThread == thread)
            pkiThread = nullptr;
        if (generation == gen)
            onPkiFinished(*ok, *result);
    });
    pkiThread->start();
}

void LabPrivate::cleanupStaleLabs()
{
    stale.append(sweepStaleLabs(kTmpDir, kDirPrefix));
    if (!stale.isEmpty() && !staleTimer) {
        staleClock.start();
        staleTimer = new QTimer(q);
        staleTimer->setInterval(kPollMs);
        QObject::connect(staleTimer, &QTimer::timeout, q, [this] { checkStale(false); });
        staleTimer->start();
    }
}

void LabPrivate::checkStale(bool force)
{
    const bool late = force || staleClock.elapsed() > kStaleTimeoutMs;
    for (qsizetype i = stale.size() - 1; i >= 0; --i) {
        if (!finishStale(stale.at(i), late))
            continue;
        qCDebug(lcLab) << "finished the stale lab" << stale.at(i).path() << "after"
                       << staleClock.elapsed() << "ms";
        stale.removeAt(i);
    }
    if (stale.isEmpty() && staleTimer) {
        staleTimer->stop();
        staleTimer->deleteLater();
        staleTimer = nullptr;
        if (state == State::Starting)
            maybeFinishStart();
    }
}

void LabPrivate::onPkiFinished(bool ok, const QString &error)
{
    qCDebug(lcLab) << "certificates generated after" << startClock.elapsed() << "ms";
    if (!ok) {
        fail(QStringLiteral("generating the lab certificates failed: %1").arg(error));
        return;
    }
    // The server must own its key (0600) and be able to read the certificates.
    // The files first, while pki/ is still ours alone (nobody can swap them), then pki/ itself;
    // through the directory's descriptor, never following a link.
    if (serverUser.switchUser) {
        const LabPki p = pki();
        UniqueFd pkiFd(openDirectoryNoFollow(pkiDir));
        QString failedPath = pkiDir;
        bool handed = pkiFd.isValid();
        for (const QString &f : p.allFiles()) {
            if (!handed)
                break;
            failedPath = f;
            handed = ::fchownat(pkiFd.get(), QFile::encodeName(QFileInfo(f).fileName()).constData(),
                         serverUser.uid, serverUser.gid, AT_SYMLINK_NOFOLLOW)
                == 0;
        }
        if (handed) {
            failedPath = pkiDir;
            handed = ::fchown(pkiFd.get(), serverUser.uid, serverUser.gid) == 0;
        }
        if (!handed) {
            fail(QStringLiteral("cannot hand %1 to the postgres user: %2")
                     .arg(failedPath, errnoText(errno)));
            return;
        }
    }
    pkiDone = true;
    if (initdbDone)
        launchPostmaster();
}

void LabPrivate::onInitdbFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *p = initdb;
    initdb = nullptr;
    p->deleteLater();
    qCDebug(lcLab) << "initdb finished after" << startClock.elapsed() << "ms";
    if (status != QProcess::NormalExit || exitCode != 0) {
        QString err = QString::fromLocal8Bit(p->readAllStandardError()).trimmed();
        if (err.isEmpty())
            err = QString::fromLocal8Bit(p->readAllStandardOutput()).trimmed();
        fail(QStringLiteral("initdb failed (%1): %2")
                 .arg(status == QProcess::NormalExit ? QStringLiteral("exit code %1").arg(exitCode)
                                                     : QStringLiteral("crashed"),
                     err));
        return;
    }
    QString error;
    if (!writeInitialConfig(&error) || !writeScenarioFiles(startScenario, &error)) {
        fail(error);
        return;
    }
    initdbDone = true;
    if (pkiDone)
        launchPostmaster();
}

bool LabPrivate::writeInitialConfig(QString *error)
{
    const QString confPath = dataDir + QStringLiteral("/postgresql.conf");
    QByteArray conf = readServerFile(confPath);
    if (conf.isEmpty()) {
        *error = QStringLiteral("initdb left no %1").arg(confPath);
        return false;
    }
    // Appended settings win over initdb's. The port is given on the command line (it may change on
    // a retry); everything that changes per scenario lives in lab_scenario.conf.
    const QString extra = QStringLiteral("\n# --- PG TLS Inspector lab ---\n"
                                         "listen_addresses = '127.0.0.1'\n"
                                         "unix_socket_directories = %1\n"
                                         "fsync = off\n"
                                         "synchronous_commit = off\n"
                                         "full_page_writes = off\n"
                                         "autovacuum = off\n"
                                         "max_connections = 40\n"
                                         "shared_buffers = 16MB\n"
                                         "password_encryption = 'scram-sha-256'\n"
                                         "lc_messages = 'C'\n"
                                         "log_min_messages = warning\n"
                                         "log_line_prefix = '%m [%p] '\n"
                                         "log_min_error_statement = panic\n"
                                         "include = 'lab_scenario.conf'\n")
                              .arg(quoteConf(dir));
    conf += extra.toUtf8();
    return replaceServerFile(confPath, conf, serverUser, error);
}

bool LabPrivate::writeScenarioFiles(Scenario s, QString *error)
{
    const ScenarioSettings settings = scenarioSettings(s, pki());
    const bool sslOn = settings.sslOn;
    const bool plaintext = settings.plaintextAccepted;
    const QString cert = settings.certPath, key = settings.keyPath;
    const QString conf
        = QStringLiteral("# Written by the PG TLS Inspector lab: scenario \"%1\".\n"
                         "ssl = %2\n"
                         "ssl_cert_file = %3\n"
                         "ssl_key_file = %4\n"
                         "rds.force_ssl = '%5'\n")
              .arg(scenarioName(s), sslOn ? QStringLiteral("on") : QStringLiteral("off"),
                  quoteConf(cert), quoteConf(key),
                  plaintext ? QStringLiteral("0") : QStringLiteral("1"));

    // Like RDS with rds.force_ssl=1: no line matches a plaintext TCP connection, so libpq reports
    // "no pg_hba.conf entry for host ..., no encryption" (an explicit hostnossl reject line would
    // say "pg_hba.conf rejects connection ..." instead).
    QString hba = QStringLiteral("# Written by the PG TLS Inspector lab: scenario \"%1\".\n"
                                 "# TYPE  DATABASE USER     ADDRESS        METHOD\n"
                                 "local   all      postgres                trust\n")
                      .arg(scenarioName(s));
    if (sslOn)
        hba += QStringLiteral("hostssl all      all      127.0.0.1/32   scram-sha-256\n");
    if (plaintext)
        hba += QStringLiteral("host    all      all      127.0.0.1/32   scram-sha-256\n");

    return replaceServerFile(
               dataDir + QStringLiteral("/lab_scenario.conf"), conf.toUtf8(), serverUser, error)
        && replaceServerFile(
            dataDir + QStringLiteral("/pg_hba.conf"), hba.toUtf8(), serverUser, error);
}

bool LabPrivate::writePassfile(QString *error)
{
    // Host "*": libpq matches the passfile against `host` (the endpoint or alias name), not
    // hostaddr.
    const QByteArray line
        = QStringLiteral("*:%1:%2:%3:%4\n").arg(port).arg(kDatabase, kUser, password).toUtf8();
    // Replaced, not created: a retry on another port writes it again.
    return replaceFileWithMode(dir + QStringLiteral("/passfile"), line, 0600, error);
}

void LabPrivate::launchPostmaster()
{
    port = pickFreePort();
    QString error;
    if (port == 0) {
        fail(QStringLiteral("no free TCP port on 127.0.0.1: %1").arg(errnoText(errno)));
        return;
    }
    if (!writePassfile(&error)) {
        fail(error);
        return;
    }
    ++portAttempts;
    postmaster = new QProcess(q);
    configureServerProcess(postmaster);
    postmaster->setProgram(binPath("postgres"));
    postmaster->setArguments(
        { QStringLiteral("-D"), dataDir, QStringLiteral("-p"), QString::number(port) });
    postmaster->setProcessChannelMode(QProcess::MergedChannels);
    postmaster->setStandardOutputFile(logPath(), QIODevice::Append);
    postmaster->setStandardInputFile(QProcess::nullDevice());
    QObject::connect(postmaster, &QProcess::finished, q,
        [this](int code, QProcess::ExitStatus st) { onPostmasterFinished(code, st); });
    QObject::connect(postmaster, &QProcess::errorOccurred, q, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(QStringLiteral("the PostgreSQL server failed to start: %1")
                     .arg(postmaster->errorString()));
    });
    postmaster->start();

    if (!readyTimer) {
        readyTimer = new QTimer(q);
        readyTimer->setInterval(kPollMs);
        QObject::connect(readyTimer, &QTimer::timeout, q, [this] { pollReady(); });
    }
    readyClock.start();
    readyTimer->start();
}

void LabPrivate::pollReady()
{
    // Line 8 of postmaster.pid is the postmaster's status: "ready" once it accepts connections.
    if (postmasterPidLine(dataDir, 7) == QLatin1String("ready")) {
        readyTimer->stop();
        qCDebug(lcLab) << "server ready after" << startClock.elapsed() << "ms";
        runSetupSql();
        return;
    }
    if (readyClock.elapsed() > kReadyTimeoutMs)
        fail(QStringLiteral("server did not become ready within %1 s: %2")
                 .arg(kReadyTimeoutMs / 1000)
                 .arg(tailOfFile(logPath())));
}

void LabPrivate::onPostmasterFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *p = postmaster;
    postmaster = nullptr;
    p->deleteLater();
    if (readyTimer)
        readyTimer->stop();
    const QString how = status == QProcess::NormalExit
        ? QStringLiteral("exit code %1").arg(exitCode)
        : QStringLiteral("killed by a signal");
    const QString log = tailOfFile(logPath());
    if (state == State::Starting) {
        // Another process may have taken the port between our probe and the server's bind.
        if (log.contains(QLatin1String("Address already in use"))
            && portAttempts < kMaxPortAttempts) {
            QString error;
            if (::unlink(QFile::encodeName(logPath()).constData()) != 0
                || !writeFileMode(logPath(), QByteArray(), 0600, nullptr, &error)) {
                fail(error.isEmpty()
                        ? QStringLiteral("cannot renew %1: %2").arg(logPath(), errnoText(errno))
                        : error);
                return;
            }
            launchPostmaster();
            return;
        }
        fail(QStringLiteral("the PostgreSQL server exited during start (%1): %2").arg(how, log));
    } else if (state == State::Running) {
        fail(QStringLiteral("the PostgreSQL server exited unexpectedly (%1): %2").arg(how, log));
    }
}

void LabPrivate::runPsql(const QString &database, const QString &sql, bool tuplesOnly,
    std::function<void(bool, const QString &, const QString &)> done)
{
    QString program = binPath("psql");
    if (!QFileInfo(program).isExecutable())
        program = QStringLiteral("/usr/bin/psql");
    psql = new QProcess(q);
    psql->setProcessEnvironment(cleanEnvironment());
    psql->setProgram(program);
    QStringList args { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
        QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), dir, QStringLiteral("-p"),
        QString::number(port), QStringLiteral("-U"), QStringLiteral("postgres"),
        QStringLiteral("-d"), database, QStringLiteral("-f"), QStringLiteral("-") };
    if (tuplesOnly)
        args << QStringLiteral("-A") << QStringLiteral("-t");
    psql->setArguments(args);
    QProcess *p = psql;
    auto timer = new QTimer(p);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
    QObject::connect(p, &QProcess::finished, q, [this, p, done](int code, QProcess::ExitStatus st) {
        if (psql == p)
            psql = nullptr;
        p->deleteLater();
        const QString out = QString::fromUtf8(p->readAllStandardOutput()).trimmed();
        QString err = QString::fromUtf8(p->readAllStandardError()).trimmed();
        if (st != QProcess::NormalExit && err.isEmpty())
            err = QStringLiteral("psql did not finish within %1 s").arg(kPsqlTimeoutMs / 1000);
        done(st == QProcess::NormalExit && code == 0, out, err);
    });
    QObject::connect(p, &QProcess::errorOccurred, q, [this, p, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        if (psql == p)
            psql = nullptr;
        p->deleteLater();
        done(false, QString(), QStringLiteral("psql failed to start: %1").arg(p->errorString()));
    });
    timer->start(kPsqlTimeoutMs);
    p->start();
    // The password goes through stdin, never the command line.
    p->write(sql.toUtf8());
    p->closeWriteChannel();
}

void LabPrivate::runSetupSql()
{
    QString sql = QStringLiteral("SET password_encryption = 'scram-sha-256';\n"
                                 "CREATE ROLE %1 LOGIN PASSWORD '%2';\n"
                                 "CREATE DATABASE %3 OWNER %1;\n"
                                 "\\connect %3\n")
                      .arg(kUser, password, kDatabase);
    if (scenarioSettings(startScenario, pki()).sslinfo)
        sql += QStringLiteral("CREATE EXTENSION sslinfo;\n");
    runPsql(QStringLiteral("postgres"), sql, false,
        [this](bool ok, const QString &, const QString &err) {
            if (!ok) {
                fail(QStringLiteral("setting up the lab database failed: %1").arg(err));
                return;
            }
            setupDone = true;
            qCDebug(lcLab) << "role and database created after" << startClock.elapsed() << "ms";
            maybeFinishStart();
        });
}

void LabPrivate::maybeFinishStart()
{
    if (!setupDone || staleTimer)
        return;
    state = State::Running;
    scenario = startScenario;
    startMs = startClock.elapsed();
    post([this] { emit q->started(); });
}

// ---- scenarios
// -----------------------------------------------------------------------------------

void LabPrivate::nextSwitch()
{
    if (switching || pendingSwitches.isEmpty() || state != State::Running)
        return;
    const Scenario s = pendingSwitches.takeFirst();
    switching = true;
    auto finish = [this](const std::function<void()> &emitter) {
        switching = false;
        post(emitter);
        post([this] { nextSwitch(); });
    };

    QString error;
    if (!writeScenarioFiles(s, &error)) {
        finish([this, error] {
            emit q->failed(QStringLiteral("switching the lab scenario failed: %1").arg(error));
        });
        return;
    }
    const qint64 logSize = QFileInfo(logPath()).size();
    // PostgreSQL 15's postmaster handles SIGHUP (configuration, pg_hba.conf and the SSL context)
    // before it accepts another connection, so the check below already sees the new settings.
    if (!postmaster || ::kill(pid_t(postmaster->processId()), SIGHUP) != 0) {
        finish([this] {
            emit q->failed(
                QStringLiteral("switching the lab scenario failed: the server is not running"));
        });
        return;
    }

    const ScenarioSettings settings = scenarioSettings(s, pki());
    const QString expected
        = QStringLiteral("%1|%2|%3|%4|0|0")
              .arg(settings.sslOn ? QStringLiteral("on") : QStringLiteral("off"),
                  settings.plaintextAccepted ? QStringLiteral("0") : QStringLiteral("1"),
                  settings.certPath, settings.sslinfo ? QStringLiteral("1") : QStringLiteral("0"));
    QString sql = !settings.sslinfo ? QStringLiteral("DROP EXTENSION IF EXISTS sslinfo;\n")
                                    : QStringLiteral("CREATE EXTENSION IF NOT EXISTS sslinfo;\n");
    sql += QStringLiteral("SELECT current_setting('ssl'), current_setting('rds.force_ssl'), "
                          "current_setting('ssl_cert_file'),"
                          " (SELECT count(*) FROM pg_extension WHERE extname = 'sslinfo'),"
                          " (SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL),"
                          " (SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL),"
                          " (SELECT string_agg(sourcefile || ':' || sourceline || ': ' || error, "
                          "'; ') FROM pg_file_settings"
                          "   WHERE error IS NOT NULL),"
                          " (SELECT string_agg(line_number || ': ' || error, '; ') FROM "
                          "pg_hba_file_rules WHERE error IS NOT NULL);\n");
    runPsql(kDatabase, sql, true,
        [this, s, expected, logSize, finish](bool ok, const QString &out, const QString &err) {
            if (!ok) {
                finish([this, err] {
                    emit q->failed(
                        QStringLiteral("switching the lab scenario failed: %1").arg(err));
                });
                return;
            }
            // The SSL context is rebuilt on reload; a certificate or key it cannot load is only
            // logged.
            QFile log(logPath());
            QStringList sslErrors;
            if (log.open(QIODevice::ReadOnly) && log.seek(logSize)) {
                for (const QString &line :
                    QString::fromLocal8Bit(log.readAll()).split(QLatin1Char('\n'))) {
                    if (line.contains(QLatin1String("could not load"))
                        || line.contains(QLatin1String("private key file")))
                        sslErrors << line;
                }
            }
            const QString got = out.section(QLatin1Char('|'), 0, 5);
            if (got != expected || !sslErrors.isEmpty()) {
                const QString detail = sslErrors.isEmpty()
                    ? QStringLiteral("the server reports %1 (expected %2) %3")
                          .arg(out, expected, out.section(QLatin1Char('|'), 6))
                    : sslErrors.join(QLatin1Char('\n'));
                finish([this, detail] {
                    emit q->failed(
                        QStringLiteral("switching the lab scenario failed: %1").arg(detail));
                });
                return;
            }
            scenario = s;
            finish([this, s] { emit q->scenarioChanged(s); });
        });
}

// ---- stop
// ----------------------------------------------------------------------------------------

void LabPrivate::killAndWait(QProcess *&p, int signo, int waitMs)
{
    if (!p)
        return;
    QProcess *proc = p;
    p = nullptr;
    proc->disconnect(q);
    if (proc->state() != QProcess::NotRunning) {
        ::kill(pid_t(proc->processId()), signo);
        if (!proc->waitForFinished(waitMs)) {
            proc->kill();
            proc->waitForFinished(500);
        }
    }
    proc->deleteLater();
}

void LabPrivate::teardown()
{
    QElapsedTimer clock;
    clock.start();
    ++generation; // outstanding callbacks of this start are void from here on
    state = State::Idle;
    if (readyTimer)
        readyTimer->stop();
    killAndWait(psql, SIGKILL, 500);
    killAndWait(initdb, SIGKILL, 1000);
    if (pkiThread) {
        QThread *t = pkiThread;
        pkiThread = nullptr;
        t->disconnect(q);
        // Key generation cannot be interrupted; it ends within a second.
        if (!t->wait(3000))
            QObject::connect(t, &QThread::finished, t, &QObject::deleteLater);
        else
            t->deleteLater();
    }
    if (postmaster) {
        // Fast shutdown first (a checkpoint of a tiny cluster with fsync=off), then immediate.
        QProcess *pm = postmaster;
        postmaster = nullptr;
        pm->disconnect(q);
        if (pm->state() != QProcess::NotRunning) {
            const pid_t pid = pid_t(pm->processId());
            ::kill(pid, SIGINT);
            if (!pm->waitForFinished(1500)) {
                ::kill(pid, SIGQUIT);
                if (!pm->waitForFinished(300)) {
                    pm->kill();
                    pm->waitForFinished(200);
                }
            }
        }
        pm->deleteLater();
    }
    if (staleTimer)
        checkStale(true);
    if (!dir.isEmpty()) {
        // By descriptor, never following a link, and only the directory mkdtemp() made.
        QString error;
        if (!dirIdentity.isValid())
            qCWarning(lcLab) << "the lab directory" << dir << "was never opened; not removed";
        else if (!removeTree(dir, &error, dirIdentity))
            qCWarning(lcLab).noquote() << error;
    }
    qCDebug(lcLab) << "stopped and removed" << dir << "in" << clock.elapsed() << "ms";
    dir.clear();
    dirIdentity = {};
    dataDir.clear();
    pkiDir.clear();
    port = 0;
    password.clear();
    pendingSwitches.clear();
    switching = false;
    initdbDone = pkiDone = setupDone = false;
}

void LabPrivate::fail(const QString &message)
{
    teardown();
    post([this, message] { emit q->failed(message); });
}

// ---- Lab
// -----------------------------------------------------------------------------------------

Lab::Lab(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<LabPrivate>(this))
{
    qRegisterMetaType<pgtls::lab::Scenario>();
    liveLabs().append(this);
}

Lab::~Lab()
{
    liveLabs().removeAll(this);
    stop();
}

void Lab::start(Scenario initial)
{
    if (d->state != LabPrivate::State::Idle) {
        qWarning("pgtls::lab::Lab::start: the lab is already %s; ignored",
            d->state == LabPrivate::State::Running ? "running" : "starting");
        return;
    }
    d->state = LabPrivate::State::Starting;
    d->startScenario = initial;
    d->scenario = initial;
    d->startClock.start();
    d->post([this] { d->beginStart(); });
}

void Lab::setScenario(Scenario scenario)
{
    if (d->state != LabPrivate::State::Running) {
        d->post([this] {
            emit failed(QStringLiteral("cannot switch the lab scenario: the lab is not running"));
        });
        return;
    }
    d->pendingSwitches.append(scenario);
    d->post([this] { d->nextSwitch(); });
}

void Lab::stop()
{
    if (d->state == LabPrivate::State::Idle && d->dir.isEmpty())
        return;
    d->teardown();
}

bool Lab::isRunning() const
{
    return d->state == LabPrivate::State::Running;
}
quint16 Lab::port() const
{
    return isRunning() ? d->port : 0;
}
Scenario Lab::scenario() const
{
    return d->scenario;
}
QString Lab::directory() const
{
    return d->dir;
}
QString Lab::caBundlePath() const
{
    return d->dir.isEmpty() ? QString() : d->pki().rootCaPath();
}
QString Lab::rogueCaBundlePath() const
{
    return d->dir.isEmpty() ? QString() : d->pki().rogueRootCaPath();
}
QString Lab::crlPath() const
{
    return d->dir.isEmpty() ? QString() : d->pki().crlPath();
}
QString Lab::logPath() const
{
    return d->logPath();
}
QString Lab::userName() const
{
    return kUser;
}
QString Lab::databaseName() const
{
    return kDatabase;
}
QString Lab::password() const
{
    return d->password;
}
QString Lab::passfilePath() const
{
    return d->dir.isEmpty() ? QString() : d->dir + QStringLiteral("/passfile");
}
qint64 Lab::startMilliseconds() const
{
    return d->startMs;
}

QString Lab::endpointHostName()
{
    return QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
}
QString Lab::aliasHostName()
{
    return QStringLiteral("db.example.internal");
}
QString Lab::serverBinDirectory()
{
    return QStringLiteral("/usr/lib/postgresql/15/bin");
}

pgtls::Endpoint Lab::endpoint() const
{
    pgtls::Endpoint e;
    e.host = d->scenario == Scenario::Alias ? aliasHostName() : endpointHostName();
    e.hostaddr = QStringLiteral("127.0.0.1");
    e.port = port();
    e.dbname = databaseName();
    e.user = userName();
    e.sslmode = SslMode::VerifyFull;
    e.sslrootcert = caBundlePath();
    e.passfile = passfilePath();
    return e;
}

void Lab::installTerminationHandlers()
{
    if (g_signalPipe[0] >= 0)
        return;
    if (!QCoreApplication::instance()) {
        qWarning("pgtls::lab::Lab::installTerminationHandlers: create the QCoreApplication first");
        return;
    }
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        qWarning(
            "pgtls::lab::Lab::installTerminationHandlers: pipe2 failed: %s", std::strerror(errno));
        return;
    }
    auto notifier
        = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [] {
        unsigned char signo = 0;
        if (::read(g_signalPipe[0], &signo, 1) != 1)
            return;
        const QList<Lab *> labs = liveLabs();
        for (Lab *lab : labs)
            lab->stop();
        QCoreApplication::exit(128 + int(signo));
    });
    struct sigaction sa
    {
    };
    sa.sa_handler = onTerminationSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

} // namespace pgtls::lab
