/*
 * chunks.c - a large file read in chunks on worker threads.
 *
 * A chunk after the first starts its read one byte before its range and
 * skips to the first line end, so it begins at a line start; the reader
 * makes every line start outside a record a point where parsing can begin
 * afresh (even after a bad closing quote).  What it cannot see is whether
 * that line start lies inside a quoted record begun in the chunk before: the
 * chunk before knows, and says so by ending "dirty".  Such a chunk is read
 * again on the main thread past its end, and the next chunk's result is
 * kept only if it began where that read stopped.
 *
 * Workers run at most a window of chunks ahead of the merge, so memory is
 * bounded by the window, not by the file.
 */
#include "sv_chunks.h"
#include "sv_sha256.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct chunk {
	uint64_t seek;  /* where its read starts: one byte before its range */
	uint64_t begin; /* where its first line starts (absolute) */
	uint64_t limit; /* bytes from seek to the next chunk's range; 0: to the end */
	void *acc;      /* the client's accumulator */
	struct sv_chunk_end end;
	enum sv_status status;
	bool done;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct chunk *chunks;
	size_t n;
	size_t next;   /* the next chunk to hand out */
	size_t merged; /* chunks added to the result */
	size_t window; /* how far ahead of merged the workers may run */
	bool cancel;
	int delimiter; /* as found in the header */
	const struct sv_chunk_plan *plan;
	const struct sv_chunk_client *client;
	enum sv_status digest_status;
};

static void run_chunk(struct pool *p, struct sv_reader *r, FILE *f, struct chunk *c)
{
	const struct sv_chunk_client *cl = p->client;
	c->acc = cl->open(cl->ctx);
	if (!c->acc || !r || !f) {
		c->status = !r || !f ? SV_EIO : SV_ESOFTWARE;
		return;
	}
	if (fseeko(f, (off_t)c->seek, SEEK_SET) != 0) {
		c->status = SV_EIO;
		return;
	}
	c->begin = c->seek + sv_reader_open_records(r, f, p->plan->name, p->delimiter, &cl->cb, c->acc);
	sv_reader_parse_to(r, f, c->limit, false);
	c->status = sv_reader_close(r);
	sv_reader_end(r, &c->end);
	if (c->status == SV_OK)
		c->status = cl->status(cl->ctx, c->acc);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct sv_reader *r = sv_reader_new();
	FILE *f = fopen(p->plan->path, "rb");
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->cancel && p->next < p->n && p->next >= p->merged + p->window)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->cancel || p->next >= p->n) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		struct chunk *c = &p->chunks[p->next++];
		pthread_mutex_unlock(&p->lock);
		run_chunk(p, r, f, c);
		pthread_mutex_lock(&p->lock);
		c->done = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	if (f)
		fclose(f);
	sv_reader_free(r);
	return NULL;
}

/* JSON results name the file's SHA-256; a thread of its own computes it
 * while the chunks are read. */
