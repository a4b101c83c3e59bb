/* lab14.c - lab 14-fork-threads: a process with a logger thread that holds a mutex most of the
 * time forks N children, one after another, that each take that mutex. Judged on whether every
 * child finished; a hang is diagnosed from where the tracer found the processes still alive when
 * the time limit stopped the run (the system call each sat in). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_4[] = { "4", NULL };
static const char *const args_12[] = { "12", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_21[] = { "21", NULL };
static const char *const args_word[] = { "4x", NULL };
static const char *const args_extra[] = { "4", "4", NULL };

/* A correct program needs well under a second; a hang costs the whole timeout. */
static const struct scenario scenarios[] = {
	{ .id = "4", .args = args_4, .timeout_s = 3, .max_procs = 24 },
	{ .id = "12", .args = args_12, .timeout_s = 3, .max_procs = 24 },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-21", .args = args_21, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-extra", .args = args_extra, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *shown; int n; } sized[] = {
	{ "4", "\"atfork 4\"", 4 },
	{ "12", "\"atfork 12\"", 12 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

static bool in_futex(const struct rec_proc *p)
{
	return p->blocked_in && strcmp(p->blocked_in, "futex") == 0;
}

/* " (wait channel futex_wait_queue)" or "". Rotating storage is not needed: one per message. */
static const char *wchan_note(const struct rec_proc *p, char *buf, size_t len)
{
	if (!p->wchan)
		return "";
	snprintf(buf, len, ", wait channel %s", p->wchan);
	return buf;
}

/* The run stopped by a limit: says which process was stuck where, and why that happens. */
static int fail_hang(struct check_ctx *c, const struct record *r, const char *shown)
{
	char wc[96];
	for (size_t i = 1; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		if (!p->killed_by_forklab || !in_futex(p))
			continue;
		return check_fail(c, "with %s the run was stopped after its time limit: %s was "
				  "blocked on a lock (futex%s) that the logger thread held when "
				  "fork() ran: only the forking thread is copied, so no thread in %s "
				  "will ever release it. Take the lock in a pthread_atfork() prepare "
				  "handler and release it in the parent and the child handlers (a "
				  "lock a prepare handler took stays locked in the child the same way "
				  "if no child handler releases it)", shown, q_label(p),
				  wchan_note(p, wc, sizeof wc), q_label(p));
	}
	const struct rec_proc *root = r->root;
	if (root->killed_by_forklab && in_futex(root))
		return check_fail(c, "with %s the run was stopped after its time limit: %s was "
				  "blocked on a lock (futex%s) before it could fork: its prepare "
				  "handler waits for the lock, which the logger thread never leaves "
				  "free. The logger must release it for a short while each round",
				  shown, q_label(root),
				  wchan_note(root, wc, sizeof wc));
	return check_fail(c, "with %s the run did not finish by itself: %s", shown,
			  q_run_problem(r));
}

static int check_no_hang(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		if (q_run_problem(r))
			return fail_hang(c, r, sized[s].shown);
	}
	return CHECK_PASS;
}

/* Line `line` must come out once, written by p. */
static int fail_unless_once_by(struct check_ctx *c, const struct record *r, const char *shown,
			       const struct rec_proc *p, const char *line)
{
	char **lines;
	bool unterminated;
	size_t n = q_all_lines(r, 1, &lines, &unterminated), count = 0;
	for (size_t k = 0; k < n; k++)
		count += strcmp(lines[k], line) == 0;
	q_lines_free(lines, n);
	if (count == 1 && q_line_seq(r, p, 1, line))
		return CHECK_PASS;
	if (count == 0)
		return check_fail(c, "with %s expected %s to print \"%s\"; nobody did%s", shown,
				  q_label(p), line, q_run_problem(r) ? " (the run did not finish)" :
				  p->parent ? ": a child that ends with _exit() loses what is still "
				  "in its stdio buffer" : "");
	if (count > 1)
		return check_fail(c, "with %s, \"%s\" came out %zu times%s", shown, line, count,
				  common_repeat_hint(r));
	return check_fail(c, "with %s expected %s to print \"%s\"; %s did", shown, q_label(p),
			  line, q_label(q_line_writer(r, 1, line)));
}

static int check_output(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		int n = sized[s].n;
		if ((int)r->root->nchildren < n && !q_run_problem(r))
			return check_fail(c, "with %s expected P to fork %d children; it forked %zu",
					  sized[s].shown, n, r->root->nchildren);
		for (int i = 0; i < n; i++) {
			char line[48];
			snprintf(line, sizeof line, "child %d logged", i);
			if ((size_t)i >= r->root->nchildren)
				return check_fail(c, "with %s expected %d children to log; P forked "
						  "only %zu%s", sized[s].shown, n,
						  r->root->nchildren,
						  q_run_problem(r) ? " before the run was stopped" : "");
			if (fail_unless_once_by(c, r, sized[s].shown, r->root->children[i], line))
				return CHECK_FAIL;
		}
		char last[48];
		snprintf(last, sizeof last, "all %d children logged", n);
		if (fail_unless_once_by(c, r, sized[s].shown, r->root, last))
			return CHECK_FAIL;
		char **lines;
		bool unterminated;
		size_t count = q_all_lines(r, 1, &lines, &unterminated);
		bool last_ok = count == (size_t)n + 1 && strcmp(lines[count - 1], last) == 0 &&
			       !unterminated;
		q_lines_free(lines, count);
		if (!last_ok)
			return check_fail(c, "with %s expected %d lines, \"%s\" the last; got %zu",
					  sized[s].shown, n + 1, last, count);
	}
	return CHECK_PASS;
}

