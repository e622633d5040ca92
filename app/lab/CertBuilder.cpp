// SPDX-License-Identifier: MIT
#include "CertBuilder.h"

#include "OpenSslUtil.h"

#include <QHostAddress>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace pgtls::lab {

namespace {

    using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, ossl::Deleter<GENERAL_NAMES_free>>;
    using ExtPtr = std::unique_ptr<X509_EXTENSION, ossl::Deleter<X509_EXTENSION_free>>;

    [[noreturn]] void fail(const char *what)
    {
        const QString errors = ossl::takeErrors();
        throw std::runtime_error(std::string(what) + ": " + errors.toStdString());
    }

    EVP_PKEY *pkeyOf(const PrivateKey &key)
    {
        return static_cast<EVP_PKEY *>(key.nativeHandle());
    }

    void addGeneralName(GENERAL_NAMES *names, int type, const QByteArray &bytes)
    {
        GENERAL_NAME *gn = GENERAL_NAME_new();
        ASN1_STRING *str
                = ASN1_STRING_type_new(type == GEN_IPADD ? V_ASN1_OCTET_STRING : V_ASN1_IA5STRING);
        if (!gn || !str || !ASN1_STRING_set(str, bytes.constData(), int(bytes.size())))
            fail("GENERAL_NAME");
        GENERAL_NAME_set0_value(gn, type, str);
        sk_GENERAL_NAME_push(names, gn);
    }

    QByteArray ipOctets(const QString &text)
    {
        QHostAddress addr;
        if (!addr.setAddress(text))
            throw std::invalid_argument("not an IP address: " + text.toStdString());
        if (addr.protocol() == QAbstractSocket::IPv4Protocol) {
            const quint32 v = addr.toIPv4Address();
            const char bytes[4] = { char(v >> 24), char(v >> 16), char(v >> 8), char(v) };
            return QByteArray(bytes, 4);
        }
        const Q_IPV6ADDR v6 = addr.toIPv6Address();
        return QByteArray(reinterpret_cast<const char *>(v6.c), 16);
    }

    void addExtension(X509 *cert, int nid, const char *value)
    {
        ExtPtr ext(X509V3_EXT_conf_nid(nullptr, nullptr, nid, value));
        if (!ext || !X509_add_ext(cert, ext.get(), -1))
            fail("X509V3_EXT_conf_nid");
    }

    void addKeyIdentifiers(X509 *cert, X509 *issuer)
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;

        // The RFC 5280 method 1 identifier: SHA-1 of the subjectPublicKey bits, as "hash" makes it.
        if (!X509_pubkey_digest(cert, EVP_sha1(), md, &len))
            fail("X509_pubkey_digest");
        ASN1_OCTET_STRING *ski = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(ski, md, int(len));
        if (!X509_add1_ext_i2d(cert, NID_subject_key_identifier, ski, 0, X509V3_ADD_DEFAULT))
            fail("subjectKeyIdentifier");
        ASN1_OCTET_STRING_free(ski);

