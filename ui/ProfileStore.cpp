// SPDX-License-Identifier: MIT
#include "ProfileStore.h"

#include "SecretKeywords.h"
#include "SecretMemory.h"

#include <QCoreApplication>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace pgtls::ui {

namespace {

const char kGroup[] = "profiles";
// A key of the "profiles" group itself; encoded profile names never start with '.', so no profile
// group can collide with it.
const char kLastUsedKey[] = ".lastUsed";

// Percent-encoding keeps '/', '\\' and '%' (QSettings' separators and escapes) out of group names,
// and '.' so that no group name can start with it.
QString encodeName(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name, QByteArray(), "."));
}

QString profileGroup(const QString &name)
{
    return QLatin1String(kGroup) + QLatin1Char('/') + encodeName(name);
}

QString lastUsedKey()
{
    return QLatin1String(kGroup) + QLatin1Char('/') + QLatin1String(kLastUsedKey);
}

bool isSecretKey(const QString &key)
{
    return SecretKeywords::isSecret(key);
}

// Removes every secret option from every profile group (settings written by an older version,
// or edited by hand); true when one was found.
bool scrubSecrets(QSettings &s)
{
    bool found = false;
    s.beginGroup(QLatin1String(kGroup));
    const QStringList groups = s.childGroups();
    for (const QString &g : groups) {
        s.beginGroup(g + QStringLiteral("/options"));
        const QStringList keys = s.childKeys();
        for (const QString &k : keys) {
            if (isSecretKey(QUrl::fromPercentEncoding(k.toLatin1()))) {
                s.remove(k);
                found = true;
            }
        }
        s.endGroup();
    }
    s.endGroup();
    return found;
}

void writeProfile(QSettings &s, const Profile &p)
{
    const Endpoint &ep = p.endpoint;
    s.remove(profileGroup(p.name));
    s.beginGroup(profileGroup(p.name));
    s.setValue(QStringLiteral("name"), p.name);
    s.setValue(QStringLiteral("host"), ep.host);
    s.setValue(QStringLiteral("hostaddr"), ep.hostaddr);
    s.setValue(QStringLiteral("port"), ep.port);
    s.setValue(QStringLiteral("dbname"), ep.dbname);
    s.setValue(QStringLiteral("user"), ep.user);
    s.setValue(QStringLiteral("sslmode"), sslModeName(ep.sslmode));
    s.setValue(QStringLiteral("sslrootcert"), ep.sslrootcert);
    s.setValue(QStringLiteral("sslcert"), ep.sslcert);
    s.setValue(QStringLiteral("sslkey"), ep.sslkey);
    s.setValue(QStringLiteral("passfile"), ep.passfile);
    s.setValue(QStringLiteral("timeout"), ep.connectTimeoutSeconds);
    s.setValue(QStringLiteral("matrix"), p.compareAllModes);
    s.setValue(QStringLiteral("rememberPassword"), p.rememberPassword);
    s.beginGroup(QStringLiteral("options"));
    for (auto it = ep.extraOptions.cbegin(); it != ep.extraOptions.cend(); ++it) {
        // Never a password or a key passphrase, whatever the endpoint carried.
        if (isSecretKey(it.key()))
            continue;
        s.setValue(encodeName(it.key()), it.value());
    }
    s.endGroup();
    s.endGroup();
}

} // namespace

