// SPDX-License-Identifier: MIT
#include "CertBuilder.h"
#include "ChainVerifier.h"
#include "Endpoint.h"
#include "OpenSslUtil.h"

#include "../support/TestCerts.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
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
    void revocationAgreesWithOpenSslVerify_data();
    void revocationAgreesWithOpenSslVerify();
    void aCrlFileThatDoesNotLoadLeavesRevocationUnchecked_data();
    void aCrlFileThatDoesNotLoadLeavesRevocationUnchecked();
    void aMissingDefaultRootCrlIsNotWorthANote();
    void theCrlSettingsAreLibpqs_data();
    void theCrlSettingsAreLibpqs();
    void aHashedCrlDirectoryIsSearchedAsOpenSslSearchesIt_data();
    void aHashedCrlDirectoryIsSearchedAsOpenSslSearchesIt();
    void aFifoInTheCrlDirectoryIsNotWaitedFor();

private:
    // CRLs by spec: "inter>leaf,expired-leaf" (by inter, revoking those), "root>" (revoking
    // nothing), "inter~" (by inter, revoking nothing, past its next update at m_now).
    QByteArray crlsFor(const QStringList &specs) const;
    // `openssl verify -crl_check_all` at m_now: "ok", or the first "error N at D" it prints.
    QString opensslVerify(const QStringList &sent, const QString &caFile,
                          const QStringList &crlArgs) const;
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
    return pgtls::test::makeCertBetween(u"Chain tests"_s, cn, ca, from, to, issuer);
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

QByteArray TestChainVerifier::crlsFor(const QStringList &specs) const
{
    QByteArray pem;
    for (const QString &spec : specs) {
        const bool expired = spec.endsWith(u'~');
        const QString issuer = spec.section(QRegularExpression(u"[>~]"_s), 0, 0);
        QList<QByteArray> revoked;
        for (const QString &name : spec.section(u'>', 1).split(u',', Qt::SkipEmptyParts))
            revoked << m_certs.value(name).der;
        pem += expired ? test::makeCrl(m_certs.value(issuer), revoked, m_now.addDays(-10),
                                       m_now.addDays(-1))
                       : test::makeCrl(m_certs.value(issuer), revoked, m_now.addDays(-1),
                                       m_now.addDays(7));
    }
    return pem;
}

QString TestChainVerifier::opensslVerify(const QStringList &sent, const QString &caFile,
                                         const QStringList &crlArgs) const
{
    QStringList args { u"verify"_s, u"-crl_check_all"_s, u"-attime"_s,
                       QString::number(m_now.toSecsSinceEpoch()), u"-CAfile"_s, caFile };
    args << crlArgs;
    if (sent.size() > 1) {
        QByteArray pem;
        for (const QString &name : sent.mid(1))
            pem += m_certs.value(name).pem;
        args << u"-untrusted"_s << writeFile(u"untrusted.pem"_s, pem);
    }
    args << writeFile(u"leaf-to-verify.pem"_s, m_certs.value(sent.first()).pem);
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"openssl"_s, args);
    if (!p.waitForFinished(20000))
        return u"openssl did not finish: "_s + p.errorString();
    const QString out = QString::fromLocal8Bit(p.readAll());
    const QRegularExpressionMatch m
            = QRegularExpression(u"error (\\d+) at (\\d+) depth"_s).match(out);
    if (m.hasMatch())
        return u"error %1 at %2"_s.arg(m.captured(1), m.captured(2));
    return p.exitCode() == 0 && out.contains(u": OK"_s) ? u"ok"_s : out;
}

