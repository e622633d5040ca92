// SPDX-License-Identifier: MIT
#include "StaleLabs.h"

#include "UniqueFd.h"

#include <QFile>
#include <QLoggingCategory>

#include <climits>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pgtls::lab {

Q_LOGGING_CATEGORY(lcStaleLabs, "pgtls.lab", QtInfoMsg)

namespace {

constexpr qint64 kSmallFileBytes = 64 * 1024;
constexpr time_t kOwnerlessGraceSeconds = 60;

// A regular file `name` below `dirFd`, never through a link, a FIFO or a device; with `owner` >= 0
// only a file owned by that uid. Empty when refused or unreadable.
QByteArray readSmallAt(int dirFd, const char *name, qint64 owner = -1)
{
    UniqueFd fd(::openat(dirFd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    struct stat st
    {
    };
    if (!fd.isValid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)
        || (owner >= 0 && st.st_uid != uid_t(owner)))
        return {};
    QByteArray data;
    char buf[4096];
    while (data.size() < kSmallFileBytes) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        data.append(buf, qMin<qsizetype>(n, kSmallFileBytes - data.size()));
    }
    return data;
}

// /proc files are not regular files of a known size: read by path, bounded.
QByteArray readProcFile(pid_t pid, const char *what)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(what)));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return f.read(kSmallFileBytes);
}

// A pid as written by us or by PostgreSQL: digits only, within pid_t.
pid_t parsePid(const QByteArray &text)
{
    bool ok = false;
    const qlonglong v = text.trimmed().toLongLong(&ok);
    return ok && v > 0 && v <= INT_MAX ? pid_t(v) : 0;
}

