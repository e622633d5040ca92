// SPDX-License-Identifier: MIT
#include "ProfilesPanel.h"

#include "EndpointForm.h"
#include "FieldState.h"
#include "ProfileStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

// The form still shows the endpoint `p` names (a late keychain answer must not land in a form that
// moved on, e.g. to the demo lab).
bool formShows(const EndpointForm *form, const Profile &p)
{
    const Endpoint now = form->endpoint();
    const Endpoint &saved = p.endpoint;
    return now.host == saved.host && now.hostaddr == saved.hostaddr && now.port == saved.port
        && now.user == saved.user && now.dbname == saved.dbname;
}

QToolButton *toolButton(const QString &objectName, const QString &text, const QString &accessible,
    const QString &toolTip)
{
    auto *b = new QToolButton;
    b->setObjectName(objectName);
    b->setText(text);
    b->setAccessibleName(accessible);
    b->setToolTip(toolTip);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::StrongFocus);
    return b;
}

} // namespace

ProfilesPanel::ProfilesPanel(EndpointForm *form, QWidget *parent)
    : QWidget(parent)
    , m_form(form)
    , m_store(std::make_unique<ProfileStore>())
    , m_passwords(new PasswordStore(this))
{
    buildUi();
    connect(m_passwords, &PasswordStore::finished, this, &ProfilesPanel::onKeychainFinished);
    connect(m_passwords, &PasswordStore::keychainUnavailable, this,
        &ProfilesPanel::showKeychainUnavailable);
    refill(QString());
    if (!PasswordStore::isAvailable())
        showKeychainUnavailable();
    const QString last = m_store->lastUsed();
    if (!last.isEmpty())
        loadProfile(last);
    updateButtons();
}

ProfilesPanel::~ProfilesPanel() = default;

