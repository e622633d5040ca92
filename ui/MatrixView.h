// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace pgtls::ui {

// The sslmode matrix: six rows (disable .. verify-full), columns connected / encrypted / CA verified /
// host verified / MITM-safe as icons (a check or a cross: the shape carries the meaning, not only the
// colour) with tooltips giving the row's note and libpq's error, then the note. The report's
// requested sslmode is marked in bold with an arrow. Under the table, the current row's whole story
// (its note, why a password was withheld, channel binding, libpq's message) for the keyboard and
// for narrow windows: when the Note column would be narrower than a readable minimum, it is hidden
// and that line carries the note. Rows are re-fitted whenever the table's width changes. An empty
// state when the matrix was not run.
// objectNames: matrixTable (QTableWidget; each state cell's data(Qt::UserRole) is its bool),
// matrixEmpty, matrixLegend, matrixDetails.
class MatrixView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    enum Column { Connected, Encrypted, CaVerified, HostVerified, MitmSafe, Note, ColumnCount };

    explicit MatrixView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    int requestedRow() const { return m_requestedRow; } // -1 when none
    // The narrowest the Note column may be before it is hidden (its text then shows below).
    static constexpr int kMinimumNoteWidth = 220;

protected:
    // Fits the rows to their wrapped notes once the table has its real width.
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void scheduleRelayout();
    void relayout();
    void showDetails(int row);

    QStringList m_details; // per row: the whole explanation shown under the table
    QLabel *m_detailsLabel;
    bool m_relayoutPending = false;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTableWidget *m_table;
    QLabel *m_legend;
    int m_requestedRow = -1;
};

} // namespace pgtls::ui
