// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace pgtls::ui {

// The report as JSON (ReportJson, the CLI's --json output) in a read-only monospace editor, with
// Copy and "Save report…" (JSON, written through QSaveFile).
// objectNames: rawJson (QPlainTextEdit), rawCopy, rawSave, rawStatus (the last copy/save outcome).
class RawView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit RawView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    QByteArray json() const { return m_json; }
    // Writes the JSON to `path`. False with *error on failure.
    bool saveTo(const QString &path, QString *error = nullptr) const;

private:
    void copy();
    void save();

    QPlainTextEdit *m_text;
    QPushButton *m_copy;
    QPushButton *m_save;
    QLabel *m_status;
    QByteArray m_json;
    QString m_suggestedName;
};

} // namespace pgtls::ui
