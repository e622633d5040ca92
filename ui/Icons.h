// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QPixmap>

namespace pgtls::ui {

// The application's SVG icons (resources/icons/<name>.svg, compiled into pgtls_ui): "ok", "warning",
// "error", "lock", "unlock", "certificate", "question", "info". Registers the resource on first use
// (pgtls_ui is a static library). An unknown name gives a null icon.
QIcon icon(const char *name);
// The icon rendered for `widget`'s screen (device pixel ratio), `size` logical pixels square.
QPixmap iconPixmap(const char *name, int size, const QWidget *widget);

} // namespace pgtls::ui
