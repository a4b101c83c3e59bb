/* test_trace_limits.c - runs that forklab ends: timeout, linger, output cap, process budget,
 * CPU time. Each ends with a clear outcome, status 124, and nothing left behind. Limits are
 * short; nothing here asserts on how long anything took. */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "record.h"
#include "testutil.h"
#include "trace.h"

static struct record *run(struct trace_opts *o, char *const *argv)
{
	o->argv = argv;
	struct record *r = NULL;
	char err[512] = "";
	cr_assert_eq(trace_run(o, &r, err, sizeof(err)), 0, "trace_run failed: %s", err);
	cr_assert_eq(r->leftover, 0, "processes left behind");
	return r;
}

Test(limits, timeout_kills_and_says_so, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 1;
	struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_sleeper"), NULL });
	cr_assert_eq(r->outcome, OUT_TIMEOUT);
	cr_assert_eq(r->status, 124);
	cr_assert(r->root->killed_by_forklab);
	cr_assert_eq(r->root->exit_signal, SIGKILL);
	cr_assert(r->root->end_fds.taken, "descriptors are snapshot before the kill");
	cr_assert(strstr(r->detail, "P ("), "%s", r->detail);
	/* A sleeper stopped a handful of times: its timeout is its own. */
	cr_assert_null(strstr(r->detail, "stopped its processes"), "%s", r->detail);
	record_free(r);
}

/* A program that is slow only because every write it makes to descriptor 1 stops hears so when
 * it runs into the time limit: how many stops, and that they are what made it slow. Stdout a
 * captured pipe (two stops a write) and stdout made /dev/null (one). */
Test(limits, timeout_says_how_often_the_run_stopped, .timeout = 30)
{
	static const char *const modes[] = { "pipe", "null" };
	for (size_t i = 0; i < 2; i++) {
		struct trace_opts o;
		trace_opts_init(&o);
		o.timeout_s = 2;
		struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_bytes"),
							    (char *)modes[i], NULL });
		cr_assert_eq(r->outcome, OUT_TIMEOUT, "%s", modes[i]);
		cr_assert_geq(r->root->stops, 10000, "%s: %lu stops", modes[i], r->root->stops);
		/* The count said is the one at the timeout: the kill's stops come after it. */
		const char *said = strstr(r->detail, "forklab stopped its processes ");
		cr_assert_not_null(said, "%s: %s", modes[i], r->detail);
		unsigned long n = strtoul(said + strlen("forklab stopped its processes "), NULL, 10);
		cr_assert(n >= 10000 && n <= r->root->stops, "%s: said %lu, counted %lu", modes[i],
			  n, r->root->stops);
		cr_assert_not_null(strstr(r->detail, "write to stdout"), "%s", r->detail);
		record_free(r);
	}
}

Test(limits, linger_names_the_survivor, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.linger_s = 0.3;
	struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_sleeper"), "child", NULL });
	cr_assert_eq(r->outcome, OUT_LINGER);
	cr_assert_eq(r->status, 124);
	struct rec_proc *c = record_find(r, "P.1");
	cr_assert_not_null(c);
	cr_assert(strstr(r->detail, "linger: P.1 ("), "%s", r->detail);
	cr_assert(c->orphaned);
	cr_assert(c->killed_by_forklab);
	cr_assert_eq(c->reaped_by, REC_FORKLAB);
	cr_assert_eq(r->root->exit_code, 0);
	cr_assert_not(r->root->killed_by_forklab);
	record_free(r);
}

Test(limits, run_goes_on_after_the_root_exits, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_orphan"), "live", NULL });
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert(record_find(r, "P.1")->exited);
	cr_assert_not(record_find(r, "P.1")->killed_by_forklab);
	record_free(r);
}

Test(limits, output_cap_truncates_and_stops, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.max_output_kib = 16;
	struct record *r = run(&o, (char *const[]){ "/usr/bin/yes", NULL });
	cr_assert_eq(r->outcome, OUT_OUTPUT_LIMIT);
	cr_assert_eq(r->status, 124);
	cr_assert(r->output_truncated);
	cr_assert_eq(r->out.len, 16 * 1024);
	cr_assert_eq(memcmp(r->out.data, "y\ny\n", 4), 0);
	cr_assert(r->root->killed_by_forklab);
	record_free(r);
}

Test(limits, process_budget_fails_forks_with_eagain, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.max_procs = 3;
	struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_budget"), "5", NULL });
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 3, "three forks failed with EAGAIN (status %d)", r->status);
	cr_assert_eq(r->forks_denied, 3);
	cr_assert_eq(r->root->forks_denied, 3);
	cr_assert_eq(r->nprocs, 3);
	cr_assert_leq(r->max_alive, 3);
	record_free(r);
}

Test(limits, cpu_limit, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 8;
	o.cpu_s = 1;
	struct record *r = run(&o, (char *const[]){ "/bin/sh", "-c",
		"trap '' XCPU; while :; do :; done", NULL });
	cr_assert_eq(r->outcome, OUT_CPU_LIMIT, "outcome %s", outcome_name(r->outcome));
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(limits, bad_options_are_refused, .timeout = 30)
{
	struct trace_opts o;
	struct record *r = NULL;
	char err[256];
	trace_opts_init(&o);
	o.argv = (char *const[]){ "/bin/true", NULL };
	o.timeout_s = 0;
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), -1);
	cr_assert(strstr(err, "timeout"), "%s", err);
	trace_opts_init(&o);
	o.argv = (char *const[]){ "/bin/true", NULL };
	o.max_procs = 0;
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), -1);
	cr_assert_null(r);
}

/* However the memory is asked for - small blocks from brk, medium or large ones from mmap - the
 * allocation that fails against --mem makes the outcome mem-limit; the program sees the failure
 * and ends by itself. */
Test(limits, memory_limit_whatever_the_block_size, .timeout = 60)
{
	const char *sizes[] = { "64", "262144", "4194304", "300000000" };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		struct trace_opts o;
		trace_opts_init(&o);
		o.timeout_s = 10;
		o.mem_mib = 128;
		struct record *r = run(&o, (char *const[]){ (char *)test_prog("t_alloc"),
							   (char *)sizes[i], NULL });
		cr_assert_eq(r->outcome, OUT_MEM_LIMIT, "blocks of %s: outcome %s", sizes[i],
			     outcome_name(r->outcome));
		cr_assert_eq(r->status, 124);
		cr_assert_eq(r->root->exit_code, 3, "the program saw malloc fail");
		cr_assert_not(r->root->killed_by_forklab);
		cr_assert(strstr(r->detail, "mem-limit: P ("), "%s", r->detail);
		record_free(r);
	}
}
