/*
 * group.c - hash table of groups, arena for key text, deterministic order.
 */
#include "sv_group.h"
#include "sv_word.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum sv_key_kind kind;
} builtin_keys[] = {
	{"theme", SV_KEY_THEME}, {"measure", SV_KEY_MEASURE}, {"value_type", SV_KEY_VALUE_TYPE},
	{"month", SV_KEY_MONTH}, {"quarter", SV_KEY_QUARTER}, {"fq", SV_KEY_FQ},
	{"year", SV_KEY_YEAR},   {"fy", SV_KEY_FY},       {"file", SV_KEY_FILE},
};

bool sv_key_builtin(const char *name, enum sv_key_kind *kind)
{
	for (size_t i = 0; i < sizeof builtin_keys / sizeof builtin_keys[0]; i++) {
		if (strcasecmp(name, builtin_keys[i].name) == 0) {
			*kind = builtin_keys[i].kind;
			return true;
		}
	}
	return false;
}

const char *sv_key_name(enum sv_key_kind kind)
{
	for (size_t i = 0; i < sizeof builtin_keys / sizeof builtin_keys[0]; i++)
		if (builtin_keys[i].kind == kind)
			return builtin_keys[i].name;
	return "column";
}

/* Key text is copied into fixed blocks that never move, so a group's
 * pointers stay valid while the table grows. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct sv_groups {
	struct sv_key_spec keys[SV_MAX_KEYS];
	size_t n_keys;
	struct sv_group **slots;
	size_t cap, count;
	struct sv_group **sorted;
	bool sorted_valid;
	size_t n_measures; /* gross kept per measure; 0: not kept */
	/* records per measure over all groups (what a result says it used);
	 * grows with the highest measure index seen, never with records */
	uint64_t *measure_records;
	size_t n_measure_records;
	struct arena_block *arena;
	/* when every key is the measure's own, the group of each measure
	 * index seen: a record's group without hashing its keys */
	bool keys_of_measure;
	unsigned text_keys; /* bit k: key k is text (hashed and compared per record) */
	struct sv_group **measure_group;
	size_t n_measure_group;
	/* otherwise, the groups records went to lately, by a cheap print of
	 * their keys (made at the first record): most records find theirs
	 * there, without the table's hash and probe */
	struct sv_group **recent;
	unsigned recent_bits; /* 1 << recent_bits slots */
};

/* The recent groups have RECENT_ROOM slots per group, so that few groups
 * share one (96 groups in 2048 slots still missed 3% of records, in 4096
 * 0.2%); what the cache holds is the slots in use, not the table.  At
 * most 1 << RECENT_MAX_BITS (64 KB, for each chunk's groups). */
#define RECENT_MIN_BITS 8
#define RECENT_MAX_BITS 13
#define RECENT_ROOM 32

struct sv_groups *sv_groups_new(const struct sv_key_spec *keys, size_t n_keys)
{
	if (n_keys > SV_MAX_KEYS)
		return NULL;
	struct sv_groups *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	memcpy(g->keys, keys, n_keys * sizeof *keys);
	g->n_keys = n_keys;
	g->keys_of_measure = true;
	for (size_t k = 0; k < n_keys; k++) {
		enum sv_key_kind kind = keys[k].kind;
		if (sv_key_is_text(kind))
			g->text_keys |= 1u << k;
		if (kind != SV_KEY_THEME && kind != SV_KEY_MEASURE && kind != SV_KEY_VALUE_TYPE)
			g->keys_of_measure = false;
	}
	g->cap = 64;
	g->slots = calloc(g->cap, sizeof *g->slots);
	if (!g->slots) {
		free(g);
		return NULL;
	}
	return g;
}

void sv_groups_track_measures(struct sv_groups *g, size_t n_measures)
{
	g->n_measures = n_measures;
}

size_t sv_groups_tracked_measures(const struct sv_groups *g)
{
	return g->n_measures;
}

