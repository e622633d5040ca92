// SPDX-License-Identifier: MIT
// ProfileStore: profiles round-trip through a QSettings file in a temporary directory; save,
// rename, delete, duplicate, list and last used; the file never holds a password.
#include "ProfileStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::ui;

namespace {

const char kSecret[] = "S3cret-that-must-never-reach-the-settings";

Profile sample(const QString &name)
{
    Profile p;
    p.name = name;
    p.endpoint.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    p.endpoint.hostaddr = QStringLiteral("10.0.3.17");
    p.endpoint.port = 6432;
    p.endpoint.dbname = QStringLiteral("sales");
    p.endpoint.user = QStringLiteral("alice");
    p.endpoint.sslmode = SslMode::VerifyCa;
    p.endpoint.sslrootcert = QStringLiteral("/etc/ssl/rds/global-bundle.pem");
    p.endpoint.connectTimeoutSeconds = 17;
    p.endpoint.extraOptions.insert(QStringLiteral("application_name"), QStringLiteral("probe"));
    p.endpoint.extraOptions.insert(QStringLiteral("sslsni"), QStringLiteral("0"));
    p.compareAllModes = true;
    p.rememberPassword = true;
    return p;
}

void compareProfiles(const Profile &a, const Profile &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.endpoint.host, b.endpoint.host);
    QCOMPARE(a.endpoint.hostaddr, b.endpoint.hostaddr);
    QCOMPARE(a.endpoint.port, b.endpoint.port);
    QCOMPARE(a.endpoint.dbname, b.endpoint.dbname);
    QCOMPARE(a.endpoint.user, b.endpoint.user);
    QCOMPARE(a.endpoint.sslmode, b.endpoint.sslmode);
    QCOMPARE(a.endpoint.sslrootcert, b.endpoint.sslrootcert);
    QCOMPARE(a.endpoint.connectTimeoutSeconds, b.endpoint.connectTimeoutSeconds);
    QCOMPARE(a.endpoint.extraOptions, b.endpoint.extraOptions);
    QCOMPARE(a.compareAllModes, b.compareAllModes);
    QCOMPARE(a.rememberPassword, b.rememberPassword);
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private slots:
    void init();

    void savedProfileReadsBackFromAFreshStore_data();
    void savedProfileReadsBackFromAFreshStore();
    void saveReplacesAProfileOfTheSameName();
    void namesAreListedSortedIgnoringCase();
    void renameMovesTheProfileAndTheLastUsedName();
    void renameRefusesATakenOrEmptyName_data();
    void renameRefusesATakenOrEmptyName();
    void removeDeletesOnlyThatProfile();
    void duplicateAddsCopySuffixes();
    void lastUsedIsRememberedAndForgottenWithTheProfile();
    void passwordNeverReachesTheSettingsFile();
    void keyPassphraseNeverReachesTheSettingsFile();
    void keyPassphraseLeftByAnOlderVersionIsRemovedFromTheFile();

private:
    QString m_file;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(QStringLiteral("settings.ini"));
}

void TestProfileStore::savedProfileReadsBackFromAFreshStore_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("a plain name round-trips") << QStringLiteral("prod");
    QTest::newRow("a name with slashes and backslashes round-trips")
        << QStringLiteral("eu/west\\1 %20 prod");
    QTest::newRow("a name with dots and non-ASCII letters round-trips")
        << QStringLiteral(".lastUsed — Zürich");
    QTest::newRow("a name that looks like a settings key round-trips")
        << QStringLiteral("profiles/host");
}

void TestProfileStore::savedProfileReadsBackFromAFreshStore()
{
    QFETCH(QString, name);
    {
        ProfileStore store(m_file);
        QVERIFY(store.save(sample(name)));
        store.setLastUsed(name);
    }
    ProfileStore fresh(m_file);
    QCOMPARE(fresh.names(), QStringList { name });
    QVERIFY(fresh.contains(name));
    const std::optional<Profile> p = fresh.profile(name);
    QVERIFY(p);
    compareProfiles(*p, sample(name));
    QCOMPARE(fresh.lastUsed(), name);
}

