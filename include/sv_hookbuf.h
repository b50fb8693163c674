/*
 * sv_hookbuf.h - the run hooks' events of one chunk, held until the chunks
 * before it are merged, then replayed in file order.
 *
 * A chunk read on a worker thread may not call the run hooks (--rejects,
 * a workbook's Invalid sheet) as its records come: the chunks before it
 * may not be in yet, and the hooks are not thread-safe.  So the worker
 * copies each event here (a header row; an outcome with its row and
 * reason), and the merge replays them, lines made absolute, exactly as
 * one thread would have called the hooks.
 *
 * Memory stays bounded whatever the chunk holds: past `limit` bytes the
 * events go on, in blocks of whole events, to a temporary file, and are
 * read back a block at a time.
 */
#ifndef SV_HOOKBUF_H
#define SV_HOOKBUF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sv_engine.h"
#include "sv_reader.h"

/*
 * Memory freed buffers give back for the next ones to take, on any thread.
 * A chunk after another holds about as much: taken again, the memory is
 * written to as it is; taken fresh from the system, each of its pages
 * costs a page fault when first written, which on a file of 10% invalid
 * records cost more than holding the events did.  It keeps no more than
 * the buffers alive at once held.
 */
struct sv_hookbuf_block {
	char *data;
	size_t cap;
};

struct sv_hookbuf_pool {
	pthread_mutex_t lock;
	struct sv_hookbuf_block *blocks;
	size_t n, cap;
};

void sv_hookbuf_pool_init(struct sv_hookbuf_pool *p);
/* Frees the memory given back; the buffers that took from it must be
 * freed first. */
void sv_hookbuf_pool_free(struct sv_hookbuf_pool *p);

struct sv_hookbuf {
	char *data;      /* the block being filled, or read back */
	size_t len, cap;
	size_t limit;    /* bytes a block may hold before it is spilled */
	struct sv_hookbuf_pool *pool; /* where data comes from and goes back to; NULL: malloc */
	FILE *spill;     /* the blocks spilled so far; NULL: none */
	/* the block's last event's file, and where its last reason is
	 * (SIZE_MAX: none): an event with the same leaves them out */
	const char *last_file;
	size_t last_reason, last_reason_len;
	struct sv_field *fields; /* a replayed row's fields */
	size_t fields_cap;
	bool failed;     /* out of memory, or the temporary file failed */
};

/* An empty buffer that spills past limit bytes (0: never), its memory from
 * pool when not NULL. */
void sv_hookbuf_init(struct sv_hookbuf *b, size_t limit, struct sv_hookbuf_pool *pool);

/*
 * Hold a header row, or an outcome, of file.  The row's fields and the
 * reason are copied; the file name, the measure and the unit name are
 * kept as pointers, so they must outlive the buffer (they belong to the
 * run and its table).  An outcome's keys are not kept: hold only
 * outcomes without them (invalid, ignored).  False when the event could
 * not be held (then sv_hookbuf_failed says so from now on).
 */
bool sv_hookbuf_header(struct sv_hookbuf *b, const char *file, const struct sv_row *row);
bool sv_hookbuf_outcome(struct sv_hookbuf *b, const struct sv_outcome *outcome);

/* Whether an event could not be held: the events are incomplete. */
bool sv_hookbuf_failed(const struct sv_hookbuf *b);

/*
 * Calls h's header and outcome hooks with every event held, in the order
 * they were held, each row's line line_offset more.  Pointers passed are
 * valid only during the call.  False when the buffer failed or could not
 * be read back (the hooks may have seen some of the events).
 */
bool sv_hookbuf_replay(struct sv_hookbuf *b, const struct sv_run_hooks *h, unsigned long line_offset);

/* Releases the buffer (its memory back to its pool); it may be
 * initialised again. */
void sv_hookbuf_free(struct sv_hookbuf *b);

#endif
