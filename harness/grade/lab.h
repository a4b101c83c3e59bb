/* lab.h - what a lab is to the grader: its program, the scenarios it is run in, and its checks.
 * Each lab's definition lives in harness/checks/labNN.c (out of the students' reach) and is listed
 * in labs_all[] (harness/checks/labs.c). */
#ifndef FORKLAB_LAB_H
#define FORKLAB_LAB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "record.h"
#include "trace.h"

/* One traced run of the lab's program. */
struct scenario {
	const char *id;                /* unique within the lab: "default", "3x1", "seq" */
	const char *const *args;       /* arguments after the program name; NULL-terminated */
	const char *stdin_text;        /* NULL: stdin is /dev/null */
	double timeout_s;              /* 0: 5 seconds */
	int max_procs;                 /* 0: the tracer's default (64) */
	const char *const *helpers;    /* grader helper programs (harness/helpers/NAME.c) staged in
	                                  the scratch dir's bin/, which is first on PATH; or NULL */
	const char *const *files;      /* files created in the scratch dir before the run, each
	                                  "NAME=CONTENT" (mode 0644) or "NAME=CONTENT:MODE": the
	                                  entry ends in ':' and 3 or 4 octal digits, which are then
	                                  the mode, not content (write "x:644:0644" for the content
	                                  "x:644"). NAME is relative, without "..". NULL-terminated */
	bool snap_fds;                 /* descriptor snapshots at fork and reap */
	bool collect_files;            /* keep the files the program left (record->files) */
	bool stdout_pty;               /* stdout is a pseudo-terminal instead of a pipe (lab 11) */
	bool mem_at_exit;              /* read every process's memory at its exit (labs 12, 13);
	                                  without it only processes with a mapping of 1 MiB or
	                                  more have rec_proc.private_dirty_kib and minflt */
	double hold_children_ms;       /* each new process waits at its start until its parent has
	                                  died, or this long (trace_opts.hold_children_ms): a race
	                                  with the parent's end is then lost every time (lab 10) */
	double merge_sigchld_ms;       /* each process's first SIGCHLD waits until another of its
	                                  children has ended, or this long, so that the two come as
	                                  one signal (trace_opts.merge_sigchld_ms; lab 09) */
	trace_driver_fn driver;        /* talks to the program while it runs (lab 08), or NULL.
	                                  Its arg is this scenario's struct run *: it may leave a
	                                  malloc'd block in run->driver_data for the checks. */
};

/* What a scenario produced. */
struct run {
	const struct scenario *sc;
	struct record *rec;            /* the run's record; grade_lab() fails rather than leave
	                                  it NULL (a run forklab could not start is forklab's
	                                  failure, never a verdict) */
	char *error;                   /* why rec is NULL, in results built by other means */
	void *driver_data;             /* what the driver left for the checks (its own struct, one
	                                  malloc'd block: lab_result_free() free()s it) */
};

struct check_ctx;
enum { CHECK_PASS = 0, CHECK_FAIL = 1 };
typedef int (*check_fn)(struct check_ctx *c);

struct check {
	const char *id;        /* unique within the lab, e.g. "one-fork" */
	int points;
	const char *title;     /* what it demands, in a few words */
	check_fn fn;
	const char *section;   /* the handout section that explains it, e.g. "Reaping" */
};

struct lab {
	int number;
	const char *name;              /* "04-process-tree" */
	const char *title;             /* "A tree of processes" */
	const char *program;           /* the executable's name, e.g. "tree" */
	const char *const *sources;    /* .c files in the lab directory; NULL-terminated */
	const struct scenario *scenarios;
	size_t nscenarios;
	const struct check *checks;
	size_t nchecks;
	const char *const *hints;      /* for `forklab hint`: at least 3, from the idea to the
	                                  detail, never the solution; NULL-terminated */
	const unsigned char *hidden;   /* nchecks flags, or NULL: the checks an assignment file
	                                  hides until the deadline (assignment.h) */
	const char *const *zombie_checks; /* the ids of the checks about zombie or reaping time,
	                                  NULL-terminated, or NULL: when one fails, its verdict ends
	                                  with the `forklab run --zombies` command that shows every
	                                  zombie time of the run it judged (its arguments, stdin,
	                                  timeout, scheduling options and helpers; none for a
	                                  scenario with staged files) */
	const char *zombie_run_note;   /* said under that command when the run needs more than it
	                                  to show what was judged (lab 08: the clients), or NULL */
};

extern const struct lab *const labs_all[];   /* NULL-terminated, in lab order */

/* What a check function gets. */
struct check_ctx {
	const struct lab *lab;
	const struct check *check;
	struct run *runs;              /* one per scenario, same order */
	size_t nruns;
	char *message;                 /* set by check_fail() */
	unsigned char *runs_used;      /* nruns flags: the scenarios the check asked for */
	bool run_failed;               /* a scenario it asked for did not run */
};

/* The record of scenario id. When there is none (no such scenario, or no record), the check
 * fails by itself with the reason: a check function treats NULL as "already failed" and returns
 * CHECK_FAIL. A record whose run hit a limit is still returned (see q_run_problem()). */
struct record *check_run(struct check_ctx *c, const char *scenario_id);
struct run *check_run_full(struct check_ctx *c, const char *scenario_id);

/* Records the verdict (printf-style; " (README: <section>)" is appended from check->section)
 * and returns CHECK_FAIL. The first call wins. A check that returns CHECK_FAIL without a
 * verdict, or CHECK_PASS after one, is failed by the grader. */
int check_fail(struct check_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, pointing at another section of the handout than the check's own: the one that
 * explains this particular mistake (NULL: the check's). */
int check_fail_in(struct check_ctx *c, const char *section, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
