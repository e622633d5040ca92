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

// The chain leaf -> root as cards (Kleopatra-style): the chain OpenSSL built (TrustResult::chain),
// also when verification failed, down to the anchor from the CA file ("from your CA file"), each
// card with the problems at its own depth (an expired certificate says until when it was valid);
// an explicit "issuer not found in your CA file" node when the chain does not reach an anchor
// (the only case that blames the CA file); certificates the server sent that are not part of the
// built chain last. Without verification (no CA file, or a CA file that could not be read) the
// certificates as sent. Selecting a card (click, Tab, Up/Down) shows every field in the details
// pane, with Copy and Export PEM.
// objectNames: chainCard (each sent certificate), chainAnchorCard (the anchor, when the server did
// not send it), chainCaFileCard (an intermediate taken from the CA file), chainIssuerNotFound,
// chainNotTrusted, chainNotVerified (placeholder nodes), chainEmpty, chainDetails (a QTableWidget of
// field/value; column 1 data(Qt::UserRole) holds the raw value), chainCopy, chainExportPem, chainStatus (the last copy/export outcome). Each card has the property "role"
// ("unused" for a sent certificate outside the built chain).
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

    // `linkText` labels the link from the previous node (default: "issued by").
    void addNode(ChainCard *card, const Node &node, const QString &linkText = QString());
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
