// SPDX-License-Identifier: MIT
// pgtls-check against hostile PostgreSQL peers on 127.0.0.1 (tests/support/HostilePgServer.h): the
// real binary in a controlled environment (HOME a fresh directory, no PG* variables, stdin
// /dev/null), started with posix_spawn so that wait4() gives its peak resident memory. The peers
// record what they received: a password test asserts on that, not only on what we printed.
#include "../support/HostilePgServer.h"
#include "../support/TestCerts.h"
#include "CertBuilder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <vector>

using namespace pgtls;
using namespace pgtls::test;
using Peer = pgtls::test::HostilePgServer;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
const QString kEndpointName = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
const QString kOtherName = QStringLiteral("other.c9akciq32.eu-west-1.rds.amazonaws.com");
const QByteArray kPassword = "Th1ef-Bait-7c4e91d2-PGPASSWORD";

// One run of pgtls-check.
struct Run
{
    bool spawned = false;
    bool exited = false; // ended by itself with an exit code
    bool killedForTime = false; // we killed it at the wall-clock bound
    bool killedForMemory = false; // we killed it at 3 GiB resident
    int exitCode = -1;
    int termSignal = 0;
    qint64 wallMs = -1;
    qint64 maxRssKiB = -1; // ru_maxrss from wait4(): the child's peak resident set
    QByteArray out;
    QByteArray err;

    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QByteArray describe() const
    {
        return QStringLiteral(
            "exit %1 signal %2 wall %3 ms maxrss %4 KiB%5%6\nstdout: %7\nstderr: %8")
            .arg(exitCode)
            .arg(termSignal)
            .arg(wallMs)
            .arg(maxRssKiB)
            .arg(killedForTime ? QStringLiteral(" KILLED at the time bound") : QString())
            .arg(killedForMemory ? QStringLiteral(" KILLED at 3 GiB") : QString())
            .arg(QString::fromUtf8(out.left(3000)), QString::fromUtf8(err.left(3000)))
            .toUtf8();
    }
};

qint64 residentKiB(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// Runs pgtls-check with `args`; the environment is ours minus every PG* variable, HOME a fresh
// empty directory, then `env` on top. The event loop runs meanwhile (the peers live in this
// thread). The child is killed at `wallLimitMs` or at 3 GiB resident. Afterwards the loop runs on
// until `peer` (when given) has seen every connection close, so that its records are complete.
Run runCheck(const QStringList &args, const QMap<QString, QString> &env = {},
    int wallLimitMs = 20000, const Peer *peer = nullptr)
{
    Run r;
    QTemporaryDir scratch;
    QTemporaryDir home;
    if (!scratch.isValid() || !home.isValid())
        return r;
    QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const QString &k : pe.keys()) {
        if (k.startsWith(QLatin1String("PG")))
            pe.remove(k);
    }
    pe.insert(QStringLiteral("HOME"), home.path());
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        pe.insert(it.key(), it.value());

    std::vector<QByteArray> store;
    store.push_back(QByteArrayLiteral(PGTLS_CHECK_BIN));
    for (const QString &a : args)
        store.push_back(a.toLocal8Bit());
    const size_t argc = store.size();
    for (const QString &e : pe.toStringList())
        store.push_back(e.toLocal8Bit());
    std::vector<char *> argv;
    std::vector<char *> envp;
    for (size_t i = 0; i < store.size(); ++i)
        (i < argc ? argv : envp).push_back(store[i].data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    const QByteArray outPath = scratch.filePath(QStringLiteral("stdout")).toLocal8Bit();
    const QByteArray errPath = scratch.filePath(QStringLiteral("stderr")).toLocal8Bit();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &actions, 1, outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(
        &actions, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    QElapsedTimer clock;
    clock.start();
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.err = "posix_spawn failed: " + QByteArray(strerror(rc));
        return r;
    }
    r.spawned = true;

    QEventLoop loop;
    QTimer poll;
    poll.setInterval(10);
    int status = 0;
    struct rusage usage = {};
    bool killed = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (wait4(pid, &status, WNOHANG, &usage) == pid) {
            loop.quit();
            return;
        }
        if (killed)
            return;
        if (clock.elapsed() > wallLimitMs) {
            r.killedForTime = killed = true;
            kill(pid, SIGKILL);
        } else if (residentKiB(pid) > 3 * 1024 * 1024) {
            r.killedForMemory = killed = true;
            kill(pid, SIGKILL);
        }
    });
    poll.start();
    loop.exec();
    poll.stop();
    r.wallMs = clock.elapsed();
    r.maxRssKiB = usage.ru_maxrss;
    if (WIFEXITED(status)) {
        r.exited = !killed;
        r.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.termSignal = WTERMSIG(status);
    }
    QFile out(QString::fromLocal8Bit(outPath));
    QFile err(QString::fromLocal8Bit(errPath));
    if (out.open(QIODevice::ReadOnly))
        r.out = out.readAll();
    if (err.open(QIODevice::ReadOnly))
        r.err = err.readAll();

    if (peer) {
        // The child is gone, so every connection of its ends; read what is still on the way.
        QElapsedTimer drain;
        drain.start();
        auto allClosed = [peer] {
            const auto &cs = peer->connections();
            return std::all_of(
                cs.cbegin(), cs.cend(), [](const Peer::Connection &c) { return c.closedByClient; });
        };
        while (!allClosed() && drain.elapsed() < 5000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return r;
}

bool containsControl(const QByteArray &bytes)
{
    return bytes.contains('\x1b') || bytes.contains('\x07');
}

QJsonObject matrixRow(const QJsonObject &report, const QString &mode)
{
    const QJsonArray matrix = report.value(QStringLiteral("matrix")).toArray();
    for (const QJsonValue &v : matrix) {
        if (v.toObject().value(QStringLiteral("sslmode")).toString() == mode)
            return v.toObject();
    }
    return {};
}

qsizetype longestRun(const QByteArray &bytes, char c)
{
    qsizetype best = 0;
    qsizetype run = 0;
    for (char b : bytes) {
        run = b == c ? run + 1 : 0;
        best = std::max(best, run);
    }
    return best;
}

enum class Thief {
    Plaintext, // answers 'N', then asks for the cleartext password
    SelfSigned, // TLS with its own self-signed certificate for the endpoint name
    OtherName, // TLS with a genuine certificate from the same CA, for another RDS name
};

enum class PasswordSource { Environment, Pgpass };

} // namespace

