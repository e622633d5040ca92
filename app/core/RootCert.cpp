// SPDX-License-Identifier: MIT
#include "RootCert.h"

#include "ClientFiles.h"

#include <QCoreApplication>

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace pgtls {

RootCertResolution RootCert::resolve(SslMode mode, const QString &sslrootcert, const QString &homeDir)
{
    RootCertResolution r;
    // libpq checks the host name only under verify-full (and only after the chain verified).
    r.checksHostName = mode == SslMode::VerifyFull;
    if (!sslrootcert.isEmpty()) {
        r.path = sslrootcert;
    } else if (!homeDir.isEmpty()) {
        r.path = homeDir + QStringLiteral("/.postgresql/root.crt");
        r.isDefault = true;
    }
    // libpq uses stat(): anything that exists (even a directory) counts as present.
    if (!r.path.isEmpty()) {
        const SafeFileStatus file = SafeFile::check(r.path);
        r.exists = file.exists;
        r.fileKind = file.kind;
        r.fileProblem = ClientFiles::problemText(
            QStringLiteral("sslrootcert"), r.path, r.isDefault, file);
    }
    if (mode == SslMode::Disable)
        return r;
    if (r.exists) {
        // Under require (and prefer/allow) an existing root file turns verification on, as in libpq.
        r.verifies = true;
        return r;
    }
    if (sslModeRequiresRootCert(mode)) {
        if (r.path.isEmpty()) {
            r.error = QCoreApplication::translate(
                "pgtls::RootCert",
                "could not get home directory to locate root certificate file\n"
                "Either provide the file or change sslmode to disable server certificate verification.");
        } else {
            r.error = QCoreApplication::translate(
                          "pgtls::RootCert",
                          "root certificate file \"%1\" does not exist\n"
                          "Either provide the file or change sslmode to disable server certificate verification.")
                          .arg(r.path);
        }
    }
    return r;
}

QString RootCert::libpqHomeDirectory()
{
    // Debian's libpq 15 (as later upstream releases) takes $HOME first, then the password database.
    const QByteArray home = qgetenv("HOME");
    if (!home.isEmpty())
        return QString::fromLocal8Bit(home);
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    if (size <= 0)
        size = 16384;
    std::vector<char> buf(static_cast<size_t>(size));
    struct passwd pwd;
    struct passwd *result = nullptr;
    if (getpwuid_r(geteuid(), &pwd, buf.data(), buf.size(), &result) != 0 || !result)
        return {};
    return QString::fromLocal8Bit(result->pw_dir);
}

} // namespace pgtls
