/* lab13.c - lab 13-gc-cow: workers forked from a parent that built a 32 MiB heap each run a mark
 * pass. Judged on each worker's private dirty memory as the tracer read it at the worker's exit:
 * marks in the objects' headers copy the heap, marks in a bitmap of its own leave it shared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

#define HEAP_KIB (32L * 1024)

static const char *const args_header[] = { "2", "header", NULL };
static const char *const args_bitmap[] = { "3", "bitmap", NULL };
static const char *const args_zero[] = { "0", "header", NULL };
static const char *const args_nine[] = { "9", "bitmap", NULL };
static const char *const args_mode[] = { "2", "mark", NULL };
static const char *const args_one[] = { "2", NULL };
static const char *const args_word[] = { "2x", "header", NULL };
static const char *const args_extra[] = { "2", "bitmap", "x", NULL };

static const struct scenario scenarios[] = {
	{ .id = "2-header", .args = args_header, .timeout_s = 20, .max_procs = 24,
	  .mem_at_exit = true },
	{ .id = "3-bitmap", .args = args_bitmap, .timeout_s = 20, .max_procs = 24,
	  .mem_at_exit = true },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-nine", .args = args_nine, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-mode", .args = args_mode, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-one", .args = args_one, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-extra", .args = args_extra, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *shown; int workers; } sized[] = {
	{ "2-header", "\"prefork_gc 2 header\"", 2 },
	{ "3-bitmap", "\"prefork_gc 3 bitmap\"", 3 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* The figure worker p printed for itself as worker i, or -1 when it printed no such line. */
static long long reported_kib(const struct rec_proc *p, size_t i)
{
	char **lines;
	bool unterminated;
	long long kib = -1;
	size_t n = q_lines(p, 1, &lines, &unterminated);

	for (size_t k = 0; k < n && kib < 0; k++) {
		size_t idx;
		int used = 0;
		if (sscanf(lines[k], "worker %zu: private_dirty_kib=%lld%n", &idx, &kib, &used) != 2 ||
		    lines[k][used] != '\0' || idx != i)
			kib = -1;
	}
	q_lines_free(lines, n);
	return kib;
}

/* Worker p's private dirty memory at its exit, as the tracer read it; a failed check (and -1)
 * when there is none. */
static long long measured_kib(struct check_ctx *c, const struct rec_proc *p, const char *shown)
{
	if (p->private_dirty_kib >= 0)
		return p->private_dirty_kib;
	check_fail(c, "with %s forklab could not read %s's memory as it ended (did it end by "
		   "itself, with exit()?)", shown, q_label(p));
	return -1;
}

/* The workers the scenario needs: fails when P did not fork that many. */
static int need_workers(struct check_ctx *c, const struct record *r, size_t s)
{
	if ((int)r->root->nchildren < sized[s].workers)
		return check_fail(c, "with %s expected P to fork %d workers; it forked %zu",
				  sized[s].shown, sized[s].workers, r->root->nchildren);
	return CHECK_PASS;
}

static int check_header_copies(struct check_ctx *c)
{
	size_t s = 0;   /* "2-header" */
	struct record *r = check_run(c, sized[s].id);
	if (!r || need_workers(c, r, s))
		return CHECK_FAIL;
	for (int i = 0; i < sized[s].workers; i++) {
		const struct rec_proc *p = r->root->children[i];
		long long kib = measured_kib(c, p, sized[s].shown);
		if (kib < 0)
			return CHECK_FAIL;
		if (kib < HEAP_KIB * 8 / 10)
			return check_fail(c, "with %s expected each worker's mark pass to write into "
					  "every object and so copy at least 80%% of the %ld KiB heap; "
					  "%s ended owning only %lld KiB. Header mode sets the mark bit "
					  "in each object's header", sized[s].shown, HEAP_KIB, q_label(p),
					  kib);
	}
	return CHECK_PASS;
}

static int check_bitmap_shares(struct check_ctx *c)
{
	size_t s = 1;   /* "3-bitmap" */
	struct record *r = check_run(c, sized[s].id);
	if (!r || need_workers(c, r, s))
		return CHECK_FAIL;
	for (int i = 0; i < sized[s].workers; i++) {
		const struct rec_proc *p = r->root->children[i];
		long long kib = measured_kib(c, p, sized[s].shown);
		if (kib < 0)
			return CHECK_FAIL;
		if (kib <= HEAP_KIB / 10)
			continue;
		if (r->root->minflt >= 0 && r->root->minflt < HEAP_KIB / 4 / 2)
			return check_fail(c, "with %s, %s ended owning %lld KiB of memory alone, more "
					  "than 10%% of the %ld KiB heap; and P itself took only %lld "
					  "page faults, too few to have built the heap: a heap built "
					  "after fork() is never shared. Build it in P, before the "
					  "first fork()", sized[s].shown, q_label(p), kib, HEAP_KIB,
					  r->root->minflt);
		return check_fail(c, "with %s, %s ended owning %lld KiB of memory alone, more than "
				  "10%% of the %ld KiB heap: its mark pass wrote into the shared "
				  "objects, and each written page was copied. In bitmap mode the "
				  "marks go into a bitmap the worker allocates after fork(); the heap "
				  "is only read (any write, even of the value already there, copies "
				  "the page)", sized[s].shown, q_label(p), kib, HEAP_KIB);
	}
	return CHECK_PASS;
}