static void *hasher(void *arg)
{
	struct pool *p = arg;
	FILE *f = fopen(p->plan->path, "rb");
	char *buf = malloc(1 << 20);
	p->digest_status = f && buf ? SV_OK : SV_EIO;
	size_t got;
	while (p->digest_status == SV_OK && (got = fread(buf, 1, 1 << 20, f)) > 0)
		sv_sha256_update(p->plan->digest, buf, got);
	if (f && ferror(f))
		p->digest_status = SV_EIO;
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

static void free_chunk(const struct pool *p, struct chunk *c)
{
	if (c->acc)
		p->client->close(p->client->ctx, c->acc);
	memset(c, 0, sizeof *c);
}

static struct chunk *wait_chunk(struct pool *p, size_t k)
{
	pthread_mutex_lock(&p->lock);
	while (!p->chunks[k].done)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return &p->chunks[k];
}

static void set_merged(struct pool *p, size_t k, bool cancel)
{
	pthread_mutex_lock(&p->lock);
	p->merged = k;
	p->cancel = p->cancel || cancel;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/*
 * A chunk that ended inside a quoted record, or that did not fit, is read
 * again here, straight into the result (so an overflow names its record),
 * on past its end to the first line start outside a record.  If a later
 * chunk began at that very line, its result is good and the merge goes on
 * with it; if it began inside the record just finished, it is read here
 * too.  Returns the first chunk not read here; *base moves past the lines
 * read.
 */
static enum sv_status reread(struct pool *p, struct sv_reader *reader, FILE *f, size_t k, unsigned long *base,
			     size_t *next)
{
	const struct sv_chunk_client *cl = p->client;
	const struct chunk *c = &p->chunks[k];
	*next = k + 1;
	if (fseeko(f, (off_t)c->seek, SEEK_SET) != 0)
		return SV_EIO;
	void *ctx = cl->direct(cl->ctx, *base - 1);
	sv_reader_open_records(reader, f, p->plan->name, p->delimiter, &cl->cb, ctx);
	size_t j = k + 1;
	enum sv_status st = SV_OK;
	for (;;) {
		uint64_t limit = j < p->n ? p->chunks[j].seek + 1 - c->seek : 0;
		st = sv_reader_parse_to(reader, f, limit, true);
		if (st != SV_OK || j >= p->n)
			break;
		uint64_t at = c->seek + sv_reader_position(reader);
		set_merged(p, j, false);
		struct chunk *cj = wait_chunk(p, j);
		if (cj->status == SV_OK && cj->begin == at)
			break;
		free_chunk(p, cj);
		j++;
	}
	enum sv_status closed = sv_reader_close(reader);
	st = st != SV_OK ? st : closed;
	struct sv_chunk_end end;
	sv_reader_end(reader, &end);
	*base += end.lines;
	*next = j;
	enum sv_status add = cl->direct_end(cl->ctx);
	return st != SV_OK ? st : add;
}

/*
 * Adds the chunks to the result in file order, each with its lines made
 * absolute, so output and messages are those of a single thread.
 */
static enum sv_status merge_chunks(struct pool *p, struct sv_reader *reader, FILE *f, unsigned long first_line)
{
	const struct sv_chunk_client *cl = p->client;
	unsigned long base = first_line;
	for (size_t k = 1; k < p->n;) {
		struct chunk *c = wait_chunk(p, k);
		if (c->status != SV_OK && c->status != SV_EDATA) {
			set_merged(p, k, true);
			return c->status;
		}
		bool clean = c->status == SV_OK && c->end.clean && cl->fits(cl->ctx, c->acc);
		if (!clean) {
			size_t next;
			enum sv_status st = reread(p, reader, f, k, &base, &next);
			free_chunk(p, c);
			if (st != SV_OK) {
				set_merged(p, next, true);
				return st;
			}
			k = next;
			set_merged(p, k, false);
			continue;
		}
		enum sv_status st = cl->merge(cl->ctx, c->acc, base - 1);
		if (st != SV_OK) {
			set_merged(p, k, true);
			return st;
		}
		base += c->end.lines;
		free_chunk(p, c);
		k++;
		set_merged(p, k, false);
		if (cl->progress)
			cl->progress(cl->ctx, k < p->n ? p->chunks[k].seek : p->chunks[k - 1].seek);
	}
	return SV_OK;
}

/* Reads the first chunk here, header and all; it is merged once the
 * workers have started (merge_first).  *alone: it could not be used, and
 * the whole file is to be read on one thread (a quoted record, perhaps the
 * header itself, crosses the first chunk's end, or the client cannot merge
 * it as it is). */
static enum sv_status read_first(struct pool *p, struct sv_reader *reader, FILE *f, unsigned long *first_line,
				 bool *alone)
{
	const struct sv_chunk_client *cl = p->client;
	struct chunk *c0 = &p->chunks[0];
	*alone = false;
	c0->acc = cl->open(cl->ctx);
	if (!c0->acc)
		return SV_ESOFTWARE;
	sv_reader_set_limit(reader, p->plan->chunk_bytes);
	enum sv_status st = sv_reader_read(reader, f, p->plan->name, p->plan->delimiter, &cl->cb, c0->acc);
	sv_reader_end(reader, &c0->end);
	sv_reader_set_limit(reader, 0);
	p->delimiter = sv_reader_delimiter(reader);
	bool header_ok = cl->header(cl->ctx, c0->acc, p->delimiter);
	if (st != SV_OK || !c0->end.clean || cl->status(cl->ctx, c0->acc) != SV_OK || !header_ok ||
	    !cl->fits(cl->ctx, c0->acc)) {
		/* a header problem was reported already */
		*alone = !c0->end.clean || st == SV_OK || (st == SV_EDATA && header_ok);
		free_chunk(p, c0);
		return st;
	}
	*first_line = 1 + c0->end.lines;
	return SV_OK;
}

/* Adds the first chunk to the result: while the workers read the next
 * ones, when there are any (its invalid records written to --rejects
 * took as long as reading it). */
static enum sv_status merge_first(struct pool *p)
{
	const struct sv_chunk_client *cl = p->client;
	enum sv_status st = cl->merge(cl->ctx, p->chunks[0].acc, 0);
	free_chunk(p, &p->chunks[0]);
	return st;
}

/* The chunks after the first, on worker threads (or here, if none starts). */
static enum sv_status read_rest(struct pool *p, struct sv_reader *reader, FILE *f, unsigned long first_line)
{
	const uint64_t size = p->plan->chunk_bytes;
	for (size_t k = 1; k < p->n; k++) {
		p->chunks[k].seek = k * size - 1;
		p->chunks[k].limit = k + 1 < p->n ? size + 1 : 0;
	}
	p->merged = 1;
	p->next = 1;
	long jobs = p->plan->jobs > 0 ? p->plan->jobs : 1;
	p->window = (size_t)jobs * 4;
	pthread_t threads[SV_CHUNKS_MAX_JOBS];
	size_t started = 0;
	for (long j = 0; j < jobs && j < SV_CHUNKS_MAX_JOBS; j++)
		if (pthread_create(&threads[started], NULL, worker, p) == 0)
			started++;
	enum sv_status st = merge_first(p);
	if (st == SV_OK && started == 0) {
		p->next = p->n; /* nobody to read them: read the rest here */
		if (fseeko(f, (off_t)p->chunks[1].seek, SEEK_SET) == 0)
			st = p->client->read_alone(p->client->ctx, reader, f, false, first_line - 1);
		else
			st = SV_EIO;
	} else if (st == SV_OK)
		st = merge_chunks(p, reader, f, first_line);
	set_merged(p, p->n, true);
	for (size_t j = 0; j < started; j++)
		pthread_join(threads[j], NULL);
	return st;
}

static enum sv_status read_chunks(struct pool *p, struct sv_reader *reader, FILE *f)
{
	p->chunks = calloc(p->n, sizeof *p->chunks);
	if (!p->chunks)
		return p->client->read_alone(p->client->ctx, reader, f, true, 0);
	unsigned long first_line = 1;
	bool alone;
	enum sv_status st = read_first(p, reader, f, &first_line, &alone);
	if (alone) {
		free(p->chunks);
		rewind(f);
		return p->client->read_alone(p->client->ctx, reader, f, true, 0);
	}
	if (st == SV_OK && p->n > 1) {
		pthread_mutex_init(&p->lock, NULL);
		pthread_cond_init(&p->cond, NULL);
		st = read_rest(p, reader, f, first_line);
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
	} else if (st == SV_OK)
		st = merge_first(p);
	for (size_t k = 0; k < p->n; k++)
		free_chunk(p, &p->chunks[k]);
	free(p->chunks);
	return st;
}

enum sv_status sv_chunks_read(const struct sv_chunk_plan *plan, const struct sv_chunk_client *client,
			      struct sv_reader *reader, FILE *f)
{
	uint64_t size = plan->chunk_bytes ? plan->chunk_bytes : SV_CHUNK_BYTES;
	struct sv_chunk_plan settled = *plan;
	settled.chunk_bytes = size;
	struct pool p = {.n = (size_t)((plan->size + size - 1) / size), .plan = &settled, .client = client};
	if (p.n == 0)
		p.n = 1;
	pthread_t hash_thread;
	bool hashing = false;
	if (plan->digest) {
		hashing = pthread_create(&hash_thread, NULL, hasher, &p) == 0;
		if (!hashing)
			hasher(&p);
	}
	enum sv_status st = read_chunks(&p, reader, f);
	if (hashing)
		pthread_join(hash_thread, NULL);
	if (plan->digest && p.digest_status != SV_OK)
		st = sv_status_worst(st, SV_EIO);
	return st;
}
