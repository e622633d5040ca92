// SPDX-License-Identifier: MIT
#include "ReportJson.h"

#include "SafeText.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace pgtls {

namespace {

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue msOrNull(qint64 ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(ms);
}

QString isoUtc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QJsonValue optionalBool(const std::optional<bool> &b)
{
    return b ? QJsonValue(*b) : QJsonValue(QJsonValue::Null);
}

// The verdict's problem about the root file itself (its code starts with "root-cert"), if any.
QString rootFileProblemCode(const InspectionReport &r)
{
    for (const Problem &p : r.problems) {
        if (p.code.startsWith(QLatin1String("root-cert")))
            return p.code;
    }
    return {};
}

QJsonArray noticesToJson(const SessionResult &s)
{
    QJsonArray notices;
    for (const ServerNotice &n : s.notices)
        notices.append(QJsonObject{ { QStringLiteral("severity"), n.severity },
                                    { QStringLiteral("message"), n.message } });
    return notices;
}

QJsonObject sessionToJson(const SessionResult &s)
{
    if (!s.attempted)
        return QJsonObject{ { QStringLiteral("attempted"), false } };
    return QJsonObject{
        { QStringLiteral("attempted"), true },
        { QStringLiteral("connected"), s.connected },
        { QStringLiteral("ssl_in_use"), s.sslInUse },
        { QStringLiteral("ssl_is_used"), optionalBool(s.sslIsUsed) },
        { QStringLiteral("ssl_is_used_source"), stringOrNull(s.sslIsUsedSource) },
        { QStringLiteral("sslinfo_installed"), s.sslinfoInstalled },
        { QStringLiteral("protocol"), stringOrNull(s.protocol) },
        { QStringLiteral("cipher"), stringOrNull(s.cipher) },
        { QStringLiteral("key_bits"), s.keyBits },
        { QStringLiteral("pg_stat_ssl"),
          s.pgStatSsl ? QJsonValue(QJsonObject{ { QStringLiteral("ssl"), *s.pgStatSsl },
                                                { QStringLiteral("version"), stringOrNull(s.pgStatSslVersion) },
                                                { QStringLiteral("cipher"), stringOrNull(s.pgStatSslCipher) },
                                                { QStringLiteral("bits"), s.pgStatSslBits } })
                      : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("ssl"), stringOrNull(s.showSsl) },
        { QStringLiteral("rds_force_ssl"), s.rdsForceSsl ? QJsonValue(*s.rdsForceSsl) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("server_version"), stringOrNull(s.serverVersion) },
        { QStringLiteral("backend_pid"), s.backendPid },
        { QStringLiteral("password_sent"), s.passwordSent },
        { QStringLiteral("needs_password"), s.needsPassword },
        { QStringLiteral("error"), stringOrNull(s.error) },
        { QStringLiteral("error_code"), stringOrNull(s.errorCode) },
        { QStringLiteral("step"), stringOrNull(s.step) },
        { QStringLiteral("explanation"), QJsonValue::Null },
        { QStringLiteral("connect_ms"), msOrNull(s.connectMs) },
        { QStringLiteral("notices"), noticesToJson(s) },
        { QStringLiteral("notices_dropped"), s.noticesDropped },
    };
}

QJsonObject plaintextToJson(const PlaintextResult &p)
{
    if (!p.tested)
        return QJsonObject{ { QStringLiteral("tested"), false }, { QStringLiteral("accepted"), QJsonValue::Null } };
    return QJsonObject{
        { QStringLiteral("tested"), true },
        { QStringLiteral("accepted"), optionalBool(p.accepted) },
        { QStringLiteral("verdict"), PlaintextResult::verdictName(p.verdict) },
        { QStringLiteral("detail"), p.detail.isEmpty() ? p.explanation : p.detail },
        { QStringLiteral("explanation"), p.explanation },
    };
}

} // namespace