Q_DECLARE_METATYPE(Thief)
Q_DECLARE_METATYPE(PasswordSource)
Q_DECLARE_METATYPE(pgtls::test::HostilePgServer::Dribble)

class TestHostilePeers : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    // 1. The three password thieves.
    void thievesReceiveNoPassword_data();
    void thievesReceiveNoPassword();
    void weakerMatrixRowsSayThePasswordWasWithheld_data();
    void weakerMatrixRowsSayThePasswordWasWithheld();
    void matrixRowsTellWhatTheConnectionHad_data();
    void matrixRowsTellWhatTheConnectionHad();
    void requestedRequireSendsThePasswordToTheSelfSignedPeer_data();
    void requestedRequireSendsThePasswordToTheSelfSignedPeer();

    // 2. Escape sequences in a notice.
    void noticeControlsReachNeitherStdoutNorStderr_data();
    void noticeControlsReachNeitherStdoutNorStderr();
    void noticeIsKeptInTheJson();
    void textReportShowsTheNoticeEscaped();

    // 3. Endless rows.
    void endlessRowsEndInTimeWithBoundedMemory();

    // 4. One byte per second.
    void dribblingPeerTimesOut_data();
    void dribblingPeerTimesOut();

    // 5. A 30,000-byte error message.
    void longServerErrorIsTruncatedInTheJson();
    void longServerErrorIsTruncatedInTheText();

    // 6. A certificate chain over 100 KiB.
    void oversizedChainEndsInATlsFailure_data();
    void oversizedChainEndsInATlsFailure();
    void normalChainFromTheSamePeerIsAccepted();

private:
    Peer::Script thiefScript(Thief thief) const;
    QStringList thiefArgs(quint16 port, bool caFile) const;
    QStringList plainArgs(quint16 port, const QString &sslmode, int timeoutSeconds) const;
    Run runThief(Thief thief, PasswordSource source, bool caFile, Peer **peerOut = nullptr);

    QTemporaryDir m_dir;
    QString m_caPath;
    TestCert m_ca;
    TestCert m_selfSigned;
    TestCert m_otherName;
    TestCert m_bigLeaf;
    TestCert m_leaf;
    QList<QSslCertificate> m_longChain; // m_leaf, then certificates enough for over 100 KiB
    std::vector<std::unique_ptr<Peer>> m_peers; // kept until the end: their records are asserted on
};

