// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace pgtls::ui {

// The report as JSON (ReportJson, the CLI's --json output) in a read-only monospace editor, with
// Copy and "Save report…": JSON, or a self-contained HTML report (ReportHtml) for a ticket, chosen
// by the file dialog's filter or the name's extension; written through QSaveFile.
// objectNames: rawJson (QPlainTextEdit), rawCopy, rawSave, rawStatus (the last copy/save outcome,
// a failed write included, with the dynamic property "state" "invalid").
class RawView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit RawView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    QByteArray json() const { return m_json; }
    // Writes the report to `path`: the HTML report when the name ends in .html or .htm (any
    // case), the JSON otherwise. Atomic (QSaveFile): a failed write leaves any old file intact.
    // False with *error (in words, with the path) on failure.
    bool saveTo(const QString &path, QString *error = nullptr) const;
    // Asks for a file name and saves the report there (also File > Save Report…); the outcome is
    // shown in rawStatus and told by statusChanged().
    void save();

signals:
    // The last copy or save outcome, in words (a failed write included).
    void statusChanged(const QString &text, bool error);

private:
    void copy();
    void setStatus(const QString &text, bool error);

    QPlainTextEdit *m_text;
    QPushButton *m_copy;
    QPushButton *m_save;
    QLabel *m_status;
    QByteArray m_json;
    QByteArray m_html;
    QString m_suggestedName; // without extension
};

} // namespace pgtls::ui
