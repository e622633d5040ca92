// SPDX-License-Identifier: MIT
#include "ReportHtml.h"

#include "SafeText.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace pgtls {

namespace {

// Escaped for HTML text and attributes; controls, newlines and bidi characters shown escaped
// (\x1b, \u{202e}) like the text report, per field.
QString esc(const QString &s)
{
    return SafeText::field(s).toHtmlEscaped();
}

// A libpq, OpenSSL or server message in its own layout: one HTML line per message line, each
// escaped like esc(), libpq's leading tabs kept as indentation.
QString escMessage(const QString &s)
{
    QStringList lines = SafeText::messageLines(s);
    for (QString &line : lines)
        line = QStringLiteral("<span class=\"msgline\">%1</span>").arg(line.toHtmlEscaped());
    return lines.join(QStringLiteral("<br />"));
}

QString yesNo(bool b)
{
    return b ? QCoreApplication::translate("pgtls::ReportHtml", "yes")
             : QCoreApplication::translate("pgtls::ReportHtml", "no");
}

QString row(const QString &label, const QString &valueHtml)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(esc(label), valueHtml);
}

const char *const kStyle = R"(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #1d1d1f; line-height: 1.4; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.verdict { padding: 0.8em 1em; border-radius: 6px; font-weight: 600; }
.ok { background: #d8f0dc; border-left: 6px solid #1e7b34; }
.warn { background: #fdf0c8; border-left: 6px solid #9a6b00; }
.fail { background: #f8d7d7; border-left: 6px solid #a61b1b; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { text-align: left; padding: 0.2em 0.8em 0.2em 0; vertical-align: top; }
th { font-weight: 600; white-space: nowrap; } code, .mono { font-family: ui-monospace, monospace; font-size: 0.92em; word-break: break-all; } .msgline { white-space: pre-wrap; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; margin: 0.6em 0; }
.problem { margin: 0.6em 0; padding: 0.5em 1em; border-left: 4px solid #999; background: #f6f6f6; }
.problem.error { border-color: #a61b1b; } .problem.warning { border-color: #9a6b00; } .problem.info { border-color: #5b6b7a; }
.matrix td, .matrix th { border-bottom: 1px solid #ddd; padding: 0.2em 0.8em; } .chosen { font-weight: 700; }
footer { margin-top: 2em; color: #666; font-size: 0.85em; }
)";

QString problemsHtml(const InspectionReport &r)
{
    QString h;
    for (const Problem &p : r.problems) {
        h += QStringLiteral("<div class=\"problem %1\"><div><strong>%2</strong> <code>%3</code></div>\n")
                 .arg(Problem::severityName(p.severity), esc(p.title), esc(p.code));
        h += QStringLiteral("<div>%1</div>\n").arg(esc(p.explanation));
        if (!p.fix.isEmpty())
            h += QStringLiteral("<div><em>%1</em> %2</div>\n")
                     .arg(
                         esc(QCoreApplication::translate("pgtls::ReportHtml", "Fix:")), esc(p.fix));
        if (!p.detail.isEmpty())
            h += QStringLiteral("<div class=\"mono\">%1</div>\n").arg(escMessage(p.detail));
        h += QStringLiteral("</div>\n");
    }
    return h;
}

QString certificateHtml(const CertificateInfo &c, const QString &role, const QDateTime &now)
{
    QString h = QStringLiteral("<div class=\"card\"><div><strong>%1</strong>: %2</div>\n<table>\n")
                    .arg(esc(role), esc(c.subjectCommonName.isEmpty() ? c.subject : c.subjectCommonName));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Subject"), esc(c.subject));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Issuer"), esc(c.issuer));
    QString validity = esc(c.notBefore.toString(Qt::ISODate) + QStringLiteral(" – ") + c.notAfter.toString(Qt::ISODate));
    if (c.isExpiredAt(now))
        validity += QStringLiteral(" <strong>%1</strong>")
                        .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "expired")));
    else if (c.isNotYetValidAt(now))
        validity
            += QStringLiteral(" <strong>%1</strong>")
                   .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "not yet valid")));
    else
        validity += esc(QCoreApplication::translate("pgtls::ReportHtml", " (%1 days left)")
                            .arg(now.daysTo(c.notAfter)));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Valid"), validity);
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Key"),
        esc(QStringLiteral("%1 %2 %3").arg(c.keyType).arg(c.keyBits).arg(c.keyCurve).trimmed()));
    h += row(
        QCoreApplication::translate("pgtls::ReportHtml", "Signature"), esc(c.signatureAlgorithm));
    if (!c.sanDns.isEmpty() || !c.sanIp.isEmpty())
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "SAN"),
            esc((c.sanDns + c.sanIp).join(QStringLiteral(", "))));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Serial"),
        QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(c.serial)));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "SHA-256"),
        QStringLiteral("<span class=\"mono\">%1</span>").arg(esc(c.sha256)));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "CA"),
        esc(yesNo(c.isCa))
            + (c.selfSigned ? esc(QCoreApplication::translate("pgtls::ReportHtml", ", self-signed"))
                            : QString()));
    h += QStringLiteral("</table></div>\n");
    return h;
}

} // namespace

