// SPDX-License-Identifier: MIT
#include "CertBuilder.h"
#include "CertificateInfo.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(pgtls::lab::PrivateKey::Type)

class TestCertificateInfo : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsSubjectIssuerAndValidity();
    void readsNamesAndFlags_data();
    void readsNamesAndFlags();
    void readsKeyType_data();
    void readsKeyType();
    void agreesWithOpenSslCommandLine_data();
    void agreesWithOpenSslCommandLine();
    void tellsValidityAtAGivenTime_data();
    void tellsValidityAtAGivenTime();
    void roundTripsThroughPem();
    void readsEveryCertificateOfTheRdsBundle();
    void rejectsGarbage_data();
    void rejectsGarbage();
    void showsANulInANameAsBackslashZero_data();
    void showsANulInANameAsBackslashZero();

private:
    static QString openssl(const QStringList &args, const QByteArray &input);

    PrivateKey m_rootKey;
    IssuedCert m_root;
    IssuedCert m_leaf;
    CertRequest m_leafRequest;
};

void TestCertificateInfo::initTestCase()
{
    m_rootKey = PrivateKey::generate(PrivateKey::Type::EcP384);
    CertRequest root;
    root.subject = { { u"C"_s, u"US"_s },
                     { u"O"_s, u"Example Corp"_s },
                     { u"CN"_s, u"Example Root CA"_s } };
    root.notBefore = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    root.notAfter = QDateTime(QDate(2040, 1, 1), QTime(0, 0), Qt::UTC);
    root.isCa = true;
    root.pathLength = 1;
    root.serial = 1;
    m_root = CertBuilder::selfSigned(root, m_rootKey);

    m_leafRequest.subject = { { u"C"_s, u"US"_s },
                              { u"O"_s, u"Example Corp"_s },
                              { u"CN"_s, u"db.example.com"_s } };
    m_leafRequest.notBefore = QDateTime(QDate(2024, 3, 1), QTime(12, 30, 15), Qt::UTC);
    m_leafRequest.notAfter = QDateTime(QDate(2026, 3, 1), QTime(12, 30, 15), Qt::UTC);
    m_leafRequest.sanDns = { u"db.example.com"_s, u"*.db.example.com"_s };
    m_leafRequest.sanIp = { u"10.0.0.1"_s, u"2001:db8::1"_s };
    m_leafRequest.serial = 0x1234abcd;
    m_leaf = CertBuilder::issue(m_leafRequest, PrivateKey::generate(PrivateKey::Type::EcP256),
                                m_root);
}

QString TestCertificateInfo::openssl(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(u"/usr/bin/openssl"_s, args);
    if (!p.waitForStarted())
        return {};
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished();
    return QString::fromLatin1(p.readAllStandardOutput()).trimmed();
}

void TestCertificateInfo::readsSubjectIssuerAndValidity()
{
    QString error;
    const CertificateInfo info = CertificateInfo::fromDer(m_leaf.der, &error);
    QVERIFY2(!info.isNull(), qPrintable(error));
    QCOMPARE(info.der, m_leaf.der);
    QCOMPARE(info.subject, u"CN=db.example.com,O=Example Corp,C=US"_s);
    QCOMPARE(info.issuer, u"CN=Example Root CA,O=Example Corp,C=US"_s);
    QCOMPARE(info.subjectCommonName, u"db.example.com"_s);
    QCOMPARE(info.serial, u"1234abcd"_s);
    QCOMPARE(info.notBefore, m_leafRequest.notBefore);
    QCOMPARE(info.notAfter, m_leafRequest.notAfter);
    QCOMPARE(info.notBefore.timeSpec(), Qt::UTC);
    QCOMPARE(info.signatureAlgorithm, u"ecdsa-with-SHA256"_s);
    QCOMPARE(info.sha256.size(), 64);
}