void sv_groups_free(struct sv_groups *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->cap; i++) {
		if (g->slots[i])
			free(g->slots[i]->by_measure);
		free(g->slots[i]);
	}
	free(g->slots);
	free(g->measure_records);
	free(g->measure_group);
	free(g->recent);
	free(g->sorted);
	for (struct arena_block *b = g->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(g);
}

size_t sv_groups_count(const struct sv_groups *g)
{
	return g->count;
}

/* Every valued record hashes its keys: a word at a time. */
static uint64_t mix_word(uint64_t h, uint64_t w)
{
	return (h ^ w) * 0x9E3779B97F4A7C15u;
}

static uint64_t mix_text(uint64_t h, const char *s, size_t n)
{
	h = mix_word(h, n);
	for (; n >= 8; s += 8, n -= 8)
		h = mix_word(h, sv_word(s, 8));
	if (n)
		h = mix_word(h, sv_word(s, n));
	return h;
}

static uint32_t hash_keys(const struct sv_groups *g, const struct sv_key_value *kv)
{
	uint64_t h = 0x243F6A8885A308D3u;
	for (size_t i = 0; i < g->n_keys; i++) {
		if ((g->text_keys >> i & 1))
			h = mix_text(h, kv[i].str, kv[i].len);
		else
			h = mix_word(h, (uint64_t)kv[i].num);
	}
	h ^= h >> 29;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* Equal texts of one length n: a key text is mostly a few words long, for
 * which a call to memcmp costs more than the compare.  Up to 32 bytes,
 * four words at offsets clamped to the text's last word: no loop, whose
 * count would follow the length of each record's key (the names of
 * sites differ in length, and the branch was mispredicted on them). */
__attribute__((always_inline)) static inline bool same_text(const char *a, const char *b, size_t n)
{
	if (n > 32)
		return memcmp(a, b, n) == 0;
	if (n >= 8) {
		size_t last = n - 8, o1 = sv_word_min(8, last), o2 = sv_word_min(16, last);
		uint64_t diff = (sv_load64(a) ^ sv_load64(b)) | (sv_load64(a + o1) ^ sv_load64(b + o1)) |
				(sv_load64(a + o2) ^ sv_load64(b + o2)) | (sv_load64(a + last) ^ sv_load64(b + last));
		return diff == 0;
	}
	return sv_word(a, n) == sv_word(b, n);
}

/* Inline (the recent groups' compare is on every record): a call cost as
 * much as the compare of a site and a quarter. */
__attribute__((always_inline)) static inline bool same_keys(const struct sv_groups *g, const struct sv_key_value *a,
							    const struct sv_key_value *b)
{
	for (size_t i = 0; i < g->n_keys; i++) {
		if ((g->text_keys >> i & 1)) {
			if (a[i].len != b[i].len || !same_text(a[i].str, b[i].str, a[i].len))
				return false;
		} else if (a[i].num != b[i].num)
			return false;
	}
	return true;
}

static const char *arena_copy(struct sv_groups *g, const char *s, size_t n)
{
	struct arena_block *b = g->arena;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = g->arena;
		b->used = 0;
		b->cap = cap;
		g->arena = b;
	}
	char *p = b->data + b->used;
	if (n)
		memcpy(p, s, n);
	b->used += n;
	return p;
}

static bool rehash(struct sv_groups *g)
{
	size_t cap = g->cap * 2;
	struct sv_group **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < g->cap; i++) {
		struct sv_group *grp = g->slots[i];
		if (!grp)
			continue;
		size_t j = grp->hash & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = grp;
	}
	free(g->slots);
	g->slots = slots;
	g->cap = cap;
	return true;
}

static struct sv_group *create_group(struct sv_groups *g, const struct sv_key_value *kv, uint32_t h)
{
	struct sv_group *grp = calloc(1, sizeof *grp + g->n_keys * sizeof grp->keys[0]);
	if (!grp)
		return NULL;
	/* the records per measure share the block, after the amounts */
	if (g->n_measures) {
		size_t n = g->n_measures;
		grp->by_measure = calloc(1, n * sizeof *grp->by_measure + n * sizeof *grp->by_measure_records);
		if (!grp->by_measure) {
			free(grp);
			return NULL;
		}
		grp->by_measure_records = (uint64_t *)(void *)(grp->by_measure + n);
	}
	grp->hash = h;
	for (size_t i = 0; i < g->n_keys; i++) {
		grp->keys[i] = kv[i];
		if ((g->text_keys >> i & 1)) {
			grp->keys[i].str = arena_copy(g, kv[i].str, kv[i].len);
			if (!grp->keys[i].str) {
				free(grp->by_measure);
				free(grp);
				return NULL;
			}
		}
	}
	return grp;
}

