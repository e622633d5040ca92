// SPDX-License-Identifier: MIT
#include "CertBuilder.h"
#include "ClientFiles.h"
#include "RootCert.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pgtls;
using namespace Qt::StringLiterals;

// Every row builds a home directory (and files beside it) from a small recipe, then asks which
// files libpq 15 would hang on. The recipe: "name=kind" entries, where name is a path below the
// temporary directory ("home/.postgresql/root.crt", "ca.pem") and kind is "file" (a small
// regular file), "fifo", "zero" (a symbolic link to /dev/zero), "big" (a sparse 20 MiB file) or
// "dir"; "cert" and "key" are a real certificate and its key (mode 0600).
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
    void agreesWithPsqlOnWhichFilesHangLibpq_data();
    void agreesWithPsqlOnWhichFilesHangLibpq();

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
        } else if (kind == u"cert"_s || kind == u"key"_s) {
            static const lab::IssuedCert cert = [] {
                lab::CertRequest req;
                req.subject = { { u"CN"_s, u"ClientFiles test"_s } };
                req.notBefore = QDateTime::currentDateTimeUtc().addDays(-1);
                req.notAfter = QDateTime::currentDateTimeUtc().addDays(30);
                req.isCa = true;
                return lab::CertBuilder::selfSigned(
                    req, lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256));
            }();
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly)
                || f.write(kind == u"cert"_s ? cert.pem : cert.key.toPem()) < 0
                || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
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
    QTest::newRow("a 20 MiB sslcrl is no issue: a large CA's revocation list can be that big")
        << QStringList { u"ca.pem=file"_s, u"revoked.crl=big"_s }
        << QStringList { u"sslrootcert=ca.pem"_s, u"sslcrl=revoked.crl"_s } << u"verify-ca"_s
        << QStringList();
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
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));

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

// libpq is the truth: psql 15 against a server that accepts TLS (it answers 'S', then drops the
// connection at the first TLS byte) either fails at once, or hangs on a file. ClientFiles must
// report an issue exactly when psql hangs.
void TestClientFiles::agreesWithPsqlOnWhichFilesHangLibpq_data()
{
    QTest::addColumn<QStringList>("recipe");
    QTest::addColumn<QString>("conninfo"); // %1 = the temporary directory
    QTest::addColumn<bool>("hangs");
    QTest::newRow("psql hangs on a FIFO as sslrootcert, and it is reported")
        << QStringList { u"ca.pem=fifo"_s } << u"sslmode=require sslrootcert=%1/ca.pem"_s << true;
    QTest::newRow("psql hangs on libpq's default root.crt as a FIFO, and it is reported")
        << QStringList { u"home/.postgresql/root.crt=fifo"_s } << u"sslmode=prefer"_s << true;
    QTest::newRow("psql hangs on libpq's default root.crl as a FIFO beside root.crt")
        << QStringList { u"home/.postgresql/root.crt=cert"_s, u"home/.postgresql/root.crl=fifo"_s }
        << u"sslmode=require"_s << true;
    QTest::newRow("psql hangs on a FIFO as sslcert, and it is reported")
        << QStringList { u"client.crt=fifo"_s } << u"sslmode=require sslcert=%1/client.crt"_s
        << true;
    QTest::newRow("psql does not hang on a FIFO as sslkey (libpq refuses it), nothing reported")
        << QStringList { u"client.crt=cert"_s, u"client.key=fifo"_s }
        << u"sslmode=require sslcert=%1/client.crt sslkey=%1/client.key"_s << false;
    QTest::newRow("psql does not hang on a directory as sslrootcert, nothing reported")
        << QStringList { u"ca.pem=dir"_s } << u"sslmode=require sslrootcert=%1/ca.pem"_s << false;
    QTest::newRow("psql does not hang on real files, nothing reported")
        << QStringList { u"ca.pem=cert"_s, u"client.crt=cert"_s, u"client.key=key"_s }
        << u"sslmode=require sslrootcert=%1/ca.pem sslcert=%1/client.crt sslkey=%1/client.key"_s
        << false;
    QTest::newRow("psql opens no file under sslmode=disable, nothing reported")
        << QStringList { u"home/.postgresql/root.crt=fifo"_s } << u"sslmode=disable"_s << false;
}

void TestClientFiles::agreesWithPsqlOnWhichFilesHangLibpq()
{
    QFETCH(QStringList, recipe);
    QFETCH(QString, conninfo);
    QFETCH(bool, hangs);
    const QString psql = QStandardPaths::findExecutable(u"psql"_s);
    if (psql.isEmpty())
        QSKIP("psql is not installed");
    QTemporaryDir dir;
    QVERIFY(build(dir, recipe));
    QVERIFY(QDir().mkpath(dir.filePath(u"home"_s)));
    const QString params = QString(conninfo).replace(u"%1"_s, dir.path());

    // Our side: which files would hang libpq.
    Endpoint e;
    SslMode mode = SslMode::Require;
    for (const QString &pair : params.split(QLatin1Char(' '))) {
        const QString key = pair.section(QLatin1Char('='), 0, 0);
        const QString value = pair.section(QLatin1Char('='), 1);
        if (key == u"sslmode"_s)
            mode = *parseSslMode(value);
        else if (key == u"sslrootcert"_s)
            e.sslrootcert = value;
        else if (key == u"sslcert"_s)
            e.sslcert = value;
        else if (key == u"sslkey"_s)
            e.sslkey = value;
    }
    const QList<ClientFileIssue> issues = ClientFiles::check(e, mode, dir.filePath(u"home"_s));

    // libpq's side: a server that says yes to TLS, then hangs up at the ClientHello.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, this, [&server] {
        // The sockets are the server's children: they go with it.
        while (QTcpSocket *peer = server.nextPendingConnection()) {
            auto answered = std::make_shared<bool>(false);
            connect(peer, &QTcpSocket::readyRead, peer, [peer, answered] {
                if (!*answered && peer->bytesAvailable() >= 8) {
                    peer->read(8); // SSLRequest
                    peer->write("S");
                    *answered = true;
                } else if (*answered) {
                    peer->abort();
                }
            });
        }
    });
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys()) {
        if (k.startsWith(u"PG"_s))
            env.remove(k);
    }
    env.insert(u"HOME"_s, dir.filePath(u"home"_s));
    env.insert(u"PGGSSENCMODE"_s, u"disable"_s);
    env.insert(u"PGCONNECT_TIMEOUT"_s, u"5"_s);
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(psql, { u"-w"_s, u"-X"_s, u"-c"_s, u"select 1"_s,
                      u"host=127.0.0.1 port=%1 user=nobody dbname=nobody %2"_s
                          .arg(server.serverPort())
                          .arg(params) });
    QVERIFY(p.waitForStarted());
    // A failing psql ends well within this; a psql blocked on a file never does.
    const bool ended = finished.wait(hangs ? 3000 : 10000);
    if (!ended) {
        p.kill();
        p.waitForFinished();
    }
    QVERIFY2(ended != hangs, p.readAllStandardError().constData());
    QVERIFY2(issues.isEmpty() != hangs,
        qPrintable(issues.isEmpty() ? u"no issue"_s : issues.first().message));
}

QTEST_GUILESS_MAIN(TestClientFiles)
#include "TestClientFiles.moc"
