// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QColor>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace pgtls::ui {

// The verdict in plain words, an icon and a colour (KeePassXC-style inline banner): the report's
// summary, then the first problem's explanation and fix with libpq's detail in a smaller selectable
// font, and any further problems listed compactly. Green, amber and red backgrounds are the only fixed
// colours; the text colour is chosen for the palette in use (light or dark), and the icon's shape
// carries the same meaning for colour-blind users.
// Child objectNames: verdictIcon, verdictSummary, verdictExplanation, verdictFix, verdictDetail,
// verdictMoreProblems, verdictBusy. The dynamic property "state" mirrors state() as text.
class VerdictBanner : public QWidget, public ReportView
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Ok, Warning, Failed };

    explicit VerdictBanner(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override; // back to idle, without a hint
    // Neutral look with a busy indicator: `step` says what is under way.
    void setBusy(const QString &step);
    // Neutral look: `hint` says what to do next (e.g. "Fill in an endpoint and press Inspect").
    void setIdle(const QString &hint);

    State state() const { return m_state; }
    static QString stateName(State state); // "idle", "running", "ok", "warning", "failed"

    // Height for the current width (wrapped text), so a long explanation never imposes a tall minimum
    // computed for a narrow width on the window.
    QSize minimumSizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void setState(State state);
    void applyColours();

    State m_state = State::Idle;
    QLabel *m_icon;
    QLabel *m_summary;
    QLabel *m_explanation;
    QLabel *m_fix;
    QLabel *m_detail;
    QLabel *m_more;
    QProgressBar *m_busy;
    QColor m_background; // invalid: neutral, from the palette
};

} // namespace pgtls::ui
