// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace pgtls::ui {

// A saved connection profile: the endpoint's fields and the form's switches. Never a password: the
// password lives only in the keychain (PasswordStore, keyed by the profile's name) or in the form.
struct Profile
{
    QString name;
    // host, hostaddr, port, dbname, user, sslmode, sslrootcert, sslcert, sslkey, passfile,
    // connectTimeoutSeconds and extraOptions are kept; sources are not.
    Endpoint endpoint;
    bool compareAllModes = false;
    // The user asked to keep this profile's password in the keychain (a flag, not the password).
    bool rememberPassword = false;
};

// Profiles in QSettings, group "profiles": one child group per profile (the name percent-encoded,
// so any name round-trips), and the last used profile's name. Every change is written at once
// (QSettings::sync()). Names are case-sensitive, trimmed, non-empty.
//
// A secret libpq option (SecretKeywords: password, sslpassword) is never written, even if an
// endpoint carried one, never read back, and one found in the settings (an older version wrote
// sslpassword) is removed from the file when the store is opened.
class ProfileStore
{
public:
    // The application's QSettings (organisation/application name) when `settingsFile` is empty,
    // otherwise that INI file (tests use a temporary directory).
    explicit ProfileStore(const QString &settingsFile = QString());
    ~ProfileStore();
    ProfileStore(const ProfileStore &) = delete;
    ProfileStore &operator=(const ProfileStore &) = delete;

    // Every profile's name, sorted case-insensitively.
    QStringList names() const;
    bool contains(const QString &name) const;
    std::optional<Profile> profile(const QString &name) const;

    // Why `name` cannot name a new profile (empty, or already taken unless it is `except`), in
    // words; empty when it can.
    QString checkNewName(const QString &name, const QString &except = QString()) const;

    // Creates or replaces the profile called profile.name (trimmed). False when the name is empty.
    bool save(const Profile &profile);
    // Renames `from` to `to` (trimmed); false when `from` is missing or `to` is invalid or taken.
    // The last used name follows.
    bool rename(const QString &from, const QString &to);
    // Deletes `name`; false when it did not exist. The last used name is cleared if it was this.
    bool remove(const QString &name);
    // Copies `name` to "name (copy)" (or "name (copy 2)", ...) and returns the new name; empty when
    // `name` does not exist.
    QString duplicate(const QString &name);

    QString lastUsed() const;
    void setLastUsed(const QString &name);

    // The file the settings live in (for tests and diagnostics).
    QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace pgtls::ui
