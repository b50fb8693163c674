/*
 * hookbuf.c - a chunk's hook events, held and replayed in order.
 *
 * An event is a fixed part (struct event, copied in and out with memcpy,
 * so the buffer needs no alignment); the pointers and amounts it has, as
 * its flags say; each field's length as a uint32_t (a field holds at most
 * SV_FIELD_MAX bytes); the fields' bytes, as the one span they are when a
 * byte separates each two (a plain line's, delimiters and all); the reason
 * with its NUL.  The file and the reason are left out when they are the
 * event before's in the block: a chunk of an export with every tenth
 * quantity "x" holds a hundred bytes a record, not three hundred.  The
 * bytes written and read again are what a --rejects run spends its time
 * on, more than on the instructions.  Replayed rows point into the buffer,
 * so replaying copies nothing but the field table.
 *
 * Spilled blocks are written as their length and bytes; a block holds
 * whole events, each of its file and reason in it, so each is read back
 * and replayed on its own.  An event larger than the limit is a block by
 * itself: memory then grows to that one row, which the reader held anyway.
 */
/* madvise, where there is one */
#define _DEFAULT_SOURCE

#include "sv_hookbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NO_FIELD UINT32_MAX

enum { EV_HEADER = 1, EV_OUTCOME = 2 };

/* What an event has: row flags, and which parts follow its fixed part. */
enum {
	EV_UNTERMINATED = 1 << 0,
	EV_BAD_QUOTE = 1 << 1,
	EV_PLAIN = 1 << 2,
	EV_HAS_QUANTITY = 1 << 3,
	EV_FILE = 1 << 4,        /* else the event before's */
	EV_MEASURE = 1 << 5,
	EV_UNIT = 1 << 6,
	EV_QUANTITY = 1 << 7,    /* a quantity not 0 */
	EV_VALUE = 1 << 8,       /* a value not 0 */
	EV_REASON = 1 << 9,      /* reason_len bytes of it follow */
	EV_SAME_REASON = 1 << 10, /* the event before's */
	EV_SPAN = 1 << 11         /* the fields are one span, a byte between each two */
};

struct event {
	uint64_t line;
	uint32_t n_fields;
	uint32_t measure_text; /* the field it is, or NO_FIELD */
	uint32_t reason_len;   /* NUL included */
	int32_t delimiter;
	uint16_t flags;
	uint8_t kind, status;
};

void sv_hookbuf_pool_init(struct sv_hookbuf_pool *p)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
}

void sv_hookbuf_pool_free(struct sv_hookbuf_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->blocks[i].data);
	free(p->blocks);
	pthread_mutex_destroy(&p->lock);
}

/* The largest block given back, if any. */
static void pool_take(struct sv_hookbuf *b)
{
	struct sv_hookbuf_pool *p = b->pool;
	pthread_mutex_lock(&p->lock);
	if (p->n) {
		size_t best = 0;
		for (size_t i = 1; i < p->n; i++)
			if (p->blocks[i].cap > p->blocks[best].cap)
				best = i;
		b->data = p->blocks[best].data;
		b->cap = p->blocks[best].cap;
		p->blocks[best] = p->blocks[--p->n];
	}
	pthread_mutex_unlock(&p->lock);
}

/* The block back to the pool; freed when the pool cannot take it. */
static void pool_give(struct sv_hookbuf *b)
{
	struct sv_hookbuf_pool *p = b->pool;
	pthread_mutex_lock(&p->lock);
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 8;
		struct sv_hookbuf_block *grown = realloc(p->blocks, cap * sizeof *grown);
		if (grown) {
			p->blocks = grown;
			p->cap = cap;
		}
	}
	if (p->n < p->cap) {
		p->blocks[p->n++] = (struct sv_hookbuf_block){b->data, b->cap};
		b->data = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	free(b->data);
}

void sv_hookbuf_init(struct sv_hookbuf *b, size_t limit, struct sv_hookbuf_pool *pool)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
	b->pool = pool;
	b->last_reason = SIZE_MAX;
}

bool sv_hookbuf_failed(const struct sv_hookbuf *b)
{
	return b->failed;
}

/* Writes the block filled so far to the temporary file, made when first
 * needed, and empties it: the next event starts a block of its own. */
