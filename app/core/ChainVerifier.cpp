// SPDX-License-Identifier: MIT
#include "ChainVerifier.h"

#include "OpenSslUtil.h"

#include "SafeFile.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <vector>

// What libpq 15 does (fe-secure-openssl.c, initialize_SSL and OpenSSL's ssl_verify_cert_chain):
//   stat(sslrootcert) fails       -> "root certificate file \"%s\" does not exist"
//   SSL_CTX_load_verify_locations(ctx, file, NULL) fails
//                                 -> "could not read root certificate file \"%s\": %s" with
//                                    ERR_reason_error_string(ERR_get_error())
//   then, during the handshake, X509_verify_cert() with the peer's chain (leaf included) as the
//   untrusted set, X509_STORE_CTX_set_default("ssl_server"), the SSL's security level as the
//   auth level, and no X509_V_FLAG_PARTIAL_CHAIN.
// Loading through an SSL_CTX of our own keeps openssl.cnf's security level identical to libpq's;
// the CA file is read once through SafeFile (a FIFO or a device never blocks us) and parsed from
// memory exactly as OpenSSL's file loader parses it (see loadVerifyLocations()).

namespace pgtls {

namespace {

    struct X509StackFree
    {
        void operator()(STACK_OF(X509) * sk) const { sk_X509_free(sk); }
    };
    using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

    QString issueCode(int err)
    {
        switch (err) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return QStringLiteral("expired");
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return QStringLiteral("not-yet-valid");
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return QStringLiteral("unknown-issuer");
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return QStringLiteral("self-signed");
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
            return QStringLiteral("bad-signature");
        default:
            return QStringLiteral("other");
        }
    }

    // libpq's SSLerrmessage().
    QString sslErrMessage(unsigned long ecode)
    {
        if (ecode == 0)
            return QStringLiteral("no SSL error reported");
        if (const char *reason = ERR_reason_error_string(ecode))
            return QString::fromLatin1(reason);
        return QStringLiteral("SSL error code %1").arg(ecode);
    }

    QString describeCert(const X509 *cert)
    {
        if (!cert)
            return {};
        return QStringLiteral("subject \"%1\", issuer \"%2\"")
                .arg(ossl::nameToString(X509_get_subject_name(cert)),
                     ossl::nameToString(X509_get_issuer_name(cert)));
    }

    int collectIssue(int ok, X509_STORE_CTX *ctx)
    {
        if (!ok) {
            auto *issues
                    = static_cast<QList<CertificateIssue> *>(X509_STORE_CTX_get_ex_data(ctx, 0));
            CertificateIssue issue;
            issue.depth = X509_STORE_CTX_get_error_depth(ctx);
            issue.opensslError = X509_STORE_CTX_get_error(ctx);
            issue.code = issueCode(issue.opensslError);
            issue.detail = QString::fromLatin1(X509_verify_cert_error_string(issue.opensslError));
            bool seen = false;
            for (const CertificateIssue &known : *issues)
                seen = seen
                        || (known.depth == issue.depth && known.opensslError == issue.opensslError);
            if (!seen)
                issues->append(issue);
        }
        return 1;
    }

