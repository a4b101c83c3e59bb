/* lab10.c - lab 10-orphans: `orphan` leaves a child behind when its parent exits, and
 * `orphan --subreaper` makes the parent the adopter of the grandchild its child leaves behind.
 * Judged on the record: who ended first, whom the kernel gave the orphan to, and whether the
 * orphan's line names that adopter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "lab.h"
#include "labs58.h"
#include "query.h"

#define NOTICE_MS 500.0   /* the orphan polls every 10 ms: it must notice well within this */

static const char *const args_plain[] = { NULL };
static const char *const args_sub[] = { "--subreaper", NULL };
static const char *const args_word[] = { "--sub", NULL };
static const char *const args_extra[] = { "--subreaper", "x", NULL };

/* Each new process starts only once its parent has died (or after HOLD_MS): an orphan that
 * asks getppid() for its old parent after fork() then always gets its adopter, as it may on
 * any busy machine, instead of passing because its parent happened to be slower. */
#define HOLD_MS 300.0

static const struct scenario scenarios[] = {
	{ .id = "plain", .args = args_plain, .timeout_s = 4, .max_procs = 8,
	  .hold_children_ms = HOLD_MS },
	{ .id = "subreaper", .args = args_sub, .timeout_s = 4, .max_procs = 8,
	  .hold_children_ms = HOLD_MS },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-extra", .args = args_extra, .timeout_s = 2, .max_procs = 4 },
};

/* The pid of the process that adopted p, as the orphan itself would see it in getppid(), or 0.
 * forklab traces in the process that grades, so forklab's pid is this process's. */
static pid_t adopter_pid(const struct rec_proc *p)
{
	if (p->adopted_by == REC_FORKLAB)
		return getpid();
	return p->adopted_by > 0 ? p->adopted_by : 0;
}

/* "forklab (pid 123), a child subreaper" or "P (pid 4)": who adopted p, for verdicts. */
static const char *adopter_name(const struct record *r, const struct rec_proc *p)
{
	static __thread char buf[128];
	const struct rec_proc *a = p->adopted_by > 0 ? record_by_pid(r, p->adopted_by) : NULL;

	if (p->adopted_by == REC_FORKLAB)
		snprintf(buf, sizeof buf, "forklab (pid %d), which is a child subreaper",
			 (int)getpid());
	else if (a)
		snprintf(buf, sizeof buf, "%s", q_label(a));
	else if (p->adopted_by > 0)
		snprintf(buf, sizeof buf, "pid %d", (int)p->adopted_by);
	else
		snprintf(buf, sizeof buf, "nobody");
	return buf;
}

/* The run's orphan: P.1 in plain mode, P.1.1 with --subreaper. NULL (after failing the check)
 * when the program did not make it. */
static struct rec_proc *the_orphan(struct check_ctx *c, struct record *r, bool sub)
{
	struct rec_proc *p = record_find(r, sub ? "P.1.1" : "P.1");

	if (p == NULL)
		check_fail(c, "%s: P%s never forked %s", sub ? "with --subreaper" : "without options",
			   sub ? ".1" : "", sub ? "the grandchild P.1.1" : "a child");
	return p;
}

/* The orphan o printed exactly one line, "orphan <o>: old parent <old>, new parent <new>",
 * where old is its creator's pid and new its adopter's. */
static int judge_orphan_line(struct check_ctx *c, const struct record *r,
			     const struct rec_proc *o, const char *mode)
{
	char want[128], *got = NULL;
	const char *line = want;
	pid_t adopter = adopter_pid(o);

	int said_old = -1, said_new = -1;
	char **lines = NULL;
	bool unterminated;
	size_t n = q_lines(o, 1, &lines, &unterminated);
	if (n >= 1)
		sscanf(lines[0], "orphan %*d: old parent %d, new parent %d", &said_old, &said_new);
	q_lines_free(lines, n);

	if (o->parent && said_old > 0 && said_old != o->parent->pid)
		return check_fail(c, "%s: %s said its old parent was %d, but it was born to %s. By "
				  "the time it asked getppid(), %s had already exited and it had "
				  "been adopted: save the parent's pid before fork(), never from the "
				  "orphan's own first getppid()", mode, q_label(o), said_old,
				  q_label(o->parent), o->parent->name);
	if (adopter == 0)
		return check_fail(c, "%s: %s was never adopted: its parent %s did not end while it "
				  "was running", mode, q_label(o), q_label(o->parent));
	snprintf(want, sizeof want, "orphan %d: old parent %d, new parent %d", (int)o->pid,
		 (int)o->parent->pid, (int)adopter);
	if (l58_lines_are(o, 1, &line, 1, &got))
		return CHECK_PASS;
	if (said_new == 1 && adopter != 1)
		check_fail(c, "%s: %s printed new parent 1, but the record shows it was adopted by "
			   "%s, not by init: an orphan goes to the nearest ancestor that is a "
			   "subreaper, and to pid 1 only when there is none. Print what getppid() "
			   "returns once it has changed", mode, q_label(o), adopter_name(r, o));
	else
		check_fail(c, "%s: %s should print exactly '%s' (its adopter is %s); it printed %s%s",
			   mode, q_label(o), want, adopter_name(r, o), got, common_repeat_hint(r));
	free(got);
	return CHECK_FAIL;
}

