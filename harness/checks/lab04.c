/* lab04.c - lab 04-process-tree: a parent, CHILDREN children, GRANDCHILDREN grandchildren each.
 * Judged on the recorded tree: its shape, who reaped whom and when, and who wrote which line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_default[] = { NULL };
static const char *const args_3x1[] = { "3", "1", NULL };
static const char *const args_1x4[] = { "1", "4", NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_six[] = { "2", "6", NULL };
static const char *const args_word[] = { "two", NULL };
static const char *const args_extra[] = { "1", "1", "1", NULL };

static const struct scenario scenarios[] = {
	{ .id = "default", .args = args_default, .timeout_s = 3, .max_procs = 32 },
	{ .id = "3x1", .args = args_3x1, .timeout_s = 3, .max_procs = 32 },
	{ .id = "1x4", .args = args_1x4, .timeout_s = 3, .max_procs = 32 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-six", .args = args_six, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-extra", .args = args_extra, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *shown; int children, grandchildren; } sized[] = {
	{ "default", "no arguments (2 2)", 2, 2 },
	{ "3x1", "\"3 1\"", 3, 1 },
	{ "1x4", "\"1 4\"", 1, 4 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* The seq of p's first write on stdout, or 0. */
static unsigned long first_write_seq(const struct record *r, const struct rec_proc *p)
{
	for (size_t i = 0; i < r->nwrites; i++)
		if (r->writes[i].proc == p && r->writes[i].stream == 1)
			return r->writes[i].seq;
	return 0;
}

/* Names a process that went on forking after its own work was done, which is what a missing
 * exit() looks like. Returns CHECK_PASS when there is none. */
static int fail_runaway(struct check_ctx *c, const struct record *r, const char *shown)
{
	for (size_t i = 1; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		if (p->nchildren == 0)
			continue;
		if (p->depth >= 2)
			return check_fail(c, "with %s, grandchild %s forked %s: a grandchild without "
					  "exit() returns into its parent's loop and makes processes of "
					  "its own. End each grandchild with exit(0)", shown, q_label(p),
					  q_label(p->children[0]));
		unsigned long said = first_write_seq(r, p);
		for (size_t k = 0; said && k < p->nchildren; k++)
			if (p->children[k]->forked_seq > said)
				return check_fail(c, "with %s, child %s printed its line and then forked "
						  "%s: a child without exit() runs the parent's loop. End "
						  "each child with exit(0) after its line", shown, q_label(p),
						  q_label(p->children[k]));
	}
	return CHECK_PASS;
}

static int check_shape(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		if (fail_runaway(c, r, sized[s].shown))
			return CHECK_FAIL;
		const struct rec_proc *root = r->root;
		if (root->nchildren != (size_t)sized[s].children)
			return check_fail(c, "with %s expected P to have %d children; %s has %zu",
					  sized[s].shown, sized[s].children, q_label(root),
					  root->nchildren);
		for (size_t i = 0; i < root->nchildren; i++) {
			const struct rec_proc *p = root->children[i];
			if (p->nchildren != (size_t)sized[s].grandchildren)
				return check_fail(c, "with %s expected each child to have %d children; "
						  "%s has %zu", sized[s].shown, sized[s].grandchildren,
						  q_label(p), p->nchildren);
			for (size_t k = 0; k < p->nchildren; k++)
				if (p->children[k]->nchildren)
					return check_fail(c, "with %s expected grandchildren to fork "
							  "nothing; %s forked %s", sized[s].shown,
							  q_label(p->children[k]),
							  q_label(p->children[k]->children[0]));
		}
	}
	return CHECK_PASS;
}

/* The templates of the expected output, malloc'd; returns how many. */
static size_t expected_lines(int children, int grandchildren, char **t)
{
	size_t n = 0;
	for (int i = 1; i <= children; i++) {
		for (int j = 1; j <= grandchildren; j++)
			if (asprintf(&t[n++], "grandchild: pid={P.%d.%d} ppid={P.%d}", i, j, i) < 0)
				t[n - 1] = NULL;
		if (asprintf(&t[n++], "child: pid={P.%d} ppid={P}", i) < 0)
			t[n - 1] = NULL;
	}
	if (asprintf(&t[n++], "parent: pid={P} reaped %d children", children) < 0)
		t[n - 1] = NULL;
	return n;
}

/* Empty when every expected line was written by the process whose pid it starts with. */
static bool lines_by_their_writers(const struct record *r, char **t, size_t n, char *why,
				   size_t whylen)
{
	for (size_t i = 0; i < n; i++) {
		const char *open = t[i] ? strchr(t[i], '{') : NULL;
		if (!open)
			continue;
		char name[32];
		size_t len = strcspn(open + 1, "}");
		snprintf(name, sizeof name, "%.*s", (int)len, open + 1);
		char *line = q_expand(r, t[i]);
		struct rec_proc *want = record_find(r, name);
		struct rec_proc *got = line ? q_line_writer(r, 1, line) : NULL;
		if (line && got != want) {
			snprintf(why, whylen, "\"%s\" was written by %s, not by %s itself", line,
				 got ? q_label(got) : "nobody", q_label(want));
			free(line);
			return false;
		}
		free(line);
	}
	return true;
}

