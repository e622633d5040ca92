// SPDX-License-Identifier: MIT
#pragma once

#include "SafeFile.h"
#include "SslMode.h"

#include <QString>

namespace pgtls {

// libpq 15's sslrootcert semantics (initialize_SSL in fe-secure-openssl.c): which file is used,
// whether it exists, whether libpq can load it, and so whether the server certificate is verified
// at all. Checked against psql 15:
//  - stat() fails (a typo in sslrootcert, or no ~/.postgresql/root.crt): verify-ca/verify-full
//    fail with "root certificate file "X" does not exist"; allow, prefer and require connect
//    without any certificate check.
//  - the file exists: libpq loads it in every mode that uses TLS (require too, which then behaves
//    like verify-ca). When SSL_CTX_load_verify_locations() fails (no certificate in it, a
//    directory, unreadable) libpq fails with "could not read root certificate file "X": ...",
//    before the handshake; under prefer it then retries without TLS, under allow that failure only
//    comes when the server refused the plaintext attempt.
struct RootCertResolution
{
    QString path;            // the file libpq would load (explicit or ~/.postgresql/root.crt); empty when no home dir
    bool isDefault = false;  // path came from the default, not from sslrootcert
    bool exists = false;     // stat() succeeded (a directory counts: libpq then fails to read it)
    // libpq uses the file (it exists and the sslmode tries TLS): it verifies the chain with it, or
    // fails before the handshake when loadError is set.
    bool verifies = false;
    bool checksHostName = false; // verify-full
    // libpq's message when the connection cannot even start: verify-* without a file (see
    // tlsStartError() for a file that exists and cannot be loaded too).
    QString error;
    // What the file is (SafeFile: stat(), and an O_NONBLOCK open of a regular file only; never
    // blocks): Regular, Missing, Directory, Fifo, Device, TooLarge, Unreadable...
    SafeFileStatus::Kind fileKind = SafeFileStatus::Kind::Missing;
    // Non-empty when the file exists but libpq would hang on it or read it without end (a FIFO, a
    // device, a file over SafeFile's bound): ClientFiles::problemText() for sslrootcert, in the
    // user's words. libpq must not be started with it (see ClientFiles::check()).
    QString fileProblem;
    // The file exists, is not one of fileProblem's, and libpq's SSL_CTX_load_verify_locations()
    // would fail on it: libpq's words, "could not read root certificate file "X": no certificate
    // or crl found" (a file without PEM certificates, a directory) or the system error (not
    // readable). Whatever the sslmode.
    QString loadError;
    int certificates = -1;   // PEM certificates libpq would load from it; -1 when it was not read

    // libpq's message when TLS cannot even start in this sslmode: error, or loadError when libpq
    // uses the file (every mode but disable). Empty when TLS can start.
    QString tlsStartError() const { return !error.isEmpty() ? error : verifies ? loadError : QString(); }
    // The user named the file (sslrootcert), as opposed to libpq's default.
    bool named() const { return !isDefault && !path.isEmpty(); }
    // libpq can load the file: it exists, and neither fileProblem nor loadError is set.
    bool usable() const { return exists && fileProblem.isEmpty() && loadError.isEmpty(); }
    // In English, for JSON: "missing", "usable", "unusable" (loadError), "unsafe" (fileProblem),
    // "none" (no path at all: no home directory).
    QString stateName() const;
};

class RootCert
{
public:
    // `homeDir` is the home directory libpq would use (see libpqHomeDirectory());
    // pass an empty string to simulate "no home directory". Looks at the file (once) and resolves
    // it for `mode`. Load reads a regular file within the bound and loads it as libpq would
    // (loadError, certificates); StatOnly only looks at what it is (for a field being typed in).
    enum class Contents { Load, StatOnly };
    static RootCertResolution resolve(SslMode mode, const QString &sslrootcert,
        const QString &homeDir, Contents contents = Contents::Load);
    // The same file, resolved for another sslmode without looking at it again (the matrix: one
    // stat() and one read per inspection, not one per mode).
    static RootCertResolution forMode(SslMode mode, const RootCertResolution &file);
    // The home directory libpq uses: $HOME when set and not empty (as Debian's libpq 15 does, checked
    // against psql), else the password database entry of the effective user.
    static QString libpqHomeDirectory();
};

} // namespace pgtls
