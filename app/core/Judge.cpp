// SPDX-License-Identifier: MIT
#include "Judge.h"

#include "ProblemCatalog.h"

#include <QCoreApplication>

namespace pgtls {

namespace {

void add(InspectionReport &r, const QString &code, const QString &detail = QString())
{
    r.problems << ProblemCatalog::make(code, detail, r);
}

void add(InspectionReport &r, ProblemCode code, const QString &detail = QString())
{
    add(r, problemCodeName(code), detail);
}

void addProbeWarnings(InspectionReport &r)
{
    if (r.probe.chain.isEmpty())
        return;
    const CertificateInfo &leaf = r.probe.chain.first();
    if (!leaf.isExpiredAt(r.now) && r.now.daysTo(leaf.notAfter) <= 30)
        add(r, ProblemCode::CertExpiresSoon,
            QCoreApplication::translate("pgtls::Judge", "notAfter %1")
                .arg(leaf.notAfter.toString(Qt::ISODate)));
}

// The root file's own problem in a mode that uses TLS, whatever the server does: a named file that
// does not exist (verify-*: libpq fails; the weaker modes: nothing is verified) or one libpq cannot
// load. Returns true when TLS cannot even start (libpq's r.rootCert.tlsStartError()).
bool addRootFileProblem(InspectionReport &r)
{
    const RootCertResolution &root = r.rootCert;
    const SslMode mode = r.endpoint.sslmode;
    if (mode == SslMode::Disable)
        return false;
    if (!root.tlsStartError().isEmpty()) {
        if (!root.exists)
            add(r, root.named() ? ProblemCode::RootCertNamedMissing
                                : ProblemCode::RootCertMissing,
                root.tlsStartError());
        else
            add(r, ProblemCode::RootCertUnusable, root.tlsStartError());
        return true;
    }
    if (root.named() && !root.exists)
        add(r, ProblemCode::RootCertNamedMissingUnverified);
    return false;
}

// Probe-only: the verdict is the probe's, judged the way libpq would judge that handshake, with
// the prediction of what libpq would then do (the probe-only prediction contract).
void judgeProbeOnly(InspectionReport &r)
{
    using Tls = LibpqPrediction::Tls;
    using Fallback = LibpqPrediction::Fallback;
    const ProbeResult &p = r.probe;
    const SslMode mode = r.endpoint.sslmode;
    LibpqPrediction &libpq = r.probeLibpq;
    libpq = LibpqPrediction();

    if (mode == SslMode::Disable) {
        // libpq never starts TLS in this mode, whatever the server offers.
        libpq.tls = Tls::NotTried;
        libpq.fallback = Fallback::PlaintextOnly;
        add(r, ProblemCode::SslmodeDisable);
        r.ok = false;
        r.summary = p.tlsOffered ? QCoreApplication::translate("pgtls::Judge",
                        "Not encrypted: sslmode=disable never uses TLS (the server offers it)")
                                 : QCoreApplication::translate("pgtls::Judge",
                                     "Not encrypted: sslmode=disable never uses TLS");
        return;
    }

    const bool established = p.outcome == ProbeResult::Outcome::TlsEstablished;
    const bool refused = p.outcome == ProbeResult::Outcome::TlsRefused;
    bool tlsFails = false;
    // prefer retries without TLS after the server's 'N', a failed TLS start (the root file) or a
    // failed handshake or verification; not when the server was never reached or gave no answer.
    bool retriable = false;
    if (!established) {
        add(r, p.errorCode.isEmpty() ? problemCodeName(ProblemCode::ConnectionFailed) : p.errorCode, p.error);
        tlsFails = true;
        retriable = refused
            || (p.tlsOffered && p.outcome == ProbeResult::Outcome::Failed
                && p.errorCode == QLatin1String("tls-handshake-failed"));
    }
    // libpq loads the root file once the server said 'S'; a missing (verify-*) or unusable file
    // fails TLS before the handshake. It is the user's problem whatever the server did.
    if (addRootFileProblem(r)) {
        tlsFails = true;
        retriable = retriable || established;
    }
    if (established && r.rootCert.tlsStartError().isEmpty()) {
        bool trusted = true;
        if (r.rootCert.verifies && !p.trust.trusted) {
            trusted = false;
            add(r, ProblemCatalog::trustCode(p.trust), p.trust.error);
        }
        if (mode == SslMode::VerifyFull && trusted && r.rootCert.verifies
            && (!p.hostMatch || !p.hostMatch->matched)) {
            trusted = false;
            add(r, ProblemCatalog::hostMismatchCode(r),
                p.hostMatch ? p.hostMatch->error
                            : QCoreApplication::translate("pgtls::Judge",
                                "host name must be specified for a verified SSL connection"));
        }
        if (!trusted) {
            tlsFails = true;
            retriable = true;
        }
    }
    libpq.tls = tlsFails ? Tls::Fails : Tls::Succeeds;
    if (mode == SslMode::Allow)
        libpq.fallback = Fallback::PlaintextFirst;
    else if (mode == SslMode::Prefer && tlsFails && retriable)
        libpq.fallback = Fallback::PlaintextAfterFailure;
    const Problem *firstError = r.firstError();
    if (tlsFails && firstError)
        libpq.tlsFailure = firstError->title;
    const bool ok = !tlsFails;
    r.ok = ok;

    if (ok) {
        if (mode == SslMode::Allow)
            add(r, ProblemCode::AllowTriesPlaintext);
        else if (mode == SslMode::Prefer)
            add(r, ProblemCode::PreferFallsBack);
        if (!r.rootCert.verifies)
            add(r, ProblemCode::ServerNotAuthenticated);
        else if (mode != SslMode::VerifyFull)
            add(r, ProblemCode::HostNotChecked);
        addProbeWarnings(r);
    } else if (libpq.fallback == Fallback::PlaintextAfterFailure) {
        add(r, ProblemCode::PreferRetriesPlaintext, libpq.tlsFailure);
    } else if (mode == SslMode::Allow && retriable) {
        add(r, ProblemCode::AllowTlsWouldFail, libpq.tlsFailure);
    }

    if (p.outcome == ProbeResult::Outcome::Cancelled) {
        r.summary = QCoreApplication::translate("pgtls::Judge", "Cancelled");
    } else if (ok && mode == SslMode::Allow) {
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "TLS offered, but sslmode=allow tries plaintext first: unencrypted whenever the server "
            "accepts that");
    } else if (ok) {
        r.summary = mode == SslMode::VerifyFull ? QCoreApplication::translate(
                        "pgtls::Judge", "Encrypted and verified: trusted CA, host name matches")
            : r.rootCert.verifies
            ? QCoreApplication::translate(
                "pgtls::Judge", "Encrypted, CA verified, but the host name is not checked")
            : QCoreApplication::translate("pgtls::Judge",
                "Encrypted, but the server was not authenticated: a man in the "
                "middle could read this");
    } else if (refused && mode == SslMode::Prefer) {
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Not encrypted: the server refuses TLS, and sslmode=prefer would go on without it "
            "(whether the server accepts plaintext, the probe cannot tell)");
    } else if (refused && mode == SslMode::Allow) {
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Not encrypted: the server refuses TLS, and sslmode=allow tries plaintext first "
            "(whether the server accepts it, the probe cannot tell)");
    } else if (refused) {
        r.summary
            = QCoreApplication::translate("pgtls::Judge", "Not encrypted: the server refuses TLS");
    } else if (libpq.fallback == Fallback::PlaintextAfterFailure) {
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "TLS fails (%1): sslmode=prefer would retry without TLS, unencrypted if the server "
            "accepts that (the probe cannot tell)")
                        .arg(libpq.tlsFailure);
    } else if (mode == SslMode::Allow && retriable) {
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "sslmode=allow tries plaintext first; should the server refuse it, TLS would fail "
            "(%1)")
                        .arg(libpq.tlsFailure);
    }
}

