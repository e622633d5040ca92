// SPDX-License-Identifier: MIT
#pragma once

#include "SafeFile.h"
#include "SslMode.h"

#include <QString>

namespace pgtls {

// libpq 15's sslrootcert semantics (initialize_SSL in fe-secure-openssl.c): which file is used,
// whether it exists, and so whether the server certificate is verified at all.
struct RootCertResolution
{
    QString path;            // the file libpq would load (explicit or ~/.postgresql/root.crt); empty when no home dir
    bool isDefault = false;  // path came from the default, not from sslrootcert
    bool exists = false;     // stat() succeeded (a directory counts: libpq then fails to read it)
    bool verifies = false;   // libpq will verify the chain (file exists and sslmode tries TLS)
    bool checksHostName = false; // verify-full
    QString error;           // libpq's message when the connection cannot even start (verify-* without a file)
    // What the file is (SafeFile::check(): stat(), and an O_NONBLOCK open of a regular file only;
    // never blocks): Regular, Missing, Fifo, Device, TooLarge...
    SafeFileStatus::Kind fileKind = SafeFileStatus::Kind::Missing;
    // Non-empty when the file exists but libpq would hang on it or read it without end (a FIFO, a
    // device, a file over SafeFile's bound): ClientFiles::problemText() for sslrootcert, in the
    // user's words. libpq must not be started with it (see ClientFiles::check()).
    QString fileProblem;
};

class RootCert
{
public:
    // `homeDir` is the home directory libpq would use (see libpqHomeDirectory());
    // pass an empty string to simulate "no home directory".
    static RootCertResolution resolve(SslMode mode, const QString &sslrootcert, const QString &homeDir);
    // The home directory libpq uses: $HOME when set and not empty (as Debian's libpq 15 does, checked
    // against psql), else the password database entry of the effective user.
    static QString libpqHomeDirectory();
};

} // namespace pgtls
