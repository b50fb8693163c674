/*
 * hookbuf.c - a chunk's hook events, held and replayed in order.
 *
 * An event is a fixed part (struct event, copied in and out with memcpy,
 * so the buffer needs no alignment), the reason with its NUL, then each
 * field as its length and bytes.  Replayed rows point into the buffer, so
 * replaying copies nothing but the field table.
 *
 * Spilled blocks are written as their length and bytes; a block holds
 * whole events, so each is read back and replayed on its own.  An event
 * larger than the limit is a block by itself: memory then grows to that
 * one row, which the reader held anyway.
 */
#include "sv_hookbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_FIELD SIZE_MAX

enum { EV_HEADER = 1, EV_OUTCOME = 2 };

struct event {
	const char *file;
	const struct sv_measure *measure;
	const char *unit;
	sv_qty quantity;
	sv_amount value;
	unsigned long line;
	size_t n_fields;
	size_t measure_text; /* the field it is, or NO_FIELD */
	size_t reason_len;   /* bytes after the event, NUL included; 0: no reason */
	int delimiter;
	int status;
	unsigned char kind;
	bool unterminated, bad_closing_quote, has_quantity;
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
}

bool sv_hookbuf_failed(const struct sv_hookbuf *b)
{
	return b->failed;
}

/* Writes the block filled so far to the temporary file, made when first
 * needed, and empties it. */
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
	return true;
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
	if (!b->data && b->pool)
		pool_take(b);
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

static void put(struct sv_hookbuf *b, const void *p, size_t n)
{
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

static bool hold(struct sv_hookbuf *b, struct event *e, const struct sv_row *row, const char *reason)
{
	if (b->failed)
		return false;
	e->line = row->line;
	e->n_fields = row->n_fields;
	e->delimiter = row->delimiter;
	e->unterminated = row->unterminated;
	e->bad_closing_quote = row->bad_closing_quote;
	e->reason_len = reason ? strlen(reason) + 1 : 0;
	size_t n = sizeof *e + e->reason_len;
	for (size_t i = 0; i < row->n_fields; i++)
		n += sizeof row->fields[i].len + row->fields[i].len;
	if (!reserve(b, n)) {
		b->failed = true;
		return false;
	}
	put(b, e, sizeof *e);
	if (reason)
		put(b, reason, e->reason_len);
	for (size_t i = 0; i < row->n_fields; i++) {
		put(b, &row->fields[i].len, sizeof row->fields[i].len);
		put(b, row->fields[i].ptr, row->fields[i].len);
	}
	return true;
}

bool sv_hookbuf_header(struct sv_hookbuf *b, const char *file, const struct sv_row *row)
{
	struct event e;
	/* zeroed, padding too: a spilled block is written as it is */
	memset(&e, 0, sizeof e);
	e.kind = EV_HEADER;
	e.file = file;
	e.measure_text = NO_FIELD;
	return hold(b, &e, row, NULL);
}

bool sv_hookbuf_outcome(struct sv_hookbuf *b, const struct sv_outcome *out)
{
	struct event e;
	memset(&e, 0, sizeof e);
	e.kind = EV_OUTCOME;
	e.file = out->file;
	e.status = (int)out->status;
	e.measure = out->measure;
	e.has_quantity = out->has_quantity;
	e.unit = out->unit;
	e.quantity = out->quantity;
	e.value = out->value;
	const struct sv_row *row = out->row;
	e.measure_text = NO_FIELD;
	if (out->measure_text && out->measure_text >= row->fields && out->measure_text < row->fields + row->n_fields)
		e.measure_text = (size_t)(out->measure_text - row->fields);
	return hold(b, &e, row, out->reason);
}

/* Replays the events of data[0..len). */
static bool replay_block(struct sv_hookbuf *b, const char *data, size_t len, const struct sv_run_hooks *h,
			 unsigned long line_offset)
{
	size_t o = 0;
	while (o < len) {
		struct event e;
		if (len - o < sizeof e)
			return false;
		memcpy(&e, data + o, sizeof e);
		o += sizeof e;
		if (len - o < e.reason_len)
			return false;
		const char *reason = e.reason_len ? data + o : NULL;
		o += e.reason_len;
		if (e.n_fields > b->fields_cap) {
			struct sv_field *grown = realloc(b->fields, e.n_fields * sizeof *grown);
			if (!grown)
				return false;
			b->fields = grown;
			b->fields_cap = e.n_fields;
		}
		for (size_t i = 0; i < e.n_fields; i++) {
			size_t n;
			if (len - o < sizeof n)
				return false;
			memcpy(&n, data + o, sizeof n);
			o += sizeof n;
			if (len - o < n)
				return false;
			b->fields[i] = (struct sv_field){data + o, n};
			o += n;
		}
		struct sv_row row = {.fields = b->fields, .n_fields = e.n_fields, .line = e.line + line_offset,
				     .unterminated = e.unterminated, .bad_closing_quote = e.bad_closing_quote,
				     .delimiter = e.delimiter};
		if (e.kind == EV_HEADER) {
			if (h->header)
				h->header(h->ctx, e.file, &row);
			continue;
		}
		struct sv_outcome out = {.file = e.file, .row = &row, .status = (enum sv_outcome_status)e.status,
					 .measure_text = e.measure_text < e.n_fields ? &b->fields[e.measure_text] : NULL,
					 .measure = e.measure, .has_quantity = e.has_quantity, .unit = e.unit,
					 .quantity = e.quantity, .value = e.value, .keys = NULL, .reason = reason};
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