// The chain root -> intermediate -> leaf with CRLs of its issuers, checked as libpq checks it
// (X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL) and by `openssl verify -crl_check_all`.
void TestChainVerifier::revocationAgreesWithOpenSslVerify_data()
{
    QTest::addColumn<QStringList>("sent");
    QTest::addColumn<QStringList>("crls");
    QTest::addColumn<int>("opensslError");
    QTest::addColumn<int>("errorDepth");
    QTest::addColumn<QStringList>("codes"); // every issue, "depth:code"

    const QStringList leafAndInter { u"leaf"_s, u"inter"_s };
    QTest::newRow("a chain whose every issuer published a CRL revoking nothing is trusted")
            << leafAndInter << QStringList { u"inter>"_s, u"root>"_s } << 0 << -1 << QStringList();
    QTest::newRow("a leaf revoked by its issuer is refused as revoked")
            << leafAndInter << QStringList { u"inter>leaf"_s, u"root>"_s }
            << int(X509_V_ERR_CERT_REVOKED) << 0 << QStringList { u"0:revoked"_s };
    QTest::newRow("a revoked intermediate is refused at depth 1")
            << leafAndInter << QStringList { u"inter>"_s, u"root>inter"_s }
            << int(X509_V_ERR_CERT_REVOKED) << 1 << QStringList { u"1:revoked"_s };
    QTest::newRow("without a CRL of the root, the intermediate and the root itself have no CRL "
                  "(CRL_CHECK_ALL)")
            << leafAndInter << QStringList { u"inter>"_s } << int(X509_V_ERR_UNABLE_TO_GET_CRL)
            << 1 << QStringList { u"1:crl-missing"_s, u"2:crl-missing"_s };
    QTest::newRow("without a CRL of the intermediate, the leaf has no CRL")
            << leafAndInter << QStringList { u"root>"_s } << int(X509_V_ERR_UNABLE_TO_GET_CRL)
            << 0 << QStringList { u"0:crl-missing"_s };
    QTest::newRow("a CRL past its next update is refused as expired")
            << leafAndInter << QStringList { u"inter~"_s, u"root>"_s }
            << int(X509_V_ERR_CRL_HAS_EXPIRED) << 0 << QStringList { u"0:crl-expired"_s };
    QTest::newRow("an expired leaf that is also revoked fails first as revoked, and has both")
            << QStringList { u"expired-leaf"_s, u"inter"_s }
            << QStringList { u"inter>expired-leaf"_s, u"root>"_s } << int(X509_V_ERR_CERT_REVOKED)
            << 0 << QStringList { u"0:revoked"_s, u"0:expired"_s };
}

void TestChainVerifier::revocationAgreesWithOpenSslVerify()
{
    QFETCH(QStringList, sent);
    QFETCH(QStringList, crls);
    QFETCH(int, opensslError);
    QFETCH(int, errorDepth);
    QFETCH(QStringList, codes);

    const QString caFile = caFileFor({ u"root"_s });
    const QString crlFile = writeFile(u"crls.pem"_s, crlsFor(crls));
    CrlSettings settings;
    settings.file = crlFile;
    const TrustResult r = ChainVerifier::verify(chainOf(sent), caFile, m_now, settings);

    // The reference: OpenSSL's own command line with the same files.
    const QString reference = opensslVerify(sent, caFile, { u"-CRLfile"_s, crlFile });
    QCOMPARE(reference, opensslError == 0 ? u"ok"_s
                                          : u"error %1 at %2"_s.arg(opensslError).arg(errorDepth));

    QVERIFY(r.crlChecked);
    QCOMPARE(r.crlFile, crlFile);
    QVERIFY2(r.crlNote.isEmpty(), qPrintable(r.crlNote));
    QCOMPARE(r.crlCount, int(crls.size()));
    QCOMPARE(r.trusted, opensslError == 0);
    QCOMPARE(r.opensslError, opensslError);
    QCOMPARE(r.errorDepth, errorDepth);
    if (opensslError != 0)
        QVERIFY2(r.error.startsWith(
                         QString::fromLatin1(X509_verify_cert_error_string(opensslError))),
                 qPrintable(r.error));
    QStringList found;
    for (const CertificateIssue &issue : r.issues) {
        found << u"%1:%2"_s.arg(issue.depth).arg(issue.code);
        QVERIFY(!r.certificateAt(issue.depth, {}).isNull());
    }
    for (const QString &code : codes)
        QVERIFY2(found.contains(code), qPrintable(found.join(u", "_s)));
    QVERIFY2(found.size() == codes.size(), qPrintable(found.join(u", "_s)));
    // Revoked or not, the chain is built to the root of the CA file.
    QCOMPARE(r.chain.size(), 3);
    QCOMPARE(r.anchorSha256, CertificateInfo::fromDer(m_certs.value(u"root"_s).der).sha256);
}

// libpq's X509_STORE_load_locations() fails on such a file, leaves the flags unset and clears the
// error: the chain verifies without any revocation check, and the report says why.
void TestChainVerifier::aCrlFileThatDoesNotLoadLeavesRevocationUnchecked_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("note");
    QTest::newRow("a named sslcrl that does not exist is ignored, and said so")
            << u"missing"_s << u"does not exist"_s;
    QTest::newRow("an sslcrl of plain text is ignored, and said so")
            << u"text"_s << u"could not be loaded: no certificate or crl found"_s;
    QTest::newRow("a directory as sslcrl is ignored, and said so")
            << u"directory"_s << u"directory"_s;
}