ProfileStore::ProfileStore(const QString &settingsFile)
    : m_settings(settingsFile.isEmpty()
            ? std::make_unique<QSettings>()
            : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{
    // A secret an older version (or a hand edit) left in the settings leaves the disk now.
    if (scrubSecrets(*m_settings))
        m_settings->sync();
}

ProfileStore::~ProfileStore() = default;

QStringList ProfileStore::names() const
{
    m_settings->beginGroup(QLatin1String(kGroup));
    const QStringList groups = m_settings->childGroups();
    QStringList result;
    for (const QString &g : groups) {
        const QString name = m_settings->value(g + QStringLiteral("/name")).toString();
        // A group whose stored name does not encode back to it was not written by us: skip it.
        if (!name.isEmpty() && encodeName(name) == g)
            result << name;
    }
    m_settings->endGroup();
    std::sort(result.begin(), result.end(), [](const QString &a, const QString &b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    return result;
}

bool ProfileStore::contains(const QString &name) const
{
    const QString n = name.trimmed();
    return !n.isEmpty()
        && m_settings->value(profileGroup(n) + QStringLiteral("/name")).toString() == n;
}

std::optional<Profile> ProfileStore::profile(const QString &name) const
{
    const QString n = name.trimmed();
    if (!contains(n))
        return std::nullopt;
    QSettings &s = *m_settings;
    s.beginGroup(profileGroup(n));
    Profile p;
    p.name = n;
    Endpoint &ep = p.endpoint;
    ep.host = s.value(QStringLiteral("host")).toString();
    ep.hostaddr = s.value(QStringLiteral("hostaddr")).toString();
    ep.port = qBound(1, s.value(QStringLiteral("port"), 5432).toInt(), 65535);
    ep.dbname = s.value(QStringLiteral("dbname")).toString();
    ep.user = s.value(QStringLiteral("user")).toString();
    ep.sslmode
        = parseSslMode(s.value(QStringLiteral("sslmode")).toString()).value_or(SslMode::VerifyFull);
    ep.sslrootcert = s.value(QStringLiteral("sslrootcert")).toString();
    ep.sslcert = s.value(QStringLiteral("sslcert")).toString();
    ep.sslkey = s.value(QStringLiteral("sslkey")).toString();
    ep.passfile = s.value(QStringLiteral("passfile")).toString();
    ep.connectTimeoutSeconds = s.value(QStringLiteral("timeout"), 10).toInt();
    p.compareAllModes = s.value(QStringLiteral("matrix"), false).toBool();
    p.rememberPassword = s.value(QStringLiteral("rememberPassword"), false).toBool();
    s.beginGroup(QStringLiteral("options"));
    const QStringList keys = s.childKeys();
    for (const QString &k : keys) {
        const QString key = QUrl::fromPercentEncoding(k.toLatin1());
        if (!isSecretKey(key))
            ep.extraOptions.insert(key, s.value(k).toString());
    }
    s.endGroup();
    s.endGroup();
    for (const char *key : { "host", "hostaddr", "port", "dbname", "user", "sslmode", "sslrootcert",
             "connect_timeout" })
        ep.sources.insert(QString::fromLatin1(key), QStringLiteral("profile"));
    return p;
}

QString ProfileStore::checkNewName(const QString &name, const QString &except) const
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        return QCoreApplication::translate("pgtls::ui::ProfileStore", "Give the profile a name.");
    if (n != except.trimmed() && contains(n))
        return QCoreApplication::translate(
            "pgtls::ui::ProfileStore", "A profile called \"%1\" exists already.")
            .arg(n);
    return {};
}

bool ProfileStore::save(const Profile &profile)
{
    Profile p = profile;
    p.name = p.name.trimmed();
    if (p.name.isEmpty())
        return false;
    writeProfile(*m_settings, p);
    m_settings->sync();
    return true;
}

bool ProfileStore::rename(const QString &from, const QString &to)
{
    const QString newName = to.trimmed();
    std::optional<Profile> p = profile(from);
    if (!p || !checkNewName(newName).isEmpty())
        return false;
    const QString oldName = p->name;
    const bool wasLastUsed = lastUsed() == oldName;
    p->name = newName;
    writeProfile(*m_settings, *p);
    m_settings->remove(profileGroup(oldName));
    if (wasLastUsed)
        m_settings->setValue(lastUsedKey(), newName);
    m_settings->sync();
    return true;
}

bool ProfileStore::remove(const QString &name)
{
    const QString n = name.trimmed();
    if (!contains(n))
        return false;
    m_settings->remove(profileGroup(n));
    if (lastUsed() == n)
        m_settings->remove(lastUsedKey());
    m_settings->sync();
    return true;
}

QString ProfileStore::duplicate(const QString &name)
{
    std::optional<Profile> p = profile(name);
    if (!p)
        return {};
    QString candidate
        = QCoreApplication::translate("pgtls::ui::ProfileStore", "%1 (copy)").arg(p->name);
    for (int i = 2; contains(candidate); ++i)
        candidate = QCoreApplication::translate("pgtls::ui::ProfileStore", "%1 (copy %2)")
                        .arg(p->name)
                        .arg(i);
    p->name = candidate;
    writeProfile(*m_settings, *p);
    m_settings->sync();
    return candidate;
}

QString ProfileStore::lastUsed() const
{
    const QString name = m_settings->value(lastUsedKey()).toString();
    return contains(name) ? name : QString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    if (name.trimmed().isEmpty())
        m_settings->remove(lastUsedKey());
    else
        m_settings->setValue(lastUsedKey(), name.trimmed());
    m_settings->sync();
}

QString ProfileStore::fileName() const
{
    return m_settings->fileName();
}

} // namespace pgtls::ui
