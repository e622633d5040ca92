// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QWidget;

namespace pgtls::ui {

// Text from a server, a certificate or a file is hostile: shown as plain text, never as rich text
// (Qt's auto-detection would load an <img src=/dev/zero> from a certificate subject when the user
// hovers it), and with its control characters and bidirectional overrides made visible
// (SafeText: "\x1b", "\u{202e}"), so that what is shown is what the data holds.
//
// Labels get Qt::PlainText; a tooltip has no format setting, so one that carries such text is
// built here: the text made visible, HTML-escaped, inside an explicit paragraph that keeps its
// line breaks and spaces. An "<img ...>" reads as those characters and loads nothing. Empty text
// gives an empty tooltip (none shown).
QString plainToolTip(const QString &text);

// Hostile text for a plain-text label or an item: its controls and bidi overrides escaped
// visibly, line breaks kept (SafeText::lines). Idempotent.
QString visibleText(const QString &text);

// visibleText() applied to every plain-text label and every item text of every item view below
// `root` (a view calls it once it has rendered a report).
void makeTextVisible(QWidget *root);

} // namespace pgtls::ui
