// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

namespace pgtls {

// A failure or warning, as data. `code` is stable (used by JSON consumers and for exit codes);
// `detail` is the libpq/OpenSSL/system text verbatim; `explanation` and `fix` are in the user's words.
// A Problem never holds a password.
struct Problem
{
    enum class Severity { Error, Warning };

    QString code;
    Severity severity = Severity::Error;
    QString title;       // a few words for a banner: "host name does not match the certificate"
    QString detail;
    QString explanation;
    QString fix;

    bool isError() const { return severity == Severity::Error; }
    static QString severityName(Severity s) { return s == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning"); }
};

using ProblemList = QList<Problem>;

} // namespace pgtls
