// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

namespace pgtls::ui {

// What every view of a report offers to MainWindow: render a finished report, or show nothing.
// Views are read-only renderings of plain values; they never start engine work themselves.
class ReportView
{
public:
    virtual ~ReportView() = default;
    virtual void setReport(const InspectionReport &report) = 0;
    virtual void clearReport() = 0;
};

} // namespace pgtls::ui
