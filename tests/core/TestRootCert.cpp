// SPDX-License-Identifier: MIT
// RootCert: the CA file as libpq 15 sees it (stat(), then SSL_CTX_load_verify_locations()), looked
// at once per inspection and resolved for each sslmode without looking again.
#include "RootCert.h"
#include "../support/TestCerts.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;

Q_DECLARE_METATYPE(pgtls::SslMode)

class TestRootCert : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void theFileIsLoadedAsLibpqLoadsIt_data();
    void theFileIsLoadedAsLibpqLoadsIt();
    void eachModeGetsLibpqsMessage_data();
    void eachModeGetsLibpqsMessage();
    void otherModesDoNotLookAtTheFileAgain();
    void statOnlyDoesNotReadTheFile();

private:
    QString write(const QString &name, const QByteArray &data);
    QTemporaryDir m_dir;
};

QString TestRootCert::write(const QString &name, const QByteArray &data)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(data);
    return path;
}

void TestRootCert::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const test::TestCert a = test::makeCert(QStringLiteral("Root A"), nullptr, true);
    const test::TestCert b = test::makeCert(QStringLiteral("Root B"), nullptr, true);
    QVERIFY(!write(QStringLiteral("two.pem"), a.cert.pem + b.cert.pem).isEmpty());
    QVERIFY(!write(QStringLiteral("readme.pem"), "a README, not a certificate\n").isEmpty());
    QVERIFY(!write(QStringLiteral("empty.pem"), QByteArray()).isEmpty());
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("dir.pem")));
}

void TestRootCert::theFileIsLoadedAsLibpqLoadsIt_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("exists");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("certificates");
    QTest::addColumn<QString>("loadError"); // what libpq's message ends with; empty: loads
    QTest::newRow("a bundle of two certificates loads, and both are counted")
        << QStringLiteral("two.pem") << true << QStringLiteral("usable") << 2 << QString();
    QTest::newRow("a text file without a certificate fails to load, in libpq's words")
        << QStringLiteral("readme.pem") << true << QStringLiteral("unusable") << 0
        << QStringLiteral("no certificate or crl found");
    QTest::newRow("an empty file fails to load, in libpq's words")
        << QStringLiteral("empty.pem") << true << QStringLiteral("unusable") << 0
        << QStringLiteral("no certificate or crl found");
    QTest::newRow("a directory exists for stat() and fails to load, as psql shows")
        << QStringLiteral("dir.pem") << true << QStringLiteral("unusable") << -1
        << QStringLiteral("no certificate or crl found");
    QTest::newRow("a file that does not exist is missing, with nothing loaded")
        << QStringLiteral("global-bundel.pem") << false << QStringLiteral("missing") << -1
        << QString();
}

void TestRootCert::theFileIsLoadedAsLibpqLoadsIt()
{
    QFETCH(QString, name);
    QFETCH(bool, exists);
    QFETCH(QString, state);
    QFETCH(int, certificates);
    QFETCH(QString, loadError);
    const QString path = m_dir.filePath(name);
    const RootCertResolution r = RootCert::resolve(SslMode::Prefer, path, m_dir.path());
    QCOMPARE(r.path, path);
    QVERIFY(r.named());
    QCOMPARE(r.exists, exists);
    QCOMPARE(r.stateName(), state);
    QCOMPARE(r.certificates, certificates);
    if (loadError.isEmpty()) {
        QVERIFY2(r.loadError.isEmpty(), qPrintable(r.loadError));
    } else {
        QCOMPARE(r.loadError,
            QStringLiteral("could not read root certificate file \"%1\": %2").arg(path, loadError));
    }
    QCOMPARE(r.usable(), state == QLatin1String("usable"));
}

void TestRootCert::eachModeGetsLibpqsMessage_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<bool>("verifies");
    QTest::addColumn<QString>("error"); // the start of libpq's message; empty: none
    const QString missing = QStringLiteral("root certificate file \"%1\" does not exist")
                                .arg(m_dir.filePath(QStringLiteral("global-bundel.pem")));
    const QString unreadable = QStringLiteral("could not read root certificate file");
    QTest::newRow("a missing named file under require: no message, nothing verified")
        << QStringLiteral("global-bundel.pem") << SslMode::Require << false << QString();
    QTest::newRow("a missing named file under prefer: no message, nothing verified")
        << QStringLiteral("global-bundel.pem") << SslMode::Prefer << false << QString();
    QTest::newRow("a missing named file under verify-ca: libpq's does-not-exist")
        << QStringLiteral("global-bundel.pem") << SslMode::VerifyCa << false << missing;
    QTest::newRow("a missing named file under verify-full: libpq's does-not-exist")
        << QStringLiteral("global-bundel.pem") << SslMode::VerifyFull << false << missing;
    QTest::newRow("a file without a certificate under allow: libpq's could-not-read")
        << QStringLiteral("readme.pem") << SslMode::Allow << true << unreadable;
    QTest::newRow("a file without a certificate under require: libpq's could-not-read")
        << QStringLiteral("readme.pem") << SslMode::Require << true << unreadable;
    QTest::newRow("a file without a certificate under disable: unused, no message")
        << QStringLiteral("readme.pem") << SslMode::Disable << false << QString();
    QTest::newRow("a good bundle under require: verified, no message")
        << QStringLiteral("two.pem") << SslMode::Require << true << QString();
}

void TestRootCert::eachModeGetsLibpqsMessage()
{
    QFETCH(QString, name);
    QFETCH(SslMode, mode);
    QFETCH(bool, verifies);
    QFETCH(QString, error);
    const RootCertResolution r = RootCert::resolve(mode, m_dir.filePath(name), m_dir.path());
    QCOMPARE(r.verifies, verifies);
    if (error.isEmpty())
        QVERIFY2(r.tlsStartError().isEmpty(), qPrintable(r.tlsStartError()));
    else
        QVERIFY2(r.tlsStartError().startsWith(error), qPrintable(r.tlsStartError()));
}

void TestRootCert::otherModesDoNotLookAtTheFileAgain()
{
    // Looked at once: once the file is gone, every mode still sees what was found.
    const test::TestCert a = test::makeCert(QStringLiteral("Gone"), nullptr, true);
    const QString path = write(QStringLiteral("gone.pem"), a.cert.pem);
    const RootCertResolution looked = RootCert::resolve(SslMode::VerifyFull, path, m_dir.path());
    QVERIFY(QFile::remove(path));
    for (SslMode mode : allSslModes()) {
        const RootCertResolution r = RootCert::forMode(mode, looked);
        QVERIFY(r.exists);
        QCOMPARE(r.certificates, 1);
        QCOMPARE(r.verifies, mode != SslMode::Disable);
        QVERIFY2(r.tlsStartError().isEmpty(), qPrintable(r.tlsStartError()));
        QCOMPARE(r.checksHostName, mode == SslMode::VerifyFull);
    }
    // While looking again does see it gone.
    QVERIFY(!RootCert::resolve(SslMode::VerifyFull, path, m_dir.path()).exists);
}

void TestRootCert::statOnlyDoesNotReadTheFile()
{
    const RootCertResolution r = RootCert::resolve(SslMode::Require,
        m_dir.filePath(QStringLiteral("readme.pem")), m_dir.path(), RootCert::Contents::StatOnly);
    QVERIFY(r.exists);
    QCOMPARE(r.certificates, -1);
    QVERIFY(r.loadError.isEmpty());
}

QTEST_GUILESS_MAIN(TestRootCert)
#include "TestRootCert.moc"
