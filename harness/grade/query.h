/* query.h - questions a check asks of a record: processes by tree name, who reaped whom, what a
 * process printed, how many were alive at once. Read-only; no allocation survives a call unless
 * the comment says so. */
#ifndef FORKLAB_QUERY_H
#define FORKLAB_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include "record.h"

/* "P.2.1 (pid 4242)": a label for messages. Returns a pointer into one of 8 rotating static
 * buffers, so up to 8 labels can be used in one message. */
const char *q_label(const struct rec_proc *p);

/* Number of processes in the record; number of descendants of p (not p itself). */
size_t q_nprocs(const struct record *r);
size_t q_ndescendants(const struct rec_proc *p);

/* The lines a process wrote to stream 1 or 2, split on '\n' (a last line without '\n' counts,
 * flagged by *unterminated). Returns the number; *lines is malloc'd, free with q_lines_free(). */
size_t q_lines(const struct rec_proc *p, int stream, char ***lines, bool *unterminated);
/* The same over the whole captured stream of the run. */
size_t q_all_lines(const struct record *r, int stream, char ***lines, bool *unterminated);
void q_lines_free(char **lines, size_t n);

/* The seq of the write that completed the first line equal to `line` that p wrote on stream,
 * or 0 when p never wrote it. Lets checks order lines against forks, exits and reaps. */
unsigned long q_line_seq(const struct record *r, const struct rec_proc *p, int stream,
			 const char *line);
/* Which process wrote a line equal to `line` on stream (the first one that did), or NULL. */
struct rec_proc *q_line_writer(const struct record *r, int stream, const char *line);

/* Templates: "{P.1.1}" stands for that process's pid, "{P.1.1:ppid}" for its creator's pid (the
 * root has no creator in the record, so "{P:ppid}" never expands). A brace pair whose inside is
 * not a tree name (optionally followed by ":ppid") is copied as it is.
 * Returns a malloc'd string, or NULL when a named process does not exist. */
char *q_expand(const struct record *r, const char *tmpl);

/* Matches the run's stdout lines against templates: every template must match exactly one
 * line and no line may be left over. Order is free. A last line without '\n' does not match.
 * Returns true on a match; otherwise false and a malloc'd explanation in *why (why may be NULL):
 * 'missing "child: pid=4243 ppid=4242"; unexpected "child: pid=4242 ppid=4241"'. */
bool q_match_lines_any_order(const struct record *r, const char *const *templates, size_t n,
			     char **why);

/* Reaping and lifetimes. */
bool q_reaped_by_parent(const struct rec_proc *p);   /* reaped by its own creator */
double q_zombie_ms(const struct rec_proc *p);        /* reaped_ms - exited_ms; -1 if not both */
/* The most children of p alive (forked, not yet exited) at the same time. */
int q_max_alive_children(const struct rec_proc *p);
/* The most processes of the whole run alive at the same time. */
int q_max_alive(const struct record *r);

/* Exit status in shell terms: the code, or 128+signal; -1 if it never exited. */
int q_status(const struct rec_proc *p);
/* Signal name with "SIG" ("SIGSEGV": sigabbrev_np's name with SIG in front), or "signal 99"
 * for a number without a name. Static or rotating storage, like q_label. */
const char *q_signame(int sig);

/* The descriptor fd in a snapshot, or NULL when it is not open. */
const struct rec_fd *q_fd(const struct rec_fdset *s, int fd);
/* Open pipe ends in a snapshot; the second form does not count the fds listed in except[n]. */
size_t q_count_pipe_ends(const struct rec_fdset *s);
size_t q_count_pipe_ends_except(const struct rec_fdset *s, const int *except, size_t n);

/* The first of p's execs whose argv[0] or path is name or ends with "/name"; NULL if none. */
const struct rec_exec *q_exec_named(const struct rec_proc *p, const char *name);

/* When the run did not end by itself (a limit, a linger cut, an interruption): one sentence
 * saying so, for a verdict ("it was stopped after 5.0 s: timeout (P.2 blocked ...)").
 * NULL when the program ended on its own (exited or killed by its own signal). Rotating storage. */
const char *q_run_problem(const struct record *r);

#endif
