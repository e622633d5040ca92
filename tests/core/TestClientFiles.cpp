// SPDX-License-Identifier: MIT
#include "ClientFiles.h"
#include "RootCert.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pgtls;
using namespace Qt::StringLiterals;

// Every row builds a home directory (and files beside it) from a small recipe, then asks which
// files libpq 15 would hang on. The recipe: "name=kind" entries, where name is a path below the
// temporary directory ("home/.postgresql/root.crt", "ca.pem") and kind is "file" (a small
// regular file), "fifo", "zero" (a symbolic link to /dev/zero), "big" (a sparse 20 MiB file) or
// "dir".
class TestClientFiles : public QObject
{
    Q_OBJECT
private slots:
    void findsTheFilesLibpqWouldHangOn_data();
    void findsTheFilesLibpqWouldHangOn();
    void sslmodeDisableOpensNoFile();
    void withoutAHomeDirectoryThereAreNoDefaultFiles();
    void theMessageSaysWhatTheFileIsAndWhatToDo_data();
    void theMessageSaysWhatTheFileIsAndWhatToDo();
    void rootCertResolutionRecordsTheFilesKind_data();
    void rootCertResolutionRecordsTheFilesKind();

private:
    static bool build(const QTemporaryDir &dir, const QStringList &recipe);
};

bool TestClientFiles::build(const QTemporaryDir &dir, const QStringList &recipe)
{
    for (const QString &entry : recipe) {
        const QString name = entry.section(QLatin1Char('='), 0, 0);
        const QString kind = entry.section(QLatin1Char('='), 1);
        const QString path = dir.filePath(name);
        if (!QDir().mkpath(QFileInfo(path).path()))
            return false;
        if (kind == u"file"_s) {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write("-----BEGIN CERTIFICATE-----\n") < 0)
                return false;
        } else if (kind == u"fifo"_s) {
            if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
                return false;
        } else if (kind == u"zero"_s) {
            if (!QFile::link(u"/dev/zero"_s, path))
                return false;
        } else if (kind == u"big"_s) {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || !f.resize(20 * 1024 * 1024)) // sparse
                return false;
        } else if (kind == u"dir"_s) {
            if (!QDir().mkpath(path))
                return false;
        } else {
            return false;
        }
    }
    return true;
}

