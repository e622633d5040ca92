// SPDX-License-Identifier: MIT
#include "TextReport.h"

#include "Judge.h"
#include "SafeText.h"

#include <QCoreApplication>
#include <QTextStream>

namespace pgtls {

namespace {

// Every value from a server, a certificate, a file or the user goes through f(): one line, controls
// and bidi characters escaped, so no field can add a line or repaint the terminal.
QString f(const QString &text)
{
    return SafeText::field(text);
}

// A libpq, OpenSSL or server message: its own line breaks kept, every further line indented under
// the first (`column` spaces), so the message never starts a line of its own at column 0.
QString msg(const QString &text, int column)
{
    return SafeText::message(text, QString(column, QLatin1Char(' ')));
}

QString role(int index, int count, const CertificateInfo &c)
{
    if (index == 0)
        return QCoreApplication::translate("pgtls::TextReport", "server");
    if (c.selfSigned)
        return QCoreApplication::translate("pgtls::TextReport", "root");
    if (index == count - 1 && c.isCa)
        return QCoreApplication::translate("pgtls::TextReport", "intermediate");
    return c.isCa ? QCoreApplication::translate("pgtls::TextReport", "intermediate")
                  : QCoreApplication::translate("pgtls::TextReport", "certificate");
}

QString validity(const CertificateInfo &c, const QDateTime &now)
{
    const QString range
        = QCoreApplication::translate("pgtls::TextReport", "%1 to %2")
              .arg(c.notBefore.toString(Qt::ISODate), c.notAfter.toString(Qt::ISODate));
    if (c.isExpiredAt(now))
        return range
            + QCoreApplication::translate("pgtls::TextReport", "  EXPIRED %1 days ago")
                  .arg(c.notAfter.daysTo(now));
    if (c.isNotYetValidAt(now))
        return range
            + QCoreApplication::translate(
                "pgtls::TextReport", "  NOT YET VALID (starts in %1 days)")
                  .arg(now.daysTo(c.notBefore));
    return range
        + QCoreApplication::translate("pgtls::TextReport", "  (%1 days left)")
              .arg(now.daysTo(c.notAfter));
}

// One problem of the chain: its depth, the certificate's subject, OpenSSL's words and, for a
// validity problem, the date that decides it.
QString issueLine(const CertificateIssue &i, const CertificateInfo &c)
{
    QString when;
    if (i.code == QLatin1String("expired") && c.notAfter.isValid())
        when = QCoreApplication::translate("pgtls::TextReport", " (valid until %1)")
                   .arg(c.notAfter.toString(Qt::ISODate));
    else if (i.code == QLatin1String("not-yet-valid") && c.notBefore.isValid())
        when = QCoreApplication::translate("pgtls::TextReport", " (valid from %1)")
                   .arg(c.notBefore.toString(Qt::ISODate));
    return QCoreApplication::translate("pgtls::TextReport", "               [%1] %2: %3: %4%5")
        .arg(i.depth)
        .arg(c.isNull() ? QCoreApplication::translate("pgtls::TextReport", "(unknown)")
                        : f(c.subject),
            f(i.code), f(i.detail), when);
}

QString keyText(const CertificateInfo &c)
{
    QString k = QStringLiteral("%1 %2").arg(f(c.keyType)).arg(c.keyBits);
    if (!c.keyCurve.isEmpty())
        k += QStringLiteral(" (%1)").arg(f(c.keyCurve));
    return k + QStringLiteral(", ") + f(c.signatureAlgorithm);
}

// The CA file: which (named or libpq's default), whether it exists and what it holds, and whether
// libpq verifies the chain with it in this sslmode.
QString rootFileLine(const InspectionReport &r)
{
    const RootCertResolution &root = r.rootCert;
    if (root.path.isEmpty())
        return QCoreApplication::translate(
            "pgtls::TextReport", "none (no home directory) - the chain is NOT verified in this sslmode");
    QString line = f(root.path)
        + (root.isDefault
                ? QCoreApplication::translate("pgtls::TextReport", " (libpq's default)")
                : QCoreApplication::translate("pgtls::TextReport", " (named by sslrootcert)"));
    QString state;
    if (!root.exists)
        state = QCoreApplication::translate("pgtls::TextReport", "does not exist");
    else if (!root.fileProblem.isEmpty())
        state = QCoreApplication::translate("pgtls::TextReport", "not a regular file libpq can read (%1)")
                    .arg(SafeFileStatus::kindName(root.fileKind));
    else if (!root.loadError.isEmpty())
        state = root.fileKind == SafeFileStatus::Kind::Directory
            ? QCoreApplication::translate("pgtls::TextReport", "a directory, not a file")
            : root.fileKind == SafeFileStatus::Kind::Regular
            ? QCoreApplication::translate("pgtls::TextReport", "exists, holds no certificate")
            : QCoreApplication::translate("pgtls::TextReport", "exists, cannot be read");
    else if (root.certificates >= 0)
        state = QCoreApplication::translate("pgtls::TextReport", "exists, %n certificate(s)",
            nullptr, root.certificates);
    else
        state = QCoreApplication::translate("pgtls::TextReport", "exists");
    line += QStringLiteral(", ") + state;
    const SslMode mode = r.endpoint.sslmode;
    if (mode == SslMode::Disable)
        line += QCoreApplication::translate(
            "pgtls::TextReport", " - unused: sslmode=disable never uses TLS");
    else if (!root.tlsStartError().isEmpty())
        line += QCoreApplication::translate(
            "pgtls::TextReport", " - libpq fails before the TLS handshake");
    else if (root.verifies)
        line += QCoreApplication::translate("pgtls::TextReport", " - libpq verifies the chain with it");
    else if (root.named())
        line += QCoreApplication::translate("pgtls::TextReport",
            " - NOTHING is verified: libpq ignores a named CA file that does not exist in sslmode=%1")
                    .arg(sslModeName(mode));
    else
        line += QCoreApplication::translate(
            "pgtls::TextReport", " - the chain is NOT verified in this sslmode");
    return line;
}

// Probe-only: what libpq would do with what the probe saw.
QString predictionText(const LibpqPrediction &p)
{
    using Fallback = LibpqPrediction::Fallback;
    QString tls;
    switch (p.tls) {
    case LibpqPrediction::Tls::NotPredicted:
        return {};
    case LibpqPrediction::Tls::NotTried:
        return QCoreApplication::translate(
            "pgtls::TextReport", "connect without TLS only (sslmode=disable)");
    case LibpqPrediction::Tls::Succeeds:
        tls = QCoreApplication::translate("pgtls::TextReport", "get TLS past its checks");
        break;
    case LibpqPrediction::Tls::Fails:
        tls = p.tlsFailure.isEmpty()
            ? QCoreApplication::translate("pgtls::TextReport", "fail with TLS")
            : QCoreApplication::translate("pgtls::TextReport", "fail with TLS (%1)").arg(f(p.tlsFailure));
        break;
    }
    switch (p.fallback) {
    case Fallback::PlaintextFirst:
        return QCoreApplication::translate("pgtls::TextReport",
            "try plaintext first (sslmode=allow), and only if the server refuses it %1; whether "
            "the server accepts plaintext, the probe cannot tell")
            .arg(tls);
    case Fallback::PlaintextAfterFailure:
        return QCoreApplication::translate("pgtls::TextReport",
            "%1, then retry without TLS (sslmode=prefer): unencrypted if the server accepts "
            "that, which the probe cannot tell")
            .arg(tls);
    case Fallback::None:
    case Fallback::PlaintextOnly:
        break;
    }
    return tls;
}

} // namespace

QString TextReport::render(const InspectionReport &r)
{
    QString out;
    QTextStream s(&out);
    const ProbeResult &p = r.probe;
    const auto level = r.level();
    const QString mark = level == InspectionReport::Level::Failed ? QStringLiteral("FAIL")
        : level == InspectionReport::Level::Warning               ? QStringLiteral("WARN")
                                                                  : QStringLiteral("OK");
    s << mark << QStringLiteral(": ") << f(r.summary) << '\n' << '\n';

    const Endpoint &e = r.endpoint;
    s << QCoreApplication::translate("pgtls::TextReport", "Endpoint     ")
      << (e.host.isEmpty() ? QCoreApplication::translate("pgtls::TextReport", "(no host)")
                           : f(e.host));
    if (!e.hostaddr.isEmpty())
        s << QCoreApplication::translate("pgtls::TextReport", " (connecting to hostaddr %1)")
                 .arg(f(e.hostaddr));
    s << QCoreApplication::translate("pgtls::TextReport", ", port %1, sslmode %2")
             .arg(e.port)
             .arg(sslModeName(e.sslmode))
      << '\n';
    s << QCoreApplication::translate("pgtls::TextReport", "CA file      ") << rootFileLine(r)
      << '\n';
    if (r.endpoint.sslmode != SslMode::Disable && !r.rootCert.tlsStartError().isEmpty())
        s << QCoreApplication::translate("pgtls::TextReport", "             libpq: %1")
                 .arg(f(r.rootCert.tlsStartError()))
          << '\n';
    if (r.probeLibpq.predicted())
        s << QCoreApplication::translate("pgtls::TextReport", "libpq would  %1")
                 .arg(predictionText(r.probeLibpq))
          << '\n';
    if (!p.connectedAddress.isEmpty())
        s << QCoreApplication::translate("pgtls::TextReport", "Connected    %1")
                 .arg(f(p.connectedAddress))
          << '\n';
    if (!p.sslResponse.isEmpty())
        s << QCoreApplication::translate("pgtls::TextReport", "SSLRequest   answered %1")
                 .arg(p.sslResponse == QLatin1String("S")
                         ? QCoreApplication::translate("pgtls::TextReport", "'S' (TLS offered)")
                         : p.sslResponse == QLatin1String("N")
                         ? QCoreApplication::translate("pgtls::TextReport", "'N' (TLS refused)")
                         : f(p.sslResponse))
          << '\n';
    if (!p.protocol.isEmpty()) {
        s << QCoreApplication::translate("pgtls::TextReport", "TLS          %1, cipher %2")
                 .arg(f(p.protocol), f(p.cipher));
        if (!p.group.isEmpty())
            s << QCoreApplication::translate("pgtls::TextReport", ", group %1").arg(f(p.group));
        s << QCoreApplication::translate("pgtls::TextReport", ", SNI %1")
                 .arg(p.sni.isEmpty() ? QCoreApplication::translate("pgtls::TextReport", "not sent")
                                      : f(p.sni))
          << '\n';
    }

    if (!p.chain.isEmpty()) {
        s << '\n'
          << QCoreApplication::translate(
                 "pgtls::TextReport", "Certificate chain as sent by the server (leaf first):")
          << '\n';
        for (int i = 0; i < p.chain.size(); ++i) {
            const CertificateInfo &c = p.chain.at(i);
            s << QStringLiteral(" [%1] %2: %3").arg(i).arg(role(i, p.chain.size(), c), f(c.subject)) << '\n';
            s << QCoreApplication::translate("pgtls::TextReport", "     issuer   %1").arg(f(c.issuer))
              << '\n';
            s << QCoreApplication::translate("pgtls::TextReport", "     valid    %1")
                     .arg(validity(c, r.now))
              << '\n';
            s << QCoreApplication::translate("pgtls::TextReport", "     key      %1")
                     .arg(keyText(c))
              << '\n';
            if (!c.sanDns.isEmpty() || !c.sanIp.isEmpty())
                s << QCoreApplication::translate("pgtls::TextReport", "     SAN      %1")
                         .arg(f((c.sanDns + c.sanIp).join(QStringLiteral(", "))))
                  << '\n';
            s << QCoreApplication::translate("pgtls::TextReport", "     serial   %1").arg(f(c.serial))
              << '\n';
            s << QCoreApplication::translate("pgtls::TextReport", "     SHA-256  %1").arg(f(c.sha256))
              << '\n';
        }
        s << '\n';
        if (!p.trust.attempted) {
            s << (p.trust.error.isEmpty()
                      ? QCoreApplication::translate(
                          "pgtls::TextReport", "Trust        not verified (no CA file in use)")
                      : QCoreApplication::translate("pgtls::TextReport", "Trust        %1")
                            .arg(f(p.trust.error)))
              << '\n';
        } else if (p.trust.trusted) {
            s << QCoreApplication::translate(
                "pgtls::TextReport", "Trust        trusted, anchored by %1")
                     .arg(f(p.trust.anchorSubject))
              << '\n'
              << QCoreApplication::translate(
                     "pgtls::TextReport", "             anchor SHA-256 %1 (from %2)")
                     .arg(f(p.trust.anchorSha256), f(p.trust.caFile))
              << '\n';
        } else {
            s << QCoreApplication::translate("pgtls::TextReport", "Trust        NOT trusted: %1")
                     .arg(f(p.trust.error))
              << '\n';
            if (!p.trust.anchorSha256.isEmpty())
                s << QCoreApplication::translate("pgtls::TextReport",
                         "             the chain reaches %1 of %2 (that file holds its anchor)")
                         .arg(f(p.trust.anchorSubject), f(p.trust.caFile))
                  << '\n';
            else if (!p.trust.chain.isEmpty())
                s << QCoreApplication::translate("pgtls::TextReport",
                         "             no certificate of %1 anchors the chain")
                         .arg(f(p.trust.caFile))
                  << '\n';
            if (!p.trust.chain.isEmpty()) {
                s << QCoreApplication::translate(
                         "pgtls::TextReport", "             chain built by OpenSSL (leaf first):")
                  << '\n';
                for (int i = 0; i < p.trust.chain.size(); ++i) {
                    const CertificateInfo &c = p.trust.chain.at(i);
                    s << QStringLiteral("               [%1] %2").arg(i).arg(f(c.subject));
                    if (i == p.trust.chain.size() - 1 && c.sha256 == p.trust.anchorSha256)
                        s << QCoreApplication::translate(
                            "pgtls::TextReport", "  (anchor, from the CA file)");
                    s << '\n';
                }
            }
            s << QCoreApplication::translate(
                     "pgtls::TextReport", "             every problem (depth, certificate):")
              << '\n';
            for (const CertificateIssue &i : p.trust.issues)
                s << issueLine(i, p.trust.certificateAt(i.depth, p.chain)) << '\n';
        }
        if (p.trust.attempted) {
            if (p.trust.crlChecked) {
                QStringList where;
                if (!p.trust.crlFile.isEmpty())
                    where << f(p.trust.crlFile);
                if (!p.trust.crlDir.isEmpty())
                    where << QCoreApplication::translate("pgtls::TextReport", "directory %1")
                                 .arg(f(p.trust.crlDir));
                s << QCoreApplication::translate("pgtls::TextReport",
                         "Revocation   checked against %1 (%2 CRLs; every certificate of the "
                         "chain needs a CRL of its issuer)")
                         .arg(where.join(QStringLiteral(", ")))
                         .arg(p.trust.crlCount)
                  << '\n';
            } else {
                s << QCoreApplication::translate("pgtls::TextReport", "Revocation   not checked")
                  << (p.trust.crlNote.isEmpty()
                             ? QCoreApplication::translate("pgtls::TextReport",
                                 " (no revocation list: sslcrl, sslcrldir and "
                                 "~/.postgresql/root.crl are not in use)")
                             : QStringLiteral(": ") + f(p.trust.crlNote))
                  << '\n';
            }
            if (p.trust.crlChecked && !p.trust.crlNote.isEmpty())
                s << QStringLiteral("             %1").arg(f(p.trust.crlNote)) << '\n';
        }
        if (p.hostMatch) {
            const HostMatch &h = *p.hostMatch;
            s << QCoreApplication::translate("pgtls::TextReport", "Host name    \"%1\" ")
                     .arg(f(h.checkedName));
            if (h.matched)
                s << QCoreApplication::translate("pgtls::TextReport", "matches %1 entry \"%2\"")
                         .arg(f(h.by), f(h.entry));
            else
                s << QCoreApplication::translate("pgtls::TextReport", "does NOT match: %1")
                         .arg(f(h.error));
            if (e.sslmode != SslMode::VerifyFull)
                s << QCoreApplication::translate(
                    "pgtls::TextReport", " (checked only under verify-full)");
            s << '\n';
            for (const HostNameCandidate &c : h.candidates) {
                s << QStringLiteral("             %1 %2 \"%3\": %4")
                         .arg(c.matched ? QStringLiteral("*") : QStringLiteral("-"), hostNameKindName(c.kind),
                              f(c.value), f(c.reason))
                  << '\n';
            }
        }
    }

    const SessionResult &ss = r.session;
    if (ss.attempted) {
        s << '\n'
          << QCoreApplication::translate("pgtls::TextReport", "Session (libpq, sslmode=%1):")
                 .arg(sslModeName(e.sslmode))
          << '\n';
        if (ss.connected) {
            s << QCoreApplication::translate("pgtls::TextReport", "  connected    yes, %1")
                     .arg(ss.sslInUse
                             ? QCoreApplication::translate(
                                 "pgtls::TextReport", "TLS in use: %1, %2, %3-bit key")
                                   .arg(f(ss.protocol), f(ss.cipher))
                                   .arg(ss.keyBits)
                             : QCoreApplication::translate("pgtls::TextReport", "WITHOUT TLS"))
              << '\n';
            if (ss.sslIsUsed.has_value())
                s << QCoreApplication::translate(
                    "pgtls::TextReport", "  server says  ssl_is_used = %1 (from %2)")
                         .arg(*ss.sslIsUsed ? QStringLiteral("true") : QStringLiteral("false"),
                             f(ss.sslIsUsedSource))
                  << '\n';
            if (!ss.sslinfoInstalled)
                s << QCoreApplication::translate("pgtls::TextReport",
                    "               sslinfo is not installed (CREATE EXTENSION sslinfo gives "
                    "ssl_is_used())")
                  << '\n';
            if (ss.pgStatSsl.has_value())
                s << QCoreApplication::translate(
                    "pgtls::TextReport", "  pg_stat_ssl  ssl=%1 %2 %3 %4")
                         .arg(*ss.pgStatSsl ? QStringLiteral("t") : QStringLiteral("f"),
                             f(ss.pgStatSslVersion), f(ss.pgStatSslCipher),
                             ss.pgStatSslBits ? QString::number(ss.pgStatSslBits) : QString())
                  << '\n';
            s << QCoreApplication::translate(
                "pgtls::TextReport", "  server       PostgreSQL %1, ssl=%2, rds.force_ssl=%3")
                     .arg(f(ss.serverVersion), f(ss.showSsl),
                         ss.rdsForceSsl ? f(*ss.rdsForceSsl)
                                        : QCoreApplication::translate(
                                            "pgtls::TextReport", "(not an RDS parameter here)"))
              << '\n';
        } else {
            s << QCoreApplication::translate("pgtls::TextReport", "  connected    no: %1")
                     .arg(msg(ss.error, 19))
              << '\n';
        }
    }
    if (!ss.notices.isEmpty()) {
        s << QCoreApplication::translate("pgtls::TextReport", "  server notices (as sent, escaped):")
          << '\n';
        for (const ServerNotice &n : ss.notices)
            s << QStringLiteral("    %1: %2").arg(f(n.severity), msg(n.message, 6)) << '\n';
        if (ss.noticesDropped > 0)
            s << QCoreApplication::translate("pgtls::TextReport", "    (%n more not kept)", nullptr,
                                             ss.noticesDropped)
              << '\n';
    }
    if (r.plaintext.tested) {
        const QString answer = !r.plaintext.accepted.has_value()
            ? QCoreApplication::translate("pgtls::TextReport", "unknown")
            : *r.plaintext.accepted ? QCoreApplication::translate("pgtls::TextReport", "ACCEPTED")
                                    : QCoreApplication::translate("pgtls::TextReport", "refused");
        s << QCoreApplication::translate("pgtls::TextReport", "Plaintext    %1 (%2): %3")
                 .arg(answer, PlaintextResult::verdictName(r.plaintext.verdict),
                     f(r.plaintext.explanation))
          << '\n';
    }
    if (!r.matrix.isEmpty()) {
        s << '\n'
          << QCoreApplication::translate("pgtls::TextReport",
                 "sslmode matrix:          connected encrypted CA-verified host-verified MITM-safe")
          << '\n';
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
                     .arg(f(m.note))
              << '\n';
            if (m.passwordWithheld)
                s << QStringLiteral("                 %1").arg(f(m.passwordWithheldReason)) << '\n';
            if (const QString binding = Judge::channelBindingText(m); !binding.isEmpty())
                s << QStringLiteral("                 %1").arg(f(binding)) << '\n';
        }
    }