void TestHostilePeers::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(PGTLS_CHECK_BIN)), PGTLS_CHECK_BIN);
    QVERIFY(m_dir.isValid());
    m_ca = makeCert(QStringLiteral("Hostile Peers Test CA"), nullptr, true);
    m_selfSigned = makeCert(kEndpointName);
    m_otherName = makeCert(kOtherName, &m_ca);
    m_caPath = m_dir.filePath(QStringLiteral("CA.pem"));
    QFile ca(m_caPath);
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.write(m_ca.cert.pem);
    ca.close();

    // A leaf from the CA for the endpoint name whose DER is over 100 KiB: 440 subjectAltName
    // entries of 250 bytes. Only its size is wrong.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    lab::CertRequest req;
    req.subject = { { QStringLiteral("CN"), kEndpointName } };
    req.notBefore = now.addDays(-1);
    req.notAfter = now.addDays(30);
    req.sanDns = { kEndpointName };
    for (int i = 0; i < 440; ++i)
        req.rawSanDns << QByteArray::number(i).rightJustified(4, '0') + '.' + QByteArray(233, 'a')
                + ".example.com";
    m_bigLeaf.key = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    m_bigLeaf.cert = lab::CertBuilder::issue(req, m_bigLeaf.key, m_ca.cert);
    QVERIFY2(m_bigLeaf.cert.der.size() > 100 * 1024,
        QByteArray::number(m_bigLeaf.cert.der.size()).constData());

    // A normal leaf, sent with 300 further certificates from the CA (one key for all of them).
    m_leaf = makeCert(kEndpointName, &m_ca);
    m_longChain = { m_leaf.qt() };
    qsizetype chainBytes = m_leaf.cert.der.size();
    const lab::PrivateKey shared = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    for (int i = 0; i < 300; ++i) {
        lab::CertRequest extra;
        extra.subject = { { QStringLiteral("CN"), QStringLiteral("Padding %1").arg(i) } };
        extra.notBefore = now.addDays(-1);
        extra.notAfter = now.addDays(30);
        extra.isCa = true;
        const lab::IssuedCert c = lab::CertBuilder::issue(extra, shared, m_ca.cert);
        m_longChain << QSslCertificate(c.der, QSsl::Der);
        chainBytes += c.der.size();
    }
    QVERIFY2(chainBytes > 100 * 1024, QByteArray::number(chainBytes).constData());
}

// ---------------------------------------------------------------------------------------------
// 1. The three password thieves

Peer::Script TestHostilePeers::thiefScript(Thief thief) const
{
    Peer::Script s;
    if (thief != Thief::Plaintext) {
        s.tls = Peer::Tls::Accept;
        const TestCert &cert = thief == Thief::SelfSigned ? m_selfSigned : m_otherName;
        s.chain = { cert.qt() };
        s.key = cert.qtKey();
    }
    s.onStartup = pgwire::authenticationCleartextPassword();
    // A thief that got the password lets the client in, so that nothing looks wrong.
    s.onPassword = pgwire::acceptLogin();
    s.onQuery = pgwire::queryError();
    return s;
}

QStringList TestHostilePeers::thiefArgs(quint16 port, bool caFile) const
{
    QStringList args { QStringLiteral("--json"), QStringLiteral("--matrix"),
        QStringLiteral("--sslmode"), QStringLiteral("verify-full"), QStringLiteral("-h"),
        kEndpointName, QStringLiteral("--hostaddr"), QStringLiteral("127.0.0.1"),
        QStringLiteral("-p"), QString::number(port), QStringLiteral("-U"), QStringLiteral("app"),
        QStringLiteral("-d"), QStringLiteral("app"), QStringLiteral("--timeout"),
        QStringLiteral("5") };
    if (caFile)
        args << QStringLiteral("--sslrootcert") << m_caPath;
    return args;
}

QStringList TestHostilePeers::plainArgs(
    quint16 port, const QString &sslmode, int timeoutSeconds) const
{
    return { QStringLiteral("--sslmode"), sslmode, QStringLiteral("-h"), kEndpointName,
        QStringLiteral("--hostaddr"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
        QString::number(port), QStringLiteral("-U"), QStringLiteral("app"), QStringLiteral("-d"),
        QStringLiteral("app"), QStringLiteral("--timeout"), QString::number(timeoutSeconds) };
}

namespace {

// The environment that gives libpq the known password: PGPASSWORD, or ~/.pgpass (mode 0600) in
// `home`, which becomes HOME.
QMap<QString, QString> passwordEnvironment(PasswordSource source, const QString &home)
{
    QMap<QString, QString> env { { QStringLiteral("HOME"), home } };
    if (source == PasswordSource::Environment) {
        env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(kPassword));
        return env;
    }
    QFile pgpass(QDir(home).filePath(QStringLiteral(".pgpass")));
    if (!pgpass.open(QIODevice::WriteOnly))
        qFatal("cannot write .pgpass");
    pgpass.write("*:*:*:*:" + kPassword + "\n");
    pgpass.close();
    chmod(QFile::encodeName(pgpass.fileName()).constData(), 0600);
    return env;
}

} // namespace

Run TestHostilePeers::runThief(Thief thief, PasswordSource source, bool caFile, Peer **peerOut)
{
    auto peer = std::make_unique<Peer>(thiefScript(thief));
    if (!peer->listenOnLoopback())
        qFatal("cannot listen on 127.0.0.1");
    QTemporaryDir home;
    const Run r = runCheck(thiefArgs(peer->serverPort(), caFile),
        passwordEnvironment(source, home.path()), 20000, peer.get());
    if (peerOut)
        *peerOut = peer.get();
    m_peers.push_back(std::move(peer));
    return r;
}

