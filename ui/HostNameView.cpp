// SPDX-License-Identifier: MIT
#include "HostNameView.h"

#include "Icons.h"
#include "PlainText.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScopeGuard>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

QLabel *textLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString kindText(HostNameCandidate::Kind kind)
{
    switch (kind) {
    case HostNameCandidate::Kind::SanDns:
        return HostNameView::tr("SAN DNS");
    case HostNameCandidate::Kind::SanIp:
        return HostNameView::tr("SAN IP");
    case HostNameCandidate::Kind::Cn:
        return HostNameView::tr("Subject CN");
    }
    return {};
}

} // namespace

HostNameView::HostNameView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("hostNameView"));
    m_empty = textLabel(QStringLiteral("hostEmpty"), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_content = new QWidget(this);
    m_checked = textLabel(QStringLiteral("hostChecked"), m_content);
    m_checked->setTextFormat(Qt::RichText);
    m_hostaddr = textLabel(QStringLiteral("hostAddrNote"), m_content);
    m_hostaddr->setForegroundRole(QPalette::PlaceholderText);
    m_resultIcon = new QLabel(m_content);
    m_resultIcon->setTextFormat(Qt::PlainText);
    m_resultIcon->setObjectName(QStringLiteral("hostResultIcon"));
    m_resultIcon->setAlignment(Qt::AlignTop);
    m_result = textLabel(QStringLiteral("hostResult"), m_content);
    QFont bold = m_result->font();
    bold.setBold(true);
    m_result->setFont(bold);
    m_modeNote = textLabel(QStringLiteral("hostModeNote"), m_content);

    m_candidates = new QTableWidget(0, 4, m_content);
    m_candidates->setObjectName(QStringLiteral("hostCandidates"));
    m_candidates->setHorizontalHeaderLabels({tr("Kind"), tr("Name in the certificate"), tr("Examined"), tr("Result")});
    m_candidates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_candidates->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_candidates->setWordWrap(true);
    m_candidates->setShowGrid(false);
    m_candidates->verticalHeader()->hide();
    // Rows grow to the wrapped reason: nothing is elided.
    m_candidates->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView *header = m_candidates->horizontalHeader();
    header->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(3, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_candidates->setAccessibleName(tr("Names in the server certificate"));

    m_aliasBox = new QWidget(m_content);
    m_aliasBox->setObjectName(QStringLiteral("hostAliasBox"));
    auto *aliasIcon = new QLabel(m_aliasBox);
    aliasIcon->setTextFormat(Qt::PlainText);
    aliasIcon->setPixmap(iconPixmap("info", 22, this));
    aliasIcon->setAlignment(Qt::AlignTop);
    m_alias = textLabel(QStringLiteral("hostAlias"), m_aliasBox);
    auto *aliasLayout = new QHBoxLayout(m_aliasBox);
    aliasLayout->setContentsMargins(8, 8, 8, 8);
    aliasLayout->addWidget(aliasIcon);
    aliasLayout->addWidget(m_alias, 1);
    m_aliasBox->setAutoFillBackground(true);
    m_aliasBox->setBackgroundRole(QPalette::AlternateBase);

    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(m_resultIcon);
    resultRow->addWidget(m_result, 1);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 0, 0);
    content->addWidget(m_checked);
    content->addWidget(m_hostaddr);
    content->addLayout(resultRow);
    content->addWidget(m_modeNote);
    content->addWidget(m_aliasBox);
    content->addWidget(m_candidates, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_content, 1);
    clearReport();
}

void HostNameView::clearReport()
{
    m_candidates->setRowCount(0);
    m_empty->setText(tr("No host name checked yet."));
    m_empty->show();
    m_content->hide();
}

void HostNameView::setReport(const InspectionReport &report)
{
    // Controls and bidi overrides in the data shown visibly, whichever way this returns.
    const auto visible = qScopeGuard([this] { makeTextVisible(this); });
    clearReport();
    const Endpoint &e = report.endpoint;
    if (!report.probe.hostMatch) {
        m_empty->setText(e.host.isEmpty()
                ? tr("No host name to check: the endpoint has no host name.")
                : tr("No host name was checked: the server sent no certificate (%1).")
                          .arg(report.probe.error.isEmpty() ? ProbeResult::outcomeName(report.probe.outcome)
                                                            : report.probe.error));
        return;
    }
    const HostMatch &h = *report.probe.hostMatch;
    m_empty->hide();
    m_content->show();

    m_checked->setText(tr("Name checked: <b>%1</b>%2")
                               .arg(h.checkedName.toHtmlEscaped(),
                                    h.hostIsIp ? tr(" (an IP address: compared with SAN IP entries)") : QString()));
    m_hostaddr->setText(e.hostaddr.isEmpty()
            ? tr("libpq compares the host name with the certificate; hostaddr is never checked.")
            : tr("Connected to hostaddr %1, which is never checked: libpq compares the host name above.")
                      .arg(e.hostaddr));
    if (h.matched) {
        m_resultIcon->setPixmap(iconPixmap("ok", 20, this));
        const QString by = h.by == QLatin1String("san-dns") ? tr("the SAN DNS entry")
                : h.by == QLatin1String("san-ip")           ? tr("the SAN IP entry")
                : h.by == QLatin1String("cn")               ? tr("the subject CN")
                                                            : h.by;
        m_result->setText(tr("Matches %1 \"%2\"").arg(by, h.entry));
    } else {
        m_resultIcon->setPixmap(iconPixmap("error", 20, this));
        m_result->setText(h.error.isEmpty() ? tr("Does not match any name in the certificate")
                                            : tr("Does not match: %1").arg(h.error));
    }
    m_resultIcon->setAccessibleName(h.matched ? tr("matched") : tr("not matched"));
    const bool checks = e.sslmode == SslMode::VerifyFull;
    m_modeNote->setText(checks ? QString()
                               : tr("sslmode=%1 does not check the host name; only verify-full does.")
                                         .arg(sslModeName(e.sslmode)));
    m_modeNote->setVisible(!checks);

    const auto alias = std::find_if(report.problems.cbegin(), report.problems.cend(), [](const Problem &p) {
        return p.code == QLatin1String("host-mismatch-alias");
    });
    if (alias != report.problems.cend()) {
        m_alias->setText(alias->fix.isEmpty() ? alias->explanation
                                              : tr("%1\n\nFix: %2").arg(alias->explanation, alias->fix));
        m_aliasBox->show();
    } else {
        m_alias->clear();
        m_aliasBox->hide();
    }

    for (const HostNameCandidate &c : h.candidates) {
        const int row = m_candidates->rowCount();
        m_candidates->insertRow(row);
        const QString result = c.matched ? tr("Matched: %1").arg(c.reason) : c.reason;
        const QStringList texts{kindText(c.kind), c.value, c.examined ? tr("yes") : tr("skipped"), result};
        for (int col = 0; col < 4; ++col) {
            auto *item = new QTableWidgetItem(texts.at(col));
            item->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
            item->setData(Qt::UserRole, c.matched);
            if (c.matched) {
                QFont f = m_candidates->font();
                f.setBold(true);
                item->setFont(f);
            }
            item->setData(Qt::AccessibleTextRole, QStringLiteral("%1 %2: %3").arg(texts.at(0), c.value, result));
            m_candidates->setItem(row, col, item);
        }
        m_candidates->item(row, 3)->setIcon(icon(c.matched ? "ok" : c.examined ? "error" : "question"));
        if (c.matched)
            m_candidates->selectRow(row);
    }
    if (!h.matched)
        m_candidates->setCurrentItem(nullptr);
}

} // namespace pgtls::ui