QString sessionCode(const InspectionReport &r)
{
    const SessionResult &s = r.session;
    QString code = s.errorCode;
    // What libpq's text did not tell (a language without a catalogue, a message we do not know),
    // the probe's facts about the same server can: its TCP connect's error, its SSLRequest
    // answer, its own host-name match.
    const ProbeResult &p = r.probe;
    const bool probeFacts = p.outcome != ProbeResult::Outcome::NotRun;
    if (probeFacts && (code == QLatin1String("connection-failed")
            || code == QLatin1String("tls-handshake-failed"))) {
        if (s.step == QLatin1String("tcp-connect") && p.step == QLatin1String("tcp-connect")
            && p.errorCode == QLatin1String("connection-refused"))
            code = problemCodeName(ProblemCode::ConnectionRefused);
        else if (s.step == QLatin1String("ssl-request")
                 && p.outcome == ProbeResult::Outcome::TlsRefused
                 && r.endpoint.sslmode >= SslMode::Require)
            code = problemCodeName(ProblemCode::SslNotSupported);
        else if (s.step == QLatin1String("tls-handshake")
                 && r.endpoint.sslmode == SslMode::VerifyFull
                 && p.outcome == ProbeResult::Outcome::TlsEstablished
                 && (!p.trust.attempted || p.trust.trusted) && p.hostMatch
                 && !p.hostMatch->matched)
            // libpq's handshake failed under verify-full where the probe's chain verified and its
            // host match failed: the host-name check (the Route 53 alias case), in any language.
            code = problemCodeName(ProblemCode::HostMismatch);
        else if (s.step == QLatin1String("tls-handshake") && r.rootCert.verifies
                 && p.trust.attempted && !p.trust.trusted)
            code = problemCodeName(ProblemCode::CertVerifyFailed);
    }
    if (code == QLatin1String("cert-verify-failed")) {
        if (r.probe.trust.attempted && !r.probe.trust.trusted)
            return ProblemCatalog::trustCode(r.probe.trust);
        return problemCodeName(ProblemCode::Untrusted);
    }
    if (code == QLatin1String("host-mismatch"))
        return ProblemCatalog::hostMismatchCode(r);
    // The root file's trap, worded for a file the user named (a typo), or for one libpq cannot
    // load (what libpq then does in this sslmode).
    if (code == QLatin1String("root-cert-missing") && r.rootCert.named())
        return problemCodeName(ProblemCode::RootCertNamedMissing);
    if (code == QLatin1String("root-cert-unreadable") && r.rootCert.exists)
        return problemCodeName(ProblemCode::RootCertUnusable);
    if (code == QLatin1String("no-pg-hba-entry-no-encryption"))
        return r.plaintext.verdict == PlaintextResult::Verdict::RefusedEncryptionRequired
            ? problemCodeName(ProblemCode::PlaintextRefused)
            : problemCodeName(ProblemCode::NoPgHbaEntry);
    if (ProblemCatalog::knownCodes().contains(code))
        return code;
    return problemCodeName(ProblemCode::SessionFailed);
}

