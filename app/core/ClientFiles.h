// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"
#include "SafeFile.h"
#include "SslMode.h"

#include <QList>
#include <QString>

namespace pgtls {

// A file that libpq 15 would open itself, with stat() and then OpenSSL's blocking loaders, on the
// thread that drives it (our event loop), and that would hang it or keep it reading: a named pipe
// (opening it waits for a writer for ever), a device (/dev/zero never ends) or a file over the
// bound (ClientFiles::maxBytes()). psql hangs on the same files. A plain value.
struct ClientFileIssue
{
    QString keyword; // "sslrootcert", "sslcert", "sslkey", "sslcrl" or "sslcrldir"
    QString path; // the file libpq would open (for sslcrldir: the file inside the directory)
    bool isDefault = false; // libpq's default under ~/.postgresql, not named by the user
    SafeFileStatus::Kind kind = SafeFileStatus::Kind::Fifo; // Fifo, Device or TooLarge
    qint64 size = -1; // for TooLarge: the file's size
    // In the user's words: what the file is, what libpq would do with it, that no connection is
    // attempted with it, and what to do.
    QString message;
};

// Which files libpq 15's initialize_SSL() (fe-secure-openssl.c) opens, and when:
//  - sslrootcert, or ~/.postgresql/root.crt: whenever TLS is tried (every sslmode but disable;
//    allow only after a plaintext refusal) and stat() finds it; SSL_CTX_load_verify_locations().
//  - only when that root file was found: sslcrl, or (sslcrl and sslcrldir both unset)
//    ~/.postgresql/root.crl, when it exists, and sslcrldir's "<hash>.<n>" and "<hash>.r<n>" files
//    (X509_STORE_load_locations(); the directory is searched during verification).
//  - sslcert, or ~/.postgresql/postgresql.crt, when stat() finds it
//    (SSL_CTX_use_certificate_chain_file()).
//  - only when that certificate was found: sslkey (unless it is "engine:key"), or
//    ~/.postgresql/postgresql.key; libpq itself refuses a key that is not a regular file (no
//    hang), so only a key over the bound is an issue here.
// A directory, a socket or an unreadable file makes libpq fail at once with its own message: that
// is libpq's truth to report, not an issue here.
class ClientFiles
{
public:
    // The issues for an attempt with `e` in `mode` (empty for disable, or when every file is
    // fine). `homeDir` is libpq's home directory (RootCert::libpqHomeDirectory()); empty: no
    // default files. Never blocks: SafeFile::check() (stat(), then an O_NONBLOCK open of regular
    // files only).
    static QList<ClientFileIssue> check(const Endpoint &e, SslMode mode, const QString &homeDir);

    // The size over which a file libpq would open as `keyword` is an issue: SafeFile's 16 MiB,
    // 512 MiB for revocation lists (a large CA's CRL can be tens of MiB, and libpq takes it).
    static qint64 maxBytes(const QString &keyword);
    // The message for one file that libpq would open as `keyword` (see ClientFileIssue::message),
    // `status` from SafeFile::check(path, maxBytes(keyword)); empty when it is not an issue for
    // that keyword (a missing file, a directory, a regular file within the bound...).
    static QString problemText(
        const QString &keyword, const QString &path, bool isDefault, const SafeFileStatus &status);
};

} // namespace pgtls
