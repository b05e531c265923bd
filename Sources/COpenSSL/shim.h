// The only C surface SealKit uses from OpenSSL 3. Deprecated APIs are compiled out so the
// legacy RSA_* functions cannot be reached by accident; function-like macros that Swift
// cannot import are re-exposed as static inline functions.
#ifndef SEALKIT_COPENSSL_SHIM_H
#define SEALKIT_COPENSSL_SHIM_H

#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static inline void *sealkit_openssl_malloc(size_t n) { return OPENSSL_malloc(n); }
static inline void sealkit_openssl_free(void *p) { OPENSSL_free(p); }

static inline long sealkit_bio_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// A PEM password callback that always refuses, so an encrypted key fails instead of
/// prompting on the terminal.
static inline int sealkit_refuse_password(char *buf, int size, int rwflag, void *u) {
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

static inline void sealkit_x509v3_set_ctx_nodb(X509V3_CTX *ctx) { X509V3_set_ctx_nodb(ctx); }

#endif
