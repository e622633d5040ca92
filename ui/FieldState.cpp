// SPDX-License-Identifier: MIT
#include "FieldState.h"

#include "PlainText.h"

#include <QApplication>
#include <QLabel>
#include <QWidget>

namespace pgtls::ui {

namespace {

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t, a.blueF() * (1 - t) + b.blueF() * t);
}

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

} // namespace

void showFieldState(QWidget *field, QLabel *hint, FieldState state, const QString &text)
{
    if (field) {
        const QPalette base
            = field->parentWidget() ? field->parentWidget()->palette() : QApplication::palette();
        if (state == FieldState::Invalid) {
            QPalette p = base;
            const QColor red = isDark(base) ? QColor(0xff, 0x4d, 0x4d) : QColor(0xe0, 0x1b, 0x24);
            p.setColor(
                QPalette::Base, blend(base.color(QPalette::Base), red, isDark(base) ? 0.28 : 0.14));
            field->setPalette(p);
        } else {
            field->setPalette(QPalette());
        }
        field->setProperty("state",
            state == FieldState::Invalid     ? QStringLiteral("invalid")
                : state == FieldState::Valid ? QStringLiteral("valid")
                                             : QStringLiteral("neutral"));
        field->setAccessibleDescription(text);
    }
    if (hint) {
        const QPalette base
            = hint->parentWidget() ? hint->parentWidget()->palette() : QApplication::palette();
        QPalette p = base;
        const QColor fg = base.color(QPalette::WindowText);
        if (state == FieldState::Invalid)
            p.setColor(QPalette::WindowText,
                isDark(base) ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20));
        else
            p.setColor(QPalette::WindowText, blend(fg, base.color(QPalette::Window), 0.3));
        hint->setPalette(p);
        hint->setText(visibleText(text)); // paths and messages may come from files and servers
        hint->setVisible(!text.isEmpty());
        hint->setProperty("state", field ? field->property("state") : QVariant());
    }
}

QLabel *makeHintLabel(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    label->setFont(f);
    label->setContentsMargins(0, 0, 0, 2);
    return label;
}

} // namespace pgtls::ui