static bool spill(struct sv_hookbuf *b)
{
	if (b->len == 0)
		return true;
	if (!b->spill && !(b->spill = tmpfile()))
		return false;
	uint64_t n = b->len;
	if (fwrite(&n, sizeof n, 1, b->spill) != 1 || fwrite(b->data, 1, b->len, b->spill) != b->len)
		return false;
	b->len = 0;
	b->last_file = NULL;
	b->last_reason = SIZE_MAX;
	return true;
}

/*
 * A pool's new block, of at least need bytes.  Its memory is first written
 * in huge pages where the system has them: a run that holds a few chunks'
 * invalid records at once writes fresh memory for each block, and a page
 * fault per 4 KiB page cost 14 us here (a virtual machine), 2 ms a block.
 * Where there are none, the block is malloc's, grown as the pool's are.
 */
static bool new_block(struct sv_hookbuf *b, size_t need)
{
#ifdef MADV_HUGEPAGE
	const size_t huge = (size_t)2 << 20;
	size_t cap = need > b->limit ? need : b->limit;
	void *p;
	if (cap <= SIZE_MAX - huge && posix_memalign(&p, huge, (cap + huge - 1) / huge * huge) == 0) {
		cap = (cap + huge - 1) / huge * huge;
		(void)madvise(p, cap, MADV_HUGEPAGE);
		b->data = p;
		b->cap = cap;
		return true;
	}
#endif
	(void)b;
	(void)need;
	return false;
}

/* Room for an event of n bytes: the block is spilled first when the event
 * would take it past the limit. */
static bool reserve(struct sv_hookbuf *b, size_t n)
{
	if (b->limit && b->len && b->len + n > b->limit && !spill(b))
		return false;
	if (n > SIZE_MAX - b->len)
		return false;
	size_t need = b->len + n;
	if (!b->data && b->pool) {
		pool_take(b);
		if (!b->data && b->limit)
			new_block(b, need);
	}
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *grown = realloc(b->data, cap);
	if (!grown)
		return false;
	b->data = grown;
	b->cap = cap;
	return true;
}

/* What an event holds besides its row, reason and fixed part. */
struct parts {
	const char *file;
	const struct sv_measure *measure;
	const char *unit;
	sv_qty quantity;
	sv_amount value;
};

/* The parts' bytes an event with these flags holds. */
static size_t parts_size(unsigned flags)
{
	return (flags & EV_FILE ? sizeof(const char *) : 0) + (flags & EV_MEASURE ? sizeof(void *) : 0) +
	       (flags & EV_UNIT ? sizeof(const char *) : 0) + (flags & EV_QUANTITY ? sizeof(sv_qty) : 0) +
	       (flags & EV_VALUE ? sizeof(sv_amount) : 0);
}

/* n bytes at d; the byte after them. */
static inline char *put(char *d, const void *p, size_t n)
{
	if (n) /* an empty field may have no bytes to point to */
		memcpy(d, p, n);
	return d + n;
}

static char *put_parts(char *d, unsigned flags, const struct parts *p)
{
	if (flags & EV_FILE)
		d = put(d, &p->file, sizeof p->file);
	if (flags & EV_MEASURE)
		d = put(d, &p->measure, sizeof p->measure);
	if (flags & EV_UNIT)
		d = put(d, &p->unit, sizeof p->unit);
	if (flags & EV_QUANTITY)
		d = put(d, &p->quantity, sizeof p->quantity);
	if (flags & EV_VALUE)
		d = put(d, &p->value, sizeof p->value);
	return d;
}

/* The flags of what a row holds, and of the parts that are not 0. */
static unsigned row_flags(const struct sv_row *row, const struct parts *p)
{
	return (row->unterminated ? EV_UNTERMINATED : 0u) | (row->bad_closing_quote ? EV_BAD_QUOTE : 0u) |
	       (row->plain ? EV_PLAIN : 0u) | (p->measure ? EV_MEASURE : 0u) | (p->unit ? EV_UNIT : 0u) |
	       (p->quantity ? EV_QUANTITY : 0u) | (p->value ? EV_VALUE : 0u);
}

/*
 * The row's field bytes and whether each field starts a byte after the one
 * before ends, as a plain line's untrimmed fields do around their
 * delimiters: the fields are then held as that one span, written and read
 * in one piece.  Both in one pass over the fields.
 */
static size_t field_bytes(const struct sv_row *row, bool *span)
{
	const struct sv_field *f = row->fields;
	size_t n = row->n_fields, bytes = n ? f[0].len : 0;
	bool one = n > 0;
	for (size_t i = 1; i < n; i++) {
		bytes += f[i].len;
		one = one && f[i].ptr == f[i - 1].ptr + f[i - 1].len + 1;
	}
	*span = one;
	return bytes;
}

