// SPDX-License-Identifier: MIT
#include "Inspector.h"

#include "TlsProbe.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <openssl/x509_vfy.h>

namespace pgtls {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("pgtls::Inspector", text);
}

Problem makeProblem(const QString &code, const QString &detail, const QString &explanation, const QString &fix,
                    Problem::Severity severity = Problem::Severity::Error)
{
    Problem p;
    p.code = code;
    p.severity = severity;
    p.detail = detail;
    p.explanation = explanation;
    p.fix = fix;
    return p;
}

// "eu-west-1" from "mydb.xxxx.eu-west-1.rds.amazonaws.com" (also .com.cn); empty when not RDS-shaped.
QString rdsRegionOf(const QString &name)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(?:\*|[a-z0-9-]+)\.(?:cluster-(?:ro-|custom-)?|proxy-)?[a-z0-9]+\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.rds\.amazonaws\.com(?:\.cn)?$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(name);
    return m.hasMatch() ? m.captured(1).toLower() : QString();
}

Problem probeProblem(const InspectionReport &r)
{
    const ProbeResult &p = r.probe;
    const QString code = p.errorCode;
    const QString host = r.endpoint.host.isEmpty() ? r.endpoint.hostaddr : r.endpoint.host;
    if (code == QLatin1String("timeout"))
        return makeProblem(code, p.error,
                           tr("The server did not finish answering in time. A firewall or security group that "
                              "drops packets, a wrong port, or a server that accepts connections but never answers "
                              "all look like this."),
                           tr("Check the port and that this machine may reach it (for RDS: the security group's "
                              "inbound rule for port %1 and whether the instance is publicly accessible).")
                               .arg(r.endpoint.port));
    if (code == QLatin1String("connection-refused"))
        return makeProblem(code, p.error,
                           tr("Nothing listens on port %1 at that address, or a firewall actively refused the "
                              "connection.")
                               .arg(r.endpoint.port),
                           tr("Check host and port; is the server running and listening on this address "
                              "(listen_addresses)?"));
    if (code == QLatin1String("dns-failure"))
        return makeProblem(code, p.error, tr("The host name could not be resolved to an address."),
                           tr("Check the spelling of \"%1\"; private RDS endpoints resolve only inside their VPC.")
                               .arg(host));
    if (code == QLatin1String("not-postgres"))
        return makeProblem(code, p.error,
                           tr("Something answers on this port, but it is not PostgreSQL: it did not answer "
                              "PostgreSQL's request to start TLS."),
                           tr("Check the port number (PostgreSQL usually listens on 5432)."));
    if (code == QLatin1String("ssl-not-supported"))
        return makeProblem(code, p.error,
                           tr("The server refused to start TLS: it has ssl=off. Every connection to it is "
                              "unencrypted; sslmode=prefer silently falls back to plaintext."),
                           tr("Turn on ssl on the server (RDS always supports TLS; a proxy in between may not)."));
    if (code == QLatin1String("unix-socket"))
        return makeProblem(code, p.error, tr("TLS is only used over TCP."), tr("Give a host name or IP address."));
    if (code == QLatin1String("unencrypted-data-after-ssl-response"))
        return makeProblem(code, p.error,
                           tr("Bytes arrived before the TLS handshake began: something on the path may be "
                              "injecting data (CVE-2021-23222). libpq refuses this connection."),
                           tr("Find out what sits between you and the server."));
    if (code == QLatin1String("tls-handshake-failed"))
        return makeProblem(code, p.error,
                           tr("The server accepted the request for TLS but the handshake failed."),
                           tr("Check the server's TLS settings (ssl_min_protocol_version, certificates) and "
                              "any proxy in between."));
    if (code == QLatin1String("cancelled"))
        return makeProblem(code, p.error, tr("The inspection was cancelled."), QString());
    return makeProblem(code.isEmpty() ? QStringLiteral("probe-failed") : code, p.error,
                       tr("The TLS probe could not complete."), tr("See the detail."));
}

