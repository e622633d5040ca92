// SPDX-License-Identifier: MIT
#include "CaBundle.h"
#include "CertBuilder.h"
#include "RdsBundleSnapshot.h"
#include "RootCertInstaller.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <grp.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pgtls;
using namespace pgtls::lab;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(pgtls::CaBundle::Format)

using Subject = QList<QPair<QString, QString>>;

namespace {

QString rds(const char *file)
{
    return QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/") + QString::fromLatin1(file);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// The fixed "now" of every expiry check: the day the snapshot was copied into the repository.
const QDateTime now(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);

QSet<QString> fingerprints(const CaBundle &b)
{
    QSet<QString> out;
    for (const BundleEntry &e : b.entries)
        out.insert(e.cert.sha256);
    return out;
}

const BundleEntry *findByCn(const CaBundle &b, const QString &cn)
{
    for (const BundleEntry &e : b.entries) {
        if (e.cert.subjectCommonName == cn)
            return &e;
    }
    return nullptr;
}

QList<QPair<QString, QString>> rdsSubject(const QString &cn, bool reversed = false)
{
    QList<QPair<QString, QString>> s = { { u"C"_s, u"US"_s },
        { u"O"_s, u"Amazon Web Services, Inc."_s }, { u"OU"_s, u"Amazon RDS"_s },
        { u"ST"_s, u"WA"_s }, { u"CN"_s, cn }, { u"L"_s, u"Seattle"_s } };
    if (reversed)
        std::reverse(s.begin(), s.end());
    return s;
}

} // namespace

class TestCaBundle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void summarisesTheRdsBundles_data();
    void summarisesTheRdsBundles();
    void listsThreeRootsForEveryRegionOfTheGlobalBundle();
    void identifiesRdsCasFromTheBundles_data();
    void identifiesRdsCasFromTheBundles();
    void identifiesRdsNamesStructurally_data();
    void identifiesRdsNamesStructurally();
    void readsEveryFormatFromTheContent_data();
    void readsEveryFormatFromTheContent();
    void reportsBadInputPrecisely_data();
    void reportsBadInputPrecisely();
    void reportsAnUnreadableFile_data();
    void reportsAnUnreadableFile();
    void refusesTooMuchDataInMemory();
    void flagsDuplicates();
    void findsTheEarliestExpiry_data();
    void findsTheEarliestExpiry();
    void warnsInTheUsersWords_data();
    void warnsInTheUsersWords();
    void diffsBundles_data();
    void diffsBundles();

    void installerShowsWhatLibpqUses();
    void installerInstallsIntoAnEmptyHome();
    void installerKeepsABackupOfADifferentFile();
    void installerLeavesTheSameBundleAlone();
    void installerNeverOverwritesAnEarlierBackup();
    void installerRefusesABrokenBundle_data();
    void installerRefusesABrokenBundle();
    void installerConvertsPkcs7ToPem();
    void installerRefusesASymlinkedRootCrtAndLeavesItsTarget_data();
    void installerRefusesASymlinkedRootCrtAndLeavesItsTarget();
    void installerNeverFollowsALinkPlantedAtTheBackupName_data();
    void installerNeverFollowsALinkPlantedAtTheBackupName();
    void installerRefusesWhatIsNotAFileWithoutReadingIt_data();
    void installerRefusesWhatIsNotAFileWithoutReadingIt();

    void snapshotIsTheShippedGlobalBundle();
    void snapshotTellsItsAge_data();
    void snapshotTellsItsAge();

private:
    QByteArray openssl(const QStringList &args, const QByteArray &input = {});
    QString makeFile(const QString &name, const QByteArray &data);

    QTemporaryDir m_tmp;
    QByteArray m_global;
    QSet<QString> m_globalFingerprints;
    QByteArray m_usEast1;
    QByteArray m_2019;
    QByteArray m_p7bDer;
    QByteArray m_p7bPem;
    QByteArray m_keyPem;
    QByteArray m_keyDer;
    QByteArray m_rsaKeyTraditional;
    QByteArray m_csrPem;
    QByteArray m_trustedPem;
    IssuedCert m_rdsRoot;
    IssuedCert m_rdsSubordinate;
    IssuedCert m_leaf;
};

QByteArray TestCaBundle::openssl(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(u"/usr/bin/openssl"_s, args);
    if (!p.waitForStarted())
        return {};
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished();
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

QString TestCaBundle::makeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_tmp.filePath(name);
    return writeFile(path, data) ? path : QString();
}

void TestCaBundle::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_global = readAll(rds("global-bundle.pem"));
    m_usEast1 = readAll(rds("us-east-1-bundle.pem"));
    m_2019 = readAll(rds("rds-combined-ca-bundle-2019.pem"));
    QVERIFY2(!m_global.isEmpty() && !m_usEast1.isEmpty() && !m_2019.isEmpty(),
        "resources/rds is incomplete");
    m_globalFingerprints = fingerprints(CaBundle::fromData(m_global, u"global"_s));
    QCOMPARE(m_globalFingerprints.size(), 108);

    // The .p7b forms AWS also publishes, made from the global bundle by openssl itself.
    m_p7bDer = openssl({ u"crl2pkcs7"_s, u"-nocrl"_s, u"-certfile"_s, rds("global-bundle.pem"),
        u"-outform"_s, u"DER"_s });
    m_p7bPem = openssl({ u"crl2pkcs7"_s, u"-nocrl"_s, u"-certfile"_s, rds("global-bundle.pem"),
        u"-outform"_s, u"PEM"_s });
    QVERIFY(!m_p7bDer.isEmpty());
    QVERIFY(m_p7bPem.startsWith("-----BEGIN PKCS7-----"));

    const PrivateKey key = PrivateKey::generate(PrivateKey::Type::EcP256);
    m_keyPem = key.toPem();
    m_keyDer = openssl({ u"pkey"_s, u"-outform"_s, u"DER"_s }, m_keyPem);
    QVERIFY(!m_keyDer.isEmpty());
    m_rsaKeyTraditional = openssl(
        { u"pkey"_s, u"-traditional"_s }, PrivateKey::generate(PrivateKey::Type::Rsa2048).toPem());
    QVERIFY(m_rsaKeyTraditional.startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    const QString keyFile = makeFile(u"csr-key.pem"_s, m_keyPem);
    m_csrPem
        = openssl({ u"req"_s, u"-new"_s, u"-key"_s, keyFile, u"-subj"_s, u"/CN=db.example.com"_s });
    QVERIFY(m_csrPem.startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
    m_trustedPem = openssl({ u"x509"_s, u"-in"_s, rds("us-east-1-bundle.pem"), u"-trustout"_s,
        u"-addtrust"_s, u"serverAuth"_s });
    QVERIFY(m_trustedPem.startsWith("-----BEGIN TRUSTED CERTIFICATE-----"));

    CertRequest root;
    root.subject = rdsSubject(u"Amazon RDS xx-test-1 Root CA RSA2048 G1"_s);
    root.notBefore = QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC);
    root.notAfter = QDateTime(QDate(2061, 1, 1), QTime(0, 0), Qt::UTC);
    root.isCa = true;
    m_rdsRoot = CertBuilder::selfSigned(root, PrivateKey::generate(PrivateKey::Type::EcP256));
    CertRequest sub = root;
    sub.subject = rdsSubject(u"Amazon RDS xx-test-1 Subordinate CA RSA2048 G1.A.3"_s, true);
    sub.pathLength = 0;
    m_rdsSubordinate
        = CertBuilder::issue(sub, PrivateKey::generate(PrivateKey::Type::EcP256), m_rdsRoot);
    CertRequest leaf;
    leaf.subject = { { u"CN"_s, u"mydb.abcdefghijkl.xx-test-1.rds.amazonaws.com"_s } };
    leaf.notBefore = root.notBefore;
    leaf.notAfter = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
    m_leaf = CertBuilder::issue(
        leaf, PrivateKey::generate(PrivateKey::Type::EcP256), m_rdsSubordinate);
}