static bool hold(struct sv_hookbuf *b, struct event *e, const struct sv_row *row, const struct parts *p,
		 const char *reason, size_t reason_len)
{
	if (b->failed)
		return false;
	bool span;
	size_t n = row->n_fields, bytes = field_bytes(row, &span);
	unsigned flags = e->flags | row_flags(row, p) | (span ? EV_SPAN : 0u);
	if (reason)
		reason_len++; /* its NUL */
	/* room for the most it may take: a spill starts a block, which holds
	 * its own file and reason; a span's separators are a byte each */
	if (!reserve(b, sizeof *e + parts_size(flags | EV_FILE) + n * (sizeof(uint32_t) + 1) + bytes + reason_len)) {
		b->failed = true;
		return false;
	}
	if (p->file != b->last_file)
		flags |= EV_FILE;
	if (reason && b->last_reason != SIZE_MAX && b->last_reason_len == reason_len &&
	    memcmp(b->data + b->last_reason, reason, reason_len) == 0)
		flags |= EV_SAME_REASON;
	else if (reason)
		flags |= EV_REASON;
	e->line = row->line;
	e->n_fields = (uint32_t)n;
	e->delimiter = row->delimiter;
	e->reason_len = flags & EV_REASON ? (uint32_t)reason_len : 0;
	e->flags = (uint16_t)flags;
	char *d = put(b->data + b->len, e, sizeof *e);
	d = put_parts(d, flags, p);
	for (size_t i = 0; i < n; i++) {
		uint32_t len = (uint32_t)row->fields[i].len;
		d = put(d, &len, sizeof len);
	}
	if (span)
		d = put(d, row->fields[0].ptr, (size_t)(row->fields[n - 1].ptr + row->fields[n - 1].len - row->fields[0].ptr));
	else
		for (size_t i = 0; i < n; i++)
			d = put(d, row->fields[i].ptr, row->fields[i].len);
	b->last_file = p->file;
	if (flags & EV_REASON) {
		b->last_reason = (size_t)(d - b->data);
		b->last_reason_len = reason_len;
		d = put(d, reason, reason_len);
	}
	b->len = (size_t)(d - b->data);
	return true;
}

bool sv_hookbuf_header(struct sv_hookbuf *b, const char *file, const struct sv_row *row)
{
	struct event e;
	/* zeroed, padding too: a spilled block is written as it is */
	memset(&e, 0, sizeof e);
	e.kind = EV_HEADER;
	e.measure_text = NO_FIELD;
	const struct parts p = {.file = file};
	return hold(b, &e, row, &p, NULL, 0);
}

bool sv_hookbuf_outcome(struct sv_hookbuf *b, const struct sv_outcome *out)
{
	struct event e;
	memset(&e, 0, sizeof e);
	e.kind = EV_OUTCOME;
	e.status = (uint8_t)out->status;
	e.flags = out->has_quantity ? EV_HAS_QUANTITY : 0;
	const struct sv_row *row = out->row;
	e.measure_text = NO_FIELD;
	if (out->measure_text && out->measure_text >= row->fields && out->measure_text < row->fields + row->n_fields)
		e.measure_text = (uint32_t)(out->measure_text - row->fields);
	const struct parts p = {out->file, out->measure, out->unit, out->quantity, out->value};
	return hold(b, &e, row, &p, out->reason, sv_outcome_reason_len(out));
}

/* Takes n bytes at data[*o] into dst, when there are n bytes before len. */
static bool take(void *dst, const char *data, size_t len, size_t *o, size_t n)
{
	if (len - *o < n)
		return false;
	memcpy(dst, data + *o, n);
	*o += n;
	return true;
}

/* The parts an event's flags say it holds; the file is the one before's
 * when it holds none. */
static bool take_parts(const char *data, size_t len, size_t *o, unsigned flags, struct parts *p)
{
	const char *file = p->file;
	memset(p, 0, sizeof *p);
	p->file = file;
	return (!(flags & EV_FILE) || take(&p->file, data, len, o, sizeof p->file)) &&
	       (!(flags & EV_MEASURE) || take(&p->measure, data, len, o, sizeof p->measure)) &&
	       (!(flags & EV_UNIT) || take(&p->unit, data, len, o, sizeof p->unit)) &&
	       (!(flags & EV_QUANTITY) || take(&p->quantity, data, len, o, sizeof p->quantity)) &&
	       (!(flags & EV_VALUE) || take(&p->value, data, len, o, sizeof p->value));
}

