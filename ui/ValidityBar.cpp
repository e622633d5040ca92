// SPDX-License-Identifier: MIT
#include "ValidityBar.h"

#include "PlainText.h"

#include <QPainter>

namespace pgtls::ui {

ValidityBar::ValidityBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("validityBar"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ValidityBar::setValidity(const QDateTime &notBefore, const QDateTime &notAfter, const QDateTime &now)
{
    m_notBefore = notBefore;
    m_notAfter = notAfter;
    m_now = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    if (m_now > m_notAfter)
        m_state = State::Expired;
    else if (m_now < m_notBefore)
        m_state = State::NotYetValid;
    else if (m_now.daysTo(m_notAfter) <= 30)
        m_state = State::ExpiresSoon;
    else
        m_state = State::Valid;
    const QString words = text();
    setToolTip(plainToolTip(words));
    setAccessibleName(tr("Validity"));
    setAccessibleDescription(words);
    update();
}

qint64 ValidityBar::daysLeft() const
{
    return m_now.daysTo(m_notAfter);
}

QString ValidityBar::stateName(State state)
{
    switch (state) {
    case State::Valid:
        return QStringLiteral("valid");
    case State::ExpiresSoon:
        return QStringLiteral("expires-soon");
    case State::Expired:
        return QStringLiteral("expired");
    case State::NotYetValid:
        return QStringLiteral("not-yet-valid");
    }
    return {};
}

QString ValidityBar::text() const
{
    const QString until = m_notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
    switch (m_state) {
    case State::Expired:
        return tr("Expired %n day(s) ago (on %1)", nullptr, int(m_notAfter.daysTo(m_now))).arg(until);
    case State::NotYetValid:
        return tr("Not yet valid: starts in %n day(s) (on %1)", nullptr, int(m_now.daysTo(m_notBefore)))
                .arg(m_notBefore.toUTC().toString(QStringLiteral("yyyy-MM-dd")));
    case State::ExpiresSoon:
        return tr("Expires soon: %n day(s) left (until %1)", nullptr, int(daysLeft())).arg(until);
    case State::Valid:
        return tr("%n day(s) left (until %1)", nullptr, int(daysLeft())).arg(until);
    }
    return {};
}

QSize ValidityBar::sizeHint() const
{
    return {160, 8};
}

QSize ValidityBar::minimumSizeHint() const
{
    return {40, 8};
}

void ValidityBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF track = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = track.height() / 2;
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(track, radius, radius);

    QColor remaining;
    switch (m_state) {
    case State::Valid:
        remaining = QColor(0x1e, 0x8e, 0x3e);
        break;
    case State::ExpiresSoon:
        remaining = QColor(0xe8, 0xa1, 0x00);
        break;
    case State::Expired:
        remaining = QColor(0xc5, 0x22, 0x1f);
        break;
    case State::NotYetValid:
        remaining = QColor(0x9a, 0xa0, 0xa6);
        break;
    }
    const qint64 lifetime = qMax<qint64>(1, m_notBefore.secsTo(m_notAfter));
    qreal elapsed = qBound<qreal>(0.0, qreal(m_notBefore.secsTo(m_now)) / qreal(lifetime), 1.0);
    if (m_state == State::Expired || m_state == State::NotYetValid)
        elapsed = 0.0; // the whole bar says it: red (expired) or grey (not yet valid)
    painter.setPen(Qt::NoPen);
    painter.setClipRect(track.adjusted(track.width() * elapsed, 0, 0, 0));
    painter.setBrush(remaining);
    painter.drawRoundedRect(track, radius, radius);
    if (elapsed > 0) {
        painter.setClipRect(track.adjusted(0, 0, -track.width() * (1.0 - elapsed), 0));
        painter.setBrush(palette().color(QPalette::Mid));
        painter.drawRoundedRect(track, radius, radius);
    }
}

} // namespace pgtls::ui
