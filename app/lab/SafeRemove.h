// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <sys/stat.h>
#include <sys/types.h>

namespace pgtls::lab {

// Which file a directory entry is (st_dev, st_ino): a path names whatever is there now, an
// identity names the directory we looked at.
struct FileIdentity
{
    dev_t device = 0;
    ino_t inode = 0;

    bool isValid() const { return inode != 0; }
    static FileIdentity of(const struct stat &st) { return { st.st_dev, st.st_ino }; }
    friend bool operator==(const FileIdentity &, const FileIdentity &) = default;
};

// A recursive remove that never follows a symbolic link and never goes by path below `parentFd`:
// the entry `name` is lstat()ed (fstatat AT_SYMLINK_NOFOLLOW); a directory is opened with
// openat(O_DIRECTORY|O_NOFOLLOW), read with fdopendir() and emptied through that descriptor
// (unlinkat, recursing through openat), then unlinkat(AT_REMOVEDIR). Anything else, a symbolic
// link included, is unlinked itself. So a link swapped in at any moment is removed, never
// followed; a directory on another file system (a mount point) is not entered; nesting deeper than
// 64 levels is left in place (a hostile tree cannot exhaust descriptors or the stack).
// When `expected` is valid, the entry must be that very directory (checked on the opened
// descriptor) or nothing is removed. Entries that vanish meanwhile are not an error. Returns false
// with the first failure in *error (when not null), having removed what it could.
bool removeTreeAt(
    int parentFd, const QByteArray &name, QString *error, const FileIdentity &expected = {});

// removeTreeAt() for `path`: its parent directory is opened by path (it is trusted: /tmp, or a
// test's own directory) and only the last component is handled as above.
bool removeTree(const QString &path, QString *error, const FileIdentity &expected = {});

} // namespace pgtls::lab
