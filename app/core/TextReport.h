// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

#include <QString>

namespace pgtls {

// The human-readable report the CLI prints: a one-line verdict first, then the chain, trust,
// host-name match, TLS parameters, timings and the problems with their fixes.
class TextReport
{
public:
    static QString render(const InspectionReport &report);
    // Control characters (except newline) shown as \xNN: text from servers never reaches a terminal raw.
    static QString sanitize(const QString &text);
};

} // namespace pgtls
