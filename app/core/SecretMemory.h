// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <algorithm>

// Wiping secrets held in memory (passwords typed, from the keychain, handed to libpq).
namespace pgtls {

// Overwrites a secret's characters with zeros, then empties the string. Only a buffer this string
// alone holds is overwritten: a buffer shared with another holder is left to that holder (and this
// reference dropped), so a copy handed on is never destroyed behind its owner's back.
inline void wipe(QString &s)
{
    if (!s.isEmpty() && s.isDetached())
        std::fill(s.begin(), s.end(), QChar(u'\0'));
    s.clear();
}

inline void wipe(QByteArray &b)
{
    if (!b.isEmpty() && b.isDetached())
        std::fill(b.begin(), b.end(), '\0');
    b.clear();
}

// Overwrites the buffer `s` shares, in place, for every holder: for a buffer whose other holder
// has no wiping of its own (a QLineEdit's text, a keychain job's data), taken through an
// accessor that returns a shared copy. Static data (never the case for such text) is only
// dropped.
inline void wipeShared(QString &s)
{
    if (!s.isEmpty() && s.data_ptr().isMutable()) {
        auto *chars = const_cast<QChar *>(s.constData());
        std::fill(chars, chars + s.size(), QChar(u'\0'));
    }
    s.clear();
}

inline void wipeShared(QByteArray &b)
{
    if (!b.isEmpty() && b.data_ptr().isMutable()) {
        auto *bytes = const_cast<char *>(b.constData());
        std::fill(bytes, bytes + b.size(), '\0');
    }
    b.clear();
}

} // namespace pgtls