// ---------------------------------------------------------------------------------------------

void TestCaBundle::summarisesTheRdsBundles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("expired");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<bool>("onlyRetired");
    QTest::addColumn<int>("roots");

    QTest::newRow("the global bundle holds 108 current roots of the three G1 CAs")
        << rds("global-bundle.pem") << 108 << 0
        << QStringList { u"rds-ca-ecc384-g1"_s, u"rds-ca-rsa2048-g1"_s, u"rds-ca-rsa4096-g1"_s }
        << false << 108;
    QTest::newRow("the us-east-1 bundle holds that region's three roots")
        << rds("us-east-1-bundle.pem") << 3 << 0
        << QStringList { u"rds-ca-ecc384-g1"_s, u"rds-ca-rsa2048-g1"_s, u"rds-ca-rsa4096-g1"_s }
        << false << 3;
    QTest::newRow("the 2019 combined bundle holds 45 retired CAs, all expired")
        << rds("rds-combined-ca-bundle-2019.pem") << 45 << 45
        << QStringList { u"rds-ca-2015"_s, u"rds-ca-2019"_s } << true << 6;
}

void TestCaBundle::summarisesTheRdsBundles()
{
    QFETCH(QString, file);
    QFETCH(int, count);
    QFETCH(int, expired);
    QFETCH(QStringList, ids);
    QFETCH(bool, onlyRetired);
    QFETCH(int, roots);

    const CaBundle b = CaBundle::load(file);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.path, file);
    QCOMPARE(b.format, CaBundle::Format::Pem);
    QCOMPARE(b.count(), count);
    QCOMPARE(b.duplicateCount(), 0);
    QCOMPARE(b.expiredAt(now).size(), expired);
    QCOMPARE(b.rdsCaIds(), ids);
    QCOMPARE(b.holdsOnlyRetiredRdsCas(), onlyRetired);
    QVERIFY(b.ignoredBlocks.isEmpty());
    int rootCount = 0;
    for (const BundleEntry &e : b.entries) {
        QVERIFY2(!e.rds.isNull(), qPrintable(e.cert.subject));
        QCOMPARE(e.rds.retired, onlyRetired);
        QCOMPARE(e.rds.root, e.cert.selfSigned); // the name says "root" exactly when it is one
        QVERIFY(e.cert.isCa);
        QVERIFY(!e.cert.sha256.isEmpty());
        QVERIFY(!e.cert.keyType.isEmpty());
        QVERIFY(e.cert.notAfter.isValid());
        rootCount += e.rds.root ? 1 : 0;
    }
    QCOMPARE(rootCount, roots);
}

void TestCaBundle::listsThreeRootsForEveryRegionOfTheGlobalBundle()
{
    const CaBundle b = CaBundle::load(rds("global-bundle.pem"));
    QVERIFY(b.ok());
    const QStringList regions = b.rdsRegions();
    QCOMPARE(regions.size(), 36); // 34 AWS regions, Beta us-east-1 and Preview us-east-2
    for (const QString &r : { u"eu-west-1"_s, u"us-east-1"_s, u"ap-southeast-7"_s,
             u"mx-central-1"_s, u"il-central-1"_s, u"beta-us-east-1"_s, u"preview-us-east-2"_s }) {
        QVERIFY2(regions.contains(r), qPrintable(r));
        QVERIFY2(b.coversRegion(r), qPrintable(r));
    }
    for (const QString &region : regions) {
        QStringList ids;
        for (const BundleEntry &e : b.entries) {
            if (e.rds.region == region)
                ids << e.rds.caId;
        }
        ids.sort();
        QCOMPARE(ids,
            (QStringList {
                u"rds-ca-ecc384-g1"_s, u"rds-ca-rsa2048-g1"_s, u"rds-ca-rsa4096-g1"_s }));
    }
    QVERIFY(!b.coversRegion(u"cn-north-1"_s));
    QVERIFY(!b.coversRegion(QString()));
    QVERIFY(b.coversRegion(u"EU-WEST-1"_s));
}

void TestCaBundle::identifiesRdsCasFromTheBundles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("cn");
    QTest::addColumn<QString>("caId");
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("root");
    QTest::addColumn<bool>("retired");

    const QString global = rds("global-bundle.pem");
    const QString old = rds("rds-combined-ca-bundle-2019.pem");
    QTest::newRow("an RSA2048 G1 root is rds-ca-rsa2048-g1 of its region")
        << global << u"Amazon RDS eu-west-1 Root CA RSA2048 G1"_s << u"rds-ca-rsa2048-g1"_s
        << u"eu-west-1"_s << true << false;
    QTest::newRow("an RSA4096 G1 root is rds-ca-rsa4096-g1")
        << global << u"Amazon RDS ap-southeast-7 Root CA RSA4096 G1"_s << u"rds-ca-rsa4096-g1"_s
        << u"ap-southeast-7"_s << true << false;
    QTest::newRow("an ECC384 G1 root is rds-ca-ecc384-g1")
        << global << u"Amazon RDS us-east-1 Root CA ECC384 G1"_s << u"rds-ca-ecc384-g1"_s
        << u"us-east-1"_s << true << false;
    QTest::newRow("a Beta root keeps its prefix in the region")
        << global << u"Amazon RDS Beta us-east-1 Root CA ECC384 G1"_s << u"rds-ca-ecc384-g1"_s
        << u"beta-us-east-1"_s << true << false;
    QTest::newRow("a Preview root keeps its prefix in the region")
        << global << u"Amazon RDS Preview us-east-2 Root CA RSA2048 G1"_s << u"rds-ca-rsa2048-g1"_s
        << u"preview-us-east-2"_s << true << false;
    QTest::newRow("the 2019 root is rds-ca-2019 without a region")
        << old << u"Amazon RDS Root 2019 CA"_s << u"rds-ca-2019"_s << QString() << true << true;
    QTest::newRow("a 2019 regional CA is an rds-ca-2019 intermediate")
        << old << u"Amazon RDS eu-west-1 2019 CA"_s << u"rds-ca-2019"_s << u"eu-west-1"_s << false
        << true;
    QTest::newRow("the Beta 2019 root is rds-ca-2019")
        << old << u"Amazon RDS Beta Root 2019 CA"_s << u"rds-ca-2019"_s << QString() << true
        << true;
    QTest::newRow("a Preview 2019 CA keeps its prefix")
        << old << u"Amazon RDS Preview us-east-2 2019 CA"_s << u"rds-ca-2019"_s
        << u"preview-us-east-2"_s << false << true;
    QTest::newRow("the 2015 root is rds-ca-2015")
        << old << u"Amazon RDS Root CA"_s << u"rds-ca-2015"_s << QString() << true << true;
    QTest::newRow("a 2015 regional CA is an rds-ca-2015 intermediate")
        << old << u"Amazon RDS eu-west-1 CA"_s << u"rds-ca-2015"_s << u"eu-west-1"_s << false
        << true;
    QTest::newRow("the 2015 preview CA keeps its lower-case prefix")
        << old << u"Amazon RDS preview-us-east-2 CA"_s << u"rds-ca-2015"_s << u"preview-us-east-2"_s
        << false << true;
    QTest::newRow("the ap-east-1 regional root of 2019 is rds-ca-2019")
        << old << u"Amazon RDS ap-east-1 Root CA"_s << u"rds-ca-2019"_s << u"ap-east-1"_s << true
        << true;
    QTest::newRow("the me-south-1 regional root of 2019 is rds-ca-2019")
        << old << u"Amazon RDS me-south-1 Root CA"_s << u"rds-ca-2019"_s << u"me-south-1"_s << true
        << true;
    QTest::newRow("the CA under the ap-east-1 root is rds-ca-2019 despite its 2015-style name")
        << old << u"Amazon RDS ap-east-1 CA"_s << u"rds-ca-2019"_s << u"ap-east-1"_s << false
        << true;
    QTest::newRow("the CA under the me-south-1 root is rds-ca-2019 despite its 2015-style name")
        << old << u"Amazon RDS me-south-1 CA"_s << u"rds-ca-2019"_s << u"me-south-1"_s << false
        << true;
}

