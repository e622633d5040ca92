// SPDX-License-Identifier: MIT
#include "Inspector.h"

#include "Judge.h"
#include "PgSession.h"
#include "TlsProbe.h"

namespace pgtls {

Inspector::Inspector(QObject *parent)
    : QObject(parent)
    , m_probe(new TlsProbe(this))
{
    connect(m_probe, &TlsProbe::stepFinished, this, &Inspector::stepFinished);
    connect(m_probe, &TlsProbe::finished, this, &Inspector::partFinished);
}

Inspector::~Inspector() = default;

PgSession *Inspector::newSession()
{
    auto *s = new PgSession(this);
    connect(s, &PgSession::finished, this, &Inspector::partFinished);
    m_parts.insert(s);
    return s;
}

void Inspector::start(const Endpoint &endpoint, const InspectionOptions &options)
{
    // Sessions of an earlier start() go away without their finished() reaching us (a restarted
    // probe drops its own earlier finished()).
    for (QObject *child : children()) {
        if (auto *s = qobject_cast<PgSession *>(child)) {
            s->disconnect(this);
            s->cancel();
            s->deleteLater();
        }
    }
    m_parts.clear();
    m_session = m_plaintext = m_tlsReference = nullptr;
    m_matrix.clear();
    m_matrixRootCerts.clear();
    m_matrixWithheld.clear();

    m_report = InspectionReport();
    m_report.endpoint = endpoint;
    m_report.probeOnly = options.probeOnly;
    m_report.matrixRequested = options.matrix && !options.probeOnly;
    m_report.startedAt = QDateTime::currentDateTimeUtc();
    m_report.now = options.now.isValid() ? options.now.toUTC() : m_report.startedAt;
    m_report.rootCert = RootCert::resolve(endpoint.sslmode, endpoint.sslrootcert, options.homeDirectory);

    m_parts.insert(m_probe);
    m_probe->setHomeDirectory(options.homeDirectory);
    m_probe->start(endpoint, m_report.rootCert, options.timeoutMs, m_report.now);
    if (options.probeOnly)
        return;

    PgSession::Options sessionOptions;
    sessionOptions.timeoutMs = options.timeoutMs;
    sessionOptions.homeDirectory = options.homeDirectory;
    m_session = newSession();
    m_session->start(endpoint, options.password, sessionOptions);

    // The plaintext test: sslmode=disable, and sslmode=require as the TLS reference; no password ever.
    PgSession::Options withheld = sessionOptions;
    withheld.withholdPassword = true;
    withheld.queryServerView = false;
    Endpoint plain = endpoint;
    plain.sslmode = SslMode::Disable;
    m_plaintext = newSession();
    m_plaintext->start(plain, QString(), withheld);
    Endpoint reference = endpoint;
    reference.sslmode = SslMode::Require;
    // The reference only asks "does TLS get past pg_hba?": no certificate verification (a path that
    // cannot exist turns it off under require, even when ~/.postgresql/root.crt exists).
    reference.sslrootcert = QStringLiteral("/dev/null/pgtls-no-root-cert");
    m_tlsReference = newSession();
    m_tlsReference->start(reference, QString(), withheld);

    if (m_report.matrixRequested) {
        for (SslMode mode : allSslModes()) {
            // The file was looked at once, above: only the sslmode differs.
            const RootCertResolution rootCert = RootCert::forMode(mode, m_report.rootCert);
            m_matrixRootCerts.append(rootCert);
            // Attempts already under way serve their rows: the plaintext test is exactly the disable
            // row (never a password), the session is the row of its own mode (the user asked for
            // it: libpq sends the password as it would for psql).
            if (mode == SslMode::Disable) {
                m_matrix.append({ mode, m_plaintext });
                m_matrixWithheld.append(Judge::passwordWithheldReason(mode, endpoint.sslmode, rootCert));
                continue;
            }
            if (mode == endpoint.sslmode) {
                m_matrix.append({ mode, m_session });
                m_matrixWithheld.append(QString());
                continue;
            }
            // Our own extra attempts: the password only where the connection is protected at
            // least as strongly as the mode the user asked for, and never where libpq may fall
            // back to plaintext. Whatever the user's password source (typed, keychain,
            // PGPASSWORD, .pgpass, a service file), a withheld attempt gets none of them.
            const QString reason = Judge::passwordWithheldReason(mode, endpoint.sslmode, rootCert);
            Endpoint e = endpoint;
            e.sslmode = mode;
            PgSession::Options o = sessionOptions;
            o.queryServerView = false;
            o.withholdPassword = !reason.isEmpty();
            // A withheld TLS attempt also learns whether the server offers channel binding.
            o.requireChannelBinding = o.withholdPassword && mode != SslMode::Allow
                && mode != SslMode::Prefer;
            PgSession *s = newSession();
            m_matrix.append({ mode, s });
            m_matrixWithheld.append(reason);
            s->start(e, reason.isEmpty() ? options.password : QString(), o);
        }
    }
}

void Inspector::cancel()
{
    if (!isRunning())
        return;
    m_probe->cancel();
    for (QObject *child : children()) {
        if (auto *s = qobject_cast<PgSession *>(child))
            s->cancel();
    }
}

// A chain the probe captured but did not verify because libpq would not: say why in the trust
// result (a file that cannot be loaded already says so, in libpq's words, from ChainVerifier).
void Inspector::explainUnverifiedChain(InspectionReport &r)
{
    TrustResult &t = r.probe.trust;
    if (r.probe.chain.isEmpty() || t.attempted || !t.error.isEmpty())
        return;
    const RootCertResolution &root = r.rootCert;
    if (r.endpoint.sslmode == SslMode::Disable)
        return;
    const QString mode = sslModeName(r.endpoint.sslmode);
    const bool required = sslModeRequiresRootCert(r.endpoint.sslmode);
    if (root.path.isEmpty())
        t.error = required ? tr("not verified: there is no home directory, so libpq has no CA "
                                "file, and sslmode=%1 fails before the handshake")
                                 .arg(mode)
                           : tr("not verified: there is no home directory, so libpq has no CA "
                                "file and checks no certificate in sslmode=%1")
                                 .arg(mode);
    else if (root.named())
        t.error = required ? tr("not verified: the CA file %1 you named (sslrootcert) does not "
                                "exist, so sslmode=%2 fails before the handshake")
                                 .arg(root.path, mode)
                           : tr("not verified: the CA file %1 you named (sslrootcert) does not "
                                "exist, so libpq checks no certificate in sslmode=%2")
                                 .arg(root.path, mode);
    else
        t.error = required ? tr("not verified: libpq's default CA file %1 does not exist, so "
                                "sslmode=%2 fails before the handshake")
                                 .arg(root.path, mode)
                           : tr("not verified: libpq's default CA file %1 does not exist, so "
                                "libpq checks no certificate in sslmode=%2")
                                 .arg(root.path, mode);
}

void Inspector::partFinished()
{
    QObject *part = sender();
    if (!m_parts.remove(part))
        return;
    if (part == m_probe)
        emit stepFinished(QStringLiteral("probe"));
    else if (part == m_session)
        emit stepFinished(QStringLiteral("session"));
    else if (part == m_plaintext || part == m_tlsReference)
        emit stepFinished(QStringLiteral("plaintext"));
    else
        emit stepFinished(QStringLiteral("matrix"));
    if (!m_parts.isEmpty())
        return;

    m_report.probe = m_probe->result();
    explainUnverifiedChain(m_report);
    if (m_session) {
        m_report.session = m_session->result();
        m_report.plaintext.attempt = m_plaintext->result();
        m_report.plaintext.reference = m_tlsReference->result();
    }
    for (int i = 0; i < m_matrix.size(); ++i) {
        const auto &[mode, s] = m_matrix.at(i);
        m_report.matrix << Judge::matrixRow(mode, s->result(), m_matrixWithheld.at(i),
                                            m_matrixRootCerts.at(i));
    }
    m_report.totalMs = m_report.startedAt.msecsTo(QDateTime::currentDateTimeUtc());
    Judge::apply(m_report);
    emit finished();
}

} // namespace pgtls
