// SPDX-License-Identifier: MIT
// EndpointResolver::resolve() with the input as the conninfo string or URI (empty environment).
// Asserts: no crash or leak; when libpq's own parser (PQconninfoParse) sees a value for a secret
// keyword (SecretKeywords: password, sslpassword), the result is an error; no error, warning or
// resolved value shows a secret value (values of 6+ characters, so that short ones that happen to
// be part of ordinary words do not count); every text is well-formed.

#include "Endpoint.h"
#include "FuzzCommon.h"
#include "SecretKeywords.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

#include <libpq-fe.h>

using namespace pgtls;

namespace {

// When libpq cannot parse the conninfo, its error may still quote the text: the values that would
// have been secrets, found the simple way (password=... / sslpassword=... in keyword form or in a
// URI's query, the password of a URI's user info), at least 6 characters long.
QStringList wouldBeSecrets(const QString &conninfo)
{
    QStringList out;
    static const QRegularExpression keyword(
        QStringLiteral(R"((?:^|[\s?&])(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|[^\s'&]+))"));
    for (auto it = keyword.globalMatch(conninfo); it.hasNext();) {
        QString v = it.next().captured(1);
        if (v.startsWith(QLatin1Char('\'')))
            v = v.mid(1).chopped(v.endsWith(QLatin1Char('\'')) && v.size() > 1 ? 1 : 0);
        out << v << QUrl::fromPercentEncoding(v.toUtf8());
    }
    static const QRegularExpression uri(
        QStringLiteral(R"(^postgres(?:ql)?://([^/?@]*):([^/?]*)@)"));
    if (const auto m = uri.match(conninfo); m.hasMatch())
        out << m.captured(2) << QUrl::fromPercentEncoding(m.captured(2).toUtf8());
    QStringList longEnough;
    for (const QString &v : out) {
        if (v.size() >= 6)
            longEnough << v;
    }
    return longEnough;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_endpoint";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);
    if (size > 4096)
        return 0;

    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The conninfo reaches the resolver as a QString, and libpq as its UTF-8 (up to a NUL, as C does).
    const QString conninfo = QString::fromUtf8(bytes);
    QByteArray forLibpq = conninfo.toUtf8();
    if (const qsizetype nul = forLibpq.indexOf('\0'); nul >= 0)
        forLibpq.truncate(nul);

    QStringList secrets;
    bool secretGiven = false;
    char *parseError = nullptr;
    if (PQconninfoOption *opts = PQconninfoParse(forLibpq.constData(), &parseError)) {
        for (PQconninfoOption *o = opts; o->keyword; ++o) {
            if (o->val && SecretKeywords::isSecret(QString::fromLatin1(o->keyword))) {
                secretGiven = true;
                const QString value = QString::fromUtf8(o->val);
                if (value.size() >= 6)
                    secrets << value;
            }
        }
        PQconninfoFree(opts);
    }
    const bool parsed = !parseError;
    PQfreemem(parseError);
    if (!parsed)
        secrets = wouldBeSecrets(conninfo);

    EndpointInput input;
    input.conninfo = conninfo;
    input.osUserName = QStringLiteral("fuzzuser");
    const EndpointResult r = EndpointResolver::resolve(input);

    fuzz::requireWellFormed(r.error, "endpoint error");
    fuzz::requireWellFormed(r.warnings, "endpoint warnings");
    if (secretGiven)
        fuzz::require(!r.ok(), "a secret keyword in the conninfo was accepted");
    QStringList shown = r.warnings;
    shown << r.error;
    if (r.ok()) {
        shown << r.endpoint.toConninfo();
        for (auto it = r.endpoint.extraOptions.cbegin(); it != r.endpoint.extraOptions.cend(); ++it) {
            fuzz::require(!SecretKeywords::isSecret(it.key()), "a secret keyword passed through");
            shown << it.value();
        }
    }
    // The refusal of a secret is a fixed sentence that names the keyword ("... contains a password
    // ...", "... passphrase (sslpassword) ..."): a value such as "asswor" is part of its words, not
    // taken from the input. A text that is exactly the refusal a sentinel value gets carries nothing
    // of this input's value; every other text is searched.
    static const QStringList refusals = [] {
        QStringList out;
        for (const QString &keyword : SecretKeywords::all()) {
            for (const QString &form : { QStringLiteral("host=h %1=\x01\x02\x03sentinel"),
                                         QStringLiteral("postgresql://h/db?%1=\x01\x02\x03sentinel") }) {
                EndpointInput sentinel;
                sentinel.conninfo = form.arg(keyword);
                sentinel.osUserName = QStringLiteral("fuzzuser");
                out << EndpointResolver::resolve(sentinel).error;
            }
        }
        return out;
    }();
    for (const QString &text : shown) {
        if (refusals.contains(text))
            continue;
        for (const QString &secret : secrets)
            fuzz::require(!text.contains(secret), "a secret value appears in the endpoint's text",
                          text);
    }
    return 0;
}
