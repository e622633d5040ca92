// SPDX-License-Identifier: MIT
#include "PlainText.h"

#include "SafeText.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QLabel>

namespace pgtls::ui {

QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<p style='white-space:pre-wrap'>") + visibleText(text).toHtmlEscaped()
        + QStringLiteral("</p>");
}

QString visibleText(const QString &text)
{
    return SafeText::lines(text);
}

void makeTextVisible(QWidget *root)
{
    const auto labels = root->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->textFormat() != Qt::PlainText || label->text().isEmpty())
            continue;
        const QString shown = visibleText(label->text());
        if (shown != label->text())
            label->setText(shown);
    }
    const auto views = root->findChildren<QAbstractItemView *>();
    for (QAbstractItemView *view : views) {
        QAbstractItemModel *model = view->model();
        for (int row = 0; model && row < model->rowCount(); ++row) {
            for (int col = 0; col < model->columnCount(); ++col) {
                const QModelIndex index = model->index(row, col);
                const QString text = index.data(Qt::DisplayRole).toString();
                const QString shown = visibleText(text);
                if (shown != text)
                    model->setData(index, shown, Qt::DisplayRole);
            }
        }
    }
}

} // namespace pgtls::ui
