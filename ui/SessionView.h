// SPDX-License-Identifier: MIT
#pragma once

#include "ReportView.h"

#include <QWidget>

class QFormLayout;
class QGroupBox;
class QLabel;

namespace pgtls::ui {

// The libpq session and the server's own view of it: ssl_is_used() and where it came from, the
// pg_stat_ssl row, SHOW ssl, rds.force_ssl, whether plaintext is accepted, protocol, cipher, group,
// key bits, server version and the timings of each step; the proxy / disagreement warning on top.
// Value labels' objectNames: sessionSslIsUsed, sessionSslinfoHint, sessionPgStatSsl, sessionShowSsl,
// sessionForceSsl, sessionServerVersion, sessionConnected, sessionProtocol, sessionCipher,
// sessionGroup, sessionKeyBits, sessionPlaintext, sessionPlaintextExplanation, sessionTimings;
// boxes: sessionProxyWarning (its text in sessionProxyWarningText), sessionNotRun,
// sessionServerGroup, sessionClientGroup.
class SessionView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit SessionView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

private:
    QLabel *value(const QString &objectName) const;

    QWidget *m_proxyBox;
    QLabel *m_proxyText;
    QLabel *m_notRun;
    QGroupBox *m_server;
    QGroupBox *m_client;
    QGroupBox *m_plaintext;
    QGroupBox *m_timings;
};

} // namespace pgtls::ui