static struct sv_group *find_or_create(struct sv_groups *g, const struct sv_key_value *kv);

enum sv_status sv_groups_add(struct sv_groups *g, const struct sv_key_value *kv, bool has_value,
			     sv_amount value)
{
	return sv_groups_merge(g, kv, 1, has_value ? 1 : 0, value);
}

enum sv_status sv_groups_absorb(struct sv_groups *dst, const struct sv_groups *src)
{
	for (size_t i = 0; i < src->cap; i++) {
		const struct sv_group *grp = src->slots[i];
		if (!grp)
			continue;
		enum sv_status st = sv_groups_merge(dst, grp->keys, grp->records, grp->valued_records, grp->value);
		if (st != SV_OK)
			return st;
		if (dst->n_measures && grp->by_measure) {
			struct sv_group *into = find_or_create(dst, grp->keys);
			for (size_t m = 0; into && m < dst->n_measures && m < src->n_measures; m++) {
				if (!sv_amount_add(&into->by_measure[m], grp->by_measure[m]))
					return SV_EDATA;
				into->by_measure_records[m] += grp->by_measure_records[m];
			}
		}
	}
	for (size_t m = 0; m < src->n_measure_records; m++) {
		enum sv_status st = src->measure_records[m] ? sv_groups_note_measure(dst, m, src->measure_records[m]) : SV_OK;
		if (st != SV_OK)
			return st;
	}
	return SV_OK;
}

enum sv_status sv_groups_note_measure(struct sv_groups *g, size_t measure, uint64_t records)
{
	if (measure >= g->n_measure_records) {
		size_t n = measure + 1;
		uint64_t *grown = realloc(g->measure_records, n * sizeof *grown);
		if (!grown)
			return SV_ESOFTWARE;
		memset(grown + g->n_measure_records, 0, (n - g->n_measure_records) * sizeof *grown);
		g->measure_records = grown;
		g->n_measure_records = n;
	}
	if (__builtin_add_overflow(g->measure_records[measure], records, &g->measure_records[measure]))
		return SV_EDATA;
	return SV_OK;
}

const uint64_t *sv_groups_measure_records(const struct sv_groups *g, size_t *n)
{
	*n = g->n_measure_records;
	return g->measure_records;
}

/* A text's print for the recent groups: its first word, its last two
 * bytes and its length, which tell apart the names and codes of sites
 * ("Site 10", "Site 20") without a loop over every word.  Texts that
 * share a print only cost a look-up in the table. */
static inline uint64_t recent_text(uint64_t h, const char *s, size_t n)
{
	uint64_t tail = n >= 2 ? sv_load16(s + n - 2) : 0;
	return mix_word(mix_word(h, sv_word(s, n)), tail << 32 | n);
}

__attribute__((always_inline)) static inline uint64_t recent_print(const struct sv_groups *g,
								    const struct sv_key_value *kv)
{
	uint64_t h = 0x243F6A8885A308D3u;
	for (size_t i = 0; i < g->n_keys; i++) {
		if ((g->text_keys >> i & 1))
			h = recent_text(h, kv[i].str, kv[i].len);
		else
			h = mix_word(h, (uint64_t)kv[i].num);
	}
	return h;
}

static inline struct sv_group **recent_slot(const struct sv_groups *g, uint64_t print)
{
	return &g->recent[print >> (64 - g->recent_bits)];
}

/* Slots for the groups there are; false when out of memory.  A new table
 * starts empty: the groups come back to it as their records do. */