void TestCaBundle::identifiesRdsCasFromTheBundles()
{
    QFETCH(QString, file);
    QFETCH(QString, cn);
    QFETCH(QString, caId);
    QFETCH(QString, region);
    QFETCH(bool, root);
    QFETCH(bool, retired);

    const CaBundle b = CaBundle::load(file);
    QVERIFY(b.ok());
    const BundleEntry *e = findByCn(b, cn);
    QVERIFY2(e, qPrintable(cn));
    QCOMPARE(e->rds.caId, caId);
    QCOMPARE(e->rds.region, region);
    QCOMPARE(e->rds.root, root);
    QCOMPARE(e->rds.retired, retired);
    if (caId == u"rds-ca-2019"_s) {
        // Every rds-ca-2019 certificate was issued in 2019 and ended by mid-2025 (the dates that
        // tell the regional roots of ap-east-1 and me-south-1 from the 2015 generation).
        QCOMPARE(e->cert.notBefore.date().year(), 2019);
        QVERIFY(e->cert.notAfter.date() > QDate(2020, 3, 5));
        QVERIFY(e->cert.notAfter.date() <= QDate(2025, 6, 1));
    } else if (caId == u"rds-ca-2015"_s) {
        QVERIFY(e->cert.notAfter.date() <= QDate(2020, 3, 5));
    }
}

void TestCaBundle::identifiesRdsNamesStructurally_data()
{
    QTest::addColumn<Subject>("subject");
    QTest::addColumn<bool>("isCa");
    QTest::addColumn<QString>("caId");
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("root");

    QTest::newRow("a G1 subordinate CA is identified as an intermediate of its CA")
        << rdsSubject(u"Amazon RDS us-east-1 Subordinate CA RSA2048 G1.A.3"_s) << true
        << u"rds-ca-rsa2048-g1"_s << u"us-east-1"_s << false;
    QTest::newRow("an ECC384 subordinate CA is identified too")
        << rdsSubject(u"Amazon RDS eu-west-1 Subordinate CA ECC384 G1.B.1"_s) << true
        << u"rds-ca-ecc384-g1"_s << u"eu-west-1"_s << false;
    QTest::newRow("the order of the RDNs does not matter")
        << rdsSubject(u"Amazon RDS eu-west-1 Root CA RSA4096 G1"_s, true) << true
        << u"rds-ca-rsa4096-g1"_s << u"eu-west-1"_s << true;
    QTest::newRow("a lab CA with a look-alike OU is not an RDS CA")
        << Subject { { u"OU"_s, u"Amazon RDS (Lab)"_s },
               { u"CN"_s, u"Amazon RDS eu-west-1 Root CA RSA2048 G1"_s } }
        << true << QString() << QString() << false;
    QTest::newRow("the right CN without OU=Amazon RDS is not an RDS CA")
        << Subject { { u"O"_s, u"Amazon Web Services, Inc."_s },
               { u"CN"_s, u"Amazon RDS eu-west-1 Root CA RSA2048 G1"_s } }
        << true << QString() << QString() << false;
    QTest::newRow("OU=Amazon RDS hidden inside another RDN's value is not an RDS CA") << Subject {
        { u"O"_s, u"x,OU=Amazon RDS"_s }, { u"CN"_s, u"Amazon RDS eu-west-1 Root CA RSA2048 G1"_s }
    } << true << QString() << QString() << false;
    QTest::newRow("an unknown algorithm is not an RDS CA name")
        << rdsSubject(u"Amazon RDS eu-west-1 Root CA DSA1024 G1"_s) << true << QString()
        << QString() << false;
    QTest::newRow("a server certificate under OU=Amazon RDS is not a CA name")
        << rdsSubject(u"mydb.abcdefghijkl.eu-west-1.rds.amazonaws.com"_s) << false << QString()
        << QString() << false;
}

void TestCaBundle::identifiesRdsNamesStructurally()
{
    QFETCH(Subject, subject);
    QFETCH(bool, isCa);
    QFETCH(QString, caId);
    QFETCH(QString, region);
    QFETCH(bool, root);

    CertRequest req;
    req.subject = subject;
    req.notBefore = QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC);
    req.notAfter = QDateTime(QDate(2061, 1, 1), QTime(0, 0), Qt::UTC);
    req.isCa = isCa;
    const IssuedCert cert = root
        ? CertBuilder::selfSigned(req, PrivateKey::generate(PrivateKey::Type::EcP256))
        : CertBuilder::issue(req, PrivateKey::generate(PrivateKey::Type::EcP256), m_rdsRoot);
    const CertificateInfo info = CertificateInfo::fromDer(cert.der);
    QVERIFY(!info.isNull());
    const RdsCaIdentity id = CaBundle::identifyRds(info);
    QCOMPARE(id.caId, caId);
    QCOMPARE(id.region, region);
    QCOMPARE(id.root, root && !caId.isEmpty());
    QVERIFY(!id.retired);
    QVERIFY(CaBundle::identifyRds(CertificateInfo()).isNull());
}

