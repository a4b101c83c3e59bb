/* lab09.c - lab 09-zombie-reaper: `jobs N` starts a job every 50 ms and must reap each one as it
 * ends while its own loop goes on. Judged on the record's lifetimes: how long each job stayed a
 * zombie, how many were zombies at once, whether the jobs overlapped, and who reaped them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

#define MAX_ZOMBIE_MS 150.0   /* a job may stay a zombie this long */
#define MAX_ZOMBIES 2         /* this many jobs may be zombies at once */
#define MIN_OVERLAP 3         /* with N = 20, the spec has about 8 jobs running at once */
#define BIG_N 20
#define START_EVERY_MS 50.0   /* job i is due 50 * i ms after job 0 */
#define MAX_LATE_MS 150.0     /* and may start this much later (a loaded machine stalls a
				       loop for 100 ms at times; a blocking wait, for 190 ms or more) */

static const char *const args_20[] = { "20", NULL };
static const char *const args_3[] = { "3", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_21[] = { "21", NULL };
static const char *const args_garbage[] = { "5x", NULL };

/* The first job's SIGCHLD reaches P only once the second job has ended too: one signal for two
 * endings, as when P waits for a CPU. A handler (or round) that reaps one job per signal then
 * leaves a zombie behind every time, not only on a busy machine. */
#define MERGE_MS 1000.0

static const struct scenario scenarios[] = {
	{ .id = "n20", .args = args_20, .timeout_s = 5, .max_procs = 32,
	  .merge_sigchld_ms = MERGE_MS },
	{ .id = "n3", .args = args_3, .timeout_s = 4, .max_procs = 8,
	  .merge_sigchld_ms = MERGE_MS },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-21", .args = args_21, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-garbage", .args = args_garbage, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; int n; } sized[] = { { "n20", BIG_N }, { "n3", 3 } };
#define NSIZED (sizeof sized / sizeof sized[0])

/* When p stopped being a zombie: its reap, or the end of the run when nobody reaped it.
 * Returns -1 for a process that never exited. */
static double zombie_end_ms(const struct record *r, const struct rec_proc *p)
{
	if (!p->exited)
		return -1;
	if (p->reaped_by != 0)
		return p->reaped_ms;
	return r->duration_ms;
}

static double zombie_ms(const struct record *r, const struct rec_proc *p)
{
	double end = zombie_end_ms(r, p);
	return end < 0 ? -1 : end - p->exited_ms;
}

/* The verdict for a job P did not reap, by what became of it. */
static int fail_not_reaped(struct check_ctx *c, const struct record *r, const struct rec_proc *p)
{
	if (!p->exited || p->killed_by_forklab)
		return check_fail(c, "with N = %zu, %s was still running when the run was stopped, "
				  "so P never reaped it", r->root->nchildren, q_label(p));
	if (p->reaped_by == REC_FORKLAB)
		return check_fail(c, "with N = %zu, P never reaped %s: it stayed a zombie for %.0f ms, "
				  "until P exited and forklab adopted and reaped it. Reap each job "
				  "with waitpid() as it ends", r->root->nchildren, q_label(p),
				  zombie_ms(r, p));
	if (p->reaped_by == 0)
		return check_fail(c, "with N = %zu, nobody collected %s's status: with SIGCHLD "
				  "ignored (SIG_IGN or SA_NOCLDWAIT) the kernel discards ended "
				  "children, but this lab asks P to reap each job with waitpid() and "
				  "report its status", r->root->nchildren, q_label(p));
	return check_fail(c, "with N = %zu, %s was reaped by pid %d, not by P",
			  r->root->nchildren, q_label(p), (int)p->reaped_by);
}

static int check_reaped(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (r == NULL)
			return CHECK_FAIL;
		if (r->root->nchildren == 0)
			return check_fail(c, "with N = %d, P started no job", sized[s].n);
		for (size_t i = 1; i < r->nprocs; i++)
			if (r->procs[i]->reaper != r->root)
				return fail_not_reaped(c, r, r->procs[i]);
	}
	return CHECK_PASS;
}

/* A job other than p that was already a zombie when P reaped p and stayed one for more than
 * 20 ms after: what a single waitpid() per signal or per round leaves behind. NULL if none. */
static const struct rec_proc *left_behind(const struct record *r, const struct rec_proc *p)
{
	for (size_t i = 0; i < r->root->nchildren; i++) {
		const struct rec_proc *q = r->root->children[i];
		if (q == p || !q->exited || q->exited_ms >= p->reaped_ms)
			continue;
		double end = zombie_end_ms(r, q);
		if (end > p->reaped_ms + 20)
			return q;
	}
	return NULL;
}

