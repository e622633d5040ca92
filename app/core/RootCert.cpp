// SPDX-License-Identifier: MIT
#include "RootCert.h"

#include "ClientFiles.h"
#include "OpenSslUtil.h"

#include <QCoreApplication>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace pgtls {

namespace {


QString couldNotRead(const QString &path, const QString &reason)
{
    // libpq's own words (not translated by us: libpq's catalogue does that).
    return QStringLiteral("could not read root certificate file \"%1\": %2").arg(path, reason);
}

// What SSL_CTX_load_verify_locations(ctx, file, NULL) makes of the file's bytes (OpenSSL 3's
// X509_load_cert_crl_file_ex(): every PEM certificate and CRL of the file; none is an error).
// Returns libpq's message when loading fails, else an empty string; `certificates` gets the count.
QString loadError(const QString &path, const QByteArray &data, int *certificates)
{
    *certificates = 0;
    ERR_clear_error();
    ossl::BioPtr in(BIO_new_mem_buf(data.constData(), int(data.size())));
    if (!in)
        return couldNotRead(path, ossl::sslErrMessage(ERR_get_error()));
    STACK_OF(X509_INFO) *inf = PEM_X509_INFO_read_bio_ex(
        in.get(), nullptr, nullptr, const_cast<char *>(""), nullptr, nullptr);
    if (!inf) {
        const unsigned long e = ERR_get_error();
        ERR_clear_error();
        return couldNotRead(
            path, ossl::sslErrMessage(e ? e : ERR_PACK(ERR_LIB_X509, 0, ERR_R_PEM_LIB)));
    }
    int crls = 0;
    for (int i = 0; i < sk_X509_INFO_num(inf); i++) {
        const X509_INFO *item = sk_X509_INFO_value(inf, i);
        if (item->x509)
            ++*certificates;
        if (item->crl)
            ++crls;
    }
    sk_X509_INFO_pop_free(inf, X509_INFO_free);
    ERR_clear_error();
    if (*certificates + crls == 0)
        return couldNotRead(
            path, ossl::sslErrMessage(ERR_PACK(ERR_LIB_X509, 0, X509_R_NO_CERTIFICATE_OR_CRL_FOUND)));
    return {};
}

// Looks at the file once: stat() (through SafeFile, never blocking), and for a regular file within
// the bound, one read and the load libpq would do.
RootCertResolution lookAt(
    const QString &sslrootcert, const QString &homeDir, RootCert::Contents contents)
{
    RootCertResolution r;
    if (!sslrootcert.isEmpty()) {
        r.path = sslrootcert;
    } else if (!homeDir.isEmpty()) {
        r.path = homeDir + QStringLiteral("/.postgresql/root.crt");
        r.isDefault = true;
    }
    if (r.path.isEmpty())
        return r;
    // libpq uses stat(): anything that exists (even a directory) counts as present.
    const qint64 bound = ClientFiles::maxBytes(QStringLiteral("sslrootcert"));
    SafeFileStatus file = contents == RootCert::Contents::Load ? SafeFile::read(r.path, bound)
                                                               : SafeFile::check(r.path, bound);
    r.exists = file.exists;
    r.fileKind = file.kind;
    r.fileProblem
        = ClientFiles::problemText(QStringLiteral("sslrootcert"), r.path, r.isDefault, file);
    using Kind = SafeFileStatus::Kind;
    switch (file.kind) {
    case Kind::Regular:
        if (contents == RootCert::Contents::Load)
            r.loadError = loadError(r.path, file.data, &r.certificates);
        break;
    case Kind::Directory:
        // OpenSSL's file loader reads nothing from a directory (checked with psql 15).
        r.loadError = couldNotRead(r.path,
            ossl::sslErrMessage(ERR_PACK(ERR_LIB_X509, 0, X509_R_NO_CERTIFICATE_OR_CRL_FOUND)));
        break;
    case Kind::Unreadable:
    case Kind::Socket:
        // OpenSSL's fopen() fails (permission denied, no such device or address) and queues a
        // system error, for which Debian's libpq 15 prints an empty reason (its SSLerrmessage()
        // hands the error to GNU strerror_r(), which returns its text instead of filling the
        // buffer): psql 15.18 says `could not read root certificate file "X": ` and no more.
        if (file.exists)
            r.loadError = couldNotRead(r.path, QString());
        break;
    case Kind::Missing:
    case Kind::Fifo:
    case Kind::Device:
    case Kind::TooLarge:
    case Kind::SymLink: // not with Links::Follow
        break;
    }
    file.data.fill('\0');
    return r;
}

} // namespace

QString RootCertResolution::stateName() const
{
    if (path.isEmpty())
        return QStringLiteral("none");
    if (!exists)
        return QStringLiteral("missing");
    if (!fileProblem.isEmpty())
        return QStringLiteral("unsafe");
    if (!loadError.isEmpty())
        return QStringLiteral("unusable");
    return QStringLiteral("usable");
}

RootCertResolution RootCert::resolve(
    SslMode mode, const QString &sslrootcert, const QString &homeDir, Contents contents)
{
    return forMode(mode, lookAt(sslrootcert, homeDir, contents));
}

RootCertResolution RootCert::forMode(SslMode mode, const RootCertResolution &file)
{
    RootCertResolution r = file;
    r.verifies = false;
    r.error.clear();
    // libpq checks the host name only under verify-full (and only after the chain verified).
    r.checksHostName = mode == SslMode::VerifyFull;
    if (mode == SslMode::Disable)
        return r;
    if (r.exists) {
        // Under require (and prefer/allow) an existing root file turns verification on, as in
        // libpq; a file it cannot load makes TLS fail before the handshake (tlsStartError()).
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
