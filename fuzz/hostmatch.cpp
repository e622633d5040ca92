// SPDX-License-Identifier: MIT
// Host-name matching (HostMatcher, libpq 15's verify-full rules) against a certificate built from
// the input: the first string is the host; then entries, each a kind byte and bytes: a dNSName SAN,
// an iPAddress SAN (of any length) or a subject CN, in input order.
// Asserts: no crash or leak; a match names one of the certificate's names (the candidate marked
// matched, of the kind reported, whose value is the entry; a DNS or CN entry is the name's bytes,
// an IP entry is the address's text); no match comes with libpq's error text; at most one
// candidate is marked matched; libpq never examines more names than there are.

#include "CertificateInfo.h"
#include "FuzzCommon.h"
#include "HostMatcher.h"

#include <QCoreApplication>

#include <fuzzer/FuzzedDataProvider.h>

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <cstring>

using namespace pgtls;

namespace {

EVP_PKEY *signingKey()
{
    static EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    return key;
}

struct Names
{
    QList<QByteArray> dns;
    QList<QByteArray> ip;
    QList<QByteArray> cn;
};

QByteArray buildCertificate(const Names &n, const QList<std::pair<int, QByteArray>> &order)
{
    X509 *x = X509_new();
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("fuzz"), -1, -1, 0);
    for (const QByteArray &cn : n.cn)
        X509_NAME_add_entry_by_NID(name, NID_commonName, V_ASN1_UTF8STRING,
                                   reinterpret_cast<const unsigned char *>(cn.constData()),
                                   int(cn.size()), -1, 0);
    X509_set_issuer_name(x, name);
    X509_set_pubkey(x, signingKey());

    if (!n.dns.isEmpty() || !n.ip.isEmpty()) {
        GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
        for (const auto &[kind, raw] : order) {
            if (kind == 2)
                continue;
            GENERAL_NAME *g = GENERAL_NAME_new();
            ASN1_STRING *s = kind == 0 ? ASN1_IA5STRING_new() : ASN1_OCTET_STRING_new();
            ASN1_STRING_set(s, raw.constData(), int(raw.size()));
            GENERAL_NAME_set0_value(g, kind == 0 ? GEN_DNS : GEN_IPADD, s);
            sk_GENERAL_NAME_push(gens, g);
        }
        X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT);
        GENERAL_NAMES_free(gens);
    }
    X509_sign(x, signingKey(), nullptr);
    unsigned char *buf = nullptr;
    const int len = i2d_X509(x, &buf);
    QByteArray der;
    if (len > 0)
        der = QByteArray(reinterpret_cast<const char *>(buf), len);
    OPENSSL_free(buf);
    X509_free(x);
    return der;
}

bool isIpOf(const QString &text, const QByteArray &raw)
{
    const QByteArray t = text.toLatin1();
    unsigned char out[16];
    if (raw.size() == 4 && inet_pton(AF_INET, t.constData(), out) == 1)
        return memcmp(out, raw.constData(), 4) == 0;
    if (raw.size() == 16 && inet_pton(AF_INET6, t.constData(), out) == 1)
        return memcmp(out, raw.constData(), 16) == 0;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_hostmatch";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);

    FuzzedDataProvider in(data, size);
    const std::string hostBytes = in.ConsumeRandomLengthString(300);
    const QString host = QString::fromUtf8(hostBytes.data(), qsizetype(hostBytes.size()));
    Names names;
    QList<std::pair<int, QByteArray>> order; // kind 0 dNSName, 1 iPAddress, 2 CN
    while (in.remaining_bytes() > 0 && order.size() < 12) {
        const uint8_t selector = in.ConsumeIntegral<uint8_t>() % 5;
        int kind = 0;
        QByteArray raw;
        switch (selector) {
        case 0:
            raw = QByteArray::fromStdString(in.ConsumeRandomLengthString(300));
            break;
        case 1:
            kind = 1;
            raw = QByteArray::fromStdString(in.ConsumeBytesAsString(4));
            break;
        case 2:
            kind = 1;
            raw = QByteArray::fromStdString(in.ConsumeBytesAsString(16));
            break;
        case 3:
            kind = 2;
            raw = QByteArray::fromStdString(in.ConsumeRandomLengthString(300));
            break;
        default: // an iPAddress of any length
            kind = 1;
            raw = QByteArray::fromStdString(in.ConsumeRandomLengthString(40));
            break;
        }
        (kind == 0 ? names.dns : kind == 1 ? names.ip : names.cn) << raw;
        order.append({ kind, raw });
    }

    const QByteArray der = buildCertificate(names, order);
    const CertificateInfo cert = CertificateInfo::fromDer(der);
    if (cert.isNull())
        return 0; // OpenSSL would not encode it (e.g. a CN over the DER limits): nothing to match
    const HostMatch m = HostMatcher::match(host, cert);

    if (qEnvironmentVariableIsSet("PGTLS_FUZZ_VERBOSE"))
        std::fprintf(stderr, "host \"%s\": matched=%d by=%s entry=\"%s\" examined=%d error=%s\n",
                     qPrintable(m.checkedName), int(m.matched), qPrintable(m.by),
                     qPrintable(m.entry), m.namesExamined, qPrintable(m.error));
    using fuzz::require;
    require(m.namesExamined <= m.candidates.size(), "more names examined than there are");
    int matchedCandidates = 0;
    for (const HostNameCandidate &c : m.candidates) {
        fuzz::requireWellFormed(c.value, "candidate value");
        fuzz::requireWellFormed(c.reason, "candidate reason");
        if (c.matched) {
            ++matchedCandidates;
            require(c.examined, "a candidate matched without being examined");
            require(m.matched && c.value == m.entry, "the matched candidate is not the entry", c.value);
            require(hostNameKindName(c.kind) == m.by, "the matched candidate's kind is not `by`");
        }
    }
    require(matchedCandidates == (m.matched ? 1 : 0), "not exactly one matched candidate per match");
    fuzz::requireWellFormed(m.error, "host-match error");
    if (!m.matched) {
        require(!m.error.isEmpty(), "no match and no libpq error text");
        require(m.by == QLatin1String("none") && m.entry.isEmpty(), "no match, but an entry");
        return 0;
    }
    require(m.error.isEmpty(), "a match with an error text");
    bool known = false;
    if (m.by == QLatin1String("san-dns")) {
        for (const QByteArray &n : names.dns)
            known = known || QString::fromUtf8(n) == m.entry;
    } else if (m.by == QLatin1String("san-ip")) {
        for (const QByteArray &n : names.ip)
            known = known || isIpOf(m.entry, n);
    } else if (m.by == QLatin1String("cn")) {
        known = !names.cn.isEmpty() && QString::fromUtf8(names.cn.first()) == m.entry;
    }
    require(known, "the matched entry is none of the certificate's names", m.entry);
    return 0;
}