Problem trustProblem(const InspectionReport &r)
{
    const TrustResult &t = r.probe.trust;
    const QString file = t.caFile;
    const CertificateInfo top = r.probe.chain.isEmpty() ? CertificateInfo() : r.probe.chain.last();
    const QString region = r.probe.chain.isEmpty() ? QString() : rdsRegionOf(r.endpoint.host);
    switch (t.opensslError) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return makeProblem(QStringLiteral("cert-expired"), t.error,
                           tr("A certificate of the chain has expired, so libpq refuses it under verify-ca and "
                              "verify-full."),
                           tr("Renew the server certificate (on RDS: rotate the instance's CA / certificate)."));
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return makeProblem(QStringLiteral("cert-not-yet-valid"), t.error,
                           tr("A certificate of the chain is not valid yet: either it was just issued for the "
                              "future, or this machine's clock is wrong."),
                           tr("Check this machine's date and time."));
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        return makeProblem(QStringLiteral("ca-file-incomplete"), t.error,
                           tr("The CA file holds an intermediate certificate of this chain but not the root it "
                              "was issued by; libpq does not accept partial chains."),
                           tr("Add the root CA to %1 (for RDS: use the global or regional bundle, which holds "
                              "the roots).")
                               .arg(file));
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return makeProblem(QStringLiteral("self-signed"), t.error,
                           tr("The server presents a self-signed certificate that %1 does not hold.").arg(file),
                           tr("Put that certificate (or the CA that issued it) into the CA file, or use a "
                              "certificate from a real CA."));
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return makeProblem(QStringLiteral("bad-signature"), t.error,
                           tr("A certificate's signature does not verify: it was altered or its issuer is an "
                              "impostor with the same name."),
                           tr("Treat this as an attack until explained."));
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
        QString expl = tr("No certificate in %1 vouches for the server's chain (issued by \"%2\").")
                           .arg(file, top.issuer);
        if (top.issuer.contains(QLatin1String("Amazon RDS")))
            expl += QLatin1Char(' ') + tr("The chain comes from an Amazon RDS CA: the bundle is stale or for another region.");
        QString fix = region.isEmpty()
            ? tr("Use the CA bundle of the CA that issued the server's certificate.")
            : tr("Use the RDS global bundle or the %1 regional bundle.").arg(region);
        return makeProblem(QStringLiteral("unknown-ca"), t.error, expl, fix);
    }
    default:
        break;
    }
    if (t.opensslError == 0)
        return makeProblem(QStringLiteral("root-cert-unreadable"), t.error,
                           tr("The CA file could not be used."),
                           tr("Give a readable PEM file of CA certificates."));
    return makeProblem(QStringLiteral("untrusted"), t.error, tr("The certificate chain did not verify."),
                       tr("See the detail."));
}

Problem hostProblem(const InspectionReport &r)
{
    const HostMatch &h = *r.probe.hostMatch;
    const CertificateInfo &leaf = r.probe.chain.first();
    QStringList certNames = leaf.sanDns + leaf.sanIp;
    if (certNames.isEmpty() && !leaf.subjectCommonName.isEmpty())
        certNames << leaf.subjectCommonName;
    QString rdsName;
    for (const QString &n : std::as_const(certNames)) {
        if (!rdsRegionOf(n).isEmpty()) {
            rdsName = n;
            break;
        }
    }
    if (!rdsName.isEmpty() && rdsRegionOf(h.checkedName).isEmpty()) {
        return makeProblem(
            QStringLiteral("host-mismatch-alias"), h.error,
            tr("The certificate is for %1 but you connected to %2, an alias (a Route 53 CNAME, an internal DNS "
               "name or a load balancer). libpq checks the name you typed, not where it points.")
                .arg(rdsName, h.checkedName),
            tr("Connect to the RDS endpoint name %1 (keep the alias only for routing with hostaddr), or accept "
               "sslmode=verify-ca knowingly: then any certificate from that CA passes.")
                .arg(rdsName));
    }
    return makeProblem(QStringLiteral("host-mismatch"), h.error,
                       tr("The server's certificate does not name the host you connected to (%1), so it may "
                          "belong to another server.")
                           .arg(h.checkedName),
                       tr("Connect using one of the names in the certificate: %1.")
                           .arg(certNames.join(QStringLiteral(", "))));
}

} // namespace

Inspector::Inspector(QObject *parent)
    : QObject(parent)
    , m_probe(new TlsProbe(this))
{
    connect(m_probe, &TlsProbe::stepFinished, this, &Inspector::stepFinished);
    connect(m_probe, &TlsProbe::finished, this, &Inspector::probeFinished);
}

Inspector::~Inspector() = default;

bool Inspector::isRunning() const
{
    return m_probe->isRunning();
}

void Inspector::start(const Endpoint &endpoint, const InspectionOptions &options)
{
    m_report = InspectionReport();
    m_report.endpoint = endpoint;
    m_report.probeOnly = options.probeOnly;
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_report.now = options.now.isValid() ? options.now.toUTC() : m_report.startedAt;
    m_report.rootCert = RootCert::resolve(endpoint.sslmode, endpoint.sslrootcert, options.homeDirectory);
    m_probe->start(endpoint, m_report.rootCert, options.timeoutMs, m_report.now);
}

void Inspector::cancel()
{
    m_probe->cancel();
}

void Inspector::probeFinished()
{
    m_report.probe = m_probe->result();
    m_report.totalMs = m_report.probe.timings.total;
    judge(m_report);
    emit finished();
}