static int check_pids(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		char *t[64], *why = NULL, whom[256];
		size_t n = expected_lines(sized[s].children, sized[s].grandchildren, t);
		bool ok = q_match_lines_any_order(r, (const char *const *)t, n, &why);
		if (ok && !lines_by_their_writers(r, t, n, whom, sizeof whom)) {
			ok = false;
			why = strdup(whom);
		}
		for (size_t i = 0; i < n; i++)
			free(t[i]);
		if (!ok) {
			check_fail(c, "with %s expected one line per process, each with its real pid "
				   "(getpid()) and its parent's (getppid()); %s%s", sized[s].shown,
				   why ? why : "the lines differ", common_repeat_hint(r));
			free(why);
			return CHECK_FAIL;
		}
		free(why);
	}
	return CHECK_PASS;
}

/* Explains why p was not reaped by its own parent. */
static int fail_not_reaped(struct check_ctx *c, const struct rec_proc *p, const char *shown)
{
	const struct rec_proc *parent = p->parent;
	if (p->reaped_by == REC_FORKLAB && p->exited && parent->exited &&
	    p->exited_seq < parent->exited_seq)
		return check_fail(c, "with %s, %s exited without waiting for %s; %s stayed a zombie "
				  "for %.1f ms until forklab adopted and reaped it — call wait() once "
				  "per child", shown, q_label(parent), q_label(p), p->name,
				  q_zombie_ms(p));
	if (p->reaped_by == REC_FORKLAB)
		return check_fail(c, "with %s, %s exited while %s was still running; forklab "
				  "adopted the orphan and reaped it. Call wait() once per child, before "
				  "exiting", shown, q_label(parent), q_label(p));
	return check_fail(c, "with %s expected %s to reap %s; nobody did", shown, q_label(parent),
			  q_label(p));
}

static int check_reaped_by_parent(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (size_t i = 1; i < r->nprocs; i++)
			if (!q_reaped_by_parent(r->procs[i]))
				return fail_not_reaped(c, r->procs[i], sized[s].shown);
	}
	return CHECK_PASS;
}

static int check_child_after_grandchildren(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (size_t i = 0; i < r->root->nchildren; i++) {
			const struct rec_proc *p = r->root->children[i];
			char line[96];
			snprintf(line, sizeof line, "child: pid=%d ppid=%d", (int)p->pid,
				 (int)r->root->pid);
			unsigned long seq = q_line_seq(r, p, 1, line);
			if (!seq)
				return check_fail(c, "with %s expected %s to print \"%s\"; it never did",
						  sized[s].shown, q_label(p), line);
			/* Only the asked-for grandchildren: extra ones are the shape check's. */
			size_t want = (size_t)sized[s].grandchildren;
			for (size_t k = 0; k < p->nchildren && k < want; k++) {
				const struct rec_proc *g = p->children[k];
				if (!q_reaped_by_parent(g) || g->reaped_seq > seq)
					return check_fail(c, "with %s expected %s to print its line only "
							  "after reaping all its children; it printed it "
							  "before it had reaped %s", sized[s].shown,
							  q_label(p), q_label(g));
			}
		}
	}
	return CHECK_PASS;
}

static int check_one_at_a_time(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		for (size_t i = 0; i < r->nprocs; i++) {
			const struct rec_proc *p = r->procs[i];
			for (size_t k = 1; k < p->nchildren; k++) {
				const struct rec_proc *prev = p->children[k - 1];
				if (!q_reaped_by_parent(prev) ||
				    p->children[k]->forked_seq < prev->reaped_seq)
					return check_fail(c, "with %s expected %s to reap %s before "
							  "forking %s; it forked it first. Wait for each "
							  "child right after forking it", sized[s].shown,
							  q_label(p), q_label(prev),
							  q_label(p->children[k]));
			}
		}
	}
	return CHECK_PASS;
}

static int check_exit_status(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with %s the run did not finish by itself: %s",
					  sized[s].shown, problem);
		for (size_t i = 0; i < r->nprocs; i++)
			if (q_status(r->procs[i]) != 0)
				return check_fail(c, "with %s expected every process to exit with "
						  "status 0; %s ended with %d", sized[s].shown,
						  q_label(r->procs[i]), q_status(r->procs[i]));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-zero", "usage-six", "usage-word",
					   "usage-extra" };
	static const char *const shown[] = { "\"0\"", "\"2 6\"", "\"two\"", "\"1 1 1\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "shape", 2, "the tree has exactly the asked shape; no runaway child",
	  check_shape, "Every child ends with exit()" },
	{ "pids", 2, "each process prints its line with its real pid and ppid", check_pids,
	  "Task" },
	{ "reaped-by-parent", 2, "every process is reaped by its own parent, none adopted",
	  check_reaped_by_parent, "Zombies and orphans" },
	{ "child-after-grandchildren", 1, "a child prints its line after reaping its children",
	  check_child_after_grandchildren, "Zombies and orphans" },
	{ "one-at-a-time", 1, "each process waits for a child before forking the next",
	  check_one_at_a_time, "Task" },
	{ "exit-status", 1, "every process exits with status 0", check_exit_status, "Task" },
	{ "usage", 1, "a size outside 1..5 or extra arguments: usage on stderr, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "tree.c", NULL };

/* The checks about who reaped whom and when: their verdicts show how to see every zombie time. */
static const char *const zombie_checks[] = { "reaped-by-parent", "child-after-grandchildren",
					     NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"Every process that forks is a parent and reaps its own children: the children reap "
	"the grandchildren, P reaps the children.",
	"run_child() is main()'s loop one level down: fork a grandchild, let it run "
	"run_grandchild(), wait for it, then the next.",
	"After its grandchildren, the child prints its own line, then exit(0): returning from "
	"run_child() would take it back into main()'s loop.",
	NULL,
};

const struct lab lab04 = {
	.number = 4,
	.name = "04-process-tree",
	.title = "A tree of processes",
	.program = "tree",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
	.zombie_checks = zombie_checks,
};
