// SPDX-License-Identifier: MIT
// The text, JSON and HTML reports of an InspectionReport whose server-, certificate- and
// file-derived strings (subjects, issuers, SANs, libpq and OpenSSL texts, server version, paths...)
// come from the input (FuzzCommon's decodeText(): every C0 control, DEL, C1 controls, bidi
// controls, separators, lone surrogates...); flags and counts come from the input too.
// Asserts: no crash or leak; the text report holds no C0 control but newline and tab, no DEL, no
// C1 control, no bidi control, and has exactly as many lines that are empty or start at column 0
// as the same report with every string replaced by "x" (so no field starts a line of its own; a
// libpq message's further lines are indented); the JSON parses and its bytes hold no raw C1 or bidi
// control; the HTML holds no raw control (C0 but newline and tab, C1, bidi) and parses as XML.

#include "FuzzCommon.h"
#include "InspectionReport.h"
#include "ReportHtml.h"
#include "ReportJson.h"
#include "TextReport.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QXmlStreamReader>

#include <fuzzer/FuzzedDataProvider.h>

using namespace pgtls;

namespace {

// The strings of one report, handed out in a fixed order.
class Strings
{
public:
    explicit Strings(QStringList list) : m_list(std::move(list)) { }
    QString next() { return m_list.at(m_next++ % m_list.size()); }

private:
    QStringList m_list;
    qsizetype m_next = 0;
};

struct Flags
{
    quint64 bits = 0;
    int counter = 0;
    bool next() { return (bits >> (counter++ % 64)) & 1; }
};

const QStringList problemCodes = { QStringLiteral("host-mismatch"), QStringLiteral("expired"),
                                   QStringLiteral("not-postgres"), QStringLiteral("plaintext-accepted"),
                                   QStringLiteral("timeout") };

// Lines that are empty or start at column 0 (what a reader takes for a new section or verdict).
qsizetype outerLines(const QString &text)
{
    qsizetype n = 0;
    const auto all = QStringView(text).split(QLatin1Char('\n'));
    for (QStringView line : all) {
        if (line.isEmpty() || line.front() != QLatin1Char(' '))
            ++n;
    }
    return n;
}

CertificateInfo certificate(Strings &s, Flags &f)
{
    CertificateInfo c;
    c.der = s.next().toUtf8().prepend('0');
    c.subject = s.next();
    c.issuer = s.next();
    c.subjectCommonName = s.next();
    c.serial = s.next();
    c.notBefore = QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
    c.notAfter = QDateTime(QDate(f.next() ? 2025 : 2027, 6, 1), QTime(0, 0), Qt::UTC);
    c.sha256 = s.next();
    c.keyType = s.next();
    c.keyBits = 2048;
    c.keyCurve = s.next();
    c.signatureAlgorithm = s.next();
    c.sanDns = QStringList{ s.next(), s.next() };
    if (f.next())
        c.sanIp << s.next();
    c.isCa = f.next();
    c.selfSigned = f.next();
    return c;
}

InspectionReport build(Strings &s, Flags f)
{
    InspectionReport r;
    r.endpoint.host = s.next();
    r.endpoint.hostaddr = s.next();
    r.endpoint.dbname = s.next();
    r.endpoint.user = s.next();
    r.endpoint.sslrootcert = s.next();
    r.endpoint.extraOptions.insert(QStringLiteral("application_name"), s.next());
    r.rootCert.path = s.next();
    r.rootCert.exists = f.next();
    r.rootCert.verifies = f.next();
    r.rootCert.error = s.next();
    r.startedAt = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    r.now = r.startedAt;
    r.probeOnly = f.next();
    r.summary = s.next();
    r.ok = f.next();
    r.totalMs = 42;

    ProbeResult &p = r.probe;
    p.outcome = f.next() ? ProbeResult::Outcome::TlsEstablished : ProbeResult::Outcome::Failed;
    p.connectedAddress = s.next();
    p.triedAddresses << s.next();
    p.sslResponse = f.next() ? QStringLiteral("S") : s.next();
    p.tlsOffered = f.next();
    p.sni = s.next();
    p.protocol = s.next();
    p.cipher = s.next();
    p.group = s.next();
    p.chain << certificate(s, f);
    if (f.next())
        p.chain << certificate(s, f);
    p.trust.attempted = f.next();
    p.trust.trusted = f.next();
    p.trust.caFile = s.next();
    p.trust.anchorSha256 = s.next();
    p.trust.anchorSubject = s.next();
    p.trust.error = s.next();
    p.trust.issues << CertificateIssue{ 1, QStringLiteral("unknown-issuer"), 20, s.next() };
    if (f.next()) {
        HostMatch h;
        h.checkedName = s.next();
        h.matched = f.next();
        h.by = h.matched ? QStringLiteral("san-dns") : QStringLiteral("none");
        h.entry = s.next();
        h.error = s.next();
        h.namesExamined = 2;
        for (int i = 0; i < 2; ++i) {
            HostNameCandidate c;
            c.kind = i == 0 ? HostNameCandidate::Kind::SanDns : HostNameCandidate::Kind::Cn;
            c.value = s.next();
            c.reason = s.next();
            c.examined = true;
            c.matched = h.matched && i == 0;
            h.candidates << c;
        }
        p.hostMatch = h;
    }
    p.error = s.next();
    p.errorCode = QStringLiteral("not-postgres");
    p.timings = { 1, 2, 3, 4, 5 };

    SessionResult &ss = r.session;
    ss.attempted = f.next();
    ss.connected = f.next();
    ss.sslInUse = f.next();
    ss.protocol = s.next();
    ss.cipher = s.next();
    ss.compression = s.next();
    if (f.next())
        ss.sslIsUsed = f.next();
    ss.sslIsUsedSource = s.next();
    ss.sslinfoInstalled = f.next();
    if (f.next())
        ss.pgStatSsl = f.next();
    ss.pgStatSslVersion = s.next();
    ss.pgStatSslCipher = s.next();
    ss.showSsl = s.next();
    if (f.next())
        ss.rdsForceSsl = s.next();
    ss.serverVersion = s.next();
    ss.serverAddress = s.next();
    ss.error = s.next();
    ss.errorCode = QStringLiteral("connection-failed");
    ss.queryError = s.next();
    ss.connectMs = 7;

    PlaintextResult &pt = r.plaintext;
    pt.tested = f.next();
    pt.verdict = PlaintextResult::Verdict::AcceptedAuthRequired;
    if (f.next())
        pt.accepted = f.next();
    pt.detail = s.next();
    pt.explanation = s.next();
    pt.attempt.error = s.next();
    pt.reference.error = s.next();

    r.matrixRequested = f.next();
    if (r.matrixRequested) {
        for (SslMode mode : { SslMode::Disable, SslMode::VerifyFull }) {
            MatrixRow m;
            m.sslmode = mode;
            m.connected = f.next();
            m.note = s.next();
            m.error = s.next();
            m.errorCode = QStringLiteral("connection-failed");
            r.matrix << m;
        }
    }
    for (int i = 0; i < 2; ++i) {
        Problem pr;
        pr.code = problemCodes.at(int((f.bits >> (8 * i)) & 0xff) % problemCodes.size());
        pr.severity = f.next() ? Problem::Severity::Error : Problem::Severity::Warning;
        pr.title = s.next();
        pr.detail = s.next();
        pr.explanation = s.next();
        pr.fix = s.next();
        r.problems << pr;
    }
    return r;
}

// What a sanitised output must not hold raw. `allowedC0` lists the C0 controls it may hold.
void requireNoControls(const QString &text, const char *output, const char *allowedC0)
{
    const QList<uint> ucs4 = text.toUcs4();
    for (const uint u : ucs4) {
        const bool c0 = u < 0x20 && !strchr(allowedC0, char(u));
        if (c0 || u == 0x7f || fuzz::isC1(u) || fuzz::isBidiControl(u)) {
            const QByteArray what = QByteArray(output) + " holds a raw control character";
            if (fuzz::skipped(what.constData()))
                continue;
            std::fprintf(stderr, "%s: raw U+%04X\n", output, u);
            fuzz::violated(what.constData());
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_report";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);

    FuzzedDataProvider in(data, size);
    Flags flags;
    flags.bits = in.ConsumeIntegral<quint64>();
    QStringList strings;
    QStringList placeholders;
    while (in.remaining_bytes() > 0 && strings.size() < 120) {
        const std::string bytes = in.ConsumeRandomLengthString(200);
        const QString text = fuzz::decodeText(reinterpret_cast<const uint8_t *>(bytes.data()),
                                              bytes.size());
        strings << text;
        placeholders << (text.isEmpty() ? QString() : QStringLiteral("x"));
    }
    if (strings.isEmpty())
        strings << QString(), placeholders << QString();

    Strings fuzzed(strings);
    Strings plain(placeholders);
    const InspectionReport report = build(fuzzed, flags);
    const InspectionReport reference = build(plain, flags);

    const QString text = TextReport::render(report);
    requireNoControls(text, "text report", "\n\t");
    // libpq's messages keep their line breaks, indented under their first line: a field may add
    // indented lines, never a line that starts at column 0 (a heading, a verdict) nor an empty one.
    const qsizetype lines = outerLines(text);
    const qsizetype referenceLines = outerLines(TextReport::render(reference));
    fuzz::require(lines == referenceLines, "a field started a line of the text report at column 0");

    const QByteArray json = ReportJson::toBytes(report);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    fuzz::require(error.error == QJsonParseError::NoError && doc.isObject(),
                  "the JSON report does not parse", error.errorString());
    const QString jsonText = QString::fromUtf8(json);
    for (const uint u : jsonText.toUcs4()) {
        if (fuzz::isC1(u) || fuzz::isBidiControl(u)) {
            if (fuzz::skipped("the JSON bytes hold a raw C1 or bidi control"))
                break;
            std::fprintf(stderr, "JSON report: raw U+%04X\n", u);
            fuzz::violated("the JSON bytes hold a raw C1 or bidi control");
        }
    }

    QString html = ReportHtml::render(report);
    requireNoControls(html, "HTML report", "\n\t");
    html.remove(QStringLiteral("<!DOCTYPE html>\n"));
    QXmlStreamReader xml(html);
    while (!xml.atEnd())
        xml.readNext();
    fuzz::require(!xml.hasError(), "the HTML report is not well-formed",
                  xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber()));
    return 0;
}
