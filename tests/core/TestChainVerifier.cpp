// SPDX-License-Identifier: MIT
#include "CertBuilder.h"
#include "ChainVerifier.h"

#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QtTest>

#include <QElapsedTimer>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <sys/stat.h>

using namespace pgtls;
using namespace pgtls::lab;
using namespace Qt::StringLiterals;

// Chains built with CertBuilder: root -> intermediate -> leaf, plus odd leaves and another root.
// "Now" is fixed, so expiry is exact.
class TestChainVerifier : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verifiesLikeLibpq_data();
    void verifiesLikeLibpq();
    void collectsEveryIssue_data();
    void collectsEveryIssue();
    void reportsCaFileProblems_data();
    void reportsCaFileProblems();
    void withoutCaFileNothingIsAttempted();
    void failsWithOpenSslsOwnFileLoaderMessage_data();
    void failsWithOpenSslsOwnFileLoaderMessage();
    void aCaFileThatIsNotAFileIsRefusedAtOnce_data();
    void aCaFileThatIsNotAFileIsRefusedAtOnce();
    void aCrlInTheCaFileIsLoadedAsOpenSslLoadsIt();

private:
    IssuedCert make(const QString &cn, bool ca, const QDateTime &from, const QDateTime &to,
                    const IssuedCert *issuer);
    QString writeFile(const QString &name, const QByteArray &content) const;
    QString caFileFor(const QStringList &names) const;
    QList<CertificateInfo> chainOf(const QStringList &names) const;

    QTemporaryDir m_dir;
    QDateTime m_now;
    QHash<QString, IssuedCert> m_certs;
    QByteArray m_rdsBundle;
};

IssuedCert TestChainVerifier::make(const QString &cn, bool ca, const QDateTime &from,
                                   const QDateTime &to, const IssuedCert *issuer)
{
    CertRequest req;
    req.subject = { { u"O"_s, u"Chain tests"_s }, { u"CN"_s, cn } };
    req.notBefore = from;
    req.notAfter = to;
    req.isCa = ca;
    if (!ca)
        req.sanDns = { cn };
    const PrivateKey key = PrivateKey::generate(PrivateKey::Type::EcP256);
    return issuer ? CertBuilder::issue(req, key, *issuer) : CertBuilder::selfSigned(req, key);
}

void TestChainVerifier::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_now = QDateTime(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    const QDateTime longAgo(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    const QDateTime farAhead(QDate(2040, 1, 1), QTime(0, 0), Qt::UTC);

    m_certs[u"root"_s] = make(u"Lab Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"other-root"_s] = make(u"Other Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"inter"_s]
            = make(u"Lab Intermediate CA"_s, true, longAgo, farAhead, &m_certs[u"root"_s]);
    const IssuedCert &inter = m_certs[u"inter"_s];
    m_certs[u"leaf"_s]
            = make(u"db.lab.test"_s, false, m_now.addDays(-30), m_now.addDays(300), &inter);
    m_certs[u"expired-leaf"_s]
            = make(u"old.lab.test"_s, false, m_now.addDays(-400), m_now.addSecs(-1), &inter);
    m_certs[u"future-leaf"_s]
            = make(u"new.lab.test"_s, false, m_now.addSecs(60), m_now.addDays(400), &inter);
    m_certs[u"self-leaf"_s]
            = make(u"self.lab.test"_s, false, m_now.addDays(-1), m_now.addDays(30), nullptr);

    // An ECDSA signature ends with the last byte of its s value: changing it keeps the DER
    // well-formed but the signature wrong.
    IssuedCert tampered = m_certs[u"leaf"_s];
    tampered.der[tampered.der.size() - 1] = char(tampered.der.at(tampered.der.size() - 1) ^ 0x01);
    m_certs[u"tampered-leaf"_s] = tampered;

    const QString dir = QStringLiteral(PGTLS_SOURCE_DIR "/resources");
    QFile bundle(dir + u"/rds/global-bundle.pem"_s);
    if (bundle.open(QIODevice::ReadOnly))
        m_rdsBundle = bundle.readAll();
}

QString TestChainVerifier::writeFile(const QString &name, const QByteArray &content) const
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(content);
    return path;
}

