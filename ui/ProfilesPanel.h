// SPDX-License-Identifier: MIT
#pragma once

#include "PasswordStore.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace pgtls::ui {

class EndpointForm;
class ProfileStore;
struct Profile;

// Saved connection profiles, above the EndpointForm: a profile chooser ("New profile" first: the
// form pre-filled from the PG* environment), Save, Save as…, Duplicate, Rename, Delete (confirmed,
// window-modal, without a nested event loop) and "Remember password in the keychain".
//
// Profiles live in QSettings (ProfileStore), never with a password. With "remember", Save writes
// the form's password to the keychain (PasswordStore, keyed by the profile's name); loading a
// profile fills the form at once and its password later, when the keychain answers (only if the
// form still shows that profile and its password field is still empty). Rename and Delete move or
// delete the keychain entry; Duplicate copies it. Unticking "remember" and saving deletes it.
//
// Without a keychain the panel says so once, inline (objectName "keychainMessage"), keeps no
// password anywhere, and asks for it in the form each time a profile that wants one is loaded.
//
// At construction the last used profile is loaded, if there is one.
class ProfilesPanel : public QWidget
{
    Q_OBJECT
public:
    // `form` must outlive the panel. Profiles in the application's QSettings.
    explicit ProfilesPanel(EndpointForm *form, QWidget *parent = nullptr);
    ~ProfilesPanel() override;

    // The profile selected (empty: "New profile").
    QString currentProfile() const;
    // Selects `name` and fills the form from it (the password follows asynchronously). False when
    // there is no such profile.
    bool loadProfile(const QString &name);
    // Selects "New profile": the form cleared and pre-filled from the PG* environment.
    void newProfile();

    PasswordStore *passwordStore() const { return m_passwords; }

signals:
    // The form was filled from profile `name` (its password, if any, may still be on its way).
    void profileLoaded(const QString &name);
    // A keychain request of this panel ended (after the panel acted on it).
    void keychainFinished(const pgtls::ui::PasswordStore::Result &result);

private:
    enum class NameMode { None, SaveAs, Rename };

    void buildUi();
    void refill(const QString &select);
    void selectSilently(const QString &name);
    void onComboActivated(int index);
    void save();
    void startNameEdit(NameMode mode);
    void commitName();
    void cancelNameEdit();
    void saveAs(const QString &name);
    void duplicate();
    void confirmDelete();
    void deleteCurrent();
    void updateButtons();
    void showStatus(const QString &text, bool error = false);
    void showKeychainUnavailable();
    void onKeychainFinished(const PasswordStore::Result &result);
    Profile profileFromForm(const QString &name) const;
    void storePassword(const Profile &profile);

    EndpointForm *m_form;
    std::unique_ptr<ProfileStore> m_store;
    PasswordStore *m_passwords;
    NameMode m_nameMode = NameMode::None;
    // The read request whose answer may fill the form, and the profile it was for.
    quint64 m_pendingRead = 0;
    QString m_pendingReadProfile;

    QComboBox *m_combo = nullptr;
    QPushButton *m_save = nullptr;
    QToolButton *m_saveAs = nullptr;
    QToolButton *m_duplicate = nullptr;
    QToolButton *m_rename = nullptr;
    QToolButton *m_delete = nullptr;
    QWidget *m_nameRow = nullptr;
    QLineEdit *m_name = nullptr;
    QPushButton *m_nameOk = nullptr;
    QPushButton *m_nameCancel = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_keychainMessage = nullptr;
};

} // namespace pgtls::ui