void TestCaBundle::readsEveryFormatFromTheContent_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<CaBundle::Format>("format");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("sameAsGlobal");

    QTest::newRow("a PEM bundle of 108 certificates is read as PEM")
        << m_global << u"global-bundle.pem"_s << CaBundle::Format::Pem << 108 << true;
    QTest::newRow("a DER .p7b made from the global bundle holds the same 108")
        << m_p7bDer << u"global-bundle.p7b"_s << CaBundle::Format::Pkcs7 << 108 << true;
    QTest::newRow("a PEM-armoured .p7b holds the same 108")
        << m_p7bPem << u"global-bundle-armoured.p7b"_s << CaBundle::Format::Pkcs7 << 108 << true;
    QTest::newRow("a .p7b named .pem is still read as PKCS#7")
        << m_p7bDer << u"misnamed.pem"_s << CaBundle::Format::Pkcs7 << 108 << true;
    QTest::newRow("CRLF line endings do not matter")
        << QByteArray(m_global).replace("\n", "\r\n") << u"crlf.pem"_s << CaBundle::Format::Pem
        << 108 << true;
    QTest::newRow("text around the PEM blocks is ignored as OpenSSL ignores it")
        << "Amazon RDS global bundle\nsubject=whatever\n" + m_global + "\n# end\n"
        << u"commented.pem"_s << CaBundle::Format::Pem << 108 << true;
    QTest::newRow("a byte-order mark before the first certificate does not hide it, as for OpenSSL")
        << "\xEF\xBB\xBF" + m_global << u"bom.pem"_s << CaBundle::Format::Pem << 108 << true;
    QTest::newRow("an OpenSSL TRUSTED CERTIFICATE block is read as a certificate")
        << m_trustedPem << u"trusted.pem"_s << CaBundle::Format::Pem << 1 << false;
    QTest::newRow("a single DER certificate named .crt is read as DER")
        << m_rdsRoot.der << u"root.crt"_s << CaBundle::Format::Der << 1 << false;
    QTest::newRow("a single DER certificate named .pem is still read as DER")
        << m_rdsRoot.der << u"root-der.pem"_s << CaBundle::Format::Der << 1 << false;
    QTest::newRow("a bundle with a CSR mixed in keeps its certificates")
        << m_usEast1 + m_csrPem << u"with-csr.pem"_s << CaBundle::Format::Pem << 3 << false;
}

void TestCaBundle::readsEveryFormatFromTheContent()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, fileName);
    QFETCH(CaBundle::Format, format);
    QFETCH(int, count);
    QFETCH(bool, sameAsGlobal);

    const QString path = makeFile(fileName, data);
    QVERIFY(!path.isEmpty());
    const CaBundle b = CaBundle::load(path);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.format, format);
    QCOMPARE(b.count(), count);
    QCOMPARE(b.duplicateCount(), 0);
    if (sameAsGlobal) {
        QCOMPARE(fingerprints(b), m_globalFingerprints);
        QCOMPARE(b.rdsRegions().size(), 36);
    }
    const CaBundle fromMemory = CaBundle::fromData(data, fileName);
    QCOMPARE(fromMemory.count(), count);
    QCOMPARE(fromMemory.format, format);
}

void TestCaBundle::reportsBadInputPrecisely_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");

    const QByteArray oneCert = m_usEast1.left(m_usEast1.indexOf("-----END CERTIFICATE-----") + 26);
    QByteArray cutInTheMiddle = oneCert.left(oneCert.size() / 2);
    QByteArray missingLines = oneCert;
    {
        // Remove two whole base64 lines: still valid base64, no longer a certificate.
        const qsizetype firstLine = missingLines.indexOf('\n') + 1;
        const qsizetype third
            = missingLines.indexOf('\n', missingLines.indexOf('\n', firstLine + 200) + 1) + 1;
        missingLines.remove(third, 130);
    }
    QByteArray badBase64 = oneCert;
    badBase64[40] = '*';
    const QByteArray base64Only = oneCert.mid(
        oneCert.indexOf('\n') + 1, oneCert.indexOf("-----END") - oneCert.indexOf('\n') - 1);

    QTest::newRow("a missing file is reported as missing")
        << u"missing"_s << QByteArray() << u"missing"_s << u"does not exist"_s;
    QTest::newRow("a dangling symbolic link is reported as missing")
        << u"dangling-link"_s << QByteArray() << u"missing"_s << u"symbolic link"_s;
    QTest::newRow("a directory is refused as a directory")
        << u"directory"_s << QByteArray() << u"directory"_s << u"is a directory"_s;
    QTest::newRow("a FIFO is refused without waiting for a writer")
        << u"fifo"_s << QByteArray() << u"not-a-file"_s << u"named pipe (FIFO)"_s;
    QTest::newRow("a link to /dev/zero is refused without reading it")
        << u"dev-zero-link"_s << QByteArray() << u"not-a-file"_s << u"is a device"_s;
    QTest::newRow("a file over 16 MiB is refused")
        << u"huge"_s << QByteArray() << u"too-large"_s << u"16 MiB"_s;
    QTest::newRow("an empty file is reported as empty")
        << u"file"_s << QByteArray() << u"empty"_s << u"empty"_s;
    QTest::newRow("a file of blank lines is reported as empty")
        << u"file"_s << QByteArray("\n\n  \r\n") << u"empty"_s << u"blank"_s;
    QTest::newRow("an HTML page is not a certificate and is called an HTML page")
        << u"file"_s
        << QByteArray("<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>\n")
        << u"not-a-certificate"_s << u"HTML page"_s;
    QTest::newRow("an S3 error response is called a failed download")
        << u"file"_s
        << QByteArray("<?xml version=\"1.0\" "
                      "encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code></Error>")
        << u"not-a-certificate"_s << u"download failed"_s;
    QTest::newRow("a JSON document is not a certificate and is called JSON")
        << u"file"_s << QByteArray("{\"certificate\": \"-----BEGIN CERTIFICATE-----\\nMIIE...\"}")
        << u"not-a-certificate"_s << u"JSON"_s;
    QTest::newRow("plain text is not a certificate")
        << u"file"_s << QByteArray("hello world\n") << u"not-a-certificate"_s
        << u"BEGIN CERTIFICATE"_s;
    QTest::newRow("a certificate's base64 without its BEGIN and END lines is explained")
        << u"file"_s << base64Only << u"not-a-certificate"_s << u"without its"_s;
    QTest::newRow("random binary data is not a certificate")
        << u"file"_s << QByteArray("\x01\x02\x03\x00\xff\xfe garbage", 15) << u"not-a-certificate"_s
        << u"binary"_s;
    QTest::newRow("a DER certificate cut short is called cut short")
        << u"file"_s << m_rdsRoot.der.left(m_rdsRoot.der.size() - 40) << u"not-a-certificate"_s
        << u"ends early"_s;
    QTest::newRow("a certificate signing request is not a certificate")
        << u"file"_s << m_csrPem << u"not-a-certificate"_s << u"signing request"_s;
    QTest::newRow("a PEM BEGIN without END is a truncated PEM")
        << u"file"_s
        << m_usEast1 + "-----BEGIN CERTIFICATE-----\nMIIEBjCCAu6gAwIBAgIJAMc0ZzaSUK51MA0GCSqGSIb3\n"
        << u"truncated-pem"_s << u"no matching"_s;
    QTest::newRow("a PEM cut in the middle of its base64 is a truncated PEM")
        << u"file"_s << cutInTheMiddle << u"truncated-pem"_s << u"line 1"_s;
    QTest::newRow("a PEM block with lines missing is a damaged PEM")
        << u"file"_s << missingLines << u"truncated-pem"_s << u"incomplete or corrupt"_s;
    QTest::newRow("bad base64 in a PEM block is a damaged PEM")
        << u"file"_s << badBase64 << u"truncated-pem"_s << u"not valid base64"_s;
    QTest::newRow("a PKCS#8 private key alone is refused")
        << u"file"_s << m_keyPem << u"private-key"_s << u"private key"_s;
    QTest::newRow("a CA bundle with a private key appended is refused")
        << u"file"_s << m_global + m_keyPem << u"private-key"_s << u"spread a secret"_s;
    QTest::newRow("a private key before the certificates is refused")
        << u"file"_s << m_keyPem + m_usEast1 << u"private-key"_s << u"wrong file"_s;
    QTest::newRow("a traditional RSA private key is refused")
        << u"file"_s << m_rsaKeyTraditional << u"private-key"_s << u"private key"_s;
    QTest::newRow("a DER private key is refused")
        << u"file"_s << m_keyDer << u"private-key"_s << u"private key"_s;
    QTest::newRow("an OpenSSH private key is refused")
        << u"file"_s
        << QByteArray("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n"
                      "-----END OPENSSH PRIVATE KEY-----\n")
        << u"private-key"_s << u"private key"_s;
    QTest::newRow("a truncated private key after the certificates is still refused as a key")
        << u"file"_s << m_usEast1 + m_keyPem.left(60) << u"private-key"_s << u"private key"_s;
}

