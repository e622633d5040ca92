// SPDX-License-Identifier: MIT
#include "LabFiles.h"

#include "UniqueFd.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls::lab {

namespace {

using Fd = UniqueFd;

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

// `path` split into the parent directory, opened with O_NOFOLLOW, and the last component.
struct Parent
{
    Fd fd;
    QByteArray name;
    int error = 0;
};

void openParent(const QString &path, Parent *p)
{
    const QByteArray native = QFile::encodeName(path);
    const qsizetype slash = native.lastIndexOf('/');
    const QByteArray dir = slash < 0 ? QByteArray(".")
        : slash == 0                 ? QByteArray("/")
                                     : native.left(slash);
    p->name = native.mid(slash + 1);
    if (p->name.isEmpty() || p->name == "." || p->name == "..") {
        p->error = EINVAL;
        return;
    }
    p->fd.reset(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (p->fd.get() >= 0)
        return;
    p->error = errno;
    // O_DIRECTORY|O_NOFOLLOW on a link to a directory says ENOTDIR: name the real reason.
    struct stat st
    {
    };
    if (p->error == ENOTDIR && ::lstat(dir.constData(), &st) == 0 && S_ISLNK(st.st_mode))
        p->error = ELOOP;
}

QString reason(int err)
{
    if (err == EEXIST)
        return QStringLiteral("something (a file or a symbolic link) already exists there; the lab "
                              "creates its files itself and never writes through one");
    if (err == ELOOP)
        return QStringLiteral("a symbolic link is on the way; the lab never follows one");
    return errnoText(err);
}

// Creates `name` below `dirFd` exclusively and writes `data`; returns 0 or the errno. A file this
// call created but could not finish is removed again.
int createExclusive(int dirFd, const QByteArray &name, const QByteArray &data, mode_t mode,
    bool chown, uid_t uid, gid_t gid)
{
    Fd fd(::openat(dirFd, name.constData(),
        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode));
    if (fd.get() < 0)
        return errno;
    // The umask may have narrowed the mode: set it exactly, through the descriptor.
    int err = 0;
    if (::fchmod(fd.get(), mode) != 0 || (chown && ::fchown(fd.get(), uid, gid) != 0))
        err = errno;
    qsizetype done = 0;
    while (err == 0 && done < data.size()) {
        const ssize_t n = ::write(fd.get(), data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            err = n < 0 ? errno : EIO;
        else
            done += n;
    }
    if (!fd.close() && err == 0)
        err = errno;
    if (err != 0)
        ::unlinkat(dirFd, name.constData(), 0);
    return err;
}

} // namespace

int openDirectoryNoFollow(const QString &path)
{
    return ::open(
        QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

bool writeFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error,
    bool chown, uid_t uid, gid_t gid)
{
    Parent parent;
    openParent(path, &parent);
    const int err = parent.error != 0
        ? parent.error
        : createExclusive(parent.fd.get(), parent.name, data, mode, chown, uid, gid);
    if (err != 0 && error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, reason(err));
    return err == 0;
}

bool replaceFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error,
    bool chown, uid_t uid, gid_t gid)
{
    Parent parent;
    openParent(path, &parent);
    const QByteArray tmpName = parent.name + ".new";
    int err = parent.error;
    if (err == 0)
        err = createExclusive(parent.fd.get(), tmpName, data, mode, chown, uid, gid);
    if (err != 0) {
        if (error)
            *error = QStringLiteral("cannot write %1.new: %2").arg(path, reason(err));
        return false;
    }
    if (::renameat(parent.fd.get(), tmpName.constData(), parent.fd.get(), parent.name.constData())
        != 0) {
        err = errno;
        ::unlinkat(parent.fd.get(), tmpName.constData(), 0);
        if (error)
            *error = QStringLiteral("cannot replace %1: %2").arg(path, errnoText(err));
        return false;
    }
    return true;
}

std::optional<QByteArray> readFileNoFollow(const QString &path, qint64 maxBytes, QString *error)
{
    auto failWith = [&](const QString &why) -> std::optional<QByteArray> {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, why);
        return std::nullopt;
    };
    Parent parent;
    openParent(path, &parent);
    if (parent.error != 0)
        return failWith(reason(parent.error));
    Fd fd(::openat(parent.fd.get(), parent.name.constData(),
        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0)
        return failWith(reason(errno));
    struct stat st
    {
    };
    if (::fstat(fd.get(), &st) != 0)
        return failWith(errnoText(errno));
    if (!S_ISREG(st.st_mode))
        return failWith(QStringLiteral("not a regular file"));
    QByteArray data;
    char buf[8192];
    while (data.size() < maxBytes) {
        const qint64 want = qMin<qint64>(qint64(sizeof buf), maxBytes - data.size());
        const ssize_t n = ::read(fd.get(), buf, size_t(want));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return failWith(errnoText(errno));
        if (n == 0)
            break;
        data.append(buf, n);
    }
    return data;
}

} // namespace pgtls::lab
