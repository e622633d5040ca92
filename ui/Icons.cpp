// SPDX-License-Identifier: MIT
#include "Icons.h"

#include <QFile>
#include <QWidget>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResources()
{
    Q_INIT_RESOURCE(icons);
}

namespace pgtls::ui {

QIcon icon(const char *name)
{
    static const bool initialized = [] {
        initIconResources();
        return true;
    }();
    Q_UNUSED(initialized);
    const QString path = QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name));
    if (!QFile::exists(path))
        return {};
    return QIcon(path);
}

QPixmap iconPixmap(const char *name, int size, const QWidget *widget)
{
    const qreal dpr = widget ? widget->devicePixelRatioF() : 1.0;
    return icon(name).pixmap(QSize(size, size), dpr);
}

} // namespace pgtls::ui
