/* lab11.c - lab 11-stdio-buffers: `start`, N children, `end`, each line exactly once whether
 * stdout is a pipe (fully buffered) or a terminal (line-buffered). Judged on who wrote each line:
 * a line written by a process that never printed it came from a stdio buffer fork() copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_3[] = { "3", NULL };
static const char *const args_5[] = { "5", NULL };
static const char *const args_12[] = { "12", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_21[] = { "21", NULL };
static const char *const args_word[] = { "3x", NULL };
static const char *const args_extra[] = { "2", "2", NULL };

static const struct scenario scenarios[] = {
	{ .id = "pipe-3", .args = args_3, .timeout_s = 3, .max_procs = 32 },
	{ .id = "pipe-12", .args = args_12, .timeout_s = 3, .max_procs = 32 },
	{ .id = "pty-5", .args = args_5, .timeout_s = 3, .max_procs = 32, .stdout_pty = true },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-21", .args = args_21, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-extra", .args = args_extra, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *shown; int n; } sized[] = {
	{ "pipe-3", "stdout on a pipe (\"buffers 3\")", 3 },
	{ "pipe-12", "stdout on a pipe (\"buffers 12\")", 12 },
	{ "pty-5", "stdout on a terminal (\"buffers 5\")", 5 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* How many times line appears on stdout over all processes; the writers' labels go into who
 * ("P (pid 10), P.1 (pid 11)"). */
static size_t count_writers(const struct record *r, const char *line, char *who, size_t wholen)
{
	size_t count = 0, used = 0;

	who[0] = '\0';
	for (size_t i = 0; i < r->nprocs; i++) {
		char **lines;
		bool unterminated;
		size_t n = q_lines(r->procs[i], 1, &lines, &unterminated);
		size_t mine = 0;
		for (size_t k = 0; k < n; k++)
			mine += strcmp(lines[k], line) == 0;
		q_lines_free(lines, n);
		if (mine == 0)
			continue;
		count += mine;
		if (used < wholen) {
			int w = snprintf(who + used, wholen - used, "%s%s%s", used ? ", " : "",
					 q_label(r->procs[i]), mine > 1 ? " (more than once)" : "");
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return count;
}

/* Fails when line is written other than exactly once by p. owner says whose line it is. */
static int fail_unless_once(struct check_ctx *c, const struct record *r, const char *shown,
			    const struct rec_proc *p, const char *line, const char *owner)
{
	char who[512];
	size_t count = count_writers(r, line, who, sizeof who);

	if (count == 1 && q_line_seq(r, p, 1, line))
		return CHECK_PASS;
	if (count == 0)
		return check_fail(c, "with %s expected %s to print \"%s\"; nobody did%s", shown,
				  owner, line,
				  p->parent ? ". A child that ends with _exit() throws away what its "
					      "stdio buffer still holds: end it with exit(), which "
					      "flushes" : "");
	if (count == 1)
		return check_fail(c, "with %s expected %s to print \"%s\"; %s wrote it instead",
				  shown, owner, line, who);
	return check_fail(c, "with %s, \"%s\" came out %zu times, written by %s. Only %s "
			  "printed it: the others got a copy of its stdio buffer, still holding the "
			  "line, when fork() copied the process, and wrote that copy out when they "
			  "flushed at exit(). On a pipe or a file stdout is fully buffered: "
			  "fflush(stdout) before fork()", shown, line, count, who, owner);
}

/* The seq of the latest write on stdout. */
static unsigned long last_stdout_write(const struct record *r)
{
	unsigned long last = 0;
	for (size_t i = 0; i < r->nwrites; i++)
		if (r->writes[i].stream == 1)
			last = r->writes[i].seq;
	return last;
}

/* The first process other than p that wrote on stdout before seq, or NULL. */
static const struct rec_proc *wrote_before(const struct record *r, const struct rec_proc *p,
					   unsigned long seq)
{
	for (size_t i = 0; i < r->nwrites && r->writes[i].seq < seq; i++)
		if (r->writes[i].stream == 1 && r->writes[i].proc != p)
			return r->writes[i].proc;
	return NULL;
}

static int check_start_once(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		if (fail_unless_once(c, r, sized[s].shown, r->root, "start", q_label(r->root)))
			return CHECK_FAIL;
		const struct rec_proc *early =
			wrote_before(r, r->root, q_line_seq(r, r->root, 1, "start"));
		if (early)
			return check_fail(c, "with %s expected \"start\" as the first line; %s wrote "
					  "before it: it sat in P's stdio buffer (full "
					  "buffering, as on a pipe) while the children wrote theirs. "
					  "fflush(stdout) before fork()", sized[s].shown, q_label(early));
	}
	return CHECK_PASS;
}

/* Every stdout line is "start", "end" or "child <i>" for some i < n; else false with the
 * stranger in bad. */
static bool only_known_lines(const struct record *r, int n, char *bad, size_t badlen)
{
	char **lines;
	bool unterminated, ok = true;
	size_t count = q_all_lines(r, 1, &lines, &unterminated);

	for (size_t k = 0; k < count && ok; k++) {
		const char *l = lines[k];
		int i, used = 0;
		if (strcmp(l, "start") == 0 || strcmp(l, "end") == 0)
			continue;
		if (sscanf(l, "child %d%n", &i, &used) == 1 && l[used] == '\0' && i >= 0 && i < n)
			continue;
		snprintf(bad, badlen, "%s", l);
		ok = false;
	}
	if (ok && unterminated) {
		snprintf(bad, badlen, "a last line without a newline");
		ok = false;
	}
	q_lines_free(lines, count);
	return ok;
}

static int check_child_lines(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		if ((int)r->root->nchildren != sized[s].n)
			return check_fail(c, "with %s expected P to fork %d children; it forked %zu",
					  sized[s].shown, sized[s].n, r->root->nchildren);
		for (size_t i = 0; i < r->root->nchildren; i++) {
			const struct rec_proc *p = r->root->children[i];
			char line[32], owner[96];
			snprintf(line, sizeof line, "child %zu", i);
			snprintf(owner, sizeof owner, "child %zu, %s,", i, q_label(p));
			if (fail_unless_once(c, r, sized[s].shown, p, line, owner))
				return CHECK_FAIL;
		}
		char bad[160];
		if (!only_known_lines(r, sized[s].n, bad, sizeof bad))
			return check_fail(c, "with %s expected only the lines \"start\", \"child "
					  "<i>\" and \"end\"; got \"%s\"", sized[s].shown, bad);
	}
	return CHECK_PASS;
}

