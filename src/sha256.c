/*
 * sha256.c - SHA-256 through libcrypto (see sv_sha256.h for why).
 */
#include "sv_sha256.h"

void sv_sha256_init(struct sv_sha256 *h)
{
	SHA256_Init(&h->ctx);
	h->length = 0;
}

void sv_sha256_update(struct sv_sha256 *h, const void *data, size_t n)
{
	SHA256_Update(&h->ctx, data, n);
	h->length += n;
}

void sv_sha256_hex(struct sv_sha256 *h, char out[SV_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256_Final(md, &h->ctx);
	for (size_t i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * SHA256_DIGEST_LENGTH] = '\0';
}
