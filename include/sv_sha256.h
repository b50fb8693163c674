/*
 * sv_sha256.h - SHA-256 (FIPS 180-4), so a JSON result can name the exact
 * bytes of its inputs and proxy table.
 *
 * The hashing is OpenSSL's libcrypto (Debian libssl-dev): a well-kept
 * implementation that uses the CPU's SHA extensions where it has them, so
 * that digesting a large export never slows a run down (ours did 190 MB/s;
 * libcrypto does several GB/s with SHA-NI).  The one-shot SHA256_* calls
 * need no allocation, so a digest can live on the stack and need no
 * freeing; OpenSSL 3 marks them deprecated in favour of EVP, which would.
 */
#ifndef SV_SHA256_H
#define SV_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

struct sv_sha256 {
	SHA256_CTX ctx;
	uint64_t length; /* bytes hashed so far */
};

#define SV_SHA256_HEX 65 /* 64 hex digits and a NUL */

void sv_sha256_init(struct sv_sha256 *h);
void sv_sha256_update(struct sv_sha256 *h, const void *data, size_t n);
/* Writes the digest as lower-case hex; h is finished afterwards. */
void sv_sha256_hex(struct sv_sha256 *h, char out[SV_SHA256_HEX]);

#endif
