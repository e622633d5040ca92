// SPDX-License-Identifier: MIT
#include "ClientSettingsView.h"

#include "FieldState.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocument>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

QString titleFor(const QString &id)
{
    if (id == QLatin1String("psql"))
        return ClientSettingsView::tr("psql / libpq connection string");
    if (id == QLatin1String("env"))
        return ClientSettingsView::tr("libpq environment variables");
    if (id == QLatin1String("jdbc"))
        return ClientSettingsView::tr("pgJDBC (Java)");
    if (id == QLatin1String("pgx"))
        return ClientSettingsView::tr("Go pgx");
    if (id == QLatin1String("psycopg"))
        return ClientSettingsView::tr("psycopg (Python)");
    if (id == QLatin1String("node"))
        return ClientSettingsView::tr("node-postgres (JavaScript)");
    if (id == QLatin1String("npgsql"))
        return ClientSettingsView::tr("Npgsql (.NET)");
    return id;
}

} // namespace

QString ClientSettingsView::objectNameFor(const QString &id)
{
    if (id.isEmpty())
        return QStringLiteral("client");
    return QStringLiteral("client") + id.at(0).toUpper() + id.mid(1);
}

ClientSettingsView::ClientSettingsView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("clientSettingsView"));
    auto *content = new QWidget;
    m_content = content;
    content->setObjectName(QStringLiteral("clientSettingsContent"));
    auto *v = new QVBoxLayout(content);
    v->setContentsMargins(8, 8, 8, 8);
    v->setSpacing(8);

    m_header = new QLabel;
    m_header->setObjectName(QStringLiteral("clientSettingsHeader"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    v->addWidget(m_header);
    m_notes = makeHintLabel(QStringLiteral("clientSettingsNotes"), tr("Remarks on these settings"));
    v->addWidget(m_notes);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QStringList ids = ClientSettings::ids();
    for (const QString &id : ids) {
        const QString name = objectNameFor(id);
        Box b;
        auto *group = new QGroupBox(titleFor(id));
        group->setObjectName(name + QStringLiteral("Group"));
        b.group = group;
        b.text = new QPlainTextEdit;
        b.text->setObjectName(name);
        b.text->setReadOnly(true);
        b.text->setLineWrapMode(QPlainTextEdit::NoWrap);
        b.text->setFont(mono);
        b.text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        b.text->setAccessibleName(tr("%1 settings").arg(titleFor(id)));
        b.text->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        b.text->setTabChangesFocus(true);
        b.copy = new QPushButton(tr("Copy"));
        b.copy->setObjectName(name + QStringLiteral("Copy"));
        b.copy->setAccessibleName(tr("Copy the %1 settings").arg(titleFor(id)));
        b.copy->setAutoDefault(false);
        b.note = makeHintLabel(name + QStringLiteral("Note"), tr("%1 notes").arg(titleFor(id)));
        auto *row = new QHBoxLayout;
        row->addWidget(b.text, 1);
        row->addWidget(b.copy, 0, Qt::AlignTop);
        auto *gv = new QVBoxLayout(group);
        gv->addLayout(row);
        gv->addWidget(b.note);
        v->addWidget(group);
        connect(b.copy, &QPushButton::clicked, this, [this, id] { copy(id); });
        m_boxes.insert(id, b);
    }
    v->addStretch(1);

    auto *scroll = new QScrollArea;
    m_scroll = scroll;
    scroll->setObjectName(QStringLiteral("clientSettingsScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->viewport()->installEventFilter(this);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("clientSettingsStatus"));
    m_status->setTextFormat(Qt::PlainText);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll, 1);
    outer->addWidget(m_status);
    clearReport();
}

void ClientSettingsView::clearReport()
{
    m_settings = ClientSettings();
    m_header->setText(tr("After an inspection, the settings that connect to this endpoint with "
                         "full verification appear here, for every common client."));
    showFieldState(nullptr, m_notes, FieldState::Neutral, QString());
    m_status->clear();
    for (const Box &b : std::as_const(m_boxes)) {
        b.text->clear();
        b.group->hide();
    }
}

void ClientSettingsView::setReport(const InspectionReport &report)
{
    clearReport();
    m_settings = ClientSettings::forReport(report);
    // Only an inspection that verified the chain and the host name in verify-full has shown that
    // these settings work; otherwise they are what to aim for once the problem is fixed.
    const bool verified = report.ok && report.endpoint.sslmode == SslMode::VerifyFull
        && report.probe.trust.trusted;
    m_header->setText(verified
            ? tr("Verified configuration: sslmode=verify-full to %1:%2, CA bundle %3")
                  .arg(m_settings.host)
                  .arg(m_settings.port)
                  .arg(m_settings.rootCert)
            : tr("Settings to aim for (not verified by this inspection: fix what the verdict says "
                 "first): sslmode=verify-full to %1:%2, CA bundle %3")
                  .arg(m_settings.host)
                  .arg(m_settings.port)
                  .arg(m_settings.rootCert));
    QStringList notes;
    for (const QString &n : std::as_const(m_settings.notes))
        notes << QStringLiteral("• ") + n;
    showFieldState(nullptr, m_notes, FieldState::Neutral, notes.join(QLatin1Char('\n')));
    for (const ClientSnippet &s : std::as_const(m_settings.snippets)) {
        const auto it = m_boxes.constFind(s.id);
        if (it == m_boxes.constEnd())
            continue;
        const Box &b = it.value();
        const QString text = s.text.endsWith(QLatin1Char('\n')) ? s.text.chopped(1) : s.text;
        b.text->setPlainText(text);
        showFieldState(nullptr, b.note, FieldState::Neutral, s.note);
        b.group->show();
    }
    fitHeights();
}

void ClientSettingsView::fitHeights()
{
    // Each box as tall as its snippet, plus a horizontal scroll bar only when a line is wider than
    // the box: no inner vertical scrolling, no empty band.
    for (const Box &b : std::as_const(m_boxes)) {
        if (b.group->isHidden())
            continue;
        const QFontMetrics fm(b.text->font());
        const QStringList lines = b.text->toPlainText().split(QLatin1Char('\n'));
        int widest = 0;
        for (const QString &l : lines)
            widest = qMax(widest, fm.horizontalAdvance(l));
        const int margins
            = 2 * b.text->frameWidth() + int(b.text->document()->documentMargin() * 2);
        const bool bar = widest + margins > b.text->width();
        b.text->setFixedHeight(int(lines.size()) * fm.lineSpacing() + margins
            + (bar ? b.text->horizontalScrollBar()->sizeHint().height() : 0));
    }
    // QScrollArea sizes its widget from the sizeHint, which over-estimates word-wrapped labels:
    // give the content exactly the height its layout needs at the viewport's width.
    const int width = m_scroll->viewport()->width();
    if (m_content->layout() && width > 0)
        m_content->setFixedHeight(m_content->layout()->totalHeightForWidth(width));
}

bool ClientSettingsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        fitHeights();
    return QWidget::eventFilter(watched, event);
}

void ClientSettingsView::copy(const QString &id)
{
    const ClientSnippet *s = m_settings.snippet(id);
    if (!s)
        return;
    QApplication::clipboard()->setText(s->text);
    m_status->setText(tr("Copied the %1 settings.").arg(titleFor(id)));
}

} // namespace pgtls::ui
