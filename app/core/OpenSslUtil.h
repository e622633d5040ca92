// SPDX-License-Identifier: MIT
#pragma once

// Small RAII wrappers and helpers around OpenSSL 3 types. Internal to the engine and the lab.

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace pgtls::ossl {

template<auto Fn>
struct Deleter
{
    template<typename T>
    void operator()(T *p) const { Fn(p); }
};

using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL_free>>;

// Parses one DER certificate; nullptr when invalid.
X509Ptr x509FromDer(const QByteArray &der);
QByteArray x509ToDer(const X509 *cert);
// Drains OpenSSL's thread error queue into one line ("error:...; error:..."); empty when none.
QString takeErrors();
// libpq's SSLerrmessage(): the reason string of an OpenSSL error code, as libpq words it.
QString sslErrMessage(unsigned long ecode);
// SHA-256 of bytes, as 64 lower-case hex characters.
QString sha256Hex(const QByteArray &data);
// ASN1_TIME -> UTC QDateTime (invalid on failure).
QDateTime asn1TimeToUtc(const ASN1_TIME *t);
// X509_NAME as one line, RFC 2253 order and escaping (XN_FLAG_RFC2253 without multibyte escaping).
QString nameToString(const X509_NAME *name);

} // namespace pgtls::ossl