static bool recent_fit(struct sv_groups *g)
{
	unsigned bits = g->recent ? g->recent_bits : RECENT_MIN_BITS;
	while (bits < RECENT_MAX_BITS && g->count * RECENT_ROOM > (size_t)1 << bits)
		bits++;
	if (g->recent && bits == g->recent_bits)
		return true;
	struct sv_group **recent = calloc((size_t)1 << bits, sizeof *recent);
	if (!recent)
		return false;
	free(g->recent);
	g->recent = recent;
	g->recent_bits = bits;
	return true;
}

/* The group of these keys, tried first among the recent ones.  A hit
 * compares every key, so it is the group the table would give. */
static struct sv_group *recent_group(struct sv_groups *g, const struct sv_key_value *kv)
{
	if (!g->recent && !recent_fit(g))
		return NULL;
	uint64_t print = recent_print(g, kv);
	struct sv_group **slot = recent_slot(g, print);
	if (*slot && same_keys(g, (*slot)->keys, kv))
		return *slot;
	size_t count = g->count;
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return NULL;
	if (g->count == count)
		*slot = grp;
	else if (!recent_fit(g))
		return NULL;
	else
		*recent_slot(g, print) = grp;
	return grp;
}

/* The group of a record of this measure (see sv_groups_add_measure). */
static struct sv_group *group_of_measure(struct sv_groups *g, const struct sv_key_value *kv, size_t measure)
{
	if (!g->keys_of_measure)
		return recent_group(g, kv);
	if (measure < g->n_measure_group && g->measure_group[measure])
		return g->measure_group[measure];
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return NULL;
	if (measure >= g->n_measure_group) {
		size_t n = measure + 1;
		struct sv_group **grown = realloc(g->measure_group, n * sizeof *grown);
		if (!grown)
			return NULL;
		memset(grown + g->n_measure_group, 0, (n - g->n_measure_group) * sizeof *grown);
		g->measure_group = grown;
		g->n_measure_group = n;
	}
	g->measure_group[measure] = grp;
	return grp;
}

enum sv_status sv_groups_add_measure(struct sv_groups *g, const struct sv_key_value *kv, size_t measure,
				     bool has_value, sv_amount value)
{
	struct sv_group *grp = group_of_measure(g, kv, measure);
	if (!grp)
		return SV_ESOFTWARE;
	/* the records per measure, counted here without a call when the
	 * measure has been seen */
	if (measure < g->n_measure_records) {
		if (__builtin_add_overflow(g->measure_records[measure], 1, &g->measure_records[measure]))
			return SV_EDATA;
	} else {
		enum sv_status noted = sv_groups_note_measure(g, measure, 1);
		if (noted != SV_OK)
			return noted;
	}
	if (has_value) {
		if (!sv_amount_add(&grp->value, value))
			return SV_EDATA;
		if (g->n_measures && measure < g->n_measures && !sv_amount_add(&grp->by_measure[measure], value))
			return SV_EDATA;
		grp->valued_records++;
	}
	if (g->n_measures && measure < g->n_measures)
		grp->by_measure_records[measure]++;
	grp->records++;
	return SV_OK;
}

enum sv_status sv_groups_add_measure_sum(struct sv_groups *g, const struct sv_key_value *kv, size_t measure,
					 uint64_t records, bool has_value, sv_amount value)
{
	if (measure >= g->n_measures)
		return SV_ESOFTWARE;
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return SV_ESOFTWARE;
	if (records > UINT64_MAX - grp->records || sv_groups_note_measure(g, measure, records) == SV_EDATA)
		return SV_EDATA;
	if (has_value) {
		if (!sv_amount_add(&grp->value, value) || !sv_amount_add(&grp->by_measure[measure], value))
			return SV_EDATA;
		grp->valued_records += records;
	}
	grp->by_measure_records[measure] += records;
	grp->records += records;
	return SV_OK;
}

const struct sv_group *sv_groups_find(const struct sv_groups *g, const struct sv_key_value *kv)
{
	uint32_t h = hash_keys(g, kv);
	size_t mask = g->cap - 1, i = h & mask;
	const struct sv_group *grp;
	while ((grp = g->slots[i]) && !(grp->hash == h && same_keys(g, grp->keys, kv)))
		i = (i + 1) & mask;
	return grp;
}

