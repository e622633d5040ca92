// SPDX-License-Identifier: MIT
#include "HostMatcher.h"

#include "OpenSslUtil.h"

#include <QCoreApplication>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <cstring>

// A line-by-line port of libpq 15's verify-full host-name check:
//   fe-secure-common.c  pq_verify_peer_name_matches_certificate(), _name(), _ip(),
//                       wildcard_certificate_match()
//   fe-secure-openssl.c pgtls_verify_peer_name_matches_certificate_guts(), is_ip_address()
//   src/port/inet_net_ntop.c for how an iPAddress entry is printed.
// The comparisons work on bytes exactly as libpq's C strings do; the Qt strings are for display.
// The host goes through glibc's own inet_aton()/inet_pton(), as libpq's does on Debian, so
// forms such as "127.1", "0x7f.1" or "2130706433" count as IPv4 addresses here too.

namespace pgtls {

namespace {

    using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, ossl::Deleter<GENERAL_NAMES_free>>;

    // libpq's return values of the per-name checks.
    constexpr int NoMatch = 0;
    constexpr int Match = 1;
    constexpr int Failed = -1;

    // pg_strcasecmp() folds A-Z only (high-bit bytes go through tolower() in the C locale:
    // unchanged).
    int pgStrcasecmp(const char *s1, const char *s2)
    {
        for (;;) {
            unsigned char ch1 = static_cast<unsigned char>(*s1++);
            unsigned char ch2 = static_cast<unsigned char>(*s2++);
            if (ch1 != ch2) {
                if (ch1 >= 'A' && ch1 <= 'Z')
                    ch1 += 'a' - 'A';
                if (ch2 >= 'A' && ch2 <= 'Z')
                    ch2 += 'a' - 'A';
                if (ch1 != ch2)
                    return int(ch1) - int(ch2);
            }
            if (ch1 == 0)
                return 0;
        }
    }

    enum class Wildcard { NotAPattern, TooLong, SuffixDiffers, TwoLabels, Matches };

    // wildcard_certificate_match(), keeping the reason it stopped.
    Wildcard wildcardMatch(const char *pattern, const char *string)
    {
        const int lenpat = int(strlen(pattern));
        const int lenstr = int(strlen(string));

        if (lenpat < 3 || pattern[0] != '*' || pattern[1] != '.')
            return Wildcard::NotAPattern;
        if (lenpat > lenstr)
            return Wildcard::TooLong;
        if (pgStrcasecmp(pattern + 1, string + lenstr - lenpat + 1) != 0)
            return Wildcard::SuffixDiffers;
        // strchr() cannot return NULL here: the matched suffix itself holds a '.'.
        if (strchr(string, '.') < string + lenstr - lenpat)
            return Wildcard::TwoLabels;
        return Wildcard::Matches;
    }

    bool isIpAddress(const char *host)
    {
        in_addr dummy4;
        in6_addr dummy6;
        return inet_aton(host, &dummy4) || inet_pton(AF_INET6, host, &dummy6) == 1;
    }

    // inet_net_ntop_ipv6() of src/port/inet_net_ntop.c with bits = 128: the BIND format, including
    // its "::a.b.c.d" forms (e.g. ::102:304 prints as "::1.2.3.4"; ::2 stays "::2").
    QString pgInet6Ntop(const unsigned char *src)
    {
        unsigned int words[8] = {};
        for (int i = 0; i < 16; i++)
            words[i / 2] |= unsigned(src[i]) << ((1 - (i % 2)) << 3);
        struct Run
        {
            int base = -1;
            int len = 0;
        } best, cur;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (cur.base == -1)
                    cur = { i, 1 };
                else
                    cur.len++;
            } else if (cur.base != -1) {
                if (best.base == -1 || cur.len > best.len)
                    best = cur;
                cur.base = -1;
            }
        }
        if (cur.base != -1 && (best.base == -1 || cur.len > best.len))
            best = cur;
        if (best.base != -1 && best.len < 2)
            best.base = -1;

