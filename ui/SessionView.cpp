// SPDX-License-Identifier: MIT
#include "SessionView.h"

#include "Icons.h"
#include "PlainText.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

QLabel *addRow(QFormLayout *form, const QString &label, const QString &objectName)
{
    auto *value = new QLabel;
    value->setObjectName(objectName);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *name = new QLabel(label);
    name->setTextFormat(Qt::PlainText);
    name->setBuddy(value);
    value->setAccessibleName(label);
    form->addRow(name, value);
    return value;
}

QFormLayout *newForm(QGroupBox *box)
{
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    return form;
}

// Hides or shows a form row (label and value), so an empty row leaves no gap.
void setRowShown(QLabel *value, bool shown)
{
    if (auto *form = qobject_cast<QFormLayout *>(value->parentWidget()->layout()))
        form->setRowVisible(value, shown);
    else
        value->setVisible(shown);
}

QString boolText(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

QString ms(qint64 value)
{
    return value < 0 ? SessionView::tr("not reached") : SessionView::tr("%1 ms").arg(value);
}

} // namespace

SessionView::SessionView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sessionView"));
    auto *page = new QWidget;
    auto *pageLayout = new QVBoxLayout(page);

    m_proxyBox = new QWidget(page);
    m_proxyBox->setObjectName(QStringLiteral("sessionProxyWarning"));
    m_proxyBox->setAutoFillBackground(true);
    m_proxyBox->setBackgroundRole(QPalette::AlternateBase);
    auto *proxyIcon = new QLabel(m_proxyBox);
    proxyIcon->setTextFormat(Qt::PlainText);
    proxyIcon->setPixmap(iconPixmap("warning", 28, this));
    proxyIcon->setAlignment(Qt::AlignTop);
    m_proxyText = new QLabel(m_proxyBox);
    m_proxyText->setObjectName(QStringLiteral("sessionProxyWarningText"));
    m_proxyText->setWordWrap(true);
    m_proxyText->setTextFormat(Qt::PlainText);
    m_proxyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *proxyLayout = new QHBoxLayout(m_proxyBox);
    proxyLayout->setContentsMargins(10, 10, 10, 10);
    proxyLayout->addWidget(proxyIcon);
    proxyLayout->addWidget(m_proxyText, 1);

    m_notRun = new QLabel(page);
    m_notRun->setTextFormat(Qt::PlainText);
    m_notRun->setObjectName(QStringLiteral("sessionNotRun"));
    m_notRun->setWordWrap(true);

    m_server = new QGroupBox(tr("The server's view"), page);
    m_server->setObjectName(QStringLiteral("sessionServerGroup"));
    QFormLayout *server = newForm(m_server);
    addRow(server, tr("ssl_is_used():"), QStringLiteral("sessionSslIsUsed"));
    addRow(server, QString(), QStringLiteral("sessionSslinfoHint"));
    addRow(server, tr("pg_stat_ssl:"), QStringLiteral("sessionPgStatSsl"));
    addRow(server, tr("SHOW ssl:"), QStringLiteral("sessionShowSsl"));
    addRow(server, tr("rds.force_ssl:"), QStringLiteral("sessionForceSsl"));
    addRow(server, tr("Server version:"), QStringLiteral("sessionServerVersion"));
    addRow(server, tr("Server notices:"), QStringLiteral("sessionNotices"));

    m_client = new QGroupBox(tr("The connection (libpq)"), page);
    m_client->setObjectName(QStringLiteral("sessionClientGroup"));
    QFormLayout *client = newForm(m_client);
    addRow(client, tr("Connected:"), QStringLiteral("sessionConnected"));
    addRow(client, tr("Protocol:"), QStringLiteral("sessionProtocol"));
    addRow(client, tr("Cipher:"), QStringLiteral("sessionCipher"));
    addRow(client, tr("Key-exchange group:"), QStringLiteral("sessionGroup"));
    addRow(client, tr("Key bits:"), QStringLiteral("sessionKeyBits"));

    m_plaintext = new QGroupBox(tr("Unencrypted connections"), page);
    QFormLayout *plaintext = newForm(m_plaintext);
    addRow(plaintext, tr("Plaintext:"), QStringLiteral("sessionPlaintext"));
    addRow(plaintext, QString(), QStringLiteral("sessionPlaintextExplanation"));

    m_timings = new QGroupBox(tr("Timings"), page);
    QFormLayout *timings = newForm(m_timings);
    addRow(timings, tr("Steps:"), QStringLiteral("sessionTimings"));

    pageLayout->addWidget(m_proxyBox);
    pageLayout->addWidget(m_notRun);
    pageLayout->addWidget(m_server);
    pageLayout->addWidget(m_client);
    pageLayout->addWidget(m_plaintext);
    pageLayout->addWidget(m_timings);
    pageLayout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    clearReport();
}

