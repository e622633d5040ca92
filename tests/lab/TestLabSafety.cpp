// SPDX-License-Identifier: MIT
// The lab's file-system safety when it runs as root, on a real file system: stale-lab cleanup
// (whose labs, which postmaster), the link-safe remove and the exclusive file writer. Everything
// happens in a private directory under /tmp (not /tmp itself, where other labs come and go), with
// the same code the lab runs on /tmp. The executable doubles as a fake postmaster:
// `TestLabSafety --fake-postmaster ARGS...` prints "READY", answers "PING" with "PONG" on stdin and
// exits at end of input (or after 60 s), so that a test controls its command line and directory.
#include "LabFiles.h"
#include "SafeRemove.h"
#include "StaleLabs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <memory>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pgtls::lab;

namespace {

const QString kPrefix = QStringLiteral("pgtls-lab-");
// A pid no process can have (above any pid_max): the owner of the lab is gone.
const QByteArray kDeadOwner = "999999999 1\n";
constexpr uid_t kNobody = 65534;

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

bool writePlain(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QByteArray readPlain(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

bool isSymLink(const QString &path)
{
    struct stat st
    {
    };
    return ::lstat(native(path).constData(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool exists(const QString &path)
{
    struct stat st
    {
    };
    return ::lstat(native(path).constData(), &st) == 0;
}

// A stale-looking lab: base/NAME with owner.pid (dead owner unless told) and an empty data/.
bool makeLab(const QString &base, const QString &name, const QByteArray &owner = kDeadOwner)
{
    const QString dir = base + QLatin1Char('/') + name;
    return ::mkdir(native(dir).constData(), 0700) == 0
        && (owner.isNull() || writePlain(dir + QStringLiteral("/owner.pid"), owner))
        && ::mkdir(native(dir + QStringLiteral("/data")).constData(), 0700) == 0;
}

// An outside tree that nothing may touch: precious.txt and sub/deep.txt.
bool makeOutsideTree(const QString &dir)
{
    return QDir().mkpath(dir + QStringLiteral("/sub"))
        && writePlain(dir + QStringLiteral("/precious.txt"), "precious")
        && writePlain(dir + QStringLiteral("/sub/deep.txt"), "deep");
}

bool outsideTreeIntact(const QString &dir)
{
    return readPlain(dir + QStringLiteral("/precious.txt")) == "precious"
        && readPlain(dir + QStringLiteral("/sub/deep.txt")) == "deep";
}

// A fake postmaster: this executable, with the arguments and working directory of a row.
class FakePostmaster
{
public:
    FakePostmaster(const QStringList &args, const QString &workingDirectory)
    {
        m_process.setProgram(QCoreApplication::applicationFilePath());
        m_process.setArguments(QStringList { QStringLiteral("--fake-postmaster") } + args);
        m_process.setWorkingDirectory(workingDirectory);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QSignalSpy started(&m_process, &QProcess::started);
        m_process.start();
        if (started.isEmpty())
            started.wait(5000);
        m_ready = readLine() == "READY";
    }
    // Never leaves the process behind, whatever the test's outcome.
    ~FakePostmaster()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        QSignalSpy finished(&m_process, &QProcess::finished);
        m_process.kill();
        finished.wait(5000);
    }

    bool isReady() const { return m_ready; }
    pid_t pid() const { return pid_t(m_process.processId()); }
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    QProcess *process() { return &m_process; }

    // True when the process answers: it is running and no signal has ended it.
    bool answers()
    {
        if (m_process.state() != QProcess::Running)
            return false;
        m_process.write("PING\n");
        return readLine() == "PONG";
    }

private:
    QByteArray readLine()
    {
        QSignalSpy readable(&m_process, &QProcess::readyReadStandardOutput);
        while (!m_process.canReadLine() && m_process.state() == QProcess::Running
            && readable.wait(5000)) { }
        return m_process.readLine().trimmed();
    }

    QProcess m_process;
    bool m_ready = false;
};

int runFakePostmaster()
{
    const rlimit noCore { 0, 0 };
    ::setrlimit(RLIMIT_CORE, &noCore); // SIGQUIT must not leave a core file
    ::alarm(60); // a safety net: the test ends it long before
    std::printf("READY\n");
    std::fflush(stdout);
    char line[64];
    while (std::fgets(line, sizeof line, stdin)) {
        if (std::strncmp(line, "PING", 4) == 0) {
            std::printf("PONG\n");
            std::fflush(stdout);
        }
    }
    return 0;
}

} // namespace

class TestLabSafety : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sweepRemovesOnlyStaleLabsOfItsOwnUser_data();
    void sweepRemovesOnlyStaleLabsOfItsOwnUser();
    void sweepDoesNotFollowASymlinkNamedLikeALab();
    void sweepRemovesLinksInsideAStaleLabWithoutTouchingTheirTargets();
    void sweepSignalsOnlyTheExactPostmaster_data();
    void sweepSignalsOnlyTheExactPostmaster();
    void removeTreeLeavesAnEntryThatIsNoLongerTheCheckedDirectory_data();
    void removeTreeLeavesAnEntryThatIsNoLongerTheCheckedDirectory();
    void labFilesRefuseToWriteThroughWhatIsAlreadyThere_data();
    void labFilesRefuseToWriteThroughWhatIsAlreadyThere();
    void labFilesRefuseADirectoryReachedThroughALink();
    void labFilesReplaceALinkInsteadOfFollowingIt();
    void labFilesRefuseAPlantedReplacementFile();
    void labFilesSetModeAndOwnerFromCreation();
    void readFileNoFollowReadsOnlyRegularFiles_data();
    void readFileNoFollowReadsOnlyRegularFiles();

private:
    QString path(const QString &name) const { return m_base->path() + QLatin1Char('/') + name; }
    std::unique_ptr<QTemporaryDir> m_base;
};

void TestLabSafety::init()
{
    m_base = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/pgtls-labsafety-XXXXXX"));
    QVERIFY2(m_base->isValid(), qPrintable(m_base->errorString()));
}

void TestLabSafety::cleanup()
{
    // QTemporaryDir removes links without following them; it may need to enter another user's
    // directory, which root can.
    m_base.reset();
}

void TestLabSafety::sweepRemovesOnlyStaleLabsOfItsOwnUser_data()
{
    QTest::addColumn<QString>("owner"); // "us" or "nobody"
    QTest::addColumn<QString>("ownerFile"); // "dead", "alive" or "none"
    QTest::addColumn<bool>("old"); // the directory was last changed two hours ago
    QTest::addColumn<bool>("removed");

    QTest::newRow("a stale lab of our own user is removed") << "us"
                                                            << "dead" << false << true;
    QTest::newRow("a stale-looking lab owned by another user is left alone")
        << "nobody"
        << "dead" << true << false;
    QTest::newRow("a lab whose owner is alive is left alone") << "us"
                                                              << "alive" << true << false;
    QTest::newRow("a lab younger than a minute without owner.pid is left alone")
        << "us"
        << "none" << false << false;
    QTest::newRow("a lab older than a minute without owner.pid is removed")
        << "us"
        << "none" << true << true;
}

void TestLabSafety::sweepRemovesOnlyStaleLabsOfItsOwnUser()
{
    QFETCH(QString, owner);
    QFETCH(QString, ownerFile);
    QFETCH(bool, old);
    QFETCH(bool, removed);

    if (owner == QLatin1String("nobody") && ::geteuid() != 0)
        QSKIP("giving a directory to another user needs root (CI runs as root)");
    const QByteArray self = QByteArray::number(::getpid()) + ' ' + processStartTime(::getpid());
    const QByteArray ownerLine = ownerFile == QLatin1String("dead") ? kDeadOwner
        : ownerFile == QLatin1String("alive")                       ? self + '\n'
                                                                    : QByteArray();
    const QString lab = path(kPrefix + QStringLiteral("subject"));
    QVERIFY(makeLab(m_base->path(), kPrefix + QStringLiteral("subject"), ownerLine));
    // Only the top-level directory changes hands: owner.pid inside still says "stale".
    if (owner == QLatin1String("nobody"))
        QCOMPARE(::chown(native(lab).constData(), kNobody, kNobody), 0);
    if (old) {
        const timespec twoHoursAgo[2]
            = { { std::time(nullptr) - 7200, 0 }, { std::time(nullptr) - 7200, 0 } };
        QCOMPARE(::utimensat(AT_FDCWD, native(lab).constData(), twoHoursAgo, 0), 0);
    }

    const QList<StaleLab> running = sweepStaleLabs(m_base->path(), kPrefix);
    QVERIFY(running.isEmpty());
    QCOMPARE(!exists(lab), removed);
    if (!removed)
        QCOMPARE(readPlain(lab + QStringLiteral("/owner.pid")),
            ownerLine.isNull() ? QByteArray("<unreadable>") : ownerLine);
}

void TestLabSafety::sweepDoesNotFollowASymlinkNamedLikeALab()
{
    // The link's target looks exactly like a stale lab of ours: only the link names it as one.
    QVERIFY(makeLab(m_base->path(), QStringLiteral("victim")));
    QVERIFY(makeOutsideTree(path(QStringLiteral("victim/data"))));
    const QString link = path(kPrefix + QStringLiteral("link"));
    QCOMPARE(
        ::symlink(native(path(QStringLiteral("victim"))).constData(), native(link).constData()), 0);

    const QList<StaleLab> running = sweepStaleLabs(m_base->path(), kPrefix);
    QVERIFY(running.isEmpty());
    QVERIFY(isSymLink(link));
    QCOMPARE(readPlain(path(QStringLiteral("victim/owner.pid"))), kDeadOwner);
    QVERIFY(outsideTreeIntact(path(QStringLiteral("victim/data"))));
}

void TestLabSafety::sweepRemovesLinksInsideAStaleLabWithoutTouchingTheirTargets()
{
    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString lab = path(kPrefix + QStringLiteral("links"));
    QVERIFY(makeLab(m_base->path(), kPrefix + QStringLiteral("links")));
    QVERIFY(QDir().mkpath(lab + QStringLiteral("/pki/deeper")));
    const struct
    {
        const char *target;
        const char *link;
    } links[] = {
        { "outside", "/tree" }, // a link to a directory
        { "outside/precious.txt", "/data/postgresql.conf" }, // a link to a file
        { "outside/sub", "/pki/deeper/sub" }, // deeper down
        { "outside/missing", "/pki/dangling" },
    };
    for (const auto &l : links)
        QCOMPARE(::symlink(native(path(QLatin1String(l.target))).constData(),
                     native(lab + QLatin1String(l.link)).constData()),
            0);
    // A hard link is an entry like any other: removing it leaves the file.
    QCOMPARE(::link(native(outside + QStringLiteral("/sub/deep.txt")).constData(),
                 native(lab + QStringLiteral("/pki/hard.txt")).constData()),
        0);
    // A FIFO is removed without being opened (opening one would block).
    QCOMPARE(::mkfifo(native(lab + QStringLiteral("/pki/fifo")).constData(), 0600), 0);

    const QList<StaleLab> running = sweepStaleLabs(m_base->path(), kPrefix);
    QVERIFY(running.isEmpty());
    QVERIFY(!exists(lab));
    QVERIFY(outsideTreeIntact(outside));
    QVERIFY(!exists(outside + QStringLiteral("/missing")));
}

void TestLabSafety::sweepSignalsOnlyTheExactPostmaster_data()
{
    // {data} is the stale lab's data directory, {base} the directory holding the lab; the
    // arguments are separated by spaces.
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("workingDirectory");
    QTest::addColumn<bool>("signalled");

    QTest::newRow("-D naming the data directory, running in it: its postmaster, signalled")
        << "-D {data} -p 5432"
        << "{data}" << true;
    QTest::newRow("-D naming a longer directory that has the data directory as its prefix")
        << "-D {data}-other"
        << "{data}-other" << false;
    QTest::newRow("-D glued to a longer directory that has the data directory as its prefix")
        << "-D{data}2"
        << "{data}2" << false;
    QTest::newRow("an argument that merely starts with the data directory")
        << "{data}/../../elsewhere/postgres 30"
        << "{base}" << false;
    QTest::newRow("running in the data directory while -D names another one")
        << "-D {base}/elsewhere"
        << "{data}" << false;
    QTest::newRow("-D naming the data directory while running elsewhere")
        << "-D {data}"
        << "{base}/elsewhere" << false;
}

void TestLabSafety::sweepSignalsOnlyTheExactPostmaster()
{
    QFETCH(QString, args);
    QFETCH(QString, workingDirectory);
    QFETCH(bool, signalled);

    const QString lab = path(kPrefix + QStringLiteral("pm"));
    const QString data = lab + QStringLiteral("/data");
    QVERIFY(makeLab(m_base->path(), kPrefix + QStringLiteral("pm")));
    for (const char *dir : { "/data-other", "/data2" })
        QVERIFY(QDir().mkpath(lab + QLatin1String(dir)));
    QVERIFY(QDir().mkpath(path(QStringLiteral("elsewhere"))));
    auto expand = [&](QString s) {
        return s.replace(QStringLiteral("{data}"), data)
            .replace(QStringLiteral("{base}"), m_base->path());
    };
    QStringList argv = args.split(QLatin1Char(' '));
    for (QString &a : argv)
        a = expand(a);

    FakePostmaster fake(argv, expand(workingDirectory));
    QVERIFY(fake.isReady());
    QVERIFY(writePlain(data + QStringLiteral("/postmaster.pid"),
        QByteArray::number(fake.pid()) + '\n' + native(data) + "\n"));

    QSignalSpy finished(fake.process(), &QProcess::finished);
    const QList<StaleLab> running = sweepStaleLabs(m_base->path(), kPrefix);
    if (!signalled) {
        QVERIFY(running.isEmpty());
        // No server of that lab runs, so the lab itself is gone at once...
        QVERIFY(!exists(lab));
        // ...while the process is untouched: a signal sent to it would have ended it before it
        // read this line (SIGQUIT's default action).
        QVERIFY(fake.answers());
        return;
    }
    QCOMPARE(running.size(), 1);
    QCOMPARE(running.first().postmasterPid, fake.pid());
    QCOMPARE(running.first().path(), lab);
    QVERIFY(exists(lab)); // removed once the server is gone
    QVERIFY(finished.wait(5000) || !finished.isEmpty());
    QCOMPARE(fake.process()->exitStatus(), QProcess::CrashExit);
    QCOMPARE(fake.process()->exitCode(), SIGQUIT);
    QVERIFY(finishStale(running.first(), false));
    QVERIFY(!exists(lab));
}

void TestLabSafety::removeTreeLeavesAnEntryThatIsNoLongerTheCheckedDirectory_data()
{
    QTest::addColumn<bool>("swapForLink");
    QTest::newRow("a directory swapped for another directory is left alone") << false;
    QTest::newRow("a directory swapped for a link is left alone, the link's target too") << true;
}

void TestLabSafety::removeTreeLeavesAnEntryThatIsNoLongerTheCheckedDirectory()
{
    QFETCH(bool, swapForLink);

    const QString dir = path(QStringLiteral("checked"));
    QVERIFY(QDir().mkpath(dir));
    struct stat st
    {
    };
    QCOMPARE(::lstat(native(dir).constData(), &st), 0);
    const FileIdentity checked = FileIdentity::of(st);
    QCOMPARE(
        ::rename(native(dir).constData(), native(dir + QStringLiteral(".moved")).constData()), 0);
    const QString other = path(QStringLiteral("other"));
    QVERIFY(makeOutsideTree(other));
    if (swapForLink)
        QCOMPARE(::symlink(native(other).constData(), native(dir).constData()), 0);
    else
        QCOMPARE(::rename(native(other).constData(), native(dir).constData()), 0);

    QString error;
    QVERIFY(!removeTree(dir, &error, checked));
    QVERIFY2(error.contains(dir) && error.contains(QLatin1String("no longer")), qPrintable(error));
    QCOMPARE(isSymLink(dir), swapForLink);
    QVERIFY(outsideTreeIntact(swapForLink ? other : dir));
    // The directory that was checked is removed under its identity wherever the name leads.
    QVERIFY2(removeTree(dir + QStringLiteral(".moved"), &error, checked), qPrintable(error));
    QVERIFY(!exists(dir + QStringLiteral(".moved")));
}

void TestLabSafety::labFilesRefuseToWriteThroughWhatIsAlreadyThere_data()
{
    QTest::addColumn<QString>("planted"); // "link", "dangling", "file"
    QTest::newRow("a pre-planted symbolic link to a file is not written through") << "link";
    QTest::newRow("a pre-planted dangling symbolic link does not create its target") << "dangling";
    QTest::newRow("a file already there is not overwritten") << "file";
}

void TestLabSafety::labFilesRefuseToWriteThroughWhatIsAlreadyThere()
{
    QFETCH(QString, planted);

    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString target = path(QStringLiteral("server.key"));
    const QString linkTarget = planted == QLatin1String("dangling")
        ? outside + QStringLiteral("/created-through-a-link")
        : outside + QStringLiteral("/precious.txt");
    if (planted == QLatin1String("file"))
        QVERIFY(writePlain(target, "already here"));
    else
        QCOMPARE(::symlink(native(linkTarget).constData(), native(target).constData()), 0);

    QString error;
    QVERIFY(!writeFileWithMode(target, "SECRET KEY", 0600, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write %1: ").arg(target))
            && error.contains(QLatin1String("already exists")),
        qPrintable(error));
    QVERIFY(outsideTreeIntact(outside));
    QVERIFY(!exists(outside + QStringLiteral("/created-through-a-link")));
    if (planted == QLatin1String("file"))
        QCOMPARE(readPlain(target), QByteArray("already here"));
    else
        QVERIFY(isSymLink(target));
}

void TestLabSafety::labFilesRefuseADirectoryReachedThroughALink()
{
    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString linkDir = path(QStringLiteral("data"));
    QCOMPARE(::symlink(native(outside).constData(), native(linkDir).constData()), 0);

    QString error;
    QVERIFY(!writeFileWithMode(linkDir + QStringLiteral("/pg_hba.conf"), "trust", 0600, &error));
    QVERIFY2(error.contains(QLatin1String("symbolic link")), qPrintable(error));
    QVERIFY(!replaceFileWithMode(linkDir + QStringLiteral("/precious.txt"), "x", 0600, &error));
    QVERIFY(!readFileNoFollow(linkDir + QStringLiteral("/precious.txt"), 1024));
    QVERIFY(outsideTreeIntact(outside));
    QVERIFY(!exists(outside + QStringLiteral("/pg_hba.conf")));
}

void TestLabSafety::labFilesReplaceALinkInsteadOfFollowingIt()
{
    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString conf = path(QStringLiteral("pg_hba.conf"));
    QCOMPARE(::symlink(native(outside + QStringLiteral("/precious.txt")).constData(),
                 native(conf).constData()),
        0);

    QString error;
    QVERIFY2(
        replaceFileWithMode(conf, "hostssl all all 127.0.0.1/32 scram-sha-256\n", 0600, &error),
        qPrintable(error));
    QVERIFY(!isSymLink(conf));
    QCOMPARE(readPlain(conf), QByteArray("hostssl all all 127.0.0.1/32 scram-sha-256\n"));
    struct stat st
    {
    };
    QCOMPARE(::lstat(native(conf).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
    QVERIFY(!exists(conf + QStringLiteral(".new")));
    QVERIFY(outsideTreeIntact(outside));
}

void TestLabSafety::labFilesRefuseAPlantedReplacementFile()
{
    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString conf = path(QStringLiteral("lab_scenario.conf"));
    QVERIFY(writePlain(conf, "ssl = on\n"));
    QCOMPARE(::symlink(native(outside + QStringLiteral("/precious.txt")).constData(),
                 native(conf + QStringLiteral(".new")).constData()),
        0);

    QString error;
    QVERIFY(!replaceFileWithMode(conf, "ssl = off\n", 0600, &error));
    QVERIFY2(
        error.startsWith(QStringLiteral("cannot write %1.new: ").arg(conf)), qPrintable(error));
    QCOMPARE(readPlain(conf), QByteArray("ssl = on\n"));
    QVERIFY(isSymLink(conf + QStringLiteral(".new"))); // not ours: left as it was
    QVERIFY(outsideTreeIntact(outside));
}

void TestLabSafety::labFilesSetModeAndOwnerFromCreation()
{
    const mode_t oldMask = ::umask(077);
    const QString key = path(QStringLiteral("server.key"));
    const QString cert = path(QStringLiteral("server.crt"));
    QString error;
    const bool asRoot = ::geteuid() == 0;
    const bool keyOk = writeFileWithMode(key, "KEY", 0600, &error, asRoot, kNobody, kNobody);
    const bool certOk = writeFileWithMode(cert, "CERT", 0644, &error);
    ::umask(oldMask);
    QVERIFY2(keyOk && certOk, qPrintable(error));

    struct stat st
    {
    };
    QCOMPARE(::lstat(native(key).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
    QCOMPARE(st.st_uid, asRoot ? kNobody : ::geteuid());
    QCOMPARE(::lstat(native(cert).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0644)); // exactly, whatever the umask
    QCOMPARE(readPlain(key), QByteArray("KEY"));
}

void TestLabSafety::readFileNoFollowReadsOnlyRegularFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("readable");
    QTest::newRow("a regular file is read") << "file" << true;
    QTest::newRow("a symbolic link to a regular file is refused") << "link" << false;
    QTest::newRow("a FIFO is refused without blocking") << "fifo" << false;
    QTest::newRow("a directory is refused") << "directory" << false;
}

void TestLabSafety::readFileNoFollowReadsOnlyRegularFiles()
{
    QFETCH(QString, kind);
    QFETCH(bool, readable);

    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(makeOutsideTree(outside));
    const QString subject = path(QStringLiteral("postmaster.pid"));
    if (kind == QLatin1String("file"))
        QVERIFY(writePlain(subject, "4242\n"));
    else if (kind == QLatin1String("link"))
        QCOMPARE(::symlink(native(outside + QStringLiteral("/precious.txt")).constData(),
                     native(subject).constData()),
            0);
    else if (kind == QLatin1String("fifo"))
        QCOMPARE(::mkfifo(native(subject).constData(), 0600), 0);
    else
        QVERIFY(QDir().mkpath(subject));

    QString error;
    const std::optional<QByteArray> data = readFileNoFollow(subject, 1024, &error);
    QCOMPARE(data.has_value(), readable);
    if (readable)
        QCOMPARE(*data, QByteArray("4242\n"));
    else
        QVERIFY2(
            error.startsWith(QStringLiteral("cannot read %1: ").arg(subject)), qPrintable(error));
}

int main(int argc, char **argv)
{
    if (argc >= 2 && qstrcmp(argv[1], "--fake-postmaster") == 0)
        return runFakePostmaster();
    QCoreApplication app(argc, argv);
    TestLabSafety test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestLabSafety.moc"
