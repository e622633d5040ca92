// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

namespace pgtls {

// Turns what the probe and the sessions found into the verdict: ok (the exit code's answer), the
// banner's summary, and the problems, each explained. Pure functions of the report.
class Judge
{
public:
    // Fills report.ok, report.summary, report.problems, report.plaintext's verdict, report.matrix's
    // derived columns. Idempotent.
    static void apply(InspectionReport &report);

    // The plaintext test's verdict from the sslmode=disable attempt, in the light of the sslmode=require
    // reference attempt (which tells whether the same user and database get past pg_hba over TLS).
    // Neither attempt ever sends a password.
    static PlaintextResult classifyPlaintext(const SessionResult &plaintextAttempt, const SessionResult &tlsReference);

    // One matrix row from the attempt in `mode` (password withheld for disable/allow).
    static MatrixRow matrixRow(SslMode mode, const SessionResult &attempt, bool passwordWithheld,
                               const RootCertResolution &rootCertForMode);
};

} // namespace pgtls
