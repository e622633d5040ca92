// SPDX-License-Identifier: MIT
#include "Endpoint.h"

#include "RootCert.h"
#include "SafeFile.h"
#include "SecretKeywords.h"
#include "SecretMemory.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <libpq-fe.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
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

// Passed-through parameters that matter for TLS and are also taken from the environment.
const char *const kTlsExtras[] = {
    "sslsni", "sslcrl", "sslcrldir", "ssl_min_protocol_version", "ssl_max_protocol_version",
};

// One entry of libpq's option table: its keyword, its environment variable, its compiled default.
struct LibpqOption
{
    QString keyword;
    QString envvar;
    QString compiled;
};

// libpq's own option table, in its order (PQconninfoParse("") reads neither the environment nor a
// service file).
const QList<LibpqOption> &libpqOptions()
{
    static const QList<LibpqOption> table = [] {
        QList<LibpqOption> out;
        char *error = nullptr;
        PQconninfoOption *options = PQconninfoParse("", &error);
        if (error)
            PQfreemem(error);
        for (const PQconninfoOption *o = options; o && o->keyword; ++o) {
            out.append({ QString::fromUtf8(o->keyword),
                         o->envvar ? QString::fromUtf8(o->envvar) : QString(),
                         o->compiled ? QString::fromUtf8(o->compiled) : QString() });
        }
        PQconninfoFree(options);
        return out;
    }();
    return table;
}

QString compiledDefault(const QString &keyword)
{
    for (const LibpqOption &o : libpqOptions()) {
        if (o.keyword == keyword)
            return o.compiled;
    }
    return {};
}

bool isLibpqKeyword(const QString &keyword)
{
    const auto &table = libpqOptions();
    return std::any_of(table.cbegin(), table.cend(),
                       [&keyword](const LibpqOption &o) { return o.keyword == keyword; });
}

bool isUri(const QString &s)
{
    return s.startsWith(QLatin1String("postgresql://")) || s.startsWith(QLatin1String("postgres://"));
}

// Decodes the valid %xx triplets of `s` and keeps everything else as it is (libpq refuses the
// string when a triplet is invalid, but a secret keyword may still be meant).
QByteArray lenientPercentDecode(const QByteArray &s)
{
    auto hex = [](char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    QByteArray out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out.append(char(hex(s[i + 1]) * 16 + hex(s[i + 2])));
            i += 2;
        } else {
            out.append(s[i]);
        }
    }
    return out;
}

// libpq's URI user-information look-ahead (conninfo_uri_parse_options): everything after the
// scheme up to the first '@', unless a '/' (or the end) comes first. Empty when there is none.
QByteArray uriUserinfo(const QByteArray &uri)
{
    const qsizetype start = uri.indexOf("://") + 3;
    for (qsizetype i = start; i < uri.size(); ++i) {
        if (uri[i] == '/')
            return {};
        if (uri[i] == '@')
            return uri.mid(start, i - start);
    }
    return {};
}

// The secret keyword a connection string or URI gives a value for, found before libpq parses it
// (its parse errors may quote the very text that holds the secret): "keyword =" in a connection
// string, "user:secret@" in a URI, and URI query parameters whose percent-decoded name is one.
QString secretBeforeParsing(const QString &conninfo)
{
    const QStringList &secrets = SecretKeywords::all();
    const QByteArray utf8 = conninfo.toUtf8();
    if (!isUri(conninfo)) {
        for (const QString &keyword : secrets) {
            const QRegularExpression re(QStringLiteral(R"((^|\s)%1\s*=)")
                                            .arg(QRegularExpression::escape(keyword)));
            if (re.match(conninfo).hasMatch())
                return keyword;
        }
        return {};
    }
    const QByteArray userinfo = uriUserinfo(utf8);
    const qsizetype colon = userinfo.indexOf(':');
    if (colon >= 0 && colon + 1 < userinfo.size())
        return QStringLiteral("password");
    const qsizetype afterUserinfo = userinfo.isEmpty() ? 0 : utf8.indexOf('@');
    const qsizetype query = utf8.indexOf('?', afterUserinfo);
    if (query < 0)
        return {};
    const QList<QByteArray> params = utf8.mid(query + 1).split('&');
    for (const QByteArray &param : params) {
        const QString name = QString::fromUtf8(lenientPercentDecode(param.left(param.indexOf('='))));
        if (secrets.contains(name))
            return name;
    }
    return {};
}