enum sv_status sv_groups_touch(struct sv_groups *g, const struct sv_key_value *kv)
{
	return find_or_create(g, kv) ? SV_OK : SV_ESOFTWARE;
}

enum sv_status sv_groups_add_target(struct sv_groups *g, const struct sv_key_value *kv, sv_qty qty,
				    bool has_value, sv_amount value)
{
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return SV_ESOFTWARE;
	/* quantities add as amounts do: both are 128-bit counts */
	if (!sv_amount_add(&grp->target_qty, qty) || (has_value && !sv_amount_add(&grp->target_value, value)))
		return SV_EDATA;
	grp->targeted = true;
	grp->target_valued += has_value;
	return SV_OK;
}

enum sv_status sv_groups_add_spend(struct sv_groups *g, const struct sv_key_value *kv, sv_amount spend)
{
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return SV_ESOFTWARE;
	if (!sv_amount_add(&grp->spend, spend))
		return SV_EDATA;
	grp->has_spend = true;
	return SV_OK;
}

/* The group of these keys; created empty if there is none.  NULL when out
 * of memory. */
static struct sv_group *find_or_create(struct sv_groups *g, const struct sv_key_value *kv)
{
	uint32_t h = hash_keys(g, kv);
	size_t mask = g->cap - 1, i = h & mask;
	struct sv_group *grp;
	while ((grp = g->slots[i]) && !(grp->hash == h && same_keys(g, grp->keys, kv)))
		i = (i + 1) & mask;
	if (grp)
		return grp;
	grp = create_group(g, kv, h);
	if (!grp)
		return NULL;
	g->slots[i] = grp;
	g->count++;
	g->sorted_valid = false;
	if (g->count * 4 > g->cap * 3 && !rehash(g))
		return NULL;
	return grp;
}

enum sv_status sv_groups_merge(struct sv_groups *g, const struct sv_key_value *kv, uint64_t records,
			       uint64_t valued_records, sv_amount value)
{
	struct sv_group *grp = find_or_create(g, kv);
	if (!grp)
		return SV_ESOFTWARE;
	if (valued_records) {
		if (!sv_amount_add(&grp->value, value))
			return SV_EDATA;
		grp->valued_records += valued_records;
	}
	grp->records += records;
	return SV_OK;
}

/* qsort has no context argument in C17; the sort is single-threaded. */
static const struct sv_groups *sort_ctx;

static int compare_groups(const void *pa, const void *pb)
{
	const struct sv_group *a = *(const struct sv_group *const *)pa;
	const struct sv_group *b = *(const struct sv_group *const *)pb;
	for (size_t i = 0; i < sort_ctx->n_keys; i++) {
		const struct sv_key_value *ka = &a->keys[i], *kb = &b->keys[i];
		if (sv_key_is_text(sort_ctx->keys[i].kind)) {
			size_t n = ka->len < kb->len ? ka->len : kb->len;
			int c = n ? memcmp(ka->str, kb->str, n) : 0;
			if (c)
				return c;
			if (ka->len != kb->len)
				return ka->len < kb->len ? -1 : 1;
		} else if (ka->num != kb->num)
			return ka->num < kb->num ? -1 : 1;
	}
	return 0;
}

const struct sv_group *const *sv_groups_sorted(struct sv_groups *g, size_t *count)
{
	*count = g->count;
	if (!g->sorted_valid) {
		struct sv_group **sorted = realloc(g->sorted, (g->count ? g->count : 1) * sizeof *sorted);
		if (!sorted)
			return NULL;
		g->sorted = sorted;
		size_t n = 0;
		for (size_t i = 0; i < g->cap; i++)
			if (g->slots[i])
				sorted[n++] = g->slots[i];
		sort_ctx = g;
		qsort(sorted, n, sizeof *sorted, compare_groups);
		sort_ctx = NULL;
		g->sorted_valid = true;
	}
	return (const struct sv_group *const *)g->sorted;
}