void TestClientFiles::findsTheFilesLibpqWouldHangOn_data()
{
    QTest::addColumn<QStringList>("recipe");
    // Connection parameters: keyword=path below the temporary directory (or an absolute path).
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QString>("sslmode");
    // What is found: keyword:path-below-the-directory:kind, in libpq's order.
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("a FIFO as sslrootcert is reported without blocking")
        << QStringList { u"ca.pem=fifo"_s } << QStringList { u"sslrootcert=ca.pem"_s }
        << u"verify-full"_s << QStringList { u"sslrootcert:ca.pem:fifo"_s };
    QTest::newRow("/dev/zero as sslrootcert is refused without reading")
        << QStringList() << QStringList { u"sslrootcert=/dev/zero"_s } << u"require"_s
        << QStringList { u"sslrootcert:/dev/zero:device"_s };
    QTest::newRow("a 20 MiB sslrootcert is refused")
        << QStringList { u"ca.pem=big"_s } << QStringList { u"sslrootcert=ca.pem"_s }
        << u"verify-ca"_s << QStringList { u"sslrootcert:ca.pem:too-large"_s };
    QTest::newRow("a regular CA file is no issue")
        << QStringList { u"ca.pem=file"_s } << QStringList { u"sslrootcert=ca.pem"_s }
        << u"verify-full"_s << QStringList();
    QTest::newRow("a directory as sslrootcert is left to libpq, which fails at once by itself")
        << QStringList { u"ca.pem=dir"_s } << QStringList { u"sslrootcert=ca.pem"_s }
        << u"verify-full"_s << QStringList();
    QTest::newRow("libpq's default root.crt as a FIFO is found")
        << QStringList { u"home/.postgresql/root.crt=fifo"_s } << QStringList() << u"prefer"_s
        << QStringList { u"sslrootcert:home/.postgresql/root.crt:fifo"_s };
    QTest::newRow("libpq's default root.crt as a link to /dev/zero is found under allow too")
        << QStringList { u"home/.postgresql/root.crt=zero"_s } << QStringList() << u"allow"_s
        << QStringList { u"sslrootcert:home/.postgresql/root.crt:device"_s };
    QTest::newRow("libpq's default root.crl as a FIFO is found when root.crt exists")
        << QStringList { u"home/.postgresql/root.crt=file"_s,
               u"home/.postgresql/root.crl=fifo"_s }
        << QStringList() << u"require"_s
        << QStringList { u"sslcrl:home/.postgresql/root.crl:fifo"_s };
    QTest::newRow("libpq's default root.crl is not opened when there is no root file")
        << QStringList { u"home/.postgresql/root.crl=fifo"_s } << QStringList() << u"require"_s
        << QStringList();
    QTest::newRow("libpq's default root.crl is not opened when sslcrldir is set")
        << QStringList { u"home/.postgresql/root.crt=file"_s, u"home/.postgresql/root.crl=fifo"_s,
               u"crls=dir"_s }
        << QStringList { u"sslcrldir=crls"_s } << u"require"_s << QStringList();
    QTest::newRow("a FIFO as sslcrl is found")
        << QStringList { u"ca.pem=file"_s, u"revoked.crl=fifo"_s }
        << QStringList { u"sslrootcert=ca.pem"_s, u"sslcrl=revoked.crl"_s } << u"verify-ca"_s
        << QStringList { u"sslcrl:revoked.crl:fifo"_s };
    QTest::newRow("a FIFO in sslcrldir with a hashed CRL name is found, other names are not")
        << QStringList { u"ca.pem=file"_s, u"crls/0a1b2c3d.r0=fifo"_s,
               u"crls/0a1b2c3d.1=zero"_s, u"crls/README=fifo"_s }
        << QStringList { u"sslrootcert=ca.pem"_s, u"sslcrldir=crls"_s } << u"verify-ca"_s
        << QStringList { u"sslcrldir:crls/0a1b2c3d.1:device"_s,
               u"sslcrldir:crls/0a1b2c3d.r0:fifo"_s };
    QTest::newRow("a FIFO as sslcert is found")
        << QStringList { u"client.crt=fifo"_s } << QStringList { u"sslcert=client.crt"_s }
        << u"require"_s << QStringList { u"sslcert:client.crt:fifo"_s };
    QTest::newRow("libpq's default postgresql.crt as a link to /dev/zero is found")
        << QStringList { u"home/.postgresql/postgresql.crt=zero"_s } << QStringList()
        << u"verify-full"_s
        << QStringList { u"sslcert:home/.postgresql/postgresql.crt:device"_s };
    QTest::newRow("a FIFO as sslkey is left to libpq, which refuses a key that is not a file")
        << QStringList { u"client.crt=file"_s, u"client.key=fifo"_s }
        << QStringList { u"sslcert=client.crt"_s, u"sslkey=client.key"_s } << u"require"_s
        << QStringList();
    QTest::newRow("a 20 MiB sslkey is found when the certificate exists")
        << QStringList { u"client.crt=file"_s, u"client.key=big"_s }
        << QStringList { u"sslcert=client.crt"_s, u"sslkey=client.key"_s } << u"require"_s
        << QStringList { u"sslkey:client.key:too-large"_s };
    QTest::newRow("libpq's default postgresql.key is not opened without a certificate")
        << QStringList { u"home/.postgresql/postgresql.key=big"_s } << QStringList()
        << u"require"_s << QStringList();
    QTest::newRow("an engine:key sslkey is not a file")
        << QStringList { u"client.crt=file"_s } << QStringList { u"sslcert=client.crt"_s,
               u"sslkey=pkcs11:id=%01"_s }
        << u"require"_s << QStringList();
    QTest::newRow("every bad file is listed, in libpq's order")
        << QStringList { u"home/.postgresql/root.crt=fifo"_s,
               u"home/.postgresql/root.crl=zero"_s, u"home/.postgresql/postgresql.crt=file"_s,
               u"home/.postgresql/postgresql.key=big"_s }
        << QStringList() << u"verify-full"_s
        << QStringList { u"sslrootcert:home/.postgresql/root.crt:fifo"_s,
               u"sslcrl:home/.postgresql/root.crl:device"_s,
               u"sslkey:home/.postgresql/postgresql.key:too-large"_s };
}

