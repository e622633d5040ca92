// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace pgtls::ui {

// The state an input shows (Wireshark-style): the field's background and a hint line beneath it.
enum class FieldState { Neutral, Valid, Invalid };

// Shows `state` on `field` (Invalid: a red-tinted Base derived from the current palette, so light
// and dark themes both stay readable) and `text` on `hint` (muted for Neutral/Valid, red-ish for
// Invalid). The field's accessible description follows the hint, and its dynamic property "state"
// ("neutral", "valid", "invalid") tells tests what is shown.
void showFieldState(QWidget *field, QLabel *hint, FieldState state, const QString &text);

// A hint label: word-wrapped, slightly smaller, muted text, selectable for copying.
QLabel *makeHintLabel(
    const QString &objectName, const QString &accessibleName, QWidget *parent = nullptr);

} // namespace pgtls::ui
