// SPDX-License-Identifier: MIT
// The certificate model: CertificateInfo::fromDer() and fromPemAll() on the input, and the name
// formatting (RFC 2253 subject / issuer, CN, SANs) of whatever parses.
// Asserts: no crash or leak; a parsed certificate keeps its DER, has a 64-digit SHA-256 and a hex
// serial; every text field is well-formed UTF-16 without NUL; toPem() reads back to the same DER.

#include "CertificateInfo.h"
#include "FuzzCommon.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace pgtls;

namespace {

void check(const CertificateInfo &c)
{
    using fuzz::require;
    using fuzz::requireWellFormed;
    require(!c.isNull(), "a parsed certificate is null");
    require(c.sha256.size() == 64, "SHA-256 is not 64 hex digits");
    for (const QChar ch : c.serial)
        require((ch >= u'0' && ch <= u'9') || (ch >= u'a' && ch <= u'f') || ch == u'-',
                "serial is not lower-case hex", c.serial);
    const QStringList fields = { c.subject, c.issuer, c.subjectCommonName, c.serial, c.keyType,
                                 c.keyCurve, c.signatureAlgorithm };
    for (const QString &f : fields) {
        requireWellFormed(f, "certificate text field");
        require(!f.contains(QChar(0)), "certificate text field holds NUL", f);
    }
    requireWellFormed(c.sanDns, "dNSName SAN");
    for (const QString &dns : c.sanDns)
        require(!dns.contains(QChar(0)), "dNSName SAN text holds NUL", dns);
    requireWellFormed(c.sanIp, "iPAddress SAN");
    for (const QString &ip : c.sanIp)
        require(!ip.contains(QChar(0)), "iPAddress SAN text holds NUL", ip);
    const QList<CertificateInfo> again = CertificateInfo::fromPemAll(c.toPem().toLatin1());
    require(again.size() == 1 && again.first().der == c.der, "toPem() does not read back");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_certificate";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);

    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const CertificateInfo der = CertificateInfo::fromDer(bytes, &error);
    fuzz::requireWellFormed(error, "fromDer error text");
    if (der.isNull())
        fuzz::require(!error.isEmpty(), "fromDer refused without saying why");
    else
        check(der);

    QString pemError;
    const QList<CertificateInfo> pem = CertificateInfo::fromPemAll(bytes, &pemError);
    fuzz::requireWellFormed(pemError, "fromPemAll error text");
    for (const CertificateInfo &c : pem)
        check(c);
    return 0;
}
