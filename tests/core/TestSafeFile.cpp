// SPDX-License-Identifier: MIT
#include "SafeFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace pgtls;

class TestSafeFile : public QObject
{
    Q_OBJECT
private slots:
    void aRegularFileIsReadThroughTheCheckedDescriptor();
    void whatIsNotAFileIsRefusedWithoutReading_data();
    void whatIsNotAFileIsRefusedWithoutReading();
    void aFileOverTheBoundIsRefused();
    void aDanglingLinkIsMissing();
    void existsIsWhatLibpqsStatSees_data();
    void existsIsWhatLibpqsStatSees();
    void aLinkIsNotFollowedWhenAskedNotTo();
};

void TestSafeFile::aRegularFileIsReadThroughTheCheckedDescriptor()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ca.pem"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("-----BEGIN CERTIFICATE-----\n");
    f.close();
    const SafeFileStatus s = SafeFile::read(path);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QCOMPARE(s.data, QByteArray("-----BEGIN CERTIFICATE-----\n"));
    QCOMPARE(s.size, 28);
    QVERIFY(s.error.isEmpty());
    QVERIFY(SafeFile::check(path).data.isEmpty()); // check() never reads
}

void TestSafeFile::whatIsNotAFileIsRefusedWithoutReading_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("kind");
    QTest::newRow("a FIFO is named as one, and opening it does not wait for a writer")
        << "fifo" << int(SafeFileStatus::Kind::Fifo);
    QTest::newRow("/dev/zero is a device that never ends")
        << "/dev/zero" << int(SafeFileStatus::Kind::Device);
    QTest::newRow("a directory is not a file") << "dir" << int(SafeFileStatus::Kind::Directory);
    QTest::newRow("a missing file is missing") << "missing" << int(SafeFileStatus::Kind::Missing);
    QTest::newRow("a path through a file is missing")
        << "file/below" << int(SafeFileStatus::Kind::Missing);
}

void TestSafeFile::whatIsNotAFileIsRefusedWithoutReading()
{
    QFETCH(QString, what);
    QFETCH(int, kind);
    QTemporaryDir dir;
    QString path = what.startsWith(QLatin1Char('/')) ? what : dir.filePath(what);
    if (what == QLatin1String("fifo"))
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    if (what == QLatin1String("dir"))
        QVERIFY(QDir(dir.path()).mkdir(what));
    if (what == QLatin1String("file/below")) {
        QFile f(dir.filePath(QStringLiteral("file")));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    for (const SafeFileStatus &s : { SafeFile::check(path), SafeFile::read(path) }) {
        QCOMPARE(int(s.kind), kind);
        QVERIFY(!s.ok());
        QVERIFY(s.data.isEmpty());
        QVERIFY2(s.error.contains(path), qPrintable(s.error));
    }
}

void TestSafeFile::aFileOverTheBoundIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4097, 'x'));
    f.close();
    const SafeFileStatus s = SafeFile::read(path, 4096);
    QCOMPARE(s.kind, SafeFileStatus::Kind::TooLarge);
    QVERIFY(s.data.isEmpty());
    QVERIFY(SafeFile::read(path, 4097).ok());
}

void TestSafeFile::aDanglingLinkIsMissing()
{
    QTemporaryDir dir;
    const QString link = dir.filePath(QStringLiteral("root.crt"));
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere")), link));
    QCOMPARE(SafeFile::read(link).kind, SafeFileStatus::Kind::Missing);
}

void TestSafeFile::existsIsWhatLibpqsStatSees_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<bool>("exists");
    QTest::newRow("a FIFO exists for libpq") << "fifo" << true;
    QTest::newRow("/dev/zero exists for libpq") << "/dev/zero" << true;
    QTest::newRow("a directory exists for libpq") << "dir" << true;
    QTest::newRow("a regular file exists for libpq") << "file" << true;
    QTest::newRow("a file over the bound exists for libpq") << "big" << true;
    QTest::newRow("a missing file does not exist") << "missing" << false;
    QTest::newRow("a dangling link does not exist") << "dangling" << false;
}

void TestSafeFile::existsIsWhatLibpqsStatSees()
{
    QFETCH(QString, what);
    QFETCH(bool, exists);
    QTemporaryDir dir;
    QString path = what.startsWith(QLatin1Char('/')) ? what : dir.filePath(what);
    if (what == QLatin1String("fifo"))
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    if (what == QLatin1String("dir"))
        QVERIFY(QDir(dir.path()).mkdir(what));
    if (what == QLatin1String("file") || what == QLatin1String("big")) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(what == QLatin1String("big") ? 100 : 10, 'x'));
    }
    if (what == QLatin1String("dangling"))
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere")), path));
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st) == 0, exists);
    QCOMPARE(SafeFile::check(path, 50).exists, exists);
    QCOMPARE(SafeFile::read(path, 50).exists, exists);
}

void TestSafeFile::aLinkIsNotFollowedWhenAskedNotTo()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("target.pem"));
    QFile f(target);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("target\n");
    f.close();
    const QString link = dir.filePath(QStringLiteral("root.crt"));
    QVERIFY(QFile::link(target, link));

    QVERIFY(SafeFile::read(link).ok());
    QCOMPARE(SafeFile::read(link).data, QByteArray("target\n"));
    const SafeFileStatus s
        = SafeFile::read(link, SafeFile::kDefaultMaxBytes, SafeFile::Links::DoNotFollow);
    QCOMPARE(s.kind, SafeFileStatus::Kind::SymLink);
    QVERIFY(s.exists);
    QVERIFY(s.data.isEmpty());
    QVERIFY2(s.error.contains(link) && s.error.contains(target), qPrintable(s.error));
    // A regular file is read the same either way.
    QCOMPARE(SafeFile::read(target, 100, SafeFile::Links::DoNotFollow).data,
        QByteArray("target\n"));
}

QTEST_GUILESS_MAIN(TestSafeFile)
#include "TestSafeFile.moc"
