// SPDX-License-Identifier: MIT
// The profile panel in the real window, with a real Secret Service (gnome-keyring through
// tests/ui/with-keyring.sh; this test FAILS without it): a profile saved with "remember password"
// gives its password back, asynchronously, in a fresh window; rename and delete move and delete the
// keychain entry; the settings never hold the password.
#include "EndpointForm.h"
#include "MainWindow.h"
#include "PasswordStore.h"
#include "ProfilesPanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "../support/UiTestHelpers.h"

using namespace pgtls::ui;
using Status = PasswordStore::Status;
using Result = PasswordStore::Result;

namespace {

using pgtls::test::child;
using pgtls::test::everythingUnder;

QTemporaryDir *g_config = nullptr;
const char kSecret[] = "Keyring-S3cret-not-in-the-settings";


void select(QComboBox *combo, const QString &name)
{
    const int index = name.isEmpty() ? 0 : combo->findData(name);
    QVERIFY2(index >= 0, qPrintable(name));
    combo->setCurrentIndex(index);
    emit combo->activated(index);
}

// The keychain's own answer for `key`, read through a store of our own.
Result keychainRead(const QString &key)
{
    PasswordStore store;
    QSignalSpy spy(&store, &PasswordStore::finished);
    store.read(key);
    if (!spy.wait(20000))
        return {};
    return spy.at(0).at(0).value<Result>();
}

} // namespace

class TestProfilesWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void rememberedPasswordComesBackInAFreshWindow();
    void renameMovesAndDeleteRemovesTheKeychainEntry();
    void untickingRememberForgetsThePassword();
};

void TestProfilesWindow::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: run this test through tests/ui/with-keyring.sh (ctest does)");
    QSettings().clear();
}

void TestProfilesWindow::rememberedPasswordComesBackInAFreshWindow()
{
    {
        MainWindow w;
        w.show();
        auto *panel = w.findChild<ProfilesPanel *>();
        QVERIFY(panel);
        QCOMPARE(panel->currentProfile(), QString()); // nothing saved yet: a new profile
        child<QLineEdit>(&w, "host")->setText(QStringLiteral("mydb.example.com"));
        child<QLineEdit>(&w, "hostaddr")->setText(QStringLiteral("127.0.0.1"));
        child<QSpinBox>(&w, "port")->setValue(6543);
        child<QLineEdit>(&w, "user")->setText(QStringLiteral("alice"));
        child<QLineEdit>(&w, "dbname")->setText(QStringLiteral("sales"));
        child<QCheckBox>(&w, "compareAllModes")->setChecked(true);
        child<QLineEdit>(&w, "password")->setText(QLatin1String(kSecret));
        auto *remember = child<QCheckBox>(&w, "rememberPassword");
        QVERIFY(remember->isEnabled());
        remember->setChecked(true);

        QTest::mouseClick(child<QPushButton>(&w, "saveProfile"), Qt::LeftButton);
        auto *name = child<QLineEdit>(&w, "profileName");
        QVERIFY(name->isVisible());
        QCOMPARE(name->text(), QStringLiteral("mydb.example.com")); // suggested: the host
        name->setText(QStringLiteral("prod"));
        QSignalSpy keychain(panel, &ProfilesPanel::keychainFinished);
        QTest::keyClick(name, Qt::Key_Return);
        QVERIFY(!name->isVisible());
        QCOMPARE(panel->currentProfile(), QStringLiteral("prod"));
        QVERIFY(keychain.wait(20000));
        const Result written = keychain.at(0).at(0).value<Result>();
        QCOMPARE(written.operation, PasswordStore::Operation::Write);
        QVERIFY2(written.status == Status::Ok, qPrintable(written.errorString));
        QVERIFY(child<QLabel>(&w, "profileStatus")->text().contains(QLatin1String("keychain")));
        QVERIFY(!child<QLabel>(&w, "keychainMessage")->isVisible());
    }

    // A fresh window opens the last used profile; the password arrives later, from the keychain.
    MainWindow w;
    w.show();
    auto *panel = w.findChild<ProfilesPanel *>();
    auto *password = child<QLineEdit>(&w, "password");
    QCOMPARE(panel->currentProfile(), QStringLiteral("prod"));
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), QStringLiteral("mydb.example.com"));
    QCOMPARE(child<QSpinBox>(&w, "port")->value(), 6543);
    QVERIFY(w.form()->compareAllModes());
    QCOMPARE(password->text(), QString()); // not synchronously
    QTRY_COMPARE_WITH_TIMEOUT(password->text(), QLatin1String(kSecret), 20000);

    // Choosing it again from the list: cleared at once, back asynchronously.
    auto *combo = child<QComboBox>(&w, "profileCombo");
    select(combo, QString());
    QCOMPARE(password->text(), QString());
    QCOMPARE(child<QLineEdit>(&w, "host")->text(), QString());
    QSignalSpy loaded(panel, &ProfilesPanel::keychainFinished);
    select(combo, QStringLiteral("prod"));
    QCOMPARE(password->text(), QString());
    QVERIFY(loaded.wait(20000));
    QCOMPARE(password->text(), QLatin1String(kSecret));

    w.close();
    const QByteArray settings = everythingUnder(g_config->path());
    QVERIFY(settings.contains("mydb.example.com")); // the profile is there...
    QVERIFY(!settings.contains(kSecret)); // ...its password is not
}