    // SSL_CTX_load_verify_locations(ctx, file, NULL) from bytes already read: what OpenSSL 3's
    // X509_load_cert_crl_file_ex() does with the file (PEM_X509_INFO_read_bio_ex() over the whole
    // content, every certificate and CRL into the context's store, the same errors raised), over a
    // memory BIO instead of a FILE. Returns false with OpenSSL's error queue set, as the original.
    bool loadVerifyLocations(SSL_CTX *ctx, const QByteArray &data)
    {
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        ossl::BioPtr in(BIO_new_mem_buf(data.constData(), int(data.size())));
        if (!store || !in) {
            ERR_raise(ERR_LIB_X509, ERR_R_BIO_LIB);
            return false;
        }
        STACK_OF(X509_INFO) *inf = PEM_X509_INFO_read_bio_ex(in.get(), nullptr, nullptr,
                                                             const_cast<char *>(""), nullptr,
                                                             nullptr);
        if (!inf) {
            ERR_raise(ERR_LIB_X509, ERR_R_PEM_LIB);
            return false;
        }
        int count = 0;
        bool failed = false;
        for (int i = 0; i < sk_X509_INFO_num(inf) && !failed; i++) {
            const X509_INFO *item = sk_X509_INFO_value(inf, i);
            if (item->x509) {
                if (!X509_STORE_add_cert(store, item->x509))
                    failed = true;
                else
                    count++;
            }
            if (item->crl && !failed) {
                if (!X509_STORE_add_crl(store, item->crl))
                    failed = true;
                else
                    count++;
            }
        }
        if (count == 0 && !failed)
            ERR_raise(ERR_LIB_X509, X509_R_NO_CERTIFICATE_OR_CRL_FOUND);
        sk_X509_INFO_pop_free(inf, X509_INFO_free);
        return count != 0;
    }

    struct Run
    {
        ossl::X509StoreCtxPtr ctx;
        bool ok = false;
    };

    Run runVerify(SSL_CTX *sslCtx, X509 *leaf, STACK_OF(X509) * untrusted, const QDateTime &now,
                  QList<CertificateIssue> *collect)
    {
        Run run;
        run.ctx.reset(X509_STORE_CTX_new());
        if (!run.ctx
            || !X509_STORE_CTX_init(run.ctx.get(), SSL_CTX_get_cert_store(sslCtx), leaf, untrusted))
            return run;
        X509_STORE_CTX_set_default(run.ctx.get(), "ssl_server");
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(run.ctx.get());
        X509_VERIFY_PARAM_set_auth_level(param, SSL_CTX_get_security_level(sslCtx));
        X509_VERIFY_PARAM_set_time(param, time_t(now.toSecsSinceEpoch()));
        if (collect) {
            X509_STORE_CTX_set_ex_data(run.ctx.get(), 0, collect);
            X509_STORE_CTX_set_verify_cb(run.ctx.get(), collectIssue);
        }
        run.ok = X509_verify_cert(run.ctx.get()) == 1;
        return run;
    }

} // namespace

