// SPDX-License-Identifier: MIT
#include "WheelGuard.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QWheelEvent>

namespace pgtls::ui {

namespace {

// The combo box or spin box a widget belongs to (the spin box's line edit, the combo's own).
QWidget *guardedControl(QObject *object)
{
    for (auto *w = qobject_cast<QWidget *>(object); w; w = w->parentWidget()) {
        if (qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w))
            return w;
        if (w->isWindow())
            break;
    }
    return nullptr;
}

} // namespace

WheelGuard::WheelGuard(QWidget *window)
    : QObject(window)
    , m_window(window)
{
}

void WheelGuard::install(QWidget *window)
{
    auto *g = new WheelGuard(window);
    // Controls created later (a profile switch, a demo bar) are guarded when they are polished.
    qApp->installEventFilter(g);
    const auto combos = window->findChildren<QComboBox *>();
    for (QComboBox *c : combos)
        g->guard(c);
    const auto spins = window->findChildren<QAbstractSpinBox *>();
    for (QAbstractSpinBox *s : spins)
        g->guard(s);
}

void WheelGuard::guard(QWidget *control)
{
    if (control->focusPolicy() == Qt::WheelFocus)
        control->setFocusPolicy(Qt::StrongFocus);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Polish) {
        if (auto *w = qobject_cast<QWidget *>(watched); w && w->window() == m_window
            && (qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w)))
            guard(w);
        return false;
    }
    if (event->type() != QEvent::Wheel)
        return false;
    QWidget *control = guardedControl(watched);
    if (!control || control->window() != m_window || control->hasFocus())
        return false;
    // Not for this control: hand the wheel to the pane around it, so a scroll area scrolls.
    // (Qt does not pass a synthesized wheel event on to parents: it goes to the viewport itself.)
    QAbstractScrollArea *area = nullptr;
    for (QWidget *w = control->parentWidget(); w && !area; w = w->parentWidget())
        area = qobject_cast<QAbstractScrollArea *>(w);
    if (area) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        QWidget *viewport = area->viewport();
        QWheelEvent forwarded(viewport->mapFromGlobal(wheel->globalPosition()),
                              wheel->globalPosition(), wheel->pixelDelta(), wheel->angleDelta(),
                              wheel->buttons(), wheel->modifiers(), wheel->phase(),
                              wheel->inverted(), wheel->source());
        QApplication::sendEvent(viewport, &forwarded);
    }
    return true;
}

} // namespace pgtls::ui