QLabel *SessionView::value(const QString &objectName) const
{
    return findChild<QLabel *>(objectName);
}

void SessionView::clearReport()
{
    for (QLabel *label : findChildren<QLabel *>(QRegularExpression(QStringLiteral("^session[A-Z]"))))
        label->clear();
    setRowShown(value(QStringLiteral("sessionSslinfoHint")), false);
    setRowShown(value(QStringLiteral("sessionNotices")), false);
    m_proxyBox->hide();
    m_notRun->setText(tr("No inspection yet."));
    m_notRun->show();
    for (QGroupBox *box : {m_server, m_client, m_plaintext, m_timings})
        box->hide();
}

void SessionView::setReport(const InspectionReport &report)
{
    // Controls and bidi overrides in the data shown visibly, whichever way this returns.
    const auto visible = qScopeGuard([this] { makeTextVisible(this); });
    clearReport();
    const SessionResult &s = report.session;
    const ProbeResult &p = report.probe;

    const auto proxy = std::find_if(report.problems.cbegin(), report.problems.cend(), [](const Problem &pr) {
        return pr.code == QLatin1String("tls-terminated-by-proxy") || pr.code == QLatin1String("tls-parameters-differ");
    });
    if (proxy != report.problems.cend()) {
        QString text = proxy->title.isEmpty() ? proxy->explanation : proxy->title + QStringLiteral("\n") + proxy->explanation;
        if (!proxy->detail.isEmpty())
            text += QStringLiteral("\n") + proxy->detail;
        if (!proxy->fix.isEmpty())
            text += QStringLiteral("\n") + tr("Fix: %1").arg(proxy->fix);
        m_proxyText->setText(text);
        m_proxyBox->show();
    }

    m_notRun->setVisible(!s.attempted);
    m_notRun->setText(tr("The libpq session was not run (probe only): no login, so the server's own view, "
                         "the plaintext test and the matrix are not available."));
    m_server->setVisible(s.connected);
    m_client->setVisible(true);
    m_plaintext->setVisible(true);
    m_timings->setVisible(true);

    if (s.connected) {
        value(QStringLiteral("sessionSslIsUsed"))
                ->setText(s.sslIsUsed.has_value()
                                  ? tr("%1 (from %2)").arg(boolText(*s.sslIsUsed), s.sslIsUsedSource)
                                  : tr("unknown: %1").arg(s.queryError.isEmpty() ? tr("no answer") : s.queryError));
        QLabel *hint = value(QStringLiteral("sessionSslinfoHint"));
        hint->setText(s.sslinfoInstalled ? QString()
                                         : tr("sslinfo is not installed, so pg_stat_ssl answered. To get ssl_is_used(), "
                                              "install sslinfo: CREATE EXTENSION sslinfo;"));
        setRowShown(hint, !s.sslinfoInstalled);
        value(QStringLiteral("sessionPgStatSsl"))
                ->setText(s.pgStatSsl.has_value()
                                  ? tr("ssl=%1, %2, %3, %4 bits")
                                            .arg(boolText(*s.pgStatSsl),
                                                 s.pgStatSslVersion.isEmpty() ? tr("no protocol") : s.pgStatSslVersion,
                                                 s.pgStatSslCipher.isEmpty() ? tr("no cipher") : s.pgStatSslCipher)
                                            .arg(s.pgStatSslBits)
                                  : tr("(no row)"));
        value(QStringLiteral("sessionShowSsl"))->setText(s.showSsl);
        value(QStringLiteral("sessionForceSsl"))
                ->setText(s.rdsForceSsl ? *s.rdsForceSsl : tr("(not a parameter of this server: not RDS)"));
        value(QStringLiteral("sessionServerVersion"))->setText(s.serverVersion);
        // What the server sent as NoticeResponse: its words, shown as data (plain text, escaped).
        QStringList notices;
        for (const ServerNotice &n : s.notices)
            notices << tr("%1: %2").arg(n.severity, n.message);
        if (s.noticesDropped > 0)
            notices << tr("(%n more not kept)", nullptr, s.noticesDropped);
        QLabel *noticeLabel = value(QStringLiteral("sessionNotices"));
        noticeLabel->setText(notices.join(QLatin1Char('\n')));
        setRowShown(noticeLabel, !notices.isEmpty());
        value(QStringLiteral("sessionConnected"))
                ->setText(s.sslInUse ? tr("yes, with TLS (sslmode=%1)").arg(sslModeName(s.sslmode))
                                     : tr("yes, WITHOUT TLS (sslmode=%1)").arg(sslModeName(s.sslmode)));
    } else if (s.attempted) {
        value(QStringLiteral("sessionConnected"))->setText(tr("no: %1").arg(s.error));
    } else {
        value(QStringLiteral("sessionConnected"))->setText(tr("not attempted (probe only)"));
    }
    // The session's TLS parameters when it used TLS, else what the probe negotiated.
    const bool fromSession = s.connected && s.sslInUse;
    const QString probeNote = fromSession || p.protocol.isEmpty() ? QString() : tr(" (TLS probe)");
    const QString protocol = fromSession ? s.protocol : p.protocol;
    const QString cipher = fromSession ? s.cipher : p.cipher;
    value(QStringLiteral("sessionProtocol"))->setText(protocol.isEmpty() ? tr("none") : protocol + probeNote);
    value(QStringLiteral("sessionCipher"))->setText(cipher.isEmpty() ? tr("none") : cipher + probeNote);
    value(QStringLiteral("sessionGroup"))->setText(p.group.isEmpty() ? tr("unknown") : tr("%1 (TLS probe)").arg(p.group));
    value(QStringLiteral("sessionKeyBits"))
            ->setText(fromSession && s.keyBits > 0 ? QString::number(s.keyBits)
                      : s.connected                 ? tr("none (no TLS)")
                                                    : tr("unknown (no session)"));

    const PlaintextResult &pt = report.plaintext;
    QString answer = tr("not tested");
    if (pt.tested)
        answer = !pt.accepted.has_value() ? tr("no answer either way")
                : *pt.accepted            ? tr("ACCEPTED: the server takes unencrypted connections")
                                          : tr("refused");
    value(QStringLiteral("sessionPlaintext"))->setText(answer);
    QLabel *explanation = value(QStringLiteral("sessionPlaintextExplanation"));
    explanation->setText(pt.detail.isEmpty() ? pt.explanation : tr("%1\nlibpq: %2").arg(pt.explanation, pt.detail));
    setRowShown(explanation, !explanation->text().isEmpty());

    const ProbeTimings &t = p.timings;
    QStringList steps;
    if (t.resolve >= 0)
        steps << tr("name resolution %1").arg(ms(ProbeTimings::stepMs(t.resolve, 0)));
    steps << tr("TCP connect %1").arg(ms(ProbeTimings::stepMs(t.tcp, t.resolve)));
    steps << tr("SSLRequest %1").arg(ms(ProbeTimings::stepMs(t.sslRequest, t.tcp)));
    steps << tr("TLS handshake %1").arg(ms(ProbeTimings::stepMs(t.tls, t.sslRequest)));
    steps << tr("probe total %1").arg(ms(t.total));
    if (s.attempted)
        steps << tr("libpq session connect %1").arg(ms(s.connectMs)) << tr("session with queries %1").arg(ms(s.totalMs));
    steps << tr("inspection total %1").arg(ms(report.totalMs));
    value(QStringLiteral("sessionTimings"))->setText(steps.join(QLatin1Char('\n')));
}

} // namespace pgtls::ui