void judgeSession(InspectionReport &r)
{
    const SessionResult &s = r.session;
    const SslMode mode = r.endpoint.sslmode;
    // libpq connected, but the server then did not answer the server-view queries within the
    // bound: the inspection did not finish (a server that logs in and then stalls).
    const bool stalledAfterLogin = s.connected && s.errorCode == QLatin1String("timeout");
    if (s.connected) {
        r.ok = !stalledAfterLogin && (mode >= SslMode::Require ? s.sslInUse : true);
        if (stalledAfterLogin)
            add(r, ProblemCode::Timeout, s.error);
        // Each weak mode names its own weakness, whatever this connection had.
        if (mode == SslMode::Allow)
            add(r, ProblemCode::AllowTriesPlaintext);
        else if (mode == SslMode::Prefer)
            add(r, ProblemCode::PreferFallsBack);
        // The root file's trap: a named file that does not exist turned verification off; one
        // libpq cannot load made TLS fail (prefer then retried without it; allow went plaintext
        // first, and TLS would have failed).
        if (r.rootCert.named() && !r.rootCert.exists && mode != SslMode::Disable)
            add(r, ProblemCode::RootCertNamedMissingUnverified);
        else if (!r.rootCert.loadError.isEmpty() && !s.sslInUse
                 && (mode == SslMode::Prefer || mode == SslMode::Allow))
            add(r, ProblemCode::RootCertUnusable, r.rootCert.loadError);
        if (!s.sslInUse) {
            add(r, ProblemCode::NotEncrypted);
        } else {
            if (!r.rootCert.verifies)
                add(r, ProblemCode::ServerNotAuthenticated);
            else if (mode != SslMode::VerifyFull)
                add(r, ProblemCode::HostNotChecked);
        }
        if (s.sslIsUsed.has_value() && *s.sslIsUsed != s.sslInUse) {
            add(r, ProblemCode::TlsTerminatedByProxy,
                QCoreApplication::translate("pgtls::Judge", "libpq: TLS %1; server (%2): %3")
                    .arg(s.sslInUse ? QCoreApplication::translate("pgtls::Judge", "in use")
                                    : QCoreApplication::translate("pgtls::Judge", "not in use"),
                        s.sslIsUsedSource,
                        *s.sslIsUsed ? QCoreApplication::translate("pgtls::Judge", "TLS")
                                     : QCoreApplication::translate("pgtls::Judge", "no TLS")));
        } else if (s.sslInUse && s.pgStatSsl.value_or(false)
                   && ((!s.pgStatSslVersion.isEmpty() && s.pgStatSslVersion != s.protocol)
                       || (!s.pgStatSslCipher.isEmpty() && s.pgStatSslCipher != s.cipher))) {
            add(r, ProblemCode::TlsParametersDiffer,
                QCoreApplication::translate("pgtls::Judge", "libpq: %1 %2; server: %3 %4")
                    .arg(s.protocol, s.cipher, s.pgStatSslVersion, s.pgStatSslCipher));
        }
        if (!s.sslinfoInstalled && !s.serverVersion.isEmpty())
            add(r, ProblemCode::SslinfoMissing);
        if (!s.queryError.isEmpty())
            add(r, ProblemCode::ServerViewIncomplete, s.queryError);
        if (s.sslInUse)
            addProbeWarnings(r);
    } else {
        r.ok = false;
        QString detail = s.error;
        const QString code = sessionCode(r);
        if (s.errorCode == QLatin1String("cert-verify-failed") && !r.probe.trust.error.isEmpty())
            detail += QStringLiteral(" (%1)").arg(r.probe.trust.error);
        add(r, code, detail);
    }

    // What the plaintext attempt showed, in words (libpq's "fe_sendauth: no password supplied"
    // reads like a failure; it is the proof: the server asked for a password over plaintext).
    // libpq's own text stays in plaintext.detail.
    if (r.plaintext.accepted.value_or(false))
        add(r, ProblemCode::PlaintextAccepted, r.plaintext.explanation);

    const bool proxy = r.hasProblem(QStringLiteral("tls-terminated-by-proxy"));
    if (!s.connected)
        return;
    if (stalledAfterLogin)
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Connected, but the server did not answer the inspection's queries in time");
    else if (proxy)
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Encrypted only as far as a proxy: the server sees this session unencrypted");
    else if (!s.sslInUse)
        r.summary = QCoreApplication::translate(
            "pgtls::Judge", "Not encrypted: sslmode=%1 connected without TLS")
                        .arg(sslModeName(mode));
    else if (mode == SslMode::VerifyFull && r.plaintext.accepted.value_or(false))
        // The headline names the most important finding: this connection is safe, the server is
        // not (any client that can be downgraded goes without TLS).
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Encrypted and verified, but the server also accepts unencrypted connections");
    else if (mode == SslMode::VerifyFull)
        r.summary = QCoreApplication::translate(
            "pgtls::Judge", "Encrypted and verified: trusted CA, host name matches");
    else if (r.rootCert.verifies)
        r.summary = QCoreApplication::translate(
            "pgtls::Judge", "Encrypted, CA verified, but the host name is not checked");
    else
        r.summary = QCoreApplication::translate("pgtls::Judge",
            "Encrypted, but the server was not authenticated: a man in the middle could read this");
}

} // namespace

