// SPDX-License-Identifier: MIT
#include "SslMode.h"

namespace pgtls {

namespace {
struct ModeName
{
    SslMode mode;
    const char *name;
};
constexpr ModeName kModes[] = {
    { SslMode::Disable, "disable" },   { SslMode::Allow, "allow" },
    { SslMode::Prefer, "prefer" },     { SslMode::Require, "require" },
    { SslMode::VerifyCa, "verify-ca" }, { SslMode::VerifyFull, "verify-full" },
};
} // namespace

QString sslModeName(SslMode mode)
{
    for (const auto &m : kModes) {
        if (m.mode == mode)
            return QString::fromLatin1(m.name);
    }
    return {};
}

std::optional<SslMode> parseSslMode(const QString &text)
{
    for (const auto &m : kModes) {
        if (text == QLatin1String(m.name))
            return m.mode;
    }
    return std::nullopt;
}

QStringList allSslModeNames()
{
    QStringList names;
    for (const auto &m : kModes)
        names << QString::fromLatin1(m.name);
    return names;
}

QList<SslMode> allSslModes()
{
    QList<SslMode> modes;
    for (const auto &m : kModes)
        modes << m.mode;
    return modes;
}

} // namespace pgtls
