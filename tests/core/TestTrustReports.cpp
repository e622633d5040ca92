// SPDX-License-Identifier: MIT
// The trust part of the reports (text, JSON, HTML) and the catalogue's revocation problems, for
// chains generated in memory and verified by the real ChainVerifier with real CRLs: every issue
// with its depth, certificate and date; the anchor reached by a failed chain; revocation checked
// or not, and why.
#include "CertBuilder.h"
#include "ChainVerifier.h"
#include "InspectionReport.h"
#include "ProblemCatalog.h"
#include "ReportHtml.h"
#include "ReportJson.h"
#include "TextReport.h"

#include "../support/TestCerts.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/x509_vfy.h>

using namespace pgtls;
using namespace pgtls::lab;
using namespace Qt::StringLiterals;

class TestTrustReports : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void theTextReportNamesEveryIssueWithDepthSubjectAndDate();
    void theTextReportNamesTheAnchorAFailedChainReaches();
    void theTextReportSaysWhetherRevocationWasChecked_data();
    void theTextReportSaysWhetherRevocationWasChecked();
    void theJsonHasTheBuiltChainTheIssuesAndTheCrlState();
    void theJsonAnchorIsNullWhenTheCaFileLacksIt();
    void theHtmlReportEscapesAndListsEveryIssue();
    void theRevocationProblemsAreCatalogued_data();
    void theRevocationProblemsAreCatalogued();

private:
    IssuedCert make(const QString &cn, bool ca, const QDateTime &from, const QDateTime &to,
                    const IssuedCert *issuer);
    QString write(const QString &name, const QByteArray &content) const;
    QByteArray crl(const QString &issuer, const QStringList &revoked, bool expired = false) const;
    InspectionReport reportFor(const QStringList &sent, const QString &caRoot,
                               const QByteArray &crls = {}, bool namedButMissing = false) const;

    QTemporaryDir m_dir;
    QDateTime m_now;
    QHash<QString, IssuedCert> m_certs;
};

IssuedCert TestTrustReports::make(const QString &cn, bool ca, const QDateTime &from,
                                  const QDateTime &to, const IssuedCert *issuer)
{
    return pgtls::test::makeCertBetween(u"Trust reports"_s, cn, ca, from, to, issuer);
}

void TestTrustReports::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_now = QDateTime(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    const QDateTime longAgo(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    const QDateTime farAhead(QDate(2040, 1, 1), QTime(0, 0), Qt::UTC);
    m_certs[u"root"_s] = make(u"Report Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"other-root"_s] = make(u"Other Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"inter"_s]
            = make(u"Report Intermediate CA"_s, true, longAgo, farAhead, &m_certs[u"root"_s]);
    m_certs[u"leaf"_s] = make(u"db.report.test"_s, false, m_now.addDays(-30), m_now.addDays(300),
                              &m_certs[u"inter"_s]);
    m_certs[u"expired-leaf"_s]
            = make(u"old.report.test"_s, false, m_now.addDays(-400),
                   QDateTime(QDate(2025, 5, 2), QTime(3, 4, 5), Qt::UTC), &m_certs[u"inter"_s]);
    // A hostile subject: a line break and an HTML tag in the CN.
    m_certs[u"hostile-leaf"_s] = make(u"evil\n<b>x</b>.report.test"_s, false, m_now.addDays(-400),
                                      m_now.addDays(-2), &m_certs[u"inter"_s]);
}

QString TestTrustReports::write(const QString &name, const QByteArray &content) const
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(content);
    return path;
}

QByteArray TestTrustReports::crl(const QString &issuer, const QStringList &revoked,
                                 bool expired) const
{
    QList<QByteArray> ders;
    for (const QString &name : revoked)
        ders << m_certs.value(name).der;
    return expired ? test::makeCrl(m_certs.value(issuer), ders, m_now.addDays(-10),
                                   m_now.addDays(-1))
                   : test::makeCrl(m_certs.value(issuer), ders, m_now.addDays(-1),
                                   m_now.addDays(7));
}

InspectionReport TestTrustReports::reportFor(const QStringList &sent, const QString &caRoot,
                                             const QByteArray &crls, bool namedButMissing) const
{
    InspectionReport r;
    r.now = m_now;
    r.endpoint.host = u"db.report.test"_s;
    r.probe.outcome = ProbeResult::Outcome::TlsEstablished;
    for (const QString &name : sent)
        r.probe.chain << CertificateInfo::fromDer(m_certs.value(name).der);
    const QString caFile = write(caRoot + u".pem"_s, m_certs.value(caRoot).pem);
    r.endpoint.sslrootcert = caFile;
    CrlSettings settings;
    if (!crls.isEmpty())
        settings.file = write(u"report.crl"_s, crls);
    if (namedButMissing)
        settings.file = m_dir.filePath(u"typo.crl"_s);
    r.probe.trust = ChainVerifier::verify(r.probe.chain, caFile, m_now, settings);
    return r;
}