/* The fields of an event of n fields, pointing into data; a span has a
 * byte between each two. */
static bool take_fields(struct sv_hookbuf *b, const char *data, size_t len, size_t *o, size_t n, bool span)
{
	if (n > b->fields_cap) {
		struct sv_field *grown = realloc(b->fields, n * sizeof *grown);
		if (!grown)
			return false;
		b->fields = grown;
		b->fields_cap = n;
	}
	if ((len - *o) / sizeof(uint32_t) < n)
		return false;
	const char *lengths = data + *o;
	struct sv_field *f = b->fields;
	size_t at = *o + n * sizeof(uint32_t);
	for (size_t i = 0; i < n; i++) {
		uint32_t k;
		memcpy(&k, lengths + i * sizeof k, sizeof k);
		if (len - at < k)
			return false;
		f[i] = (struct sv_field){data + at, k};
		at += k;
		if (span && i + 1 < n) {
			if (at == len)
				return false;
			at++;
		}
	}
	*o = at;
	return true;
}

/* Replays the events of data[0..len). */
static bool replay_block(struct sv_hookbuf *b, const char *data, size_t len, const struct sv_run_hooks *h,
			 unsigned long line_offset)
{
	size_t o = 0;
	struct parts p = {0};
	const char *reason = NULL;
	size_t reason_len = 0;
	while (o < len) {
		struct event e;
		if (!take(&e, data, len, &o, sizeof e) || !take_parts(data, len, &o, e.flags, &p) ||
		    !take_fields(b, data, len, &o, e.n_fields, e.flags & EV_SPAN))
			return false;
		if (e.flags & EV_REASON) {
			if (len - o < e.reason_len || e.reason_len == 0 || data[o + e.reason_len - 1] != '\0')
				return false;
			reason = data + o;
			reason_len = e.reason_len - 1;
			o += e.reason_len;
		} else if ((e.flags & EV_SAME_REASON) && !reason)
			return false;
		struct sv_row row = {.fields = b->fields, .n_fields = e.n_fields, .line = e.line + line_offset,
				     .unterminated = e.flags & EV_UNTERMINATED, .bad_closing_quote = e.flags & EV_BAD_QUOTE,
				     .delimiter = e.delimiter, .plain = e.flags & EV_PLAIN};
		if (e.kind == EV_HEADER) {
			if (h->header)
				h->header(h->ctx, p.file, &row);
			continue;
		}
		struct sv_outcome out = {.file = p.file, .row = &row, .status = (enum sv_outcome_status)e.status,
					 .measure_text = e.measure_text < e.n_fields ? &b->fields[e.measure_text] : NULL,
					 .measure = p.measure, .has_quantity = e.flags & EV_HAS_QUANTITY, .unit = p.unit,
					 .quantity = p.quantity, .value = p.value, .keys = NULL,
					 .reason = e.flags & (EV_REASON | EV_SAME_REASON) ? reason : NULL,
					 .reason_len = e.flags & (EV_REASON | EV_SAME_REASON) ? reason_len : 0};
		if (h->outcome)
			h->outcome(h->ctx, &out);
	}
	return true;
}

bool sv_hookbuf_replay(struct sv_hookbuf *b, const struct sv_run_hooks *h, unsigned long line_offset)
{
	if (b->failed)
		return false;
	if (!b->spill)
		return replay_block(b, b->data, b->len, h, line_offset);
	/* the block still in memory goes after the spilled ones */
	if (!spill(b) || fflush(b->spill) != 0 || fseek(b->spill, 0, SEEK_SET) != 0)
		return false;
	uint64_t n;
	while (fread(&n, sizeof n, 1, b->spill) == 1) {
		if (!reserve(b, (size_t)n) || fread(b->data, 1, (size_t)n, b->spill) != n)
			return false;
		if (!replay_block(b, b->data, (size_t)n, h, line_offset))
			return false;
	}
	return !ferror(b->spill);
}

void sv_hookbuf_free(struct sv_hookbuf *b)
{
	if (b->data && b->pool)
		pool_give(b);
	else
		free(b->data);
	free(b->fields);
	if (b->spill)
		fclose(b->spill);
	sv_hookbuf_init(b, b->limit, b->pool);
}