// Whether libpq's parse error for `conninfo` may quote part of a secret: a secret keyword's name
// appears anywhere in the (percent-decoded) text, or a URI carries "user:...@".
bool mayHoldSecret(const QString &conninfo)
{
    const QByteArray utf8 = conninfo.toUtf8();
    const QString decoded = QString::fromUtf8(lenientPercentDecode(utf8));
    for (const QString &keyword : SecretKeywords::all()) {
        if (decoded.contains(keyword, Qt::CaseInsensitive)
            || conninfo.contains(keyword, Qt::CaseInsensitive))
            return true;
    }
    return isUri(conninfo) && uriUserinfo(utf8).contains(':');
}

// The secret keyword libpq's parser gave a value for (empty: none); the values are wiped.
QString secretAfterParsing(PQconninfoOption *options)
{
    QString found;
    for (PQconninfoOption *o = options; o && o->keyword; ++o) {
        if (o->val && SecretKeywords::isSecret(QString::fromUtf8(o->keyword))) {
            if (found.isEmpty())
                found = QString::fromUtf8(o->keyword);
            std::fill(o->val, o->val + qstrlen(o->val), '\0');
        }
    }
    return found;
}

// libpq's parse error with the tokens it quotes from the input replaced by a placeholder. libpq
// 15's parse errors (conninfo_parse, conninfo_uri_parse_options/_params, conninfo_uri_decode) put
// the token last, after ': "', or after 'after'/'option'.
QString withoutQuotedTokens(const QString &message)
{
    const QString placeholder = QStringLiteral("\"\u2026\"");
    static const QRegularExpression missingEquals(
        QStringLiteral(R"(^missing "=" after ".*" in connection info string$)"),
        QRegularExpression::DotMatchesEverythingOption);
    if (missingEquals.match(message).hasMatch())
        return QStringLiteral("missing \"=\" after %1 in connection info string").arg(placeholder);
    static const QRegularExpression invalidOption(
        QStringLiteral(R"(^invalid connection option ".*"$)"),
        QRegularExpression::DotMatchesEverythingOption);
    if (invalidOption.match(message).hasMatch())
        return QStringLiteral("invalid connection option %1").arg(placeholder);
    static const QRegularExpression uriMessage(
        QStringLiteral(R"(^(end of string reached when looking for matching "\]" in IPv6 host address in URI)"
                       R"(|IPv6 host address may not be empty in URI)"
                       R"(|unexpected character ".*" at position \d+ in URI \(expected ":" or "/"\))"
                       R"(|extra key/value separator "=" in URI query parameter)"
                       R"(|missing key/value separator "=" in URI query parameter)"
                       R"(|invalid URI query parameter)"
                       R"(|invalid percent-encoded token)"
                       R"(|forbidden value %00 in percent-encoded value)"
                       R"(): ".*"$)"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = uriMessage.match(message);
    if (m.hasMatch()) {
        QString head = m.captured(1);
        static const QRegularExpression character(
            QStringLiteral(R"(^unexpected character ".*" at position)"),
            QRegularExpression::DotMatchesEverythingOption);
        head.replace(character, QStringLiteral("unexpected character %1 at position").arg(placeholder));
        return head + QStringLiteral(": ") + placeholder;
    }
    // libpq's messages that quote nothing; anything else (a translation: libpq follows the
    // locale; a later libpq) is not shown at all.
    if (message == QLatin1String("unterminated quoted string in connection info string")
        || message == QLatin1String("out of memory"))
        return message;
    return QCoreApplication::translate("pgtls::Endpoint",
        "libpq's message is not shown, as it may quote part of a secret");
}

// The refusal for a secret keyword on the command line (never its value).
QString secretRefusal(const QString &keyword)
{
    if (keyword == QLatin1String("password"))
        return QCoreApplication::translate("pgtls::Endpoint", "the connection string contains a password: it is not accepted on the command "
                  "line, where other users can see it. Use PGPASSWORD, ~/.pgpass or the keychain.");
    if (keyword == QLatin1String("sslpassword"))
        return QCoreApplication::translate("pgtls::Endpoint", "the connection string contains the client key's passphrase (sslpassword): it is "
                  "not accepted on the command line, where other users can see it. Put it in a "
                  "service file only you can read (pg_service.conf, used with PGSERVICE=name), "
                  "where libpq reads it; without it an encrypted key does not load.");
    return QCoreApplication::translate("pgtls::Endpoint", "the connection string contains a secret (%1): it is not accepted on the command "
              "line, where other users can see it.")
        .arg(keyword);
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

bool isCSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The options being resolved, with where each came from.
struct Options
{
    QMap<QString, QString> values;
    QMap<QString, QString> sources;
    void set(const QString &key, const QString &value, const QString &from)
    {
        if (value.isEmpty())
            return;
        values.insert(key, value);
        sources.insert(key, from);
    }
};

// libpq 15's parseServiceFile(): the group `service` of `path` fills the options not set yet.
// The file is read through SafeFile (a FIFO or a device named as a service file is an error, never
// a wait). Returns false with `error` set on a failure that stops libpq.
bool parseServiceFile(const QString &path, const QString &service, Options &opts, bool &groupFound,
                      QString &error, QStringList &warnings)
{
    groupFound = false;
    const SafeFileStatus file = SafeFile::read(path);
    if (!file.ok()) {
        error = file.kind == SafeFileStatus::Kind::Missing
            ? QCoreApplication::translate("pgtls::Endpoint", "service file \"%1\" not found").arg(path)
            : QCoreApplication::translate("pgtls::Endpoint", "service file: %1").arg(file.error);
        return false;
    }
    const QByteArray name = service.toLocal8Bit();
    const QList<QByteArray> lines = file.data.split('\n');
    int lineNumber = 0;
    for (QByteArray line : lines) {
        ++lineNumber;
        if (lineNumber == lines.size() && line.isEmpty())
            break; // after the last newline
        const qsizetype nul = line.indexOf('\0');
        if (nul >= 0)
            line.truncate(nul); // libpq's C strings end there
        qsizetype end = line.size();
        while (end > 0 && isCSpace(line[end - 1]))
            --end;
        qsizetype begin = 0;
        while (begin < end && isCSpace(line[begin]))
            ++begin;
        line = line.mid(begin, end - begin);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith('[')) {
            if (groupFound)
                return true; // the end of the group
            groupFound = line.mid(1).startsWith(name) && line.size() > name.size() + 1
                && line[name.size() + 1] == ']';
            continue;
        }
        if (!groupFound)
            continue;
        if (line.startsWith("ldap")) {
            // libpq (built with LDAP, as Debian's is) would query the LDAP server named here.
            warnings << QCoreApplication::translate("pgtls::Endpoint", "service \"%1\" in \"%2\", line %3, is looked up in LDAP by libpq: not "
                           "done here, its parameters are not shown")
                            .arg(service, path)
                            .arg(lineNumber);
            continue;
        }
        const qsizetype eq = line.indexOf('=');
        if (eq < 0) {
            error = QCoreApplication::translate("pgtls::Endpoint", "syntax error in service file \"%1\", line %2").arg(path).arg(lineNumber);
            return false;
        }
        const QString key = QString::fromLocal8Bit(line.left(eq));
        if (key == QLatin1String("service")) {
            error = QCoreApplication::translate("pgtls::Endpoint", "nested service specifications not supported in service file \"%1\", line %2")
                        .arg(path)
                        .arg(lineNumber);
            return false;
        }
        if (!isLibpqKeyword(key)) {
            error = QCoreApplication::translate("pgtls::Endpoint", "syntax error in service file \"%1\", line %2").arg(path).arg(lineNumber);
            return false;
        }
        if (SecretKeywords::isSecret(key)) {
            // Never read into our memory, shown or stored; libpq itself would use it.
            warnings << QCoreApplication::translate("pgtls::Endpoint", "service \"%1\" in \"%2\", line %3, sets %4: it is not used here")
                            .arg(service, path)
                            .arg(lineNumber)
                            .arg(key);
            continue;
        }
        if (!opts.values.contains(key))
            opts.set(key, QString::fromLocal8Bit(line.mid(eq + 1)), QStringLiteral("service"));
    }
    return true;
}

// libpq 15's parseServiceInfo(): PGSERVICEFILE (else ~/.pg_service.conf, when it exists), then
// PGSYSCONFDIR's (else Debian's /etc/postgresql-common) pg_service.conf, when it exists.
QString applyService(const QString &service, const QMap<QString, QString> &env, const QString &home,
                     Options &opts, QStringList &warnings)
{
    bool groupFound = false;
    QString error;
    QString first;
    if (env.contains(QStringLiteral("PGSERVICEFILE")))
        first = env.value(QStringLiteral("PGSERVICEFILE"));
    else if (!home.isEmpty()
             && SafeFile::check(home + QStringLiteral("/.pg_service.conf")).kind
                 != SafeFileStatus::Kind::Missing)
        first = home + QStringLiteral("/.pg_service.conf");
    if (!first.isEmpty()) {
        if (!parseServiceFile(first, service, opts, groupFound, error, warnings))
            return error;
        if (groupFound)
            return {};
    }
    const QString system
        = env.value(QStringLiteral("PGSYSCONFDIR"), QStringLiteral("/etc/postgresql-common"))
        + QStringLiteral("/pg_service.conf");
    if (SafeFile::check(system).kind != SafeFileStatus::Kind::Missing) {
        if (!parseServiceFile(system, service, opts, groupFound, error, warnings))
            return error;
    }
    if (!groupFound)
        return QCoreApplication::translate("pgtls::Endpoint", "definition of service \"%1\" not found").arg(service);
    return {};
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

namespace {

// libpq's parse of a string that may hold a secret: the UTF-8 copy handed to libpq is wiped, and
// libpq's error text (which may quote the secret) is dropped. Null when libpq cannot parse it.
ConninfoPtr parseWiped(const QString &conninfo)
{
    QByteArray utf8 = conninfo.toUtf8();
    char *err = nullptr;
    ConninfoPtr parsed(PQconninfoParse(utf8.constData(), &err));
    utf8.fill('\0');
    if (err)
        PQfreemem(err);
    return parsed;
}

} // namespace

std::optional<QString> EndpointResolver::secretKeywordIn(const QString &conninfo)
{
    if (const QString early = secretBeforeParsing(conninfo); !early.isEmpty())
        return early;
    const ConninfoPtr parsed = parseWiped(conninfo);
    if (!parsed)
        return std::nullopt;
    return secretAfterParsing(parsed.get());
}

std::optional<EndpointResolver::SeparatedPassword> EndpointResolver::separatePassword(const QString &conninfo)
{
    const ConninfoPtr parsed = parseWiped(conninfo);
    if (!parsed)
        return std::nullopt;
    SeparatedPassword out;
    QStringList pairs;
    bool hasPassword = false;
    bool otherSecret = false;
    for (PQconninfoOption *o = parsed.get(); o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString keyword = QString::fromUtf8(o->keyword);
        if (keyword == QLatin1String("password")) {
            hasPassword = true;
            out.password = QString::fromUtf8(o->val);
        } else if (SecretKeywords::isSecret(keyword)) {
            otherSecret = true;
        } else {
            // libpq's quoting: single quotes, with \ and ' escaped by a backslash.
            QString value = QString::fromUtf8(o->val);
            value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
            value.replace(QLatin1Char('\''), QLatin1String("\\'"));
            pairs << QStringLiteral("%1='%2'").arg(keyword, value);
        }
        std::memset(o->val, 0, std::strlen(o->val));
    }
    if (!hasPassword || otherSecret) {
        wipe(out.password);
        return std::nullopt;
    }
    out.conninfo = pairs.join(QLatin1Char(' '));
    return out;
}

bool EndpointResolver::parseErrorMayQuoteSecret(const QString &conninfo)
{
    return mayHoldSecret(conninfo);
}

EndpointResult EndpointResolver::resolve(const EndpointInput &in)
{
    EndpointResult result;
    Endpoint &ep = result.endpoint;

    // 1. Options in psql's order: host, port, user, then dbname, which may be a conninfo/URI
    //    whose values override the earlier ones (libpq's expand_dbname).
    Options options;
    QMap<QString, QString> &opts = options.values;
    QMap<QString, QString> &source = options.sources;
    auto setOpt = [&options](const QString &key, const QString &value, const QString &from) {
        options.set(key, value, from);
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
    if (looksLikeConninfo(dbArg)) {
        // A secret (password, sslpassword) is refused before libpq parses the string, whose
        // errors may quote it, and after, on what libpq's parser saw (percent-decoded).
        const QString early = secretBeforeParsing(dbArg);
        if (!early.isEmpty()) {
            result.error = secretRefusal(early);
            return result;
        }
        char *err = nullptr;
        const QByteArray utf8 = dbArg.toUtf8();
        ConninfoPtr parsed(PQconninfoParse(utf8.constData(), &err));
        if (!parsed) {
            QString msg = err ? QString::fromUtf8(err).trimmed()
                              : QCoreApplication::translate("pgtls::Endpoint", "out of memory");
            if (err)
                PQfreemem(err);
            if (mayHoldSecret(dbArg))
                msg = withoutQuotedTokens(msg);
            result.error
                = QCoreApplication::translate("pgtls::Endpoint", "invalid connection string: %1")
                      .arg(msg);
            return result;
        }
        if (const QString secret = secretAfterParsing(parsed.get()); !secret.isEmpty()) {
            result.error = secretRefusal(secret);
            return result;
        }
        const QMap<QString, QString> values = toMap(parsed.get());
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

    // 2. Service file, then environment, from `in.environment` only, as libpq 15's
    //    conninfo_add_defaults() does it (the process environment is never changed).
    const QMap<QString, QString> &env = in.environment;
    const QString service = opts.value(QStringLiteral("service"), env.value(QStringLiteral("PGSERVICE")));
    if (env.contains(QStringLiteral("PGSERVICE")) || opts.contains(QStringLiteral("service"))) {
        QString home = env.value(QStringLiteral("HOME"));
        if (home.isEmpty())
            home = RootCert::libpqHomeDirectory();
        // libpq: a service given as an empty string is still looked up (and not found).
        const QString error = applyService(service, env, home, options, result.warnings);
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
    }
    static const QStringList fromEnvironment = [] {
        QStringList keys;
        for (const char *k : kOwnKeywords)
            keys << QString::fromLatin1(k);
        for (const char *k : kTlsExtras)
            keys << QString::fromLatin1(k);
        return keys;
    }();
    for (const LibpqOption &o : libpqOptions()) {
        if (opts.contains(o.keyword) || o.envvar.isEmpty() || SecretKeywords::isSecret(o.keyword)
            || !fromEnvironment.contains(o.keyword))
            continue;
        const auto it = env.constFind(o.envvar);
        if (it != env.cend())
            setOpt(o.keyword, it.value(), QStringLiteral("environment"));
        // The deprecated PGREQUIRESSL: a value starting with "1" means sslmode=require, when
        // neither the options nor PGSSLMODE give an sslmode.
        else if (o.keyword == QLatin1String("sslmode")
                 && env.value(QStringLiteral("PGREQUIRESSL")).startsWith(QLatin1Char('1')))
            setOpt(o.keyword, QStringLiteral("require"), QStringLiteral("environment"));
    }
    // Everything else of the connection string and the service goes to libpq unchanged.
    for (auto it = opts.cbegin(); it != opts.cend(); ++it) {
        const QByteArray key = it.key().toLatin1();
        const bool own = std::any_of(std::begin(kOwnKeywords), std::end(kOwnKeywords),
                                     [&key](const char *k) { return key == k; });
        if (!own && !SecretKeywords::isSecret(it.key()))
            ep.extraOptions.insert(it.key(), it.value());
    }

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

    const QString portText = firstOf(QStringLiteral("port"), opts.value(QStringLiteral("port"), compiledDefault(QStringLiteral("port"))));
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
        ep.user = in.osUserName.isEmpty() ? EndpointResolver::currentOsUser() : in.osUserName;
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