void TestHostilePeers::thievesReceiveNoPassword_data()
{
    QTest::addColumn<Thief>("thief");
    QTest::addColumn<PasswordSource>("source");
    QTest::addColumn<bool>("caFile");
    using S = PasswordSource;
    QTest::newRow("a peer that refuses TLS and asks for the cleartext password gets no PGPASSWORD")
        << Thief::Plaintext << S::Environment << true;
    QTest::newRow(
        "a peer that refuses TLS and asks for the cleartext password gets nothing from ~/.pgpass")
        << Thief::Plaintext << S::Pgpass << true;
    QTest::newRow("a peer with its own self-signed certificate for the endpoint gets no PGPASSWORD")
        << Thief::SelfSigned << S::Environment << true;
    QTest::newRow(
        "a peer with its own self-signed certificate for the endpoint gets nothing from ~/.pgpass")
        << Thief::SelfSigned << S::Pgpass << true;
    QTest::newRow("a self-signed peer gets no PGPASSWORD when there is no CA file at all")
        << Thief::SelfSigned << S::Environment << false;
    QTest::newRow(
        "a peer with a genuine certificate of the same CA for another RDS name gets no PGPASSWORD")
        << Thief::OtherName << S::Environment << true;
    QTest::newRow("a peer with a genuine certificate of the same CA for another RDS name gets "
                  "nothing from ~/.pgpass")
        << Thief::OtherName << S::Pgpass << true;
}

void TestHostilePeers::thievesReceiveNoPassword()
{
    QFETCH(Thief, thief);
    QFETCH(PasswordSource, source);
    QFETCH(bool, caFile);
    Peer *peer = nullptr;
    const Run r = runThief(thief, source, caFile, &peer);
    QVERIFY2(r.exited && (r.exitCode == 0 || r.exitCode == 1), r.describe().constData());
    // The peer was really talked to, and asked for the password on some connection.
    QVERIFY2(peer->startupCount() > 0, "no StartupMessage reached the peer");
    QStringList thefts;
    for (const Peer::Connection &c : peer->connections()) {
        if (!c.passwords.isEmpty())
            thefts << QStringLiteral("%1 on a %2 connection (application_name %3)")
                          .arg(c.passwords.size())
                          .arg(c.encrypted ? QStringLiteral("TLS") : QStringLiteral("plaintext"),
                              QString::fromUtf8(c.startup.value("application_name")));
    }
    QVERIFY2(thefts.isEmpty(),
        qPrintable(QStringLiteral("the peer received PasswordMessages: ")
            + thefts.join(QStringLiteral("; "))));
    QVERIFY2(!peer->received(kPassword), "the password bytes reached the peer");
    QVERIFY(!r.out.contains(kPassword));
    QVERIFY(!r.err.contains(kPassword));
}

void TestHostilePeers::weakerMatrixRowsSayThePasswordWasWithheld_data()
{
    QTest::addColumn<Thief>("thief");
    QTest::newRow("against a peer that refuses TLS") << Thief::Plaintext;
    QTest::newRow("against a self-signed peer") << Thief::SelfSigned;
    QTest::newRow("against a peer with a certificate for another name") << Thief::OtherName;
}

void TestHostilePeers::weakerMatrixRowsSayThePasswordWasWithheld()
{
    QFETCH(Thief, thief);
    const Run r = runThief(thief, PasswordSource::Environment, true);
    const QJsonObject j = r.json();
    QVERIFY2(j.value(QStringLiteral("matrix")).toArray().size() == 6, r.describe().constData());
    for (const char *mode : { "disable", "allow", "prefer", "require", "verify-ca" }) {
        const QJsonObject row = matrixRow(j, QLatin1String(mode));
        QVERIFY2(row.value(QStringLiteral("password_withheld")) == QJsonValue(true), mode);
        const QJsonValue reason = row.value(QStringLiteral("password_withheld_reason"));
        QVERIFY2(reason.isString() && !reason.toString().trimmed().isEmpty(), mode);
    }
}

void TestHostilePeers::matrixRowsTellWhatTheConnectionHad_data()
{
    QTest::addColumn<Thief>("thief");
    QTest::addColumn<bool>("caFile");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<bool>("caVerified");
    QTest::addColumn<bool>("hostVerified");
    QTest::newRow(
        "a self-signed peer and no CA file: the require row was encrypted, not CA-verified")
        << Thief::SelfSigned << false << QStringLiteral("require") << true << false << false;
    QTest::newRow(
        "a peer certified for another name: the verify-ca row was encrypted and CA-verified, "
        "not host-verified")
        << Thief::OtherName << true << QStringLiteral("verify-ca") << true << true << false;
    // libpq's require verifies the chain when a root file exists (initialize_SSL): with CA.pem the
    // self-signed certificate fails the handshake, so this row had no encrypted connection at all.
    QTest::newRow(
        "a self-signed peer with the CA file: the require row was refused by the CA check")
        << Thief::SelfSigned << true << QStringLiteral("require") << false << false << false;
}

