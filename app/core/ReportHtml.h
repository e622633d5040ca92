// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

#include <QString>

namespace pgtls {

// A self-contained HTML report a DBA can attach to a ticket: one file, inline CSS, no scripts, no
// external resources; every string from the server or the user is escaped. Well-formed XHTML-style
// markup (every element closed), so it also parses as XML.
class ReportHtml
{
public:
    static QString render(const InspectionReport &report);
};

} // namespace pgtls
