// SPDX-License-Identifier: MIT
// PasswordStore against a real Secret Service (gnome-keyring, started by tests/ui/with-keyring.sh):
// write, read, delete, copy and move (what a profile rename does), each answered once and never
// from inside the call. Without a working keychain this test FAILS (it never skips): the keychain
// is what it tests.
#include "PasswordStore.h"

#include <QtTest>

using namespace pgtls::ui;
using Status = PasswordStore::Status;
using Result = PasswordStore::Result;

class TestPasswordStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void writtenPasswordReadsBack_data();
    void writtenPasswordReadsBack();
    void everyRequestFinishesOnceAndNeverSynchronously();
    void removedPasswordIsGone();
    void readingAMissingKeyIsNotFound();
    void moveTakesTheSecretToTheNewKey();
    void copyKeepsBothKeys();
    void movingAMissingKeyIsNotFoundAndWritesNothing();

private:
    // Runs one request (started by `start`) and returns its single answer.
    template <typename Start> Result run(PasswordStore &store, Start start);
};

template <typename Start> Result TestPasswordStore::run(PasswordStore &store, Start start)
{
    QSignalSpy spy(&store, &PasswordStore::finished);
    const quint64 id = start();
    if (spy.count() != 0) {
        qWarning("answered from inside the call");
        return {};
    }
    if (!spy.wait(20000)) {
        qWarning("no answer within 20 s");
        return {};
    }
    QTest::qWait(0); // anything queued behind it would show up as a second answer
    if (spy.count() != 1)
        qWarning("%d answers", int(spy.count()));
    Result r = spy.at(0).at(0).value<Result>();
    if (r.id != id)
        qWarning("answer for another request");
    return r;
}

void TestPasswordStore::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: run this test through tests/ui/with-keyring.sh (ctest does)");
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    const Result r
        = run(store, [&] { return store.write(QStringLiteral("probe"), QStringLiteral("x")); });
    QVERIFY2(r.status == Status::Ok,
        qPrintable(QStringLiteral("the keychain is not usable (%1): this test needs "
                                  "gnome-keyring and dbus (packaging/install-deps.sh)")
                       .arg(r.errorString)));
    QVERIFY(unavailable.isEmpty());
    QVERIFY(PasswordStore::isAvailable());
}

void TestPasswordStore::writtenPasswordReadsBack_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("password");
    QTest::newRow("a profile name with an ASCII password")
        << QStringLiteral("prod") << QStringLiteral("Tr0ub4dor&3");
    QTest::newRow("a user@host:port/db key with a non-ASCII password")
        << QStringLiteral("alice@db.example.com:5432/sales") << QStringLiteral("pässwörd €");
    QTest::newRow("a password with quotes, spaces and a backslash")
        << QStringLiteral("quotes") << QStringLiteral("a 'b' \"c\" \\d");
}

void TestPasswordStore::writtenPasswordReadsBack()
{
    QFETCH(QString, key);
    QFETCH(QString, password);
    PasswordStore store;
    Result w = run(store, [&] { return store.write(key, password); });
    QCOMPARE(w.status, Status::Ok);
    QCOMPARE(w.operation, PasswordStore::Operation::Write);
    QCOMPARE(w.password, QString()); // a write never hands the secret back
    // A second store (as a new window would have) reads it.
    PasswordStore other;
    Result r = run(other, [&] { return other.read(key); });
    QCOMPARE(r.status, Status::Ok);
    QCOMPARE(r.key, key);
    QCOMPARE(r.password, password);
}

void TestPasswordStore::everyRequestFinishesOnceAndNeverSynchronously()
{
    PasswordStore store;
    QSignalSpy spy(&store, &PasswordStore::finished);
    QList<quint64> ids;
    ids << store.write(QStringLiteral("burst"), QStringLiteral("one"));
    ids << store.read(QStringLiteral("burst"));
    ids << store.write(QStringLiteral("burst"), QStringLiteral("two"));
    ids << store.read(QStringLiteral("burst"));
    ids << store.remove(QStringLiteral("burst"));
    ids << store.read(QStringLiteral("burst"));
    QCOMPARE(spy.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), ids.size(), 20000);
    QList<quint64> answered;
    for (const QList<QVariant> &args : std::as_const(spy))
        answered << args.at(0).value<Result>().id;
    QCOMPARE(answered, ids); // in order, each once
    QCOMPARE(spy.at(1).at(0).value<Result>().password, QStringLiteral("one"));
    QCOMPARE(spy.at(3).at(0).value<Result>().password, QStringLiteral("two"));
    QCOMPARE(spy.at(5).at(0).value<Result>().status, Status::NotFound);
}

void TestPasswordStore::removedPasswordIsGone()
{
    PasswordStore store;
    QCOMPARE(run(store, [&] { return store.write(QStringLiteral("gone"), QStringLiteral("pw")); })
                 .status,
        Status::Ok);
    const Result d = run(store, [&] { return store.remove(QStringLiteral("gone")); });
    QCOMPARE(d.status, Status::Ok);
    QCOMPARE(d.operation, PasswordStore::Operation::Remove);
    const Result r = run(store, [&] { return store.read(QStringLiteral("gone")); });
    QCOMPARE(r.status, Status::NotFound);
    QCOMPARE(r.password, QString());
}

void TestPasswordStore::readingAMissingKeyIsNotFound()
{
    PasswordStore store;
    const Result r = run(store, [&] { return store.read(QStringLiteral("never-written")); });
    QCOMPARE(r.status, Status::NotFound);
    QVERIFY(PasswordStore::isAvailable()); // a missing entry is not a missing keychain
}

void TestPasswordStore::moveTakesTheSecretToTheNewKey()
{
    PasswordStore store;
    QCOMPARE(run(store,
                 [&] {
                     return store.write(
                         QStringLiteral("before rename"), QStringLiteral("moving secret"));
                 })
                 .status,
        Status::Ok);
    const Result m = run(store, [&] {
        return store.move(QStringLiteral("before rename"), QStringLiteral("after rename"));
    });
    QCOMPARE(m.status, Status::Ok);
    QCOMPARE(m.operation, PasswordStore::Operation::Move);
    QCOMPARE(run(store, [&] { return store.read(QStringLiteral("after rename")); }).password,
        QStringLiteral("moving secret"));
    QCOMPARE(run(store, [&] { return store.read(QStringLiteral("before rename")); }).status,
        Status::NotFound);
}

void TestPasswordStore::copyKeepsBothKeys()
{
    PasswordStore store;
    QCOMPARE(run(store,
                 [&] { return store.write(QStringLiteral("original"), QStringLiteral("shared")); })
                 .status,
        Status::Ok);
    QCOMPARE(run(store,
                 [&] {
                     return store.copy(
                         QStringLiteral("original"), QStringLiteral("original (copy)"));
                 })
                 .status,
        Status::Ok);
    QCOMPARE(run(store, [&] { return store.read(QStringLiteral("original")); }).password,
        QStringLiteral("shared"));
    QCOMPARE(run(store, [&] { return store.read(QStringLiteral("original (copy)")); }).password,
        QStringLiteral("shared"));
}

void TestPasswordStore::movingAMissingKeyIsNotFoundAndWritesNothing()
{
    PasswordStore store;
    const Result m = run(
        store, [&] { return store.move(QStringLiteral("no such key"), QStringLiteral("target")); });
    QCOMPARE(m.status, Status::NotFound);
    QCOMPARE(
        run(store, [&] { return store.read(QStringLiteral("target")); }).status, Status::NotFound);
}

QTEST_GUILESS_MAIN(TestPasswordStore)
#include "TestPasswordStore.moc"
