// SPDX-License-Identifier: MIT
// The sslmode matrix stays readable at any width: the Note column is hidden rather than squeezed
// (its text then shows under the table for the current row), rows are re-fitted when the width
// changes in either direction, and the keyboard reaches everything a tooltip says.
#include "MatrixView.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::ui;

namespace {

InspectionReport sixRows()
{
    InspectionReport r;
    r.endpoint.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    r.endpoint.sslmode = SslMode::VerifyFull;
    r.matrixRequested = true;
    for (SslMode mode : allSslModes()) {
        MatrixRow m;
        m.sslmode = mode;
        m.connected = true;
        m.encrypted = mode != SslMode::Disable;
        m.note = QStringLiteral("A long note about %1 that wraps over several lines when the column "
                                "is narrow, and needs room to be read at all.")
                     .arg(sslModeName(mode));
        if (mode == SslMode::Require) {
            m.passwordWithheld = true;
            m.passwordWithheldReason = QStringLiteral("Password withheld: require accepts any certificate.");
            m.error = QStringLiteral("fe_sendauth: no password supplied");
        }
        m.ms = 12;
        r.matrix << m;
    }
    return r;
}

int tallestRow(QTableWidget *table)
{
    int tallest = 0;
    for (int row = 0; row < table->rowCount(); ++row)
        tallest = qMax(tallest, table->rowHeight(row));
    return tallest;
}

} // namespace

class TestMatrixView : public QObject
{
    Q_OBJECT
private slots:
    void aNarrowTableHidesTheNotesAndShowsTheCurrentOneBelow();
    void rowsShrinkBackWhenTheWindowGrowsAgain();
    void theDetailsFollowTheKeyboardAndTabLeavesTheTable();
};

void TestMatrixView::aNarrowTableHidesTheNotesAndShowsTheCurrentOneBelow()
{
    MatrixView view;
    view.resize(560, 600);
    view.setReport(sixRows());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *table = view.findChild<QTableWidget *>(QStringLiteral("matrixTable"));
    auto *details = view.findChild<QLabel *>(QStringLiteral("matrixDetails"));
    QTRY_VERIFY(table->isColumnHidden(MatrixView::Note));
    // Every row one line high: no row grows to fit a note squeezed into a sliver.
    QTRY_VERIFY2(tallestRow(table) < 3 * table->fontMetrics().height(),
                 qPrintable(QString::number(tallestRow(table))));
    // All six rows are visible at once.
    QVERIFY(table->rowViewportPosition(5) + table->rowHeight(5) <= table->viewport()->height());
    QVERIFY(details->isVisible());
    QVERIFY2(details->text().startsWith(QLatin1String("verify-full: A long note about verify-full")),
             qPrintable(details->text()));
}

void TestMatrixView::rowsShrinkBackWhenTheWindowGrowsAgain()
{
    MatrixView view;
    view.resize(1000, 600);
    view.setReport(sixRows());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *table = view.findChild<QTableWidget *>(QStringLiteral("matrixTable"));
    QTRY_VERIFY(!table->isColumnHidden(MatrixView::Note));
    QTRY_VERIFY(table->columnWidth(MatrixView::Note) >= MatrixView::kMinimumNoteWidth);
    const int wide = tallestRow(table);
    // Narrower, with the notes still shown: rows grow to fit the wrapped notes...
    view.resize(760, 600);
    QTRY_VERIFY(!table->isColumnHidden(MatrixView::Note));
    QTRY_VERIFY2(tallestRow(table) > wide, qPrintable(QStringLiteral("%1 vs %2").arg(tallestRow(table)).arg(wide)));
    // ...and shrink back when there is room again, without a new inspection.
    view.resize(1000, 600);
    QTRY_COMPARE(tallestRow(table), wide);
}

void TestMatrixView::theDetailsFollowTheKeyboardAndTabLeavesTheTable()
{
    MatrixView view;
    view.resize(1000, 600);
    view.setReport(sixRows());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *table = view.findChild<QTableWidget *>(QStringLiteral("matrixTable"));
    auto *details = view.findChild<QLabel *>(QStringLiteral("matrixDetails"));
    QVERIFY(!table->tabKeyNavigation());
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QCOMPARE(table->currentRow(), view.requestedRow());
    QTest::keyClick(table, Qt::Key_Up);
    QTest::keyClick(table, Qt::Key_Up);
    QCOMPARE(table->currentRow(), 3);
    // What the require row's tooltip says, the keyboard user reads too.
    QVERIFY2(details->text().startsWith(QLatin1String("require: ")), qPrintable(details->text()));
    QVERIFY(details->text().contains(QLatin1String("Password withheld: require accepts any certificate.")));
    QVERIFY(details->text().contains(QLatin1String("libpq: fe_sendauth: no password supplied")));
}

QTEST_MAIN(TestMatrixView)
#include "TestMatrixView.moc"
