// SPDX-License-Identifier: MIT
#include "Endpoint.h"

#include "RootCert.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <libpq-fe.h>

#include <pwd.h>
#include <unistd.h>

#include <memory>

namespace pgtls {

namespace {

// The libpq environment variables that feed connection options (see libpq's PQconninfoOptions).
const char *const kPgVariables[] = {
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGREQUIRESSL",
    "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGSSLCRL", "PGSSLCRLDIR", "PGSSLSNI",
    "PGPASSFILE", "PGCONNECT_TIMEOUT", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR",
    "PGTARGETSESSIONATTRS", "PGOPTIONS", "PGAPPNAME", "PGGSSENCMODE", "PGSSLMINPROTOCOLVERSION",
    "PGSSLMAXPROTOCOLVERSION", "PGSSLCOMPRESSION",
};

// Parameters we resolve ourselves; everything else libpq knows is passed through as extraOptions.
const char *const kOwnKeywords[] = {
    "host", "hostaddr", "port", "dbname", "user", "sslmode", "sslrootcert", "sslcert", "sslkey",
    "passfile", "connect_timeout", "password", "service", "requiressl",
};

// Passed-through parameters that matter for TLS and may come from the environment.
const char *const kTlsExtras[][2] = {
    { "sslsni", "PGSSLSNI" }, { "sslcrl", "PGSSLCRL" }, { "sslcrldir", "PGSSLCRLDIR" },
    { "ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION" },
    { "ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION" },
};

// A password in a connection string or URI, found before libpq parses it (its parse errors may quote
// the very text that holds the password).
bool containsPassword(const QString &conninfo)
{
    static const QRegularExpression keyword(QStringLiteral(R"((^|\s)password\s*=)"));
    static const QRegularExpression userinfo(QStringLiteral(R"(^postgres(ql)?://[^/?#@]*:[^/?#@]*@)"));
    static const QRegularExpression queryParam(QStringLiteral(R"([?&]password=)"));
    return keyword.match(conninfo).hasMatch() || userinfo.match(conninfo).hasMatch()
        || (conninfo.startsWith(QLatin1String("postgres")) && queryParam.match(conninfo).hasMatch());
}

// libpq's service lookup (parseServiceInfo): the named group must exist in PGSERVICEFILE (or
// ~/.pg_service.conf), or in PGSYSCONFDIR's (else Debian's /etc/postgresql-common) pg_service.conf.
QString checkService(const QString &service, const QMap<QString, QString> &env, const QString &home)
{
    QStringList files;
    if (env.contains(QStringLiteral("PGSERVICEFILE"))) {
        const QString f = env.value(QStringLiteral("PGSERVICEFILE"));
        if (!QFileInfo::exists(f))
            return QCoreApplication::translate("pgtls::Endpoint", "service file \"%1\" not found").arg(f);
        files << f;
    } else if (!home.isEmpty()) {
        files << home + QStringLiteral("/.pg_service.conf");
    }
    files << env.value(QStringLiteral("PGSYSCONFDIR"), QStringLiteral("/etc/postgresql-common"))
            + QStringLiteral("/pg_service.conf");
    const QString group = QLatin1Char('[') + service + QLatin1Char(']');
    for (const QString &name : std::as_const(files)) {
        QFile f(name);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            if (QString::fromLocal8Bit(f.readLine()).trimmed() == group)
                return {};
        }
    }
    return QCoreApplication::translate("pgtls::Endpoint", "definition of service \"%1\" not found").arg(service);
}

struct ConninfoDeleter
{
    void operator()(PQconninfoOption *o) const { PQconninfoFree(o); }
};
using ConninfoPtr = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

QMap<QString, QString> toMap(const PQconninfoOption *options)
{
    QMap<QString, QString> map;
    for (const PQconninfoOption *o = options; o && o->keyword; ++o) {
        if (o->val)
            map.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    return map;
}

// Runs PQconndefaults() with exactly `env` as the PG* environment (and PGSERVICE = `service` when
// given), so that libpq itself applies environment variables and service files, as psql gets them.
QMap<QString, QString> libpqDefaults(const QMap<QString, QString> &env, const QString &service)
{
    QMap<QByteArray, QByteArray> saved;
    for (const char *name : kPgVariables) {
        if (qEnvironmentVariableIsSet(name))
            saved.insert(name, qgetenv(name));
        qunsetenv(name);
    }
    for (const char *name : kPgVariables) {
        const auto it = env.constFind(QString::fromLatin1(name));
        if (it != env.cend())
            qputenv(name, it.value().toLocal8Bit());
    }
    if (!service.isEmpty())
        qputenv("PGSERVICE", service.toLocal8Bit());

    ConninfoPtr defaults(PQconndefaults());
    QMap<QString, QString> result = toMap(defaults.get());

    for (const char *name : kPgVariables)
        qunsetenv(name);
    for (auto it = saved.cbegin(); it != saved.cend(); ++it)
        qputenv(it.key().constData(), it.value());
    return result;
}

bool looksLikeConninfo(const QString &s)
{
    return s.contains(QLatin1Char('=')) || s.startsWith(QLatin1String("postgresql://"))
        || s.startsWith(QLatin1String("postgres://"));
}

QString quoteConninfoValue(const QString &value)
{
    if (!value.isEmpty() && !value.contains(QLatin1Char(' ')) && !value.contains(QLatin1Char('\''))
        && !value.contains(QLatin1Char('\\')))
        return value;
    QString q = value;
    q.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    q.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

QList<QPair<QString, QString>> Endpoint::toKeywords() const
{
    QList<QPair<QString, QString>> kw;
    auto add = [&kw](const char *key, const QString &value) {
        if (!value.isEmpty())
            kw.append({ QString::fromLatin1(key), value });
    };
    add("host", host);
    add("hostaddr", hostaddr);
    add("port", QString::number(port));
    add("dbname", dbname);
    add("user", user);
    add("sslmode", sslModeName(sslmode));
    add("sslrootcert", sslrootcert);
    add("sslcert", sslcert);
    add("sslkey", sslkey);
    add("passfile", passfile);
    add("connect_timeout", QString::number(connectTimeoutSeconds));
    for (auto it = extraOptions.cbegin(); it != extraOptions.cend(); ++it)
        kw.append({ it.key(), it.value() });
    return kw;
}

QString Endpoint::toConninfo() const
{
    QStringList parts;
    const auto kw = toKeywords();
    for (const auto &[key, value] : kw) {
        if (key == QLatin1String("passfile") || key == QLatin1String("connect_timeout"))
            continue;
        parts << key + QLatin1Char('=') + quoteConninfoValue(value);
    }
    return parts.join(QLatin1Char(' '));
}

QMap<QString, QString> EndpointResolver::processEnvironment()
{
    QMap<QString, QString> env;
    const QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
    for (const char *name : kPgVariables) {
        const QString key = QString::fromLatin1(name);
        if (pe.contains(key))
            env.insert(key, pe.value(key));
    }
    return env;
}

QString EndpointResolver::currentOsUser()
{
    if (const struct passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return {};
}

EndpointResult EndpointResolver::resolve(const EndpointInput &in)
{
    EndpointResult result;
    Endpoint &ep = result.endpoint;

    // 1. Options in psql's order: host, port, user, then dbname, which may be a conninfo/URI
    //    whose values override the earlier ones (libpq's expand_dbname).
    QMap<QString, QString> opts;
    QMap<QString, QString> source;
    auto setOpt = [&](const QString &key, const QString &value, const QString &from) {
        if (value.isEmpty())
            return;
        opts.insert(key, value);
        source.insert(key, from);
    };
    const QString flag = QStringLiteral("flag");
    setOpt(QStringLiteral("host"), in.host, flag);
    setOpt(QStringLiteral("port"), in.port, flag);
    setOpt(QStringLiteral("user"), in.user, flag);

    if (!in.dbname.isEmpty() && !in.conninfo.isEmpty()) {
        result.error = QCoreApplication::translate("pgtls::Endpoint",
            "the database is given twice: with --dbname and as the CONNINFO argument; give one");
        return result;
    }
    const QString dbArg = in.conninfo.isEmpty() ? in.dbname : in.conninfo;
    if (looksLikeConninfo(dbArg) && containsPassword(dbArg)) {
        result.error = QCoreApplication::translate("pgtls::Endpoint",
            "the connection string contains a password: it is not accepted on the command "
            "line, where other users can see it. Use PGPASSWORD, ~/.pgpass or the keychain.");
        return result;
    }
    if (looksLikeConninfo(dbArg)) {
        char *err = nullptr;
        const QByteArray utf8 = dbArg.toUtf8();
        ConninfoPtr parsed(PQconninfoParse(utf8.constData(), &err));
        if (!parsed) {
            QString msg = err ? QString::fromUtf8(err).trimmed()
                              : QCoreApplication::translate("pgtls::Endpoint", "out of memory");
            if (err)
                PQfreemem(err);
            result.error
                = QCoreApplication::translate("pgtls::Endpoint", "invalid connection string: %1")
                      .arg(msg);
            return result;
        }
        const QMap<QString, QString> values = toMap(parsed.get());
        if (values.contains(QStringLiteral("password"))) {
            result.error = QCoreApplication::translate("pgtls::Endpoint",
                "the connection string contains a password: it is not accepted on the command "
                "line, where other users can see it. Use PGPASSWORD, ~/.pgpass or the keychain.");
            return result;
        }
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            setOpt(it.key(), it.value(), QStringLiteral("conninfo"));
    } else {
        setOpt(QStringLiteral("dbname"), dbArg, in.conninfo.isEmpty() ? flag : QStringLiteral("argument"));
    }
    // Options psql has no flags for come after the connection string (an explicit flag wins).
    setOpt(QStringLiteral("hostaddr"), in.hostaddr, flag);
    setOpt(QStringLiteral("sslmode"), in.sslmode, flag);
    setOpt(QStringLiteral("sslrootcert"), in.sslrootcert, flag);
    setOpt(QStringLiteral("connect_timeout"), in.connectTimeout, flag);

    // 2. The environment and service files, through libpq itself: a value counts when the
    //    variable is set or when it differs from libpq's compiled-in default (a service file gave it).
    const QString service = opts.value(QStringLiteral("service"));
    const QMap<QString, QString> defaults = libpqDefaults(in.environment, service);
    const bool serviceInPlay = !service.isEmpty() || in.environment.contains(QStringLiteral("PGSERVICE"));
    const QMap<QString, QString> compiled = serviceInPlay ? libpqDefaults({}, QString()) : defaults;
    static const QMap<QString, QString> envOf = {
        { QStringLiteral("host"), QStringLiteral("PGHOST") },
        { QStringLiteral("hostaddr"), QStringLiteral("PGHOSTADDR") },
        { QStringLiteral("port"), QStringLiteral("PGPORT") },
        { QStringLiteral("dbname"), QStringLiteral("PGDATABASE") },
        { QStringLiteral("user"), QStringLiteral("PGUSER") },
        { QStringLiteral("sslmode"), QStringLiteral("PGSSLMODE") },
        { QStringLiteral("sslrootcert"), QStringLiteral("PGSSLROOTCERT") },
        { QStringLiteral("sslcert"), QStringLiteral("PGSSLCERT") },
        { QStringLiteral("sslkey"), QStringLiteral("PGSSLKEY") },
        { QStringLiteral("passfile"), QStringLiteral("PGPASSFILE") },
        { QStringLiteral("connect_timeout"), QStringLiteral("PGCONNECT_TIMEOUT") },
    };
    for (auto it = envOf.cbegin(); it != envOf.cend(); ++it) {
        if (opts.contains(it.key()))
            continue;
        const QString value = defaults.value(it.key());
        if (in.environment.contains(it.value()))
            setOpt(it.key(), value, QStringLiteral("environment"));
        else if (value != compiled.value(it.key()))
            setOpt(it.key(), value, QStringLiteral("service"));
    }

    const QString serviceName = service.isEmpty() ? in.environment.value(QStringLiteral("PGSERVICE")) : service;
    if (!serviceName.isEmpty()) {
        QString home = in.environment.value(QStringLiteral("HOME"));
        if (home.isEmpty())
            home = RootCert::libpqHomeDirectory();
        const QString error = checkService(serviceName, in.environment, home);
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
    }
    // Everything else of the connection string goes to libpq unchanged; TLS-relevant ones may also
    // come from the environment.
    for (auto it = opts.cbegin(); it != opts.cend(); ++it) {
        const QByteArray key = it.key().toLatin1();
        const bool own = std::any_of(std::begin(kOwnKeywords), std::end(kOwnKeywords),
                                     [&key](const char *k) { return key == k; });
        if (!own)
            ep.extraOptions.insert(it.key(), it.value());
    }
    for (const auto &[keyword, variable] : kTlsExtras) {
        const QString key = QString::fromLatin1(keyword);
        if (!ep.extraOptions.contains(key) && in.environment.contains(QString::fromLatin1(variable)))
            ep.extraOptions.insert(key, defaults.value(key));
    }
    // requiressl=1 (or PGREQUIRESSL=1) means sslmode=require when no sslmode is given, as in libpq.
    const QString requiressl = opts.value(QStringLiteral("requiressl"), in.environment.value(QStringLiteral("PGREQUIRESSL")));
    if (!opts.contains(QStringLiteral("sslmode")) && requiressl == QLatin1String("1"))
        setOpt(QStringLiteral("sslmode"), QStringLiteral("require"),
               opts.contains(QStringLiteral("requiressl")) ? QStringLiteral("conninfo") : QStringLiteral("environment"));

    // 3. Fill and validate.
    auto firstOf = [&result](const QString &key, const QString &value) {
        if (!value.contains(QLatin1Char(',')))
            return value;
        result.warnings << QCoreApplication::translate(
            "pgtls::Endpoint", "%1 lists several values (\"%2\"): only the first is inspected")
                               .arg(key, value);
        return value.section(QLatin1Char(','), 0, 0).trimmed();
    };
    ep.host = firstOf(QStringLiteral("host"), opts.value(QStringLiteral("host")));
    ep.hostaddr = firstOf(QStringLiteral("hostaddr"), opts.value(QStringLiteral("hostaddr")));
    if (!ep.hostaddr.isEmpty() && QHostAddress(ep.hostaddr).isNull()) {
        result.error = source.value(QStringLiteral("hostaddr")) == QLatin1String("flag")
            ? QCoreApplication::translate(
                "pgtls::Endpoint", "--hostaddr: \"%1\" is not a numeric IP address")
                  .arg(ep.hostaddr)
            : QCoreApplication::translate(
                "pgtls::Endpoint", "hostaddr \"%1\" is not a numeric IP address")
                  .arg(ep.hostaddr);
        return result;
    }

    const QString portText = firstOf(QStringLiteral("port"), opts.value(QStringLiteral("port"), defaults.value(QStringLiteral("port"), QStringLiteral("5432"))));
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok || port < 1 || port > 65535) {
        const QString from = source.value(QStringLiteral("port"), QStringLiteral("environment"));
        result.error = from == QLatin1String("flag")
            ? QCoreApplication::translate(
                "pgtls::Endpoint", "--port: \"%1\" is not a port number (1-65535)")
                  .arg(portText)
            : QCoreApplication::translate(
                "pgtls::Endpoint", "invalid port number: \"%1\" (from the %2)")
                  .arg(portText, from);
        return result;
    }
    ep.port = port;
    if (!source.contains(QStringLiteral("port")))
        source.insert(QStringLiteral("port"), QStringLiteral("default"));

    ep.user = opts.value(QStringLiteral("user"));
    if (ep.user.isEmpty()) {
        ep.user = in.osUserName.isEmpty() ? defaults.value(QStringLiteral("user")) : in.osUserName;
        source.insert(QStringLiteral("user"), QStringLiteral("default"));
    }
    ep.dbname = opts.value(QStringLiteral("dbname"));
    if (ep.dbname.isEmpty()) {
        ep.dbname = ep.user; // libpq's default database is the user name
        source.insert(QStringLiteral("dbname"), QStringLiteral("default"));
    }

    const QString modeText = opts.value(QStringLiteral("sslmode"));
    if (modeText.isEmpty()) {
        ep.sslmode = SslMode::VerifyFull;
        source.insert(QStringLiteral("sslmode"), QStringLiteral("default"));
    } else if (auto mode = parseSslMode(modeText)) {
        ep.sslmode = *mode;
    } else {
        const QString from = source.value(QStringLiteral("sslmode"));
        const QString valid = allSslModeNames().join(QStringLiteral(", "));
        result.error = from == QLatin1String("flag")
            ? QCoreApplication::translate(
                "pgtls::Endpoint", "--sslmode: \"%1\" is not an sslmode; use one of %2")
                  .arg(modeText, valid)
            : QCoreApplication::translate(
                "pgtls::Endpoint", "invalid sslmode \"%1\" (from the %2); use one of %3")
                  .arg(modeText, from, valid);
        return result;
    }

    ep.sslrootcert = opts.value(QStringLiteral("sslrootcert"));
    ep.sslcert = opts.value(QStringLiteral("sslcert"));
    ep.sslkey = opts.value(QStringLiteral("sslkey"));
    ep.passfile = opts.value(QStringLiteral("passfile"));

    const QString timeoutText = opts.value(QStringLiteral("connect_timeout"));
    if (!timeoutText.isEmpty()) {
        const int t = timeoutText.toInt(&ok);
        if (!ok || t < 0) {
            result.error = source.value(QStringLiteral("connect_timeout")) == QLatin1String("flag")
                ? QCoreApplication::translate(
                    "pgtls::Endpoint", "--timeout: \"%1\" is not a number of seconds")
                      .arg(timeoutText)
                : QCoreApplication::translate("pgtls::Endpoint", "invalid connect_timeout \"%1\"")
                      .arg(timeoutText);
            return result;
        }
        // libpq: 0 means wait forever; we always keep a bound, and like libpq use at least 2 s.
        ep.connectTimeoutSeconds = t == 0 ? 10 : qBound(2, t, 3600);
    } else {
        source.insert(QStringLiteral("connect_timeout"), QStringLiteral("default"));
    }

    if (ep.host.isEmpty() && ep.hostaddr.isEmpty()) {
        result.warnings << QCoreApplication::translate("pgtls::Endpoint",
            "no host given: libpq would connect through the local Unix-domain socket, "
            "where TLS is never used");
    }
    ep.sources = source;
    return result;
}

} // namespace pgtls
