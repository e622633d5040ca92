// SPDX-License-Identifier: MIT
#include "RootCertInstaller.h"

#include "RootCert.h"
#include "SafeFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls {

namespace {

const QFileDevice::Permissions dirMode0700 = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ExeOwner | QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser;

RootCertInstallResult finish(
    RootCertInstallResult r, RootCertInstallResult::Status status, const QString &message)
{
    r.status = status;
    r.message = message;
    return r;
}

// What libpq will read: PEM. A PEM input is kept byte for byte; PKCS#7 and DER become PEM.
QByteArray pemToWrite(const CaBundle &bundle, const QByteArray &data)
{
    if (bundle.format == CaBundle::Format::Pem)
        return data;
    QByteArray out;
    for (const BundleEntry &e : bundle.entries) {
        if (!e.duplicate)
            out += e.cert.toPem().toLatin1();
    }
    return out;
}

// root.crt.bak-YYYYMMDD-HHMMSS, or with -2, -3, ... when that name is taken.
QString freeBackupName(const QString &target, const QDateTime &now)
{
    const QString base = target + QStringLiteral(".bak-")
        + now.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString name = base;
    for (int i = 2; QFileInfo::exists(name) || QFileInfo(name).isSymLink(); ++i)
        name = base + QLatin1Char('-') + QString::number(i);
    return name;
}

QString symLinkRefusal(const QString &path)
{
    const QString target = QFileInfo(path).symLinkTarget();
    return QCoreApplication::translate("pgtls::RootCertInstaller",
        "Not installed: %1 is a symbolic link to %2. Installing through the link would overwrite "
        "%2, so nothing was written: the link and %2 were left as they were. To install the bundle "
        "as libpq's default, remove the link (rm %1) and install again; to update %2 itself, copy "
        "the bundle there.")
        .arg(path, target.isEmpty() ? QStringLiteral("?") : target);
}

// Creates `path` (O_CREAT | O_EXCL: an existing file or a symbolic link there is never written
// through) with `data` and the given mode. Returns why not, empty on success.
QString writeNewFile(const QString &path, const QByteArray &data, QFileDevice::Permissions mode)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return f.errorString();
    if (f.write(data) != data.size() || !f.flush()) {
        const QString why = f.errorString();
        f.close();
        f.remove();
        return why;
    }
    f.setPermissions(mode);
    ::fsync(f.handle());
    f.close();
    return {};
}

// Writes `data` to a new temporary file beside `path` (mode 0644, O_EXCL), then renames it over
// `path`: the directory entry is replaced, so a symbolic link swapped in at `path` is replaced
// itself, never written through; one found there just before the rename is refused ("symlink").
// Returns why not, empty on success.
QString replaceAtomically(const QString &path, const QByteArray &data)
{
    QByteArray tmpl = QFile::encodeName(path) + ".new-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    const QByteArray target = QFile::encodeName(path);
    auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmpl.constData());
        return QString::fromLocal8Bit(std::strerror(err));
    };
    if (::fchmod(fd, 0644) != 0)
        return fail(errno);
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(n < 0 ? errno : EIO);
        done += n;
    }
    if (::fsync(fd) != 0)
        return fail(errno);
    struct stat st;
    if (::lstat(target.constData(), &st) == 0 && S_ISLNK(st.st_mode)) {
        fail(0);
        return QStringLiteral("symlink");
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return QString::fromLocal8Bit(std::strerror(err));
    }
    if (::rename(tmpl.constData(), target.constData()) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return QString::fromLocal8Bit(std::strerror(err));
    }
    return {};
}

QString certificatesText(int n)
{
    return n == 1
        ? QCoreApplication::translate("pgtls::RootCertInstaller", "1 certificate")
        : QCoreApplication::translate("pgtls::RootCertInstaller", "%n certificates", nullptr, n);
}

} // namespace

RootCertInstaller::RootCertInstaller()
    : m_home(RootCert::libpqHomeDirectory())
{ }

RootCertInstaller::RootCertInstaller(const QString &homeDir)
    : m_home(homeDir)
{ }

QString RootCertInstaller::targetPath() const
{
    // The same path RootCert::resolve() gives for the default, so the two never disagree.
    return m_home.isEmpty() ? QString() : m_home + QStringLiteral("/.postgresql/root.crt");
}

InstalledRootCert RootCertInstaller::current() const
{
    InstalledRootCert out;
    out.path = targetPath();
    if (out.path.isEmpty())
        return out;
    // libpq uses stat(): anything there counts, a directory too (libpq then fails to read it).
    const QFileInfo fi(out.path);
    out.exists = fi.exists();
    if (fi.isSymLink())
        out.linkTarget = fi.symLinkTarget();
    if (out.exists)
        out.bundle = CaBundle::load(out.path);
    return out;
}

RootCertInstallResult RootCertInstaller::install(
    const QString &bundlePath, const QDateTime &now) const
{
    // Read once, through the descriptor that was checked (a FIFO or a device is refused, never
    // read): the bytes parsed are the bytes written, even if the file changes meanwhile.
    const SafeFileStatus file = SafeFile::read(bundlePath, CaBundle::maxBytes);
    const CaBundle bundle = CaBundle::fromFile(file, bundlePath);
    return installBundle(bundle, bundle.ok() ? file.data : QByteArray(), bundlePath, now);
}

RootCertInstallResult RootCertInstaller::install(
    const QByteArray &data, const QString &name, const QDateTime &now) const
{
    return installBundle(CaBundle::fromData(data, name), data, name, now);
}

