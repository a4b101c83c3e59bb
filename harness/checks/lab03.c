/* lab03.c - lab 03-wait-modes: seq and par differ only in where wait() is called. Both are
 * judged from the order of recorded fork, exit and reap events (their seqs), never from
 * timing; the children's 200 ms sleeps only make the orders stable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_seq[] = { "seq", "3", NULL };
static const char *const args_par[] = { "par", "4", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_mode[] = { "both", "3", NULL };
static const char *const args_zero[] = { "par", "0", NULL };
static const char *const args_11[] = { "seq", "11", NULL };
static const char *const args_no_n[] = { "par", NULL };

static const struct scenario scenarios[] = {
	{ .id = "seq3", .args = args_seq, .timeout_s = 3, .max_procs = 24 },
	{ .id = "par4", .args = args_par, .timeout_s = 3, .max_procs = 24 },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-mode", .args = args_mode, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-11", .args = args_11, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-no-n", .args = args_no_n, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *mode; int n; } sized[] = {
	{ "seq3", "seq", 3 }, { "par4", "par", 4 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* The record of a sized scenario when P made at least n children; otherwise fails the check
 * (or leaves the run's own failure) and returns NULL. */
static struct record *run_with_children(struct check_ctx *c, const char *id, const char *mode,
					int n)
{
	struct record *r = check_run(c, id);
	if (!r)
		return NULL;
	if (r->root->nchildren < (size_t)n) {
		check_fail(c, "with \"%s %d\" expected P to fork %d children; it forked %zu", mode, n,
			   n, r->root->nchildren);
		return NULL;
	}
	return r;
}

static int check_seq(struct check_ctx *c)
{
	struct record *r = run_with_children(c, "seq3", "seq", 3);
	if (!r)
		return CHECK_FAIL;
	struct rec_proc **ch = r->root->children;
	for (int i = 0; i + 1 < 3; i++) {
		if (!q_reaped_by_parent(ch[i]) || ch[i + 1]->forked_seq < ch[i]->reaped_seq)
			return check_fail(c, "in seq mode expected child %d to be forked only after "
					  "child %d was reaped; P forked %s while %s was %s. Call wait() "
					  "inside the loop, right after each fork()", i + 1, i,
					  q_label(ch[i + 1]), q_label(ch[i]),
					  ch[i + 1]->forked_seq < ch[i]->exited_seq || !ch[i]->exited
						  ? "still running" : "not yet reaped");
	}
	return CHECK_PASS;
}

/* The first reap by P among its first n children, as a seq (ULONG_MAX: none). */
static unsigned long first_reap(const struct rec_proc *root, int n)
{
	unsigned long first = (unsigned long)-1;
	for (int i = 0; i < n; i++)
		if (q_reaped_by_parent(root->children[i]) && root->children[i]->reaped_seq < first)
			first = root->children[i]->reaped_seq;
	return first;
}

static int check_par_forked_first(struct check_ctx *c)
{
	struct record *r = run_with_children(c, "par4", "par", 4);
	if (!r)
		return CHECK_FAIL;
	struct rec_proc **ch = r->root->children;
	unsigned long reap = first_reap(r->root, 4);
	for (int i = 0; i < 4; i++) {
		if (ch[i]->forked_seq < reap)
			continue;
		for (int k = 0; k < i; k++)
			if (q_reaped_by_parent(ch[k]) && ch[k]->reaped_seq == reap)
				return check_fail(c, "in par mode expected all 4 children forked before "
						  "the first wait() returns; P reaped %s before it forked "
						  "%s. A wait() inside the fork loop makes the children run "
						  "one by one: fork all N first, then wait N times",
						  q_label(ch[k]), q_label(ch[i]));
	}
	return CHECK_PASS;
}

