// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace pgtls::ui {

// The host-name check as libpq does it: the name checked (never hostaddr), every candidate of the
// server certificate (SAN DNS, SAN IP, CN) with whether libpq examined it, whether it matched and why,
// the matched one marked with an icon and bold text; the alias (CNAME) case explained.
// objectNames: hostChecked, hostAddrNote, hostResult, hostModeNote, hostCandidates (QTableWidget:
// kind, name, examined, result/reason; the matched row has item(row, 0)->data(Qt::UserRole) == true),
// hostAlias (explanation and fix of host-mismatch-alias), hostEmpty.
class HostNameView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit HostNameView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

private:
    QLabel *m_empty;
    QWidget *m_content;
    QLabel *m_checked;
    QLabel *m_hostaddr;
    QLabel *m_resultIcon;
    QLabel *m_result;
    QLabel *m_modeNote;
    QTableWidget *m_candidates;
    QWidget *m_aliasBox;
    QLabel *m_alias;
};

} // namespace pgtls::ui