/* Why the worst zombie lived so long, for the verdict: a pattern in how P reaped. */
static const char *zombie_cause(const struct record *r, const struct rec_proc *worst,
				char *buf, size_t len)
{
	const struct rec_proc *root = r->root, *last = root->children[root->nchildren - 1];
	double first_reap = -1;

	for (size_t i = 0; i < root->nchildren; i++) {
		const struct rec_proc *p = root->children[i];
		if (p->reaper == root && (first_reap < 0 || p->reaped_ms < first_reap))
			first_reap = p->reaped_ms;
	}
	if (first_reap < 0)
		return "P reaped none of its jobs. Reap each one as it ends: waitpid(-1, &status, "
		       "WNOHANG) in a loop, whenever SIGCHLD says a job ended";
	if (first_reap > last->forked_ms && worst->exited_ms < last->forked_ms)
		return "P reaped nothing until it had started every job: reap while starting them";
	for (size_t i = 0; i < root->nchildren; i++) {
		const struct rec_proc *p = root->children[i], *q;
		if (p->reaper == root && (q = left_behind(r, p)) != NULL) {
			snprintf(buf, len, "when P reaped %s, %s had ended too and stayed a zombie: "
				 "one waitpid() per signal or per round is not enough, call it in a "
				 "loop until it returns 0", p->name, q->name);
			return buf;
		}
	}
	return "P did not look for ended jobs often enough: reap from a SIGCHLD handler's flag, "
	       "a signalfd, or a WNOHANG loop at least every 50 ms";
}

static int check_zombie_time(struct check_ctx *c)
{
	struct record *r = check_run(c, "n20");
	const struct rec_proc *worst = NULL;
	char buf[512];

	if (r == NULL)
		return CHECK_FAIL;
	for (size_t i = 0; i < r->root->nchildren; i++) {
		const struct rec_proc *p = r->root->children[i];
		if (zombie_ms(r, p) > MAX_ZOMBIE_MS && (!worst || zombie_ms(r, p) > zombie_ms(r, worst)))
			worst = p;
	}
	if (worst == NULL)
		return CHECK_PASS;
	return check_fail(c, "with N = 20, %s stayed a zombie for %.0f ms (at most %.0f ms "
			  "allowed): %s", q_label(worst), zombie_ms(r, worst), MAX_ZOMBIE_MS,
			  zombie_cause(r, worst, buf, sizeof buf));
}

/* The most jobs that were zombies at the same moment; *when gets a moment it happened. */
static int most_zombies(const struct record *r, double *when)
{
	int most = 0;

	for (size_t i = 0; i < r->root->nchildren; i++) {
		const struct rec_proc *p = r->root->children[i];
		if (!p->exited)
			continue;
		/* Count the zombies at the moment p became one. */
		int n = 0;
		for (size_t k = 0; k < r->root->nchildren; k++) {
			const struct rec_proc *q = r->root->children[k];
			if (q->exited && q->exited_ms <= p->exited_ms &&
			    zombie_end_ms(r, q) > p->exited_ms)
				n++;
		}
		if (n > most) {
			most = n;
			*when = p->exited_ms;
		}
	}
	return most;
}

static int check_zombies_at_once(struct check_ctx *c)
{
	struct record *r = check_run(c, "n20");
	double when = 0;

	if (r == NULL)
		return CHECK_FAIL;
	int most = most_zombies(r, &when);
	if (most > MAX_ZOMBIES)
		return check_fail(c, "with N = 20, %d jobs were zombies at once (at %.0f ms; at most "
				  "%d allowed): ended jobs piled up waiting for P to reap them", most,
				  when, MAX_ZOMBIES);
	return CHECK_PASS;
}

static int check_no_blocking(struct check_ctx *c)
{
	struct record *r = check_run(c, "n20");

	if (r == NULL)
		return CHECK_FAIL;
	const struct rec_proc *root = r->root;
	if (root->nchildren < 2)
		return check_fail(c, "with N = 20, P started %zu job(s)", root->nchildren);
	for (size_t i = 1; i < root->nchildren; i++) {
		const struct rec_proc *p = root->children[i];
		double due = root->children[0]->forked_ms + START_EVERY_MS * (double)i;
		if (p->forked_ms > due + MAX_LATE_MS)
			return check_fail(c, "with N = 20, job %zu (%s) started %.0f ms late (at "
					  "%.0f ms, due at %.0f ms): P's loop stood still, blocked in "
					  "waitpid() while jobs ran. Reap with WNOHANG, so that the "
					  "loop goes on", i, q_label(p), p->forked_ms - due,
					  p->forked_ms, due);
	}
	int most = q_max_alive_children(root);
	if (most < MIN_OVERLAP)
		return check_fail(c, "with N = 20, at most %d job(s) ran at a time: P waited for "
				  "each job before starting the next, so the jobs ran one by one. "
				  "Start a job every 50 ms and reap without blocking (WNOHANG)", most);
	return CHECK_PASS;
}

