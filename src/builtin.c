/*
 * builtin.c - the built-in proxy table, precompiled, and the choice
 * between it and a table file.
 *
 * Apart from proxy.c because proxygen links proxy.c's loader to make
 * sv_builtin_table, which this module refers to.
 */
#include "sv_builtin.h"
#include "sv_diag.h"

#include <stdlib.h>
#include <string.h>

enum sv_status sv_proxy_load_builtin(struct sv_proxy_table *t)
{
	*t = sv_builtin_table;
	t->origin = strdup(SV_BUILTIN_ORIGIN);
	t->digest_cache = malloc(sizeof sv_builtin_digest);
	if (!t->origin || !t->digest_cache) {
		sv_diag("%s: out of memory while loading the proxy table", SV_BUILTIN_ORIGIN);
		sv_proxy_free(t);
		return SV_ESOFTWARE;
	}
	memcpy(t->digest_cache, sv_builtin_digest, sizeof sv_builtin_digest);
	return SV_OK;
}

enum sv_status sv_proxy_load_default(struct sv_proxy_table *t, const char *path)
{
	if (path)
		return sv_proxy_load_file(t, path);
	const char *env = getenv("SV_CALC_PROXIES");
	if (env && env[0])
		return sv_proxy_load_file(t, env);
	return sv_proxy_load_builtin(t);
}
