// SPDX-License-Identifier: MIT
// The no-keychain path: no Secret Service at all (the session bus address points nowhere). The
// store says so once and answers Unavailable; the window's profile panel says so inline once, asks
// for the password each time a profile that wants one is loaded, and nothing holds the password.
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
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include "../support/UiTestHelpers.h"

using namespace pgtls::ui;
using Status = PasswordStore::Status;
using Result = PasswordStore::Result;

namespace {

using pgtls::test::child;
using pgtls::test::everythingUnder;

QTemporaryDir *g_home = nullptr;
const char kSecret[] = "no-keychain-S3cret-never-stored";


void select(QComboBox *combo, const QString &name)
{
    const int index = name.isEmpty() ? 0 : combo->findData(name);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    emit combo->activated(index);
}

} // namespace

class TestNoKeychain : public QObject
{
    Q_OBJECT
private slots:
    void storeSaysOnceAndAnswersUnavailableForEveryRequest();
    void panelSaysSoOnceAndAsksForThePasswordEachTime();
};

void TestNoKeychain::storeSaysOnceAndAnswersUnavailableForEveryRequest()
{
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy finished(&store, &PasswordStore::finished);
    QList<quint64> ids;
    ids << store.write(QStringLiteral("prod"), QLatin1String(kSecret));
    ids << store.read(QStringLiteral("prod"));
    ids << store.move(QStringLiteral("prod"), QStringLiteral("prod2"));
    ids << store.remove(QStringLiteral("prod2"));
    QCOMPARE(finished.count(), 0); // never from inside the call
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), ids.size(), 30000);
    for (int i = 0; i < ids.size(); ++i) {
        const Result r = finished.at(i).at(0).value<Result>();
        QCOMPARE(r.id, ids.at(i));
        QCOMPARE(r.status, Status::Unavailable);
        QCOMPARE(r.password, QString());
    }
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(!PasswordStore::isAvailable());
    QVERIFY(!PasswordStore::unavailableReason().isEmpty());
    // Later requests (another store: the same session) do not say it again.
    PasswordStore later;
    QSignalSpy laterUnavailable(&later, &PasswordStore::keychainUnavailable);
    QSignalSpy laterFinished(&later, &PasswordStore::finished);
    later.read(QStringLiteral("prod"));
    QCOMPARE(laterFinished.count(), 0);
    QVERIFY(laterFinished.wait(5000));
    QCOMPARE(laterFinished.at(0).at(0).value<Result>().status, Status::Unavailable);
    QCOMPARE(laterUnavailable.count(), 0);
}

void TestNoKeychain::panelSaysSoOnceAndAsksForThePasswordEachTime()
{
    MainWindow w;
    w.show();
    auto *panel = w.findChild<ProfilesPanel *>();
    QVERIFY(panel);
    auto *message = child<QLabel>(&w, "keychainMessage");
    QVERIFY(message && message->isVisible()); // known from the first test: said in this window
    QVERIFY(message->text().contains(QLatin1String("enter the password each time")));
    QVERIFY(!child<QCheckBox>(&w, "rememberPassword")->isEnabled());

    // Save a profile that wants its password remembered (the flag only).
    child<QLineEdit>(&w, "host")->setText(QStringLiteral("db.example.com"));
    child<QLineEdit>(&w, "password")->setText(QLatin1String(kSecret));
    child<QCheckBox>(&w, "rememberPassword")->setChecked(true);
    QTest::mouseClick(child<QPushButton>(&w, "saveProfile"), Qt::LeftButton);
    auto *name = child<QLineEdit>(&w, "profileName");
    QVERIFY(name->isVisible());
    name->setText(QStringLiteral("prod"));
    QSignalSpy keychain(panel, &ProfilesPanel::keychainFinished);
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(panel->currentProfile(), QStringLiteral("prod"));
    QVERIFY(keychain.wait(5000));
    QCOMPARE(keychain.at(0).at(0).value<Result>().status, Status::Unavailable);
    QVERIFY(child<QLabel>(&w, "profileStatus")->text().contains(QLatin1String("no keychain")));

    // Each load asks for the password in the form.
    auto *combo = child<QComboBox>(&w, "profileCombo");
    auto *password = child<QLineEdit>(&w, "password");
    for (int round = 0; round < 2; ++round) {
        select(combo, QString());
        password->setText(QStringLiteral("typed"));
        select(combo, QStringLiteral("prod"));
        QCOMPARE(password->text(), QString());
        QCOMPARE(password->property("state").toString(), QStringLiteral("invalid"));
        QVERIFY(child<QLabel>(&w, "passwordHint")->text().contains(QLatin1String("not saved")));
    }
    QCOMPARE(message->text().count(QLatin1String("No keychain")), 1);

    // Nothing anywhere under the home (settings included) holds the password.
    w.close();
    QVERIFY(!everythingUnder(g_home->path()).contains(kSecret));
}

int main(int argc, char **argv)
{
    QTemporaryDir home;
    g_home = &home;
    qputenv("HOME", QFile::encodeName(home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(home.path() + QStringLiteral("/data")));
    // No Secret Service: a session bus that does not exist (no autolaunch either).
    qputenv("DBUS_SESSION_BUS_ADDRESS",
        QFile::encodeName(QStringLiteral("unix:path=%1/no-such-bus").arg(home.path())));
    qunsetenv("DISPLAY");
    for (const char *v : { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE",
             "PGSSLROOTCERT", "PGPASSWORD", "PGSERVICE" })
        qunsetenv(v);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("pgtls-test"));
    QApplication::setApplicationName(QStringLiteral("TestNoKeychain"));
    TestNoKeychain test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestNoKeychain.moc"