void TestProfilesWindow::renameMovesAndDeleteRemovesTheKeychainEntry()
{
    MainWindow w;
    w.show();
    auto *panel = w.findChild<ProfilesPanel *>();
    QCOMPARE(panel->currentProfile(), QStringLiteral("prod"));
    QTRY_COMPARE_WITH_TIMEOUT(w.form()->password(), QLatin1String(kSecret), 20000);

    QSignalSpy keychain(panel, &ProfilesPanel::keychainFinished);
    QTest::mouseClick(child<QToolButton>(&w, "renameProfile"), Qt::LeftButton);
    auto *name = child<QLineEdit>(&w, "profileName");
    QCOMPARE(name->text(), QStringLiteral("prod"));
    name->setText(QStringLiteral("production"));
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(panel->currentProfile(), QStringLiteral("production"));
    QVERIFY(keychain.wait(20000));
    QCOMPARE(keychain.last().at(0).value<Result>().operation, PasswordStore::Operation::Move);
    QCOMPARE(keychain.last().at(0).value<Result>().status, Status::Ok);
    QCOMPARE(keychainRead(QStringLiteral("production")).password, QLatin1String(kSecret));
    QCOMPARE(keychainRead(QStringLiteral("prod")).status, Status::NotFound);

    // Duplicate copies the secret too.
    QTest::mouseClick(child<QToolButton>(&w, "duplicateProfile"), Qt::LeftButton);
    QCOMPARE(panel->currentProfile(), QStringLiteral("production (copy)"));
    QVERIFY(keychain.wait(20000));
    QCOMPARE(keychainRead(QStringLiteral("production (copy)")).password, QLatin1String(kSecret));

    // Delete asks first (window-modal, no nested loop); Cancel keeps everything.
    QTest::mouseClick(child<QToolButton>(&w, "deleteProfile"), Qt::LeftButton);
    auto *box = w.findChild<QMessageBox *>(QStringLiteral("deleteProfileConfirmation"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    box->button(QMessageBox::Cancel)->click();
    QCOMPARE(panel->currentProfile(), QStringLiteral("production (copy)"));
    QTest::mouseClick(child<QToolButton>(&w, "deleteProfile"), Qt::LeftButton);
    QTRY_VERIFY(w.findChild<QPushButton *>(QStringLiteral("confirmDeleteProfile")));
    const int before = keychain.count();
    w.findChild<QPushButton *>(QStringLiteral("confirmDeleteProfile"))->click();
    QCOMPARE(panel->currentProfile(), QString());
    QCOMPARE(
        child<QComboBox>(&w, "profileCombo")->findData(QStringLiteral("production (copy)")), -1);
    QTRY_COMPARE_WITH_TIMEOUT(keychain.count(), before + 1, 20000);
    QCOMPARE(keychainRead(QStringLiteral("production (copy)")).status, Status::NotFound);
    QCOMPARE(keychainRead(QStringLiteral("production")).password, QLatin1String(kSecret));
}

void TestProfilesWindow::untickingRememberForgetsThePassword()
{
    MainWindow w;
    w.show();
    auto *panel = w.findChild<ProfilesPanel *>();
    select(child<QComboBox>(&w, "profileCombo"), QStringLiteral("production"));
    QTRY_COMPARE_WITH_TIMEOUT(w.form()->password(), QLatin1String(kSecret), 20000);
    child<QCheckBox>(&w, "rememberPassword")->setChecked(false);
    QSignalSpy keychain(panel, &ProfilesPanel::keychainFinished);
    QTest::mouseClick(child<QPushButton>(&w, "saveProfile"), Qt::LeftButton);
    QVERIFY(keychain.wait(20000));
    QCOMPARE(keychain.at(0).at(0).value<Result>().operation, PasswordStore::Operation::Remove);
    QCOMPARE(keychainRead(QStringLiteral("production")).status, Status::NotFound);
    w.close();
    QVERIFY(!everythingUnder(g_config->path()).contains(kSecret));
}

int main(int argc, char **argv)
{
    QTemporaryDir config;
    g_config = &config;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(config.path()));
    for (const char *v : { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE",
             "PGSSLROOTCERT", "PGPASSWORD", "PGSERVICE" })
        qunsetenv(v);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("pgtls-test"));
    QApplication::setApplicationName(QStringLiteral("TestProfilesWindow"));
    TestProfilesWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestProfilesWindow.moc"