        if (!X509_pubkey_digest(issuer, EVP_sha1(), md, &len))
            fail("X509_pubkey_digest");
        AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
        akid->keyid = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(akid->keyid, md, int(len));
        if (!X509_add1_ext_i2d(cert, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT))
            fail("authorityKeyIdentifier");
        AUTHORITY_KEYID_free(akid);
    }

    void setSerial(X509 *cert, qint64 serial)
    {
        ASN1_INTEGER *ai = X509_get_serialNumber(cert);
        if (serial != 0) {
            if (!ASN1_INTEGER_set_int64(ai, serial))
                fail("serial");
            return;
        }
        // 64 random bits with the top bit forced, so the serial is always 8 bytes and positive.
        BIGNUM *bn = BN_new();
        if (!bn || !BN_rand(bn, 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY)
            || !BN_to_ASN1_INTEGER(bn, ai))
            fail("random serial");
        BN_free(bn);
    }

    void setTime(ASN1_TIME *t, const QDateTime &when)
    {
        if (!ASN1_TIME_set(t, time_t(when.toSecsSinceEpoch())))
            fail("ASN1_TIME_set");
    }

    QString firstCommonName(const CertRequest &req)
    {
        for (const auto &entry : req.subject) {
            if (entry.first == QLatin1String("CN"))
                return entry.second;
        }
        return req.extraCommonNames.value(0);
    }

    void buildSubject(X509_NAME *name, const CertRequest &req)
    {
        for (const auto &[field, value] : req.subject) {
            const QByteArray f = field.toUtf8();
            const QByteArray v = value.toUtf8();
            if (!X509_NAME_add_entry_by_txt(name, f.constData(), MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char *>(v.constData()),
                                            int(v.size()), -1, 0))
                fail("subject entry");
        }
        for (const QString &cn : req.extraCommonNames) {
            const QByteArray v = cn.toUtf8();
            if (!X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char *>(v.constData()),
                                            int(v.size()), -1, 0))
                fail("extra CN");
        }
        for (const QByteArray &raw : req.rawCommonNames) {
            // Built by hand: the MBSTRING paths would reject or rewrite odd bytes such as a NUL.
            ASN1_STRING *str = ASN1_STRING_type_new(V_ASN1_UTF8STRING);
            ASN1_STRING_set(str, raw.constData(), int(raw.size()));
            X509_NAME_ENTRY *entry
                    = X509_NAME_ENTRY_create_by_NID(nullptr, NID_commonName, V_ASN1_UTF8STRING,
                                                    ASN1_STRING_get0_data(str), int(raw.size()));
            ASN1_STRING_free(str);
            if (!entry || !X509_NAME_add_entry(name, entry, -1, 0))
                fail("raw CN");
            X509_NAME_ENTRY_free(entry);
        }
    }

    void addSubjectAltName(X509 *cert, const CertRequest &req)
    {
        GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
        for (const QString &dns : req.sanDns)
            addGeneralName(names.get(), GEN_DNS, dns.toUtf8());
        for (const QString &ip : req.sanIp)
            addGeneralName(names.get(), GEN_IPADD, ipOctets(ip));
        for (const QByteArray &dns : req.rawSanDns)
            addGeneralName(names.get(), GEN_DNS, dns);
        for (const QByteArray &ip : req.rawSanIp)
            addGeneralName(names.get(), GEN_IPADD, ip);
        for (const auto &[kind, bytes] : req.rawSan) {
            if (kind == QLatin1String("DNS"))
                addGeneralName(names.get(), GEN_DNS, bytes);
            else if (kind == QLatin1String("IP"))
                addGeneralName(names.get(), GEN_IPADD, bytes);
            else if (kind == QLatin1String("email"))
                addGeneralName(names.get(), GEN_EMAIL, bytes);
            else if (kind == QLatin1String("URI"))
                addGeneralName(names.get(), GEN_URI, bytes);
            else
                throw std::invalid_argument("unknown SAN kind: " + kind.toStdString());
        }

        if (sk_GENERAL_NAME_num(names.get()) == 0) {
            const QString cn = firstCommonName(req);
            if (req.isCa || req.includeCnOnly || cn.isEmpty())
                return;
            if (QHostAddress().setAddress(cn))
                addGeneralName(names.get(), GEN_IPADD, ipOctets(cn));
            else
                addGeneralName(names.get(), GEN_DNS, cn.toUtf8());
        }
        if (!X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT))
            fail("subjectAltName");
    }

    IssuedCert build(const CertRequest &req, const PrivateKey &key, X509 *issuerCert,
                     EVP_PKEY *issuerKey)
    {
        if (key.isNull() || !issuerKey)
            throw std::invalid_argument("CertBuilder: null key");

        ossl::X509Ptr cert(X509_new());
        if (!cert || !X509_set_version(cert.get(), X509_VERSION_3))
            fail("X509_new");
        setSerial(cert.get(), req.serial);
        setTime(X509_getm_notBefore(cert.get()), req.notBefore);
        setTime(X509_getm_notAfter(cert.get()), req.notAfter);
        buildSubject(X509_get_subject_name(cert.get()), req);
        X509_set_issuer_name(cert.get(),
                             issuerCert ? X509_get_subject_name(issuerCert)
                                        : X509_get_subject_name(cert.get()));
        if (!X509_set_pubkey(cert.get(), pkeyOf(key)))
            fail("X509_set_pubkey");

        if (req.isCa) {
            BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
            bc->ca = 0xff;
            if (req.pathLength >= 0) {
                bc->pathlen = ASN1_INTEGER_new();
                ASN1_INTEGER_set(bc->pathlen, req.pathLength);
            }
            if (!X509_add1_ext_i2d(cert.get(), NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT))
                fail("basicConstraints");
            BASIC_CONSTRAINTS_free(bc);
            addExtension(cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
        } else {
            const bool rsa = EVP_PKEY_is_a(pkeyOf(key), "RSA");
            addExtension(cert.get(), NID_key_usage,
                         rsa ? "critical,digitalSignature,keyEncipherment"
                             : "critical,digitalSignature");
            addExtension(cert.get(), NID_ext_key_usage, "serverAuth");
        }
        addKeyIdentifiers(cert.get(), issuerCert ? issuerCert : cert.get());
        addSubjectAltName(cert.get(), req);

        if (!X509_sign(cert.get(), issuerKey, EVP_sha256()))
            fail("X509_sign");

        IssuedCert out;
        out.der = ossl::x509ToDer(cert.get());
        ossl::BioPtr bio(BIO_new(BIO_s_mem()));
        PEM_write_bio_X509(bio.get(), cert.get());
        char *data = nullptr;
        const long len = BIO_get_mem_data(bio.get(), &data);
        out.pem = QByteArray(data, int(len));
        out.key = key;
        return out;
    }

} // namespace

PrivateKey PrivateKey::generate(Type type)
{
    EVP_PKEY *pkey = nullptr;
    switch (type) {
    case Type::Rsa2048:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        break;
    case Type::Rsa4096:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(4096));
        break;
    case Type::EcP256:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case Type::EcP384:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    }
    if (!pkey)
        fail("EVP_PKEY_Q_keygen");
    PrivateKey key;
    key.m_pkey = std::shared_ptr<void>(pkey,
                                       [](void *p) { EVP_PKEY_free(static_cast<EVP_PKEY *>(p)); });
    return key;
}

QByteArray PrivateKey::toPem() const
{
    if (isNull())
        return {};
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_PrivateKey(bio.get(), static_cast<EVP_PKEY *>(m_pkey.get()), nullptr,
                                  nullptr, 0, nullptr, nullptr))
        fail("PEM_write_bio_PrivateKey");
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

IssuedCert CertBuilder::selfSigned(const CertRequest &req, const PrivateKey &key)
{
    return build(req, key, nullptr, pkeyOf(key));
}

IssuedCert CertBuilder::issue(const CertRequest &req, const PrivateKey &key,
                              const IssuedCert &issuer)
{
    ossl::X509Ptr issuerCert = ossl::x509FromDer(issuer.der);
    if (!issuerCert)
        throw std::invalid_argument("CertBuilder::issue: issuer certificate is not DER");
    return build(req, key, issuerCert.get(), pkeyOf(issuer.key));
}

} // namespace pgtls::lab
