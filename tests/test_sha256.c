/*
 * test_sha256.c - the digest against the FIPS 180-4 examples, however the
 * bytes are split into updates.
 */
#include "test_util.h"

#include "sv_sha256.h"

static void digest_of(const char *data, size_t n, size_t piece, char out[SV_SHA256_HEX], uint64_t *length)
{
	struct sv_sha256 h;
	sv_sha256_init(&h);
	for (size_t at = 0; at < n; at += piece)
		sv_sha256_update(&h, data + at, n - at < piece ? n - at : piece);
	*length = h.length;
	sv_sha256_hex(&h, out);
}

static void test_fips_examples(void **state)
{
	(void)state;
	char hex[SV_SHA256_HEX];
	uint64_t len;
	digest_of("", 0, 1, hex, &len);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_true(len == 0);
	digest_of("abc", 3, 3, hex, &len);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t piece = 1; piece <= 56; piece += 11) {
		digest_of(two, 56, piece, hex, &len);
		assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
		assert_true(len == 56);
	}
}

static void test_million_a(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *a = malloc(n);
	assert_non_null(a);
	memset(a, 'a', n);
	char hex[SV_SHA256_HEX];
	uint64_t len;
	digest_of(a, n, 4093, hex, &len);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	assert_true(len == n);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_examples),
		cmocka_unit_test(test_million_a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
