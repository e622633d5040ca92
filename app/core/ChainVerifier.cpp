// SPDX-License-Identifier: MIT
#include "ChainVerifier.h"

#include "ClientFiles.h"
#include "Endpoint.h"
#include "OpenSslUtil.h"
#include "SafeFile.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <QSet>

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
//
// Revocation lists (initialize_SSL, only when the root file was loaded):
//   fname = sslcrl; dname = sslcrldir;
//   both unset and a home directory: fname = ~/.postgresql/root.crl
//   if ((fname || dname) && X509_STORE_load_locations(cvstore, fname, dname) == 1)
//       X509_STORE_set_flags(cvstore, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
//   ERR_clear_error();   (a CRL file that does not load is ignored, silently)
// X509_STORE_load_locations() loads the file first (X509_load_cert_crl_file: certificates and
// CRLs) and fails without adding the directory when the file does not load; the directory is a
// X509_LOOKUP_hash_dir(), searched during verification for "<hash>.<n>" (certificates, by subject)
// and "<hash>.r<n>" (CRLs, by issuer), n = 0, 1, ... until a file is missing or does not load,
// the first directory that has the name ending the search. We read those same files through
// SafeFile before verifying (loadHashedDirectories()): for every issuer name of the chain and of
// the store, until nothing new turns up.

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
        case X509_V_ERR_CERT_REVOKED:
            return QStringLiteral("revoked");
        case X509_V_ERR_UNABLE_TO_GET_CRL:
            return QStringLiteral("crl-missing");
        case X509_V_ERR_CRL_HAS_EXPIRED:
            return QStringLiteral("crl-expired");
        case X509_V_ERR_CRL_NOT_YET_VALID:
            return QStringLiteral("crl-not-yet-valid");
        case X509_V_ERR_CRL_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
        case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
        case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
        case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
        case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
        case X509_V_ERR_DIFFERENT_CRL_SCOPE:
            return QStringLiteral("crl-invalid");
        default:
            return QStringLiteral("other");
        }
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
    bool loadVerifyLocations(X509_STORE *store, const QByteArray &data, int *crls = nullptr)
    {
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
                if (!X509_STORE_add_crl(store, item->crl)) {
                    failed = true;
                } else {
                    count++;
                    if (crls)
                        ++*crls;
                }
            }
        }
        if (count == 0 && !failed)
            ERR_raise(ERR_LIB_X509, X509_R_NO_CERTIFICATE_OR_CRL_FOUND);
        sk_X509_INFO_pop_free(inf, X509_INFO_free);
        return count != 0;
    }

    // X509_load_cert_file() / X509_load_crl_file() with X509_FILETYPE_PEM (what a hash_dir lookup
    // calls) from bytes: every object up to the end; 0 when the file fails (no object, a block
    // that does not parse, a store that refuses it), objects added before a failure staying added
    // as with OpenSSL's loaders. Otherwise the number added.
    int loadPemObjects(X509_STORE *store, const QByteArray &data, bool crls)
    {
        ossl::BioPtr in(BIO_new_mem_buf(data.constData(), int(data.size())));
        if (!in)
            return 0;
        int count = 0;
        for (;;) {
            bool added = false;
            void *object = crls ? static_cast<void *>(PEM_read_bio_X509_CRL(
                                          in.get(), nullptr, nullptr, const_cast<char *>("")))
                                : static_cast<void *>(PEM_read_bio_X509_AUX(
                                          in.get(), nullptr, nullptr, const_cast<char *>("")));
            if (!object) {
                const bool atEnd
                        = ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE && count > 0;
                ERR_clear_error();
                return atEnd ? count : 0;
            }
            if (crls) {
                added = X509_STORE_add_crl(store, static_cast<X509_CRL *>(object)) == 1;
                X509_CRL_free(static_cast<X509_CRL *>(object));
            } else {
                added = X509_STORE_add_cert(store, static_cast<X509 *>(object)) == 1;
                X509_free(static_cast<X509 *>(object));
            }
            if (!added)
                return 0;
            ++count;
        }
    }

    bool storeHas(X509_STORE *store, X509_LOOKUP_TYPE type, const X509_NAME *name)
    {
        return X509_OBJECT_idx_by_subject(X509_STORE_get0_objects(store), type, name) >= 0;
    }

    // At most this many files of an sslcrldir are read (a CRL directory holds a few), and at most
    // this many bytes in all (each file also within ClientFiles::maxBytes()).
    constexpr int kMaxHashedFiles = 4096;
    constexpr qint64 kMaxHashedBytes = 1024LL * 1024 * 1024;

    struct HashedDirectories
    {
        QStringList dirs;
        int filesRead = 0;
        qint64 bytesRead = 0;
        bool limited = false;
        int crls = 0;
        QStringList notes;

        // What X509_LOOKUP_hash_dir()'s get_cert_by_subject() reads for `name`: in each
        // directory "<hash>.<n>" (certificates) or "<hash>.r<n>" (CRLs), n = 0, 1, ... until a file
        // is missing or does not load; the search ends after the first directory that gave the
        // store an object of that name. A file that is not a regular file within the bound (a
        // FIFO, a device, a huge file) ends that directory's search, with a note.
        void lookUp(X509_STORE *store, const X509_NAME *name, bool crl)
        {
            int ok = 0;
            const unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
            if (!ok)
                return;
            const QString base
                    = QStringLiteral("%1").arg(qulonglong(hash), 8, 16, QLatin1Char('0'));
            const X509_LOOKUP_TYPE type = crl ? X509_LU_CRL : X509_LU_X509;
            for (const QString &dir : dirs) {
                for (int n = 0;; ++n) {
                    if (filesRead >= kMaxHashedFiles || bytesRead >= kMaxHashedBytes) {
                        if (!limited)
                            notes << QStringLiteral(
                                    "the revocation list directory was read up to its limit (%1 "
                                    "files, %2 MiB); further files were not looked at")
                                             .arg(kMaxHashedFiles)
                                             .arg(kMaxHashedBytes / (1024 * 1024));
                        limited = true;
                        filesRead = kMaxHashedFiles;
                        return;
                    }
                    const QString path = QStringLiteral("%1/%2.%3%4")
                                                 .arg(dir, base,
                                                      crl ? QStringLiteral("r") : QString())
                                                 .arg(n);
                    const SafeFileStatus file = SafeFile::read(
                            path, ClientFiles::maxBytes(QStringLiteral("sslcrldir")));
                    if (!file.exists)
                        break;
                    ++filesRead;
                    bytesRead += file.data.size();
                    if (!file.ok()) {
                        notes << file.error;
                        break;
                    }
                    const int added = loadPemObjects(store, file.data, crl);
                    if (crl)
                        crls += added;
                    if (added == 0)
                        break;
                }
                if (storeHas(store, type, name))
                    return;
            }
        }
    };

    QByteArray nameKey(const X509_NAME *name)
    {
        unsigned char *der = nullptr;
        const int len = i2d_X509_NAME(name, &der);
        if (len <= 0)
            return {};
        QByteArray key(reinterpret_cast<const char *>(der), len);
        OPENSSL_free(der);
        return key;
    }

    // Every lookup the hash_dir could be asked for while the chain is built and its revocation
    // checked: the issuer of each certificate sent and of each in the store (certificates only
    // when the store has none of that subject yet, as X509_STORE_CTX_get_by_subject() asks the
    // lookups; CRLs always), again for certificates the directories added, until nothing is new.
    void loadHashedDirectories(X509_STORE *store, STACK_OF(X509) * sent, HashedDirectories &dirs)
    {
        QSet<QByteArray> seen;
        std::vector<X509_NAME *> pending;
        auto collect = [&](const X509 *cert) {
            const X509_NAME *issuer = X509_get_issuer_name(cert);
            const QByteArray key = nameKey(issuer);
            if (key.isEmpty() || seen.contains(key))
                return;
            seen.insert(key);
            pending.push_back(X509_NAME_dup(issuer));
        };
        auto collectStore = [&] {
            STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(store);
            for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
                if (const X509 *cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i)))
                    collect(cert);
        };
        for (int i = 0; i < sk_X509_num(sent); ++i)
            collect(sk_X509_value(sent, i));
        collectStore();
        while (!pending.empty() && dirs.filesRead < kMaxHashedFiles) {
            X509_NAME *name = pending.back();
            pending.pop_back();
            if (!storeHas(store, X509_LU_X509, name))
                dirs.lookUp(store, name, false);
            dirs.lookUp(store, name, true);
            X509_NAME_free(name);
            collectStore();
        }
        for (X509_NAME *name : pending)
            X509_NAME_free(name);
    }

    // initialize_SSL's revocation set-up on `store` (see the top of this file); the outcome into
    // `result`.
    void setUpRevocation(X509_STORE *store, STACK_OF(X509) * sent, const CrlSettings &crl,
                         TrustResult &result)
    {
        result.crlFile = crl.file;
        result.crlFileIsDefault = crl.isDefaultFile;
        result.crlDir = crl.dir;
        if (crl.isEmpty())
            return;
        bool loaded = true;
        if (!crl.file.isEmpty()) {
            const SafeFileStatus file
                    = SafeFile::read(crl.file, ClientFiles::maxBytes(QStringLiteral("sslcrl")));
            QString why;
            if (!file.exists) {
                // The usual case for the default: nothing to say about a file nobody made.
                if (!crl.isDefaultFile)
                    why = QStringLiteral("the CRL file \"%1\" does not exist").arg(crl.file);
            } else if (!file.ok()) {
                why = file.error;
            } else if (!loadVerifyLocations(store, file.data, &result.crlCount)) {
                why = QStringLiteral("the CRL file \"%1\" could not be loaded: %2")
                              .arg(crl.file, ossl::sslErrMessage(ERR_get_error()));
            }
            loaded = file.exists && file.ok() && why.isEmpty();
            if (!why.isEmpty()) {
                result.crlNote = why
                        + QStringLiteral(
                                "; libpq ignores it without a word, so revocation is not checked");
                if (!crl.dir.isEmpty())
                    result.crlNote += QStringLiteral(" (sslcrldir is not searched either)");
            }
        }
        if (loaded && !crl.dir.isEmpty()) {
            HashedDirectories dirs;
            dirs.dirs = crl.dir.split(QLatin1Char(':'), Qt::SkipEmptyParts);
            loadHashedDirectories(store, sent, dirs);
            result.crlCount += dirs.crls;
            if (!dirs.notes.isEmpty())
                result.crlNote = dirs.notes.join(QStringLiteral("; "));
        }
        if (loaded) {
            X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
            result.crlChecked = true;
        }
        ERR_clear_error();
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

CrlSettings CrlSettings::forEndpoint(const Endpoint &e, const QString &homeDir)
{
    CrlSettings s;
    s.file = e.extraOptions.value(QStringLiteral("sslcrl"));
    s.dir = e.extraOptions.value(QStringLiteral("sslcrldir"));
    if (s.file.isEmpty() && s.dir.isEmpty() && !homeDir.isEmpty()) {
        s.file = homeDir + QStringLiteral("/.postgresql/root.crl");
        s.isDefaultFile = true;
    }
    return s;
}

TrustResult ChainVerifier::verify(const QList<CertificateInfo> &sent, const QString &caFile,
                                  const QDateTime &now, const CrlSettings &crl)
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
                                    ossl::sslErrMessage(ERR_PACK(ERR_LIB_X509, 0,
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
                               .arg(ossl::sslErrMessage(ERR_get_error()));
        ERR_clear_error();
        return result;
    }
    X509_STORE *store = SSL_CTX_get_cert_store(sslCtx.get());
    if (!loadVerifyLocations(store, file.data)) {
        result.error = QStringLiteral("could not read root certificate file \"%1\": %2")
                               .arg(caFile, ossl::sslErrMessage(ERR_get_error()));
        ERR_clear_error();
        return result;
    }
    // The certificates of the CA file, to tell the anchor from a certificate the server sent.
    QSet<QByteArray> caFileCerts;
    STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
        if (const X509 *cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i)))
            caFileCerts.insert(ossl::x509ToDer(cert));

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

    setUpRevocation(store, untrusted.get(), crl, result);

    // The verdict, as the handshake sees it: libpq's verify_cb returns `ok` unchanged, so the
    // first failure ends the handshake.
    Run verdict = runVerify(sslCtx.get(), leaf, untrusted.get(), now, nullptr);
    if (verdict.ok) {
        result.trusted = true;
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

    // Every problem, continuing past each one (what `openssl verify -show_chain` does with a
    // callback that records and returns 1): the chain is then built as far as it goes, to the
    // anchor when the CA file holds it.
    Run all = runVerify(sslCtx.get(), leaf, untrusted.get(), now, &result.issues);
    if (all.ctx) {
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(all.ctx.get());
        for (int i = 0; i < sk_X509_num(chain); i++)
            result.chain.append(CertificateInfo::fromDer(ossl::x509ToDer(sk_X509_value(chain, i))));
    }
    if (!result.chain.isEmpty()) {
        const int top = int(result.chain.size()) - 1;
        bool topUnanchored = false;
        for (const CertificateIssue &issue : std::as_const(result.issues))
            topUnanchored = topUnanchored
                    || (issue.depth == top
                        && (issue.code == QLatin1String("unknown-issuer")
                            || issue.code == QLatin1String("self-signed")));
        const CertificateInfo &last = result.chain.last();
        if (result.trusted || (!topUnanchored && caFileCerts.contains(last.der))) {
            result.anchorSha256 = last.sha256;
            result.anchorSubject = last.subject;
        }
    }
    if (result.trusted)
        result.verifiedChain = result.chain;
    ERR_clear_error();
    return result;
}

} // namespace pgtls