void TestCaBundle::reportsBadInputPrecisely()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, data);
    QFETCH(QString, code);
    QFETCH(QString, says);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"bundle.pem"_s);
    if (kind == u"file"_s) {
        QVERIFY(writeFile(path, data));
    } else if (kind == u"dangling-link"_s) {
        QVERIFY(QFile::link(dir.filePath(u"gone.pem"_s), path));
    } else if (kind == u"directory"_s) {
        QVERIFY(QDir(dir.path()).mkdir(u"bundle.pem"_s));
    } else if (kind == u"fifo"_s) {
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0644), 0);
    } else if (kind == u"dev-zero-link"_s) {
        QVERIFY(QFile::link(u"/dev/zero"_s, path));
    } else if (kind == u"huge"_s) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(16 * 1024 * 1024 + 1)); // sparse: costs no disk
    }

    const CaBundle b = CaBundle::load(path);
    QVERIFY(!b.ok());
    QCOMPARE(b.errorCode, code);
    QVERIFY2(b.error.contains(says), qPrintable(b.error));
    QVERIFY2(b.error.contains(path) || kind == u"file"_s, qPrintable(b.error));
    QVERIFY(b.entries.isEmpty());
    QCOMPARE(b.count(), 0);
    QVERIFY(b.warnings(QString(), now).isEmpty());
    // A refused key is never quoted back.
    QVERIFY(!b.error.contains(QString::fromLatin1(m_keyPem.mid(28, 40))));

    if (kind == u"file"_s) {
        const CaBundle fromMemory = CaBundle::fromData(data, u"download"_s);
        QCOMPARE(fromMemory.errorCode, code);
        QVERIFY2(fromMemory.error.contains(u"download"_s), qPrintable(fromMemory.error));
    }
}

void TestCaBundle::reportsAnUnreadableFile_data()
{
    QTest::addColumn<bool>("lockTheDirectory");
    QTest::newRow("a file without read permission is unreadable, not missing") << false;
    QTest::newRow("a file in a directory that may not be searched is unreadable, not missing")
        << true;
}

void TestCaBundle::reportsAnUnreadableFile()
{
    QFETCH(bool, lockTheDirectory);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sub = dir.filePath(u"ca"_s);
    QVERIFY(QDir().mkdir(sub));
    const QString path = sub + u"/root.crt"_s;
    QVERIFY(writeFile(path, m_usEast1));
    const auto all = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadUser
        | QFile::WriteUser | QFile::ExeUser | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
        | QFile::ExeOther;
    QVERIFY(QFile::setPermissions(dir.path(), all));
    QVERIFY(QFile::setPermissions(sub, lockTheDirectory ? QFile::Permissions() : all));
    QVERIFY(QFile::setPermissions(path, lockTheDirectory ? all : QFile::Permissions()));
    const auto restore = qScopeGuard([&] { QFile::setPermissions(sub, all); });

    QString code;
    QString error;
    if (::geteuid() != 0) {
        const CaBundle b = CaBundle::load(path);
        code = b.errorCode;
        error = b.error;
    } else {
        // Root reads every file whatever its mode, so the load runs in a child process that has
        // become `nobody`. This exercises the real code path, with the kernel saying "permission
        // denied".
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        const pid_t pid = ::fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            QByteArray out;
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
                out = "setuid-failed";
            } else {
                const CaBundle b = CaBundle::load(path);
                out = b.errorCode.toUtf8() + '\n' + b.error.toUtf8();
            }
            const ssize_t written = ::write(fds[1], out.constData(), size_t(out.size()));
            ::_exit(written == out.size() ? 0 : 1);
        }
        ::close(fds[1]);
        QByteArray out;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
            out.append(buf, n);
        ::close(fds[0]);
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        if (out == "setuid-failed")
            QSKIP("running as root without the right to become nobody: unreadable files cannot be "
                  "tested");
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        code = QString::fromUtf8(out.left(out.indexOf('\n')));
        error = QString::fromUtf8(out.mid(out.indexOf('\n') + 1));
    }
    QCOMPARE(code, u"unreadable"_s);
    QVERIFY2(error.contains(u"permission denied"_s), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
    if (!lockTheDirectory)
        QVERIFY2(error.contains(u"0000"_s), qPrintable(error));
}

void TestCaBundle::refusesTooMuchDataInMemory()
{
    const CaBundle b = CaBundle::fromData(QByteArray(16 * 1024 * 1024 + 1, 'A'), u"download"_s);
    QCOMPARE(b.errorCode, u"too-large"_s);
    QVERIFY(CaBundle::fromData(m_global, u"x"_s).ok());
}

void TestCaBundle::flagsDuplicates()
{
    const QByteArray first = m_global.left(m_global.indexOf("-----END CERTIFICATE-----") + 26);
    const CaBundle b = CaBundle::load(makeFile(u"twice.pem"_s, m_global + first + first));
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.count(), 110);
    QCOMPARE(b.duplicateCount(), 2);
    QVERIFY(!b.entries.at(0).duplicate);
    QVERIFY(b.entries.at(108).duplicate);
    QVERIFY(b.entries.at(109).duplicate);
    QCOMPARE(b.entries.at(108).cert.sha256, b.entries.at(0).cert.sha256);
    QCOMPARE(b.rdsRegions().size(), 36);
}

void TestCaBundle::findsTheEarliestExpiry_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QDateTime>("at");
    QTest::addColumn<QDateTime>("earliest");
    QTest::addColumn<QDateTime>("earliestValid");

    const QDateTime preview2061(QDate(2061, 5, 18), QTime(21, 49, 45), Qt::UTC);
    QTest::newRow("the global bundle's first expiry is the Preview RSA2048 root in 2061")
        << rds("global-bundle.pem") << now << preview2061 << preview2061;
    QTest::newRow("the 2019 bundle's first expiry is the 2015 preview CA, and none is valid now")
        << rds("rds-combined-ca-bundle-2019.pem") << now
        << QDateTime(QDate(2020, 3, 4), QTime(22, 42, 27), Qt::UTC) << QDateTime();
    QTest::newRow("early in 2024 the 2019 bundle's next expiry was the ap-east-1 root")
        << rds("rds-combined-ca-bundle-2019.pem")
        << QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC)
        << QDateTime(QDate(2020, 3, 4), QTime(22, 42, 27), Qt::UTC)
        << QDateTime(QDate(2024, 2, 16), QTime(2, 46, 11), Qt::UTC);
}

