// SPDX-License-Identifier: MIT
#include "InspectionReport.h"

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

} // namespace pgtls
