// SPDX-License-Identifier: MIT
#include "MatrixView.h"

#include "Icons.h"
#include "Judge.h"
#include "PlainText.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QScopeGuard>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace pgtls::ui {

MatrixView::MatrixView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("matrixView"));
    m_empty = new QLabel;
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setObjectName(QStringLiteral("matrixEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("matrixTable"));
    // Two-line headers keep the icon columns narrow, leaving the width to the notes.
    m_table->setHorizontalHeaderLabels({tr("Connected"), tr("Encrypted"), tr("CA\nverified"),
        tr("Host\nverified"), tr("MITM-\nsafe"), tr("Note")});
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrows move inside it
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(true);
    m_table->setIconSize(QSize(20, 20));
    m_table->setAccessibleName(tr("sslmode matrix"));
    QHeaderView *header = m_table->horizontalHeader();
    for (int c = 0; c < Note; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(Note, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignCenter);
    // Rows as high as their word-wrapped note at the Note column's current width:
    // ResizeToContents measures once, against whatever width the column had then (often a
    // narrow one before the view is shown), and leaves rows many lines high.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    connect(header, &QHeaderView::sectionResized, this, [this](int section) {
        if (section == Note)
            scheduleRelayout();
    });
    m_table->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->viewport()->installEventFilter(this);

    m_detailsLabel = new QLabel;
    m_detailsLabel->setTextFormat(Qt::PlainText);
    m_detailsLabel->setObjectName(QStringLiteral("matrixDetails"));
    m_detailsLabel->setWordWrap(true);
    m_detailsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_detailsLabel->setFrameShape(QFrame::StyledPanel);
    m_detailsLabel->setMargin(6);
    m_detailsLabel->setAccessibleName(tr("The selected sslmode's details"));
    connect(m_table, &QTableWidget::currentCellChanged, this,
        [this](int row) { showDetails(row); });

    m_legend = new QLabel;
    m_legend->setTextFormat(Qt::PlainText);
    m_legend->setObjectName(QStringLiteral("matrixLegend"));
    m_legend->setWordWrap(true);
    m_legend->setText(tr("Each row is one connection attempt in that sslmode. MITM-safe: a man in the middle could "
                         "neither read nor change the traffic. prefer and allow are never MITM-safe: an attacker "
                         "can refuse TLS. Select a row (arrow keys) or hover over a cell for details."));

    auto *tablePage = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_detailsLabel);
    tableLayout->addWidget(m_legend);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(tablePage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    clearReport();
}

void MatrixView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // While hidden (another tab current) the columns' widths are not final; after the pending
    // layouts have run they are.
    scheduleRelayout();
}

void MatrixView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    scheduleRelayout();
}

bool MatrixView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        scheduleRelayout();
    return QWidget::eventFilter(watched, event);
}

void MatrixView::scheduleRelayout()
{
    if (m_relayoutPending)
        return;
    m_relayoutPending = true;
    // After the pending layouts have run, the columns' widths are final.
    QTimer::singleShot(0, this, [this] {
        m_relayoutPending = false;
        relayout();
    });
}

void MatrixView::relayout()
{
    if (m_table->rowCount() == 0)
        return;
    int iconColumns = 0;
    for (int c = 0; c < Note; ++c)
        iconColumns += m_table->horizontalHeader()->sectionSize(c);
    const int room = m_table->viewport()->width() - iconColumns;
    const bool narrow = room < kMinimumNoteWidth;
    if (m_table->isColumnHidden(Note) != narrow)
        m_table->setColumnHidden(Note, narrow);
    // Rows as high as their wrapped notes at this width (or one icon high without the notes).
    m_table->resizeRowsToContents();
    showDetails(m_table->currentRow());
}

void MatrixView::showDetails(int row)
{
    if (row < 0 || row >= m_details.size()) {
        m_detailsLabel->clear();
        m_detailsLabel->hide();
        return;
    }
    m_detailsLabel->setText(visibleText(m_details.at(row)));
    m_detailsLabel->show();
}

