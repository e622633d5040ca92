// SPDX-License-Identifier: MIT
#pragma once

#include "CaBundle.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace pgtls {

// What libpq uses by default when sslrootcert is not given: ~/.postgresql/root.crt.
struct InstalledRootCert
{
    QString path; // <home>/.postgresql/root.crt; empty when there is no home directory
    bool exists = false; // something is there (a directory counts, as for libpq)
    // Non-empty when root.crt is a symbolic link: where it points (libpq reads the target;
    // install() refuses to write through it).
    QString linkTarget;
    CaBundle bundle; // what it holds, loaded (bundle.error says why not); empty when !exists
};

// The outcome of RootCertInstaller::install(). A plain value.
struct RootCertInstallResult
{
    enum class Status {
        Installed, // the file was written (created, or replaced after a backup)
        Unchanged, // the installed file already had exactly these bytes; nothing was touched
        Refused, // the bundle did not load (bundle.errorCode), or root.crt is not a regular file
                 // (a symbolic link is refused too: its target is never written)
        Failed, // an I/O error (no home, cannot create ~/.postgresql, cannot write or back up)
    };
    Status status = Status::Failed;
    QString path; // the root.crt written (or that would have been)
    QString backupPath; // the backup of the previous, different file; empty when none was made
    bool createdDirectory = false; // ~/.postgresql was created (0700)
    CaBundle bundle; // the bundle that was to be installed, as loaded
    QStringList warnings; // bundle.warnings() for no endpoint, at `now`
    QString message; // what was done, in the user's words (or why not)
    bool ok() const { return status == Status::Installed || status == Status::Unchanged; }
};

// Shows and replaces libpq's default root certificate file. Installing keeps a backup of an
// existing different file (root.crt.bak-YYYYMMDD-HHMMSS in local time, created with O_EXCL: never
// overwriting an earlier backup, never following a link planted at that name), writes atomically
// (a new 0644 file beside it, renamed over root.crt), and creates ~/.postgresql with mode 0700
// when missing. When root.crt is a symbolic link, install() refuses (Refused, the message names
// the link and its target and says what to do): writing through it would overwrite the target,
// and replacing the link would silently undo the user's own arrangement. Every file is read once
// through SafeFile (a FIFO or a device is refused, never read). Synchronous: it writes at most
// two small files.
class RootCertInstaller
{
public:
    // `homeDir`: the home directory libpq uses; defaults to RootCert::libpqHomeDirectory(). Tests
    // pass a temporary directory.
    RootCertInstaller();
    explicit RootCertInstaller(const QString &homeDir);

    QString homeDirectory() const { return m_home; }
    QString targetPath() const; // empty when there is no home directory
    InstalledRootCert current() const;

    // Installs the bundle file at `bundlePath`. PEM files are written byte for byte (so their
    // SHA-256 still matches the published one); PKCS#7 and DER are converted to PEM, which is all
    // libpq reads.
    RootCertInstallResult install(
        const QString &bundlePath, const QDateTime &now = QDateTime::currentDateTime()) const;
    // The same for bytes in memory (a download or the built-in snapshot); `name` is used in
    // messages.
    RootCertInstallResult install(const QByteArray &data, const QString &name,
        const QDateTime &now = QDateTime::currentDateTime()) const;

private:
    RootCertInstallResult installBundle(const CaBundle &bundle, const QByteArray &data,
        const QString &name, const QDateTime &now) const;
    QString m_home;
};

} // namespace pgtls