TrustResult ChainVerifier::verify(const QList<CertificateInfo> &sent, const QString &caFile,
                                  const QDateTime &now)
{
    TrustResult result;
    result.caFile = caFile;
    if (caFile.isEmpty())
        return result;
    result.attempted = true;

    // Read once, through the descriptor that was checked: a FIFO or a device named as the CA file
    // is refused at once instead of blocking (or reading without end) on the caller's thread.
    const SafeFileStatus file = SafeFile::read(caFile, SafeFile::kDefaultMaxBytes);
    if (!file.exists) {
        result.error = QStringLiteral("root certificate file \"%1\" does not exist").arg(caFile);
        return result;
    }
    switch (file.kind) {
    case SafeFileStatus::Kind::Regular:
        break;
    case SafeFileStatus::Kind::Directory:
        // What OpenSSL's file loader makes of a directory (reading it fails at once: no PEM).
        result.error = QStringLiteral("could not read root certificate file \"%1\": %2")
                               .arg(caFile,
                                    sslErrMessage(ERR_PACK(ERR_LIB_X509, 0,
                                                           X509_R_NO_CERTIFICATE_OR_CRL_FOUND)));
        return result;
    case SafeFileStatus::Kind::Fifo:
        result.error = QStringLiteral("root certificate file \"%1\" is a named pipe (FIFO), not a "
                                      "file: reading it would wait for a writer for ever, so it "
                                      "was not read")
                               .arg(caFile);
        return result;
    case SafeFileStatus::Kind::Device:
        result.error = QStringLiteral("root certificate file \"%1\" is a device, not a file: "
                                      "reading it might never end, so it was not read")
                               .arg(caFile);
        return result;
    case SafeFileStatus::Kind::TooLarge:
        result.error = QStringLiteral("root certificate file \"%1\" is %2 bytes, over the limit of "
                                      "%3 bytes: it is not a file of CA certificates, so it was "
                                      "not read")
                               .arg(caFile, QString::number(file.size),
                                    QString::number(SafeFile::kDefaultMaxBytes));
        return result;
    case SafeFileStatus::Kind::Socket:
    case SafeFileStatus::Kind::SymLink: // not with Links::Follow
    case SafeFileStatus::Kind::Unreadable:
    case SafeFileStatus::Kind::Missing:
        // OpenSSL's fopen() fails the same way (permission denied, no such device or address).
        result.error = QStringLiteral("could not read root certificate file \"%1\": %2")
                               .arg(caFile,
                                    QString::fromLocal8Bit(std::strerror(
                                            file.errorNumber ? file.errorNumber : ENXIO)));
        return result;
    }

    ERR_clear_error();
    ossl::SslCtxPtr sslCtx(SSL_CTX_new(TLS_client_method()));
    if (!sslCtx) {
        result.error = QStringLiteral("could not create SSL context: %1")
                               .arg(sslErrMessage(ERR_get_error()));
        ERR_clear_error();
        return result;
    }
    if (!loadVerifyLocations(sslCtx.get(), file.data)) {
        result.error = QStringLiteral("could not read root certificate file \"%1\": %2")
                               .arg(caFile, sslErrMessage(ERR_get_error()));
        ERR_clear_error();
        return result;
    }

    if (sent.isEmpty()) {
        result.error = QStringLiteral("the server sent no certificate");
        return result;
    }
    std::vector<ossl::X509Ptr> owned;
    X509StackPtr untrusted(sk_X509_new_null());
    for (const CertificateInfo &info : sent) {
        ossl::X509Ptr cert = ossl::x509FromDer(info.der);
        if (!cert) {
            result.error = QStringLiteral("certificate %1 sent by the server is not valid DER")
                                   .arg(qsizetype(owned.size()));
            return result;
        }
        sk_X509_push(untrusted.get(), cert.get());
        owned.push_back(std::move(cert));
    }
    X509 *leaf = owned.front().get();

    // The verdict, as the handshake sees it: libpq's verify_cb returns `ok` unchanged.
    Run verdict = runVerify(sslCtx.get(), leaf, untrusted.get(), now, nullptr);
    if (verdict.ok) {
        result.trusted = true;
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(verdict.ctx.get());
        for (int i = 0; i < sk_X509_num(chain); i++) {
            const CertificateInfo info
                    = CertificateInfo::fromDer(ossl::x509ToDer(sk_X509_value(chain, i)));
            result.verifiedChain.append(info);
        }
        if (!result.verifiedChain.isEmpty()) {
            result.anchorSha256 = result.verifiedChain.last().sha256;
            result.anchorSubject = result.verifiedChain.last().subject;
        }
    } else if (verdict.ctx) {
        const int err = X509_STORE_CTX_get_error(verdict.ctx.get());
        result.opensslError = err;
        result.errorDepth = X509_STORE_CTX_get_error_depth(verdict.ctx.get());
        QString which = QStringLiteral("depth %1").arg(result.errorDepth);
        if (const X509 *current = X509_STORE_CTX_get_current_cert(verdict.ctx.get()))
            which += QStringLiteral(", ") + describeCert(current);
        result.error = QStringLiteral("%1 (%2)").arg(
                QString::fromLatin1(X509_verify_cert_error_string(err)), which);
    } else {
        result.error = QStringLiteral("could not set up certificate verification: %1")
                               .arg(ossl::takeErrors());
    }

    // Every problem, continuing past each one.
    runVerify(sslCtx.get(), leaf, untrusted.get(), now, &result.issues);
    ERR_clear_error();
    return result;
}

} // namespace pgtls
