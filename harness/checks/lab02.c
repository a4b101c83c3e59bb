/* lab02.c - lab 02-getpid-pitfall: N children, all of the original process. The starter's
 * getpid() test makes every process fork; the scenarios' process budget contains that
 * explosion, and the checks name it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_3[] = { "3", NULL };
static const char *const args_8[] = { "8", NULL };
static const char *const args_20[] = { "20", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_21[] = { "21", NULL };
static const char *const args_word[] = { "3x", NULL };

/* max_procs leaves room for P and N children alive at once, and stops the 2^N processes a
 * getpid() test asks for long before they exist. N=20 is the largest N the task allows. */
static const struct scenario scenarios[] = {
	{ .id = "n3", .args = args_3, .timeout_s = 3, .max_procs = 12 },
	{ .id = "n8", .args = args_8, .timeout_s = 3, .max_procs = 12 },
	{ .id = "n20", .args = args_20, .timeout_s = 3, .max_procs = 24 },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-21", .args = args_21, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; int n; } sized[] = {
	{ "n3", 3 }, { "n8", 8 }, { "n20", 20 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* Child i of the task is P's (i+1)-th child, or NULL. */
static struct rec_proc *child_no(struct rec_proc *root, int i)
{
	return (size_t)i < root->nchildren ? root->children[i] : NULL;
}

/* The seq of the first line p wrote on stdout that starts with prefix; 0 if there is none. */
static unsigned long prefix_line_seq(const struct record *r, const struct rec_proc *p,
				     const char *prefix)
{
	char **lines;
	bool unterminated;
	unsigned long seq = 0;
	size_t n = q_lines(p, 1, &lines, &unterminated);

	for (size_t k = 0; k < n && !seq; k++)
		if (strncmp(lines[k], prefix, strlen(prefix)) == 0)
			seq = q_line_seq(r, p, 1, lines[k]);
	q_lines_free(lines, n);
	return seq;
}

static int check_fork_count(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		size_t made = r->nprocs - 1;
		if (made != (size_t)sized[s].n)
			return check_fail(c, "with N=%d expected exactly %d processes besides P; the run "
					  "created %zu%s", sized[s].n, sized[s].n, made,
					  r->forks_denied ? ", and the process budget refused more forks"
							  : "");
	}
	return CHECK_PASS;
}

static int check_only_parent_forks(struct check_ctx *c)
{
	/* The largest N first: that is where an explosion shows its size. */
	for (size_t s = NSIZED; s-- > 0;) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (size_t i = 1; i < r->nprocs; i++) {
			struct rec_proc *p = r->procs[i];
			if (p->nchildren == 0 && p->forks_denied == 0)
				continue;
			/* A child that printed its own line and then forked fell out of its branch. */
			unsigned long said = prefix_line_seq(r, p, "child ");
			if (said && (!p->nchildren || p->children[0]->forked_seq > said))
				return check_fail(c, "with N=%d, %s printed its child line and then %s%s: "
						  "a child without exit() goes back into the parent's loop. "
						  "End the child with exit(i)", sized[s].n, q_label(p),
						  p->nchildren ? "forked " : "tried to fork again",
						  p->nchildren ? q_label(p->children[0]) : "");
			char budget[96] = "";
			if (r->forks_denied)
				snprintf(budget, sizeof budget, ", and the process budget refused %u "
					 "more forks", r->forks_denied);
			return check_fail(c, "children are forking too: fork()'s return value, not "
					  "getpid(), tells parent from child. With N=%d, %s forked %s; the "
					  "run made %zu processes instead of %d%s. getpid() is never 0, so a "
					  "test on it is true in every process", sized[s].n, q_label(p),
					  p->nchildren ? q_label(p->children[0]) : "nothing (refused)",
					  r->nprocs, sized[s].n + 1, budget);
		}
	}
	return CHECK_PASS;
}