static int check_parent_first(struct check_ctx *c)
{
	struct record *r = check_run(c, "plain");
	struct rec_proc *o;

	if (r == NULL || (o = the_orphan(c, r, false)) == NULL)
		return CHECK_FAIL;
	if (o->reaper == r->root)
		return check_fail(c, "P waited for %s and reaped it: a child whose parent waits for "
				  "it is never orphaned. P must exit right after fork(), without "
				  "waiting", q_label(o));
	if (!r->root->exited || !o->exited || r->root->exited_seq > o->exited_seq)
		return check_fail(c, "%s ended before its parent P: then it is a zombie waiting for "
				  "P, not an orphan. P exits first; the child waits until it has been "
				  "adopted", q_label(o));
	if (!o->orphaned)
		return check_fail(c, "%s was not running when P exited, so it was never orphaned",
				  q_label(o));
	return CHECK_PASS;
}

static int check_parent_line(struct check_ctx *c)
{
	struct record *r = check_run(c, "plain");
	char want[64];

	if (r == NULL)
		return CHECK_FAIL;
	snprintf(want, sizeof want, "parent %d exiting", (int)r->root->pid);
	const struct rec_proc *w = q_line_writer(r, 1, want);
	unsigned long seq = q_line_seq(r, r->root, 1, want);
	if (w && w != r->root)
		return check_fail(c, "'%s' was written by %s, not by P%s", want, q_label(w),
				  common_repeat_hint(r));
	if (common_has_repeated_line(r))
		return check_fail(c, "a line reached stdout twice%s", common_repeat_hint(r));
	if (seq == 0)
		return check_fail(c, "P should print '%s' before it forks", want);
	if (r->root->nchildren && seq > r->root->children[0]->forked_seq)
		return check_fail(c, "'%s' reached stdout only after P forked: flush it first", want);
	if (q_status(r->root) != 0)
		return check_fail(c, "P exited with status %d, expected 0", q_status(r->root));
	return CHECK_PASS;
}

static int check_adopter(struct check_ctx *c)
{
	struct record *r = check_run(c, "plain");
	struct rec_proc *o;

	if (r == NULL || (o = the_orphan(c, r, false)) == NULL)
		return CHECK_FAIL;
	return judge_orphan_line(c, r, o, "without options");
}

static int check_noticed(struct check_ctx *c)
{
	for (int sub = 0; sub <= 1; sub++) {
		struct record *r = check_run(c, sub ? "subreaper" : "plain");
		struct rec_proc *o;
		const char *mode = sub ? "with --subreaper" : "without options";

		if (r == NULL || (o = the_orphan(c, r, sub)) == NULL)
			return CHECK_FAIL;
		if (q_run_problem(r))
			return check_fail(c, "%s the run did not finish by itself: %s", mode,
					  q_run_problem(r));
		if (!o->orphaned)
			continue;   /* parent-first or the subreaper checks say why */
		double late = o->exited_ms - o->orphaned_ms;
		if (late > NOTICE_MS)
			return check_fail(c, "%s: %s was adopted at %.0f ms but ended %.0f ms later: "
					  "it kept waiting after getppid() had changed. Stop as soon as "
					  "getppid() is no longer the old parent (waiting for it to "
					  "become 1, init, never ends under a subreaper)", mode,
					  q_label(o), o->orphaned_ms, late);
		if (q_status(o) != 0)
			return check_fail(c, "%s: %s ended with status %d, %.0f ms after it was "
					  "adopted, without seeing the change: look at getppid() every "
					  "10 ms until it is no longer the old parent", mode, q_label(o),
					  q_status(o), late);
	}
	return CHECK_PASS;
}

