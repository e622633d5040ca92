// SPDX-License-Identifier: MIT
#pragma once

#include "CertificateInfo.h"

#include <QList>
#include <QString>

namespace pgtls {

// One name of the certificate that libpq examined (or skipped) while checking the host name.
struct HostNameCandidate
{
    enum class Kind { SanDns, SanIp, Cn };
    Kind kind = Kind::SanDns;
    QString value;     // as libpq prints it (IP in canonical text)
    bool examined = false; // libpq looked at it (e.g. CN is not examined when a SAN of the host's type exists)
    bool matched = false;
    QString reason;    // why it did or did not match / was skipped, in plain words
};

struct HostMatch
{
    QString checkedName;     // the `host` libpq compares (never hostaddr); empty when none
    bool hostIsIp = false;   // libpq treats the host as an IP address (inet_aton / inet_pton rules)
    bool matched = false;
    QString by;              // "san-dns", "san-ip", "cn" or "none"
    QString entry;           // the certificate entry that matched; empty when none
    int namesExamined = 0;   // as libpq counts them for its error message
    QString error;           // libpq's message verbatim when not matched (e.g. server certificate for "x" does not match host name "y")
    QList<HostNameCandidate> candidates;
};

// Host-name verification exactly as libpq 15 does it for sslmode=verify-full
// (fe-secure-common.c and fe-secure-openssl.c): see HostMatcher.cpp for the rules.
class HostMatcher
{
public:
    static HostMatch match(const QString &host, const CertificateInfo &leaf);
};

QString hostNameKindName(HostNameCandidate::Kind kind); // "san-dns", "san-ip", "cn"

} // namespace pgtls
