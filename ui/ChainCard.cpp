// SPDX-License-Identifier: MIT
#include "ChainCard.h"

#include "Icons.h"
#include "PlainText.h"
#include "ValidityBar.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <climits>

namespace pgtls::ui {

ChainCard::ChainCard(QWidget *parent)
    : QFrame(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);

    m_icon = new QLabel(this);
    m_icon->setTextFormat(Qt::PlainText);
    m_icon->setObjectName(QStringLiteral("chainCardIcon"));
    m_role = new QLabel(this);
    m_role->setTextFormat(Qt::PlainText);
    m_role->setObjectName(QStringLiteral("chainCardRole"));
    QFont bold = m_role->font();
    bold.setBold(true);
    m_role->setFont(bold);
    m_badge = new QLabel(this);
    m_badge->setTextFormat(Qt::PlainText);
    m_badge->setObjectName(QStringLiteral("chainCardBadge"));
    QFont small = m_badge->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    small.setItalic(true);
    m_badge->setFont(small);
    m_trust = new QLabel(this);
    m_trust->setTextFormat(Qt::PlainText);
    m_trust->setObjectName(QStringLiteral("chainCardTrust"));
    m_subject = new QLabel(this);
    m_subject->setObjectName(QStringLiteral("chainCardSubject"));
    m_subject->setTextFormat(Qt::PlainText);
    // Long names are elided in the middle (full text in the tooltip) so the card never forces width.
    m_subject->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont larger = m_subject->font();
    larger.setPointSizeF(larger.pointSizeF() * 1.1);
    m_subject->setFont(larger);
    m_issuer = new QLabel(this);
    m_issuer->setObjectName(QStringLiteral("chainCardIssuer"));
    m_issuer->setTextFormat(Qt::PlainText);
    m_issuer->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_issuer->setForegroundRole(QPalette::PlaceholderText);
    m_validity = new ValidityBar(this);
    m_validityText = new QLabel(this);
    m_validityText->setTextFormat(Qt::PlainText);
    m_validityText->setObjectName(QStringLiteral("chainCardValidity"));
    m_validityText->setFont(small);

    auto *top = new QHBoxLayout;
    top->setSpacing(6);
    top->addWidget(m_icon);
    top->addWidget(m_role);
    top->addWidget(m_badge);
    top->addStretch(1);
    top->addWidget(m_trust);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(3);
    layout->addLayout(top);
    layout->addWidget(m_subject);
    layout->addWidget(m_issuer);
    layout->addSpacing(2);
    layout->addWidget(m_validity);
    layout->addWidget(m_validityText);
}

void ChainCard::setCertificate(const CertificateInfo &cert, const QString &role, const QString &roleText,
                               const QString &badge, Trust trust, const QString &trustText, const QDateTime &now)
{
    m_placeholder = false;
    setProperty("role", role);
    m_icon->setPixmap(iconPixmap("certificate", 20, this));
    m_role->setText(roleText);
    m_badge->setText(badge);
    m_badge->setVisible(!badge.isEmpty());
    const char *trustIcon = trust == Trust::Trusted ? "ok" : trust == Trust::Problem ? "error" : "question";
    m_trust->setPixmap(iconPixmap(trustIcon, 18, this));
    m_trust->setToolTip(plainToolTip(trustText));
    m_trust->setAccessibleName(trustText);
    const QString cn = cert.subjectCommonName.isEmpty() ? cert.subject : cert.subjectCommonName;
    m_subjectText = visibleText(cn);
    QString issuerCn = cert.issuer;
    const int at = cert.issuer.indexOf(QLatin1String("CN="));
    if (at >= 0) {
        issuerCn = cert.issuer.mid(at + 3);
        // RFC 2253 separates RDNs with unescaped commas.
        for (int i = 0; i < issuerCn.size(); ++i) {
            if (issuerCn.at(i) == QLatin1Char(',') && (i == 0 || issuerCn.at(i - 1) != QLatin1Char('\\'))) {
                issuerCn.truncate(i);
                break;
            }
        }
    }
    m_issuerText = tr("issued by %1").arg(visibleText(issuerCn));
    m_subject->setToolTip(plainToolTip(cert.subject));
    m_issuer->setToolTip(plainToolTip(cert.issuer));
    elide();
    m_validity->setValidity(cert.notBefore, cert.notAfter, now);
    m_validity->show();
    m_validityText->setText(m_validity->text());
    m_validityText->show();
    setAccessibleName(badge.isEmpty() ? tr("%1: %2").arg(roleText, cn) : tr("%1 (%2): %3").arg(roleText, badge, cn));
    setAccessibleDescription(QStringList{badge, trustText, m_issuerText, m_validity->text()}.join(QStringLiteral("; ")));
    update();
}

void ChainCard::setMissing(const QString &title, const QString &text, const char *iconName)
{
    m_placeholder = true;
    setProperty("role", QStringLiteral("missing"));
    m_icon->setPixmap(iconPixmap(iconName, 20, this));
    m_role->setText(title);
    m_badge->hide();
    m_trust->clear();
    m_subject->setText(text);
    m_subject->setFont(font());
    m_subject->setWordWrap(true);
    m_subject->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_subject->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wrapped text at the top, right under the title: the card may be given more height than
    // the text needs, and a vertically centred label then leaves a gap under the title.
    m_subject->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_subjectText.clear();
    m_issuer->hide();
    m_validity->hide();
    m_validityText->hide();
    setAccessibleName(title);
    setAccessibleDescription(text);
    update();
}

QString ChainCard::roleText() const
{
    return m_role->text();
}

void ChainCard::setSelected(bool selected)
{
    m_selected = selected;
    update();
}

void ChainCard::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF box = QRectF(rect()).adjusted(1, 1, -1, -1);
    QPen pen(m_selected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid), m_selected ? 2.0 : 1.0);
    if (m_placeholder)
        pen.setStyle(Qt::DashLine);
    painter.setPen(pen);
    painter.setBrush(m_placeholder ? palette().color(QPalette::Window) : palette().color(QPalette::Base));
    painter.drawRoundedRect(box, 6, 6);
    if (hasFocus()) {
        QPen focus(palette().color(QPalette::Highlight), 1, Qt::DotLine);
        painter.setPen(focus);
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(box.adjusted(3, 3, -3, -3), 4, 4);
    }
}

void ChainCard::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    emit activated();
    QFrame::mousePressEvent(event);
}

void ChainCard::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Left:
        emit navigate(-1);
        return;
    case Qt::Key_Down:
    case Qt::Key_Right:
        emit navigate(1);
        return;
    case Qt::Key_Home:
        emit navigate(INT_MIN);
        return;
    case Qt::Key_End:
        emit navigate(INT_MAX);
        return;
    case Qt::Key_Space:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        emit activated();
        return;
    default:
        QFrame::keyPressEvent(event);
    }
}

void ChainCard::focusInEvent(QFocusEvent *event)
{
    QFrame::focusInEvent(event);
    emit activated();
    update();
}

void ChainCard::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    elide();
}

void ChainCard::elide()
{
    if (m_placeholder)
        return;
    m_subject->setText(m_subject->fontMetrics().elidedText(m_subjectText, Qt::ElideMiddle, m_subject->width()));
    m_issuer->setText(m_issuer->fontMetrics().elidedText(m_issuerText, Qt::ElideMiddle, m_issuer->width()));
}

void ChainCard::focusOutEvent(QFocusEvent *event)
{
    QFrame::focusOutEvent(event);
    update();
}

} // namespace pgtls::ui