void TestCaBundle::findsTheEarliestExpiry()
{
    QFETCH(QString, file);
    QFETCH(QDateTime, at);
    QFETCH(QDateTime, earliest);
    QFETCH(QDateTime, earliestValid);

    const CaBundle b = CaBundle::load(file);
    QVERIFY(b.ok());
    QCOMPARE(b.earliestExpiry(), earliest);
    QCOMPARE(b.earliestExpiryOfValid(at), earliestValid);
    QVERIFY(!CaBundle().earliestExpiry().isValid());
}

void TestCaBundle::warnsInTheUsersWords_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QStringList>("says");
    QTest::addColumn<int>("count");

    const QString euWest1 = u"mydb.c9akciq32abc.eu-west-1.rds.amazonaws.com"_s;
    QTest::newRow("the global bundle for an eu-west-1 endpoint raises nothing")
        << m_global << euWest1 << QStringList() << 0;
    QTest::newRow("the global bundle for a host that is not RDS raises nothing")
        << m_global << u"db.example.com"_s << QStringList() << 0;
    QTest::newRow("the us-east-1 bundle for a us-east-1 endpoint raises nothing")
        << m_usEast1 << u"mydb.c9akciq32abc.us-east-1.rds.amazonaws.com"_s << QStringList() << 0;
    QTest::newRow("the us-east-1 bundle for an eu-west-1 endpoint lacks that region")
        << m_usEast1 << euWest1
        << QStringList { u"no current Amazon RDS root CA for eu-west-1"_s, euWest1 } << 1;
    QTest::newRow("an Aurora reader endpoint's region is found too")
        << m_usEast1 << u"app.cluster-ro-c9akciq32abc.eu-west-1.rds.amazonaws.com"_s
        << QStringList { u"eu-west-1"_s } << 1;
    QTest::newRow("a China endpoint is pointed to the China trust store")
        << m_global << u"mydb.c9akciq32abc.cn-north-1.rds.amazonaws.com.cn"_s
        << QStringList { u"cn-north-1"_s, u"China and GovCloud"_s } << 1;
    QTest::newRow("an RDS Proxy endpoint needs Amazon Trust Services, not an RDS CA")
        << m_global << u"myproxy.proxy-c9akciq32abc.eu-west-1.rds.amazonaws.com"_s
        << QStringList { u"RDS Proxy"_s, u"Amazon Root CA 1"_s } << 1;
    QTest::newRow("the 2019 bundle is the rotation trap and all of it expired")
        << m_2019 << euWest1
        << QStringList { u"only retired Amazon RDS CAs"_s, u"2024-08-22"_s, u"global bundle"_s,
               u"All 45 certificates"_s }
        << 2;
    QTest::newRow("a duplicated certificate is pointed out")
        << m_usEast1 + m_usEast1.left(m_usEast1.indexOf("-----END CERTIFICATE-----") + 26)
        << QString() << QStringList { u"more than once"_s } << 1;
    QTest::newRow("a server certificate in a CA bundle is pointed out")
        << m_usEast1 + m_leaf.pem << QString() << QStringList { u"not a CA certificate"_s } << 1;
    QTest::newRow("one expired certificate among current ones is counted")
        << m_usEast1 + m_2019.left(m_2019.indexOf("-----END CERTIFICATE-----") + 26) << QString()
        << QStringList { u"One certificate in this bundle has expired"_s, u"2020-03-05"_s } << 1;
    QTest::newRow("a CSR mixed into a bundle is mentioned")
        << m_usEast1 + m_csrPem << QString() << QStringList { u"signing request"_s } << 1;
}

void TestCaBundle::warnsInTheUsersWords()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, host);
    QFETCH(QStringList, says);
    QFETCH(int, count);

    const CaBundle b = CaBundle::fromData(data, u"bundle.pem"_s);
    QVERIFY2(b.ok(), qPrintable(b.error));
    const QStringList warnings = b.warnings(host, now);
    QCOMPARE(warnings.size(), count);
    const QString all = warnings.join(u'\n');
    for (const QString &s : says)
        QVERIFY2(all.contains(s), qPrintable(u"missing \""_s + s + u"\" in: "_s + all));
}

void TestCaBundle::diffsBundles_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("removed");

    QTest::newRow("going from the us-east-1 bundle to the global one adds 105 roots")
        << rds("us-east-1-bundle.pem") << rds("global-bundle.pem") << 105 << 0;
    QTest::newRow("going back from the global bundle to us-east-1 removes 105 roots")
        << rds("global-bundle.pem") << rds("us-east-1-bundle.pem") << 0 << 105;
    QTest::newRow("the same bundle twice changes nothing")
        << rds("global-bundle.pem") << rds("global-bundle.pem") << 0 << 0;
    QTest::newRow("replacing the 2019 bundle with the global one adds 108 and removes 45")
        << rds("rds-combined-ca-bundle-2019.pem") << rds("global-bundle.pem") << 108 << 45;
}

void TestCaBundle::diffsBundles()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(int, added);
    QFETCH(int, removed);

    const CaBundle a = CaBundle::load(before);
    const CaBundle b = CaBundle::load(after);
    const BundleDiff diff = BundleDiff::between(a, b);
    QCOMPARE(diff.added.size(), added);
    QCOMPARE(diff.removed.size(), removed);
    for (const CertificateInfo &c : diff.added)
        QVERIFY(!fingerprints(a).contains(c.sha256));
    if (added == 105) {
        // The three us-east-1 roots are the ones not added.
        for (const CertificateInfo &c : diff.added)
            QVERIFY(!c.subjectCommonName.contains(u"us-east-1 "_s)
                || c.subjectCommonName.contains(u"Beta"_s));
    }
}

// ---------------------------------------------------------------------------------------------

void TestCaBundle::installerShowsWhatLibpqUses()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QCOMPARE(installer.targetPath(), home.path() + u"/.postgresql/root.crt"_s);
    InstalledRootCert current = installer.current();
    QCOMPARE(current.path, installer.targetPath());
    QVERIFY(!current.exists);
    QCOMPARE(current.bundle.count(), 0);

    QVERIFY(QDir(home.path()).mkpath(u".postgresql"_s));
    QVERIFY(writeFile(installer.targetPath(), m_2019));
    current = installer.current();
    QVERIFY(current.exists);
    QVERIFY(current.bundle.ok());
    QCOMPARE(current.bundle.count(), 45);
    QVERIFY(current.bundle.holdsOnlyRetiredRdsCas());

    QVERIFY(RootCertInstaller(QString()).targetPath().isEmpty());
    QVERIFY(!RootCertInstaller(QString()).current().exists);
    QVERIFY(!RootCertInstaller().targetPath().isEmpty());
}

