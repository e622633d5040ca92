// SPDX-License-Identifier: MIT
#include "SafeRemove.h"

#include "UniqueFd.h"

#include <QFile>
#include <QList>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace pgtls::lab {

namespace {

constexpr int kMaxDepth = 64;
// Each entry is looked at again when it changes kind between two calls (a file swapped for a
// directory, a directory for a link); a tree that keeps changing is left after this many looks.
constexpr int kMaxAttempts = 4;

class Remover
{
public:
    Remover(QString *error, dev_t device)
        : m_error(error)
        , m_device(device)
    { }

    bool ok() const { return m_ok; }

    // Removes the entry `name` of `dirFd` (shown as `where`). `expected`, when valid, is the
    // directory the entry must be.
    void removeEntry(int dirFd, const QByteArray &name, const QString &where, int depth,
        const FileIdentity &expected = {})
    {
        for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
            struct stat st
            {
            };
            if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno != ENOENT)
                    note(where, errnoText(errno));
                return;
            }
            if (expected.isValid() && (!S_ISDIR(st.st_mode) || FileIdentity::of(st) != expected)) {
                note(where,
                    QStringLiteral("it is no longer the directory that was checked; left "
                                   "alone"));
                return;
            }
            if (!S_ISDIR(st.st_mode)) {
                // A symbolic link is removed itself: unlinkat() never follows it.
                if (::unlinkat(dirFd, name.constData(), 0) == 0 || errno == ENOENT)
                    return;
                if (errno == EISDIR)
                    continue; // swapped for a directory meanwhile
                note(where, errnoText(errno));
                return;
            }
            if (st.st_dev != m_device) {
                note(where, QStringLiteral("another file system is mounted there; not entered"));
                return;
            }
            if (depth >= kMaxDepth) {
                note(where,
                    QStringLiteral("nested deeper than %1 levels; left in place").arg(kMaxDepth));
                return;
            }
            UniqueFd child(::openat(dirFd, name.constData(),
                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC));
            if (!child.isValid()) {
                if (errno == ENOENT)
                    return;
                if (errno == ELOOP || errno == ENOTDIR)
                    continue; // swapped for a link or a file meanwhile: look again
                note(where, errnoText(errno));
                return;
            }
            struct stat opened
            {
            };
            if (::fstat(child.get(), &opened) != 0) {
                note(where, errnoText(errno));
                return;
            }
            if (opened.st_dev != m_device
                || (expected.isValid() && FileIdentity::of(opened) != expected)) {
                note(where, QStringLiteral("it changed while being opened; left alone"));
                return;
            }
            empty(child.get(), where, depth + 1);
            child.reset();
            if (::unlinkat(dirFd, name.constData(), AT_REMOVEDIR) == 0 || errno == ENOENT)
                return;
            if (errno == ENOTDIR)
                continue; // swapped for a link or a file after it was emptied
            note(where, errnoText(errno));
            return;
        }
        note(where, QStringLiteral("it kept changing while being removed"));
    }

private:
    // Removes everything in the directory `fd`, through that descriptor only.
    void empty(int fd, const QString &where, int depth)
    {
        // fdopendir() owns the descriptor it gets; `fd` stays ours for the unlinkat() calls.
        UniqueFd listing(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
        DIR *dir = listing.isValid() ? ::fdopendir(listing.get()) : nullptr;
        if (!dir) {
            note(where, errnoText(errno));
            return;
        }
        listing.release();
        QList<QByteArray> names;
        errno = 0;
        while (const dirent *e = ::readdir(dir)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                names.append(QByteArray(e->d_name));
            errno = 0;
        }
        const int readError = errno;
        ::closedir(dir);
        if (readError != 0)
            note(where, errnoText(readError));
        for (const QByteArray &name : std::as_const(names))
            removeEntry(fd, name, where + QLatin1Char('/') + QFile::decodeName(name), depth);
    }

    void note(const QString &where, const QString &why)
    {
        if (m_ok && m_error)
            *m_error = QStringLiteral("cannot remove %1: %2").arg(where, why);
        m_ok = false;
    }

    static QString errnoText(int err) { return QString::fromLocal8Bit(std::strerror(err)); }

    QString *m_error;
    dev_t m_device;
    bool m_ok = true;
};

bool removeTreeNamed(int parentFd, const QByteArray &name, const QString &shownAs, QString *error,
    const FileIdentity &expected)
{
    if (name.isEmpty() || name == "." || name == ".." || name.contains('/')) {
        if (error)
            *error
                = QStringLiteral("cannot remove \"%1\": not a single directory entry").arg(shownAs);
        return false;
    }
    struct stat parent
    {
    };
    if (::fstat(parentFd, &parent) != 0) {
        if (error)
            *error = QStringLiteral("cannot remove %1: %2")
                         .arg(shownAs, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    // The tree stays on the file system of its parent: nothing mounted inside it is entered.
    Remover remover(error, parent.st_dev);
    remover.removeEntry(parentFd, name, shownAs, 0, expected);
    return remover.ok();
}

} // namespace

bool removeTreeAt(
    int parentFd, const QByteArray &name, QString *error, const FileIdentity &expected)
{
    return removeTreeNamed(parentFd, name, QFile::decodeName(name), error, expected);
}

bool removeTree(const QString &path, QString *error, const FileIdentity &expected)
{
    const QByteArray native = QFile::encodeName(path);
    const qsizetype slash = native.lastIndexOf('/');
    const QByteArray dir = slash < 0 ? QByteArray(".")
        : slash == 0                 ? QByteArray("/")
                                     : native.left(slash);
    UniqueFd parentFd(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!parentFd.isValid()) {
        if (errno == ENOENT)
            return true;
        if (error)
            *error = QStringLiteral("cannot remove %1: %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return removeTreeNamed(parentFd.get(), native.mid(slash + 1), path, error, expected);
}

} // namespace pgtls::lab
