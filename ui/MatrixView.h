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
// requested sslmode is marked in bold with an arrow. An empty state when the matrix was not run.
// objectNames: matrixTable (QTableWidget; each state cell's data(Qt::UserRole) is its bool),
// matrixEmpty, matrixLegend.
class MatrixView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    enum Column { Connected, Encrypted, CaVerified, HostVerified, MitmSafe, Note, ColumnCount };

    explicit MatrixView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    int requestedRow() const { return m_requestedRow; } // -1 when none

protected:
    // Fits the rows to their wrapped notes once the table has its real width.
    void showEvent(QShowEvent *event) override;

private:
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTableWidget *m_table;
    QLabel *m_legend;
    int m_requestedRow = -1;
};

} // namespace pgtls::ui
