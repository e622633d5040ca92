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
    CaBundle bundle; // what it holds, loaded (bundle.error says why not); empty when !exists
};

// The outcome of RootCertInstaller::install(). A plain value.
struct RootCertInstallResult
{
    enum class Status {
        Installed, // the file was written (created, or replaced after a backup)
        Unchanged, // the installed file already had exactly these bytes; nothing was touched
        Refused, // the bundle did not load (bundle.errorCode), or the target is not a file
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
// existing different file (root.crt.bak-YYYYMMDD-HHMMSS in local time, never overwriting an earlier
// backup), writes atomically (QSaveFile) with mode 0644, and creates ~/.postgresql with mode 0700
// when missing. Synchronous: it writes at most two small files.
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
