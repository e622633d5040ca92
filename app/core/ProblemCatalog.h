// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"
#include "Problem.h"

namespace pgtls {

// Every Problem the engine reports, by stable code: a short title for a banner, an explanation and
// a fix in the user's words (translatable), with the libpq/OpenSSL text kept verbatim in `detail`.
// The report gives context (endpoint, probe, CA file) so that explanations name the actual host,
// certificate names, region and file.
class ProblemCatalog
{
public:
    static Problem make(const QString &code, const QString &detail, const InspectionReport &context);
    // The problem code for a failed chain verification (from the OpenSSL error of the probe's trust
    // result): "cert-expired", "unknown-ca", "ca-file-incomplete", ...
    static QString trustCode(const TrustResult &trust);
    // The host-mismatch code: "host-mismatch-alias" when the certificate names an RDS endpoint and the
    // host is not one, else "host-mismatch".
    static QString hostMismatchCode(const InspectionReport &context);
    // "eu-west-1" from "mydb.xxxx.eu-west-1.rds.amazonaws.com" (also Aurora/Proxy/China forms); empty otherwise.
    static QString rdsRegionOf(const QString &hostName);
    // Every code the catalog knows (for tests).
    static QStringList knownCodes();
};

} // namespace pgtls