void TestTrustReports::theTextReportNamesEveryIssueWithDepthSubjectAndDate()
{
    // Expired and revoked, under CRLs of both CAs.
    const InspectionReport r
            = reportFor({ u"expired-leaf"_s, u"inter"_s }, u"root"_s,
                        crl(u"inter"_s, { u"expired-leaf"_s }) + crl(u"root"_s, {}));
    const QString text = TextReport::render(r);
    const QString subject = r.probe.chain.first().subject;
    QVERIFY2(text.contains(u"[0] %1: revoked: certificate revoked\n"_s.arg(subject)),
             qPrintable(text));
    QVERIFY2(text.contains(
                     u"[0] %1: expired: certificate has expired (valid until 2025-05-02T03:04:05Z)"_s
                             .arg(subject)),
             qPrintable(text));
    // libpq's first error stays the headline.
    QVERIFY2(text.contains(u"Trust        NOT trusted: certificate revoked (depth 0"_s),
             qPrintable(text));
}

void TestTrustReports::theTextReportNamesTheAnchorAFailedChainReaches()
{
    const InspectionReport expired = reportFor({ u"expired-leaf"_s, u"inter"_s }, u"root"_s);
    const QString text = TextReport::render(expired);
    QVERIFY2(text.contains(u"the chain reaches %1 of %2 (that file holds its anchor)"_s.arg(
                     expired.probe.trust.anchorSubject, expired.probe.trust.caFile)),
             qPrintable(text));
    QVERIFY2(text.contains(u"[2] %1  (anchor, from the CA file)"_s.arg(
                     CertificateInfo::fromDer(m_certs.value(u"root"_s).der).subject)),
             qPrintable(text));

    const InspectionReport unknown = reportFor({ u"leaf"_s, u"inter"_s }, u"other-root"_s);
    const QString other = TextReport::render(unknown);
    QVERIFY2(other.contains(u"no certificate of %1 anchors the chain"_s.arg(
                     unknown.probe.trust.caFile)),
             qPrintable(other));
    QVERIFY2(!other.contains(u"anchor, from the CA file"_s), qPrintable(other));
}

void TestTrustReports::theTextReportSaysWhetherRevocationWasChecked_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("line");
    QTest::newRow("CRLs loaded: checked, with the file and the count")
            << u"crls"_s << u"Revocation   checked against %1 (2 CRLs;"_s;
    QTest::newRow("no CRL in use: not checked, and which files would have been")
            << u"none"_s << u"Revocation   not checked (no revocation list"_s;
    QTest::newRow("a named CRL file that does not exist: not checked, and why")
            << u"missing"_s << u"Revocation   not checked: the CRL file \"%2\" does not exist"_s;
}

void TestTrustReports::theTextReportSaysWhetherRevocationWasChecked()
{
    QFETCH(QString, how);
    QFETCH(QString, line);
    const QByteArray crls
            = how == u"crls"_s ? crl(u"inter"_s, {}) + crl(u"root"_s, {}) : QByteArray();
    const InspectionReport r
            = reportFor({ u"leaf"_s, u"inter"_s }, u"root"_s, crls, how == u"missing"_s);
    const QString text = TextReport::render(r);
    QVERIFY2(text.contains(line.arg(r.probe.trust.crlFile, m_dir.filePath(u"typo.crl"_s))),
             qPrintable(text));
}

void TestTrustReports::theJsonHasTheBuiltChainTheIssuesAndTheCrlState()
{
    const InspectionReport r = reportFor({ u"leaf"_s, u"inter"_s }, u"root"_s,
                                         crl(u"inter"_s, { u"leaf"_s }) + crl(u"root"_s, {}));
    const QJsonObject trust = ReportJson::toJson(r)
                                      .value(u"probe"_s).toObject()
                                      .value(u"trust"_s).toObject();
    QCOMPARE(trust.value(u"trusted"_s).toBool(true), false);
    QCOMPARE(trust.value(u"anchor_sha256"_s).toString(),
             CertificateInfo::fromDer(m_certs.value(u"root"_s).der).sha256);
    const QJsonArray chain = trust.value(u"chain"_s).toArray();
    QCOMPARE(chain.size(), 3);
    QCOMPARE(chain.at(0).toString(), r.probe.chain.at(0).sha256);
    const QJsonArray issues = trust.value(u"issues"_s).toArray();
    QCOMPARE(issues.size(), 1);
    const QJsonObject issue = issues.at(0).toObject();
    QCOMPARE(issue.value(u"depth"_s).toInt(-1), 0);
    QCOMPARE(issue.value(u"code"_s).toString(), u"revoked"_s);
    QCOMPARE(issue.value(u"error"_s).toString(), u"certificate revoked"_s);
    QCOMPARE(issue.value(u"detail"_s).toString(), u"certificate revoked"_s);
    QCOMPARE(issue.value(u"subject"_s).toString(), r.probe.chain.at(0).subject);
    QCOMPARE(trust.value(u"openssl_error"_s).toInt(), int(X509_V_ERR_CERT_REVOKED));
    const QJsonObject crlState = trust.value(u"crl"_s).toObject();
    QCOMPARE(crlState.value(u"checked"_s).toBool(false), true);
    QCOMPARE(crlState.value(u"file"_s).toString(), r.probe.trust.crlFile);
    QCOMPARE(crlState.value(u"file_is_default"_s).toBool(true), false);
    QCOMPARE(crlState.value(u"loaded"_s).toInt(), 2);
    QVERIFY(crlState.value(u"note"_s).isNull());
}

