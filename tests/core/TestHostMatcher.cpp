// SPDX-License-Identifier: MIT
#include "CertBuilder.h"
#include "HostMatcher.h"

#include <QHostAddress>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;
using namespace Qt::StringLiterals;

// Every row is one rule of libpq 15's verify-full host-name check. SAN entries are written in
// order as "DNS:name", "IP:address", "HEXDNS:bytes", "HEXIP:octets" or "email:addr".
class TestHostMatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesLikeLibpq_data();
    void matchesLikeLibpq();
    void classifiesHostLikeLibpq_data();
    void classifiesHostLikeLibpq();
    void explainsEachCandidate_data();
    void explainsEachCandidate();

private:
    CertificateInfo makeCert(const QStringList &cns, const QStringList &san) const;

    PrivateKey m_key;
};

static QString withNul(const QString &before, const QString &after)
{
    return before + QChar(0) + after;
}

void TestHostMatcher::initTestCase()
{
    m_key = PrivateKey::generate(PrivateKey::Type::EcP256);
}

CertificateInfo TestHostMatcher::makeCert(const QStringList &cns, const QStringList &san) const
{
    CertRequest req;
    req.subject = { { u"O"_s, u"Host matcher tests"_s } };
    for (const QString &cn : cns) {
        if (cn.contains(QChar(0)))
            req.rawCommonNames << cn.toUtf8();
        else if (req.subject.size() == 1)
            req.subject << qMakePair(u"CN"_s, cn);
        else
            req.extraCommonNames << cn;
    }
    for (const QString &entry : san) {
        const qsizetype colon = entry.indexOf(QLatin1Char(':'));
        const QString kind = entry.left(colon);
        const QString value = entry.mid(colon + 1);
        if (kind == u"DNS"_s) {
            req.rawSan << qMakePair(u"DNS"_s, value.toUtf8());
        } else if (kind == u"IP"_s) {
            const QHostAddress addr(value);
            QByteArray octets;
            if (addr.protocol() == QAbstractSocket::IPv4Protocol) {
                const quint32 v = addr.toIPv4Address();
                octets = QByteArray::fromHex(QByteArray::number(v, 16).rightJustified(8, '0'));
            } else {
                const Q_IPV6ADDR v6 = addr.toIPv6Address();
                octets = QByteArray(reinterpret_cast<const char *>(v6.c), 16);
            }
            req.rawSan << qMakePair(u"IP"_s, octets);
        } else if (kind == u"HEXDNS"_s) {
            req.rawSan << qMakePair(u"DNS"_s, QByteArray::fromHex(value.toLatin1()));
        } else if (kind == u"HEXIP"_s) {
            req.rawSan << qMakePair(u"IP"_s, QByteArray::fromHex(value.toLatin1()));
        } else {
            req.rawSan << qMakePair(kind, value.toUtf8());
        }
    }
    req.includeCnOnly = true;
    req.notBefore = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    req.notAfter = QDateTime(QDate(2034, 1, 1), QTime(0, 0), Qt::UTC);
    const IssuedCert issued = CertBuilder::selfSigned(req, m_key);
    return CertificateInfo::fromDer(issued.der);
}