static int check_child_lines(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		int n = sized[s].n;
		char *want[21];
		char *why = NULL;
		for (int i = 0; i < n; i++)
			if (asprintf(&want[i], "child %d: pid={P.%d} ppid={P}", i, i + 1) < 0)
				want[i] = NULL;
		if (asprintf(&want[n], "parent: reaped %d children", n) < 0)
			want[n] = NULL;
		bool ok = q_match_lines_any_order(r, (const char *const *)want, (size_t)n + 1, &why);
		/* The pids in a line must also be its writer's. */
		for (int i = 0; ok && i < n; i++) {
			char *line = q_expand(r, want[i]);
			struct rec_proc *p = child_no(r->root, i);
			if (!line || q_line_writer(r, 1, line) != p) {
				ok = false;
				if (asprintf(&why, "\"%s\" was not written by %s", line ? line : want[i],
					     p ? q_label(p) : "the child") < 0)
					why = NULL;
			}
			free(line);
		}
		for (int i = 0; i <= n; i++)
			free(want[i]);
		if (!ok) {
			check_fail(c, "with N=%d expected one line per child, \"child <i>: pid=<pid> "
				   "ppid=<ppid>\" with its real pids, and the parent's last line; %s%s",
				   n, why ? why : "the lines differ", common_repeat_hint(r));
			free(why);
			return CHECK_FAIL;
		}
		free(why);
	}
	return CHECK_PASS;
}

static int check_exit_status(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (int i = 0; i < sized[s].n; i++) {
			struct rec_proc *p = child_no(r->root, i);
			if (!p)
				return check_fail(c, "with N=%d expected child %d to exit with status %d; "
						  "P created only %zu children", sized[s].n, i, i,
						  r->root->nchildren);
			if (q_status(p) != i)
				return check_fail(c, "with N=%d expected child %d, %s, to exit with status "
						  "%d (exit(i)); it ended with %d", sized[s].n, i, q_label(p),
						  i, q_status(p));
		}
	}
	return CHECK_PASS;
}

static int check_reaped(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		int n = sized[s].n;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with N=%d the run did not finish by itself: %s", n,
					  problem);
		if (r->forks_denied)
			return check_fail(c, "with N=%d the process budget refused %u forks, so not "
					  "every child could be made and reaped", n, r->forks_denied);
		unsigned long last_reap = 0;
		for (size_t i = 1; i < r->nprocs; i++) {
			struct rec_proc *p = r->procs[i];
			if (!q_reaped_by_parent(p))
				return check_fail(c, "with N=%d expected %s to be reaped by its parent; %s",
						  n, q_label(p),
						  p->reaped_by == REC_FORKLAB
							  ? "forklab had to reap it after the parent ended: "
							    "call wait() once per child"
							  : "nobody reaped it");
			if (p->reaped_seq > last_reap)
				last_reap = p->reaped_seq;
		}
		char want[64];
		snprintf(want, sizeof want, "parent: reaped %d children", n);
		unsigned long seq = q_line_seq(r, r->root, 1, want);
		if (!seq || seq < last_reap)
			return check_fail(c, "with N=%d expected %s to print \"%s\" after its last "
					  "wait() returned; %s", n, q_label(r->root), want,
					  seq ? "it printed it before the last reap" : "it never did");
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-zero", "usage-21", "usage-word" };
	static const char *const shown[] = { "no argument", "0", "21", "3x" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "fork-count", 2, "exactly N processes are created", check_fork_count, "Task" },
	{ "only-parent-forks", 3, "only the original process forks: no grandchildren",
	  check_only_parent_forks, "The getpid() pitfall" },
	{ "child-lines", 1, "each child prints its line with its real pids", check_child_lines,
	  "Task" },
	{ "exit-status", 2, "child i exits with status i", check_exit_status, "Exit statuses" },
	{ "reaped", 1, "the parent reaps all N, then prints its line", check_reaped,
	  "Exit statuses" },
	{ "usage", 1, "N missing or outside 1..20: usage on stderr, exit 2", check_usage, "Task" },
};

static const char *const sources[] = { "spawn.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"Only one process should ever call fork(): the original. Look at the tree forklab run "
	"draws for spawn 3: who forked whom?",
	"getpid() is a process's own pid and is never 0, so a test on it is true in every "
	"process. What value differs between parent and child right after fork()?",
	"In spawn_all(), fork(), and when it returned 0 call run_child(i): it exits with "
	"status i, so the child never comes back into the loop.",
	"The parent reaps: main() already waits N times. A child's number comes back to the "
	"parent as its exit status.",
	NULL,
};

const struct lab lab02 = {
	.number = 2,
	.name = "02-getpid-pitfall",
	.title = "The getpid() pitfall",
	.program = "spawn",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
