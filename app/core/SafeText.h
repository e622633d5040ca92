// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pgtls {

// One place where hostile text (from a server, a certificate, a file) becomes displayable text.
// Certificate names and server messages may carry newlines (a fake line in a report), C0/C1
// controls (escape sequences repaint a terminal) and bidirectional overrides (U+202E reorders
// what is shown). Every output escapes them per field, visibly: "\x1b", "\x0a", "\u{202e}".
class SafeText
{
public:
    // Characters never written raw: C0 controls, DEL, C1 controls, bidi embeddings, overrides,
    // isolates and marks, the line and paragraph separators, zero-width and BOM characters.
    static bool isUnsafe(char32_t c);
    // One field on one line: every unsafe character escaped, newline and tab included.
    static QString field(const QString &text);
    // Text of many lines (a whole report of our own making, a label): as field(), but newlines
    // stay and tabs that start a line become four spaces of indentation.
    static QString lines(const QString &text);
    // A multi-line message from libpq, OpenSSL or a server ("…failed: Connection refused\n\tIs the
    // server running…"), kept in its own layout: each of its lines is a field (escaped as field()
    // does), lines after the first start with `indent` (never empty,
    // so no message line ever starts at column 0 of a report), and libpq's leading tabs become
    // four spaces of further indentation. Empty lines and trailing line breaks are dropped.
    static QString message(const QString &text, const QString &indent);
    // The lines of message() without the indentation (for HTML and widgets, which lay out lines
    // themselves): each line escaped, leading tabs as four spaces each.
    static QStringList messageLines(const QString &text);
    // At most `maxChars` characters of hostile text, with a marker saying how long it was.
    static constexpr int kMaxMessageChars = 2000;
    static QString bounded(const QString &text, int maxChars = kMaxMessageChars);
    // Serialised JSON (UTF-8) with every unsafe character that QJsonDocument writes raw (DEL,
    // C1, bidi, separators) written as a \uXXXX escape instead: the same JSON values, no raw
    // controls in the bytes. (Unsafe characters can only occur inside JSON strings.)
    static QByteArray escapeJson(const QByteArray &json);
};

} // namespace pgtls