void TestProfileStore::saveReplacesAProfileOfTheSameName()
{
    ProfileStore store(m_file);
    QVERIFY(store.save(sample(QStringLiteral("prod"))));
    Profile changed = sample(QStringLiteral("prod"));
    changed.endpoint.host = QStringLiteral("other.example.com");
    changed.endpoint.extraOptions.clear();
    changed.rememberPassword = false;
    QVERIFY(store.save(changed));
    QCOMPARE(store.names(), QStringList { QStringLiteral("prod") });
    compareProfiles(*store.profile(QStringLiteral("prod")), changed);
    QVERIFY(!store.save(sample(QStringLiteral("   "))));
}

void TestProfileStore::namesAreListedSortedIgnoringCase()
{
    ProfileStore store(m_file);
    for (const char *n : { "staging", "Beta", "alpha", "Prod" })
        QVERIFY(store.save(sample(QString::fromUtf8(n))));
    QCOMPARE(store.names(),
        (QStringList { QStringLiteral("alpha"), QStringLiteral("Beta"), QStringLiteral("Prod"),
            QStringLiteral("staging") }));
}

void TestProfileStore::renameMovesTheProfileAndTheLastUsedName()
{
    ProfileStore store(m_file);
    QVERIFY(store.save(sample(QStringLiteral("old"))));
    store.setLastUsed(QStringLiteral("old"));
    QVERIFY(store.rename(QStringLiteral("old"), QStringLiteral("  new/name  ")));
    QCOMPARE(store.names(), QStringList { QStringLiteral("new/name") });
    QVERIFY(!store.contains(QStringLiteral("old")));
    QCOMPARE(store.lastUsed(), QStringLiteral("new/name"));
    compareProfiles(*store.profile(QStringLiteral("new/name")), sample(QStringLiteral("new/name")));
    QVERIFY(!store.rename(QStringLiteral("old"), QStringLiteral("again"))); // gone
}

void TestProfileStore::renameRefusesATakenOrEmptyName_data()
{
    QTest::addColumn<QString>("newName");
    QTest::newRow("an existing profile's name is refused") << QStringLiteral("b");
    QTest::newRow("an empty name is refused") << QString();
    QTest::newRow("a name of blanks is refused") << QStringLiteral("   ");
}