void TestHostilePeers::matrixRowsTellWhatTheConnectionHad()
{
    QFETCH(Thief, thief);
    QFETCH(bool, caFile);
    QFETCH(QString, mode);
    const Run r = runThief(thief, PasswordSource::Environment, caFile);
    const QJsonObject row = matrixRow(r.json(), mode);
    QVERIFY2(!row.isEmpty(), r.describe().constData());
    const QByteArray rowText = QJsonDocument(row).toJson(QJsonDocument::Compact);
    QVERIFY2(row.value(QStringLiteral("encrypted")).isBool(), rowText.constData());
    QTEST(row.value(QStringLiteral("encrypted")).toBool(), "encrypted");
    QTEST(row.value(QStringLiteral("ca_verified")).toBool(), "caVerified");
    QTEST(row.value(QStringLiteral("host_verified")).toBool(), "hostVerified");
}

void TestHostilePeers::requestedRequireSendsThePasswordToTheSelfSignedPeer_data()
{
    QTest::addColumn<PasswordSource>("source");
    QTest::newRow("PGPASSWORD reaches the peer") << PasswordSource::Environment;
    QTest::newRow("the password from ~/.pgpass reaches the peer") << PasswordSource::Pgpass;
}

void TestHostilePeers::requestedRequireSendsThePasswordToTheSelfSignedPeer()
{
    // The positive control: the user asked for require (and has no root file, so libpq checks
    // nothing): libpq sends the password, and the peer does capture it.
    QFETCH(PasswordSource, source);
    Peer peer(thiefScript(Thief::SelfSigned));
    QVERIFY(peer.listenOnLoopback());
    QTemporaryDir home;
    const Run r = runCheck(
        plainArgs(peer.serverPort(), QStringLiteral("require"), 5) << QStringLiteral("--json"),
        passwordEnvironment(source, home.path()), 20000, &peer);
    QVERIFY2(r.exited, r.describe().constData());
    QVERIFY2(peer.passwordMessages().contains(kPassword), r.describe().constData());
    QVERIFY(peer.received(kPassword));
    const auto &cs = peer.connections();
    QVERIFY(std::any_of(cs.cbegin(), cs.cend(),
        [](const Peer::Connection &c) { return c.encrypted && !c.passwords.isEmpty(); }));
    QVERIFY(!r.out.contains(kPassword));
    QVERIFY(!r.err.contains(kPassword));
}

// ---------------------------------------------------------------------------------------------
// 2. Escape sequences in a notice

namespace {

const QByteArray kEvilNotice = "\x1b[2J\x1b[32mOK: Encrypted and verified\x1b[0m\x1b]0;pwned\x07";

Peer::Script noticeScript()
{
    Peer::Script s;
    s.onStartup = pgwire::authenticationOk()
        + pgwire::noticeResponse("NOTICE", "00000", kEvilNotice) + pgwire::serverParameters()
        + pgwire::readyForQuery();
    s.onQuery = pgwire::queryError();
    return s;
}

} // namespace

void TestHostilePeers::noticeControlsReachNeitherStdoutNorStderr_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("the text report") << false;
    QTest::newRow("the JSON report") << true;
}

void TestHostilePeers::noticeControlsReachNeitherStdoutNorStderr()
{
    QFETCH(bool, json);
    Peer peer(noticeScript());
    QVERIFY(peer.listenOnLoopback());
    QStringList args = plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5);
    if (json)
        args << QStringLiteral("--json");
    const Run r = runCheck(args, {}, 20000, &peer);
    QVERIFY2(r.exited, r.describe().constData());
    // The session logged in and queried: the notice was delivered to it.
    QVERIFY(peer.anyQueryReceived());
    QVERIFY2(!containsControl(r.out), r.out.left(3000).constData());
    QVERIFY2(!containsControl(r.err), r.err.left(3000).toPercentEncoding(" :\n").constData());
}

