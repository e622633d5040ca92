// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;
class QTableWidget;
class QVBoxLayout;

namespace pgtls::ui {

class ChainCard;

// The chain leaf -> root as cards (Kleopatra-style): the certificates as the server sent them, then
// the anchor from the CA file when trusted ("from your CA file"), or an explicit "issuer not found
// in your CA file" node when the chain does not reach it. Selecting a card (click, Tab, Up/Down)
// shows every field in the details pane, with Copy and Export PEM.
// objectNames: chainCard (each sent certificate, in order), chainAnchorCard, chainIssuerNotFound,
// chainNotTrusted, chainNotVerified (placeholder nodes), chainEmpty, chainDetails (a QTableWidget of
// field/value; column 1 data(Qt::UserRole) holds the raw value), chainCopy, chainExportPem, chainStatus (the last copy/export outcome). Each card has the property "role".
class ChainView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit ChainView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    QList<ChainCard *> cards() const { return m_cards; } // every node, top (leaf) to bottom
    int selectedIndex() const { return m_selected; }
    void selectCard(int index);
    // Every field of the selected certificate as "Field: value" lines; empty when none is selected.
    QString selectedCertificateText() const;
    // Writes the selected certificate as PEM (QSaveFile). False with *error when none or on failure.
    bool exportSelectedPem(const QString &path, QString *error = nullptr) const;

private:
    struct Node
    {
        bool hasCertificate = false;
        CertificateInfo cert;
        QList<CertificateIssue> issues;
        QString roleText;
        QString trustText;
        QString note; // placeholder nodes: what is missing, and why
    };

    void addNode(ChainCard *card, const Node &node);
    void showDetails();
    void copyDetails();
    void exportPem();

    QScrollArea *m_scroll;
    QWidget *m_column;
    QWidget *m_detailsPane = nullptr; // hidden while there is no chain to detail
    QVBoxLayout *m_columnLayout;
    QLabel *m_empty;
    QTableWidget *m_details;
    QPushButton *m_copy;
    QPushButton *m_export;
    QLabel *m_status;
    QDateTime m_reportNow;
    QList<ChainCard *> m_cards;
    QList<Node> m_nodes;
    int m_selected = -1;
};

} // namespace pgtls::ui