/* Checks one line "job I (pid X) exited with status S" against the record. */
static int judge_job_line(struct check_ctx *c, const struct record *r, const char *line, int n,
			  bool *seen)
{
	int i, pid, status, end = 0;

	if (sscanf(line, "job %d (pid %d) exited with status %d%n", &i, &pid, &status, &end) != 3 ||
	    line[end] != '\0' || i < 0 || i >= n)
		return check_fail(c, "with N = %d, unexpected line '%s' (expected 'job <i> (pid "
				  "<pid>) exited with status <i>' for i = 0..%d, then 'all %d jobs "
				  "reaped')", n, line, n - 1, n);
	if (seen[i])
		return check_fail(c, "with N = %d, job %d was reported twice%s", n, i,
				  common_repeat_hint(r));
	seen[i] = true;
	if (status != i)
		return check_fail(c, "with N = %d, the line '%s' gives status %d; job %d ends with "
				  "_exit(%d)%s", n, line, status, i, i, status == i << 8 ?
				  ": that is the raw wait status, decode it with WEXITSTATUS()" : "");
	const struct rec_proc *job = (size_t)i < r->root->nchildren ? r->root->children[i] : NULL;
	if (job == NULL || job->pid != pid) {
		const struct rec_proc *named = record_by_pid(r, pid);
		return check_fail(c, "with N = %d, the line '%s' names pid %d, but the job that "
				  "exited with status %d is %s%s%s: print the pid waitpid() returned",
				  n, line, pid, i, q_label(job), named ? ", not " : "",
				  named ? q_label(named) : "");
	}
	return CHECK_PASS;
}

static int check_lines(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		char **lines = NULL, last[64];
		bool unterminated = false, seen[BIG_N] = { false };
		int n = sized[s].n, bad = CHECK_PASS;

		if (r == NULL)
			return CHECK_FAIL;
		size_t nl = q_lines(r->root, 1, &lines, &unterminated);
		snprintf(last, sizeof last, "all %d jobs reaped", n);
		for (size_t k = 0; k + 1 < nl && !bad; k++)
			bad = judge_job_line(c, r, lines[k], n, seen);
		if (!bad && (nl != (size_t)n + 1 || unterminated || strcmp(lines[nl - 1], last)))
			bad = check_fail(c, "with N = %d, P printed %zu line(s)%s; expected one line "
					 "per job as it is reaped, then '%s' last", n, nl,
					 nl ? (strcmp(lines[nl - 1], last) ? ", not ending in the "
					       "summary line" : "") : "", last);
		q_lines_free(lines, nl);
		if (bad)
			return CHECK_FAIL;
		if (r->out.len != r->root->out.len)
			return check_fail(c, "with N = %d, the jobs printed on stdout themselves; only "
					  "P prints", n);
	}
	return CHECK_PASS;
}

static int check_statuses(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (r == NULL)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with N = %d the run did not finish by itself: %s",
					  sized[s].n, problem);
		if (q_status(r->root) != 0)
			return check_fail(c, "with N = %d, P exited with status %d, expected 0 after "
					  "reaping every job", sized[s].n, q_status(r->root));
		if (r->root->nchildren != (size_t)sized[s].n)
			return check_fail(c, "with N = %d, P started %zu jobs", sized[s].n,
					  r->root->nchildren);
		for (size_t i = 0; i < r->root->nchildren; i++) {
			const struct rec_proc *p = r->root->children[i];
			if (q_status(p) != (int)i || p->nchildren)
				return check_fail(c, "with N = %d, job %zu (%s) should fork nothing "
						  "and end with _exit(%zu); it %s and ended with %d",
						  sized[s].n, i, q_label(p), i, p->nchildren ?
						  "forked" : "forked nothing", q_status(p));
		}
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-zero", "usage-21",
					   "usage-garbage" };
	static const char *const shown[] = { "no argument", "\"0\"", "\"21\"", "\"5x\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "reaped", 2, "every job reaped by P itself", check_reaped, "Reaping as jobs end" },
	{ "zombie-time", 2, "no job stays a zombie more than 150 ms", check_zombie_time,
	  "Reaping as jobs end" },
	{ "zombies-at-once", 1, "never more than 2 zombies at once", check_zombies_at_once,
	  "Reaping as jobs end" },
	{ "no-blocking", 1, "a job starts every 50 ms and they overlap: P never blocks in wait",
	  check_no_blocking,
	  "The parent's own loop" },
	{ "lines", 2, "one line per job with the pid of the job with that status, then the total",
	  check_lines, "Task" },
	{ "statuses", 1, "job i ends with status i, P with 0", check_statuses, "Task" },
	{ "usage", 1, "N outside 1..20, garbage or missing: usage on stderr, exit 2", check_usage,
	  "Task" },
};

static const char *const sources[] = { "jobs.c", NULL };

/* The checks about when the jobs were reaped: their verdicts show how to see every zombie time. */
static const char *const zombie_checks[] = { "reaped", "zombie-time", "zombies-at-once", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"A child that has ended stays a zombie until its parent waits for it. A parent with its "
	"own work to do cannot sit in wait(): it must collect each job as it ends, and go on.",
	"waitpid(-1, &status, WNOHANG) returns a pid when some child has ended and 0 when none "
	"has yet: call it in a loop until it returns 0 or -1, and your own loop never blocks.",
	"Run that loop often enough (each pass of the busy loop, or from a SIGCHLD handler that "
	"only sets a flag, or on a signalfd). Print from the main flow, with the pid waitpid() "
	"returned and WEXITSTATUS(status).",
	NULL,
};

const struct lab lab09 = {
	.number = 9,
	.name = "09-zombie-reaper",
	.title = "Reaping jobs as they end",
	.program = "jobs",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
	.zombie_checks = zombie_checks,
};