void TestHostilePeers::noticeIsKeptInTheJson()
{
    Peer peer(noticeScript());
    QVERIFY(peer.listenOnLoopback());
    const Run r = runCheck(
        plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5) << QStringLiteral("--json"), {},
        20000, &peer);
    QVERIFY2(r.exited, r.describe().constData());
    const QJsonValue notices
        = r.json().value(QStringLiteral("session")).toObject().value(QStringLiteral("notices"));
    QVERIFY2(notices.isArray(), r.out.left(3000).constData());
    bool found = false;
    for (const QJsonValue &v : notices.toArray()) {
        const QJsonObject n = v.toObject();
        QVERIFY(n.value(QStringLiteral("severity")).isString());
        QVERIFY(n.value(QStringLiteral("message")).isString());
        found = found
            || n.value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("OK: Encrypted and verified"));
    }
    QVERIFY2(found, r.out.left(3000).constData());
}

void TestHostilePeers::textReportShowsTheNoticeEscaped()
{
    Peer peer(noticeScript());
    QVERIFY(peer.listenOnLoopback());
    const Run r
        = runCheck(plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5), {}, 20000, &peer);
    QVERIFY2(r.exited, r.describe().constData());
    const QList<QByteArray> lines = r.out.split('\n');
    // The verdict is ours: a plaintext session is never "OK: Encrypted and verified".
    QVERIFY2(!lines.value(0).startsWith("OK:"), r.out.constData());
    QByteArray noticeLine;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines.at(i).contains("OK: Encrypted and verified"))
            noticeLine = lines.at(i);
    }
    QVERIFY2(!noticeLine.isEmpty(), r.out.constData());
    QVERIFY(!containsControl(noticeLine));
    // The controls are shown, in some visible form, not dropped silently.
    static const QList<QByteArray> escapes { "\\x1b", "\\x1B", "\\e", "\\u001b", "\\u001B", "\\033",
        "^[", "\xe2\x90\x9b" /* U+241B */, "<ESC>", "\\x{1b}", "\\u{1b}" };
    QVERIFY2(std::any_of(escapes.cbegin(), escapes.cend(),
                 [&](const QByteArray &e) { return noticeLine.contains(e); }),
        noticeLine.constData());
}

// ---------------------------------------------------------------------------------------------
// 3. Endless rows

void TestHostilePeers::endlessRowsEndInTimeWithBoundedMemory()
{
    Peer::Script flood;
    flood.onStartup = pgwire::acceptLogin();
    flood.onQuery
        = pgwire::parseComplete() + pgwire::bindComplete() + pgwire::rowDescription({ "x" });
    flood.endlessRowBytes = int(kMiB);
    flood.endlessCap = qint64(2) << 30;
    Peer peer(flood);
    QVERIFY(peer.listenOnLoopback());
    const Run r
        = runCheck(plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5), {}, 20000, &peer);
    qInfo("endless rows: %lld MiB sent, peak resident %lld KiB, %lld ms",
        peer.endlessBytesSent() / kMiB, r.maxRssKiB, r.wallMs);
    QVERIFY2(peer.endlessBytesSent() > 0, "the peer never got to send rows");
    QVERIFY2(!r.killedForMemory, r.describe().constData());
    QVERIFY2(!r.killedForTime, r.describe().constData());
    QVERIFY2(r.exited && (r.exitCode == 0 || r.exitCode == 1), r.describe().constData());
    QVERIFY2(r.wallMs <= 20000, r.describe().constData());
#ifdef __SANITIZE_ADDRESS__
    // Under ASan the baseline is bigger: compare with the same binary against a well-behaved peer.
    Peer::Script benign;
    benign.onStartup = pgwire::acceptLogin();
    benign.onQuery = pgwire::parseComplete() + pgwire::bindComplete()
        + pgwire::rowDescription({ "x" }) + pgwire::dataRow({ "on" })
        + pgwire::commandComplete("SELECT 1") + pgwire::readyForQuery();
    Peer normal(benign);
    QVERIFY(normal.listenOnLoopback());
    const Run base
        = runCheck(plainArgs(normal.serverPort(), QStringLiteral("prefer"), 5), {}, 20000, &normal);
    QVERIFY2(base.exited, base.describe().constData());
    qInfo("baseline: peak resident %lld KiB", base.maxRssKiB);
    QVERIFY2(r.maxRssKiB - base.maxRssKiB < 100 * 1024, r.describe().constData());
#else
    QVERIFY2(r.maxRssKiB < 100 * 1024, r.describe().constData());
#endif
}

// ---------------------------------------------------------------------------------------------
// 4. One byte per second

void TestHostilePeers::dribblingPeerTimesOut_data()
{
    QTest::addColumn<Peer::Dribble>("dribble");
    QTest::newRow("AuthenticationOk one byte per second") << Peer::Dribble::Startup;
    QTest::newRow("the answer to the query one byte per second, after AuthenticationOk")
        << Peer::Dribble::Query;
}

