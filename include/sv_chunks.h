/*
 * sv_chunks.h - one large regular file read on several threads, with what a
 * single thread would give, byte for byte.
 *
 * The file is cut into byte ranges of chunk_bytes; a chunk is the lines that
 * start in its range.  The first chunk, header and all, is read on the
 * calling thread; the others on worker threads, each into an accumulator of
 * its own, merged in file order with their line numbers made absolute.  A
 * chunk that ends inside a quoted record, or that the client cannot merge
 * as it is, is read again on the calling thread straight into the result,
 * on to the first line start outside a record.  What a record means is the
 * client's business: this module only schedules the reading.
 */
#ifndef SV_CHUNKS_H
#define SV_CHUNKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sv_reader.h"
#include "sv_status.h"

/* The chunk size the engine uses; the fuzz build makes it tiny so that
 * small inputs reach the merging. */
#ifndef SV_CHUNK_BYTES
#define SV_CHUNK_BYTES ((uint64_t)8 << 20)
#endif

/* Threads started at most, whatever the plan asks. */
#define SV_CHUNKS_MAX_JOBS 64

struct sv_sha256;

/*
 * What the client does with the records.  "acc" is an accumulator of one
 * chunk; the reader callbacks' ctx is an accumulator, or what direct()
 * returned.  Only open, status and the callbacks run on worker threads.
 */
struct sv_chunk_client {
	struct sv_reader_callbacks cb;
	/* A fresh accumulator; NULL when out of memory. */
	void *(*open)(void *ctx);
	/* After its chunk was read: SV_OK, or why it cannot be used. */
	enum sv_status (*status)(void *ctx, void *acc);
	/* The first chunk was read, with this delimiter: the later chunks
	 * take its header; false when the header was refused. */
	bool (*header)(void *ctx, void *first, int delimiter);
	/* False when the chunk cannot be added as it is (its total would
	 * overflow the result's): it is read again with direct(). */
	bool (*fits)(void *ctx, void *acc);
	/* Adds a chunk to the result, in file order; its lines are counted
	 * from 1 and are line_offset more in the file. */
	enum sv_status (*merge)(void *ctx, void *acc, unsigned long line_offset);
	void (*close)(void *ctx, void *acc);
	/* Records read from now on go straight into the result, their lines
	 * line_offset more; returns the callbacks' ctx.  direct_end adds what
	 * was read so. */
	void *(*direct)(void *ctx, unsigned long line_offset);
	enum sv_status (*direct_end)(void *ctx);
	/*
	 * Reads on this thread only, straight into the result: the whole file
	 * (whole_file), or from where f stands to its end, lines line_offset
	 * more.  For when chunks do not pay or cannot be had.
	 */
	enum sv_status (*read_alone)(void *ctx, struct sv_reader *r, FILE *f, bool whole_file,
				     unsigned long line_offset);
	/* Chunks up to this byte of the file are in the result (optional). */
	void (*progress)(void *ctx, uint64_t bytes);
	void *ctx;
};

struct sv_chunk_plan {
	const char *path;     /* each worker opens it again */
	const char *name;     /* for messages */
	uint64_t size;        /* bytes */
	uint64_t chunk_bytes; /* SV_CHUNK_BYTES, but for tests */
	long jobs;            /* worker threads */
	int delimiter;        /* -d, or 0 to detect */
	struct sv_sha256 *digest; /* the file is hashed alongside, or NULL */
};

/*
 * Reads the file f (open on plan->path, at its start) with reader on this
 * thread and plan->jobs workers.  Returns SV_OK, what the reader or the
 * client returned, SV_EIO on a read error, SV_ESOFTWARE when out of memory.
 */
enum sv_status sv_chunks_read(const struct sv_chunk_plan *plan, const struct sv_chunk_client *client,
			      struct sv_reader *reader, FILE *f);

#endif
