// SPDX-License-Identifier: MIT
#include "SafeFile.h"

#include "UniqueFd.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls {

namespace {

SafeFileStatus fromErrno(const QString &path, int err)
{
    SafeFileStatus s;
    s.errorNumber = err;
    if (err == ENOENT || err == ENOTDIR) {
        s.kind = SafeFileStatus::Kind::Missing;
        s.error = QCoreApplication::translate("pgtls::SafeFile", "%1 does not exist").arg(path);
    } else if (err == EACCES || err == EPERM) {
        s.kind = SafeFileStatus::Kind::Unreadable;
        s.error
            = QCoreApplication::translate("pgtls::SafeFile", "%1 cannot be read: permission denied")
                  .arg(path);
    } else if (err == ELOOP) {
        s.kind = SafeFileStatus::Kind::Unreadable;
        s.error = QCoreApplication::translate(
            "pgtls::SafeFile", "%1 cannot be read: too many levels of symbolic links")
                      .arg(path);
    } else {
        s.kind = SafeFileStatus::Kind::Unreadable;
        s.error = QCoreApplication::translate("pgtls::SafeFile", "%1 cannot be read: %2")
                      .arg(path, QString::fromLocal8Bit(std::strerror(err)));
    }
    return s;
}

// What stat()/fstat() found; Regular when it is a regular file within the bound.
SafeFileStatus classify(const QString &path, const struct stat &st, qint64 maxBytes)
{
    SafeFileStatus s;
    s.exists = true;
    if (S_ISDIR(st.st_mode)) {
        s.kind = SafeFileStatus::Kind::Directory;
        s.error = QCoreApplication::translate("pgtls::SafeFile", "%1 is a directory, not a file")
                      .arg(path);
    } else if (S_ISFIFO(st.st_mode)) {
        s.kind = SafeFileStatus::Kind::Fifo;
        s.error = QCoreApplication::translate("pgtls::SafeFile",
            "%1 is a named pipe (FIFO), not a file: reading it would wait for a writer "
            "for ever")
                      .arg(path);
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        s.kind = SafeFileStatus::Kind::Device;
        s.error = QCoreApplication::translate(
            "pgtls::SafeFile", "%1 is a device, not a file: it may never end")
                      .arg(path);
    } else if (S_ISSOCK(st.st_mode)) {
        s.kind = SafeFileStatus::Kind::Socket;
        s.error = QCoreApplication::translate("pgtls::SafeFile", "%1 is a socket, not a file")
                      .arg(path);
    } else if (!S_ISREG(st.st_mode)) {
        s.kind = SafeFileStatus::Kind::Device;
        s.error
            = QCoreApplication::translate("pgtls::SafeFile", "%1 is not a regular file").arg(path);
    } else if (st.st_size > maxBytes) {
        s.kind = SafeFileStatus::Kind::TooLarge;
        s.size = st.st_size;
        s.error = QCoreApplication::translate(
            "pgtls::SafeFile", "%1 is %2 bytes, over the limit of %3 bytes for such a file")
                      .arg(path, QString::number(qint64(st.st_size)), QString::number(maxBytes));
    } else {
        s.kind = SafeFileStatus::Kind::Regular;
        s.size = st.st_size;
    }
    return s;
}

SafeFileStatus symLink(const QString &path)
{
    SafeFileStatus s;
    s.exists = true;
    s.kind = SafeFileStatus::Kind::SymLink;
    s.errorNumber = ELOOP;
    s.error = QCoreApplication::translate("pgtls::SafeFile", "%1 is a symbolic link (to %2)")
                  .arg(path, QFileInfo(path).symLinkTarget());
    return s;
}

SafeFileStatus openAndClassify(
    const QString &path, qint64 maxBytes, bool readContents, SafeFile::Links links)
{
    const bool follow = links == SafeFile::Links::Follow;
    if (path.isEmpty()) {
        SafeFileStatus s;
        s.kind = SafeFileStatus::Kind::Missing;
        s.errorNumber = ENOENT;
        s.error = QCoreApplication::translate("pgtls::SafeFile", "no file name was given");
        return s;
    }
    const QByteArray name = QFile::encodeName(path);
    // A look at the path first, so that devices and FIFOs are never even opened (opening some
    // devices has effects of its own); what is then opened is checked again through fstat().
    struct stat st;
    if ((follow ? ::stat(name.constData(), &st) : ::lstat(name.constData(), &st)) != 0)
        return fromErrno(path, errno);
    if (S_ISLNK(st.st_mode))
        return symLink(path);
    // Devices, FIFOs and sockets are described from stat() alone, never opened.
    if (!S_ISREG(st.st_mode))
        return classify(path, st, maxBytes);
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    // O_NOFOLLOW: a link swapped in since lstat() is refused (ELOOP), not followed.
    UniqueFd fd(::open(name.constData(),
        O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
    if (fd.get() < 0) {
        const int err = errno;
        if (err == ELOOP && !follow)
            return symLink(path);
        if (err == EISDIR) {
            SafeFileStatus s;
            s.exists = true;
            s.kind = SafeFileStatus::Kind::Directory;
            s.errorNumber = err;
            s.error
                = QCoreApplication::translate("pgtls::SafeFile", "%1 is a directory, not a file")
                      .arg(path);
            return s;
        }
        SafeFileStatus s = fromErrno(path, err);
        s.exists = true; // stat() found it: opening it failed (permission denied, most often)
        return s;
    }
    struct stat opened;
    if (::fstat(fd.get(), &opened) != 0) {
        SafeFileStatus failed = fromErrno(path, errno);
        failed.exists = true;
        return failed;
    }
    // What was opened is judged again: the path may have been swapped since stat().
    SafeFileStatus s = classify(path, opened, maxBytes);
    if (!s.ok() || !readContents)
        return s;

    // Regular file: back to blocking reads (O_NONBLOCK means nothing for regular files, but a
    // file system may honour it), through the descriptor just checked.
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0)
        ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    QByteArray data;
    data.reserve(int(qMin<qint64>(s.size, maxBytes)) + 1);
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            SafeFileStatus failed = fromErrno(path, errno);
            failed.exists = true;
            return failed;
        }
        if (n == 0)
            break;
        if (data.size() + n > maxBytes) {
            SafeFileStatus big;
            big.exists = true;
            big.kind = SafeFileStatus::Kind::TooLarge;
            big.size = data.size() + n;
            big.error = QCoreApplication::translate(
                "pgtls::SafeFile", "%1 grew over the limit of %2 bytes while being read")
                            .arg(path, QString::number(maxBytes));
            return big;
        }
        data.append(buffer, int(n));
    }
    s.data = data;
    s.size = data.size();
    return s;
}

} // namespace

QString SafeFileStatus::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Regular:
        return QStringLiteral("regular");
    case Kind::Missing:
        return QStringLiteral("missing");
    case Kind::Directory:
        return QStringLiteral("directory");
    case Kind::Fifo:
        return QStringLiteral("fifo");
    case Kind::Device:
        return QStringLiteral("device");
    case Kind::Socket:
        return QStringLiteral("socket");
    case Kind::TooLarge:
        return QStringLiteral("too-large");
    case Kind::Unreadable:
        return QStringLiteral("unreadable");
    case Kind::SymLink:
        return QStringLiteral("symlink");
    }
    return QString();
}

SafeFileStatus SafeFile::check(const QString &path, qint64 maxBytes, Links links)
{
    return openAndClassify(path, maxBytes, false, links);
}

SafeFileStatus SafeFile::read(const QString &path, qint64 maxBytes, Links links)
{
    return openAndClassify(path, maxBytes, true, links);
}

} // namespace pgtls