void TestCertificateInfo::readsNamesAndFlags_data()
{
    QTest::addColumn<QByteArray>("der");
    QTest::addColumn<QStringList>("sanDns");
    QTest::addColumn<QStringList>("sanIp");
    QTest::addColumn<bool>("isCa");
    QTest::addColumn<bool>("selfSigned");
    QTest::addColumn<QString>("commonName");

    QTest::newRow("a leaf lists its DNS and IP SANs in order and is neither CA nor self-signed")
            << m_leaf.der << QStringList { u"db.example.com"_s, u"*.db.example.com"_s }
            << QStringList { u"10.0.0.1"_s, u"2001:db8::1"_s } << false << false
            << u"db.example.com"_s;
    QTest::newRow("a root is a self-signed CA without SANs")
            << m_root.der << QStringList() << QStringList() << true << true << u"Example Root CA"_s;

    CertRequest reordered;
    reordered.subject = { { u"C"_s, u"US"_s },
                          { u"O"_s, u"Example Corp"_s },
                          { u"CN"_s, u"Example Root CA"_s } };
    reordered.notBefore = m_leafRequest.notBefore;
    reordered.notAfter = m_leafRequest.notAfter;
    reordered.includeCnOnly = true;
    const IssuedCert sameSubject
            = CertBuilder::issue(reordered, PrivateKey::generate(PrivateKey::Type::EcP256), m_root);
    QTest::newRow("a certificate named like its issuer but signed by it is not self-signed")
            << sameSubject.der << QStringList() << QStringList() << false << false
            << u"Example Root CA"_s;

    CertRequest selfLeaf;
    selfLeaf.subject = { { u"CN"_s, u"bücher.example"_s }, { u"CN"_s, u"second"_s } };
    selfLeaf.notBefore = m_leafRequest.notBefore;
    selfLeaf.notAfter = m_leafRequest.notAfter;
    const IssuedCert self
            = CertBuilder::selfSigned(selfLeaf, PrivateKey::generate(PrivateKey::Type::EcP256));
    QTest::newRow(
            "a self-signed leaf with a UTF-8 CN gets that CN as its SAN and reports the first CN")
            << self.der << QStringList { u"bücher.example"_s } << QStringList() << false << true
            << u"bücher.example"_s;
}

void TestCertificateInfo::readsNamesAndFlags()
{
    QFETCH(QByteArray, der);
    QFETCH(QStringList, sanDns);
    QFETCH(QStringList, sanIp);
    QFETCH(bool, isCa);
    QFETCH(bool, selfSigned);
    QFETCH(QString, commonName);

    const CertificateInfo info = CertificateInfo::fromDer(der);
    QVERIFY(!info.isNull());
    QCOMPARE(info.sanDns, sanDns);
    QCOMPARE(info.sanIp, sanIp);
    QCOMPARE(info.isCa, isCa);
    QCOMPARE(info.selfSigned, selfSigned);
    QCOMPARE(info.subjectCommonName, commonName);
}

void TestCertificateInfo::readsKeyType_data()
{
    QTest::addColumn<PrivateKey::Type>("type");
    QTest::addColumn<QString>("keyType");
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("curve");
    QTest::addColumn<QString>("signature");

    QTest::newRow("an RSA 2048 key reports RSA and 2048 bits")
            << PrivateKey::Type::Rsa2048 << u"RSA"_s << 2048 << QString()
            << u"sha256WithRSAEncryption"_s;
    QTest::newRow("an RSA 4096 key reports RSA and 4096 bits")
            << PrivateKey::Type::Rsa4096 << u"RSA"_s << 4096 << QString()
            << u"sha256WithRSAEncryption"_s;
    QTest::newRow("a P-256 key reports EC, 256 bits and prime256v1")
            << PrivateKey::Type::EcP256 << u"EC"_s << 256 << u"prime256v1"_s
            << u"ecdsa-with-SHA256"_s;
    QTest::newRow("a P-384 key reports EC, 384 bits and secp384r1")
            << PrivateKey::Type::EcP384 << u"EC"_s << 384 << u"secp384r1"_s
            << u"ecdsa-with-SHA256"_s;
}