PlaintextResult Judge::classifyPlaintext(const SessionResult &a, const SessionResult &ref)
{
    using V = PlaintextResult::Verdict;
    PlaintextResult p;
    p.tested = a.attempted;
    p.attempt = a;
    p.reference = ref;
    p.detail = a.error;
    if (!a.attempted) {
        p.verdict = V::NotTested;
        return p;
    }
    const QString code = a.errorCode;
    // Did the same user and database get past pg_hba over TLS?
    const bool tlsPassedHba = ref.connected || ref.reachedAuthentication || ref.needsPassword
        || ref.errorCode == QLatin1String("password-needed") || ref.errorCode == QLatin1String("password-failed")
        || ref.errorCode == QLatin1String("role-missing") || ref.errorCode == QLatin1String("database-missing");
    const bool tlsRefusedByHba = ref.errorCode.startsWith(QLatin1String("no-pg-hba-entry"))
        || ref.errorCode == QLatin1String("pg-hba-reject");
    if (a.connected) {
        p.verdict = V::Accepted;
        p.accepted = true;
        p.explanation = QCoreApplication::translate("pgtls::Judge",
            "The server accepted an unencrypted connection and logged it in (no password asked).");
    } else if (a.needsPassword || a.reachedAuthentication || code == QLatin1String("password-needed")) {
        p.verdict = V::AcceptedAuthRequired;
        p.accepted = true;
        p.explanation = QCoreApplication::translate("pgtls::Judge",
            "The server accepts unencrypted connections: it asked for the password over plaintext "
            "(we did not send it). rds.force_ssl is 0 here, or pg_hba.conf has host lines.");
    } else if (code == QLatin1String("role-missing") || code == QLatin1String("database-missing")
               || code == QLatin1String("password-failed")) {
        p.verdict = V::AcceptedLoginFailed;
        p.accepted = true;
        p.explanation = QCoreApplication::translate("pgtls::Judge",
            "pg_hba.conf admits unencrypted connections; this login failed for another reason.");
    } else if (code == QLatin1String("no-pg-hba-entry-no-encryption") || code == QLatin1String("pg-hba-reject")
               || code == QLatin1String("no-pg-hba-entry")) {
        p.accepted = false;
        if (tlsPassedHba) {
            p.verdict = V::RefusedEncryptionRequired;
            p.explanation = QCoreApplication::translate("pgtls::Judge",
                "The server refuses unencrypted connections and admits TLS ones: encryption is "
                "required (on RDS: rds.force_ssl=1).");
        } else if (tlsRefusedByHba) {
            p.verdict = V::RefusedNoEntry;
            p.explanation = QCoreApplication::translate("pgtls::Judge",
                "Refused, but TLS connections for this user and database are refused too: "
                "pg_hba.conf has no entry for them at all, so this says nothing about encryption.");
        } else {
            p.verdict = V::RefusedUnknownWhy;
            p.explanation = QCoreApplication::translate("pgtls::Judge",
                "Refused without TLS; the comparison attempt with TLS did not get far enough to "
                "tell whether encryption is what the server requires.");
        }
    } else {
        p.verdict = V::Inconclusive;
        p.explanation = QCoreApplication::translate(
            "pgtls::Judge", "The unencrypted attempt ended without an answer either way.");
    }
    return p;
}