QString TestChainVerifier::caFileFor(const QStringList &names) const
{
    QByteArray pem;
    for (const QString &name : names)
        pem += name == u"rds"_s
                ? m_rdsBundle
                : CertificateInfo::fromDer(m_certs.value(name).der).toPem().toLatin1();
    return writeFile(names.join(QLatin1Char('+')) + u".pem"_s, pem);
}

QList<CertificateInfo> TestChainVerifier::chainOf(const QStringList &names) const
{
    QList<CertificateInfo> chain;
    for (const QString &name : names)
        chain << CertificateInfo::fromDer(m_certs.value(name).der);
    return chain;
}

void TestChainVerifier::verifiesLikeLibpq_data()
{
    QTest::addColumn<QStringList>("sent");
    QTest::addColumn<QStringList>("caFile");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<int>("opensslError");
    QTest::addColumn<int>("errorDepth");
    QTest::addColumn<QString>("anchor"); // the CA-file certificate the chain reaches, trusted or not
    QTest::addColumn<int>("chainLength"); // of verifiedChain
    QTest::addColumn<int>("builtLength"); // of the chain OpenSSL built, also when it fails

    const QStringList leafAndInter { u"leaf"_s, u"inter"_s };
    QTest::newRow("the chain is trusted when the CA file holds the root and the server sends leaf "
                  "and intermediate")
            << leafAndInter << QStringList { u"root"_s } << true << 0 << -1 << u"root"_s << 3 << 3;
    QTest::newRow("the issuer is unknown when the server sends only the leaf and the CA file only "
                  "the root")
            << QStringList { u"leaf"_s } << QStringList { u"root"_s } << false
            << int(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) << 0 << QString() << 0 << 1;
    QTest::newRow("an intermediate alone in the CA file is no anchor (no partial chains)")
            << leafAndInter << QStringList { u"inter"_s } << false
            << int(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) << 1 << QString() << 0 << 2;
    QTest::newRow("the chain is trusted when the CA file holds intermediate and root and the "
                  "server sends only the leaf")
            << QStringList { u"leaf"_s } << QStringList { u"inter"_s, u"root"_s } << true << 0 << -1
            << u"root"_s << 3 << 3;
    QTest::newRow("an expired leaf fails at now, its chain still built to the root of the CA file")
            << QStringList { u"expired-leaf"_s, u"inter"_s } << QStringList { u"root"_s } << false
            << int(X509_V_ERR_CERT_HAS_EXPIRED) << 0 << u"root"_s << 0 << 3;
    QTest::newRow("a leaf that is not yet valid fails at now, its chain still built to the root")
            << QStringList { u"future-leaf"_s, u"inter"_s } << QStringList { u"root"_s } << false
            << int(X509_V_ERR_CERT_NOT_YET_VALID) << 0 << u"root"_s << 0 << 3;
    QTest::newRow("a chain to another CA has an unknown issuer")
            << leafAndInter << QStringList { u"other-root"_s } << false
            << int(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) << 1 << QString() << 0 << 2;
    QTest::newRow("a self-signed leaf not in the CA file is refused")
            << QStringList { u"self-leaf"_s } << QStringList { u"root"_s } << false
            << int(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) << 0 << QString() << 0 << 1;
    QTest::newRow("a self-signed leaf that is itself the CA file is trusted")
            << QStringList { u"self-leaf"_s } << QStringList { u"self-leaf"_s } << true << 0 << -1
            << u"self-leaf"_s << 1 << 1;
    QTest::newRow("a leaf whose signature was tampered with is refused, under the root it claims")
            << QStringList { u"tampered-leaf"_s, u"inter"_s } << QStringList { u"root"_s } << false
            << int(X509_V_ERR_CERT_SIGNATURE_FAILURE) << 0 << u"root"_s << 0 << 3;
    QTest::newRow("a root sent by the server does not make it trusted")
            << QStringList { u"leaf"_s, u"inter"_s, u"other-root"_s } << QStringList { u"root"_s }
            << true << 0 << -1 << u"root"_s << 3 << 3;
    QTest::newRow(
            "a chain ending in a root the CA file lacks is a self-signed certificate in the chain")
            << QStringList { u"leaf"_s, u"inter"_s, u"root"_s } << QStringList { u"other-root"_s }
            << false << int(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) << 2 << QString() << 0 << 3;
    QTest::newRow("the right anchor is found in a CA file of many certificates")
            << leafAndInter << QStringList { u"rds"_s, u"root"_s, u"other-root"_s } << true << 0
            << -1 << u"root"_s << 3 << 3;
    QTest::newRow("the RDS bundle alone does not trust a lab chain")
            << leafAndInter << QStringList { u"rds"_s } << false
            << int(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) << 1 << QString() << 0 << 2;
}

