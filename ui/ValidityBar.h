// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QWidget>

namespace pgtls::ui {

// A certificate's lifetime as a bar (KeyStore Explorer / certigo style): the elapsed part in a muted
// palette colour, the remaining part coloured by days left (more than 30: green, 30 or fewer: amber,
// expired: red, not yet valid: grey). The state also appears in text() for labels, tooltips and
// screen readers, so colour is never the only carrier.
class ValidityBar : public QWidget
{
    Q_OBJECT
public:
    enum class State { Valid, ExpiresSoon, Expired, NotYetValid };

    explicit ValidityBar(QWidget *parent = nullptr);
    void setValidity(const QDateTime &notBefore, const QDateTime &notAfter, const QDateTime &now);

    State state() const { return m_state; }
    qint64 daysLeft() const; // negative when expired
    QString text() const; // "243 days left (until 2026-07-01)", "expired 3 days ago", ...
    static QString stateName(State state); // "valid", "expires-soon", "expired", "not-yet-valid"

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QDateTime m_notBefore;
    QDateTime m_notAfter;
    QDateTime m_now;
    State m_state = State::Valid;
};

} // namespace pgtls::ui