namespace {

// Protection against a man in the middle, as the order of the sslmodes gives it.
int protectionRank(SslMode mode)
{
    switch (mode) {
    case SslMode::Disable:
    case SslMode::Allow:
    case SslMode::Prefer:
        return 0;
    case SslMode::Require:
        return 1;
    case SslMode::VerifyCa:
        return 2;
    case SslMode::VerifyFull:
        return 3;
    }
    return 0;
}

QString withheldBecause(SslMode mode, SslMode requested, const RootCertResolution &rootCert)
{
    const QString asked = sslModeName(requested);
    switch (mode) {
    case SslMode::Disable:
        return QCoreApplication::translate("pgtls::Judge",
            "Password withheld: disable never encrypts, so it would cross the network unprotected.");
    case SslMode::Allow:
        return QCoreApplication::translate("pgtls::Judge",
            "Password withheld: allow tries plaintext first, and an attacker can simply accept it.");
    case SslMode::Prefer:
        return QCoreApplication::translate("pgtls::Judge",
            "Password withheld: prefer falls back to plaintext when TLS is refused or fails, so an "
            "attacker who refuses TLS would receive it.");
    case SslMode::Require:
        if (rootCert.verifies)
            return QCoreApplication::translate("pgtls::Judge",
                "Password withheld: require checks the CA here (a root certificate file exists) but "
                "not the host name, which is weaker than the %1 you asked for: any server with a "
                "certificate from that CA could collect it.")
                .arg(asked);
        return QCoreApplication::translate("pgtls::Judge",
            "Password withheld: require accepts any certificate, which is weaker than the %1 you "
            "asked for: a man in the middle could collect it.")
            .arg(asked);
    case SslMode::VerifyCa:
        return QCoreApplication::translate("pgtls::Judge",
            "Password withheld: verify-ca accepts a certificate from the CA for any host name, which "
            "is weaker than the %1 you asked for: another server with a certificate from the same "
            "CA could collect it.")
            .arg(asked);
    case SslMode::VerifyFull:
        break;
    }
    return QCoreApplication::translate("pgtls::Judge",
        "Password withheld: this attempt is not protected as strongly as the %1 you asked for.")
        .arg(asked);
}

} // namespace

