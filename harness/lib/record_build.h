/* record_build.h - building a record (record.h) while a run is traced: new processes with their
 * tree names, execs, writes, descriptor snapshots. Used by the tracer and by tests that build
 * records by hand. Every function returns -1 / NULL when memory runs out, never exits. */
#ifndef FORKLAB_RECORD_BUILD_H
#define FORKLAB_RECORD_BUILD_H

#include <stdarg.h>
#include "record.h"

struct record *record_new(void);

/* Adds a process created by parent (NULL for the root), names it (P, P.1, P.1.2) by its place
 * among parent's children, and appends it to r->procs. */
struct rec_proc *record_add_proc(struct record *r, struct rec_proc *parent, pid_t pid,
				 double ms, unsigned long seq);

/* Appends an exec (takes ownership of path, argv and fds). */
struct rec_exec *record_add_exec(struct rec_proc *p, double ms, unsigned long seq, char *path,
				 char **argv, int argc, struct rec_fdset *fds);

/* Appends len bytes written by p on stream (1 or 2) to p->out / p->err and lists the write. */
int record_add_write(struct record *r, struct rec_proc *p, int stream, const void *data,
		     size_t len, double ms, unsigned long seq);

int record_add_thread(struct rec_proc *p, double ms);

int rec_buf_append(struct rec_buf *b, const void *data, size_t len);
void rec_buf_free(struct rec_buf *b);
void rec_fdset_free(struct rec_fdset *s);

/* Sets r->detail (replacing it) from a printf format. */
void record_set_detail(struct record *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void record_vset_detail(struct record *r, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The word used for a descriptor kind / pipe end in JSON and trees ("pipe", "write"). */
const char *rec_fd_kind_name(char kind);
const char *rec_fd_end_name(char end);

/* "SIGSEGV", or "signal 99" for a number without a name, in buf. */
const char *rec_signal_name(int sig, char *buf, size_t len);

/* Exit status in shell terms for a process: code, or 128+signal; -1 if it never exited. */
int rec_proc_status(const struct rec_proc *p);

#endif
