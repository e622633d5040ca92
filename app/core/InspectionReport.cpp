// SPDX-License-Identifier: MIT
#include "InspectionReport.h"

#include <algorithm>

namespace pgtls {

QString ProbeResult::outcomeName(Outcome o)
{
    switch (o) {
    case Outcome::NotRun: return QStringLiteral("not-run");
    case Outcome::TlsEstablished: return QStringLiteral("tls-established");
    case Outcome::TlsRefused: return QStringLiteral("tls-refused");
    case Outcome::Failed: return QStringLiteral("failed");
    case Outcome::Cancelled: return QStringLiteral("cancelled");
    case Outcome::TimedOut: return QStringLiteral("timed-out");
    }
    return {};
}

QString LibpqPrediction::tlsName(Tls tls)
{
    switch (tls) {
    case Tls::NotPredicted: return {};
    case Tls::Succeeds: return QStringLiteral("succeeds");
    case Tls::Fails: return QStringLiteral("fails");
    case Tls::NotTried: return QStringLiteral("not-tried");
    }
    return {};
}

QString LibpqPrediction::fallbackName(Fallback fallback)
{
    switch (fallback) {
    case Fallback::None: return QStringLiteral("none");
    case Fallback::PlaintextFirst: return QStringLiteral("plaintext-first");
    case Fallback::PlaintextAfterFailure: return QStringLiteral("plaintext-after-failure");
    case Fallback::PlaintextOnly: return QStringLiteral("plaintext-only");
    }
    return {};
}

InspectionReport::Level InspectionReport::level() const
{
    if (!ok)
        return Level::Failed;
    const bool warnings = std::any_of(problems.cbegin(), problems.cend(), [](const Problem &p) { return p.isWarning(); });
    return warnings ? Level::Warning : Level::Ok;
}

const Problem *InspectionReport::firstError() const
{
    const auto it = std::find_if(problems.cbegin(), problems.cend(), [](const Problem &p) { return p.isError(); });
    return it == problems.cend() ? nullptr : &*it;
}

bool InspectionReport::hasProblem(const QString &code) const
{
    return std::any_of(problems.cbegin(), problems.cend(), [&code](const Problem &p) { return p.code == code; });
}

QString PlaintextResult::verdictName(Verdict v)
{
    switch (v) {
    case Verdict::NotTested: return QStringLiteral("not-tested");
    case Verdict::Accepted: return QStringLiteral("accepted");
    case Verdict::AcceptedAuthRequired: return QStringLiteral("accepted-auth-required");
    case Verdict::AcceptedLoginFailed: return QStringLiteral("accepted-login-failed");
    case Verdict::RefusedEncryptionRequired: return QStringLiteral("refused-encryption-required");
    case Verdict::RefusedUnknownWhy: return QStringLiteral("refused");
    case Verdict::RefusedNoEntry: return QStringLiteral("refused-no-pg-hba-entry");
    case Verdict::Inconclusive: return QStringLiteral("inconclusive");
    }
    return {};
}

} // namespace pgtls
