/*
 * sv_status.h - the outcome of every operation that can fail.
 *
 * Modules return these; only main() turns one into an exit status.  The
 * values are the sysexits.h codes SPEC.md assigns (and 69, for a library
 * loaded only when needed), so the mapping is the identity and cannot
 * drift.
 */
#ifndef SV_STATUS_H
#define SV_STATUS_H

enum sv_status {
	SV_OK = 0,
	SV_EUSAGE = 64,   /* EX_USAGE: bad command line */
	SV_EDATA = 65,    /* EX_DATAERR: invalid records or file layout */
	SV_ENOINPUT = 66, /* EX_NOINPUT: an input file cannot be opened */
	SV_EUNAVAILABLE = 69, /* EX_UNAVAILABLE: libxlsxwriter, loaded for -f xlsx, is missing */
	SV_ESOFTWARE = 70,/* EX_SOFTWARE: out of memory, internal limit */
	SV_EIO = 74,      /* EX_IOERR: read or write error */
	SV_ECONFIG = 78   /* EX_CONFIG: proxy table missing or invalid */
};

/*
 * Several problems may occur in one run; SPEC.md says the exit status is the
 * first of 74, 66, 65 that applies.  Returns the status that wins.
 */
enum sv_status sv_status_worst(enum sv_status a, enum sv_status b);

#endif