        QString out;
        for (int i = 0; i < 8; i++) {
            if (best.base != -1 && i >= best.base && i < best.base + best.len) {
                if (i == best.base)
                    out += QLatin1Char(':');
                continue;
            }
            if (i != 0)
                out += QLatin1Char(':');
            if (i == 6 && best.base == 0
                && (best.len == 6 || (best.len == 7 && words[7] != 0x0001)
                    || (best.len == 5 && words[5] == 0xffff))) {
                out += QStringLiteral("%1.%2.%3.%4")
                               .arg(src[12])
                               .arg(src[13])
                               .arg(src[14])
                               .arg(src[15]);
                return out;
            }
            out += QString::number(words[i], 16);
        }
        if (best.base != -1 && best.base + best.len == 8)
            out += QLatin1Char(':');
        return out;
    }

    QString pgInetNtop(const QByteArray &ip)
    {
        const auto *p = reinterpret_cast<const unsigned char *>(ip.constData());
        if (ip.size() == 4)
            return QStringLiteral("%1.%2.%3.%4").arg(p[0]).arg(p[1]).arg(p[2]).arg(p[3]);
        return pgInet6Ntop(p);
    }

    QString displayName(const QByteArray &raw)
    {
        QString text = QString::fromUtf8(raw);
        text.replace(QChar(0), QStringLiteral("\\0"));
        return text;
    }

    // pq_verify_peer_name_matches_certificate_name(), with a plain-English reason.
    int matchName(const QByteArray &raw, const QByteArray &host, QString *storeName,
                  QString *reason, QString *error)
    {
        if (raw.contains('\0')) {
            *error = QStringLiteral("SSL certificate's name contains embedded null");
            *reason = QCoreApplication::translate(
                "HostMatcher", "contains an embedded NUL byte, so libpq rejects the certificate");
            return Failed;
        }
        *storeName = QString::fromUtf8(raw);
        const char *name = raw.constData();
        if (pgStrcasecmp(name, host.constData()) == 0) {
            *reason
                = QCoreApplication::translate("HostMatcher", "matches exactly (case-insensitive)");
            return Match;
        }
        const int lenpat = int(raw.size());
        const int lenstr = int(host.size());
        switch (wildcardMatch(name, host.constData())) {
        case Wildcard::Matches:
            *reason = QCoreApplication::translate(
                "HostMatcher", "wildcard %1 covers exactly one label: \"%2\"")
                          .arg(*storeName, QString::fromUtf8(host.left(lenstr - lenpat + 1)));
            return Match;
        case Wildcard::TwoLabels:
            *reason = QCoreApplication::translate("HostMatcher",
                "wildcard does not cover two labels: the '*' stands for one label "
                "and \"%1\" has a dot")
                          .arg(QString::fromUtf8(host.left(lenstr - lenpat + 1)));
            return NoMatch;
        case Wildcard::TooLong:
            *reason = QCoreApplication::translate("HostMatcher",
                "wildcard needs at least one character before \"%1\"; the host is "
                "shorter (a wildcard never matches the bare domain)")
                          .arg(QString::fromUtf8(raw.mid(1)));
            return NoMatch;
        case Wildcard::SuffixDiffers:
            *reason = QCoreApplication::translate(
                "HostMatcher", "does not match: the host does not end in \"%1\"")
                          .arg(QString::fromUtf8(raw.mid(1)));
            return NoMatch;
        case Wildcard::NotAPattern:
            break;
        }
        *reason = raw.contains('*') ? QCoreApplication::translate("HostMatcher",
                      "does not match: '*' is a wildcard only as the leading \"*.\", "
                      "elsewhere it is compared literally")
                                    : QCoreApplication::translate("HostMatcher",
                                        "does not match (compared exactly, case-insensitive)");
        return NoMatch;
    }

    // pq_verify_peer_name_matches_certificate_ip().
    int matchIp(const QByteArray &ip, const QByteArray &host, bool hostIsIp, QString *storeName,
                QString *reason, QString *error)
    {
        const auto *data = reinterpret_cast<const unsigned char *>(ip.constData());
        bool match = false;
        if (ip.size() == 4) {
            in_addr addr;
            if (inet_aton(host.constData(), &addr)) {
                match = memcmp(data, &addr.s_addr, 4) == 0;
                *reason = match
                    ? QCoreApplication::translate("HostMatcher", "matches the host's IPv4 address")
                    : QCoreApplication::translate("HostMatcher", "a different IPv4 address");
            } else {
                *reason = hostIsIp ? QCoreApplication::translate(
                              "HostMatcher", "an IPv4 address; the host is an IPv6 address")
                                   : QCoreApplication::translate("HostMatcher",
                                       "IP SAN compared as an address, host is a DNS name");
            }
        } else if (ip.size() == 16) {
            in6_addr addr;
            if (inet_pton(AF_INET6, host.constData(), &addr) == 1) {
                match = memcmp(data, &addr.s6_addr, 16) == 0;
                *reason = match
                    ? QCoreApplication::translate("HostMatcher", "matches the host's IPv6 address")
                    : QCoreApplication::translate("HostMatcher", "a different IPv6 address");
            } else {
                *reason = hostIsIp ? QCoreApplication::translate(
                              "HostMatcher", "an IPv6 address; the host is an IPv4 address")
                                   : QCoreApplication::translate("HostMatcher",
                                       "IP SAN compared as an address, host is a DNS name");
            }
        } else {
            *error = QStringLiteral("certificate contains IP address with invalid length %1")
                             .arg(ip.size());
            *reason = QCoreApplication::translate("HostMatcher",
                "an IP address of %1 bytes (not 4 or 16), so libpq rejects the "
                "certificate")
                          .arg(ip.size());
            return Failed;
        }
        *storeName = pgInetNtop(ip);
        return match ? Match : NoMatch;
    }

} // namespace

