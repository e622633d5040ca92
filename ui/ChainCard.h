// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"

#include <QFrame>

class QLabel;

namespace pgtls::ui {

class ValidityBar;

// One node of ChainView: a certificate (role, subject CN, issuer CN, trust icon, validity bar), or a
// placeholder node ("issuer not found in your CA file") drawn with a dashed border. Focusable: a
// click or keyboard focus selects it; Up/Down/Home/End ask the view to move.
// Dynamic property "role": "server", "intermediate", "root", "anchor", "certificate" or "missing".
class ChainCard : public QFrame
{
    Q_OBJECT
public:
    enum class Trust { Trusted, NotVerified, Problem };

    explicit ChainCard(QWidget *parent = nullptr);
    void setCertificate(const CertificateInfo &cert, const QString &role, const QString &roleText,
                        const QString &badge, Trust trust, const QString &trustText, const QDateTime &now);
    void setMissing(const QString &title, const QString &text, const char *iconName);

    bool isPlaceholder() const { return m_placeholder; }
    QString roleText() const;
    ValidityBar *validityBar() const { return m_validity; }
    void setSelected(bool selected);
    bool isSelected() const { return m_selected; }

signals:
    void activated();           // clicked or focused: select me
    void navigate(int delta);   // Up = -1, Down = +1, Home = INT_MIN, End = INT_MAX

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();

    QString m_subjectText;
    QString m_issuerText;
    QLabel *m_icon;
    QLabel *m_role;
    QLabel *m_badge;
    QLabel *m_trust;
    QLabel *m_subject;
    QLabel *m_issuer;
    ValidityBar *m_validity;
    QLabel *m_validityText;
    bool m_placeholder = false;
    bool m_selected = false;
};

} // namespace pgtls::ui
