// SPDX-License-Identifier: MIT
#include "TextReport.h"

#include <QCoreApplication>
#include <QTextStream>

namespace pgtls {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("pgtls::TextReport", text);
}

QString role(int index, int count, const CertificateInfo &c)
{
    if (index == 0)
        return tr("server");
    if (c.selfSigned)
        return tr("root");
    if (index == count - 1 && c.isCa)
        return tr("intermediate");
    return c.isCa ? tr("intermediate") : tr("certificate");
}

QString validity(const CertificateInfo &c, const QDateTime &now)
{
    const QString range = tr("%1 to %2").arg(c.notBefore.toString(Qt::ISODate), c.notAfter.toString(Qt::ISODate));
    if (c.isExpiredAt(now))
        return range + tr("  EXPIRED %1 days ago").arg(c.notAfter.daysTo(now));
    if (c.isNotYetValidAt(now))
        return range + tr("  NOT YET VALID (starts in %1 days)").arg(now.daysTo(c.notBefore));
    return range + tr("  (%1 days left)").arg(now.daysTo(c.notAfter));
}

QString keyText(const CertificateInfo &c)
{
    QString k = QStringLiteral("%1 %2").arg(c.keyType).arg(c.keyBits);
    if (!c.keyCurve.isEmpty())
        k += QStringLiteral(" (%1)").arg(c.keyCurve);
    return k + QStringLiteral(", ") + c.signatureAlgorithm;
}

} // namespace

