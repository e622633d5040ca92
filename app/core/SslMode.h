// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace pgtls {

// libpq's six sslmode values, in libpq's order of increasing protection.
enum class SslMode { Disable, Allow, Prefer, Require, VerifyCa, VerifyFull };

QString sslModeName(SslMode mode);
// Parses a libpq sslmode keyword exactly (lower case, as libpq accepts); nullopt when invalid.
std::optional<SslMode> parseSslMode(const QString &text);
QStringList allSslModeNames();
QList<SslMode> allSslModes();

// True for verify-ca and verify-full: libpq requires a root certificate file and fails without one.
inline bool sslModeRequiresRootCert(SslMode m) { return m == SslMode::VerifyCa || m == SslMode::VerifyFull; }
// True when libpq will attempt TLS at all in this mode (everything but disable).
inline bool sslModeTriesTls(SslMode m) { return m != SslMode::Disable; }

} // namespace pgtls