void ProfilesPanel::buildUi()
{
    setObjectName(QStringLiteral("profilesPanel"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *group = new QGroupBox(tr("Profile"), this);
    group->setObjectName(QStringLiteral("profilesGroup"));
    auto *v = new QVBoxLayout(group);
    v->setSpacing(4);

    m_combo = new QComboBox;
    m_combo->setObjectName(QStringLiteral("profileCombo"));
    m_combo->setAccessibleName(tr("Saved connection profile"));
    m_combo->setToolTip(tr("Choose a saved profile: it fills the form below"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(12);
    m_save = new QPushButton(tr("&Save"));
    m_save->setObjectName(QStringLiteral("saveProfile"));
    m_save->setAccessibleName(tr("Save the profile"));
    m_save->setToolTip(tr("Save the form into the selected profile (a new one asks for a name)"));
    m_save->setAutoDefault(false);
    auto *top = new QHBoxLayout;
    top->addWidget(m_combo, 1);
    top->addWidget(m_save);
    v->addLayout(top);

    m_saveAs = toolButton(QStringLiteral("saveProfileAs"), tr("Save as…"),
        tr("Save as a new profile"), tr("Save the form as a new profile"));
    m_duplicate = toolButton(QStringLiteral("duplicateProfile"), tr("Duplicate"),
        tr("Duplicate the profile"), tr("Copy the selected profile to \"name (copy)\""));
    m_rename = toolButton(QStringLiteral("renameProfile"), tr("Rename…"), tr("Rename the profile"),
        tr("Rename the selected profile"));
    m_delete = toolButton(QStringLiteral("deleteProfile"), tr("Delete…"), tr("Delete the profile"),
        tr("Delete the selected profile and its saved password"));
    auto *actions = new QHBoxLayout;
    actions->setSpacing(2);
    for (QToolButton *b : { m_saveAs, m_duplicate, m_rename, m_delete })
        actions->addWidget(b);
    actions->addStretch(1);
    v->addLayout(actions);

    m_nameRow = new QWidget;
    m_nameRow->setObjectName(QStringLiteral("profileNameRow"));
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("profileName"));
    m_name->setAccessibleName(tr("Profile name"));
    m_name->setPlaceholderText(tr("Profile name"));
    m_nameOk = new QPushButton(tr("OK"));
    m_nameOk->setObjectName(QStringLiteral("profileNameOk"));
    m_nameOk->setAccessibleName(tr("Confirm the profile name"));
    m_nameOk->setAutoDefault(false);
    m_nameCancel = new QPushButton(tr("Cancel"));
    m_nameCancel->setObjectName(QStringLiteral("profileNameCancel"));
    m_nameCancel->setAccessibleName(tr("Cancel naming the profile"));
    m_nameCancel->setAutoDefault(false);
    auto *nameLayout = new QHBoxLayout(m_nameRow);
    nameLayout->setContentsMargins(0, 0, 0, 0);
    nameLayout->addWidget(m_name, 1);
    nameLayout->addWidget(m_nameOk);
    nameLayout->addWidget(m_nameCancel);
    m_nameRow->hide();
    v->addWidget(m_nameRow);

    m_remember = new QCheckBox(tr("Remember password in the &keychain"));
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->setAccessibleName(tr("Remember the password in the keychain"));
    m_remember->setToolTip(tr("Save keeps the password in the system keychain, never in the "
                              "settings; unticked, Save forgets it"));
    v->addWidget(m_remember);

    m_status = makeHintLabel(QStringLiteral("profileStatus"), tr("Profile state"));
    m_status->hide();
    v->addWidget(m_status);
    m_keychainMessage = makeHintLabel(QStringLiteral("keychainMessage"), tr("Keychain state"));
    m_keychainMessage->hide();
    v->addWidget(m_keychainMessage);
    outer->addWidget(group);

    setTabOrder(m_combo, m_save);
    setTabOrder(m_save, m_saveAs);
    setTabOrder(m_saveAs, m_duplicate);
    setTabOrder(m_duplicate, m_rename);
    setTabOrder(m_rename, m_delete);
    setTabOrder(m_delete, m_name);
    setTabOrder(m_name, m_nameOk);
    setTabOrder(m_nameOk, m_nameCancel);
    setTabOrder(m_nameCancel, m_remember);

    connect(m_combo, &QComboBox::activated, this, &ProfilesPanel::onComboActivated);
    connect(m_save, &QPushButton::clicked, this, &ProfilesPanel::save);
    connect(m_saveAs, &QToolButton::clicked, this, [this] { startNameEdit(NameMode::SaveAs); });
    connect(m_duplicate, &QToolButton::clicked, this, &ProfilesPanel::duplicate);
    connect(m_rename, &QToolButton::clicked, this, [this] { startNameEdit(NameMode::Rename); });
    connect(m_delete, &QToolButton::clicked, this, &ProfilesPanel::confirmDelete);
    connect(m_name, &QLineEdit::returnPressed, this, &ProfilesPanel::commitName);
    connect(m_nameOk, &QPushButton::clicked, this, &ProfilesPanel::commitName);
    connect(m_nameCancel, &QPushButton::clicked, this, &ProfilesPanel::cancelNameEdit);
}

QString ProfilesPanel::currentProfile() const
{
    return m_combo->currentData().toString();
}

void ProfilesPanel::refill(const QString &select)
{
    const QSignalBlocker blocker(m_combo);
    m_combo->clear();
    m_combo->addItem(tr("New profile (from the PG* environment)"), QString());
    const QStringList names = m_store->names();
    for (const QString &name : names)
        m_combo->addItem(name, name);
    selectSilently(select);
}

void ProfilesPanel::selectSilently(const QString &name)
{
    const QSignalBlocker blocker(m_combo);
    const int index = name.isEmpty() ? 0 : m_combo->findData(name);
    m_combo->setCurrentIndex(qMax(0, index));
    updateButtons();
}

void ProfilesPanel::onComboActivated(int index)
{
    const QString name = m_combo->itemData(index).toString();
    if (name.isEmpty())
        newProfile();
    else
        loadProfile(name);
}

bool ProfilesPanel::loadProfile(const QString &name)
{
    const std::optional<Profile> p = m_store->profile(name);
    if (!p)
        return false;
    cancelNameEdit();
    selectSilently(p->name);
    m_form->setEndpoint(p->endpoint);
    m_form->setCompareAllModes(p->compareAllModes);
    m_form->clearPassword(); // another profile's password must not stay behind
    m_remember->setChecked(p->rememberPassword);
    m_store->setLastUsed(p->name);
    m_pendingRead = 0;
    m_pendingReadProfile.clear();
    if (!p->rememberPassword) {
        showStatus(tr("Loaded \"%1\".").arg(p->name));
    } else if (!PasswordStore::isAvailable()) {
        showStatus(tr("Loaded \"%1\".").arg(p->name));
        m_form->requestPassword(
            tr("No keychain in this session: enter the password (it is not saved)."));
    } else {
        showStatus(tr("Loaded \"%1\"; reading its password from the keychain…").arg(p->name));
        m_pendingReadProfile = p->name;
        m_pendingRead = m_passwords->read(p->name);
    }
    updateButtons();
    emit profileLoaded(p->name);
    return true;
}

void ProfilesPanel::newProfile()
{
    cancelNameEdit();
    selectSilently(QString());
    m_pendingRead = 0;
    m_pendingReadProfile.clear();
    m_form->resetToEnvironment();
    m_remember->setChecked(false);
    m_store->setLastUsed(QString());
    showStatus(QString());
}

Profile ProfilesPanel::profileFromForm(const QString &name) const
{
    Profile p;
    p.name = name;
    p.endpoint = m_form->endpoint();
    p.compareAllModes = m_form->compareAllModes();
    p.rememberPassword = m_remember->isChecked();
    return p;
}

void ProfilesPanel::storePassword(const Profile &profile)
{
    // Only the keychain ever receives the password.
    if (!profile.rememberPassword)
        return;
    const QString password = m_form->password();
    if (!password.isEmpty())
        m_passwords->write(profile.name, password);
    else if (m_pendingRead == 0 || m_pendingReadProfile != profile.name)
        showStatus(tr("Saved \"%1\". Type the password and Save again to keep it in the keychain.")
                       .arg(profile.name));
}

void ProfilesPanel::save()
{
    const QString name = currentProfile();
    if (name.isEmpty()) {
        startNameEdit(NameMode::SaveAs);
        return;
    }
    const std::optional<Profile> before = m_store->profile(name);
    const Profile p = profileFromForm(name);
    m_store->save(p);
    m_store->setLastUsed(name);
    showStatus(tr("Saved \"%1\".").arg(name));
    if (before && before->rememberPassword && !p.rememberPassword)
        m_passwords->remove(name); // "remember" unticked: forget it
    storePassword(p);
}

void ProfilesPanel::startNameEdit(NameMode mode)
{
    const QString current = currentProfile();
    if (mode == NameMode::Rename && current.isEmpty())
        return;
    m_nameMode = mode;
    m_name->setText(mode == NameMode::Rename ? current : m_form->endpoint().host);
    m_nameOk->setText(mode == NameMode::Rename ? tr("Rename") : tr("Save"));
    showFieldState(m_name, m_status, FieldState::Neutral,
        mode == NameMode::Rename ? tr("The new name for \"%1\"; Return renames it.").arg(current)
                                 : tr("A name for the new profile; Return saves it."));
    m_status->show();
    m_nameRow->show();
    m_name->setFocus(Qt::OtherFocusReason);
    m_name->selectAll();
}

void ProfilesPanel::cancelNameEdit()
{
    if (m_nameMode == NameMode::None)
        return;
    m_nameMode = NameMode::None;
    m_nameRow->hide();
    showStatus(QString());
}

void ProfilesPanel::commitName()
{
    const NameMode mode = m_nameMode;
    const QString name = m_name->text().trimmed();
    const QString current = currentProfile();
    if (mode == NameMode::None)
        return;
    if (mode == NameMode::Rename && name == current) {
        cancelNameEdit();
        return;
    }
    const QString problem = m_store->checkNewName(name);
    if (!problem.isEmpty()) {
        showFieldState(m_name, m_status, FieldState::Invalid, problem);
        m_name->setFocus(Qt::OtherFocusReason);
        return;
    }
    cancelNameEdit();
    if (mode == NameMode::SaveAs) {
        saveAs(name);
        return;
    }
    const std::optional<Profile> before = m_store->profile(current);
    if (!before || !m_store->rename(current, name)) {
        showStatus(tr("\"%1\" could not be renamed.").arg(current), true);
        return;
    }
    refill(name);
    if (before->rememberPassword) {
        if (m_pendingReadProfile == current)
            m_pendingReadProfile = name;
        m_passwords->move(current, name);
    }
    showStatus(tr("Renamed \"%1\" to \"%2\".").arg(current, name));
}

void ProfilesPanel::saveAs(const QString &name)
{
    const Profile p = profileFromForm(name);
    if (!m_store->save(p))
        return;
    refill(p.name);
    m_store->setLastUsed(p.name);
    showStatus(tr("Saved \"%1\".").arg(p.name));
    storePassword(p);
}

void ProfilesPanel::duplicate()
{
    const QString from = currentProfile();
    const std::optional<Profile> original = m_store->profile(from);
    if (!original)
        return;
    const QString to = m_store->duplicate(from);
    if (to.isEmpty())
        return;
    refill(to);
    m_store->setLastUsed(to);
    // The copy's fields; the password field keeps what it holds (the same endpoint's password).
    m_form->setEndpoint(original->endpoint);
    m_form->setCompareAllModes(original->compareAllModes);
    m_remember->setChecked(original->rememberPassword);
    if (original->rememberPassword)
        m_passwords->copy(from, to);
    showStatus(tr("Duplicated \"%1\" as \"%2\".").arg(from, to));
}

void ProfilesPanel::confirmDelete()
{
    const QString name = currentProfile();
    if (name.isEmpty())
        return;
    // Destructive, so confirmed; open() rather than exec(): no nested event loop.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete profile"),
        tr("Delete the profile \"%1\" and its password saved in the keychain?").arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteProfileConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setTextFormat(Qt::PlainText); // the question names the profile
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("Delete"));
    box->button(QMessageBox::Yes)->setObjectName(QStringLiteral("confirmDeleteProfile"));
    connect(box, &QMessageBox::buttonClicked, this, [this, box, name](QAbstractButton *button) {
        if (box->standardButton(button) != QMessageBox::Yes || currentProfile() != name)
            return;
        deleteCurrent();
    });
    box->open();
}

void ProfilesPanel::deleteCurrent()
{
    const QString name = currentProfile();
    const std::optional<Profile> p = m_store->profile(name);
    if (!p || !m_store->remove(name))
        return;
    if (m_pendingReadProfile == name) {
        m_pendingRead = 0;
        m_pendingReadProfile.clear();
    }
    // Always, not only with "remember": an entry left by an earlier session must not outlive it.
    m_passwords->remove(name);
    refill(QString()); // the form keeps what it shows: Save as… brings it back
    m_remember->setChecked(false);
    showStatus(tr("Deleted \"%1\".").arg(name));
}

void ProfilesPanel::updateButtons()
{
    const bool has = !currentProfile().isEmpty();
    m_duplicate->setEnabled(has);
    m_rename->setEnabled(has);
    m_delete->setEnabled(has);
    m_remember->setEnabled(PasswordStore::isAvailable());
}

void ProfilesPanel::showStatus(const QString &text, bool error)
{
    if (text.isEmpty()) {
        m_status->clear();
        m_status->hide();
        return;
    }
    showFieldState(nullptr, m_status, error ? FieldState::Invalid : FieldState::Neutral, text);
    m_status->show();
}

void ProfilesPanel::showKeychainUnavailable()
{
    if (m_keychainMessage->isVisibleTo(this))
        return; // said once
    const QString reason = PasswordStore::unavailableReason();
    QString text = tr("No keychain is available in this session, so passwords are not saved: "
                      "enter the password each time.");
    if (!reason.isEmpty())
        text += QLatin1Char(' ') + tr("(The keychain said: %1)").arg(reason);
    showFieldState(nullptr, m_keychainMessage, FieldState::Invalid, text);
    m_keychainMessage->show();
    m_remember->setToolTip(tr("No keychain is available in this session"));
    updateButtons();
}

void ProfilesPanel::onKeychainFinished(const PasswordStore::Result &result)
{
    using Status = PasswordStore::Status;
    if (result.status == Status::Unavailable)
        showKeychainUnavailable();
    switch (result.operation) {
    case PasswordStore::Operation::Read: {
        if (result.id != m_pendingRead)
            break; // superseded by another load
        const QString name = m_pendingReadProfile;
        m_pendingRead = 0;
        m_pendingReadProfile.clear();
        const std::optional<Profile> p = m_store->profile(name);
        if (!p || currentProfile() != name || !formShows(m_form, *p))
            break;
        if (result.status == Status::Ok) {
            if (m_form->password().isEmpty()) // never overwrite what the user typed meanwhile
                m_form->setPassword(result.password);
            showStatus(tr("Loaded \"%1\" with its password from the keychain.").arg(name));
        } else if (result.status == Status::NotFound) {
            showStatus(
                tr("Loaded \"%1\"; the keychain holds no password for it: type it and Save to "
                   "keep it.")
                    .arg(name));
        } else {
            m_form->requestPassword(result.status == Status::Unavailable
                    ? tr("No keychain in this session: enter the password (it is not saved).")
                    : tr("The keychain did not give the password (%1): enter it.")
                          .arg(result.errorString));
        }
        break;
    }
    case PasswordStore::Operation::Write:
        if (result.status == Status::Ok)
            showStatus(tr("Saved \"%1\" and its password in the keychain.").arg(result.key));
        else if (result.status == Status::Unavailable)
            showStatus(tr("Saved \"%1\" without its password: no keychain.").arg(result.key));
        else
            showStatus(tr("Saved \"%1\", but the keychain refused its password: %2")
                           .arg(result.key, result.errorString),
                true);
        break;
    case PasswordStore::Operation::Remove:
    case PasswordStore::Operation::Copy:
    case PasswordStore::Operation::Move:
        if (result.status == Status::Failed)
            showStatus(tr("The keychain entry of \"%1\" could not be changed: %2")
                           .arg(result.key, result.errorString),
                true);
        break;
    }
    emit keychainFinished(result);
}

} // namespace pgtls::ui