static int check_par_all_alive(struct check_ctx *c)
{
	struct record *r = run_with_children(c, "par4", "par", 4);
	if (!r)
		return CHECK_FAIL;
	struct rec_proc **ch = r->root->children;
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			if (ch[k]->exited && ch[k]->exited_seq < ch[i]->forked_seq)
				return check_fail(c, "in par mode expected all 4 children alive at the "
						  "same time; %s had already exited when %s was forked. Each "
						  "child sleeps 200 ms, and the parent forks all of them "
						  "before it waits", q_label(ch[k]), q_label(ch[i]));
	return CHECK_PASS;
}

static int check_only_parent_forks(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (size_t i = 1; i < r->nprocs; i++)
			if (r->procs[i]->nchildren || r->procs[i]->forks_denied)
				return check_fail(c, "with \"%s %d\" expected only P to fork; %s forked "
						  "%s. A child that returns instead of calling exit() "
						  "goes on with the parent's loop and forks children of "
						  "its own: end each child with exit(i)", sized[s].mode,
						  sized[s].n, q_label(r->procs[i]),
						  r->procs[i]->nchildren
							  ? q_label(r->procs[i]->children[0])
							  : "(refused by the process budget)");
	}
	return CHECK_PASS;
}

/* Fails unless child i (p) wrote exactly "child i start", "child i end" on stdout. */
static int child_lines_ok(struct check_ctx *c, const struct record *r, const struct rec_proc *p,
			  int i, const char *mode, int n)
{
	char **lines;
	bool unterminated;
	char start[32], end[32];
	size_t k = q_lines(p, 1, &lines, &unterminated);
	int verdict = CHECK_PASS;

	snprintf(start, sizeof start, "child %d start", i);
	snprintf(end, sizeof end, "child %d end", i);
	/* The first line that is not what was expected at its place, if any. */
	size_t bad = 0;
	while (bad < k && bad < 2 && strcmp(lines[bad], bad ? end : start) == 0)
		bad++;
	if (k != 2 || unterminated || bad < 2)
		verdict = check_fail(c, "with \"%s %d\" expected %s to print exactly \"%s\" then "
				     "\"%s\"; it printed %zu line(s)%s%s%s%s", mode, n, q_label(p),
				     start, end, k, bad < k ? ", and its line \"" : "",
				     bad < k ? lines[bad] : "", bad < k ? "\" was not expected there" : "",
				     common_repeat_hint(r));
	q_lines_free(lines, k);
	return verdict;
}

static int check_child_lines(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = run_with_children(c, sized[s].id, sized[s].mode, sized[s].n);
		if (!r)
			return CHECK_FAIL;
		for (int i = 0; i < sized[s].n; i++)
			if (child_lines_ok(c, r, r->root->children[i], i, sized[s].mode, sized[s].n))
				return CHECK_FAIL;
	}
	return CHECK_PASS;
}

/* The first line of p's that is no "reaped child <k> status <k>" for k < n, copied into buf. */
static bool unexpected_line(const struct rec_proc *p, int n, char *buf, size_t len)
{
	char **lines;
	bool unterminated, found = false;
	size_t k = q_lines(p, 1, &lines, &unterminated);

	for (size_t i = 0; i < k && !found; i++) {
		int a, b, end = -1;
		if (sscanf(lines[i], "reaped child %d status %d%n", &a, &b, &end) == 2 &&
		    lines[i][end] == '\0' && a == b && a >= 0 && a < n)
			continue;
		snprintf(buf, len, "%s", lines[i]);
		found = true;
	}
	q_lines_free(lines, k);
	return found;
}