void Inspector::judge(InspectionReport &r)
{
    r.problems.clear();
    const ProbeResult &p = r.probe;
    const SslMode mode = r.endpoint.sslmode;

    if (!r.rootCert.error.isEmpty()) {
        r.problems << makeProblem(QStringLiteral("root-cert-missing"), r.rootCert.error,
                                  tr("sslmode=%1 verifies the server against a CA file, and there is none at %2: "
                                     "libpq will not even try to connect.")
                                      .arg(sslModeName(mode), r.rootCert.path),
                                  tr("Download the RDS CA bundle (or your CA's certificate) and pass it with "
                                     "sslrootcert=, or save it as %1.")
                                      .arg(r.rootCert.path));
    }

    bool ok = false;
    if (p.outcome == ProbeResult::Outcome::TlsEstablished) {
        bool trusted = true;
        if (r.rootCert.verifies && !p.trust.trusted) {
            trusted = false;
            r.problems << trustProblem(r);
        }
        bool hostOk = true;
        if (mode == SslMode::VerifyFull && trusted && r.rootCert.verifies) {
            if (!p.hostMatch || !p.hostMatch->matched) {
                hostOk = false;
                if (p.hostMatch && !p.chain.isEmpty())
                    r.problems << hostProblem(r);
                else
                    r.problems << makeProblem(QStringLiteral("host-mismatch"),
                                              tr("host name must be specified for a verified SSL connection"),
                                              tr("verify-full compares the certificate with the host name, and "
                                                 "none was given (hostaddr is never checked)."),
                                              tr("Give the host name as well as hostaddr."));
            }
        }
        ok = r.rootCert.error.isEmpty() && trusted && hostOk;

        if (ok && !r.rootCert.verifies) {
            r.problems << makeProblem(
                QStringLiteral("server-not-authenticated"), QString(),
                tr("sslmode=%1 encrypts but does not check the server's certificate: a man in the middle can "
                   "present any certificate and read or change the traffic.")
                    .arg(sslModeName(mode)),
                tr("Use sslmode=verify-full with sslrootcert pointing at the CA bundle."),
                Problem::Severity::Warning);
        } else if (ok && mode == SslMode::VerifyCa) {
            r.problems << makeProblem(
                QStringLiteral("host-not-checked"), QString(),
                tr("verify-ca checks that a trusted CA issued the certificate but not for which host: any server "
                   "with a certificate from that CA (for RDS: any RDS instance in the region) passes."),
                tr("Use sslmode=verify-full."), Problem::Severity::Warning);
        }
        if (!p.chain.isEmpty()) {
            const CertificateInfo &leaf = p.chain.first();
            const qint64 daysLeft = r.now.daysTo(leaf.notAfter);
            if (!leaf.isExpiredAt(r.now) && daysLeft <= 30) {
                r.problems << makeProblem(QStringLiteral("cert-expires-soon"),
                                          tr("notAfter %1").arg(leaf.notAfter.toString(Qt::ISODate)),
                                          tr("The server certificate expires in %n day(s).", nullptr, int(daysLeft)),
                                          tr("Renew or rotate it before then."), Problem::Severity::Warning);
            }
        }
    } else {
        r.problems << probeProblem(r);
    }
    r.ok = ok;

    // The banner line.
    if (p.outcome == ProbeResult::Outcome::TlsEstablished) {
        if (ok && mode == SslMode::VerifyFull)
            r.summary = tr("Encrypted and verified: trusted CA, host name matches");
        else if (ok && r.rootCert.verifies)
            r.summary = tr("Encrypted, CA verified, but the host name is not checked");
        else if (ok)
            r.summary = tr("Encrypted, but the server was not authenticated: a man in the middle could read this");
        else if (!r.problems.isEmpty())
            r.summary = tr("Failed: %1").arg(r.problems.first().explanation.section(QLatin1Char('.'), 0, 0));
    } else if (p.outcome == ProbeResult::Outcome::TlsRefused) {
        r.summary = tr("Not encrypted: the server refuses TLS");
    } else if (p.outcome == ProbeResult::Outcome::Cancelled) {
        r.summary = tr("Cancelled");
    } else {
        r.summary = tr("Failed: %1").arg(r.problems.isEmpty() ? p.error : r.problems.first().explanation.section(QLatin1Char('.'), 0, 0));
    }
    const bool hostFailed = std::any_of(r.problems.cbegin(), r.problems.cend(), [](const Problem &pr) {
        return pr.code.startsWith(QLatin1String("host-mismatch"));
    });
    if (hostFailed)
        r.summary = tr("Failed: host name does not match the certificate");
}

} // namespace pgtls