void MatrixView::clearReport()
{
    m_table->setRowCount(0);
    m_details.clear();
    m_detailsLabel->hide();
    m_requestedRow = -1;
    m_empty->setText(tr("Run with the matrix to compare all six sslmodes: tick \"Compare all six "
                        "sslmodes\" under Inspection in the form (Alt+X), then inspect again (F5)."));
    m_stack->setCurrentWidget(m_empty);
}

void MatrixView::setReport(const InspectionReport &report)
{
    // Controls and bidi overrides in the data shown visibly, whichever way this returns.
    const auto visible = qScopeGuard([this] { makeTextVisible(this); });
    clearReport();
    if (report.matrix.isEmpty()) {
        if (report.matrixRequested)
            m_empty->setText(tr("The matrix was requested but has no rows (the inspection did not get that far)."));
        return;
    }
    m_stack->setCurrentIndex(1);
    const QStringList names{tr("connected"), tr("encrypted"), tr("CA verified"), tr("host verified"), tr("MITM-safe")};
    m_table->setRowCount(int(report.matrix.size()));
    for (int row = 0; row < report.matrix.size(); ++row) {
        const MatrixRow &m = report.matrix.at(row);
        const bool requested = m.sslmode == report.endpoint.sslmode;
        if (requested)
            m_requestedRow = row;
        auto *rowHeader = new QTableWidgetItem(requested ? tr("\u25B6 %1 (requested)").arg(sslModeName(m.sslmode))
                                                         : sslModeName(m.sslmode));
        QFont headerFont = m_table->font();
        headerFont.setBold(requested);
        rowHeader->setFont(headerFont);
        m_table->setVerticalHeaderItem(row, rowHeader);

        QString why = m.note;
        if (m.passwordWithheld)
            why += (why.isEmpty() ? QString() : QStringLiteral("\n"))
                    + (m.passwordWithheldReason.isEmpty() ? tr("No password was sent on this attempt.")
                                                          : m.passwordWithheldReason)
                    + QLatin1Char(' ') + tr("Reaching authentication counts as connected.");
        if (const QString binding = Judge::channelBindingText(m); !binding.isEmpty())
            why += QStringLiteral("\n") + binding;
        if (!m.error.isEmpty())
            why += (why.isEmpty() ? QString() : QStringLiteral("\n")) + tr("libpq: %1").arg(m.error);
        const bool states[] = {m.connected, m.encrypted, m.caVerified, m.hostVerified, m.mitmSafe};
        for (int col = 0; col < Note; ++col) {
            const bool on = states[col];
            auto *item = new QTableWidgetItem;
            item->setIcon(icon(on ? "ok" : "error"));
            item->setData(Qt::UserRole, on);
            item->setTextAlignment(Qt::AlignCenter);
            const QString state = on ? tr("%1: yes").arg(names.at(col)) : tr("%1: no").arg(names.at(col));
            item->setData(Qt::AccessibleTextRole, state);
            const QString tip = why.isEmpty() ? state : state + QStringLiteral("\n") + why;
            item->setToolTip(plainToolTip(tip));
            m_table->setItem(row, col, item);
        }
        QString note = m.note;
        if (m.passwordWithheld)
            note += QLatin1Char(' ') + tr("Password withheld (weaker than what you asked for, or may be plaintext).");
        if (m.ms >= 0)
            note += tr(" (%1 ms)").arg(m.ms);
        auto *noteItem = new QTableWidgetItem(note);
        noteItem->setToolTip(plainToolTip(why));
        m_table->setItem(row, Note, noteItem);
        QString details = sslModeName(m.sslmode) + QStringLiteral(": ") + note;
        if (why != m.note && !why.isEmpty())
            details += QLatin1Char('\n') + why.mid(why.startsWith(m.note) ? m.note.size() : 0).trimmed();
        m_details << details;
        if (requested) {
            for (int col = 0; col < ColumnCount; ++col) {
                QTableWidgetItem *item = m_table->item(row, col);
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
        }
    }
    if (m_requestedRow >= 0)
        m_table->selectRow(m_requestedRow);
    m_table->resizeRowsToContents();
    showDetails(m_table->currentRow());
    scheduleRelayout();
}

} // namespace pgtls::ui