void TestClientFiles::findsTheFilesLibpqWouldHangOn()
{
    QFETCH(QStringList, recipe);
    QFETCH(QStringList, params);
    QFETCH(QString, sslmode);
    QFETCH(QStringList, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(build(dir, recipe));
    QVERIFY(QDir().mkpath(dir.filePath(u"home"_s)));
    auto resolve = [&dir](const QString &p) {
        return p.startsWith(QLatin1Char('/')) || p.contains(QLatin1Char(':')) ? p : dir.filePath(p);
    };
    Endpoint e;
    for (const QString &param : params) {
        const QString key = param.section(QLatin1Char('='), 0, 0);
        const QString value = resolve(param.section(QLatin1Char('='), 1));
        if (key == u"sslrootcert"_s)
            e.sslrootcert = value;
        else if (key == u"sslcert"_s)
            e.sslcert = value;
        else if (key == u"sslkey"_s)
            e.sslkey = value;
        else
            e.extraOptions.insert(key, value);
    }
    const auto mode = parseSslMode(sslmode);
    QVERIFY(mode);

    QElapsedTimer timer;
    timer.start();
    const QList<ClientFileIssue> issues = ClientFiles::check(e, *mode, dir.filePath(u"home"_s));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));

    QStringList found;
    for (const ClientFileIssue &i : issues) {
        QString path = i.path;
        if (path.startsWith(dir.path() + QLatin1Char('/')))
            path = path.mid(dir.path().size() + 1);
        found << u"%1:%2:%3"_s.arg(i.keyword, path, SafeFileStatus::kindName(i.kind));
        QCOMPARE(i.isDefault, i.path.contains(u"/home/.postgresql/"_s));
        QVERIFY2(i.message.contains(i.path), qPrintable(i.message));
        QCOMPARE(i.size >= 0, i.kind == SafeFileStatus::Kind::TooLarge);
    }
    QCOMPARE(found, expected);
}

void TestClientFiles::sslmodeDisableOpensNoFile()
{
    QTemporaryDir dir;
    QVERIFY(build(dir, { u"home/.postgresql/root.crt=fifo"_s, u"client.crt=fifo"_s }));
    Endpoint e;
    e.sslcert = dir.filePath(u"client.crt"_s);
    QVERIFY(ClientFiles::check(e, SslMode::Disable, dir.filePath(u"home"_s)).isEmpty());
    QCOMPARE(ClientFiles::check(e, SslMode::Require, dir.filePath(u"home"_s)).size(), 2);
}

void TestClientFiles::withoutAHomeDirectoryThereAreNoDefaultFiles()
{
    QTemporaryDir dir;
    QVERIFY(build(dir, { u"home/.postgresql/root.crt=fifo"_s, u"ca.pem=fifo"_s }));
    Endpoint e;
    QVERIFY(ClientFiles::check(e, SslMode::VerifyFull, QString()).isEmpty());
    e.sslrootcert = dir.filePath(u"ca.pem"_s);
    QCOMPARE(ClientFiles::check(e, SslMode::VerifyFull, QString()).size(), 1);
}

