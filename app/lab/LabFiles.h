// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include <sys/types.h>

namespace pgtls::lab {

// The lab's only file writer and reader. When the lab runs as root, the server's directories
// (data/, pki/) belong to the `postgres` user, who could plant a file or a symbolic link where root
// is about to write, or swap a directory for a link. So every call here:
//   - opens the parent directory of `path` with O_DIRECTORY|O_NOFOLLOW (a parent that is itself a
//     symbolic link is refused; the directories above it are the lab's own or /tmp);
//   - works below that descriptor only (openat, renameat, unlinkat), never by path again;
//   - creates files with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC and the final mode from the first
//     byte on (a key never exists, even for a moment, with a wider mode), then fchmod()s and
//     fchown()s through that descriptor.
// A file, a symbolic link (dangling or not) or anything else already at the target makes a write
// fail with "cannot write PATH: ... already exists ..." in *error; nothing is written through it.

// Creates `path` with `data` and `mode`; chowns it to `uid`/`gid` when `chown` is true. Returns
// false with "cannot write PATH: reason" in *error (when not null); a half-written file is removed.
bool writeFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error,
    bool chown = false, uid_t uid = 0, gid_t gid = 0);

// Replaces `path` in one step, so that a reader (a server reload) never sees half a file: creates
// PATH.new as writeFileWithMode() does, then renameat()s it over `path` within the same parent
// descriptor (whatever was at `path`, a symbolic link included, is replaced, never followed). A
// PATH.new already there makes it fail; on any failure PATH.new is removed and `path` is unchanged.
bool replaceFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error,
    bool chown = false, uid_t uid = 0, gid_t gid = 0);

// At most `maxBytes` of the regular file `path`, read through a descriptor opened with O_NOFOLLOW
// and O_NONBLOCK below a parent opened as above (a link, a FIFO or a device is refused without
// blocking). nullopt with "cannot read PATH: reason" in *error (when not null) otherwise.
std::optional<QByteArray> readFileNoFollow(
    const QString &path, qint64 maxBytes, QString *error = nullptr);

// open(path, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC): -1 (errno set) for anything but a real
// directory. The caller closes the descriptor.
int openDirectoryNoFollow(const QString &path);

} // namespace pgtls::lab