void TestTrustReports::theJsonAnchorIsNullWhenTheCaFileLacksIt()
{
    const InspectionReport r = reportFor({ u"leaf"_s, u"inter"_s }, u"other-root"_s);
    const QJsonObject trust = ReportJson::toJson(r)
                                      .value(u"probe"_s).toObject()
                                      .value(u"trust"_s).toObject();
    QVERIFY(trust.value(u"anchor_sha256"_s).isNull());
    QCOMPARE(trust.value(u"chain"_s).toArray().size(), 2);
    QCOMPARE(trust.value(u"issues"_s).toArray().at(0).toObject().value(u"code"_s).toString(),
             u"unknown-issuer"_s);
}

void TestTrustReports::theHtmlReportEscapesAndListsEveryIssue()
{
    const InspectionReport r = reportFor({ u"hostile-leaf"_s, u"inter"_s }, u"root"_s);
    const QString html = ReportHtml::render(r);
    QVERIFY2(!html.contains(u"<b>x</b>"_s), qPrintable(html));
    QVERIFY2(html.contains(u"&lt;b&gt;x&lt;/b&gt;"_s), qPrintable(html));
    QVERIFY2(html.contains(u"Problem at depth 0"_s), qPrintable(html));
    QVERIFY2(html.contains(u"expired: certificate has expired (valid until "_s), qPrintable(html));
    QVERIFY2(html.contains(u"that file holds its anchor"_s), qPrintable(html));
}

void TestTrustReports::theRevocationProblemsAreCatalogued_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("sent");
    QTest::addColumn<QString>("crls"); // "revoked", "missing", "expired"
    QTest::addColumn<int>("opensslError");
    QTest::addColumn<QString>("inFix");
    QTest::newRow("a revoked server certificate: the server must get a new certificate")
            << u"cert-revoked"_s << QStringList { u"leaf"_s, u"inter"_s } << u"revoked"_s
            << int(X509_V_ERR_CERT_REVOKED) << u"The server must get a new certificate"_s;
    QTest::newRow("no CRL of an issuer under CRL_CHECK_ALL: add it, or stop checking")
            << u"crl-missing"_s << QStringList { u"leaf"_s, u"inter"_s } << u"missing"_s
            << int(X509_V_ERR_UNABLE_TO_GET_CRL) << u"Add the revocation list of"_s;
    QTest::newRow("an expired CRL: download the current one")
            << u"crl-expired"_s << QStringList { u"leaf"_s, u"inter"_s } << u"expired"_s
            << int(X509_V_ERR_CRL_HAS_EXPIRED) << u"current revocation list"_s;
}

void TestTrustReports::theRevocationProblemsAreCatalogued()
{
    QFETCH(QString, code);
    QFETCH(QStringList, sent);
    QFETCH(QString, crls);
    QFETCH(int, opensslError);
    QFETCH(QString, inFix);
    const QByteArray pem = crls == u"revoked"_s ? crl(u"inter"_s, { u"leaf"_s }) + crl(u"root"_s, {})
            : crls == u"missing"_s              ? crl(u"inter"_s, {})
                                                : crl(u"inter"_s, {}, true) + crl(u"root"_s, {});
    const InspectionReport r = reportFor(sent, u"root"_s, pem);
    QCOMPARE(r.probe.trust.opensslError, opensslError);
    QVERIFY(ProblemCatalog::knownCodes().contains(code));
    const Problem p = ProblemCatalog::make(code, r.probe.trust.error, r);
    QVERIFY2(p.title != u"problem"_s, qPrintable(p.title));
    QCOMPARE(p.severity, Problem::Severity::Error);
    QVERIFY2(p.explanation.contains(r.probe.trust.crlFile), qPrintable(p.explanation));
    QVERIFY2(p.fix.contains(inFix), qPrintable(p.fix));
    // It names the certificate at fault: the one at the issue's depth.
    int depth = r.probe.trust.errorDepth;
    QVERIFY(depth >= 0);
    QVERIFY2(p.explanation.contains(r.probe.trust.chain.at(depth).subject),
             qPrintable(p.explanation));
    if (code == u"cert-revoked"_s)
        QCOMPARE(p.title, u"the server certificate has been revoked"_s);
}

QTEST_GUILESS_MAIN(TestTrustReports)
#include "TestTrustReports.moc"
