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
    void aLibpqMessageKeepsItsLinesIndentedUnderTheFirst()
    {
        const QString libpq = QStringLiteral(
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
            "\tIs the server running on that host and accepting TCP/IP connections?\n");
        QCOMPARE(SafeText::message(libpq, QStringLiteral("   ")),
                 QStringLiteral("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                                "       Is the server running on that host and accepting TCP/IP connections?"));
        QCOMPARE(SafeText::messageLines(libpq).size(), 2);
        // Only what is dangerous is escaped: a control inside a line, never the layout.
        QCOMPARE(SafeText::message(QStringLiteral("a\x1b[2J\n\nb\tc"), QStringLiteral("  ")),
                 QStringLiteral("a\\x1b[2J\n  b\\x09c"));
    }
    void linesTurnTabsThatStartALineIntoIndentation()
    {
        QCOMPARE(SafeText::lines(QStringLiteral("a\n\tb\tc\n\t\td")),
                 QStringLiteral("a\n    b\\x09c\n        d"));
        // Idempotent, as widgets apply it to text they already showed.
        const QString once = SafeText::lines(kHostile + QStringLiteral("\n\tx"));
        QCOMPARE(SafeText::lines(once), once);
    }
    void aMessageNeverStartsALineAtColumnZero()
    {
        // Whatever the caller passes as indentation, and whatever the message holds.
        const QString m = SafeText::message(kHostile + QStringLiteral("\nFAIL: forged"), QString());
        const auto lines = m.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        for (qsizetype i = 1; i < lines.size(); ++i)
            QVERIFY2(lines.at(i).startsWith(QLatin1Char(' ')), qPrintable(lines.at(i)));
        QVERIFY(!hasUnsafe(m, true));
    }
    void theTextReportShowsLibpqsLinesAsLines()
    {
        InspectionReport r;
        r.endpoint.host = QStringLiteral("db.example.com");
        r.summary = QStringLiteral("Failed");
        r.probeOnly = false;
        r.session.attempted = true;
        r.session.error = QStringLiteral("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                                         "\tIs the server running on that host and accepting TCP/IP connections?");
        const QString text = TextReport::render(r);
        QVERIFY2(text.contains(QStringLiteral("  connected    no: connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                                              "                       Is the server running on that host")),
                 qPrintable(text));
        QVERIFY(!text.contains(QLatin1String("\\x09")));
        QVERIFY(!text.contains(QLatin1String(" / ")));
        const QString html = ReportHtml::render(r);
        QVERIFY2(html.contains(QLatin1String("Connection refused</span><br /><span class=\"msgline\">    Is the server")),
                 qPrintable(html));
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