void TestProfileStore::renameRefusesATakenOrEmptyName()
{
    QFETCH(QString, newName);
    ProfileStore store(m_file);
    QVERIFY(store.save(sample(QStringLiteral("a"))));
    QVERIFY(store.save(sample(QStringLiteral("b"))));
    QVERIFY(!store.checkNewName(newName).isEmpty());
    QVERIFY(!store.rename(QStringLiteral("a"), newName));
    QCOMPARE(store.names(), (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
}

void TestProfileStore::removeDeletesOnlyThatProfile()
{
    ProfileStore store(m_file);
    QVERIFY(store.save(sample(QStringLiteral("a"))));
    QVERIFY(store.save(sample(QStringLiteral("a/b")))); // a "child" of a's group if not encoded
    QVERIFY(store.remove(QStringLiteral("a")));
    QVERIFY(!store.remove(QStringLiteral("a")));
    ProfileStore fresh(m_file);
    QCOMPARE(fresh.names(), QStringList { QStringLiteral("a/b") });
    compareProfiles(*fresh.profile(QStringLiteral("a/b")), sample(QStringLiteral("a/b")));
}

void TestProfileStore::duplicateAddsCopySuffixes()
{
    ProfileStore store(m_file);
    QVERIFY(store.save(sample(QStringLiteral("prod"))));
    QCOMPARE(store.duplicate(QStringLiteral("prod")), QStringLiteral("prod (copy)"));
    QCOMPARE(store.duplicate(QStringLiteral("prod")), QStringLiteral("prod (copy 2)"));
    QCOMPARE(store.duplicate(QStringLiteral("missing")), QString());
    QCOMPARE(store.names(),
        (QStringList { QStringLiteral("prod"), QStringLiteral("prod (copy 2)"),
            QStringLiteral("prod (copy)") }));
    Profile expected = sample(QStringLiteral("prod (copy)"));
    compareProfiles(*store.profile(QStringLiteral("prod (copy)")), expected);
}

void TestProfileStore::lastUsedIsRememberedAndForgottenWithTheProfile()
{
    ProfileStore store(m_file);
    QCOMPARE(store.lastUsed(), QString());
    QVERIFY(store.save(sample(QStringLiteral("a"))));
    QVERIFY(store.save(sample(QStringLiteral("b"))));
    store.setLastUsed(QStringLiteral("b"));
    QCOMPARE(ProfileStore(m_file).lastUsed(), QStringLiteral("b"));
    QVERIFY(store.remove(QStringLiteral("b")));
    QCOMPARE(store.lastUsed(), QString());
    store.setLastUsed(QStringLiteral("a"));
    store.setLastUsed(QString());
    QCOMPARE(ProfileStore(m_file).lastUsed(), QString());
}

void TestProfileStore::passwordNeverReachesTheSettingsFile()
{
    ProfileStore store(m_file);
    Profile p = sample(QStringLiteral("prod"));
    // Even an endpoint that carried one (it never should) does not get it written.
    p.endpoint.extraOptions.insert(QStringLiteral("password"), QLatin1String(kSecret));
    p.endpoint.extraOptions.insert(QStringLiteral("PASSWORD"), QLatin1String(kSecret));
    QVERIFY(store.save(p));
    QVERIFY(store.rename(QStringLiteral("prod"), QStringLiteral("prod2")));
    QVERIFY(!store.duplicate(QStringLiteral("prod2")).isEmpty());
    QFile f(m_file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QVERIFY(all.contains("mydb.c9akciq32")); // the file is the one written
    QVERIFY(!all.contains(kSecret));
    QVERIFY(!store.profile(QStringLiteral("prod2"))
                 ->endpoint.extraOptions.contains(QStringLiteral("password")));
}

void TestProfileStore::keyPassphraseNeverReachesTheSettingsFile()
{
    ProfileStore store(m_file);
    Profile p = sample(QStringLiteral("prod"));
    p.endpoint.sslkey = QStringLiteral("/home/alice/.postgresql/postgresql.key");
    p.endpoint.extraOptions.insert(QStringLiteral("sslpassword"), QLatin1String(kSecret));
    QVERIFY(store.save(p));
    QVERIFY(!store.duplicate(QStringLiteral("prod")).isEmpty());
    QFile f(m_file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QVERIFY(all.contains("postgresql.key")); // the file is the one written
    QVERIFY(!all.contains(kSecret));
    QVERIFY(!all.contains("sslpassword"));
    const std::optional<Profile> back = store.profile(QStringLiteral("prod"));
    QVERIFY(back);
    QVERIFY(!back->endpoint.extraOptions.contains(QStringLiteral("sslpassword")));
    QCOMPARE(back->endpoint.extraOptions.value(QStringLiteral("application_name")),
        QStringLiteral("probe"));
}

void TestProfileStore::keyPassphraseLeftByAnOlderVersionIsRemovedFromTheFile()
{
    {
        // What an older version wrote: the passphrase among the options.
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[profiles]\nold\\name=old\nold\\host=db.example.com\n"
                "old\\options\\sslpassword=");
        f.write(kSecret);
        f.write("\nold\\options\\application_name=probe\n");
    }
    ProfileStore store(m_file);
    const std::optional<Profile> p = store.profile(QStringLiteral("old"));
    QVERIFY(p);
    QCOMPARE(p->endpoint.host, QStringLiteral("db.example.com"));
    QVERIFY(!p->endpoint.extraOptions.contains(QStringLiteral("sslpassword")));
    QCOMPARE(p->endpoint.extraOptions.value(QStringLiteral("application_name")),
        QStringLiteral("probe"));
    // Opening the store was enough: the passphrase left the disk.
    QFile f(m_file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QVERIFY(all.contains("db.example.com"));
    QVERIFY(!all.contains(kSecret));
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "TestProfileStore.moc"
