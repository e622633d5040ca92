// SPDX-License-Identifier: MIT
#pragma once

#include "InspectionReport.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace pgtls {

// One copy-ready configuration for one client.
struct ClientSnippet
{
    // "psql", "env", "jdbc", "pgx", "psycopg", "node", "npgsql" (stable: the GUI names its widgets
    // after them, e.g. clientJdbc).
    QString id;
    QString title; // "psql / libpq", "pgJDBC", ...
    QString text; // what to copy, ready to paste (shell, Java, Go, Python, JavaScript, C#)
    QString note; // what to know about this client (pitfalls), in the user's words; may be empty
};

// The verified configuration of a report's endpoint, for every common client: always
// sslmode=verify-full (or its equivalent) with the CA bundle's absolute path. A plain value.
//
// Never holds a password: snippets say where the password comes from (PGPASSWORD, ~/.pgpass, a
// secret store) and use placeholders; nothing of the report's extra libpq options is copied.
struct ClientSettings
{
    QString host; // the host to connect to (the certificate's RDS endpoint name in the alias case)
    QString reportedHost; // the host the report inspected
    // The report showed a host-name mismatch and the certificate names an RDS endpoint: `host` is
    // that endpoint name, not the alias that was inspected.
    bool hostFromCertificate = false;
    QString hostaddr; // kept for libpq-based clients when the report used one
    int port = 5432;
    QString dbname;
    QString user;
    QString rootCert; // absolute path of the CA bundle (a placeholder when none is known)
    bool rootCertKnown = false; // rootCert is a real file name, not a placeholder
    // General remarks in the user's words: the alias case, a missing CA file, a chain that did not
    // verify against this bundle in the report.
    QStringList notes;
    QList<ClientSnippet> snippets; // in the order of ClientSettings::ids()

    const ClientSnippet *snippet(const QString &id) const;

    // The settings for `report` (its endpoint, CA file and what the probe saw).
    static ClientSettings forReport(const InspectionReport &report);
    static QStringList ids();

    // Quoting helpers (public for tests and the CLI).
    static QString conninfoValue(const QString &value); // libpq keyword=value quoting
    static QString shellWord(const QString &value); // POSIX sh single quotes when needed
    static QString cStyleString(const QString &value); // "..." for Go, Java, C#, Python
    static QString jsString(const QString &value); // '...' for JavaScript

    Q_DECLARE_TR_FUNCTIONS(ClientSettings)
};

} // namespace pgtls