void TestHostilePeers::dribblingPeerTimesOut()
{
    QFETCH(Peer::Dribble, dribble);
    Peer::Script s;
    s.onStartup = pgwire::acceptLogin();
    s.onQuery = pgwire::parseComplete() + pgwire::bindComplete() + pgwire::rowDescription({ "x" })
        + pgwire::dataRow({ "on" }) + pgwire::commandComplete("SELECT 1") + pgwire::readyForQuery();
    s.dribble = dribble;
    Peer peer(s);
    QVERIFY(peer.listenOnLoopback());
    const Run r
        = runCheck(plainArgs(peer.serverPort(), QStringLiteral("prefer"), 3), {}, 20000, &peer);
    QVERIFY2(r.exited, r.describe().constData());
    QVERIFY2(r.wallMs <= 10000, r.describe().constData());
    QVERIFY2(r.exitCode == 1, r.describe().constData());
    QVERIFY2(QString::fromUtf8(r.out).contains(QLatin1String("timed out"), Qt::CaseInsensitive),
        r.describe().constData());
    if (dribble == Peer::Dribble::Query)
        QVERIFY(peer.anyQueryReceived()); // it did get past the login
}

// ---------------------------------------------------------------------------------------------
// 5. A 30,000-byte error message

namespace {

const QByteArray kLongPrefix = "hostile-long-message:";

Peer::Script longErrorScript()
{
    // libpq takes an ErrorResponse during authentication of up to 30,000 bytes.
    Peer::Script s;
    s.onStartup = pgwire::errorResponse(
        "FATAL", "28000", kLongPrefix + QByteArray(29000 - kLongPrefix.size(), 'x'));
    s.closeAfterStartup = true;
    return s;
}

} // namespace

void TestHostilePeers::longServerErrorIsTruncatedInTheJson()
{
    Peer peer(longErrorScript());
    QVERIFY(peer.listenOnLoopback());
    // With the matrix, six more attempts each get the same error.
    const Run r = runCheck(plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5)
            << QStringLiteral("--json") << QStringLiteral("--matrix"),
        {}, 20000, &peer);
    QVERIFY2(r.exited && r.exitCode == 1, r.describe().constData());
    const QJsonObject j = r.json();
    const QString error
        = j.value(QStringLiteral("session")).toObject().value(QStringLiteral("error")).toString();
    const QString detail = j.value(QStringLiteral("plaintext"))
                               .toObject()
                               .value(QStringLiteral("detail"))
                               .toString();
    qInfo("session.error %lld, plaintext.detail %lld characters, JSON %lld bytes",
        qint64(error.size()), qint64(detail.size()), qint64(r.out.size()));
    // The server's text is there, only cut.
    QVERIFY2(error.contains(QLatin1String(kLongPrefix)), r.out.left(3000).constData());
    QVERIFY2(error.size() <= 2100,
        qPrintable(QStringLiteral("session.error has %1 characters").arg(error.size())));
    QVERIFY2(detail.size() <= 2100,
        qPrintable(QStringLiteral("plaintext.detail has %1 characters").arg(detail.size())));
    QVERIFY2(r.out.size() < 100 * 1024,
        qPrintable(QStringLiteral("the JSON has %1 bytes").arg(r.out.size())));
}

void TestHostilePeers::longServerErrorIsTruncatedInTheText()
{
    Peer peer(longErrorScript());
    QVERIFY(peer.listenOnLoopback());
    const Run r = runCheck(
        plainArgs(peer.serverPort(), QStringLiteral("prefer"), 5) << QStringLiteral("--matrix"), {},
        20000, &peer);
    QVERIFY2(r.exited && r.exitCode == 1, r.describe().constData());
    qInfo("text report %lld bytes, longest run of the message %lld", qint64(r.out.size()),
        qint64(longestRun(r.out, 'x')));
    QVERIFY2(r.out.contains(kLongPrefix), r.out.left(3000).constData());
    QVERIFY2(longestRun(r.out, 'x') <= 2100,
        qPrintable(
            QStringLiteral("a run of %1 characters of the message").arg(longestRun(r.out, 'x'))));
    QVERIFY2(r.out.size() < 100 * 1024,
        qPrintable(QStringLiteral("the text report has %1 bytes").arg(r.out.size())));
    QVERIFY2(r.err.size() < 100 * 1024,
        qPrintable(QStringLiteral("stderr has %1 bytes").arg(r.err.size())));
}

// ---------------------------------------------------------------------------------------------
// 6. A certificate chain over 100 KiB

void TestHostilePeers::oversizedChainEndsInATlsFailure_data()
{
    QTest::addColumn<bool>("longChain");
    QTest::addColumn<bool>("probeOnly");
    QTest::addColumn<bool>("json");
    for (const bool longChain : { false, true }) {
        const char *what = longChain ? "a leaf and 300 more certificates" : "a leaf over 100 KiB";
        QTest::addRow("%s: the probe alone, as JSON", what) << longChain << true << true;
        QTest::addRow("%s: the probe alone, as text", what) << longChain << true << false;
        QTest::addRow("%s: the full inspection, as JSON", what) << longChain << false << true;
        QTest::addRow("%s: the full inspection, as text", what) << longChain << false << false;
    }
}

