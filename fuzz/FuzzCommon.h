// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the fuzz targets: invariant checks that abort (so libFuzzer keeps the input)
// and a decoder that turns fuzz bytes into text rich in the characters that matter.

#include <QByteArray>
#include <QtGlobal>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace pgtls::fuzz {

// Prints what broke and aborts: libFuzzer saves the input as a crash.
[[noreturn]] inline void violated(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "FUZZ INVARIANT VIOLATED: %s\n", what);
    if (!detail.isEmpty())
        std::fprintf(stderr, "  %s\n", detail.toUtf8().toHex().constData());
    std::abort();
}

// PGTLS_FUZZ_SKIP="text|other text": invariants whose description contains one of these are not
// checked, so that fuzzing can look past a known failure for the next one.
inline bool skipped(const char *what)
{
    static const QStringList skips = [] {
        const QString env = qEnvironmentVariable("PGTLS_FUZZ_SKIP");
        return env.isEmpty() ? QStringList() : env.split(QLatin1Char('|'), Qt::SkipEmptyParts);
    }();
    const QString text = QString::fromUtf8(what);
    for (const QString &s : skips) {
        if (text.contains(s))
            return true;
    }
    return false;
}

inline void require(bool condition, const char *what, const QString &detail = QString())
{
    if (!condition && !skipped(what))
        violated(what, detail);
}

// A string of the model is well-formed UTF-16 (no lone surrogate, so it converts to UTF-8 and
// back unchanged).
inline bool wellFormed(const QString &s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

inline void requireWellFormed(const QString &s, const char *what)
{
    require(wellFormed(s), what, s);
}

inline void requireWellFormed(const QStringList &list, const char *what)
{
    for (const QString &s : list)
        requireWellFormed(s, what);
}

// Characters a terminal, a JSON reader or a browser must never get raw from hostile data.
inline bool isBidiControl(char32_t u)
{
    return (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) || u == 0x200e
        || u == 0x200f || u == 0x061c;
}
inline bool isC1(char32_t u) { return u >= 0x80 && u <= 0x9f; }

// Fuzz bytes to text: bytes below 0x80 are themselves (so every C0 control and DEL can appear);
// the others pick from the characters a sanitiser must handle (C1 controls, bidi controls, line and
// paragraph separators, a BOM, lone and paired surrogates, some ordinary non-ASCII letters).
inline QString decodeText(const uint8_t *data, size_t size)
{
    static const char16_t table[] = {
        0x0085, 0x009b, 0x0080, 0x009f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067,
        0x2068, 0x2069, 0x200e, 0x200f, 0x061c, 0x2028, 0x2029, 0xfeff, 0xd800, 0xdc00, 0x00e9,
        0x4e2d, 0xfffd, 0x00a0, 0x200b, 0x0301, 0x0000,
    };
    constexpr size_t tableSize = sizeof table / sizeof table[0];
    QString out;
    out.reserve(qsizetype(size));
    for (size_t i = 0; i < size; ++i) {
        const uint8_t b = data[i];
        if (b < 0x80) {
            out += QChar(char16_t(b));
        } else if (b == 0xff) {
            out += QStringLiteral("\U0001F600"); // a valid surrogate pair
        } else {
            out += QChar(table[(b - 0x80) % tableSize]);
        }
    }
    return out;
}

} // namespace pgtls::fuzz
