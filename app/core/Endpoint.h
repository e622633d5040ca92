// SPDX-License-Identifier: MIT
#pragma once

#include "SslMode.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pgtls {

// What to inspect: the libpq connection parameters that matter for TLS. A plain value.
// Never holds a password.
struct Endpoint
{
    QString host;          // the name libpq checks the certificate against (and sends as SNI)
    QString hostaddr;      // where to connect instead of resolving host (optional)
    int port = 5432;
    QString dbname;
    QString user;
    SslMode sslmode = SslMode::VerifyFull;
    QString sslrootcert;   // empty = libpq's default (~/.postgresql/root.crt)
    QString sslcert;       // optional client certificate
    QString sslkey;        // optional client key
    QString passfile;      // optional ~/.pgpass replacement (a path, never a password)
    int connectTimeoutSeconds = 10;
    // Further libpq parameters given in the connection string or the environment, passed to libpq
    // unchanged (e.g. sslsni, ssl_min_protocol_version, sslcrl, application_name); the probe honours
    // sslsni and ssl_min/max_protocol_version.
    QMap<QString, QString> extraOptions;

    // Where each value came from, for display ("flag", "conninfo", "environment", "default").
    QMap<QString, QString> sources;

    bool isUnixSocket() const { return host.startsWith(QLatin1Char('/')) || host.startsWith(QLatin1Char('@')); }
    // libpq-style keyword/value pairs (without password), e.g. for PQconnectStartParams.
    QList<QPair<QString, QString>> toKeywords() const;
    // A conninfo string for display and copy ("host=... port=... sslmode=..."), quoted as libpq expects.
    QString toConninfo() const;
};

// The inputs a front end gathers; resolved into an Endpoint the way psql does it:
// flags first, then a conninfo string / URI (its values override the flags, as in psql, where the
// positional argument is an expanded dbname), then the service file (service= or PGSERVICE), then
// PG* environment variables, then defaults: libpq 15's conninfo_add_defaults(), computed from
// `environment` alone (the process environment is neither read for PG* variables nor changed).
// A value for a secret keyword (SecretKeywords: password, sslpassword) in the connection string
// is refused, and no error or warning ever contains a secret's value.
struct EndpointInput
{
    QString host, hostaddr, port, dbname, user, sslmode, sslrootcert, connectTimeout;
    QString conninfo;                     // "host=... " or "postgresql://..." or a plain database name
    // PG* variables to honour (normally processEnvironment()); HOME too, when given, for
    // ~/.pg_service.conf (else libpq's home directory). PGPASSWORD is never taken from here.
    QMap<QString, QString> environment;
    QString osUserName;                   // default user when nothing else gives one
};

struct EndpointResult
{
    Endpoint endpoint;
    QString error;        // non-empty: a usage error naming the offending flag or value
    QStringList warnings; // e.g. several hosts given: only the first is inspected
    bool ok() const { return error.isEmpty(); }
};

class EndpointResolver
{
public:
    static EndpointResult resolve(const EndpointInput &input);
    // The secret keyword (password, sslpassword) a connection string or URI gives a value for, as
    // resolve() finds it: before libpq parses it ("keyword =", a URI's "user:secret@",
    // percent-encoded query names) and on what PQconninfoParse() returns (values wiped). An empty
    // string: none; std::nullopt: none found, and libpq cannot parse the string.
    static std::optional<QString> secretKeywordIn(const QString &conninfo);
    // A connection string or URI that holds a password (a pasted DATABASE_URL,
    // postgresql://app:secret@host/db), split as libpq parses it: the same options without the
    // password, as a keyword=value string, and the password. nullopt when libpq cannot parse it,
    // when it holds no password, or when it holds another secret (sslpassword), which is not
    // separated. The caller owns (and wipes) the password.
    struct SeparatedPassword
    {
        QString conninfo;
        QString password;
    };
    static std::optional<SeparatedPassword> separatePassword(const QString &conninfo);
    // Whether libpq's parse error for `conninfo` may quote part of a secret (resolve() then shows
    // the error without its quoted tokens).
    static bool parseErrorMayQuoteSecret(const QString &conninfo);
    // The current process's PG* environment variables.
    static QMap<QString, QString> processEnvironment(); // never includes PGPASSWORD
    // The OS user name libpq would default to.
    static QString currentOsUser();
};

} // namespace pgtls
