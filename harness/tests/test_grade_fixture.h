/* test_grade_fixture.h - records and result trees built by hand for the grader's unit tests:
 * every event gets the next seq and a time 1 ms after the previous one. */
#ifndef FORKLAB_TEST_GRADE_FIXTURE_H
#define FORKLAB_TEST_GRADE_FIXTURE_H

#include "grade.h"
#include "record.h"

struct fx {
	struct record *r;
	unsigned long seq;
	double ms;
};

/* A new empty record (outcome exited) with its root process of pid root_pid. */
struct rec_proc *fx_new(struct fx *f, pid_t root_pid);
struct rec_proc *fx_fork(struct fx *f, struct rec_proc *parent, pid_t pid);
/* p writes s on stream 1 or 2 (appended to the run's captured stream too). */
void fx_write(struct fx *f, struct rec_proc *p, int stream, const char *s);
void fx_exit(struct fx *f, struct rec_proc *p, int code, int sig);
/* reaper NULL: forklab reaped it (an adopted orphan). */
void fx_reap(struct fx *f, struct rec_proc *p, struct rec_proc *reaper);
/* Adds descriptor fd to a snapshot (kept sorted by the caller: add in fd order). */
void fx_fd(struct rec_fdset *s, int fd, const char *target, char kind, char end,
	   unsigned long inode);
void fx_exec(struct fx *f, struct rec_proc *p, const char *path, const char *arg1);

/* The fixed result tree of the reporter goldens: two labs, one of them not built. Free with
 * fx_results_free(). */
struct lab_result *fx_results(size_t *n);
void fx_results_free(struct lab_result *labs, size_t n);

#endif