void TestChainVerifier::aCrlFileThatDoesNotLoadLeavesRevocationUnchecked()
{
    QFETCH(QString, kind);
    QFETCH(QString, note);
    CrlSettings settings;
    settings.file = kind == u"missing"_s ? m_dir.filePath(u"no-such.crl"_s)
            : kind == u"text"_s          ? writeFile(u"text.crl"_s, "not a revocation list\n")
                                         : m_dir.path();
    // A directory that would revoke the leaf is not searched either (the file failed first).
    const QString dir = m_dir.filePath(u"crl-dir-after-bad-file"_s);
    QVERIFY(QDir().mkpath(dir));
    settings.dir = dir;
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }),
                                                caFileFor({ u"root"_s }), m_now, settings);
    QVERIFY(!r.crlChecked);
    QVERIFY2(r.trusted, qPrintable(r.error));
    QVERIFY2(r.crlNote.contains(note, Qt::CaseInsensitive), qPrintable(r.crlNote));
    QVERIFY2(r.crlNote.contains(u"revocation is not checked"_s), qPrintable(r.crlNote));
    QVERIFY2(r.crlNote.contains(u"sslcrldir is not searched"_s), qPrintable(r.crlNote));
}

void TestChainVerifier::aMissingDefaultRootCrlIsNotWorthANote()
{
    CrlSettings settings;
    settings.file = m_dir.filePath(u"home/.postgresql/root.crl"_s);
    settings.isDefaultFile = true;
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }),
                                                caFileFor({ u"root"_s }), m_now, settings);
    QVERIFY(r.trusted);
    QVERIFY(!r.crlChecked);
    QVERIFY2(r.crlNote.isEmpty(), qPrintable(r.crlNote));
    QCOMPARE(r.crlFile, settings.file);
    QVERIFY(r.crlFileIsDefault);
}

void TestChainVerifier::theCrlSettingsAreLibpqs_data()
{
    QTest::addColumn<QString>("sslcrl");
    QTest::addColumn<QString>("sslcrldir");
    QTest::addColumn<QString>("home");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("dir");
    QTest::addColumn<bool>("isDefault");
    QTest::newRow("neither set: ~/.postgresql/root.crl")
            << QString() << QString() << u"/home/u"_s << u"/home/u/.postgresql/root.crl"_s
            << QString() << true;
    QTest::newRow("neither set and no home directory: no CRL at all")
            << QString() << QString() << QString() << QString() << QString() << false;
    QTest::newRow("sslcrl set: that file only") << u"/etc/x.crl"_s << QString() << u"/home/u"_s
                                                << u"/etc/x.crl"_s << QString() << false;
    QTest::newRow("sslcrldir set: that directory and no default file")
            << QString() << u"/etc/crls"_s << u"/home/u"_s << QString() << u"/etc/crls"_s << false;
    QTest::newRow("both set: both") << u"/etc/x.crl"_s << u"/etc/crls"_s << u"/home/u"_s
                                    << u"/etc/x.crl"_s << u"/etc/crls"_s << false;
}

void TestChainVerifier::theCrlSettingsAreLibpqs()
{
    QFETCH(QString, sslcrl);
    QFETCH(QString, sslcrldir);
    QFETCH(QString, home);
    QFETCH(QString, file);
    QFETCH(QString, dir);
    QFETCH(bool, isDefault);
    Endpoint e;
    if (!sslcrl.isEmpty())
        e.extraOptions.insert(u"sslcrl"_s, sslcrl);
    if (!sslcrldir.isEmpty())
        e.extraOptions.insert(u"sslcrldir"_s, sslcrldir);
    const CrlSettings s = CrlSettings::forEndpoint(e, home);
    QCOMPARE(s.file, file);
    QCOMPARE(s.dir, dir);
    QCOMPARE(s.isDefaultFile, isDefault);
}

// sslcrldir is an X509_LOOKUP_hash_dir(): "<hash>.r<n>" files (made here by `openssl rehash`)
// are found by the issuer's name, and `openssl verify -CApath` (the same lookup) agrees.
void TestChainVerifier::aHashedCrlDirectoryIsSearchedAsOpenSslSearchesIt_data()
{
    QTest::addColumn<QStringList>("crls");      // one file each
    QTest::addColumn<QStringList>("dirCerts");  // certificates in the directory, one file each
    QTest::addColumn<QString>("caRoot");        // the CA file
    QTest::addColumn<QString>("expected");      // opensslVerify()'s words
    QTest::addColumn<QString>("code");          // of the first issue, or empty
    QTest::newRow("a leaf revoked in a CRL of the directory is refused")
            << QStringList { u"inter>leaf"_s, u"root>"_s } << QStringList() << u"root"_s
            << u"error %1 at 0"_s.arg(int(X509_V_ERR_CERT_REVOKED)) << u"revoked"_s;
    QTest::newRow("a directory with a CRL of every issuer, revoking nothing, trusts the chain")
            << QStringList { u"inter>"_s, u"root>"_s } << QStringList() << u"root"_s << u"ok"_s
            << QString();
    QTest::newRow("a directory without the root's CRL fails as unable to get certificate CRL")
            << QStringList { u"inter>"_s } << QStringList() << u"root"_s
            << u"error %1 at 1"_s.arg(int(X509_V_ERR_UNABLE_TO_GET_CRL)) << u"crl-missing"_s;
    QTest::newRow("a root certificate in the directory anchors the chain, as the lookup makes it")
            << QStringList { u"inter>"_s, u"root>"_s } << QStringList { u"root"_s }
            << u"other-root"_s << u"ok"_s << QString();
}