void TestCertificateInfo::readsKeyType()
{
    QFETCH(PrivateKey::Type, type);
    QFETCH(QString, keyType);
    QFETCH(int, bits);
    QFETCH(QString, curve);
    QFETCH(QString, signature);

    CertRequest req = m_leafRequest;
    const IssuedCert cert = CertBuilder::selfSigned(req, PrivateKey::generate(type));
    const CertificateInfo info = CertificateInfo::fromDer(cert.der);
    QCOMPARE(info.keyType, keyType);
    QCOMPARE(info.keyBits, bits);
    QCOMPARE(info.keyCurve, curve);
    QCOMPARE(info.signatureAlgorithm, signature);
}

void TestCertificateInfo::agreesWithOpenSslCommandLine_data()
{
    QTest::addColumn<QByteArray>("der");

    QTest::newRow("the leaf's fingerprint and serial match openssl x509") << m_leaf.der;
    QTest::newRow("the root's fingerprint and serial match openssl x509") << m_root.der;
    CertRequest random = m_leafRequest;
    random.serial = 0;
    const IssuedCert randomSerial
            = CertBuilder::issue(random, PrivateKey::generate(PrivateKey::Type::EcP256), m_root);
    QTest::newRow("a random 64-bit serial matches openssl x509") << randomSerial.der;
}

void TestCertificateInfo::agreesWithOpenSslCommandLine()
{
    QFETCH(QByteArray, der);
    if (!QFile::exists(u"/usr/bin/openssl"_s))
        QFAIL("/usr/bin/openssl is not installed (packaging/install-deps.sh installs it)");

    const CertificateInfo info = CertificateInfo::fromDer(der);
    const QString fingerprint = openssl(
            { u"x509"_s, u"-inform"_s, u"DER"_s, u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s },
            der);
    QVERIFY2(fingerprint.contains(QLatin1Char('=')), qPrintable(fingerprint));
    QCOMPARE(info.sha256,
             fingerprint.section(QLatin1Char('='), 1).remove(QLatin1Char(':')).toLower());

    const QString serial
            = openssl({ u"x509"_s, u"-inform"_s, u"DER"_s, u"-noout"_s, u"-serial"_s }, der);
    QCOMPARE(info.serial, serial.section(QLatin1Char('='), 1).toLower());

    const QString subject = openssl({ u"x509"_s, u"-inform"_s, u"DER"_s, u"-noout"_s, u"-subject"_s,
                                      u"-nameopt"_s, u"RFC2253"_s },
                                    der);
    QCOMPARE(u"subject="_s + info.subject, subject);
}

void TestCertificateInfo::tellsValidityAtAGivenTime_data()
{
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<bool>("expired");
    QTest::addColumn<bool>("notYetValid");

    QTest::newRow("a second before notBefore is not yet valid")
            << m_leafRequest.notBefore.addSecs(-1) << false << true;
    QTest::newRow("notBefore itself is valid") << m_leafRequest.notBefore << false << false;
    QTest::newRow("notAfter itself is still valid") << m_leafRequest.notAfter << false << false;
    QTest::newRow("a second after notAfter is expired")
            << m_leafRequest.notAfter.addSecs(1) << true << false;
}

void TestCertificateInfo::tellsValidityAtAGivenTime()
{
    QFETCH(QDateTime, now);
    QFETCH(bool, expired);
    QFETCH(bool, notYetValid);

    const CertificateInfo info = CertificateInfo::fromDer(m_leaf.der);
    QCOMPARE(info.isExpiredAt(now), expired);
    QCOMPARE(info.isNotYetValidAt(now), notYetValid);
}

void TestCertificateInfo::roundTripsThroughPem()
{
    const CertificateInfo leaf = CertificateInfo::fromDer(m_leaf.der);
    const CertificateInfo root = CertificateInfo::fromDer(m_root.der);
    QCOMPARE(leaf.toPem().toLatin1(), m_leaf.pem);

    QString error;
    const QByteArray text = "junk before\n" + leaf.toPem().toLatin1() + m_rootKey.toPem()
            + root.toPem().toLatin1();
    const QList<CertificateInfo> all = CertificateInfo::fromPemAll(text, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).der, m_leaf.der);
    QCOMPARE(all.at(1).der, m_root.der);
    QVERIFY(CertificateInfo().toPem().isEmpty());
}