void TestChainVerifier::verifiesLikeLibpq()
{
    QFETCH(QStringList, sent);
    QFETCH(QStringList, caFile);
    QFETCH(bool, trusted);
    QFETCH(int, opensslError);
    QFETCH(int, errorDepth);
    QFETCH(QString, anchor);
    QFETCH(int, chainLength);
    QFETCH(int, builtLength);
    if (caFile.contains(u"rds"_s) && m_rdsBundle.isEmpty())
        QFAIL("the RDS global bundle snapshot is missing from resources/rds");

    const QString path = caFileFor(caFile);
    const TrustResult r = ChainVerifier::verify(chainOf(sent), path, m_now);
    QVERIFY(r.attempted);
    QCOMPARE(r.caFile, path);
    QVERIFY2(r.trusted == trusted, qPrintable(r.error));
    QCOMPARE(r.opensslError, opensslError);
    QCOMPARE(r.errorDepth, errorDepth);
    QCOMPARE(r.verifiedChain.size(), chainLength);
    QCOMPARE(r.chain.size(), builtLength);
    QCOMPARE(r.chain.first().der, m_certs.value(sent.first()).der);
    if (anchor.isEmpty()) {
        QVERIFY(r.anchorSha256.isEmpty());
        QVERIFY(r.anchorSubject.isEmpty());
    } else {
        const CertificateInfo expected = CertificateInfo::fromDer(m_certs.value(anchor).der);
        QCOMPARE(r.anchorSha256, expected.sha256);
        QCOMPARE(r.anchorSubject, expected.subject);
        QCOMPARE(r.chain.last().sha256, expected.sha256);
    }
    if (trusted) {
        QCOMPARE(r.verifiedChain.first().der, m_certs.value(sent.first()).der);
        QVERIFY(r.error.isEmpty());
        QVERIFY(r.issues.isEmpty());
    } else {
        // The text is OpenSSL's, followed by which certificate it is about.
        QVERIFY2(r.error.startsWith(
                         QString::fromLatin1(X509_verify_cert_error_string(opensslError))),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(u"depth %1"_s.arg(errorDepth)), qPrintable(r.error));
        QVERIFY(!r.issues.isEmpty());
        QCOMPARE(r.issues.first().opensslError, opensslError);
    }
}

