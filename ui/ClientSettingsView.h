// SPDX-License-Identifier: MIT
#pragma once

#include "ClientSettings.h"
#include "ReportView.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;

namespace pgtls::ui {

// Copy-ready settings for the verified configuration of the report's endpoint (ClientSettings:
// sslmode=verify-full with the CA bundle's absolute path; in the alias case the certificate's RDS
// endpoint name as host), for psql/libpq, the libpq environment, pgJDBC, Go pgx, psycopg,
// node-postgres and Npgsql. Each snippet sits in a read-only monospace box with a Copy button and
// the client's pitfalls beneath it. No snippet ever holds a password.
//
// objectNames: clientSettingsHeader, clientSettingsNotes, and per client id (see
// ClientSettings::ids()) client<Id> (QPlainTextEdit: clientPsql, clientEnv, clientJdbc, clientPgx,
// clientPsycopg, clientNode, clientNpgsql), client<Id>Copy, client<Id>Note; clientSettingsStatus
// (the last copy).
class ClientSettingsView : public QWidget, public ReportView
{
    Q_OBJECT
public:
    explicit ClientSettingsView(QWidget *parent = nullptr);

    void setReport(const InspectionReport &report) override;
    void clearReport() override;

    const ClientSettings &settings() const { return m_settings; }
    // "clientJdbc" for "jdbc".
    static QString objectNameFor(const QString &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Box
    {
        QWidget *group = nullptr;
        QPlainTextEdit *text = nullptr;
        QPushButton *copy = nullptr;
        QLabel *note = nullptr;
    };
    void copy(const QString &id);
    void fitHeights();

    ClientSettings m_settings;
    QWidget *m_content = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_header = nullptr;
    QLabel *m_notes = nullptr;
    QLabel *m_status = nullptr;
    QHash<QString, Box> m_boxes;
};

} // namespace pgtls::ui