QString hostNameKindName(HostNameCandidate::Kind kind)
{
    switch (kind) {
    case HostNameCandidate::Kind::SanDns:
        return QStringLiteral("san-dns");
    case HostNameCandidate::Kind::SanIp:
        return QStringLiteral("san-ip");
    case HostNameCandidate::Kind::Cn:
        return QStringLiteral("cn");
    }
    return {};
}

HostMatch HostMatcher::match(const QString &host, const CertificateInfo &leaf)
{
    HostMatch result;
    result.by = QStringLiteral("none");

    // libpq's host is a C string: it ends at the first NUL.
    QByteArray hostBytes = host.toUtf8();
    if (const qsizetype nul = hostBytes.indexOf('\0'); nul >= 0)
        hostBytes.truncate(nul);
    result.checkedName = QString::fromUtf8(hostBytes);

    ossl::X509Ptr cert = ossl::x509FromDer(leaf.der);
    if (!cert) {
        result.error = QStringLiteral("could not get server's host name from server certificate");
        return result;
    }

    // Every SAN entry of a kind libpq looks at (dNSName, iPAddress), then the subject's CNs.
    struct Entry
    {
        HostNameCandidate::Kind kind;
        QByteArray raw;
    };
    QList<Entry> sans;
    GeneralNamesPtr peerSan(static_cast<GENERAL_NAMES *>(
            X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    const bool haveSanExtension = bool(peerSan);
    if (peerSan) {
        for (int i = 0; i < sk_GENERAL_NAME_num(peerSan.get()); i++) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(peerSan.get(), i);
            const ASN1_STRING *str = nullptr;
            HostNameCandidate::Kind kind;
            if (name->type == GEN_DNS) {
                str = name->d.dNSName;
                kind = HostNameCandidate::Kind::SanDns;
            } else if (name->type == GEN_IPADD) {
                str = name->d.iPAddress;
                kind = HostNameCandidate::Kind::SanIp;
            } else {
                continue;
            }
            sans.append({ kind,
                          QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(str)),
                                     ASN1_STRING_length(str)) });
        }
    }
    QList<QByteArray> commonNames;
    const X509_NAME *subject = X509_get_subject_name(cert.get());
    for (int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); idx >= 0;
         idx = X509_NAME_get_index_by_NID(subject, NID_commonName, idx)) {
        const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
        commonNames.append(QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(data)),
                                      ASN1_STRING_length(data)));
    }

    for (const Entry &e : sans) {
        HostNameCandidate c;
        c.kind = e.kind;
        c.value = e.kind == HostNameCandidate::Kind::SanDns
                ? displayName(e.raw)
                : ((e.raw.size() == 4 || e.raw.size() == 16) ? pgInetNtop(e.raw)
                                                             : QString::fromLatin1(e.raw.toHex()));
        result.candidates.append(c);
    }
    for (const QByteArray &cn : commonNames) {
        HostNameCandidate c;
        c.kind = HostNameCandidate::Kind::Cn;
        c.value = displayName(cn);
        result.candidates.append(c);
    }

    if (hostBytes.isEmpty()) {
        result.error = QStringLiteral("host name must be specified for a verified SSL connection");
        for (HostNameCandidate &c : result.candidates)
            c.reason = QCoreApplication::translate(
                "HostMatcher", "not examined: no host name to compare with");
        return result;
    }

    result.hostIsIp = isIpAddress(hostBytes.constData());
    const HostNameCandidate::Kind hostType
            = result.hostIsIp ? HostNameCandidate::Kind::SanIp : HostNameCandidate::Kind::SanDns;

    int rc = NoMatch;
    bool checkCn = true;
    bool sameTypeSan = false;
    QString firstName;
    QString error;
    int i = 0;
    for (; i < sans.size(); i++) {
        const Entry &e = sans.at(i);
        HostNameCandidate &c = result.candidates[i];
        if (e.kind == hostType) {
            checkCn = false;
            sameTypeSan = true;
        }
        QString storeName;
        result.namesExamined++;
        c.examined = true;
        if (e.kind == HostNameCandidate::Kind::SanDns)
            rc = matchName(e.raw, hostBytes, &storeName, &c.reason, &error);
        else
            rc = matchIp(e.raw, hostBytes, result.hostIsIp, &storeName, &c.reason, &error);
        if (!storeName.isNull() && firstName.isNull())
            firstName = storeName;
        if (rc != NoMatch) {
            checkCn = false;
            if (rc == Match) {
                c.matched = true;
                result.by = hostNameKindName(e.kind);
                result.entry = storeName;
            }
            break;
        }
    }
    for (int j = i + 1; j < sans.size(); j++) {
        result.candidates[j].reason = rc == Match
            ? QCoreApplication::translate(
                "HostMatcher", "not examined: an earlier SAN entry already matched")
            : QCoreApplication::translate(
                "HostMatcher", "not examined: libpq stopped at the earlier error");
    }

    const qsizetype cnBase = sans.size();
    for (qsizetype k = 1; k < commonNames.size(); k++) {
        result.candidates[cnBase + k].reason = QCoreApplication::translate(
            "HostMatcher", "ignored: libpq consults only the first CN of the subject");
    }
    if (!commonNames.isEmpty()) {
        HostNameCandidate &c = result.candidates[cnBase];
        if (checkCn) {
            QString why;
            if (!haveSanExtension)
                why = QCoreApplication::translate(
                    "HostMatcher", "CN consulted because the certificate has no subjectAltName");
            else if (result.hostIsIp)
                why = QCoreApplication::translate("HostMatcher",
                    "CN consulted because host is an IP address and the "
                    "certificate has no IP SAN");
            else
                why = QCoreApplication::translate(
                    "HostMatcher", "CN consulted because the certificate has no DNS SAN");
            QString storeName;
            QString outcome;
            result.namesExamined++;
            c.examined = true;
            rc = matchName(commonNames.first(), hostBytes, &storeName, &outcome, &error);
            c.reason = why + QCoreApplication::translate("HostMatcher", "; ") + outcome;
            if (!storeName.isNull() && firstName.isNull())
                firstName = storeName;
            if (rc == Match) {
                c.matched = true;
                result.by = QStringLiteral("cn");
                result.entry = storeName;
            }
        } else if (rc == Match) {
            c.reason = QCoreApplication::translate(
                "HostMatcher", "CN not consulted: a SAN entry already matched");
        } else if (rc == Failed) {
            c.reason = QCoreApplication::translate(
                "HostMatcher", "CN not consulted: libpq stopped at the SAN error");
        } else if (sameTypeSan) {
            c.reason = result.hostIsIp
                ? QCoreApplication::translate(
                    "HostMatcher", "CN ignored because the certificate has IP SAN entries")
                : QCoreApplication::translate(
                    "HostMatcher", "CN ignored because the certificate has DNS SAN entries");
        }
    }

    result.matched = rc == Match;
    if (rc == Failed) {
        result.error = error;
    } else if (rc == NoMatch) {
        const QString hostText = result.checkedName;
        if (result.namesExamined > 1) {
            const int others = result.namesExamined - 1;
            result.error
                    = (others == 1
                               ? QStringLiteral("server certificate for \"%1\" (and %2 other name) "
                                                "does not match host name \"%3\"")
                               : QStringLiteral(
                                       "server certificate for \"%1\" (and %2 other names) "
                                       "does not match host name \"%3\""))
                              .arg(firstName, QString::number(others), hostText);
        } else if (result.namesExamined == 1) {
            result.error = QStringLiteral(
                                   "server certificate for \"%1\" does not match host name \"%2\"")
                                   .arg(firstName, hostText);
        } else {
            result.error
                    = QStringLiteral("could not get server's host name from server certificate");
        }
    }
    return result;
}

} // namespace pgtls