void TestCaBundle::installerInstallsIntoAnEmptyHome()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    const RootCertInstallResult r = installer.install(rds("global-bundle.pem"), now);
    QCOMPARE(r.status, RootCertInstallResult::Status::Installed);
    QVERIFY(r.ok());
    QVERIFY(r.createdDirectory);
    QVERIFY(r.backupPath.isEmpty());
    QCOMPARE(r.bundle.count(), 108);
    QVERIFY(r.warnings.isEmpty());
    QVERIFY2(r.message.contains(u"108 certificates"_s) && r.message.contains(r.path),
        qPrintable(r.message));
    QCOMPARE(readAll(installer.targetPath()), m_global);

    const auto dirMode = QFileInfo(home.path() + u"/.postgresql"_s).permissions();
    QCOMPARE(dirMode
            & (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
                | QFile::WriteOther | QFile::ExeOther),
        QFile::Permissions());
    QVERIFY(dirMode & QFile::ExeOwner);
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(installer.targetPath()).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0644);
    QCOMPARE(::stat(QFile::encodeName(home.path() + u"/.postgresql"_s).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0700);

    QCOMPARE(installer.current().bundle.count(), 108);
}

void TestCaBundle::installerKeepsABackupOfADifferentFile()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(installer.install(rds("us-east-1-bundle.pem"), now).ok());

    const QDateTime later = now.addSecs(3600);
    const RootCertInstallResult r = installer.install(rds("global-bundle.pem"), later);
    QCOMPARE(r.status, RootCertInstallResult::Status::Installed);
    QVERIFY(!r.createdDirectory);
    QCOMPARE(r.backupPath,
        installer.targetPath() + u".bak-"_s + later.toLocalTime().toString(u"yyyyMMdd-HHmmss"_s));
    QVERIFY(
        QRegularExpression(u"/root\\.crt\\.bak-\\d{8}-\\d{6}$"_s).match(r.backupPath).hasMatch());
    QCOMPARE(readAll(r.backupPath), m_usEast1);
    QCOMPARE(readAll(installer.targetPath()), m_global);
    QVERIFY2(r.message.contains(r.backupPath), qPrintable(r.message));
}

void TestCaBundle::installerLeavesTheSameBundleAlone()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(installer.install(rds("us-east-1-bundle.pem"), now).ok());
    QVERIFY(installer.install(rds("global-bundle.pem"), now.addSecs(60)).ok());
    const QDir dir(home.path() + u"/.postgresql"_s);
    const QStringList before = dir.entryList(QDir::Files);
    QCOMPARE(before.size(), 2);

    const RootCertInstallResult r = installer.install(rds("global-bundle.pem"), now.addSecs(120));
    QCOMPARE(r.status, RootCertInstallResult::Status::Unchanged);
    QVERIFY(r.ok());
    QVERIFY(r.backupPath.isEmpty());
    QVERIFY2(r.message.contains(u"nothing was changed"_s), qPrintable(r.message));
    QCOMPARE(dir.entryList(QDir::Files), before);
    QCOMPARE(readAll(installer.targetPath()), m_global);
    // The built-in snapshot is the same bytes, so it changes nothing either.
    QCOMPARE(installer.install(RdsBundleSnapshot::pem(), u"snapshot"_s, now).status,
        RootCertInstallResult::Status::Unchanged);
}

void TestCaBundle::installerNeverOverwritesAnEarlierBackup()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(installer.install(rds("us-east-1-bundle.pem"), now).ok());
    const RootCertInstallResult first = installer.install(rds("global-bundle.pem"), now);
    const RootCertInstallResult second
        = installer.install(rds("rds-combined-ca-bundle-2019.pem"), now);
    const RootCertInstallResult third = installer.install(rds("us-east-1-bundle.pem"), now);
    QVERIFY(first.ok() && second.ok() && third.ok());
    QCOMPARE(second.backupPath, first.backupPath + u"-2"_s);
    QCOMPARE(third.backupPath, first.backupPath + u"-3"_s);
    QCOMPARE(readAll(first.backupPath), m_usEast1);
    QCOMPARE(readAll(second.backupPath), m_global);
    QCOMPARE(readAll(third.backupPath), m_2019);
    QVERIFY(!second.warnings.isEmpty()); // the 2019 bundle installs, with its warnings
}

void TestCaBundle::installerRefusesABrokenBundle_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("code");

    QTest::newRow("an HTML page is not installed")
        << QByteArray("<html><body>403</body></html>") << u"not-a-certificate"_s;
    QTest::newRow("a truncated PEM is not installed")
        << m_global.left(m_global.size() / 2) << u"truncated-pem"_s;
    QTest::newRow("a bundle with a private key is not installed")
        << m_usEast1 + m_keyPem << u"private-key"_s;
    QTest::newRow("an empty file is not installed") << QByteArray() << u"empty"_s;
}

void TestCaBundle::installerRefusesABrokenBundle()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, code);

    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(installer.install(rds("us-east-1-bundle.pem"), now).ok());
    const QString broken = home.filePath(u"broken.pem"_s);
    QVERIFY(writeFile(broken, data));

    const RootCertInstallResult r = installer.install(broken, now.addSecs(10));
    QCOMPARE(r.status, RootCertInstallResult::Status::Refused);
    QVERIFY(!r.ok());
    QCOMPARE(r.bundle.errorCode, code);
    QVERIFY2(r.message.contains(r.bundle.error) && r.message.contains(u"left as it was"_s),
        qPrintable(r.message));
    QVERIFY(r.backupPath.isEmpty());
    QCOMPARE(readAll(installer.targetPath()), m_usEast1);
    QCOMPARE(QDir(home.path() + u"/.postgresql"_s).entryList(QDir::Files),
        QStringList { u"root.crt"_s });

    const RootCertInstallResult missing
        = installer.install(home.filePath(u"nothing-here.pem"_s), now);
    QCOMPARE(missing.status, RootCertInstallResult::Status::Refused);
    QCOMPARE(missing.bundle.errorCode, u"missing"_s);
    QCOMPARE(readAll(installer.targetPath()), m_usEast1);
}