static int check_end_last(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		if (fail_unless_once(c, r, sized[s].shown, r->root, "end", q_label(r->root)))
			return CHECK_FAIL;
		unsigned long seq = q_line_seq(r, r->root, 1, "end");
		for (size_t i = 0; i < r->root->nchildren; i++) {
			const struct rec_proc *p = r->root->children[i];
			if (!q_reaped_by_parent(p) || p->reaped_seq > seq)
				return check_fail(c, "with %s expected P to print \"end\" after it had "
						  "reaped every child; it printed it before reaping %s",
						  sized[s].shown, q_label(p));
		}
		if (seq != last_stdout_write(r))
			return check_fail(c, "with %s expected \"end\" as the last line; something "
					  "was written after it", sized[s].shown);
	}
	return CHECK_PASS;
}

static int check_reaped(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with %s the run did not finish by itself: %s",
					  sized[s].shown, problem);
		for (size_t i = 0; i < r->nprocs; i++) {
			const struct rec_proc *p = r->procs[i];
			if (p->parent && !q_reaped_by_parent(p))
				return check_fail(c, "with %s expected P to wait for %s; %s",
						  sized[s].shown, q_label(p),
						  p->reaped_by == REC_FORKLAB
							  ? "forklab reaped it after P had ended. "
							    "Call wait() once per child before "
							    "printing \"end\""
							  : "nobody reaped it");
			if (q_status(p) != 0)
				return check_fail(c, "with %s expected every process to exit with "
						  "status 0; %s ended with %d", sized[s].shown,
						  q_label(p), q_status(p));
		}
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-zero", "usage-21", "usage-word",
					   "usage-extra" };
	static const char *const shown[] = { "no arguments", "\"0\"", "\"21\"", "\"3x\"",
					     "\"2 2\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "start-once", 3, "\"start\" comes out once and first, on a pipe and on a terminal",
	  check_start_once, "A buffer inside the process" },
	{ "child-lines", 2, "each child's line comes out once, written by that child",
	  check_child_lines, "exit() and _exit()" },
	{ "end-last", 2, "\"end\" comes out once and last, after every child is reaped",
	  check_end_last, "Task" },
	{ "reaped", 1, "P reaps every child; every process exits with status 0", check_reaped,
	  "Task" },
	{ "usage", 1, "N outside 1..20, missing or extra: usage on stderr, exit 2", check_usage,
	  "Task" },
};

static const char *const sources[] = { "buffers.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"stdio keeps what you print in a buffer until a newline reaches a terminal, the buffer "
	"fills, or the program flushes. fork() copies that buffer with everything else.",
	"On a pipe or a file stdout is fully buffered: a line printed before fork() is still in "
	"the buffer, and both processes write it out when they exit.",
	"fflush(stdout) just before each fork() empties the buffer, so the children start with "
	"nothing to repeat; then reap every child before printing the last line.",
	NULL,
};

const struct lab lab11 = {
	.number = 11,
	.name = "11-stdio-buffers",
	.title = "Output printed twice",
	.program = "buffers",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
