// SPDX-License-Identifier: MIT
// CaBundle::fromData(): PEM / DER / PKCS#7 sniffing and the private-key refusal.
// Asserts: no crash or leak; a refused bundle has no entries, an accepted one has some; every
// text is well-formed; a buffer in which OpenSSL's own PEM reader finds a "... PRIVATE KEY" block
// is never accepted.

#include "CaBundle.h"
#include "FuzzCommon.h"

#include <QCoreApplication>
#include <QDateTime>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

using namespace pgtls;

namespace {

// Every PEM block OpenSSL's reader (what libpq uses) finds, by label.
bool opensslSeesPrivateKey(const QByteArray &data)
{
    BIO *bio = BIO_new_mem_buf(data.constData(), int(data.size()));
    bool found = false;
    for (int guard = 0; guard < 10000 && !found; ++guard) {
        char *name = nullptr;
        char *header = nullptr;
        unsigned char *body = nullptr;
        long len = 0;
        if (PEM_read_bio(bio, &name, &header, &body, &len)) {
            const size_t n = strlen(name);
            found = n >= 11 && strcmp(name + n - 11, "PRIVATE KEY") == 0;
            OPENSSL_free(name);
            OPENSSL_free(header);
            OPENSSL_free(body);
            continue;
        }
        const unsigned long e = ERR_peek_last_error();
        ERR_clear_error();
        if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
            break;
        if (BIO_eof(bio))
            break;
    }
    BIO_free(bio);
    ERR_clear_error();
    return found;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char arg0[] = "fuzz_bundle";
    static char *argv[] = { arg0, nullptr };
    static QCoreApplication app(argc, argv);

    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const CaBundle b = CaBundle::fromData(bytes, QStringLiteral("fuzz.pem"));

    fuzz::requireWellFormed(b.error, "bundle error text");
    fuzz::requireWellFormed(b.ignoredBlocks, "bundle ignored-block text");
    if (!b.ok()) {
        fuzz::require(b.entries.isEmpty(), "a refused bundle has entries");
        fuzz::require(!b.errorCode.isEmpty(), "a refused bundle has no error code");
    } else {
        fuzz::require(b.count() > 0, "an accepted bundle has no certificate");
        for (const BundleEntry &e : b.entries) {
            fuzz::require(!e.cert.isNull(), "an accepted bundle holds a null certificate");
            fuzz::requireWellFormed(e.cert.subject, "bundle certificate subject");
        }
        fuzz::require(!opensslSeesPrivateKey(bytes), "a bundle holding a PEM private key was accepted");
        const QDateTime now = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        fuzz::requireWellFormed(b.warnings(QStringLiteral("db.abc.eu-west-1.rds.amazonaws.com"), now),
                                "bundle warnings");
        b.rdsCaIds();
        b.rdsRegions();
        b.earliestExpiryOfValid(now);
        b.holdsOnlyRetiredRdsCas();
    }
    return 0;
}