void TestCertificateInfo::readsEveryCertificateOfTheRdsBundle()
{
    const QString dir = QStringLiteral(PGTLS_SOURCE_DIR "/resources");
    QFile file(dir + u"/rds/global-bundle.pem"_s);
    if (!file.open(QIODevice::ReadOnly))
        QFAIL("the RDS global bundle snapshot is missing from resources/rds");
    const QByteArray pem = file.readAll();

    QString error;
    const QList<CertificateInfo> certs = CertificateInfo::fromPemAll(pem, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // `grep -c BEGIN global-bundle.pem` says 108.
    QCOMPARE(certs.size(), 108);
    QCOMPARE(certs.size(), int(pem.count("-----BEGIN CERTIFICATE-----")));
    QSet<QString> fingerprints;
    for (const CertificateInfo &c : certs) {
        QVERIFY(c.subject.contains(u"Amazon"_s));
        QVERIFY(c.isCa);
        QCOMPARE(c.sha256.size(), 64);
        QVERIFY(c.notBefore.isValid() && c.notAfter.isValid());
        fingerprints.insert(c.sha256);
    }
    QCOMPARE(fingerprints.size(), certs.size());
}

void TestCertificateInfo::rejectsGarbage_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("asPem");

    QTest::newRow("empty DER is no certificate") << QByteArray() << false;
    QTest::newRow("text is not DER") << QByteArray("hello, world") << false;
    QTest::newRow("a certificate followed by a stray byte is not one DER certificate")
            << QByteArray(m_leaf.der + '\0') << false;
    QTest::newRow("a truncated certificate is not DER")
            << m_leaf.der.left(m_leaf.der.size() / 2) << false;
    QTest::newRow("PEM text without any block has no certificate")
            << QByteArray("hello, world\n") << true;
    QTest::newRow("a PEM file holding only a private key has no certificate")
            << m_rootKey.toPem() << true;
    QTest::newRow("a PEM certificate block with broken base64 is reported")
            << QByteArray("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n") << true;
    QTest::newRow("a PEM certificate block holding no certificate is reported")
            << QByteArray("-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n")
            << true;
}

void TestCertificateInfo::rejectsGarbage()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, asPem);

    QString error;
    if (asPem) {
        QVERIFY(CertificateInfo::fromPemAll(input, &error).isEmpty());
    } else {
        QVERIFY(CertificateInfo::fromDer(input, &error).isNull());
    }
    QVERIFY(!error.isEmpty());
}

void TestCertificateInfo::showsANulInANameAsBackslashZero_data()
{
    QTest::addColumn<bool>("inCommonName");

    // Found by fuzz/certificate: a NUL byte of a name reached the model's text raw.
    QTest::newRow("a NUL in the subject's first CN") << true;
    QTest::newRow("a NUL in a dNSName SAN") << false;
}

void TestCertificateInfo::showsANulInANameAsBackslashZero()
{
    QFETCH(bool, inCommonName);

    const QByteArray name("db.example.com\0.evil.example", 28);
    CertRequest req;
    req.notBefore = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    req.notAfter = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
    req.includeCnOnly = true;
    if (inCommonName)
        req.rawCommonNames = { name };
    else
        req.rawSanDns = { name };
    const IssuedCert cert
            = CertBuilder::issue(req, PrivateKey::generate(PrivateKey::Type::EcP256), m_root);

    const CertificateInfo info = CertificateInfo::fromDer(cert.der);
    QVERIFY(!info.isNull());
    const QString shown = inCommonName ? info.subjectCommonName : info.sanDns.value(0);
    QCOMPARE(shown, u"db.example.com\\0.evil.example"_s);
    QVERIFY(!shown.contains(QChar(0)));
}

QTEST_GUILESS_MAIN(TestCertificateInfo)
#include "TestCertificateInfo.moc"
