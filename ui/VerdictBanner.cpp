// SPDX-License-Identifier: MIT
#include "VerdictBanner.h"

#include "Icons.h"
#include "PlainText.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QScopeGuard>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

// A title as the start of a sentence: capitalised, unless it starts with a name that is spelt in
// lower case (sslinfo, sslmode=disable, pg_hba.conf, libpq, psql).
QString sentenceStart(const QString &title)
{
    const QString first = title.section(QLatin1Char(' '), 0, 0);
    static const QStringList lowerCaseNames = { QStringLiteral("sslinfo"), QStringLiteral("sslmode"),
        QStringLiteral("sslrootcert"), QStringLiteral("libpq"), QStringLiteral("psql"),
        QStringLiteral("hostaddr"), QStringLiteral("pgbouncer") };
    if (first.contains(QLatin1Char('_')) || first.contains(QLatin1Char('.'))
        || first.contains(QLatin1Char('=')) || lowerCaseNames.contains(first))
        return title;
    return title.left(1).toUpper() + title.mid(1);
}

} // namespace

namespace {

QLabel *makeLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    return label;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

VerdictBanner::VerdictBanner(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("verdictBanner"));
    setAccessibleName(tr("Verdict"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    m_icon = new QLabel(this);
    m_icon->setTextFormat(Qt::PlainText);
    m_icon->setObjectName(QStringLiteral("verdictIcon"));
    m_icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_icon->setFixedWidth(40);

    m_summary = makeLabel(QStringLiteral("verdictSummary"), this);
    QFont big = m_summary->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_summary->setFont(big);
    m_explanation = makeLabel(QStringLiteral("verdictExplanation"), this);
    m_fix = makeLabel(QStringLiteral("verdictFix"), this);
    m_detail = makeLabel(QStringLiteral("verdictDetail"), this);
    QFont small = m_detail->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    small.setStyleHint(QFont::Monospace);
    small.setFamily(QStringLiteral("monospace"));
    m_detail->setFont(small);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_more = makeLabel(QStringLiteral("verdictMoreProblems"), this);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("verdictBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(6);
    m_busy->setAccessibleName(tr("Inspection in progress"));

    auto *text = new QVBoxLayout;
    text->setSpacing(4);
    text->addWidget(m_summary);
    text->addWidget(m_explanation);
    text->addWidget(m_fix);
    text->addWidget(m_detail);
    text->addWidget(m_more);
    text->addWidget(m_busy);
    text->addStretch(1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 10, 12, 10);
    // The minimum comes from minimumSizeHint() (height for the actual width), not from the labels'
    // narrow-width minimums.
    layout->setSizeConstraint(QLayout::SetNoConstraint);
    layout->setSpacing(10);
    layout->addWidget(m_icon);
    layout->addLayout(text, 1);

    setIdle(QString());
}

QString VerdictBanner::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Running:
        return QStringLiteral("running");
    case State::Ok:
        return QStringLiteral("ok");
    case State::Warning:
        return QStringLiteral("warning");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QSize VerdictBanner::minimumSizeHint() const
{
    const int w = QWidget::minimumSizeHint().width();
    return {w, heightForWidth(qMax(width(), 2 * w))};
}

void VerdictBanner::setReport(const InspectionReport &report)
{
    // Controls and bidi overrides in the data shown visibly, whichever way this returns.
    const auto visible = qScopeGuard([this] { makeTextVisible(this); });
    const auto level = report.level();
    const State state = level == InspectionReport::Level::Failed ? State::Failed
        : level == InspectionReport::Level::Warning              ? State::Warning
                                                                 : State::Ok;

    // The problem to explain: the first error when the verdict failed, else the first warning,
    // else the first note.
    auto firstOf = [&report](Problem::Severity severity) {
        for (int i = 0; i < report.problems.size(); ++i) {
            if (report.problems.at(i).severity == severity)
                return i;
        }
        return -1;
    };
    int lead = report.ok ? -1 : firstOf(Problem::Severity::Error);
    if (lead < 0)
        lead = firstOf(Problem::Severity::Warning);
    if (lead < 0)
        lead = firstOf(Problem::Severity::Info);
    if (lead < 0 && !report.problems.isEmpty())
        lead = 0;
    QString summary = report.summary;
    if (summary.isEmpty() && lead >= 0)
        summary = report.problems.at(lead).title;
    if (summary.isEmpty())
        summary = report.ok ? tr("Inspection finished") : tr("Inspection failed");
    m_summary->setText(summary);

    if (lead >= 0) {
        const Problem &p = report.problems.at(lead);
        QString explanation = p.explanation;
        if (!p.title.isEmpty() && !summary.contains(p.title, Qt::CaseInsensitive)) {
            const QString title = sentenceStart(p.title);
            explanation = explanation.isEmpty() ? title : tr("%1. %2").arg(title, explanation);
        }
        m_explanation->setText(explanation);
        m_fix->setText(p.fix.isEmpty() ? QString() : tr("Fix: %1").arg(p.fix));
        m_detail->setText(p.detail.isEmpty() ? QString() : tr("libpq: %1").arg(p.detail));
    } else {
        m_explanation->clear();
        m_fix->clear();
        m_detail->clear();
    }
    QStringList more;
    for (int i = 0; i < report.problems.size(); ++i) {
        if (i == lead)
            continue;
        const Problem &p = report.problems.at(i);
        more << (p.isError() ? tr("\u2716 error: %1")
                 : p.isWarning() ? tr("\u26A0 warning: %1")
                                 : tr("\u2139 note: %1"))
                        .arg(p.title.isEmpty() ? p.code : p.title);
    }
    m_more->setText(more.isEmpty() ? QString() : tr("Also:\n%1").arg(more.join(QLatin1Char('\n'))));
    m_busy->hide();
    setState(state);
}

void VerdictBanner::clearReport()
{
    setIdle(QString());
}

void VerdictBanner::setBusy(const QString &step)
{
    m_summary->setText(tr("Inspecting…"));
    m_explanation->setText(step);
    m_fix->clear();
    m_detail->clear();
    m_more->clear();
    m_busy->show();
    setState(State::Running);
}

void VerdictBanner::setIdle(const QString &hint)
{
    m_summary->setText(tr("No inspection yet"));
    m_explanation->setText(hint);
    m_fix->clear();
    m_detail->clear();
    m_more->clear();
    m_busy->hide();
    setState(State::Idle);
}

void VerdictBanner::setState(State state)
{
    m_state = state;
    setProperty("state", stateName(state));
    const char *iconName = "info";
    QString words;
    switch (state) {
    case State::Idle:
    case State::Running:
        iconName = "info";
        words = tr("Status");
        break;
    case State::Ok:
        iconName = "ok";
        words = tr("Verdict: OK");
        break;
    case State::Warning:
        iconName = "warning";
        words = tr("Verdict: OK, with warnings");
        break;
    case State::Failed:
        iconName = "error";
        words = tr("Verdict: failed");
        break;
    }
    m_icon->setPixmap(iconPixmap(iconName, 32, this));
    m_icon->setAccessibleName(words);
    m_icon->setToolTip(words);
    for (QLabel *label : {m_explanation, m_fix, m_detail, m_more})
        label->setVisible(!label->text().isEmpty());
    setAccessibleDescription(words + QStringLiteral(": ") + m_summary->text());
    applyColours();
}

void VerdictBanner::applyColours()
{
    // Only the text colour of the children is set (the rest of their palette is inherited), so a
    // palette set on the banner or its parents still decides everything else.
    const bool dark = isDark(palette());
    QColor text;
    switch (m_state) {
    case State::Ok:
        m_background = dark ? QColor(0x1f, 0x4d, 0x2b) : QColor(0xd4, 0xed, 0xda);
        text = dark ? QColor(0xe6, 0xf4, 0xea) : QColor(0x0f, 0x3d, 0x1a);
        break;
    case State::Warning:
        m_background = dark ? QColor(0x5c, 0x46, 0x0a) : QColor(0xff, 0xf0, 0xc2);
        text = dark ? QColor(0xff, 0xf4, 0xd6) : QColor(0x4d, 0x38, 0x00);
        break;
    case State::Failed:
        m_background = dark ? QColor(0x6b, 0x1f, 0x24) : QColor(0xf8, 0xd7, 0xda);
        text = dark ? QColor(0xfd, 0xe8, 0xea) : QColor(0x6b, 0x12, 0x18);
        break;
    case State::Idle:
    case State::Running:
        m_background = QColor(); // palette roles, in paintEvent()
        break;
    }
    for (QLabel *label : {m_summary, m_explanation, m_fix, m_detail, m_more}) {
        QPalette pal;
        if (text.isValid())
            pal.setColor(QPalette::WindowText, text);
        label->setPalette(pal);
    }
    update();
}

void VerdictBanner::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor fill = m_background.isValid() ? m_background : palette().color(QPalette::AlternateBase);
    const QColor border = m_background.isValid()
            ? (isDark(palette()) ? fill.lighter(150) : fill.darker(125))
            : palette().color(QPalette::Mid);
    painter.setPen(QPen(border, 1));
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
}

void VerdictBanner::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

} // namespace pgtls::ui