QString Judge::passwordWithheldReason(SslMode attemptMode, SslMode requested,
                                      const RootCertResolution &rootCertForMode)
{
    const int rank = protectionRank(attemptMode);
    if (rank > 0 && rank >= protectionRank(requested))
        return QString();
    return withheldBecause(attemptMode, requested, rootCertForMode);
}

MatrixRow Judge::matrixRow(SslMode mode, const SessionResult &a, bool passwordWithheld,
                           const RootCertResolution &rootCert)
{
    return matrixRow(mode, a,
        passwordWithheld ? withheldBecause(mode, SslMode::VerifyFull, rootCert) : QString(),
        rootCert);
}

MatrixRow Judge::matrixRow(SslMode mode, const SessionResult &a,
                           const QString &passwordWithheldReason, const RootCertResolution &rootCert)
{
    MatrixRow row;
    row.sslmode = mode;
    const bool passwordWithheld = !passwordWithheldReason.isEmpty();
    row.passwordWithheld = passwordWithheld;
    row.passwordWithheldReason = passwordWithheldReason;
    row.connected = a.connected || (passwordWithheld && (a.needsPassword || a.reachedAuthentication));
    // What the final connection had, also when it stopped at the authentication request: libpq's
    // TLS state as observed while it polled.
    row.encrypted = row.connected && (a.connected ? a.sslInUse : a.sslInUseObserved);
    // libpq verified the chain if it used TLS with a root file (verify-* always need one).
    row.caVerified = row.encrypted && rootCert.verifies;
    row.hostVerified = row.encrypted && mode == SslMode::VerifyFull;
    // Safe against a man in the middle only if an attacker can neither downgrade (allow/prefer fall back
    // to plaintext, disable never encrypts), nor present another certificate (needs CA + host checks).
    const bool downgradable = mode == SslMode::Disable || mode == SslMode::Allow || mode == SslMode::Prefer;
    row.mitmSafe = row.connected && row.encrypted && row.caVerified && row.hostVerified && !downgradable;
    row.error = a.connected ? QString() : a.error;
    row.errorCode = a.connected ? QString() : a.errorCode;
    row.ms = a.totalMs;
    if (passwordWithheld && a.channelBindingRequired && !a.connected) {
        if (a.errorCode == QLatin1String("password-needed"))
            row.channelBinding = QStringLiteral("offered");
        else if (a.errorCode == QLatin1String("channel-binding-unavailable"))
            row.channelBinding = QStringLiteral("not-offered");
    }
    if (!row.connected) {
        // The plain reason, as the problem catalogue words it.
        QString code = a.errorCode;
        if (code == QLatin1String("no-pg-hba-entry-no-encryption"))
            code = problemCodeName(ProblemCode::PlaintextRefused);
        else if (code == QLatin1String("cert-verify-failed"))
            code = problemCodeName(ProblemCode::Untrusted);
        else if (!ProblemCatalog::knownCodes().contains(code))
            code = problemCodeName(ProblemCode::SessionFailed);
        row.note = QCoreApplication::translate("pgtls::Judge", "Did not connect: %1.")
                       .arg(ProblemCatalog::make(code, QString(), InspectionReport()).title);
    }
    else if (!row.encrypted)
        row.note = QCoreApplication::translate(
            "pgtls::Judge", "Unencrypted: anyone on the path can read and change the traffic.");
    else if (mode == SslMode::Allow)
        // allow starts in plaintext: an encrypted end means the server refused it and libpq retried.
        row.note = QCoreApplication::translate("pgtls::Judge",
            "Encrypted in the end: the server refused the plaintext attempt that allow makes first, "
            "and libpq retried with TLS. An attacker simply accepts that first attempt.");
    else if (downgradable)
        row.note = QCoreApplication::translate("pgtls::Judge",
            "Encrypted this time, but an attacker who refuses TLS, or whose certificate fails "
            "verification, gets a plaintext connection (prefer then retries without TLS).");
    else if (!row.caVerified)
        row.note = QCoreApplication::translate("pgtls::Judge",
            "Encrypted, but any certificate is accepted: a man in the middle can read everything.");
    else if (!row.hostVerified)
        row.note = QCoreApplication::translate("pgtls::Judge",
            "Encrypted and CA-checked, but any server with a certificate from the same CA passes.");
    else
        row.note = QCoreApplication::translate("pgtls::Judge",
            "Encrypted, CA and host name verified: safe against a man in the middle.");
    return row;
}

