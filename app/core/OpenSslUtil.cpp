// SPDX-License-Identifier: MIT
#include "OpenSslUtil.h"

#include <QCryptographicHash>
#include <QStringList>

#include <openssl/err.h>

namespace pgtls::ossl {

X509Ptr x509FromDer(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509 *cert = d2i_X509(nullptr, &p, der.size());
    // Trailing bytes after the certificate mean this was not exactly one DER certificate.
    if (cert && p != reinterpret_cast<const unsigned char *>(der.constData()) + der.size()) {
        X509_free(cert);
        return nullptr;
    }
    return X509Ptr(cert);
}

QByteArray x509ToDer(const X509 *cert)
{
    unsigned char *buf = nullptr;
    const int len = i2d_X509(cert, &buf);
    if (len <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(buf), len);
    OPENSSL_free(buf);
    return out;
}

QString takeErrors()
{
    QStringList parts;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        parts << QString::fromLatin1(buf);
    }
    return parts.join(QStringLiteral("; "));
}

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QDateTime asn1TimeToUtc(const ASN1_TIME *t)
{
    struct tm tmv = {};
    if (!t || ASN1_TIME_to_tm(t, &tmv) != 1)
        return {};
    return QDateTime(QDate(tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday),
                     QTime(tmv.tm_hour, tmv.tm_min, tmv.tm_sec), Qt::UTC);
}

QString nameToString(const X509_NAME *name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !name)
        return {};
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, len);
}

QString sslErrMessage(unsigned long ecode)
{
    if (ecode == 0)
        return QStringLiteral("no SSL error reported");
    if (const char *reason = ERR_reason_error_string(ecode))
        return QString::fromLatin1(reason);
    return QStringLiteral("SSL error code %1").arg(ecode);
}

} // namespace pgtls::ossl
