// SPDX-License-Identifier: MIT
#include "RawView.h"

#include "FieldState.h"
#include "ReportHtml.h"
#include "ReportJson.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QVBoxLayout>

namespace pgtls::ui {

RawView::RawView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("rawView"));
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("rawJson"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setAccessibleName(tr("Report as JSON"));
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("rawCopy"));
    m_copy->setToolTip(tr("Copy the JSON report"));
    m_save = new QPushButton(tr("&Save report…"), this);
    m_save->setObjectName(QStringLiteral("rawSave"));
    m_save->setToolTip(tr("Save the report as JSON, or as an HTML report to attach to a ticket"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("rawStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_copy, &QPushButton::clicked, this, &RawView::copy);
    connect(m_save, &QPushButton::clicked, this, &RawView::save);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    clearReport();
}

void RawView::clearReport()
{
    m_json.clear();
    m_html.clear();
    m_text->setPlaceholderText(tr("The JSON report appears here after an inspection."));
    m_text->clear();
    setStatus(QString(), false);
    m_copy->setEnabled(false);
    m_save->setEnabled(false);
}

void RawView::setReport(const InspectionReport &report)
{
    clearReport();
    m_json = ReportJson::toBytes(report);
    m_html = ReportHtml::render(report).toUtf8();
    m_text->setPlainText(QString::fromUtf8(m_json));
    QString host = report.endpoint.host.isEmpty() ? QStringLiteral("report") : report.endpoint.host;
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    const QDateTime at
        = report.startedAt.isValid() ? report.startedAt : QDateTime::currentDateTimeUtc();
    m_suggestedName = QStringLiteral("pgtls-%1-%2")
                          .arg(host, at.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    m_copy->setEnabled(true);
    m_save->setEnabled(true);
}

bool RawView::saveTo(const QString &path, QString *error) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool html = suffix == QLatin1String("html") || suffix == QLatin1String("htm");
    const QByteArray &data = html ? m_html : m_json;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = tr("Could not save %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void RawView::copy()
{
    QApplication::clipboard()->setText(QString::fromUtf8(m_json));
    setStatus(tr("Copied"), false);
}

void RawView::save()
{
    if (m_json.isEmpty())
        return; // no report yet
    const QString jsonFilter = tr("JSON report (*.json)");
    const QString htmlFilter = tr("HTML report, self-contained (*.html *.htm)");
    QString filter = jsonFilter;
    QString path = QFileDialog::getSaveFileName(this, tr("Save report"),
        QDir::home().filePath(m_suggestedName + QLatin1String(".json")),
        QStringList { jsonFilter, htmlFilter, tr("All files (*)") }.join(QLatin1String(";;")),
        &filter);
    if (path.isEmpty())
        return;
    // The name's own extension decides; a bare name takes the chosen filter's (Qt's dialog does
    // not always append it).
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool known = suffix == QLatin1String("json") || suffix == QLatin1String("html")
        || suffix == QLatin1String("htm");
    if (!known)
        path += filter == htmlFilter ? QLatin1String(".html") : QLatin1String(".json");
    QString error;
    const bool saved = saveTo(path, &error);
    setStatus(saved ? tr("Saved %1").arg(path) : error, !saved);
}

void RawView::setStatus(const QString &text, bool error)
{
    // A failed write reads as an error (red, palette-derived) right beside the button.
    showFieldState(nullptr, m_status, error ? FieldState::Invalid : FieldState::Neutral, text);
    m_status->setVisible(true);
    m_status->setProperty("state", error ? QStringLiteral("invalid") : QStringLiteral("neutral"));
    emit statusChanged(text, error);
}

} // namespace pgtls::ui