    const ProbeTimings &t = p.timings;
    s << QCoreApplication::translate("pgtls::TextReport", "Timings      ");
    QStringList parts;
    if (t.tcp >= 0)
        parts << QCoreApplication::translate("pgtls::TextReport", "TCP %1 ms")
                     .arg(ProbeTimings::stepMs(t.tcp, t.resolve));
    if (t.sslRequest >= 0)
        parts << QCoreApplication::translate("pgtls::TextReport", "SSLRequest %1 ms")
                     .arg(ProbeTimings::stepMs(t.sslRequest, t.tcp));
    if (t.tls >= 0)
        parts << QCoreApplication::translate("pgtls::TextReport", "TLS handshake %1 ms")
                     .arg(ProbeTimings::stepMs(t.tls, t.sslRequest));
    if (ss.attempted && ss.connectMs >= 0)
        parts
            << QCoreApplication::translate("pgtls::TextReport", "session %1 ms").arg(ss.connectMs);
    parts << QCoreApplication::translate("pgtls::TextReport", "total %1 ms").arg(r.totalMs);
    s << parts.join(QStringLiteral(", ")) << '\n';

    if (!r.problems.isEmpty()) {
        s << '\n' << QCoreApplication::translate("pgtls::TextReport", "Problems:") << '\n';
        for (const Problem &pr : r.problems) {
            s << QStringLiteral(" %1 [%2] %3: %4")
                     .arg(pr.isError()       ? QCoreApplication::translate("pgtls::TextReport", "error")
                             : pr.isWarning() ? QCoreApplication::translate("pgtls::TextReport", "warning")
                                              : QCoreApplication::translate("pgtls::TextReport", "note"),
                         f(pr.code), f(pr.title), f(pr.explanation))
              << '\n';
            if (!pr.detail.isEmpty())
                s << QCoreApplication::translate("pgtls::TextReport", "     detail: %1")
                         .arg(msg(pr.detail, 13))
                  << '\n';
            if (!pr.fix.isEmpty())
                s << QCoreApplication::translate("pgtls::TextReport", "     fix:    %1").arg(f(pr.fix))
                  << '\n';
        }
    }
    return sanitize(out);
}

QString TextReport::sanitize(const QString &text)
{
    return SafeText::lines(text);
}

} // namespace pgtls