void TestClientFiles::theMessageSaysWhatTheFileIsAndWhatToDo_data()
{
    QTest::addColumn<QString>("recipe");
    QTest::addColumn<bool>("named");
    QTest::addColumn<QStringList>("says");
    QTest::newRow("a named FIFO: sslrootcert, a named pipe, waits for ever, point it elsewhere")
        << u"ca.pem=fifo"_s << true
        << QStringList { u"(sslrootcert)"_s, u"named pipe (FIFO)"_s, u"for ever"_s,
               u"No connection is attempted"_s, u"Point sslrootcert at"_s };
    QTest::newRow("the default root.crt as /dev/zero: libpq's default, without end, replace it")
        << u"home/.postgresql/root.crt=zero"_s << false
        << QStringList { u"libpq's default CA file"_s, u"a device"_s, u"without end"_s,
               u"Replace"_s };
    QTest::newRow("a 20 MiB CA file: its size in MiB and the limit")
        << u"ca.pem=big"_s << true << QStringList { u"20.0 MiB"_s, u"limit of 16 MiB"_s };
}

void TestClientFiles::theMessageSaysWhatTheFileIsAndWhatToDo()
{
    QFETCH(QString, recipe);
    QFETCH(bool, named);
    QFETCH(QStringList, says);
    QTemporaryDir dir;
    QVERIFY(build(dir, { recipe }));
    Endpoint e;
    if (named)
        e.sslrootcert = dir.filePath(recipe.section(QLatin1Char('='), 0, 0));
    const QList<ClientFileIssue> issues
        = ClientFiles::check(e, SslMode::VerifyFull, dir.filePath(u"home"_s));
    QCOMPARE(issues.size(), 1);
    for (const QString &s : says)
        QVERIFY2(issues.first().message.contains(s), qPrintable(issues.first().message));
}

void TestClientFiles::rootCertResolutionRecordsTheFilesKind_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("fileKind");
    QTest::addColumn<bool>("problem");
    QTest::newRow("a FIFO root file exists for libpq, with its problem said")
        << u"fifo"_s << int(SafeFileStatus::Kind::Fifo) << true;
    QTest::newRow("a root file linked to /dev/zero is a device, with its problem said")
        << u"zero"_s << int(SafeFileStatus::Kind::Device) << true;
    QTest::newRow("a regular root file has no problem")
        << u"file"_s << int(SafeFileStatus::Kind::Regular) << false;
    QTest::newRow("a root directory is left to libpq")
        << u"dir"_s << int(SafeFileStatus::Kind::Directory) << false;
}

void TestClientFiles::rootCertResolutionRecordsTheFilesKind()
{
    QFETCH(QString, kind);
    QFETCH(int, fileKind);
    QFETCH(bool, problem);
    QTemporaryDir dir;
    QVERIFY(build(dir, { u"home/.postgresql/root.crt="_s + kind }));
    const RootCertResolution r
        = RootCert::resolve(SslMode::VerifyFull, QString(), dir.filePath(u"home"_s));
    QVERIFY(r.isDefault);
    QVERIFY(r.exists);
    QVERIFY(r.verifies);
    QCOMPARE(int(r.fileKind), fileKind);
    QCOMPARE(!r.fileProblem.isEmpty(), problem);
    if (problem)
        QVERIFY2(r.fileProblem.contains(r.path), qPrintable(r.fileProblem));

    const RootCertResolution missing = RootCert::resolve(
        SslMode::VerifyFull, dir.filePath(u"nothing.pem"_s), dir.filePath(u"home"_s));
    QVERIFY(!missing.exists);
    QCOMPARE(missing.fileKind, SafeFileStatus::Kind::Missing);
    QVERIFY(missing.fileProblem.isEmpty());
    QVERIFY(!missing.error.isEmpty());
}

QTEST_GUILESS_MAIN(TestClientFiles)
#include "TestClientFiles.moc"