static int check_one_at_a_time(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const struct rec_proc *root = r->root;
		for (size_t i = 0; i < root->nchildren; i++) {
			const struct rec_proc *p = root->children[i];
			if (p->nchildren)
				return check_fail(c, "with %s expected the children to fork nothing; %s "
						  "forked %s", sized[s].shown, q_label(p),
						  q_label(p->children[0]));
			if (!q_reaped_by_parent(p) || q_status(p) != 0)
				return check_fail(c, "with %s expected P to reap %s, which exits 0; it "
						  "ended with %d and was %sreaped by P%s",
						  sized[s].shown, q_label(p), q_status(p),
						  q_reaped_by_parent(p) ? "" : "not ",
						  p->killed_by_forklab ? " (forklab killed it when the "
						  "run was stopped)" : "");
			if (i + 1 < root->nchildren && root->children[i + 1]->forked_seq <
							   p->reaped_seq)
				return check_fail(c, "with %s expected P to reap %s before forking %s; "
						  "it forked it first. Fork the children one after "
						  "another, waiting for each", sized[s].shown,
						  q_label(p), q_label(root->children[i + 1]));
		}
		if (q_status(root) != 0)
			return check_fail(c, "with %s expected P to exit 0; it ended with %d",
					  sized[s].shown, q_status(root));
	}
	return CHECK_PASS;
}

static int check_logger(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const struct rec_proc *root = r->root;
		if (root->nthreads == 0)
			return check_fail(c, "with %s expected P to start a logger thread before "
					  "forking; it never created a thread", sized[s].shown);
		if (root->nchildren && root->threads[0] > root->children[0]->forked_ms)
			return check_fail(c, "with %s expected the logger thread to be running before "
					  "the first fork(); P started it %.1f ms after forking %s",
					  sized[s].shown, root->threads[0] - root->children[0]->forked_ms,
					  q_label(root->children[0]));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-zero", "usage-21", "usage-word",
					   "usage-extra" };
	static const char *const shown[] = { "no arguments", "\"0\"", "\"21\"", "\"4x\"",
					     "\"4 4\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "no-hang", 4, "every child finishes: none waits forever for a lock fork() copied locked",
	  check_no_hang, "Only the forking thread is copied" },
	{ "output", 2, "each child logs its line once, then P prints the last line",
	  check_output, "Task" },
	{ "one-at-a-time", 1, "P reaps each child (status 0) before forking the next",
	  check_one_at_a_time, "Task" },
	{ "logger", 1, "the logger thread runs before the first fork()", check_logger, "Task" },
	{ "usage", 1, "N outside 1..20, missing or extra: usage on stderr, exit 2", check_usage,
	  "Task" },
};

static const char *const sources[] = { "atfork.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"fork() copies only the thread that called it, and every mutex in the state it was in: "
	"if another thread held the logger's lock at that moment, the child's copy is locked "
	"for ever.",
	"pthread_atfork() registers three handlers: one run before fork() in the forking "
	"thread, one after it in the parent, one in the child.",
	"The prepare handler takes the lock (so no other thread holds it while the process is "
	"copied); the parent and child handlers each release their own copy.",
	NULL,
};

const struct lab lab14 = {
	.number = 14,
	.name = "14-fork-threads",
	.title = "fork() and threads",
	.program = "atfork",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
