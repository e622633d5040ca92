// SPDX-License-Identifier: MIT
#include "SafeText.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringView>

#include <climits>
#include <cstdio>

namespace pgtls {

namespace {

QString escapeOne(char32_t c)
{
    if (c < 0x100)
        return QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u{%1}").arg(uint(c), 4, 16, QLatin1Char('0'));
}

QString escape(QStringView text, bool keepNewlines)
{
    QString out;
    out.reserve(text.size());
    const auto codePoints = text.toUcs4();
    bool lineStart = true;
    for (const char32_t c : codePoints) {
        // Tabs that indent a line (libpq's "\tIs the server running…") are layout, not data.
        if (keepNewlines && lineStart && c == U'\t') {
            out += QLatin1String("    ");
            continue;
        }
        lineStart = keepNewlines && c == U'\n';
        if (keepNewlines && c == U'\n')
            out += QLatin1Char('\n');
        else if (SafeText::isUnsafe(c))
            out += escapeOne(c);
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}

} // namespace

bool SafeText::isUnsafe(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0) // C0, DEL, C1
        || c == 0x061c                          // Arabic letter mark
        || (c >= 0x200b && c <= 0x200f)         // zero-width space/joiners, LRM, RLM
        || (c >= 0x2028 && c <= 0x202e)         // line/paragraph separators, embeddings, overrides
        || (c >= 0x2060 && c <= 0x2069)         // word joiner, invisible operators, isolates
        || c == 0xfeff                          // zero-width no-break space (BOM)
        || (c >= 0xd800 && c <= 0xdfff);        // a lone surrogate (never valid text)
}

QString SafeText::field(const QString &text)
{
    return escape(text, false);
}

QString SafeText::lines(const QString &text)
{
    return escape(text, true);
}

QStringList SafeText::messageLines(const QString &text)
{
    QStringList out;
    const auto parts = QStringView(text).split(QLatin1Char('\n'));
    for (QStringView line : parts) {
        int tabs = 0;
        while (tabs < line.size() && line.at(tabs) == QLatin1Char('\t'))
            ++tabs;
        const QStringView rest = line.mid(tabs);
        if (rest.trimmed().isEmpty())
            continue;
        out << QString(4 * tabs, QLatin1Char(' ')) + escape(rest, false);
    }
    return out;
}

QString SafeText::message(const QString &text, const QString &indent)
{
    // A message line must never start a report line at column 0, and the indentation itself is
    // ours: only spaces.
    QString pad = indent;
    pad.replace(QRegularExpression(QStringLiteral("[^ ]")), QStringLiteral(" "));
    if (pad.isEmpty())
        pad = QStringLiteral(" ");
    return messageLines(text).join(QLatin1Char('\n') + pad);
}

QString SafeText::bounded(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    int cut = maxChars;
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut;
    return text.left(cut)
        + QCoreApplication::translate("pgtls::SafeText", " … [truncated: %n characters in all]",
                                      nullptr, int(qMin<qsizetype>(text.size(), INT_MAX)));
}

QByteArray SafeText::escapeJson(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size());
    const int n = int(json.size());
    for (int i = 0; i < n;) {
        const uchar b = uchar(json.at(i));
        char32_t c = b;
        int len = 1;
        if (b >= 0xc0 && b < 0xe0 && i + 1 < n) {
            c = char32_t(((b & 0x1f) << 6) | (uchar(json.at(i + 1)) & 0x3f));
            len = 2;
        } else if (b >= 0xe0 && b < 0xf0 && i + 2 < n) {
            c = char32_t(((b & 0x0f) << 12) | ((uchar(json.at(i + 1)) & 0x3f) << 6)
                         | (uchar(json.at(i + 2)) & 0x3f));
            len = 3;
        } else if (b >= 0xf0 && i + 3 < n) {
            len = 4; // outside the BMP: never one of the unsafe characters
            c = 0x10000;
        }
        // QJsonDocument already escapes C0 controls; the rest are written raw.
        if (c >= 0x20 && isUnsafe(c)) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", uint(c));
            out.append(buffer);
        } else {
            out.append(json.constData() + i, len);
        }
        i += len;
    }
    return out;
}

} // namespace pgtls
