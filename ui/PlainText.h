// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace pgtls::ui {

// Text from a server, a certificate or a file is hostile: shown as plain text, never as rich text
// (Qt's auto-detection would load an <img src=/dev/zero> from a certificate subject when the user
// hovers it). Labels get Qt::PlainText; a tooltip has no format setting, so one that carries such
// text is built here: the text HTML-escaped inside an explicit paragraph that keeps its line
// breaks and spaces, so Qt shows exactly the characters the data holds (an "<img ...>" reads as
// those characters, loads nothing). Empty text gives an empty tooltip (none shown).
inline QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped()
        + QStringLiteral("</p>");
}

} // namespace pgtls::ui
