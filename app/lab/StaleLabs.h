// SPDX-License-Identifier: MIT
#pragma once

#include "SafeRemove.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <sys/types.h>

namespace pgtls::lab {

// Cleaning up the labs of owners that died without removing them (killed, crashed), so that /tmp
// does not fill with clusters and no orphaned server keeps a port. Every lab start does it once.
//
// Whose labs. A candidate is an entry of the base directory (/tmp) whose name starts with the
// prefix ("pgtls-lab-") and that is a directory owned by our effective uid, as seen by lstat
// (fstatat with AT_SYMLINK_NOFOLLOW) and again by fstat() on the descriptor opened with
// O_DIRECTORY|O_NOFOLLOW (same device and inode). Lab creates that top-level directory with
// mkdtemp() as the effective user and never hands it away: as root, it stays root's (group
// `postgres`, mode 01770, so that the server can create its socket and data/ there, while the
// sticky bit keeps it from renaming or replacing root's files); only data/ and pki/ inside belong
// to `postgres`. So the owner of the top-level directory is the user whose lab it is, and that is
// the whole rule: a lab of another user is never touched, root included (root does not clean a
// user's labs, and not the labs of versions before this rule, whose top-level directory root had
// given to `postgres`). A symbolic link named like a lab is neither followed nor removed.
//
// When it is stale. owner.pid in the lab (a regular file owned by us, read through the lab's
// descriptor with O_NOFOLLOW) holds "PID STARTTIME"; the lab is stale when that process is gone
// or the pid now belongs to a process with another start time. A lab without a readable owner.pid
// is stale once its directory is 60 s old (a lab between mkdtemp and owner.pid looks like that).
//
// Its server. data/postmaster.pid (read below data/ opened with O_NOFOLLOW) names the
// postmaster's pid; that process is signalled only when isPostmasterOf() holds, through a pidfd
// taken before the check, so the process checked is the process signalled. Any other process,
// whatever its command line, is left alone, and the lab is then removed at once.
//
// Removal goes through removeTreeAt() from a descriptor of the base directory, with the identity
// seen when the lab was checked: a lab swapped for another directory or a link is left alone.

// A process that exists and is not a zombie (kill(pid, 0) succeeds on zombies, which a container
// without a reaping init may keep around).
bool processAlive(pid_t pid);

// Field 22 of /proc/PID/stat (start time in clock ticks since boot): together with the pid it
// names a process unambiguously, so a reused pid does not keep a stale lab alive. Empty if unknown.
QByteArray processStartTime(pid_t pid);

// True only when `pid` runs as the postmaster of exactly the data directory `dataDirPath`, which
// the caller opened as `dataDirFd`: its command line (/proc/PID/cmdline, split at its NULs) has
// the argument "-D" followed by exactly that path (or "-DPATH"), and its working directory
// (/proc/PID/cwd: a postmaster chdir()s into its data directory) is that very directory (same
// device and inode as dataDirFd). A command line that merely contains the path, or names a longer
// path that it is a prefix of, does not match; nor does a process that only sits in the directory.
bool isPostmasterOf(pid_t pid, int dataDirFd, const QString &dataDirPath);

// A stale lab whose postmaster was running: it has been sent SIGQUIT (immediate shutdown: the data
// are throw-away), and the directory is removed once the server is gone.
struct StaleLab
{
    QString baseDir;
    QByteArray name; // the entry in baseDir
    FileIdentity identity; // the directory that was checked
    pid_t postmasterPid = 0;

    QString path() const;
};

// Looks at every candidate in `baseDir` once (see above): a stale lab without a running server is
// removed now; a stale lab with one is signalled and returned, to be finished with finishStale().
QList<StaleLab> sweepStaleLabs(const QString &baseDir, const QString &prefix);

// For a lab from sweepStaleLabs(): false while its server still runs (still matching
// isPostmasterOf()) and `late` is false. Otherwise SIGKILLs a server still running (only on that
// exact match), removes the directory (only if it is still the one checked) and returns true.
bool finishStale(const StaleLab &lab, bool late);

} // namespace pgtls::lab
