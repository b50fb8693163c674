/*
 * sv_sha256.h - SHA-256 (FIPS 180-4), so a JSON result can name the exact
 * bytes of its inputs and proxy table.
 */
#ifndef SV_SHA256_H
#define SV_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sv_sha256 {
	uint32_t state[8];
	uint64_t length; /* bytes hashed so far */
	unsigned char block[64];
	size_t used;
};

#define SV_SHA256_HEX 65 /* 64 hex digits and a NUL */

void sv_sha256_init(struct sv_sha256 *h);
void sv_sha256_update(struct sv_sha256 *h, const void *data, size_t n);
/* Writes the digest as lower-case hex; h is finished afterwards. */
void sv_sha256_hex(struct sv_sha256 *h, char out[SV_SHA256_HEX]);

#endif