void TestHostilePeers::oversizedChainEndsInATlsFailure()
{
    QFETCH(bool, longChain);
    QFETCH(bool, probeOnly);
    QFETCH(bool, json);
    Peer::Script s;
    s.tls = Peer::Tls::Accept;
    s.chain = longChain ? m_longChain : QList<QSslCertificate> { m_bigLeaf.qt() };
    s.key = longChain ? m_leaf.qtKey() : m_bigLeaf.qtKey();
    s.onStartup = pgwire::acceptLogin();
    s.onQuery = pgwire::queryError();
    Peer peer(s);
    QVERIFY(peer.listenOnLoopback());
    QStringList args = plainArgs(peer.serverPort(), QStringLiteral("verify-full"), 5)
        << QStringLiteral("--sslrootcert") << m_caPath;
    if (probeOnly)
        args << QStringLiteral("--probe-only");
    if (json)
        args << QStringLiteral("--json");
    const Run r = runCheck(
        args, { { QStringLiteral("PGPASSWORD"), QString::fromLatin1(kPassword) } }, 20000, &peer);
    QVERIFY2(r.exited, r.describe().constData()); // no crash, no hang
    QVERIFY2(r.wallMs <= 20000, r.describe().constData());
    QVERIFY2(r.exitCode == 1, r.describe().constData());
    // The peer did start TLS: the failure is the handshake's.
    const auto &cs = peer.connections();
    QVERIFY(std::any_of(
        cs.cbegin(), cs.cend(), [](const Peer::Connection &c) { return c.tlsStarted; }));
    QVERIFY2(r.out.size() < 100 * 1024,
        qPrintable(QStringLiteral("stdout has %1 bytes").arg(r.out.size())));
    QVERIFY2(r.err.size() < 100 * 1024,
        qPrintable(QStringLiteral("stderr has %1 bytes").arg(r.err.size())));
    // Nothing of the oversized chain is shown: it was never accepted.
    QVERIFY2(!r.out.contains(QByteArray(233, 'a')), r.out.left(3000).constData());
    QVERIFY2(!r.out.contains("Padding "), r.out.left(3000).constData());
    if (json) {
        const QJsonObject j = r.json();
        const QJsonObject probe = j.value(QStringLiteral("probe")).toObject();
        QVERIFY2(
            probe.value(QStringLiteral("outcome")).toString() != QLatin1String("tls-established"),
            r.out.left(3000).constData());
        QVERIFY2(!probe.value(QStringLiteral("error")).toString().isEmpty(),
            r.out.left(3000).constData());
        qInfo("probe: %s", qPrintable(probe.value(QStringLiteral("error")).toString()));
        if (!probeOnly) {
            const QJsonObject session = j.value(QStringLiteral("session")).toObject();
            qInfo("session: %s", qPrintable(session.value(QStringLiteral("error")).toString()));
            QCOMPARE(session.value(QStringLiteral("connected")).toBool(true), false);
            QVERIFY2(!session.value(QStringLiteral("error")).toString().isEmpty(),
                r.out.left(3000).constData());
        }
    } else {
        QVERIFY2(r.out.startsWith("FAIL"), r.out.left(3000).constData());
    }
    QVERIFY(peer.passwordMessages().isEmpty());
}

void TestHostilePeers::normalChainFromTheSamePeerIsAccepted()
{
    // The control for the oversized chains: the same peer, CA and name with a normal-sized chain
    // pass the probe, so the failures above are the size's.
    Peer::Script s;
    s.tls = Peer::Tls::Accept;
    s.chain = { m_leaf.qt() };
    s.key = m_leaf.qtKey();
    Peer peer(s);
    QVERIFY(peer.listenOnLoopback());
    const Run r = runCheck(plainArgs(peer.serverPort(), QStringLiteral("verify-full"), 5)
            << QStringLiteral("--sslrootcert") << m_caPath << QStringLiteral("--probe-only")
            << QStringLiteral("--json"),
        {}, 20000, &peer);
    QVERIFY2(r.exited && r.exitCode == 0, r.describe().constData());
    const QJsonObject probe = r.json().value(QStringLiteral("probe")).toObject();
    QCOMPARE(probe.value(QStringLiteral("outcome")).toString(), QStringLiteral("tls-established"));
    QCOMPARE(
        probe.value(QStringLiteral("trust")).toObject().value(QStringLiteral("trusted")).toBool(),
        true);
}

QTEST_GUILESS_MAIN(TestHostilePeers)
#include "TestHostilePeers.moc"
