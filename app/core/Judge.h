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

    // Whether an extra attempt in `attemptMode` (a matrix row, never the user's own session) may
    // send the password when the user asked for `requested`: only when its connection is
    // protected at least as strongly (verify-full > verify-ca > require > prefer/allow/disable)
    // and it cannot fall back to plaintext (so never disable, allow or prefer). Returns why the
    // password is withheld, in the user's words, or an empty string when it may be sent.
    static QString passwordWithheldReason(SslMode attemptMode, SslMode requested,
                                          const RootCertResolution &rootCertForMode);

    // One matrix row from the attempt in `mode`; a non-empty `passwordWithheldReason` means the
    // attempt withheld the password (it stopped at the authentication request).
    static MatrixRow matrixRow(SslMode mode, const SessionResult &attempt,
                               const QString &passwordWithheldReason,
                               const RootCertResolution &rootCertForMode);
    // What the row's channel_binding finding means for a password, in the user's words; empty
    // when nothing was learned.
    static QString channelBindingText(const MatrixRow &row);
    // The same, with the reason passwordWithheldReason(mode, verify-full) gives when withheld.
    static MatrixRow matrixRow(SslMode mode, const SessionResult &attempt, bool passwordWithheld,
                               const RootCertResolution &rootCertForMode);
};

} // namespace pgtls
