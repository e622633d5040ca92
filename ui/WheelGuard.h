// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

namespace pgtls::ui {

// A mouse wheel turned over a combo box or a spin box that does not have the focus scrolls the
// pane it sits in instead of silently changing the setting (require became verify-ca under a
// scrolling pointer). Once the user clicks or tabs into the control, the wheel changes it as
// usual. Installed once on a window: it watches every combo box and spin box below it, also those
// created later.
class WheelGuard : public QObject
{
    Q_OBJECT
public:
    // Guards every combo box and spin box below `window` (and gives them Qt::StrongFocus, so the
    // wheel alone never focuses them).
    static void install(QWidget *window);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit WheelGuard(QWidget *window);
    void guard(QWidget *control);
    QWidget *m_window;
};

} // namespace pgtls::ui
