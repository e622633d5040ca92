// SPDX-License-Identifier: MIT
#include "ReportHtml.h"
#include "ReportJson.h"
#include "SafeText.h"
#include "TextReport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pgtls;

namespace {

// What a hostile certificate subject looks like: a fake report line, a terminal escape, a bidi
// override that would show "Trust trusted" reversed, C1 controls.
const QString kHostile = QStringLiteral("CN=evil\nTrust        trusted, anchored by CN=Root\x1b[2J")
    + QChar(0x202e) + QStringLiteral("detsurt") + QChar(0x85) + QChar(0x9b) + QStringLiteral("31m")
    + QChar(0x2066) + QChar(0x200f) + QChar(0xfeff) + QChar(0x7f) + QStringLiteral("\tend");

bool hasUnsafe(const QString &text, bool newlinesAllowed)
{
    const auto codePoints = QStringView(text).toUcs4();
    for (const char32_t c : codePoints) {
        if (newlinesAllowed && c == U'\n')
            continue;
        if (SafeText::isUnsafe(c))
            return true;
    }
    return false;
}

InspectionReport hostileReport()
{
    InspectionReport r;
    r.endpoint.host = QStringLiteral("db.example.com");
    r.summary = QStringLiteral("Failed");
    r.probeOnly = false;
    CertificateInfo c;
    c.subject = kHostile;
    c.issuer = kHostile;
    c.sanDns = { kHostile };
    c.serial = QStringLiteral("01");
    r.probe.chain << c;
    r.probe.trust.attempted = true;
    r.probe.trust.error = kHostile;
    r.session.attempted = true;
    r.session.error = kHostile;
    r.session.notices << ServerNotice{ QStringLiteral("WARNING"), kHostile };
    Problem p;
    p.code = QStringLiteral("unknown-ca");
    p.severity = Problem::Severity::Error;
    p.title = QStringLiteral("title");
    p.explanation = kHostile;
    p.detail = kHostile;
    p.fix = kHostile;
    r.problems << p;
    return r;
}

} // namespace

class TestSafeText : public QObject
{
    Q_OBJECT
private slots:
    void aFieldStaysOnOneLineWithEveryControlVisible()
    {
        const QString f = SafeText::field(kHostile);
        QVERIFY(!hasUnsafe(f, false));
        QVERIFY(f.contains(QLatin1String("\\x0a")));
        QVERIFY(f.contains(QLatin1String("\\x1b[2J")));
        QVERIFY(f.contains(QLatin1String("\\u{202e}")));
        QVERIFY(f.contains(QLatin1String("\\x85")));
        QVERIFY(f.contains(QLatin1String("\\x09end")));
        QCOMPARE(SafeText::field(QStringLiteral("Grüße, 東京 <ok>")), QStringLiteral("Grüße, 東京 <ok>"));
    }
    void longHostileTextIsBoundedAndSaysHowLongItWas()
    {
        const QString message(30000, QLatin1Char('x'));
        const QString b = SafeText::bounded(message);
        QVERIFY(b.size() <= SafeText::kMaxMessageChars + 60);
        QVERIFY(b.startsWith(QString(2000, QLatin1Char('x'))));
        QVERIFY2(b.contains(QLatin1String("30000")), qPrintable(b.right(60)));
        QCOMPARE(SafeText::bounded(QStringLiteral("short")), QStringLiteral("short"));
    }
    void theTextReportCannotBeForgedByAField()
    {
        const QString text = TextReport::render(hostileReport());
        QVERIFY(!hasUnsafe(text, true));
        // The fake line never starts a line of its own.
        const auto lines = text.split(QLatin1Char('\n'));
        for (const QString &line : lines)
            QVERIFY2(!line.startsWith(QLatin1String("Trust        trusted")), qPrintable(line));
        QVERIFY(text.contains(QLatin1String("\\u{202e}detsurt")));
    }
    void theJsonKeepsTheValuesButWritesNoRawControls()
    {
        const InspectionReport r = hostileReport();
        const QByteArray bytes = ReportJson::toBytes(r);
        const QString asText = QString::fromUtf8(bytes);
        QVERIFY(!hasUnsafe(asText, true));
        QVERIFY(bytes.contains("\\u202e"));
        QVERIFY(bytes.contains("\\u0085"));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        // A JSON reader gets the exact value back.
        QCOMPARE(doc.object().value(QLatin1String("session")).toObject().value(QLatin1String("error")).toString(),
                 kHostile);
    }
    void theHtmlReportEscapesEveryField()
    {
        const QString html = ReportHtml::render(hostileReport());
        QVERIFY(!hasUnsafe(html, true));
        QVERIFY(html.contains(QLatin1String("\\u{202e}")));
    }
};

QTEST_GUILESS_MAIN(TestSafeText)
#include "TestSafeText.moc"
