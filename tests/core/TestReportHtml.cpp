// SPDX-License-Identifier: MIT
// The self-contained HTML report: well-formed, escaped, no scripts or external resources.
#include "Judge.h"
#include "ReportHtml.h"
#include "../support/TestCerts.h"

#include <QXmlStreamReader>
#include <QtTest>

using namespace pgtls;

class TestReportHtml : public QObject
{
    Q_OBJECT
private slots:
    void hostileNamesAreEscapedAndTheDocumentIsWellFormed();
    void everySectionOfAFullReportIsThere();
};

static InspectionReport reportWithLeafNamed(const QString &san)
{
    InspectionReport r;
    r.endpoint.host = QStringLiteral("db.example.com");
    r.endpoint.hostaddr = QStringLiteral("127.0.0.1");
    r.endpoint.sslmode = SslMode::VerifyFull;
    r.now = r.startedAt = QDateTime::currentDateTimeUtc();
    r.probeOnly = true;
    const test::TestCert cert = test::makeCert(san);
    r.probe.outcome = ProbeResult::Outcome::TlsEstablished;
    r.probe.tlsOffered = true;
    r.probe.sslResponse = QStringLiteral("S");
    r.probe.protocol = QStringLiteral("TLSv1.3");
    r.probe.chain << CertificateInfo::fromDer(cert.cert.der);
    r.probe.hostMatch = HostMatcher::match(r.endpoint.host, r.probe.chain.first());
    r.rootCert.verifies = false;
    Judge::apply(r);
    return r;
}

static QString xmlError(const QString &html)
{
    QString body = html;
    body.remove(QStringLiteral("<!DOCTYPE html>\n"));
    QXmlStreamReader xml(body);
    while (!xml.atEnd())
        xml.readNext();
    return xml.hasError() ? xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber()) : QString();
}

void TestReportHtml::hostileNamesAreEscapedAndTheDocumentIsWellFormed()
{
    const QString hostile = QStringLiteral("<script>alert(1)</script>\x1b[2J&\"'.example");
    const InspectionReport r = reportWithLeafNamed(hostile);
    const QString html = ReportHtml::render(r);
    const QString error = xmlError(html);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!html.contains(QLatin1String("<script")));
    QVERIFY(html.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(!html.contains(QChar(0x1b)));
    QVERIFY(html.contains(QLatin1String("\\x1b")));
    // Self-contained: nothing is loaded from anywhere.
    QVERIFY(!html.contains(QLatin1String(" src=")));
    QVERIFY(!html.contains(QLatin1String(" href=")));
    QVERIFY(!html.contains(QLatin1String("@import")));
}

void TestReportHtml::everySectionOfAFullReportIsThere()
{
    InspectionReport r = reportWithLeafNamed(QStringLiteral("db.example.com"));
    r.probeOnly = false;
    r.session.attempted = true;
    r.session.connected = true;
    r.session.sslInUse = true;
    r.session.sslIsUsed = true;
    r.session.sslIsUsedSource = QStringLiteral("sslinfo");
    r.session.sslinfoInstalled = true;
    r.session.serverVersion = QStringLiteral("15.18");
    r.session.showSsl = QStringLiteral("on");
    r.session.rdsForceSsl = QStringLiteral("1");
    SessionResult refused;
    refused.attempted = true;
    refused.errorCode = QStringLiteral("no-pg-hba-entry-no-encryption");
    SessionResult asks;
    asks.attempted = true;
    asks.needsPassword = asks.reachedAuthentication = true;
    r.plaintext.attempt = refused;
    r.plaintext.reference = asks;
    RootCertResolution rc;
    for (SslMode m : allSslModes()) {
        SessionResult s;
        s.attempted = s.connected = true;
        s.sslInUse = m != SslMode::Disable;
        r.matrix << Judge::matrixRow(m, s, false, rc);
    }
    Judge::apply(r);
    const QString html = ReportHtml::render(r);
    QVERIFY2(xmlError(html).isEmpty(), qPrintable(xmlError(html)));
    for (const char *section : { "Endpoint", "TLS", "Certificate chain", "Host name", "Session (libpq)",
                                 "Unencrypted connections", "sslmode matrix", "ssl_is_used()", "rds.force_ssl" })
        QVERIFY2(html.contains(QLatin1String(section)), section);
    QVERIFY(html.contains(QLatin1String("class=\"verdict")));
    QVERIFY(html.contains(r.probe.chain.first().sha256));
}

QTEST_GUILESS_MAIN(TestReportHtml)
#include "TestReportHtml.moc"