/* Fails unless child i (p) exited with i, P reaped it and then printed the matching line. */
static int reap_ok(struct check_ctx *c, const struct record *r, const struct rec_proc *p, int i,
		   const char *mode, int n)
{
	char want[64];

	if (q_status(p) != i)
		return check_fail(c, "with \"%s %d\" expected child %d, %s, to exit with status %d; it "
				  "ended with %d", mode, n, i, q_label(p), i, q_status(p));
	/* A missing wait is explained where the mode is: par waits after forking them all. */
	if (!q_reaped_by_parent(p))
		return check_fail_in(c, strcmp(mode, "par") == 0 ? "Parallel" : "Sequential",
				     "with \"%s %d\" expected P to reap %s; %s", mode, n, q_label(p),
				     p->reaped_by == REC_FORKLAB
					     ? "P never waited for it and forklab reaped it at the "
					       "end: one wait() per child"
					     : "nobody reaped it");
	snprintf(want, sizeof want, "reaped child %d status %d", i, i);
	unsigned long seq = q_line_seq(r, r->root, 1, want);
	if (seq && seq < p->reaped_seq)
		return check_fail(c, "with \"%s %d\" expected P to print \"%s\" after reaping %s; "
				  "it printed it before the reap", mode, n, want, q_label(p));
	if (!seq) {
		char other[128];
		bool found = unexpected_line(r->root, n, other, sizeof other);
		return check_fail(c, "with \"%s %d\" expected P to print \"%s\" after reaping %s; "
				  "it never did%s%s%s. The number is WEXITSTATUS(status), not the "
				  "raw status word", mode, n, want, q_label(p),
				  found ? " (it printed \"" : "", found ? other : "",
				  found ? "\" instead)" : "");
	}
	return CHECK_PASS;
}

static int check_reaps(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		int n = sized[s].n;
		struct record *r = run_with_children(c, sized[s].id, sized[s].mode, n);
		if (!r)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with \"%s %d\" the run did not finish by itself: %s",
					  sized[s].mode, n, problem);
		for (int i = 0; i < n; i++)
			if (reap_ok(c, r, r->root->children[i], i, sized[s].mode, n))
				return CHECK_FAIL;
		char **lines;
		bool unterminated;
		size_t k = q_lines(r->root, 1, &lines, &unterminated);
		q_lines_free(lines, k);
		if (k != (size_t)n || unterminated || r->root->nchildren != (size_t)n)
			return check_fail(c, "with \"%s %d\" expected P to fork %d children and print "
					  "exactly %d \"reaped\" lines; it forked %zu and printed %zu "
					  "line(s)", sized[s].mode, n, n, n, r->root->nchildren, k);
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-mode", "usage-zero", "usage-11",
					   "usage-no-n" };
	static const char *const shown[] = { "no arguments", "\"both 3\"", "\"par 0\"",
					     "\"seq 11\"", "\"par\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "seq-one-at-a-time", 2, "seq: child i+1 is forked only after child i is reaped",
	  check_seq, "Sequential" },
	{ "par-all-forked-first", 2, "par: all N are forked before the first reap",
	  check_par_forked_first, "Parallel" },
	{ "par-all-alive", 1, "par: all N children are alive at the same time",
	  check_par_all_alive, "Parallel" },
	{ "only-parent-forks", 1, "only the parent forks; each child ends with exit()",
	  check_only_parent_forks, "Task" },
	{ "child-lines", 1, "each child prints its start and end lines, nothing else",
	  check_child_lines, "Task" },
	{ "reaps", 2, "N reaps by the parent, each reported with the child's exit status",
	  check_reaps, "Reading a status" },
	{ "usage", 1, "bad mode or N: usage on stderr, exit 2", check_usage, "Task" },
};

static const char *const sources[] = { "wait_modes.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"The two modes differ only in where the parent waits. Draw a timeline for seq 3 and "
	"for par 3: when does child 1 start in each?",
	"reap_one(): one wait(&status); WIFEXITED(status) says it exited, WEXITSTATUS(status) "
	"gives its code, which is the child's number here.",
	"run_seq() is one loop: spawn(i), then reap_one(), before the next spawn.",
	"run_par() is two loops: first every spawn, then n calls of reap_one(). A wait inside "
	"the first loop makes it sequential again.",
	NULL,
};

const struct lab lab03 = {
	.number = 3,
	.name = "03-wait-modes",
	.title = "Sequential and parallel children",
	.program = "wait_modes",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