QJsonObject ReportJson::certificateToJson(const CertificateInfo &c)
{
    QJsonObject key{ { QStringLiteral("type"), c.keyType }, { QStringLiteral("bits"), c.keyBits } };
    if (!c.keyCurve.isEmpty())
        key.insert(QStringLiteral("curve"), c.keyCurve);
    return QJsonObject{
        { QStringLiteral("subject"), c.subject },
        { QStringLiteral("issuer"), c.issuer },
        { QStringLiteral("serial"), c.serial },
        { QStringLiteral("not_before"), isoUtc(c.notBefore) },
        { QStringLiteral("not_after"), isoUtc(c.notAfter) },
        { QStringLiteral("sha256"), c.sha256 },
        { QStringLiteral("key"), key },
        { QStringLiteral("signature_algorithm"), c.signatureAlgorithm },
        { QStringLiteral("san"), QJsonObject{ { QStringLiteral("dns"), QJsonArray::fromStringList(c.sanDns) },
                                              { QStringLiteral("ip"), QJsonArray::fromStringList(c.sanIp) } } },
        { QStringLiteral("is_ca"), c.isCa },
        { QStringLiteral("self_signed"), c.selfSigned },
    };
}

QJsonObject ReportJson::toJson(const InspectionReport &r)
{
    const Endpoint &e = r.endpoint;
    const ProbeResult &p = r.probe;

    QJsonArray chain;
    for (const CertificateInfo &c : p.chain)
        chain.append(certificateToJson(c));

    // Every issue at every depth of the chain OpenSSL built; "error" is OpenSSL's text ("detail"
    // the same, kept for earlier readers), "subject" the certificate it is about.
    QJsonArray issues;
    for (const CertificateIssue &i : p.trust.issues) {
        const CertificateInfo about = p.trust.certificateAt(i.depth, p.chain);
        issues.append(QJsonObject{ { QStringLiteral("depth"), i.depth },
                                   { QStringLiteral("code"), i.code },
                                   { QStringLiteral("error"), i.detail },
                                   { QStringLiteral("detail"), i.detail },
                                   { QStringLiteral("openssl_error"), i.opensslError },
                                   { QStringLiteral("subject"), stringOrNull(about.subject) },
                                   { QStringLiteral("sha256"), stringOrNull(about.sha256) } });
    }
    // The chain OpenSSL built, leaf .. anchor (or the highest certificate it reached).
    QJsonArray builtChain;
    for (const CertificateInfo &c : p.trust.chain)
        builtChain.append(c.sha256);
    const QJsonObject crl{
        { QStringLiteral("checked"), p.trust.crlChecked },
        { QStringLiteral("file"), stringOrNull(p.trust.crlFile) },
        { QStringLiteral("file_is_default"), p.trust.crlFileIsDefault },
        { QStringLiteral("dir"), stringOrNull(p.trust.crlDir) },
        { QStringLiteral("loaded"), p.trust.crlCount },
        { QStringLiteral("note"), stringOrNull(p.trust.crlNote) },
    };
    QJsonObject trust{
        { QStringLiteral("trusted"), p.trust.trusted },
        { QStringLiteral("verified"), p.trust.attempted },
        { QStringLiteral("ca_file"), stringOrNull(p.trust.caFile) },
        // The CA-file certificate that anchors the chain, trusted or not (an expired leaf under a
        // root of the file has it); null when the file holds no certificate the chain reaches.
        { QStringLiteral("anchor_sha256"), stringOrNull(p.trust.anchorSha256) },
        { QStringLiteral("anchor_subject"), stringOrNull(p.trust.anchorSubject) },
        { QStringLiteral("error"), stringOrNull(p.trust.error) },
        { QStringLiteral("openssl_error"), p.trust.opensslError },
        { QStringLiteral("error_depth"), p.trust.errorDepth },
        { QStringLiteral("issues"), issues },
        { QStringLiteral("chain"), builtChain },
        { QStringLiteral("crl"), crl },
    };

    QJsonValue hostMatch = QJsonValue::Null;
    if (p.hostMatch) {
        const HostMatch &h = *p.hostMatch;
        QJsonArray candidates;
        for (const HostNameCandidate &c : h.candidates) {
            candidates.append(QJsonObject{ { QStringLiteral("kind"), hostNameKindName(c.kind) },
                                           { QStringLiteral("value"), c.value },
                                           { QStringLiteral("examined"), c.examined },
                                           { QStringLiteral("matched"), c.matched },
                                           { QStringLiteral("reason"), c.reason } });
        }
        hostMatch = QJsonObject{
            { QStringLiteral("checked_name"), h.checkedName },
            { QStringLiteral("matched"), h.matched },
            { QStringLiteral("by"), h.by.isEmpty() ? QStringLiteral("none") : h.by },
            { QStringLiteral("entry"), stringOrNull(h.entry) },
            { QStringLiteral("error"), stringOrNull(h.error) },
            { QStringLiteral("candidates"), candidates },
        };
    }

    const QJsonObject probe{
        { QStringLiteral("outcome"), ProbeResult::outcomeName(p.outcome) },
        { QStringLiteral("tls_offered"), p.tlsOffered },
        { QStringLiteral("ssl_response"), stringOrNull(p.sslResponse) },
        { QStringLiteral("connected_address"), stringOrNull(p.connectedAddress) },
        { QStringLiteral("sni"), stringOrNull(p.sni) },
        { QStringLiteral("protocol"), stringOrNull(p.protocol) },
        { QStringLiteral("cipher"), stringOrNull(p.cipher) },
        { QStringLiteral("group"), stringOrNull(p.group) },
        { QStringLiteral("chain"), chain },
        { QStringLiteral("trust"), trust },
        { QStringLiteral("host_match"), hostMatch },
        { QStringLiteral("error"), stringOrNull(p.error) },
        { QStringLiteral("error_code"), stringOrNull(p.errorCode) },
        { QStringLiteral("step"), stringOrNull(p.step) },
        // Probe-only: what libpq would do with what the probe saw; null otherwise.
        { QStringLiteral("libpq"),
          r.probeLibpq.predicted()
              ? QJsonValue(QJsonObject{
                  { QStringLiteral("tls"), LibpqPrediction::tlsName(r.probeLibpq.tls) },
                  { QStringLiteral("fallback"),
                    LibpqPrediction::fallbackName(r.probeLibpq.fallback) },
                  { QStringLiteral("tls_failure"), stringOrNull(r.probeLibpq.tlsFailure) } })
              : QJsonValue(QJsonValue::Null) },
    };

    QJsonArray problems;
    for (const Problem &pr : r.problems) {
        problems.append(QJsonObject{ { QStringLiteral("code"), pr.code },
                                     { QStringLiteral("severity"), Problem::severityName(pr.severity) },
                                     { QStringLiteral("title"), pr.title },
                                     { QStringLiteral("detail"), pr.detail },
                                     { QStringLiteral("explanation"), pr.explanation },
                                     { QStringLiteral("fix"), pr.fix } });
    }

    const QJsonObject endpoint{
        { QStringLiteral("host"), stringOrNull(e.host) },
        { QStringLiteral("hostaddr"), stringOrNull(e.hostaddr) },
        { QStringLiteral("port"), e.port },
        { QStringLiteral("dbname"), stringOrNull(e.dbname) },
        { QStringLiteral("user"), stringOrNull(e.user) },
        { QStringLiteral("sslrootcert"), stringOrNull(r.rootCert.path) },
    };
    const QJsonObject rootCert{
        { QStringLiteral("path"), stringOrNull(r.rootCert.path) },
        { QStringLiteral("is_default"), r.rootCert.isDefault },
        { QStringLiteral("exists"), r.rootCert.exists },
        { QStringLiteral("verifies"), r.rootCert.verifies },
        { QStringLiteral("checks_host_name"), r.rootCert.checksHostName },
        // The file as libpq sees it: named (sslrootcert) or libpq's default; what it is
        // ("regular", "missing", "directory"...); "usable", "missing", "unusable" (libpq cannot
        // load it) or "unsafe" (libpq would hang on it); the certificates in it; libpq's message
        // when TLS cannot start with it in this sslmode; the problem in the user's words.
        { QStringLiteral("named"), r.rootCert.named() },
        { QStringLiteral("kind"), SafeFileStatus::kindName(r.rootCert.fileKind) },
        { QStringLiteral("state"), r.rootCert.stateName() },
        { QStringLiteral("certificates"),
          r.rootCert.certificates < 0 ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(r.rootCert.certificates) },
        { QStringLiteral("error"), stringOrNull(r.rootCert.tlsStartError()) },
        { QStringLiteral("load_error"), stringOrNull(r.rootCert.loadError) },
        { QStringLiteral("problem"), stringOrNull(r.rootCert.fileProblem) },
        { QStringLiteral("problem_code"), stringOrNull(rootFileProblemCode(r)) },
    };
    const QJsonObject timings{
        // Durations of each step (not offsets): name resolution, TCP connect, the SSLRequest round
        // trip, the TLS handshake; the session's connect-and-query time; the whole inspection.
        { QStringLiteral("resolve"), msOrNull(p.timings.resolve) },
        { QStringLiteral("tcp"), msOrNull(p.timings.stepMs(p.timings.tcp, p.timings.resolve)) },
        { QStringLiteral("ssl_request"), msOrNull(p.timings.stepMs(p.timings.sslRequest, p.timings.tcp)) },
        { QStringLiteral("tls"), msOrNull(p.timings.stepMs(p.timings.tls, p.timings.sslRequest)) },
        { QStringLiteral("session"), r.session.attempted ? msOrNull(r.session.totalMs) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("total"), msOrNull(r.totalMs) },
    };
    QJsonObject root{
        { QStringLiteral("endpoint"), endpoint },
        { QStringLiteral("sslmode"), sslModeName(e.sslmode) },
        { QStringLiteral("root_cert"), rootCert },
        { QStringLiteral("checked_at"), isoUtc(r.now) },
        { QStringLiteral("probe"), probe },
        { QStringLiteral("timings_ms"), timings },
        { QStringLiteral("verdict"), QJsonObject{ { QStringLiteral("ok"), r.ok },
                                                  { QStringLiteral("summary"), r.summary },
                                                  { QStringLiteral("problems"), problems } } },
    };
    QJsonObject session = sessionToJson(r.session);
    if (r.session.attempted && !r.session.connected) {
        if (const Problem *err = r.firstError())
            session.insert(QStringLiteral("explanation"), err->explanation);
    }
    root.insert(QStringLiteral("session"), session);
    root.insert(QStringLiteral("plaintext"), plaintextToJson(r.plaintext));
    QJsonArray matrix;
    for (const MatrixRow &m : r.matrix) {
        matrix.append(QJsonObject{
            { QStringLiteral("sslmode"), sslModeName(m.sslmode) },
            { QStringLiteral("connected"), m.connected },
            { QStringLiteral("encrypted"), m.encrypted },
            { QStringLiteral("ca_verified"), m.caVerified },
            { QStringLiteral("host_verified"), m.hostVerified },
            { QStringLiteral("mitm_safe"), m.mitmSafe },
            { QStringLiteral("password_withheld"), m.passwordWithheld },
            { QStringLiteral("password_withheld_reason"), stringOrNull(m.passwordWithheldReason) },
            { QStringLiteral("channel_binding"), stringOrNull(m.channelBinding) },
            { QStringLiteral("note"), m.note },
            { QStringLiteral("error"), stringOrNull(m.error) },
            { QStringLiteral("error_code"), stringOrNull(m.errorCode) },
            { QStringLiteral("ms"), msOrNull(m.ms) },
        });
    }
    root.insert(QStringLiteral("matrix"), matrix);
    return root;
}

QByteArray ReportJson::toBytes(const InspectionReport &report)
{
    return SafeText::escapeJson(QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented));
}

} // namespace pgtls
