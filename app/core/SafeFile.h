// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace pgtls {

// Files the user names (a CA bundle, sslrootcert, a client key, a service file) and libpq's default
// files are untrusted: they may be a FIFO (opening it waits for a writer for ever), a device
// (/dev/zero never ends), a symbolic link swapped between a check and a use, or simply huge.
// SafeFile looks at a path once and reads it through the very descriptor it checked: opened with
// O_NONBLOCK (a FIFO open returns at once) and O_NOCTTY, fstat()ed, accepted only as a regular
// file within a size bound, then read. Nothing here blocks on a FIFO or reads without bound.
struct SafeFileStatus
{
    enum class Kind {
        Regular,      // a regular file within the bound (data holds its bytes after read())
        Missing,      // no such file (ENOENT; a dangling symbolic link included)
        Directory,
        Fifo,         // a named pipe
        Device,       // a character or block device (/dev/zero, /dev/tty...)
        Socket,
        TooLarge,     // a regular file over the bound
        Unreadable,   // permission denied, a directory on the way not searchable, an I/O error
        SymLink,      // a symbolic link, with Links::DoNotFollow only
    };
    Kind kind = Kind::Missing;
    // stat() found something at the path (what libpq's own stat() test sees: a FIFO, a directory
    // or an unreadable file "exists" for libpq, a dangling link does not).
    bool exists = false;
    qint64 size = -1;       // fstat()'s size for a regular file
    int errorNumber = 0;    // errno of the failing call, when one failed
    QByteArray data;        // the contents, for read() of a Regular file
    QString error;          // a specific sentence for every Kind but Regular (names the path)

    bool ok() const { return kind == Kind::Regular; }
    // A name for the kind: "regular", "missing", "directory", "fifo", "device", "socket",
    // "too-large", "unreadable", "symlink".
    static QString kindName(Kind kind);
};

class SafeFile
{
public:
    // The default bound: far above any CA bundle, certificate, key or service file.
    static constexpr qint64 kDefaultMaxBytes = 16 * 1024 * 1024;

    // Follow: a symbolic link is looked through (as libpq and OpenSSL do). DoNotFollow: a link at
    // `path` itself is Kind::SymLink, never opened (lstat() and O_NOFOLLOW), for a file about to
    // be replaced (RootCertInstaller).
    enum class Links { Follow, DoNotFollow };

    // What `path` is, without reading it (open(O_NONBLOCK) + fstat(); never blocks on a FIFO).
    static SafeFileStatus check(
        const QString &path, qint64 maxBytes = kDefaultMaxBytes, Links links = Links::Follow);
    // check(), then the whole contents read through the same descriptor (at most maxBytes; a file
    // that grew beyond the bound while being read is TooLarge).
    static SafeFileStatus read(
        const QString &path, qint64 maxBytes = kDefaultMaxBytes, Links links = Links::Follow);
};

} // namespace pgtls
