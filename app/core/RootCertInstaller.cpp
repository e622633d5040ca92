// SPDX-License-Identifier: MIT
#include "RootCertInstaller.h"

#include "RootCert.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace pgtls {

namespace {

constexpr qint64 maxBundleSize = 16 * 1024 * 1024;

const QFileDevice::Permissions fileMode0644 = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ReadGroup
    | QFileDevice::ReadOther;
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
    if (out.exists)
        out.bundle = CaBundle::load(out.path);
    return out;
}

RootCertInstallResult RootCertInstaller::install(
    const QString &bundlePath, const QDateTime &now) const
{
    const CaBundle checked = CaBundle::load(bundlePath);
    if (!checked.ok())
        return installBundle(checked, {}, bundlePath, now);
    // Parse again exactly the bytes that are written, so what is checked is what gets installed
    // even if the file changed after the first look.
    QFile f(bundlePath);
    QByteArray data;
    if (f.open(QIODevice::ReadOnly))
        data = f.read(maxBundleSize + 1);
    CaBundle bundle = CaBundle::fromData(data, bundlePath);
    bundle.path = bundlePath;
    return installBundle(bundle, data, bundlePath, now);
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
    const QFileInfo target(r.path);
    if (target.exists() && !target.isFile())
        return finish(r, Status::Refused,
            QCoreApplication::translate("pgtls::RootCertInstaller",
                "Not installed: %1 exists and is not a regular file (a directory?). Move it away "
                "first; it was left as it was.")
                .arg(r.path));

    if (target.exists()) {
        QFile old(r.path);
        if (!old.open(QIODevice::ReadOnly))
            return finish(r, Status::Failed,
                QCoreApplication::translate("pgtls::RootCertInstaller",
                    "Not installed: the existing %1 cannot be read (%2), so no backup of it could "
                    "be "
                    "made; it was left as it was.")
                    .arg(r.path, old.errorString()));
        const QByteArray previous = old.readAll();
        old.close();
        if (previous == content)
            return finish(r, Status::Unchanged,
                QCoreApplication::translate("pgtls::RootCertInstaller",
                    "%1 already holds exactly this bundle (%2); nothing was changed.")
                    .arg(r.path, certificatesText(bundle.count())));

        // Keep the previous file before replacing it; NewOnly never overwrites an earlier backup.
        const QString backup = freeBackupName(r.path, now);
        QFile copy(backup);
        if (!copy.open(QIODevice::WriteOnly | QIODevice::NewOnly)
            || copy.write(previous) != previous.size() || !copy.flush()) {
            const QString why = copy.errorString();
            copy.close();
            copy.remove();
            return finish(r, Status::Failed,
                QCoreApplication::translate("pgtls::RootCertInstaller",
                    "Not installed: the backup %1 could not be written (%2); %3 was left as it "
                    "was.")
                    .arg(backup, why, r.path));
        }
        copy.setPermissions(old.permissions());
        copy.close();
        r.backupPath = backup;
    }

    QSaveFile out(r.path);
    if (!out.open(QIODevice::WriteOnly))
        return finish(r, Status::Failed,
            QCoreApplication::translate(
                "pgtls::RootCertInstaller", "Not installed: %1 could not be written (%2).")
                .arg(r.path, out.errorString()));
    // Set on the temporary file, so the mode is right the moment the file appears under its name.
    out.setPermissions(fileMode0644);
    out.write(content);
    if (!out.commit())
        return finish(r, Status::Failed,
            QCoreApplication::translate("pgtls::RootCertInstaller",
                "Not installed: %1 could not be written (%2); the previous file is unchanged.")
                .arg(r.path, out.errorString()));

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