/* The --subreaper run's shape: P → C → G and nothing else; C ended while G ran. */
static int check_sub_shape(struct check_ctx *c)
{
	struct record *r = check_run(c, "subreaper");
	struct rec_proc *g;

	if (r == NULL || (g = the_orphan(c, r, true)) == NULL)
		return CHECK_FAIL;
	const struct rec_proc *mid = g->parent;
	if (r->nprocs != 3)
		return check_fail(c, "with --subreaper expected exactly P, P.1 and P.1.1; %zu "
				  "processes were created", r->nprocs);
	/* Who took G over comes first: a G that did not wait to be adopted may have ended
	 * before C, and is then handed over as a zombie, but to the same adopter. */
	if (g->adopted_by != 0 && g->adopted_by != r->root->pid)
		return check_fail(c, "with --subreaper the orphan %s was adopted by %s, not by P: "
				  "P must make itself a child subreaper (prctl(PR_SET_CHILD_SUBREAPER,"
				  " 1)) before it forks", q_label(g), adopter_name(r, g));
	if (!mid->exited || !g->orphaned || mid->exited_seq > g->exited_seq)
		return check_fail(c, "with --subreaper %s should exit right after forking %s, "
				  "leaving it an orphan", q_label(mid), q_label(g));
	return judge_orphan_line(c, r, g, "with --subreaper");
}

static int check_sub_reaps(struct check_ctx *c)
{
	struct record *r = check_run(c, "subreaper");
	struct rec_proc *g;
	char want[96], *got = NULL;
	const char *line = want;

	if (r == NULL || (g = the_orphan(c, r, true)) == NULL)
		return CHECK_FAIL;
	struct rec_proc *mid = g->parent;
	struct rec_proc *kids[] = { mid, g };
	for (size_t i = 0; i < 2; i++)
		if (kids[i]->reaper != r->root)
			return check_fail(c, "with --subreaper %s was reaped by %s, not by P: P "
					  "reaps its child and then the grandchild it adopted "
					  "(waitpid(), then wait())", q_label(kids[i]),
					  kids[i]->reaped_by == REC_FORKLAB ? "forklab" :
					  kids[i]->reaped_by ? "another process" : "nobody");
	snprintf(want, sizeof want, "subreaper %d reaped %d and %d", (int)r->root->pid,
		 (int)mid->pid, (int)g->pid);
	if (!l58_lines_are(r->root, 1, &line, 1, &got)) {
		check_fail(c, "with --subreaper P should print exactly '%s'; it printed %s", want,
			   got);
		free(got);
		return CHECK_FAIL;
	}
	if (q_line_seq(r, r->root, 1, want) < g->reaped_seq)
		return check_fail(c, "with --subreaper P printed its line before it had reaped %s",
				  q_label(g));
	if (q_status(r->root) != 0)
		return check_fail(c, "with --subreaper P exited with status %d, expected 0",
				  q_status(r->root));
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-word", "usage-extra" };
	static const char *const shown[] = { "\"--sub\"", "\"--subreaper x\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "parent-first", 2, "P exits while its child still runs: the child is orphaned",
	  check_parent_first, "Orphans" },
	{ "parent-line", 1, "P prints 'parent <P> exiting' once, before it forks, and exits 0",
	  check_parent_line, "Task" },
	{ "adopter", 2, "the orphan names the process that really adopted it",
	  check_adopter, "Who adopts an orphan" },
	{ "noticed", 1, "the orphan notices its adoption at once and exits 0",
	  check_noticed, "Task" },
	{ "subreaper-shape", 2, "--subreaper: P → C → G, and G adopted by P",
	  check_sub_shape, "Subreapers" },
	{ "subreaper-reaps", 1, "--subreaper: P reaps C and G, then prints both pids",
	  check_sub_reaps, "Subreapers" },
	{ "usage", 1, "an unknown option or an extra argument: usage on stderr, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "orphan.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"A process whose parent ends first is handed to a new parent: the nearest child "
	"subreaper above it, or init. Until then getppid() names the old parent; watch for that "
	"to change.",
	"Save the old parent's pid before anything can end it: take it with getpid() in the "
	"parent, before the fork that makes the orphan, in both modes. The child's getppid() "
	"right after fork() races with its parent's exit and may already name the adopter.",
	"--subreaper: prctl(PR_SET_CHILD_SUBREAPER, 1) in the top process before it forks; then "
	"orphans below it come to it, and it reaps them with wait() like its own children.",
	NULL,
};

const struct lab lab10 = {
	.number = 10,
	.name = "10-orphans",
	.title = "Orphans and who adopts them",
	.program = "orphan",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
