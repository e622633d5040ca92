// SPDX-License-Identifier: MIT
#include "SecretKeywords.h"

#include <libpq-fe.h>

namespace pgtls {

const QStringList &SecretKeywords::all()
{
    static const QStringList keywords = [] {
        QStringList out;
        // An empty string parsed: libpq's whole option table, without the environment or a
        // service file being read (PQconndefaults() would read both).
        char *error = nullptr;
        PQconninfoOption *options = PQconninfoParse("", &error);
        if (error)
            PQfreemem(error);
        for (const PQconninfoOption *o = options; o && o->keyword; ++o) {
            if (o->dispchar && o->dispchar[0] == '*')
                out << QString::fromUtf8(o->keyword);
        }
        PQconninfoFree(options);
        // libpq's own table, should PQconninfoParse() fail (out of memory).
        for (const char *known : { "password", "sslpassword" }) {
            if (!out.contains(QLatin1String(known)))
                out << QString::fromLatin1(known);
        }
        return out;
    }();
    return keywords;
}

bool SecretKeywords::isSecret(const QString &keyword)
{
    // Also in another case: libpq would refuse "PASSWORD" as an option, but its value is still a
    // secret.
    return all().contains(keyword, Qt::CaseInsensitive);
}

} // namespace pgtls