void TestChainVerifier::aHashedCrlDirectoryIsSearchedAsOpenSslSearchesIt()
{
    QFETCH(QStringList, crls);
    QFETCH(QStringList, dirCerts);
    QFETCH(QString, caRoot);
    QFETCH(QString, expected);
    QFETCH(QString, code);
    const QString dir = m_dir.filePath(
            u"crldir-%1"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'-'));
    QVERIFY(QDir().mkpath(dir));
    for (int i = 0; i < crls.size(); ++i) {
        QFile f(u"%1/crl%2.pem"_s.arg(dir).arg(i));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(crlsFor({ crls.at(i) }));
    }
    for (const QString &name : dirCerts) {
        QFile f(u"%1/%2.pem"_s.arg(dir, name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_certs.value(name).pem);
    }
    QProcess rehash;
    rehash.setProcessChannelMode(QProcess::MergedChannels);
    rehash.start(u"openssl"_s, { u"rehash"_s, dir });
    QVERIFY(rehash.waitForFinished(20000));
    QVERIFY2(rehash.exitCode() == 0, rehash.readAll().constData());
    QCOMPARE(QDir(dir).entryList({ u"*.r0"_s }).size(), crls.size());
    QCOMPARE(QDir(dir).entryList({ u"*.0"_s }).size(), dirCerts.size());

    const QString caFile = caFileFor({ caRoot });
    const QStringList sent { u"leaf"_s, u"inter"_s };
    QCOMPARE(opensslVerify(sent, caFile, { u"-CApath"_s, dir }), expected);

    CrlSettings settings;
    settings.dir = dir;
    const TrustResult r = ChainVerifier::verify(chainOf(sent), caFile, m_now, settings);
    QVERIFY(r.crlChecked);
    QCOMPARE(r.crlCount, int(crls.size()));
    QVERIFY2(r.trusted == (expected == u"ok"_s), qPrintable(r.error));
    if (!code.isEmpty()) {
        QCOMPARE(u"error %1 at %2"_s.arg(r.opensslError).arg(r.errorDepth), expected);
        QVERIFY(!r.issues.isEmpty());
        QCOMPARE(r.issues.first().code, code);
    }
    if (!dirCerts.isEmpty())
        QCOMPARE(r.chain.last().sha256,
                 CertificateInfo::fromDer(m_certs.value(dirCerts.first()).der).sha256);
}

void TestChainVerifier::aFifoInTheCrlDirectoryIsNotWaitedFor()
{
    const QString dir = m_dir.filePath(u"crldir-fifo"_s);
    QVERIFY(QDir().mkpath(dir));
    int ok = 0;
    const ossl::X509Ptr ca = ossl::x509FromDer(m_certs.value(u"inter"_s).der);
    QVERIFY(ca);
    const unsigned long hash
            = X509_NAME_hash_ex(X509_get_subject_name(ca.get()), nullptr, nullptr, &ok);
    QVERIFY(ok);
    const QString fifo = u"%1/%2.r0"_s.arg(dir).arg(qulonglong(hash), 8, 16, QLatin1Char('0'));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    CrlSettings settings;
    settings.dir = dir;
    QElapsedTimer timer;
    timer.start();
    const TrustResult r = ChainVerifier::verify(chainOf({ u"leaf"_s, u"inter"_s }),
                                                caFileFor({ u"root"_s }), m_now, settings);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(r.crlNote.contains(u"FIFO"_s, Qt::CaseInsensitive)
                     || r.crlNote.contains(u"named pipe"_s),
             qPrintable(r.crlNote));
    // The directory is set up (libpq's lookup is added), so the missing CRLs fail the chain.
    QVERIFY(r.crlChecked);
    QCOMPARE(r.opensslError, int(X509_V_ERR_UNABLE_TO_GET_CRL));
}

QTEST_GUILESS_MAIN(TestChainVerifier)
#include "TestChainVerifier.moc"
