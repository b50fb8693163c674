/*
 * sv_builtin.h - the proxy table built into the binary, already loaded.
 *
 * Parsing the built-in JSON cost three quarters of valuing a 100-record
 * file.  So proxygen (src/proxygen.c) runs the real loader on it at build
 * time, where every rule of SPEC.md is still checked, and writes the loaded
 * table, indexes and digest included, as C data; at run time the table is
 * that data.  The JSON text stays in the binary too (sv_builtin_proxies)
 * for whoever needs the table as written.
 */
#ifndef SV_BUILTIN_H
#define SV_BUILTIN_H

#include "sv_proxy.h"

/* The table as loaded, every pointer into static data (borrowed set),
 * origin and digest_cache NULL. */
extern const struct sv_proxy_table sv_builtin_table;
/* Its canonical digest (sv_proxy_digest), 64 hex digits. */
extern const char sv_builtin_digest[65];

/* The built-in table: sv_builtin_table with an origin and a digest_cache of
 * its own, so that sv_proxy_free and the digest work as for any table.
 * SV_ESOFTWARE (reported) when out of memory. */
enum sv_status sv_proxy_load_builtin(struct sv_proxy_table *t);

#endif