QString ReportHtml::render(const InspectionReport &r)
{
    const ProbeResult &p = r.probe;
    const Endpoint &e = r.endpoint;
    const bool failed = r.level() == InspectionReport::Level::Failed;
    const bool warnings = r.level() == InspectionReport::Level::Warning;
    const QString cls = failed ? QStringLiteral("fail") : warnings ? QStringLiteral("warn") : QStringLiteral("ok");
    const QString mark = failed ? QCoreApplication::translate("pgtls::ReportHtml", "FAILED")
        : warnings              ? QCoreApplication::translate("pgtls::ReportHtml", "WARNING")
                                : QCoreApplication::translate("pgtls::ReportHtml", "OK");

    QString h;
    h += QStringLiteral(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"utf-8\" />\n<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n")
             .arg(
                 esc(QCoreApplication::translate("pgtls::ReportHtml", "PG TLS Inspector report: %1")
                         .arg(e.host.isEmpty() ? e.hostaddr : e.host)),
                 QString::fromLatin1(kStyle));
    h += QStringLiteral("<h1>%1</h1>\n")
             .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "How %1:%2 is secured")
                          .arg(e.host.isEmpty() ? e.hostaddr : e.host)
                          .arg(e.port)));
    h += QStringLiteral("<div class=\"verdict %1\">%2: %3</div>\n").arg(cls, esc(mark), esc(r.summary));
    h += problemsHtml(r);

    h += QStringLiteral("<h2>%1</h2>\n<table>\n")
             .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "Endpoint")));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Host"), esc(e.host));
    if (!e.hostaddr.isEmpty())
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "Connected to (hostaddr)"),
            esc(e.hostaddr));
    h += row(
        QCoreApplication::translate("pgtls::ReportHtml", "Port"), esc(QString::number(e.port)));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Database / user"),
        esc(e.dbname + QStringLiteral(" / ") + e.user));
    h += row(
        QCoreApplication::translate("pgtls::ReportHtml", "sslmode"), esc(sslModeName(e.sslmode)));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "CA file"),
        esc(r.rootCert.path.isEmpty() ? QCoreApplication::translate("pgtls::ReportHtml", "none")
                                      : r.rootCert.path)
            + esc(!r.rootCert.path.isEmpty() && !r.rootCert.exists
                    ? (r.rootCert.named()
                            ? QCoreApplication::translate(
                                "pgtls::ReportHtml", " (named by sslrootcert; does not exist)")
                            : QCoreApplication::translate(
                                "pgtls::ReportHtml", " (libpq's default; does not exist)"))
                    : QString())
            + esc(!r.rootCert.tlsStartError().isEmpty() && e.sslmode != SslMode::Disable
                    ? QCoreApplication::translate(
                        "pgtls::ReportHtml", " (libpq fails before the handshake: %1)")
                          .arg(r.rootCert.tlsStartError())
                    : r.rootCert.verifies
                    ? QCoreApplication::translate("pgtls::ReportHtml", " (the chain is verified)")
                    : QCoreApplication::translate(
                        "pgtls::ReportHtml", " (the chain is not verified)")));
    if (r.probeLibpq.predicted())
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "libpq would"),
            esc(QCoreApplication::translate("pgtls::ReportHtml", "TLS: %1; plaintext: %2")
                    .arg(LibpqPrediction::tlsName(r.probeLibpq.tls)
                            + (r.probeLibpq.tlsFailure.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" (%1)").arg(r.probeLibpq.tlsFailure)),
                        LibpqPrediction::fallbackName(r.probeLibpq.fallback))));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "Checked at"),
        esc(r.now.toString(Qt::ISODate)));
    h += QStringLiteral("</table>\n");

    h += QStringLiteral("<h2>%1</h2>\n<table>\n")
             .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "TLS")));
    h += row(QCoreApplication::translate("pgtls::ReportHtml", "SSLRequest answer"),
        esc(p.sslResponse.isEmpty() ? QCoreApplication::translate("pgtls::ReportHtml", "none")
                                    : p.sslResponse));
    if (!p.protocol.isEmpty()) {
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "Protocol / cipher"),
            esc(p.protocol + QStringLiteral(" / ") + p.cipher));
        h += row(
            QCoreApplication::translate("pgtls::ReportHtml", "Key exchange group"), esc(p.group));
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "SNI"),
            esc(p.sni.isEmpty() ? QCoreApplication::translate("pgtls::ReportHtml", "not sent")
                                : p.sni));
    }
    if (!p.error.isEmpty())
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "Probe error"), esc(p.error));
    h += QStringLiteral("</table>\n");

    if (!p.chain.isEmpty()) {
        h += QStringLiteral("<h2>%1</h2>\n")
                 .arg(esc(QCoreApplication::translate(
                     "pgtls::ReportHtml", "Certificate chain (as sent, leaf first)")));
        for (int i = 0; i < p.chain.size(); ++i) {
            const CertificateInfo &c = p.chain.at(i);
            const QString role = i == 0 ? QCoreApplication::translate("pgtls::ReportHtml", "Server")
                : c.selfSigned          ? QCoreApplication::translate("pgtls::ReportHtml", "Root")
                               : QCoreApplication::translate("pgtls::ReportHtml", "Intermediate");
            h += certificateHtml(c, role, r.now);
        }
        h += QStringLiteral("<table>\n");
        if (!p.trust.attempted)
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "Trust"),
                esc(p.trust.error.isEmpty() ? QCoreApplication::translate(
                        "pgtls::ReportHtml", "not verified (no CA file in use)")
                                            : p.trust.error));
        else if (p.trust.trusted)
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "Trust"),
                esc(QCoreApplication::translate("pgtls::ReportHtml", "trusted, anchored by %1")
                        .arg(p.trust.anchorSubject))
                    + QStringLiteral("<br /><span class=\"mono\">%1</span>")
                          .arg(esc(p.trust.anchorSha256)));
        else {
            QString text = esc(QCoreApplication::translate("pgtls::ReportHtml", "NOT trusted: %1")
                                   .arg(p.trust.error));
            if (!p.trust.anchorSha256.isEmpty())
                text += QStringLiteral("<br />")
                    + esc(QCoreApplication::translate("pgtls::ReportHtml",
                        "The chain reaches %1 of %2 (that file holds its anchor).")
                              .arg(p.trust.anchorSubject, p.trust.caFile))
                    + QStringLiteral("<br /><span class=\"mono\">%1</span>")
                          .arg(esc(p.trust.anchorSha256));
            else if (!p.trust.chain.isEmpty())
                text += QStringLiteral("<br />")
                    + esc(QCoreApplication::translate(
                        "pgtls::ReportHtml", "No certificate of %1 anchors the chain.")
                              .arg(p.trust.caFile));
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "Trust"), text);
            for (const CertificateIssue &i : p.trust.issues) {
                const CertificateInfo c = p.trust.certificateAt(i.depth, p.chain);
                QString when;
                if (i.code == QLatin1String("expired") && c.notAfter.isValid())
                    when = QCoreApplication::translate("pgtls::ReportHtml", " (valid until %1)")
                               .arg(c.notAfter.toString(Qt::ISODate));
                else if (i.code == QLatin1String("not-yet-valid") && c.notBefore.isValid())
                    when = QCoreApplication::translate("pgtls::ReportHtml", " (valid from %1)")
                               .arg(c.notBefore.toString(Qt::ISODate));
                h += row(QCoreApplication::translate("pgtls::ReportHtml", "Problem at depth %1")
                             .arg(i.depth),
                    esc(QStringLiteral("%1: %2: %3%4").arg(c.subject, i.code, i.detail, when)));
            }
        }
        if (p.trust.attempted)
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "Revocation"),
                esc(p.trust.crlChecked
                        ? QCoreApplication::translate("pgtls::ReportHtml",
                            "checked against %1 (%2 CRLs)")
                              .arg(QStringList { p.trust.crlFile, p.trust.crlDir }
                                       .filter(QRegularExpression(QStringLiteral(".")))
                                       .join(QStringLiteral(", ")))
                              .arg(p.trust.crlCount)
                        : QCoreApplication::translate("pgtls::ReportHtml", "not checked"))
                    + (p.trust.crlNote.isEmpty()
                            ? QString()
                            : QStringLiteral("<br />") + esc(p.trust.crlNote)));
        h += QStringLiteral("</table>\n");
    }

    if (p.hostMatch) {
        const HostMatch &m = *p.hostMatch;
        h += QStringLiteral("<h2>%1</h2>\n<p>%2</p>\n<table>\n")
                 .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "Host name")),
                     esc(m.matched ? QCoreApplication::translate(
                             "pgtls::ReportHtml", "\"%1\" matches %2 \"%3\"")
                                         .arg(m.checkedName, m.by, m.entry)
                                   : QCoreApplication::translate(
                                       "pgtls::ReportHtml", "\"%1\" does not match: %2")
                                         .arg(m.checkedName, m.error)));
        for (const HostNameCandidate &c : m.candidates)
            h += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td><td>%3</td></tr>\n")
                     .arg(esc(c.matched ? QStringLiteral("✔ ") + hostNameKindName(c.kind) : hostNameKindName(c.kind)),
                          esc(c.value), esc(c.reason));
        h += QStringLiteral("</table>\n");
    }

    const SessionResult &s = r.session;
    if (s.attempted) {
        h += QStringLiteral("<h2>%1</h2>\n<table>\n")
                 .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "Session (libpq)")));
        h += row(QCoreApplication::translate("pgtls::ReportHtml", "Connected"),
            s.connected ? esc(yesNo(true))
                        : esc(QCoreApplication::translate("pgtls::ReportHtml", "no:"))
                    + QStringLiteral("<div class=\"mono\">%1</div>").arg(escMessage(s.error)));
        if (s.connected) {
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "TLS (libpq)"),
                esc(s.sslInUse ? QStringLiteral("%1, %2").arg(s.protocol, s.cipher)
                               : QCoreApplication::translate("pgtls::ReportHtml", "not in use")));
            if (s.sslIsUsed)
                h += row(QCoreApplication::translate("pgtls::ReportHtml", "ssl_is_used()"),
                    esc(QStringLiteral("%1 (%2)").arg(
                        *s.sslIsUsed ? QStringLiteral("true") : QStringLiteral("false"),
                        s.sslIsUsedSource)));
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "SHOW ssl"), esc(s.showSsl));
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "rds.force_ssl"),
                esc(s.rdsForceSsl.value_or(QCoreApplication::translate(
                    "pgtls::ReportHtml", "(not an RDS parameter here)"))));
            h += row(QCoreApplication::translate("pgtls::ReportHtml", "Server version"),
                esc(s.serverVersion));
        }
        h += QStringLiteral("</table>\n");
    }
    if (r.plaintext.tested) {
        h += QStringLiteral("<h2>%1</h2>\n<p>%2</p>\n")
                 .arg(esc(QCoreApplication::translate(
                          "pgtls::ReportHtml", "Unencrypted connections")),
                     esc((r.plaintext.accepted.value_or(false)
                                 ? QCoreApplication::translate("pgtls::ReportHtml", "Accepted. ")
                                 : r.plaintext.accepted
                                 ? QCoreApplication::translate("pgtls::ReportHtml", "Refused. ")
                                 : QString())
                         + r.plaintext.explanation));
    }
    if (!r.matrix.isEmpty()) {
        h += QStringLiteral("<h2>%1</h2>\n<table "
                            "class=\"matrix\">\n<tr><th>sslmode</th><th>%2</th><th>%3</th><th>%4</"
                            "th><th>%5</th><th>%6</th><th></th></tr>\n")
                 .arg(esc(QCoreApplication::translate("pgtls::ReportHtml", "sslmode matrix")),
                     esc(QCoreApplication::translate("pgtls::ReportHtml", "connected")),
                     esc(QCoreApplication::translate("pgtls::ReportHtml", "encrypted")),
                     esc(QCoreApplication::translate("pgtls::ReportHtml", "CA verified")),
                     esc(QCoreApplication::translate("pgtls::ReportHtml", "host verified")),
                     esc(QCoreApplication::translate("pgtls::ReportHtml", "MITM-safe")));
        for (const MatrixRow &m : r.matrix) {
            h += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td><td>%8</td></tr>\n")
                     .arg(m.sslmode == e.sslmode ? QStringLiteral(" class=\"chosen\"") : QString(), esc(sslModeName(m.sslmode)),
                          esc(yesNo(m.connected)), esc(yesNo(m.encrypted)), esc(yesNo(m.caVerified)),
                          esc(yesNo(m.hostVerified)), esc(yesNo(m.mitmSafe)),
                          esc(m.note));
        }
        h += QStringLiteral("</table>\n");
    }
    h += QStringLiteral("<footer>%1</footer>\n</body>\n</html>\n")
             .arg(esc(QCoreApplication::translate(
                 "pgtls::ReportHtml", "PG TLS Inspector %1, %2, total %3 ms")
                          .arg(QStringLiteral(PGTLS_VERSION), r.startedAt.toString(Qt::ISODate))
                          .arg(r.totalMs)));
    return h;
}

} // namespace pgtls
