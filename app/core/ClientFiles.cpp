// SPDX-License-Identifier: MIT
#include "ClientFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>

namespace pgtls {

namespace {

// At most this many files of an sslcrldir are looked at (a CRL directory holds a few).
constexpr int kMaxCrlDirEntries = 4096;
// A revocation list of a large CA can be tens of MiB, and libpq accepts it: only one far beyond
// that is reported. Every other file is held to SafeFile's bound (16 MiB).
constexpr qint64 kMaxCrlBytes = 512LL * 1024 * 1024;

bool isCrl(const QString &keyword)
{
    return keyword == QLatin1String("sslcrl") || keyword == QLatin1String("sslcrldir");
}

QString whatItIs(const QString &keyword, const QString &path, bool isDefault)
{
    if (keyword == QLatin1String("sslrootcert"))
        return isDefault
            ? QCoreApplication::translate("pgtls::ClientFiles",
                "libpq's default CA file %1 (used when sslrootcert is not set)")
                  .arg(path)
            : QCoreApplication::translate("pgtls::ClientFiles", "The CA file %1 (sslrootcert)")
                  .arg(path);
    if (keyword == QLatin1String("sslcert"))
        return isDefault ? QCoreApplication::translate("pgtls::ClientFiles",
                   "libpq's default client certificate %1 (used when sslcert is not "
                   "set)")
                               .arg(path)
                         : QCoreApplication::translate(
                             "pgtls::ClientFiles", "The client certificate %1 (sslcert)")
                               .arg(path);
    if (keyword == QLatin1String("sslkey"))
        return isDefault
            ? QCoreApplication::translate(
                "pgtls::ClientFiles", "libpq's default client key %1 (used when sslkey is not set)")
                  .arg(path)
            : QCoreApplication::translate("pgtls::ClientFiles", "The client key %1 (sslkey)")
                  .arg(path);
    if (keyword == QLatin1String("sslcrl"))
        return isDefault ? QCoreApplication::translate("pgtls::ClientFiles",
                   "libpq's default certificate revocation list %1 (used when sslcrl "
                   "and sslcrldir are not set)")
                               .arg(path)
                         : QCoreApplication::translate(
                             "pgtls::ClientFiles", "The certificate revocation list %1 (sslcrl)")
                               .arg(path);
    return QCoreApplication::translate(
        "pgtls::ClientFiles", "The file %1 in the revocation list directory (sslcrldir)")
        .arg(path);
}

QString whatToDo(const QString &keyword, const QString &path, bool isDefault)
{
    if (keyword == QLatin1String("sslrootcert"))
        return isDefault ? QCoreApplication::translate("pgtls::ClientFiles",
                   "Replace %1 with the CA bundle file itself (for Amazon RDS: "
                   "global-bundle.pem), or remove it and name the bundle with "
                   "sslrootcert.")
                               .arg(path)
                         : QCoreApplication::translate("pgtls::ClientFiles",
                             "Point sslrootcert at the CA bundle file itself (for Amazon RDS: "
                             "global-bundle.pem).");
    if (keyword == QLatin1String("sslcert"))
        return isDefault ? QCoreApplication::translate("pgtls::ClientFiles",
                   "Move %1 away, or replace it with your client certificate file: "
                   "libpq loads it whenever it exists.")
                               .arg(path)
                         : QCoreApplication::translate("pgtls::ClientFiles",
                             "Point sslcert at your client certificate file, or leave it unset.");
    if (keyword == QLatin1String("sslkey"))
        return isDefault ? QCoreApplication::translate(
                   "pgtls::ClientFiles", "Replace %1 with the key of your client certificate.")
                               .arg(path)
                         : QCoreApplication::translate("pgtls::ClientFiles",
                             "Point sslkey at the key of your client certificate.");
    if (keyword == QLatin1String("sslcrl"))
        return isDefault ? QCoreApplication::translate("pgtls::ClientFiles",
                   "Move %1 away, or replace it with a revocation list file: libpq "
                   "loads it whenever the CA file exists.")
                               .arg(path)
                         : QCoreApplication::translate("pgtls::ClientFiles",
                             "Point sslcrl at a revocation list file, or leave it unset.");
    return QCoreApplication::translate(
        "pgtls::ClientFiles", "Remove it from the directory, or leave sslcrldir unset.");
}

bool isIssue(const QString &keyword, const SafeFileStatus &s)
{
    if (!s.exists)
        return false;
    // libpq refuses a key that is not a regular file itself, before reading it.
    if (keyword == QLatin1String("sslkey"))
        return s.kind == SafeFileStatus::Kind::TooLarge;
    return s.kind == SafeFileStatus::Kind::Fifo || s.kind == SafeFileStatus::Kind::Device
        || s.kind == SafeFileStatus::Kind::TooLarge;
}

void add(QList<ClientFileIssue> &out, const QString &keyword, const QString &path, bool isDefault,
    const SafeFileStatus &s)
{
    const QString text = ClientFiles::problemText(keyword, path, isDefault, s);
    if (text.isEmpty())
        return;
    ClientFileIssue issue;
    issue.keyword = keyword;
    issue.path = path;
    issue.isDefault = isDefault;
    issue.kind = s.kind;
    issue.size = s.kind == SafeFileStatus::Kind::TooLarge ? s.size : -1;
    issue.message = text;
    out.append(issue);
}

// The files an sslcrldir lookup may open: "<8 hex digits>.<n>" (certificates) and
// "<8 hex digits>.r<n>" (CRLs) in each directory of the list (':'-separated, as OpenSSL takes it).
void checkCrlDirectories(QList<ClientFileIssue> &out, const QString &dirs)
{
    static const QRegularExpression hashName(QStringLiteral("^[0-9a-f]{8}\\.r?[0-9]+$"));
    int looked = 0;
    for (const QString &dir : dirs.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QStringList names = QDir(dir).entryList(
            QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
        for (const QString &name : names) {
            if (!hashName.match(name).hasMatch())
                continue;
            if (++looked > kMaxCrlDirEntries)
                return;
            const QString path = dir + QLatin1Char('/') + name;
            add(out, QStringLiteral("sslcrldir"), path, false,
                SafeFile::check(path, ClientFiles::maxBytes(QStringLiteral("sslcrldir"))));
        }
    }
}

} // namespace

qint64 ClientFiles::maxBytes(const QString &keyword)
{
    return isCrl(keyword) ? kMaxCrlBytes : SafeFile::kDefaultMaxBytes;
}

QString ClientFiles::problemText(
    const QString &keyword, const QString &path, bool isDefault, const SafeFileStatus &status)
{
    if (!isIssue(keyword, status))
        return {};
    const QString what = whatItIs(keyword, path, isDefault);
    const QString todo = whatToDo(keyword, path, isDefault);
    switch (status.kind) {
    case SafeFileStatus::Kind::Fifo:
        return QCoreApplication::translate("pgtls::ClientFiles",
            "%1 is a named pipe (FIFO), not a file: libpq would open it and wait for a writer "
            "for ever, and the connection would hang (psql too). No connection is attempted with "
            "it. %2")
            .arg(what, todo);
    case SafeFileStatus::Kind::Device:
        return QCoreApplication::translate("pgtls::ClientFiles",
            "%1 is a device, not a file: libpq would read it without end, and the connection "
            "would hang (psql too). No connection is attempted with it. %2")
            .arg(what, todo);
    case SafeFileStatus::Kind::TooLarge:
        return QCoreApplication::translate("pgtls::ClientFiles",
            "%1 is %2 MiB, over the limit of %3 MiB: no CA, certificate, key or revocation list "
            "file is that large, and libpq would spend a long time reading it. No connection is "
            "attempted with it. %4")
            .arg(what, QString::number(double(status.size) / (1024.0 * 1024.0), 'f', 1),
                QString::number(maxBytes(keyword) / (1024 * 1024)), todo);
    default:
        return {};
    }
}

QList<ClientFileIssue> ClientFiles::check(const Endpoint &e, SslMode mode, const QString &homeDir)
{
    QList<ClientFileIssue> out;
    if (mode == SslMode::Disable)
        return out;
    const QString pgDir = homeDir.isEmpty() ? QString() : homeDir + QStringLiteral("/.postgresql");

    // The root certificate file, and with it the revocation lists.
    const bool rootDefault = e.sslrootcert.isEmpty();
    const QString root = rootDefault
        ? (pgDir.isEmpty() ? QString() : pgDir + QStringLiteral("/root.crt"))
        : e.sslrootcert;
    const SafeFileStatus rootStatus = root.isEmpty() ? SafeFileStatus() : SafeFile::check(root);
    add(out, QStringLiteral("sslrootcert"), root, rootDefault, rootStatus);
    if (rootStatus.exists) {
        const QString crl = e.extraOptions.value(QStringLiteral("sslcrl"));
        const QString crlDir = e.extraOptions.value(QStringLiteral("sslcrldir"));
        if (!crl.isEmpty())
            add(out, QStringLiteral("sslcrl"), crl, false, SafeFile::check(crl, kMaxCrlBytes));
        else if (crlDir.isEmpty() && !pgDir.isEmpty()) {
            const QString path = pgDir + QStringLiteral("/root.crl");
            add(out, QStringLiteral("sslcrl"), path, true, SafeFile::check(path, kMaxCrlBytes));
        }
        if (!crlDir.isEmpty())
            checkCrlDirectories(out, crlDir);
    }

    // The client certificate, and with it the key.
    const bool certDefault = e.sslcert.isEmpty();
    const QString cert = certDefault
        ? (pgDir.isEmpty() ? QString() : pgDir + QStringLiteral("/postgresql.crt"))
        : e.sslcert;
    const SafeFileStatus certStatus = cert.isEmpty() ? SafeFileStatus() : SafeFile::check(cert);
    add(out, QStringLiteral("sslcert"), cert, certDefault, certStatus);
    if (certStatus.exists) {
        QString key;
        bool keyDefault = false;
        if (!e.sslkey.isEmpty()) {
            // "engine:key" (a colon anywhere) names an OpenSSL engine's key, not a file.
            if (!e.sslkey.contains(QLatin1Char(':')))
                key = e.sslkey;
        } else if (!pgDir.isEmpty()) {
            key = pgDir + QStringLiteral("/postgresql.key");
            keyDefault = true;
        }
        if (!key.isEmpty())
            add(out, QStringLiteral("sslkey"), key, keyDefault, SafeFile::check(key));
    }
    return out;
}

} // namespace pgtls