void TestCaBundle::installerConvertsPkcs7ToPem()
{
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    const RootCertInstallResult r = installer.install(makeFile(u"install.p7b"_s, m_p7bDer), now);
    QCOMPARE(r.status, RootCertInstallResult::Status::Installed);
    QVERIFY2(r.message.contains(u"PEM"_s), qPrintable(r.message));
    const QByteArray written = readAll(installer.targetPath());
    QVERIFY(written.startsWith("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(written.count("-----BEGIN CERTIFICATE-----"), 108);
    const CaBundle installed = CaBundle::load(installer.targetPath());
    QCOMPARE(installed.format, CaBundle::Format::Pem);
    QCOMPARE(fingerprints(installed), m_globalFingerprints);
}

void TestCaBundle::installerRefusesASymlinkedRootCrtAndLeavesItsTarget_data()
{
    QTest::addColumn<bool>("absolute");
    QTest::newRow("a root.crt linked to an absolute path is refused, its target unchanged")
        << true;
    QTest::newRow("a root.crt linked to a relative path is refused, its target unchanged")
        << false;
}

void TestCaBundle::installerRefusesASymlinkedRootCrtAndLeavesItsTarget()
{
    QFETCH(bool, absolute);
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(QDir(home.path()).mkpath(u".postgresql"_s));
    QVERIFY(QDir(home.path()).mkpath(u"shared"_s));
    const QString target = home.filePath(u"shared/ca.pem"_s);
    QVERIFY(writeFile(target, m_usEast1));
    const QString link = installer.targetPath();
    QVERIFY(QFile::link(absolute ? target : u"../shared/ca.pem"_s, link));

    const RootCertInstallResult r = installer.install(rds("global-bundle.pem"), now);
    QCOMPARE(r.status, RootCertInstallResult::Status::Refused);
    QVERIFY(!r.ok());
    QVERIFY(r.backupPath.isEmpty());
    QVERIFY2(r.message.contains(link) && r.message.contains(target)
            && r.message.contains(u"symbolic link"_s) && r.message.contains(u"rm "_s)
            && r.message.contains(u"nothing was written"_s),
        qPrintable(r.message));
    QCOMPARE(readAll(target), m_usEast1);
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(QFileInfo(link).symLinkTarget(), target);
    QCOMPARE(QDir(home.path() + u"/.postgresql"_s).entryList(QDir::AllEntries | QDir::NoDotAndDotDot
                 | QDir::System | QDir::Hidden),
        QStringList { u"root.crt"_s });
    // What libpq uses is still shown: the link and what it points to.
    const InstalledRootCert current = installer.current();
    QCOMPARE(current.linkTarget, target);
    QCOMPARE(current.bundle.count(), 3);
    // The same for bytes in memory (a download or the snapshot).
    QCOMPARE(installer.install(RdsBundleSnapshot::pem(), u"snapshot"_s, now).status,
        RootCertInstallResult::Status::Refused);
    QCOMPARE(readAll(target), m_usEast1);
}

void TestCaBundle::installerNeverFollowsALinkPlantedAtTheBackupName_data()
{
    QTest::addColumn<bool>("victimExists");
    QTest::newRow("a link at the backup name to an existing file does not overwrite that file")
        << true;
    QTest::newRow("a link at the backup name to a missing file does not create that file")
        << false;
}

void TestCaBundle::installerNeverFollowsALinkPlantedAtTheBackupName()
{
    QFETCH(bool, victimExists);
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(installer.install(rds("us-east-1-bundle.pem"), now).ok());
    const QString victim = home.filePath(u"victim.txt"_s);
    if (victimExists)
        QVERIFY(writeFile(victim, "keep me\n"));
    const QString planted = installer.targetPath() + u".bak-"_s
        + now.toLocalTime().toString(u"yyyyMMdd-HHmmss"_s);
    QVERIFY(QFile::link(victim, planted));

    const RootCertInstallResult r = installer.install(rds("global-bundle.pem"), now);
    QCOMPARE(r.status, RootCertInstallResult::Status::Installed);
    QVERIFY(r.backupPath != planted);
    QVERIFY(!QFileInfo(r.backupPath).isSymLink());
    QCOMPARE(readAll(r.backupPath), m_usEast1);
    QCOMPARE(readAll(installer.targetPath()), m_global);
    QVERIFY(QFileInfo(planted).isSymLink());
    if (victimExists)
        QCOMPARE(readAll(victim), QByteArray("keep me\n"));
    else
        QVERIFY(!QFileInfo::exists(victim));
}

void TestCaBundle::installerRefusesWhatIsNotAFileWithoutReadingIt_data()
{
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("what");
    QTest::newRow("a FIFO offered as the bundle is refused without waiting for a writer")
        << u"bundle"_s << u"fifo"_s;
    QTest::newRow("/dev/zero offered as the bundle is refused without reading it")
        << u"bundle"_s << u"/dev/zero"_s;
    QTest::newRow("a FIFO at root.crt is refused without waiting for a writer")
        << u"root.crt"_s << u"fifo"_s;
    QTest::newRow("a directory at root.crt is refused") << u"root.crt"_s << u"directory"_s;
}

void TestCaBundle::installerRefusesWhatIsNotAFileWithoutReadingIt()
{
    QFETCH(QString, where);
    QFETCH(QString, what);
    QTemporaryDir home;
    const RootCertInstaller installer(home.path());
    QVERIFY(QDir(home.path()).mkpath(u".postgresql"_s));
    QString path = where == u"bundle"_s ? home.filePath(u"offered.pem"_s) : installer.targetPath();
    if (what == u"fifo"_s)
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0644), 0);
    else if (what == u"directory"_s)
        QVERIFY(QDir().mkdir(path));
    else
        path = what;

    QElapsedTimer timer;
    timer.start();
    const RootCertInstallResult r
        = installer.install(where == u"bundle"_s ? path : rds("global-bundle.pem"), now);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(r.status, RootCertInstallResult::Status::Refused);
    QVERIFY2(r.message.contains(path), qPrintable(r.message));
    if (where == u"bundle"_s)
        QCOMPARE(r.bundle.errorCode, u"not-a-file"_s);
    else
        QVERIFY2(r.message.contains(u"not a regular file"_s), qPrintable(r.message));
    QCOMPARE(QFileInfo(installer.targetPath()).isFile(), false);
}

// ---------------------------------------------------------------------------------------------

void TestCaBundle::snapshotIsTheShippedGlobalBundle()
{
    QCOMPARE(RdsBundleSnapshot::pem(), m_global);
    QCOMPARE(RdsBundleSnapshot::sha256(),
        u"e5bb2084ccf45087bda1c9bffdea0eb15ee67f0b91646106e466714f9de3c7e3"_s);
    QCOMPARE(RdsBundleSnapshot::takenOn(), QDate(2026, 11, 22));
    const CaBundle b = RdsBundleSnapshot::bundle();
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.count(), 108);
    QCOMPARE(b.expiredAt(now).size(), 0);
    QCOMPARE(b.rdsRegions().size(), 36);
    const QString provenance = RdsBundleSnapshot::provenance();
    QVERIFY(provenance.contains(RdsBundleSnapshot::sha256()));
    QVERIFY(provenance.contains(u"2026-11-22"_s));
    QVERIFY(provenance.contains(RdsBundleSnapshot::sourceUrl()));
    QVERIFY(RdsBundleSnapshot::provenanceDocument().contains(u"global-bundle.pem"_s));
}

void TestCaBundle::snapshotTellsItsAge_data()
{
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QString>("text");

    QTest::newRow("two days after the snapshot")
        << QDate(2026, 11, 24) << u"taken 2026-11-22, 2 days ago"_s;
    QTest::newRow("the day after the snapshot")
        << QDate(2026, 11, 23) << u"taken 2026-11-22, 1 day ago"_s;
    QTest::newRow("the day of the snapshot") << QDate(2026, 11, 22) << u"taken 2026-11-22, today"_s;
    QTest::newRow("a year later") << QDate(2027, 11, 22) << u"taken 2026-11-22, 365 days ago"_s;
    QTest::newRow("a clock set before the snapshot is pointed out") << QDate(
        2025, 1, 1) << u"taken 2026-11-22 (after today's date on this computer: check the clock)"_s;
}

void TestCaBundle::snapshotTellsItsAge()
{
    QFETCH(QDate, today);
    QFETCH(QString, text);
    QCOMPARE(RdsBundleSnapshot::ageText(today), text);
}

QTEST_GUILESS_MAIN(TestCaBundle)
#include "TestCaBundle.moc"