static int check_reported(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r || need_workers(c, r, s))
			return CHECK_FAIL;
		for (int i = 0; i < sized[s].workers; i++) {
			const struct rec_proc *p = r->root->children[i];
			long long kib = measured_kib(c, p, sized[s].shown);
			if (kib < 0)
				return CHECK_FAIL;
			long long said = reported_kib(p, (size_t)i);
			if (said < 0)
				return check_fail(c, "with %s expected %s to print \"worker %d: "
						  "private_dirty_kib=<n>\"; it did not", sized[s].shown,
						  q_label(p), i);
			long long slack = kib / 10 > 256 ? kib / 10 : 256;
			if (llabs(said - kib) > slack)
				return check_fail(c, "with %s, %s printed private_dirty_kib=%lld; "
						  "forklab read %lld KiB (Private_Dirty) as it ended, "
						  "more than %lld KiB apart. Read the Private_Dirty line "
						  "of /proc/self/smaps_rollup after the mark pass",
						  sized[s].shown, q_label(p), said, kib, slack);
		}
	}
	return CHECK_PASS;
}

static int check_workers(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with %s the run did not finish by itself: %s",
					  sized[s].shown, problem);
		if ((int)r->root->nchildren != sized[s].workers)
			return check_fail(c, "with %s expected P to fork %d workers; it forked %zu",
					  sized[s].shown, sized[s].workers, r->root->nchildren);
		if (r->root->out.len)
			return check_fail(c, "with %s expected P to print nothing; it wrote %zu bytes "
					  "on stdout", sized[s].shown, r->root->out.len);
		for (int i = 0; i < sized[s].workers; i++) {
			const struct rec_proc *p = r->root->children[i];
			char **lines;
			bool unterminated;
			size_t n = q_lines(p, 1, &lines, &unterminated);
			q_lines_free(lines, n);
			if (p->nchildren)
				return check_fail(c, "with %s expected workers to fork nothing; %s "
						  "forked %s: a worker that does not exit() runs on "
						  "into P's loop", sized[s].shown, q_label(p),
						  q_label(p->children[0]));
			if (n != 1 || unterminated || reported_kib(p, (size_t)i) < 0)
				return check_fail(c, "with %s expected %s (worker %d) to print exactly "
						  "\"worker %d: private_dirty_kib=<n>\"; it printed %zu "
						  "lines", sized[s].shown, q_label(p), i, i, n);
			if (!q_reaped_by_parent(p) || q_status(p) != 0)
				return check_fail(c, "with %s expected P to reap %s, which exits 0; it "
						  "ended with %d and was %sreaped by P", sized[s].shown,
						  q_label(p), q_status(p),
						  q_reaped_by_parent(p) ? "" : "not ");
		}
		if (q_status(r->root) != 0)
			return check_fail(c, "with %s expected P to exit 0; it ended with %d",
					  sized[s].shown, q_status(r->root));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-zero", "usage-nine", "usage-mode", "usage-one",
					   "usage-word", "usage-extra" };
	static const char *const shown[] = { "\"0 header\"", "\"9 bitmap\"", "\"2 mark\"",
					     "\"2\"", "\"2x header\"", "\"2 bitmap x\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "header-copies", 2, "header mode: each worker copies at least 80% of the heap",
	  check_header_copies, "A mark bit in every object" },
	{ "bitmap-shares", 3, "bitmap mode: each worker owns at most 10% of the heap's size",
	  check_bitmap_shares, "Mark bits on the side" },
	{ "reported", 2, "each worker's printed figure matches forklab's (10% or 256 KiB)",
	  check_reported, "Measuring it" },
	{ "workers", 2, "P forks WORKERS workers, each prints its line, all reaped, status 0",
	  check_workers, "Task" },
	{ "usage", 1, "WORKERS outside 1..8, a mode other than header or bitmap: usage, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "prefork_gc.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"A collector that marks an object by writing into it writes into every page of the "
	"heap: after fork() each worker then copies the whole heap it shares with the parent.",
	"Keep the marks somewhere else: a bitmap of your own, one bit (or byte) per object, "
	"allocated in the worker, so that the heap's pages are only ever read.",
	"Private_Dirty in /proc/self/smaps_rollup is the memory the process does not share: "
	"read it after the mark pass and report it in KiB.",
	NULL,
};

const struct lab lab13 = {
	.number = 13,
	.name = "13-gc-cow",
	.title = "A garbage collector that copies the heap",
	.program = "prefork_gc",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