RootCertInstallResult RootCertInstaller::installBundle(
    const CaBundle &bundle, const QByteArray &data, const QString &name, const QDateTime &now) const
{
    using Status = RootCertInstallResult::Status;
    RootCertInstallResult r;
    r.path = targetPath();
    r.bundle = bundle;

    if (!bundle.ok())
        return finish(r, Status::Refused,
            r.path.isEmpty()
                ? QCoreApplication::translate("pgtls::RootCertInstaller", "Not installed: %1")
                      .arg(bundle.error)
                : QCoreApplication::translate(
                    "pgtls::RootCertInstaller", "Not installed: %1 %2 was left as it was.")
                      .arg(bundle.error, r.path));
    r.warnings = bundle.warnings(QString(), now.toUTC());

    if (m_home.isEmpty())
        return finish(r, Status::Failed,
            QCoreApplication::translate("pgtls::RootCertInstaller",
                "Not installed: there is no home directory, so libpq has no default root "
                "certificate "
                "file. Pass the bundle with sslrootcert instead."));
    if (!QFileInfo(m_home).isDir())
        return finish(r, Status::Failed,
            QCoreApplication::translate(
                "pgtls::RootCertInstaller", "Not installed: the home directory %1 does not exist.")
                .arg(m_home));

    const QString dir = m_home + QStringLiteral("/.postgresql");
    const QFileInfo dirInfo(dir);
    if (!dirInfo.exists()) {
        if (!QDir().mkdir(dir, dirMode0700))
            return finish(r, Status::Failed,
                QCoreApplication::translate(
                    "pgtls::RootCertInstaller", "Not installed: %1 could not be created.")
                    .arg(dir));
        r.createdDirectory = true;
    } else if (!dirInfo.isDir()) {
        return finish(r, Status::Failed,
            QCoreApplication::translate("pgtls::RootCertInstaller",
                "Not installed: %1 exists but is not a directory; libpq expects its files in it.")
                .arg(dir));
    }

    const QByteArray content = pemToWrite(bundle, data);
    // What is at root.crt itself, a symbolic link not followed: writing through a link would
    // replace its target (perhaps a file shared with other programs, or the system's CA store), so
    // a link is refused and left as it is, with its target.
    const SafeFileStatus existing
        = SafeFile::read(r.path, CaBundle::maxBytes, SafeFile::Links::DoNotFollow);
    if (existing.kind == SafeFileStatus::Kind::SymLink)
        return finish(r, Status::Refused, symLinkRefusal(r.path));
    if (existing.exists && !existing.ok())
        return finish(r,
            existing.kind == SafeFileStatus::Kind::Unreadable ? Status::Failed : Status::Refused,
            existing.kind == SafeFileStatus::Kind::Unreadable
                ? QCoreApplication::translate("pgtls::RootCertInstaller",
                    "Not installed: the existing %1 cannot be read (%2), so no backup of it could "
                    "be made; it was left as it was.")
                      .arg(r.path, existing.error)
                : QCoreApplication::translate("pgtls::RootCertInstaller",
                    "Not installed: %1 exists and is not a regular file (%2). Move it away "
                    "first; it was left as it was.")
                      .arg(r.path, existing.error));

    if (existing.ok()) {
        const QByteArray &previous = existing.data;
        if (previous == content)
            return finish(r, Status::Unchanged,
                QCoreApplication::translate("pgtls::RootCertInstaller",
                    "%1 already holds exactly this bundle (%2); nothing was changed.")
                    .arg(r.path, certificatesText(bundle.count())));

        // Keep the previous file before replacing it. O_EXCL never overwrites an earlier backup
        // and never follows a symbolic link planted at the backup's name.
        const QString backup = freeBackupName(r.path, now);
        const QString why = writeNewFile(backup, previous, QFileInfo(r.path).permissions());
        if (!why.isEmpty())
            return finish(r, Status::Failed,
                QCoreApplication::translate("pgtls::RootCertInstaller",
                    "Not installed: the backup %1 could not be written (%2); %3 was left as it "
                    "was.")
                    .arg(backup, why, r.path));
        r.backupPath = backup;
    }

    const QString why = replaceAtomically(r.path, content);
    if (why == QLatin1String("symlink"))
        return finish(r, Status::Refused, symLinkRefusal(r.path));
    if (!why.isEmpty())
        return finish(r, Status::Failed,
            QCoreApplication::translate("pgtls::RootCertInstaller",
                "Not installed: %1 could not be written (%2); the previous file is unchanged.")
                .arg(r.path, why));

    QString message = QCoreApplication::translate("pgtls::RootCertInstaller",
        "Installed %1 (%2) as %3, the file libpq uses when sslrootcert is not set.")
                          .arg(name, certificatesText(bundle.count()), r.path);
    if (bundle.format != CaBundle::Format::Pem)
        message += QLatin1Char(' ')
            + QCoreApplication::translate("pgtls::RootCertInstaller",
                "It was converted to PEM, the only format libpq reads.");
    if (r.createdDirectory)
        message += QLatin1Char(' ')
            + QCoreApplication::translate(
                "pgtls::RootCertInstaller", "%1 was created (readable only by you).")
                  .arg(dir);
    if (!r.backupPath.isEmpty())
        message += QLatin1Char(' ')
            + QCoreApplication::translate(
                "pgtls::RootCertInstaller", "The previous file was kept as %1.")
                  .arg(r.backupPath);
    return finish(r, Status::Installed, message);
}

} // namespace pgtls