void TestChainVerifier::collectsEveryIssue_data()
{
    QTest::addColumn<QStringList>("sent");
    QTest::addColumn<QStringList>("caFile");
    QTest::addColumn<QStringList>("codes"); // "depth:code", in any order

    QTest::newRow("an expired leaf under an unknown CA has both problems")
            << QStringList { u"expired-leaf"_s, u"inter"_s } << QStringList { u"other-root"_s }
            << QStringList { u"1:unknown-issuer"_s, u"0:expired"_s };
    QTest::newRow("a self-signed leaf is one self-signed issue")
            << QStringList { u"self-leaf"_s } << QStringList { u"root"_s }
            << QStringList { u"0:self-signed"_s };
    QTest::newRow("a tampered leaf has a bad signature")
            << QStringList { u"tampered-leaf"_s, u"inter"_s } << QStringList { u"root"_s }
            << QStringList { u"0:bad-signature"_s };
    QTest::newRow("a leaf not yet valid and sent alone is also of unknown issuer")
            << QStringList { u"future-leaf"_s } << QStringList { u"root"_s }
            << QStringList { u"0:unknown-issuer"_s, u"0:not-yet-valid"_s };
}

void TestChainVerifier::collectsEveryIssue()
{
    QFETCH(QStringList, sent);
    QFETCH(QStringList, caFile);
    QFETCH(QStringList, codes);

    const TrustResult r = ChainVerifier::verify(chainOf(sent), caFileFor(caFile), m_now);
    QVERIFY(!r.trusted);
    QStringList found;
    for (const CertificateIssue &issue : r.issues) {
        found << u"%1:%2"_s.arg(issue.depth).arg(issue.code);
        QCOMPARE(issue.detail,
                 QString::fromLatin1(X509_verify_cert_error_string(issue.opensslError)));
    }
    for (const QString &code : codes)
        QVERIFY2(found.contains(code), qPrintable(found.join(u", "_s)));
}

void TestChainVerifier::reportsCaFileProblems_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected"); // %1 = the path

    QTest::newRow("a missing file is reported as libpq does")
            << u"missing"_s << u"root certificate file \"%1\" does not exist"_s;
    QTest::newRow("a directory cannot be read as a root certificate file")
            << u"directory"_s << u"could not read root certificate file \"%1\": "_s;
    QTest::newRow("an empty file has no certificate")
            << u"empty"_s
            << u"could not read root certificate file \"%1\": no certificate or crl found"_s;
    QTest::newRow("a file of plain text has no certificate")
            << u"text"_s
            << u"could not read root certificate file \"%1\": no certificate or crl found"_s;
    QTest::newRow("a file holding only a private key has no certificate")
            << u"key"_s
            << u"could not read root certificate file \"%1\": no certificate or crl found"_s;
    QTest::newRow("a broken PEM block makes the file unreadable")
            << u"broken"_s << u"could not read root certificate file \"%1\": "_s;
}

void TestChainVerifier::reportsCaFileProblems()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);

    QString path;
    if (kind == u"missing"_s) {
        path = m_dir.filePath(u"does-not-exist.pem"_s);
    } else if (kind == u"directory"_s) {
        path = m_dir.path();
    } else if (kind == u"empty"_s) {
        path = writeFile(u"empty.pem"_s, QByteArray());
    } else if (kind == u"text"_s) {
        path = writeFile(u"text.pem"_s, "these are not the certificates you are looking for\n");
    } else if (kind == u"key"_s) {
        path = writeFile(u"key.pem"_s, PrivateKey::generate(PrivateKey::Type::EcP256).toPem());
    } else {
        path = writeFile(u"broken.pem"_s,
                         "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    }

    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }), path, m_now);
    QVERIFY(r.attempted);
    QVERIFY(!r.trusted);
    QCOMPARE(r.caFile, path);
    const QString text = expected.arg(path);
    QVERIFY2(text.endsWith(u": "_s) ? (r.error.startsWith(text) && r.error.size() > text.size())
                                    : r.error == text,
             qPrintable(r.error));
    QVERIFY(r.anchorSha256.isEmpty());
}

void TestChainVerifier::withoutCaFileNothingIsAttempted()
{
    const TrustResult r
            = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }), QString(), m_now);
    QVERIFY(!r.attempted);
    QVERIFY(!r.trusted);
}

