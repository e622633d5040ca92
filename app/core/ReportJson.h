// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

#include <QJsonObject>

namespace pgtls {

// Serialises a report with the public JSON keys of DESIGN.md (more keys may be added, none renamed).
// Never writes a password: a report holds none.
class ReportJson
{
public:
    static QJsonObject toJson(const InspectionReport &report);
    static QJsonObject certificateToJson(const CertificateInfo &cert);
    static QByteArray toBytes(const InspectionReport &report); // indented UTF-8, trailing newline
};

} // namespace pgtls