QList<QByteArray> entriesWithPrefix(int dirFd, const QByteArray &prefix)
{
    QList<QByteArray> names;
    UniqueFd listing(::fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    DIR *dir = listing.isValid() ? ::fdopendir(listing.get()) : nullptr;
    if (!dir)
        return names;
    listing.release();
    while (const dirent *e = ::readdir(dir)) {
        const QByteArray name(e->d_name);
        if (name.startsWith(prefix) && name.size() > prefix.size())
            names.append(name);
    }
    ::closedir(dir);
    return names;
}

// The lab's own descriptor, if `name` in `baseFd` is a directory owned by us (lstat, then fstat
// of what O_NOFOLLOW opened: the same directory). With `expected` valid, only that directory.
int openOwnLab(int baseFd, const QByteArray &name, FileIdentity *identity, struct stat *out,
    const FileIdentity &expected = {})
{
    const uid_t me = ::geteuid();
    struct stat st
    {
    };
    if (::fstatat(baseFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)
        || st.st_uid != me)
        return -1;
    UniqueFd fd(
        ::openat(baseFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat opened
    {
    };
    if (!fd.isValid() || ::fstat(fd.get(), &opened) != 0 || opened.st_uid != me
        || FileIdentity::of(opened) != FileIdentity::of(st)
        || (expected.isValid() && FileIdentity::of(opened) != expected))
        return -1;
    *identity = FileIdentity::of(opened);
    if (out)
        *out = opened;
    return fd.release();
}

bool ownerGone(int labFd, const struct stat &labStat)
{
    const QList<QByteArray> owner
        = readSmallAt(labFd, "owner.pid", qint64(::geteuid())).simplified().split(' ');
    const pid_t pid = parsePid(owner.value(0));
    if (pid <= 0)
        return std::time(nullptr) - labStat.st_mtime >= kOwnerlessGraceSeconds;
    const QByteArray startTime = owner.value(1);
    return !processAlive(pid) || (!startTime.isEmpty() && processStartTime(pid) != startTime);
}

// Sends `signo` to the postmaster of the lab `labFd` only if it is exactly that lab's postmaster;
// returns its pid then, else 0. The pid is `known`, or (0) the one data/postmaster.pid names;
// signo 0 only checks.
pid_t signalPostmaster(int labFd, const QString &labPath, int signo, pid_t known = 0)
{
    UniqueFd data(::openat(labFd, "data", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!data.isValid())
        return 0;
    const pid_t pid = known > 0
        ? known
        : parsePid(readSmallAt(data.get(), "postmaster.pid").split('\n').value(0));
    if (pid <= 0 || !processAlive(pid))
        return 0;
    // The pidfd pins the process: if the pid is reused after the check, the signal fails (ESRCH)
    // instead of reaching the newcomer. Where pidfds are missing (an old kernel, a seccomp filter)
    // kill() remains, with the same check. Glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++:
    // the system calls directly.
    UniqueFd pidfd(int(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd.isValid() && errno == ESRCH)
        return 0;
    if (!isPostmasterOf(pid, data.get(), labPath + QStringLiteral("/data")))
        return 0;
    if (signo != 0) {
        const long rc = pidfd.isValid()
            ? ::syscall(SYS_pidfd_send_signal, pidfd.get(), signo, nullptr, 0)
            : long(::kill(pid, signo));
        if (rc != 0)
            return 0;
    }
    return pid;
}

} // namespace

bool processAlive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) != 0 && errno != EPERM)
        return false;
    const QByteArray stat = readProcFile(pid, "stat");
    const qsizetype paren = stat.lastIndexOf(')');
    if (paren < 0 || paren + 2 >= stat.size())
        return true; // no /proc: trust kill()
    return stat.at(paren + 2) != 'Z';
}

QByteArray processStartTime(pid_t pid)
{
    const QByteArray stat = readProcFile(pid, "stat");
    const qsizetype paren = stat.lastIndexOf(')');
    if (paren < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(paren + 2).split(' ');
    // After "pid (comm) ", fields start at field 3 (state): field 22 is index 19.
    return fields.size() > 19 ? fields.at(19) : QByteArray();
}

bool isPostmasterOf(pid_t pid, int dataDirFd, const QString &dataDirPath)
{
    if (pid <= 0 || dataDirPath.isEmpty())
        return false;
    QList<QByteArray> args = readProcFile(pid, "cmdline").split('\0');
    if (!args.isEmpty() && args.last().isEmpty())
        args.removeLast(); // the terminating NUL
    const QByteArray want = QFile::encodeName(dataDirPath);
    bool named = false;
    for (qsizetype i = 0; i < args.size() && !named; ++i) {
        named = (args.at(i) == "-D" && i + 1 < args.size() && args.at(i + 1) == want)
            || args.at(i) == "-D" + want;
    }
    if (!named)
        return false;
    struct stat cwd
    {
    };
    struct stat data
    {
    };
    const QByteArray cwdLink = QFile::encodeName(QStringLiteral("/proc/%1/cwd").arg(pid));
    return ::stat(cwdLink.constData(), &cwd) == 0 && ::fstat(dataDirFd, &data) == 0
        && FileIdentity::of(cwd) == FileIdentity::of(data);
}

QString StaleLab::path() const
{
    return baseDir + QLatin1Char('/') + QFile::decodeName(name);
}

QList<StaleLab> sweepStaleLabs(const QString &baseDir, const QString &prefix)
{
    QList<StaleLab> running;
    UniqueFd base(
        ::open(QFile::encodeName(baseDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!base.isValid())
        return running;
    for (const QByteArray &name : entriesWithPrefix(base.get(), QFile::encodeName(prefix))) {
        StaleLab lab { baseDir, name, {}, 0 };
        struct stat st
        {
        };
        UniqueFd labFd(openOwnLab(base.get(), name, &lab.identity, &st));
        if (!labFd.isValid() || !ownerGone(labFd.get(), st))
            continue;
        // Immediate shutdown (SIGQUIT): the data are throw-away.
        lab.postmasterPid = signalPostmaster(labFd.get(), lab.path(), SIGQUIT);
        if (lab.postmasterPid > 0) {
            running.append(lab);
            continue;
        }
        labFd.reset();
        QString error;
        if (removeTreeAt(base.get(), name, &error, lab.identity))
            qCDebug(lcStaleLabs) << "removed the stale lab" << lab.path();
        else
            qCWarning(lcStaleLabs).noquote() << "stale lab:" << error;
    }
    return running;
}

bool finishStale(const StaleLab &lab, bool late)
{
    UniqueFd base(
        ::open(QFile::encodeName(lab.baseDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!base.isValid())
        return true;
    FileIdentity identity;
    UniqueFd labFd(openOwnLab(base.get(), lab.name, &identity, nullptr, lab.identity));
    if (!labFd.isValid())
        return true; // gone, or no longer the directory that was checked: not ours to remove
    // The server may already have removed postmaster.pid while it exits: go by the pid signalled.
    if (signalPostmaster(labFd.get(), lab.path(), 0, lab.postmasterPid) > 0) {
        if (!late)
            return false;
        signalPostmaster(labFd.get(), lab.path(), SIGKILL, lab.postmasterPid);
    }
    labFd.reset();
    QString error;
    if (removeTreeAt(base.get(), lab.name, &error, lab.identity))
        qCDebug(lcStaleLabs) << "removed the stale lab" << lab.path();
    else
        qCWarning(lcStaleLabs).noquote() << "stale lab:" << error;
    return true;
}

} // namespace pgtls::lab