// The same files given to OpenSSL's own loader (what libpq 15 calls): the first error of the
// queue, as libpq's SSLerrmessage() shows it, is the one our memory loader reports.
void TestChainVerifier::failsWithOpenSslsOwnFileLoaderMessage_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("an empty file fails as OpenSSL's loader fails") << QByteArray();
    QTest::newRow("plain text fails as OpenSSL's loader fails")
            << QByteArray("these are not the certificates you are looking for\n");
    QTest::newRow("bad base64 fails as OpenSSL's loader fails")
            << QByteArray("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    QTest::newRow("a block without its END line fails as OpenSSL's loader fails")
            << QByteArray("-----BEGIN CERTIFICATE-----\nMIIB\n");
    QTest::newRow("a key alone fails as OpenSSL's loader fails")
            << PrivateKey::generate(PrivateKey::Type::EcP256).toPem();
}

void TestChainVerifier::failsWithOpenSslsOwnFileLoaderMessage()
{
    QFETCH(QByteArray, content);
    const QString path = writeFile(u"openssl-compare.pem"_s, content);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    QVERIFY(ctx);
    ERR_clear_error();
    const int loaded
            = SSL_CTX_load_verify_locations(ctx, QFile::encodeName(path).constData(), nullptr);
    const unsigned long first = ERR_get_error();
    ERR_clear_error();
    SSL_CTX_free(ctx);
    QCOMPARE(loaded, 0);
    const QString expected = u"could not read root certificate file \"%1\": %2"_s.arg(
            path, QString::fromLatin1(ERR_reason_error_string(first)));
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }), path, m_now);
    QCOMPARE(r.error, expected);
}

void TestChainVerifier::aCaFileThatIsNotAFileIsRefusedAtOnce_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a FIFO as the CA file is refused without waiting for a writer")
            << u"fifo"_s << u"is a named pipe (FIFO)"_s;
    QTest::newRow("/dev/zero as the CA file is refused without reading it")
            << u"/dev/zero"_s << u"is a device"_s;
    QTest::newRow("a 20 MiB CA file is refused without parsing it")
            << u"large"_s << u"is 20971520 bytes, over the limit"_s;
}

void TestChainVerifier::aCaFileThatIsNotAFileIsRefusedAtOnce()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QString path = kind;
    if (kind == u"fifo"_s) {
        path = m_dir.filePath(u"ca.fifo"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    } else if (kind == u"large"_s) {
        path = writeFile(u"large.pem"_s, QByteArray(20 * 1024 * 1024, 'A'));
    }
    QElapsedTimer timer;
    timer.start();
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }), path, m_now);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(r.attempted);
    QVERIFY(!r.trusted);
    QVERIFY2(r.error.startsWith(u"root certificate file \"%1\" "_s.arg(path))
                     && r.error.contains(expected),
             qPrintable(r.error));
}

// X509_load_cert_crl_file() loads CRLs too (and counts them): a file holding a CRL besides the
// root still anchors the chain.
void TestChainVerifier::aCrlInTheCaFileIsLoadedAsOpenSslLoadsIt()
{
    const QByteArray rootPem
            = CertificateInfo::fromDer(m_certs.value(u"root"_s).der).toPem().toLatin1();
    // A syntactically valid CRL block that does not parse makes OpenSSL's loader fail: compare.
    const QString path = writeFile(u"root+junk-crl.pem"_s,
                                   rootPem
                                           + "-----BEGIN X509 CRL-----\nAAAA\n"
                                             "-----END X509 CRL-----\n");
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    ERR_clear_error();
    const int loaded
            = SSL_CTX_load_verify_locations(ctx, QFile::encodeName(path).constData(), nullptr);
    ERR_clear_error();
    SSL_CTX_free(ctx);
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }), path, m_now);
    QCOMPARE(r.error.startsWith(u"could not read root certificate file"_s), loaded != 1);
    QCOMPARE(r.trusted, loaded == 1);
}

QTEST_GUILESS_MAIN(TestChainVerifier)
#include "TestChainVerifier.moc"
