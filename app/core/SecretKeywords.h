// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace pgtls {

// The libpq connection keywords whose values are secrets (libpq marks them with dispchar "*" in
// PQconndefaults(): `password` and `sslpassword` in libpq 15). Their values are never accepted on
// a command line, shown, logged, reported or stored outside the keychain.
class SecretKeywords
{
public:
    // The secret keywords, as libpq itself lists them (read once).
    static const QStringList &all();
    static bool isSecret(const QString &keyword); // case-insensitive
};

} // namespace pgtls
