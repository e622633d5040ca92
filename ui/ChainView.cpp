// SPDX-License-Identifier: MIT
#include "ChainView.h"

#include "ChainCard.h"
#include "PlainText.h"
#include "ValidityBar.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScopeGuard>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <climits>

namespace pgtls::ui {

namespace {

QString yesNo(bool value)
{
    return value ? ChainView::tr("yes") : ChainView::tr("no");
}

QString utc(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

// One problem in the user's words: OpenSSL's text and, for a validity problem, the date.
QString issueText(const CertificateIssue &i, const CertificateInfo &c)
{
    if (i.code == QLatin1String("expired") && c.notAfter.isValid())
        return ChainView::tr("%1 (valid until %2)").arg(i.detail, utc(c.notAfter));
    if (i.code == QLatin1String("not-yet-valid") && c.notBefore.isValid())
        return ChainView::tr("%1 (valid from %2)").arg(i.detail, utc(c.notBefore));
    if (i.code == QLatin1String("revoked"))
        return ChainView::tr("%1 (by a revocation list its issuer published)").arg(i.detail);
    return i.detail;
}

QList<QPair<QString, QString>> fields(const CertificateInfo &c, const QList<CertificateIssue> &issues, const QDateTime &now)
{
    QString key = c.keyType;
    if (c.keyBits > 0)
        key += ChainView::tr(", %1 bits").arg(c.keyBits);
    if (!c.keyCurve.isEmpty())
        key += ChainView::tr(", curve %1").arg(c.keyCurve);
    ValidityBar bar;
    bar.setValidity(c.notBefore, c.notAfter, now);
    QList<QPair<QString, QString>> f{
        {ChainView::tr("Subject"), c.subject},
        {ChainView::tr("Issuer"), c.issuer},
        {ChainView::tr("Serial"), c.serial},
        {ChainView::tr("Valid from"), utc(c.notBefore)},
        {ChainView::tr("Valid until"), utc(c.notAfter)},
        {ChainView::tr("Validity"), bar.text()},
        {ChainView::tr("SHA-256"), c.sha256},
        {ChainView::tr("Key"), key},
        {ChainView::tr("Signature algorithm"), c.signatureAlgorithm},
        {ChainView::tr("SAN DNS"), c.sanDns.isEmpty() ? ChainView::tr("(none)") : c.sanDns.join(QStringLiteral(", "))},
        {ChainView::tr("SAN IP"), c.sanIp.isEmpty() ? ChainView::tr("(none)") : c.sanIp.join(QStringLiteral(", "))},
        {ChainView::tr("CA"), yesNo(c.isCa)},
        {ChainView::tr("Self-signed"), yesNo(c.selfSigned)},
    };
    if (issues.isEmpty())
        f.append({ChainView::tr("Issues"), ChainView::tr("(none)")});
    for (const CertificateIssue &i : issues)
        f.append({ChainView::tr("Issue"), QStringLiteral("%1: %2").arg(i.code, issueText(i, c))});
    return f;
}

} // namespace

ChainView::ChainView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("chainView"));
    m_column = new QWidget;
    m_column->setObjectName(QStringLiteral("chainColumn"));
    m_columnLayout = new QVBoxLayout(m_column);
    m_columnLayout->setContentsMargins(6, 6, 6, 6);
    m_columnLayout->setSpacing(0);
    m_scroll = new QScrollArea;
    m_scroll->setWidget(m_column);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setMinimumWidth(240);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_empty = new QLabel(this);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setObjectName(QStringLiteral("chainEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_details = new QTableWidget(0, 2);
    m_details->setObjectName(QStringLiteral("chainDetails"));
    m_details->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_details->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_details->setWordWrap(true);
    m_details->setShowGrid(false);
    m_details->setAlternatingRowColors(true);
    m_details->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_details->verticalHeader()->hide();
    // Rows grow to the wrapped value: nothing is elided.
    m_details->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_details->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_details->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_details->setAccessibleName(tr("Certificate fields"));
    m_copy = new QPushButton(tr("&Copy"));
    m_copy->setObjectName(QStringLiteral("chainCopy"));
    m_copy->setToolTip(tr("Copy every field of the selected certificate as text"));
    m_export = new QPushButton(tr("&Export PEM…"));
    m_export->setObjectName(QStringLiteral("chainExportPem"));
    m_export->setToolTip(tr("Save the selected certificate as a PEM file"));
    connect(m_copy, &QPushButton::clicked, this, &ChainView::copyDetails);
    connect(m_export, &QPushButton::clicked, this, &ChainView::exportPem);

    auto *detailsPane = new QWidget;
    m_detailsPane = detailsPane;
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("chainStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_export);
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_details, 1);
    detailsLayout->addLayout(buttons);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_empty);
    leftLayout->addWidget(m_scroll, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(detailsPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({380, 380});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    clearReport();
}

void ChainView::clearReport()
{
    qDeleteAll(m_cards);
    m_cards.clear();
    m_nodes.clear();
    m_selected = -1;
    m_status->clear();
    while (QLayoutItem *item = m_columnLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_empty->setText(tr("No certificate chain yet."));
    m_empty->show();
    m_scroll->hide();
    m_detailsPane->hide();
    showDetails();
}

void ChainView::setReport(const InspectionReport &report)
{
    // Controls and bidi overrides in the data shown visibly, whichever way this returns.
    const auto visible = qScopeGuard([this] { makeTextVisible(this); });
    clearReport();
    m_reportNow = report.now;
    const ProbeResult &probe = report.probe;
    const TrustResult &trust = probe.trust;
    if (probe.chain.isEmpty()) {
        m_empty->setText(probe.error.isEmpty() ? tr("The server sent no certificate chain.")
                                               : tr("The server sent no certificate chain:\n%1").arg(probe.error));
        return;
    }
    m_empty->hide();
    m_scroll->show();
    m_detailsPane->show();

    // The chain OpenSSL built (leaf .. anchor, also when verification failed) when there is one,
    // else the certificates as sent. Each card carries the problems at its own depth.
    const bool built = trust.attempted && !trust.chain.isEmpty();
    const QList<CertificateInfo> &shown = built ? trust.chain : probe.chain;
    auto wasSent = [&probe](const CertificateInfo &c) {
        return std::any_of(probe.chain.cbegin(), probe.chain.cend(),
                           [&c](const CertificateInfo &s) { return s.sha256 == c.sha256; });
    };
    const bool anchorFound = !trust.anchorSha256.isEmpty();
    const int count = int(shown.size());
    for (int i = 0; i < count; ++i) {
        const CertificateInfo &c = shown.at(i);
        Node node;
        node.hasCertificate = true;
        node.cert = c;
        for (const CertificateIssue &issue : trust.issues)
            if (issue.depth == i)
                node.issues.append(issue);
        const bool isAnchor = built && anchorFound && i == count - 1 && c.sha256 == trust.anchorSha256;
        const bool sent = !built || wasSent(c);
        QString role = QStringLiteral("certificate");
        node.roleText = tr("Certificate");
        if (i == 0) {
            role = QStringLiteral("server");
            node.roleText = tr("Server certificate");
        } else if (isAnchor && !sent) {
            role = QStringLiteral("anchor");
            node.roleText = tr("Root CA");
        } else if (c.selfSigned) {
            role = QStringLiteral("root");
            node.roleText = sent ? tr("Root CA (sent by the server)") : tr("Root CA");
        } else if (c.isCa) {
            role = QStringLiteral("intermediate");
            node.roleText = sent ? tr("Intermediate CA") : tr("Intermediate CA (from your CA file)");
        }
        ChainCard::Trust state = ChainCard::Trust::NotVerified;
        if (!node.issues.isEmpty()) {
            state = ChainCard::Trust::Problem;
            QStringList what;
            for (const CertificateIssue &issue : node.issues)
                what << issueText(issue, c);
            node.trustText = tr("Problem: %1").arg(what.join(QStringLiteral("; ")));
        } else if (isAnchor) {
            state = ChainCard::Trust::Trusted;
            node.trustText = trust.trusted
                ? tr("Trust anchor: this certificate of your CA file anchors the chain")
                : tr("Trust anchor: found in your CA file, which anchors the chain; the chain "
                     "fails because of the problem marked above");
        } else if (trust.trusted) {
            state = ChainCard::Trust::Trusted;
            node.trustText = tr("Verified against your CA file");
        } else if (!trust.attempted) {
            // Why not (a named file that does not exist, one libpq cannot load), when known.
            node.trustText = trust.error.isEmpty() ? tr("Not verified: no CA file in use")
                                                   : tr("Not verified: %1").arg(trust.error);
        } else if (built) {
            node.trustText = tr("No problem with this certificate itself; the chain does not verify "
                                "because of the problem marked on another card");
        } else {
            node.trustText = tr("Not trusted: the chain does not verify against your CA file");
        }
        auto *card = new ChainCard(m_column);
        card->setObjectName(sent ? QStringLiteral("chainCard")
                                 : isAnchor ? QStringLiteral("chainAnchorCard")
                                            : QStringLiteral("chainCaFileCard"));
        const QString badge = isAnchor ? (sent ? tr("in your CA file") : tr("from your CA file"))
                              : !sent  ? tr("from your CA file")
                                       : QString();
        card->setCertificate(c, role, node.roleText, badge, state, node.trustText, report.now);
        addNode(card, node);
    }

    // What ends the column when no anchor from the CA file does: why the chain stops there.
    const QString lastIssuer = shown.last().issuer;
    const bool issuerMissing = std::any_of(trust.issues.cbegin(), trust.issues.cend(), [count](const CertificateIssue &i) {
        return i.depth == count - 1
            && (i.code == QLatin1String("unknown-issuer") || i.code == QLatin1String("self-signed"));
    });
    auto *card = new ChainCard(m_column);
    Node node;
    if (built && anchorFound) {
        delete card;
        card = nullptr;
    } else if (!trust.attempted) {
        node.roleText = tr("Not verified");
        node.note = tr("No CA file is in use, so nothing was checked against a trusted root. Issuer: %1")
                            .arg(lastIssuer);
        card->setObjectName(QStringLiteral("chainNotVerified"));
        card->setMissing(node.roleText, node.note, "question");
    } else if (built && issuerMissing) {
        node.roleText = tr("Issuer not found in your CA file");
        node.note = shown.last().selfSigned
            ? tr("The chain ends in a root your CA file does not hold: %1\n%2").arg(shown.last().subject, trust.error)
            : tr("Looking for: %1\n%2").arg(lastIssuer, trust.error);
        card->setObjectName(QStringLiteral("chainIssuerNotFound"));
        card->setMissing(node.roleText, node.note, "error");
    } else {
        node.roleText = tr("Chain not trusted");
        node.note = trust.error;
        card->setObjectName(QStringLiteral("chainNotTrusted"));
        card->setMissing(node.roleText, node.note, "error");
    }
    if (card)
        addNode(card, node);

    // Certificates the server sent that are not part of the chain OpenSSL built.
    if (built) {
        for (const CertificateInfo &c : probe.chain) {
            if (std::any_of(shown.cbegin(), shown.cend(),
                            [&c](const CertificateInfo &b) { return b.sha256 == c.sha256; }))
                continue;
            Node extra;
            extra.hasCertificate = true;
            extra.cert = c;
            extra.roleText = tr("Sent by the server, not part of the chain");
            extra.trustText = tr("Not used: OpenSSL built the chain without this certificate");
            auto *unused = new ChainCard(m_column);
            unused->setObjectName(QStringLiteral("chainCard"));
            unused->setCertificate(c, QStringLiteral("unused"), extra.roleText, QString(),
                                   ChainCard::Trust::NotVerified, extra.trustText, report.now);
            addNode(unused, extra, tr("also sent by the server"));
        }
    }
    m_columnLayout->addStretch(1);
    selectCard(0);
}

void ChainView::addNode(ChainCard *card, const Node &node, const QString &linkText)
{
    if (!m_cards.isEmpty()) {
        auto *link = new QLabel(linkText.isEmpty() ? tr("\u25BC issued by") : linkText, m_column);
        link->setTextFormat(Qt::PlainText);
        link->setObjectName(QStringLiteral("chainLink"));
        link->setAlignment(Qt::AlignCenter);
        link->setForegroundRole(QPalette::PlaceholderText);
        link->setContentsMargins(0, 2, 0, 2);
        m_columnLayout->addWidget(link);
    }
    const int index = int(m_cards.size());
    m_cards.append(card);
    m_nodes.append(node);
    m_columnLayout->addWidget(card);
    connect(card, &ChainCard::activated, this, [this, index] { selectCard(index); });
    connect(card, &ChainCard::navigate, this, [this, index](int delta) {
        qint64 target = delta == INT_MIN ? 0 : delta == INT_MAX ? m_cards.size() - 1 : qint64(index) + delta;
        target = qBound<qint64>(0, target, m_cards.size() - 1);
        m_cards.at(target)->setFocus(Qt::TabFocusReason);
        selectCard(int(target));
    });
}

void ChainView::selectCard(int index)
{
    if (index < 0 || index >= m_cards.size())
        index = -1;
    m_selected = index;
    for (int i = 0; i < m_cards.size(); ++i)
        m_cards.at(i)->setSelected(i == index);
    if (index >= 0)
        m_scroll->ensureWidgetVisible(m_cards.at(index));
    showDetails();
}

void ChainView::showDetails()
{
    m_details->setRowCount(0);
    const bool cert = m_selected >= 0 && m_nodes.at(m_selected).hasCertificate;
    m_copy->setEnabled(m_selected >= 0);
    m_export->setEnabled(cert);
    if (m_selected < 0)
        return;
    const Node &node = m_nodes.at(m_selected);
    auto add = [this](const QString &field, const QString &value) {
        const int row = m_details->rowCount();
        m_details->insertRow(row);
        auto *name = new QTableWidgetItem(field);
        name->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
        // Long hex (SHA-256) is shown in groups of 8 so that it wraps; copy gives the raw value.
        QString shown = value;
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{41,}$"));
        if (hex.match(value).hasMatch()) {
            shown.clear();
            for (qsizetype i = 0; i < value.size(); i += 8)
                shown += value.mid(i, 8) + QLatin1Char(' ');
            shown = shown.trimmed();
        }
        auto *item = new QTableWidgetItem(visibleText(shown));
        item->setData(Qt::UserRole, value);
        item->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_details->setItem(row, 0, name);
        m_details->setItem(row, 1, item);
    };
    add(tr("Role"), node.roleText);
    add(tr("Trust"), node.hasCertificate ? node.trustText : node.note);
    if (!cert)
        return;
    for (const auto &[field, value] : fields(node.cert, node.issues, m_reportNow))
        add(field, value);
}

QString ChainView::selectedCertificateText() const
{
    QStringList lines;
    for (int row = 0; row < m_details->rowCount(); ++row)
        lines << QStringLiteral("%1: %2").arg(m_details->item(row, 0)->text(),
                                             m_details->item(row, 1)->data(Qt::UserRole).toString());
    return lines.join(QLatin1Char('\n'));
}

bool ChainView::exportSelectedPem(const QString &path, QString *error) const
{
    if (m_selected < 0 || !m_nodes.at(m_selected).hasCertificate) {
        if (error)
            *error = tr("No certificate is selected.");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_nodes.at(m_selected).cert.toPem().toUtf8()) < 0
        || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ChainView::copyDetails()
{
    QApplication::clipboard()->setText(selectedCertificateText());
    m_status->setText(tr("Copied"));
}

void ChainView::exportPem()
{
    if (m_selected < 0 || !m_nodes.at(m_selected).hasCertificate)
        return;
    const CertificateInfo &c = m_nodes.at(m_selected).cert;
    QString name = c.subjectCommonName.isEmpty() ? c.sha256.left(16) : c.subjectCommonName;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export certificate as PEM"), name + QStringLiteral(".pem"),
                                                      tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportSelectedPem(path, &error))
        m_status->setText(tr("Saved %1").arg(path));
    else
        m_status->setText(error);
}

} // namespace pgtls::ui