QString Judge::channelBindingText(const MatrixRow &row)
{
    if (row.channelBinding == QLatin1String("offered"))
        return QCoreApplication::translate("pgtls::Judge",
            "The server offers SCRAM-SHA-256-PLUS: with channel_binding=require a man in the middle "
            "could neither complete this login nor read the password (a weak password could still "
            "be guessed offline from the exchange).");
    if (row.channelBinding == QLatin1String("not-offered"))
        return QCoreApplication::translate("pgtls::Judge",
            "The server does not offer channel binding (SCRAM-SHA-256-PLUS), so "
            "channel_binding=require cannot protect a password in this mode.");
    return QString();
}

void Judge::apply(InspectionReport &r)
{
    r.problems.clear();
    r.summary.clear();
    r.ok = false;
    if (r.probeOnly) {
        judgeProbeOnly(r);
    } else {
        if (r.plaintext.attempt.attempted)
            r.plaintext = classifyPlaintext(r.plaintext.attempt, r.plaintext.reference);
        judgeSession(r);
    }
    if (r.summary.isEmpty()) {
        const Problem *firstError = r.firstError();
        r.summary = firstError
            ? QCoreApplication::translate("pgtls::Judge", "Failed: %1").arg(firstError->title)
            : QCoreApplication::translate("pgtls::Judge", "Failed");
    }
}

} // namespace pgtls