void TestHostMatcher::matchesLikeLibpq_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QStringList>("cns");
    QTest::addColumn<QStringList>("san");
    QTest::addColumn<bool>("matched");
    QTest::addColumn<QString>("by");
    QTest::addColumn<QString>("entry");
    QTest::addColumn<int>("namesExamined");
    QTest::addColumn<QString>("error");

    const QString db = u"db.example.com"_s;
    const QStringList none;
    const QString ok;

    // Names
    QTest::newRow("an exact DNS SAN matches")
            << db << none << QStringList { u"DNS:db.example.com"_s } << true << u"san-dns"_s << db
            << 1 << ok;
    QTest::newRow("a DNS SAN is compared without regard to ASCII case")
            << u"DB.Example.COM"_s << none << QStringList { u"DNS:db.EXAMPLE.com"_s } << true
            << u"san-dns"_s << u"db.EXAMPLE.com"_s << 1 << ok;
    QTest::newRow("a wildcard covers exactly one label")
            << db << none << QStringList { u"DNS:*.example.com"_s } << true << u"san-dns"_s
            << u"*.example.com"_s << 1 << ok;
    QTest::newRow("a wildcard matches without regard to ASCII case")
            << u"DB.EXAMPLE.com"_s << none << QStringList { u"DNS:*.Example.COM"_s } << true
            << u"san-dns"_s << u"*.Example.COM"_s << 1 << ok;
    QTest::newRow("a wildcard with a longer suffix covers one label")
            << u"db.eu.example.com"_s << none << QStringList { u"DNS:*.eu.example.com"_s } << true
            << u"san-dns"_s << u"*.eu.example.com"_s << 1 << ok;
    QTest::newRow("a wildcard does not cover two labels")
            << u"a.b.example.com"_s << none << QStringList { u"DNS:*.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"*.example.com\" does not match host name \"a.b.example.com\""_s;
    QTest::newRow("a wildcard does not match the bare domain")
            << u"example.com"_s << none << QStringList { u"DNS:*.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"*.example.com\" does not match host name \"example.com\""_s;
    QTest::newRow("a wildcard does not match an empty label")
            << u".example.com"_s << none << QStringList { u"DNS:*.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"*.example.com\" does not match host name \".example.com\""_s;
    QTest::newRow("a wildcard on a top-level domain matches any second-level name")
            << u"example.com"_s << none << QStringList { u"DNS:*.com"_s } << true << u"san-dns"_s
            << u"*.com"_s << 1 << ok;
    QTest::newRow("an asterisk inside a label is compared literally")
            << u"foo.example.com"_s << none << QStringList { u"DNS:f*.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"f*.example.com\" does not match host name \"foo.example.com\""_s;
    QTest::newRow("an asterisk inside a label matches only itself")
            << u"f*.example.com"_s << none << QStringList { u"DNS:f*.example.com"_s } << true
            << u"san-dns"_s << u"f*.example.com"_s << 1 << ok;
    QTest::newRow("a lone asterisk is not a wildcard")
            << u"example"_s << none << QStringList { u"DNS:*"_s } << false << u"none"_s << QString()
            << 1 << u"server certificate for \"*\" does not match host name \"example\""_s;
    QTest::newRow("a trailing dot on the host is not normalised")
            << u"db.example.com."_s << none << QStringList { u"DNS:db.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"db.example.com\" does not match host name \"db.example.com.\""_s;
    QTest::newRow("a trailing dot on the SAN is not normalised")
            << db << none << QStringList { u"DNS:db.example.com."_s } << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"db.example.com.\" does not match host name \"db.example.com\""_s;
    QTest::newRow("non-ASCII letters are compared byte for byte")
            << u"BÜCHER.example"_s << QStringList { u"bücher.example"_s } << none << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"bücher.example\" does not match host name \"BÜCHER.example\""_s;
    QTest::newRow("a UTF-8 CN matches the same UTF-8 host")
            << u"bücher.example"_s << QStringList { u"bücher.example"_s } << none << true << u"cn"_s
            << u"bücher.example"_s << 1 << ok;

    // The CN fallback
    QTest::newRow("the CN is used when the certificate has no SAN")
            << db << QStringList { db } << none << true << u"cn"_s << db << 1 << ok;
    QTest::newRow("a wildcard CN is honoured when the certificate has no SAN")
            << db << QStringList { u"*.example.com"_s } << none << true << u"cn"_s
            << u"*.example.com"_s << 1 << ok;
    QTest::newRow("the CN is ignored when a DNS SAN is present")
            << db << QStringList { db } << QStringList { u"DNS:other.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"server certificate for \"other.example.com\" does not match host name \"db.example.com\""_s;
    QTest::newRow("the CN is consulted for a DNS host when the only SAN is an IP address")
            << u"localhost"_s << QStringList { u"localhost"_s } << QStringList { u"IP:127.0.0.1"_s }
            << true << u"cn"_s << u"localhost"_s << 2 << ok;
    QTest::newRow("email SAN entries are neither examined nor disable the CN")
            << db << QStringList { db } << QStringList { u"email:db@example.com"_s } << true
            << u"cn"_s << db << 1 << ok;
    QTest::newRow("only the first of several CNs is consulted")
            << db << QStringList { u"first.example.com"_s, db } << none << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"first.example.com\" does not match host name \"db.example.com\""_s;
    QTest::newRow("the first CN matches whatever the later CNs say")
            << db << QStringList { db, u"other.example.com"_s } << none << true << u"cn"_s << db
            << 1 << ok;

    // IP addresses
    QTest::newRow("an IPv4 host matches an IPv4 SAN")
            << u"10.0.0.5"_s << none << QStringList { u"IP:10.0.0.5"_s } << true << u"san-ip"_s
            << u"10.0.0.5"_s << 1 << ok;
    QTest::newRow("an IPv4 host in inet_aton shorthand matches the SAN")
            << u"127.1"_s << none << QStringList { u"IP:127.0.0.1"_s } << true << u"san-ip"_s
            << u"127.0.0.1"_s << 1 << ok;
    QTest::newRow("an IPv4 host in hexadecimal inet_aton form matches the SAN")
            << u"0x7f.1"_s << none << QStringList { u"IP:127.0.0.1"_s } << true << u"san-ip"_s
            << u"127.0.0.1"_s << 1 << ok;
    QTest::newRow("an IPv4 host written as one number matches the SAN")
            << u"2130706433"_s << none << QStringList { u"IP:127.0.0.1"_s } << true << u"san-ip"_s
            << u"127.0.0.1"_s << 1 << ok;
    QTest::newRow("an IP host with an IP SAN ignores the CN")
            << u"10.0.0.5"_s << QStringList { u"10.0.0.5"_s } << QStringList { u"IP:10.0.0.6"_s }
            << false << u"none"_s << QString() << 1
            << u"server certificate for \"10.0.0.6\" does not match host name \"10.0.0.5\""_s;
    QTest::newRow("an IP host with only DNS SANs falls back to the CN")
            << u"10.0.0.5"_s << QStringList { u"10.0.0.5"_s }
            << QStringList { u"DNS:db.example.com"_s } << true << u"cn"_s << u"10.0.0.5"_s << 2
            << ok;
    QTest::newRow("an IP host with only DNS SANs and another CN fails naming both")
            << u"10.0.0.5"_s << QStringList { u"other"_s }
            << QStringList { u"DNS:db.example.com"_s } << false << u"none"_s << QString() << 2
            << u"server certificate for \"db.example.com\" (and 1 other name) does not match host name \"10.0.0.5\""_s;
    QTest::newRow("an IP-looking CN is compared as text, not as an address")
            << u"127.1"_s << QStringList { u"127.0.0.1"_s } << none << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"127.0.0.1\" does not match host name \"127.1\""_s;
    QTest::newRow("an IPv6 host matches an IPv6 SAN")
            << u"::1"_s << none << QStringList { u"IP:::1"_s } << true << u"san-ip"_s << u"::1"_s
            << 1 << ok;
    QTest::newRow("an expanded IPv6 host matches the same address")
            << u"0:0:0:0:0:0:0:1"_s << none << QStringList { u"IP:::1"_s } << true << u"san-ip"_s
            << u"::1"_s << 1 << ok;
    QTest::newRow("an IPv4 SAN does not match an IPv6 host")
            << u"::1"_s << none << QStringList { u"IP:127.0.0.1"_s } << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"127.0.0.1\" does not match host name \"::1\""_s;
    QTest::newRow("a DNS host never matches an IP SAN")
            << u"localhost"_s << none << QStringList { u"IP:127.0.0.1"_s } << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"127.0.0.1\" does not match host name \"localhost\""_s;
    QTest::newRow("an IPv4-mapped IPv6 SAN is printed the way libpq prints it")
            << db << none << QStringList { u"IP:::ffff:10.0.0.1"_s } << false << u"none"_s
            << QString() << 1
            << u"server certificate for \"::ffff:10.0.0.1\" does not match host name \"db.example.com\""_s;
    QTest::newRow("an IPv4-compatible IPv6 SAN is printed with a dotted tail as libpq does")
            << db << none << QStringList { u"IP:::a00:1"_s } << false << u"none"_s << QString() << 1
            << u"server certificate for \"::10.0.0.1\" does not match host name \"db.example.com\""_s;
    QTest::newRow("an IPv6 SAN with one non-zero last word is printed compressed")
            << db << none << QStringList { u"IP:::2"_s } << false << u"none"_s << QString() << 1
            << u"server certificate for \"::2\" does not match host name \"db.example.com\""_s;

    // Errors
    QTest::newRow("an embedded NUL in a DNS SAN is an error")
            << db << none
            << QStringList { u"HEXDNS:"_s
                             + QString::fromLatin1(
                                     QByteArray("db.example.com\0.evil.com", 25).toHex()) }
            << false << u"none"_s << QString() << 1
            << u"SSL certificate's name contains embedded null"_s;
    QTest::newRow("an embedded NUL in the CN is an error")
            << db << QStringList { withNul(db, u".evil.com"_s) } << none << false << u"none"_s
            << QString() << 1 << u"SSL certificate's name contains embedded null"_s;
    QTest::newRow("an IP SAN of invalid length is an error even for a DNS host")
            << db << none << QStringList { u"HEXIP:0a0000"_s } << false << u"none"_s << QString()
            << 1 << u"certificate contains IP address with invalid length 3"_s;
    QTest::newRow("an error stops the search before a later matching SAN")
            << db << none << QStringList { u"HEXIP:0a000001ff"_s, u"DNS:db.example.com"_s } << false
            << u"none"_s << QString() << 1
            << u"certificate contains IP address with invalid length 5"_s;
    QTest::newRow("a match stops the search before a later broken SAN")
            << db << none << QStringList { u"DNS:db.example.com"_s, u"HEXIP:0a00"_s } << true
            << u"san-dns"_s << db << 1 << ok;
    QTest::newRow("an empty host is refused")
            << QString() << QStringList { db } << none << false << u"none"_s << QString() << 0
            << u"host name must be specified for a verified SSL connection"_s;
    QTest::newRow("a certificate without SAN or CN has no name to compare")
            << db << none << none << false << u"none"_s << QString() << 0
            << u"could not get server's host name from server certificate"_s;
    QTest::newRow("a certificate with only an email SAN and no CN has no name to compare")
            << db << none << QStringList { u"email:db@example.com"_s } << false << u"none"_s
            << QString() << 0 << u"could not get server's host name from server certificate"_s;

    // Order and counting
    QTest::newRow("the first matching SAN wins")
            << db << none
            << QStringList { u"DNS:other.example.com"_s, u"DNS:*.example.com"_s,
                             u"DNS:db.example.com"_s }
            << true << u"san-dns"_s << u"*.example.com"_s << 2 << ok;
    QTest::newRow("the error names the first examined SAN and counts the other names")
            << db << none
            << QStringList { u"DNS:a.example.com"_s, u"IP:10.0.0.1"_s, u"DNS:b.example.com"_s }
            << false << u"none"_s << QString() << 3
            << u"server certificate for \"a.example.com\" (and 2 other names) does not match host name \"db.example.com\""_s;
    QTest::newRow("the first examined name may be an IP SAN")
            << db << none << QStringList { u"IP:10.0.0.1"_s, u"DNS:a.example.com"_s } << false
            << u"none"_s << QString() << 2
            << u"server certificate for \"10.0.0.1\" (and 1 other name) does not match host name \"db.example.com\""_s;
    QTest::newRow("an IP host counts every SAN and then the CN")
            << u"10.0.0.9"_s << QStringList { u"cn.example.com"_s }
            << QStringList { u"DNS:a.example.com"_s, u"DNS:b.example.com"_s } << false << u"none"_s
            << QString() << 3
            << u"server certificate for \"a.example.com\" (and 2 other names) does not match host name \"10.0.0.9\""_s;
}

void TestHostMatcher::matchesLikeLibpq()
{
    QFETCH(QString, host);
    QFETCH(QStringList, cns);
    QFETCH(QStringList, san);
    QFETCH(bool, matched);
    QFETCH(QString, by);
    QFETCH(QString, entry);
    QFETCH(int, namesExamined);
    QFETCH(QString, error);

    const CertificateInfo cert = makeCert(cns, san);
    QVERIFY(!cert.isNull());
    const HostMatch m = HostMatcher::match(host, cert);
    QCOMPARE(m.error, error);
    QCOMPARE(m.matched, matched);
    QCOMPARE(m.by, by);
    QCOMPARE(m.entry, entry);
    QCOMPARE(m.namesExamined, namesExamined);
    QCOMPARE(m.checkedName, host);
    int examined = 0;
    for (const HostNameCandidate &c : m.candidates) {
        examined += c.examined ? 1 : 0;
        QVERIFY2(!c.reason.isEmpty(), qPrintable(c.value));
    }
    QCOMPARE(examined, namesExamined);
}

void TestHostMatcher::classifiesHostLikeLibpq_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("isIp");

    QTest::newRow("a dotted quad is an IPv4 address") << u"192.168.1.10"_s << true;
    QTest::newRow("a shortened dotted form is an IPv4 address") << u"127.1"_s << true;
    QTest::newRow("three parts are an IPv4 address") << u"10.1.2"_s << true;
    QTest::newRow("a hexadecimal form is an IPv4 address") << u"0x7f.1"_s << true;
    QTest::newRow("an octal form is an IPv4 address") << u"0177.0.0.1"_s << true;
    QTest::newRow("a single decimal number is an IPv4 address") << u"2130706433"_s << true;
    QTest::newRow("an IPv6 address is an IP address") << u"2001:db8::1"_s << true;
    QTest::newRow("an IPv4-mapped IPv6 address is an IP address") << u"::ffff:10.0.0.1"_s << true;
    QTest::newRow("an IPv6 address with a zone is a DNS name") << u"fe80::1%eth0"_s << false;
    QTest::newRow("an octet above 255 makes a DNS name") << u"256.1.1.1"_s << false;
    QTest::newRow("a host name is a DNS name") << u"db.example.com"_s << false;
    QTest::newRow("a bracketed IPv6 address is a DNS name") << u"[::1]"_s << false;
}

void TestHostMatcher::classifiesHostLikeLibpq()
{
    QFETCH(QString, host);
    QFETCH(bool, isIp);
    const HostMatch m = HostMatcher::match(host, makeCert({ u"x"_s }, {}));
    QCOMPARE(m.hostIsIp, isIp);
}

void TestHostMatcher::explainsEachCandidate_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QStringList>("cns");
    QTest::addColumn<QStringList>("san");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("examined");
    QTest::addColumn<QString>("reasonStart");

    const QString db = u"db.example.com"_s;
    QTest::newRow("an exact match says so")
            << db << QStringList() << QStringList { u"DNS:db.example.com"_s } << 0 << u"san-dns"_s
            << true << u"matches exactly (case-insensitive)"_s;
    QTest::newRow("a wildcard match names the label it covers")
            << db << QStringList() << QStringList { u"DNS:*.example.com"_s } << 0 << u"san-dns"_s
            << true << u"wildcard *.example.com covers exactly one label: \"db\""_s;
    QTest::newRow("a wildcard over two labels says why it fails")
            << u"a.b.example.com"_s << QStringList() << QStringList { u"DNS:*.example.com"_s } << 0
            << u"san-dns"_s << true << u"wildcard does not cover two labels"_s;
    QTest::newRow("the CN is skipped when a DNS SAN exists")
            << db << QStringList { db } << QStringList { u"DNS:other.example.com"_s } << 1
            << u"cn"_s << false << u"CN ignored because the certificate has DNS SAN entries"_s;
    QTest::newRow("the CN is consulted for an IP host without IP SANs")
            << u"10.0.0.5"_s << QStringList { u"10.0.0.5"_s }
            << QStringList { u"DNS:db.example.com"_s } << 1 << u"cn"_s << true
            << u"CN consulted because host is an IP address and the certificate has no IP SAN"_s;
    QTest::newRow("an IP SAN is compared as an address for a DNS host")
            << db << QStringList() << QStringList { u"IP:10.0.0.1"_s } << 0 << u"san-ip"_s << true
            << u"IP SAN compared as an address, host is a DNS name"_s;
    QTest::newRow("a SAN after the match is not examined")
            << db << QStringList()
            << QStringList { u"DNS:db.example.com"_s, u"DNS:x.example.com"_s } << 1 << u"san-dns"_s
            << false << u"not examined"_s;
    QTest::newRow("a second CN is never consulted")
            << db << QStringList { u"a"_s, db } << QStringList() << 1 << u"cn"_s << false
            << u"ignored: libpq consults only the first CN"_s;
}

void TestHostMatcher::explainsEachCandidate()
{
    QFETCH(QString, host);
    QFETCH(QStringList, cns);
    QFETCH(QStringList, san);
    QFETCH(int, index);
    QFETCH(QString, kind);
    QFETCH(bool, examined);
    QFETCH(QString, reasonStart);

    const HostMatch m = HostMatcher::match(host, makeCert(cns, san));
    QVERIFY(index < m.candidates.size());
    const HostNameCandidate &c = m.candidates.at(index);
    QCOMPARE(hostNameKindName(c.kind), kind);
    QCOMPARE(c.examined, examined);
    QVERIFY2(c.reason.startsWith(reasonStart), qPrintable(c.reason));
}

QTEST_GUILESS_MAIN(TestHostMatcher)
#include "TestHostMatcher.moc"