QString TextReport::render(const InspectionReport &r)
{
    QString out;
    QTextStream s(&out);
    const ProbeResult &p = r.probe;
    const bool hasWarnings = std::any_of(r.problems.cbegin(), r.problems.cend(),
                                         [](const Problem &pr) { return !pr.isError(); });
    const QString mark = !r.ok ? QStringLiteral("FAIL") : hasWarnings ? QStringLiteral("WARN") : QStringLiteral("OK");
    s << mark << QStringLiteral(": ") << r.summary << '\n' << '\n';

    const Endpoint &e = r.endpoint;
    s << tr("Endpoint     ") << (e.host.isEmpty() ? tr("(no host)") : e.host);
    if (!e.hostaddr.isEmpty())
        s << tr(" (connecting to hostaddr %1)").arg(e.hostaddr);
    s << tr(", port %1, sslmode %2").arg(e.port).arg(sslModeName(e.sslmode)) << '\n';
    s << tr("CA file      ");
    if (r.rootCert.path.isEmpty())
        s << tr("none");
    else
        s << r.rootCert.path << (r.rootCert.isDefault ? tr(" (libpq's default)") : QString())
          << (r.rootCert.exists ? QString() : tr(" (does not exist)"));
    s << (r.rootCert.verifies ? tr(" - the chain is verified") : tr(" - the chain is NOT verified in this sslmode"))
      << '\n';
    if (!p.connectedAddress.isEmpty())
        s << tr("Connected    %1").arg(p.connectedAddress) << '\n';
    if (!p.sslResponse.isEmpty())
        s << tr("SSLRequest   answered %1").arg(p.sslResponse == QLatin1String("S") ? tr("'S' (TLS offered)")
                                                 : p.sslResponse == QLatin1String("N") ? tr("'N' (TLS refused)")
                                                                                        : p.sslResponse)
          << '\n';
    if (!p.protocol.isEmpty()) {
        s << tr("TLS          %1, cipher %2").arg(p.protocol, p.cipher);
        if (!p.group.isEmpty())
            s << tr(", group %1").arg(p.group);
        s << tr(", SNI %1").arg(p.sni.isEmpty() ? tr("not sent") : p.sni) << '\n';
    }

    if (!p.chain.isEmpty()) {
        s << '\n' << tr("Certificate chain as sent by the server (leaf first):") << '\n';
        for (int i = 0; i < p.chain.size(); ++i) {
            const CertificateInfo &c = p.chain.at(i);
            s << QStringLiteral(" [%1] %2: %3").arg(i).arg(role(i, p.chain.size(), c), c.subject) << '\n';
            s << tr("     issuer   %1").arg(c.issuer) << '\n';
            s << tr("     valid    %1").arg(validity(c, r.now)) << '\n';
            s << tr("     key      %1").arg(keyText(c)) << '\n';
            if (!c.sanDns.isEmpty() || !c.sanIp.isEmpty())
                s << tr("     SAN      %1").arg((c.sanDns + c.sanIp).join(QStringLiteral(", "))) << '\n';
            s << tr("     serial   %1").arg(c.serial) << '\n';
            s << tr("     SHA-256  %1").arg(c.sha256) << '\n';
        }
        s << '\n';
        if (!p.trust.attempted) {
            s << tr("Trust        not verified (no CA file in use)") << '\n';
        } else if (p.trust.trusted) {
            s << tr("Trust        trusted, anchored by %1").arg(p.trust.anchorSubject) << '\n'
              << tr("             anchor SHA-256 %1 (from %2)").arg(p.trust.anchorSha256, p.trust.caFile) << '\n';
        } else {
            s << tr("Trust        NOT trusted: %1").arg(p.trust.error) << '\n';
            for (const CertificateIssue &i : p.trust.issues)
                s << tr("             [%1] %2: %3").arg(i.depth).arg(i.code, i.detail) << '\n';
        }
        if (p.hostMatch) {
            const HostMatch &h = *p.hostMatch;
            s << tr("Host name    \"%1\" ").arg(h.checkedName);
            if (h.matched)
                s << tr("matches %1 entry \"%2\"").arg(h.by, h.entry);
            else
                s << tr("does NOT match: %1").arg(h.error);
            if (e.sslmode != SslMode::VerifyFull)
                s << tr(" (checked only under verify-full)");
            s << '\n';
            for (const HostNameCandidate &c : h.candidates) {
                s << QStringLiteral("             %1 %2 \"%3\": %4")
                         .arg(c.matched ? QStringLiteral("*") : QStringLiteral("-"), hostNameKindName(c.kind),
                              c.value, c.reason)
                  << '\n';
            }
        }
    }

    const SessionResult &ss = r.session;
    if (ss.attempted) {
        s << '\n' << tr("Session (libpq, sslmode=%1):").arg(sslModeName(e.sslmode)) << '\n';
        if (ss.connected) {
            s << tr("  connected    yes, %1").arg(ss.sslInUse ? tr("TLS in use: %1, %2, %3-bit key").arg(ss.protocol, ss.cipher).arg(ss.keyBits)
                                                         : tr("WITHOUT TLS"))
              << '\n';
            if (ss.sslIsUsed.has_value())
                s << tr("  server says  ssl_is_used = %1 (from %2)")
                         .arg(*ss.sslIsUsed ? QStringLiteral("true") : QStringLiteral("false"), ss.sslIsUsedSource)
                  << '\n';
            if (!ss.sslinfoInstalled)
                s << tr("               sslinfo is not installed (CREATE EXTENSION sslinfo gives ssl_is_used())") << '\n';
            if (ss.pgStatSsl.has_value())
                s << tr("  pg_stat_ssl  ssl=%1 %2 %3 %4").arg(*ss.pgStatSsl ? QStringLiteral("t") : QStringLiteral("f"),
                                                        ss.pgStatSslVersion, ss.pgStatSslCipher,
                                                        ss.pgStatSslBits ? QString::number(ss.pgStatSslBits) : QString())
                  << '\n';
            s << tr("  server       PostgreSQL %1, ssl=%2, rds.force_ssl=%3")
                     .arg(ss.serverVersion, ss.showSsl, ss.rdsForceSsl ? *ss.rdsForceSsl : tr("(not an RDS parameter here)"))
              << '\n';
        } else {
            s << tr("  connected    no: %1").arg(QString(ss.error).replace(QLatin1Char('\n'), QLatin1String(" / "))) << '\n';
        }
    }
    if (r.plaintext.tested) {
        const QString answer = !r.plaintext.accepted.has_value() ? tr("unknown")
            : *r.plaintext.accepted                               ? tr("ACCEPTED")
                                                                  : tr("refused");
        s << tr("Plaintext    %1 (%2): %3").arg(answer, PlaintextResult::verdictName(r.plaintext.verdict), r.plaintext.explanation)
          << '\n';
    }
    if (!r.matrix.isEmpty()) {
        s << '\n' << tr("sslmode matrix:          connected encrypted CA-verified host-verified MITM-safe") << '\n';
        auto yn = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
        for (const MatrixRow &m : r.matrix) {
            s << QStringLiteral("  %1%2 %3 %4 %5 %6 %7  %8")
                     .arg(m.sslmode == e.sslmode ? QStringLiteral("> ") : QStringLiteral("  "))
                     .arg(sslModeName(m.sslmode), -12)
                     .arg(yn(m.connected), -9)
                     .arg(yn(m.encrypted), -9)
                     .arg(yn(m.caVerified), -11)
                     .arg(yn(m.hostVerified), -13)
                     .arg(yn(m.mitmSafe), -9)
                     .arg(m.connected ? m.note : m.errorCode)
              << '\n';
        }
    }

    const ProbeTimings &t = p.timings;
    s << tr("Timings      ");
    QStringList parts;
    if (t.tcp >= 0)
        parts << tr("TCP %1 ms").arg(ProbeTimings::stepMs(t.tcp, t.resolve));
    if (t.sslRequest >= 0)
        parts << tr("SSLRequest %1 ms").arg(ProbeTimings::stepMs(t.sslRequest, t.tcp));
    if (t.tls >= 0)
        parts << tr("TLS handshake %1 ms").arg(ProbeTimings::stepMs(t.tls, t.sslRequest));
    if (ss.attempted && ss.connectMs >= 0)
        parts << tr("session %1 ms").arg(ss.connectMs);
    parts << tr("total %1 ms").arg(r.totalMs);
    s << parts.join(QStringLiteral(", ")) << '\n';

    if (!r.problems.isEmpty()) {
        s << '\n' << tr("Problems:") << '\n';
        for (const Problem &pr : r.problems) {
            s << QStringLiteral(" %1 [%2] %3: %4").arg(pr.isError() ? tr("error") : tr("warning"), pr.code, pr.title, pr.explanation)
              << '\n';
            if (!pr.detail.isEmpty())
                s << tr("     detail: %1").arg(QString(pr.detail).replace(QLatin1Char('\n'), QLatin1Char(' '))) << '\n';
            if (!pr.fix.isEmpty())
                s << tr("     fix:    %1").arg(pr.fix) << '\n';
        }
    }
    return sanitize(out);
}

QString TextReport::sanitize(const QString &text)
{
    // Certificates and servers can carry control characters (ESC sequences could redraw the terminal
    // and fake a verdict): show every C0/C1 control and DEL, except newline, as \xNN.
    QString clean;
    clean.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n') || (u >= 0x7f && u < 0xa0))
            clean += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        else
            clean += c;
    }
    return clean;
}

} // namespace pgtls
