/* lab05.c - lab 05-exec-status: `run PROGRAM [ARG...]` forks, execs PROGRAM in the child and
 * reports how it ended. Graded on who exec'd what, with which argv, and on the statuses. */
#include <stdlib.h>
#include <string.h>
#include "lab.h"
#include "labs58.h"
#include "query.h"

static const char *const helpers[] = { "exit_with", "die_by", "show_args", NULL };

static const char *const args_args[] = { "show_args", "hello world", "", "a  b", NULL };
static const char *const args_exit3[] = { "exit_with", "3", NULL };
static const char *const args_exit255[] = { "exit_with", "255", NULL };
static const char *const args_segv[] = { "die_by", "SEGV", NULL };
static const char *const args_kill[] = { "die_by", "KILL", NULL };
static const char *const args_missing[] = { "no-such-program", NULL };
static const char *const args_noexec[] = { "./notes.txt", NULL };
static const char *const files_noexec[] = { "notes.txt=not a program\n:0644", NULL };
static const char *const args_none[] = { NULL };

static const struct scenario scenarios[] = {
	{ .id = "args", .args = args_args, .helpers = helpers, .timeout_s = 3 },
	{ .id = "exit3", .args = args_exit3, .helpers = helpers, .timeout_s = 3 },
	{ .id = "exit255", .args = args_exit255, .helpers = helpers, .timeout_s = 3 },
	{ .id = "segv", .args = args_segv, .helpers = helpers, .timeout_s = 3 },
	{ .id = "kill", .args = args_kill, .helpers = helpers, .timeout_s = 3 },
	{ .id = "missing", .args = args_missing, .helpers = helpers, .timeout_s = 3 },
	{ .id = "noexec", .args = args_noexec, .files = files_noexec, .timeout_s = 3 },
	{ .id = "usage", .args = args_none, .timeout_s = 3 },
};

/* The scenarios in which PROGRAM exists and runs. */
static const char *const running[] = { "args", "exit3", "exit255", "segv", "kill" };
#define NRUNNING (sizeof running / sizeof running[0])

static int check_exec_in_child(struct check_ctx *c)
{
	for (size_t i = 0; i < NRUNNING; i++) {
		struct run *run = check_run_full(c, running[i]);
		const struct rec_exec *e;
		const char *prog;
		struct rec_proc *p;

		if (run == NULL)
			return CHECK_FAIL;
		prog = run->sc->args[0];
		if ((e = l58_first_exec(run, run->rec->root)) != NULL)
			return check_fail(c, "P exec'd %s itself: exec replaces the program of the process "
					  "that calls it, so nobody was left to wait and report; fork() "
					  "first and exec in the child", e->argv[0] ? e->argv[0] : e->path);
		p = l58_execer(run, prog, NULL);
		if (p == NULL)
			return check_fail(c, "in scenario '%s' no process exec'd %s", run->sc->id, prog);
		if (p->parent != run->rec->root)
			return check_fail(c, "%s was exec'd by %s, not by a child of P", prog,
					  q_label(p));
		if (run->rec->root->nchildren != 1)
			return check_fail(c, "in scenario '%s' P forked %zu children: one fork, one "
					  "child that becomes PROGRAM", run->sc->id,
					  run->rec->root->nchildren);
	}
	return CHECK_PASS;
}

static int check_argv(struct check_ctx *c)
{
	struct run *run = check_run_full(c, "args");
	const struct rec_exec *e;
	char *want, *got;
	bool ok = true;
	int argc = 0;

	if (run == NULL)
		return CHECK_FAIL;
	if (l58_execer(run, "show_args", &e) == NULL)
		return check_fail(c, "no process exec'd show_args, so its arguments never arrived");
	while (args_args[argc])
		argc++;
	ok = e->argc == argc;
	for (int i = 0; ok && i < argc; i++)
		ok = strcmp(e->argv[i], args_args[i]) == 0;
	if (ok)
		return CHECK_PASS;
	want = l58_quote_argv((char *const *)args_args);
	got = l58_quote_argv(e->argv);
	check_fail(c, "show_args was exec'd with argv %s, but run was given %s: pass the "
		   "arguments after PROGRAM as they are (argv + 1), with the spaces and empty strings "
		   "untouched", got, want);
	free(want);
	free(got);
	return CHECK_FAIL;
}

/* Scenario id's parent line must be exactly `line`, the only line P printed, and P must exit
 * with status. */
static int parent_reports(struct check_ctx *c, const char *id, const char *line, int status,
			  const char *hint)
{
	return l58_parent_reports(c, id, line, status, NULL, ": return the status it reported",
				  hint);
}

static int check_status_exit(struct check_ctx *c)
{
	static const char *hint = " (WEXITSTATUS(status) is the child's exit status)";

	if (parent_reports(c, "args", "run: show_args exited with status 0", 0, hint) ||
	    parent_reports(c, "exit3", "run: exit_with exited with status 3", 3, hint) ||
	    parent_reports(c, "exit255", "run: exit_with exited with status 255", 255, hint))
		return CHECK_FAIL;
	return CHECK_PASS;
}

static int check_status_signal(struct check_ctx *c)
{
	static const char *hint = " (a child killed by a signal has no exit status: test "
				  "WIFSIGNALED(status), then WTERMSIG(status) is the signal)";

	if (parent_reports(c, "segv", "run: die_by killed by signal 11 (SIGSEGV)", 139, hint) ||
	    parent_reports(c, "kill", "run: die_by killed by signal 9 (SIGKILL)", 137, hint))
		return CHECK_FAIL;
	return CHECK_PASS;
}

/* After a failed exec the child must say why and _exit(code), nothing else: no output on
 * stdout, no fork, no second report. */
static int exec_failure(struct check_ctx *c, const char *id, const char *prog, const char *reason,
			int code)
{
	struct record *r = check_run(c, id);
	struct rec_proc *child;
	char want_err[256], want_out[256];
	char *got = NULL;
	const char *w;

	if (r == NULL)
		return CHECK_FAIL;
	if ((child = record_find(r, "P.1")) == NULL)
		return check_fail(c, "in scenario '%s' P never forked", id);
	if (child->nchildren > 0 || child->out.len > 0)
		return check_fail(c, "after its exec of %s failed, %s went on running the parent's "
				  "code (%s): a failed exec returns, so the child must _exit(%d) "
				  "right after it", prog, q_label(child),
				  child->nchildren ? "it forked too" : "it printed on stdout", code);
	if (q_status(child) != code)
		return check_fail(c, "%s's exec of %s failed (%s) and it exited with status %d, "
				  "expected %d%s", q_label(child), prog, reason, q_status(child),
				  code, code == 126 ? ": 126 means found but not executable, 127 "
				  "means not found" : ": a child that returns from a failed exec "
				  "runs on as a second copy of the parent");
	snprintf(want_err, sizeof want_err, "run: %s: %s", prog, reason);
	w = want_err;
	if (!l58_lines_are(child, 2, &w, 1, &got)) {
		check_fail(c, "after the failed exec, %s should print '%s' on stderr but printed %s",
			   q_label(child), want_err, got);
		free(got);
		return CHECK_FAIL;
	}
	snprintf(want_out, sizeof want_out, "run: %s exited with status %d", prog, code);
	return parent_reports(c, id, want_out, code, "");
}

static int check_exec_fail_127(struct check_ctx *c)
{
	return exec_failure(c, "missing", "no-such-program", "No such file or directory", 127);
}

static int check_exec_fail_126(struct check_ctx *c)
{
	return exec_failure(c, "noexec", "./notes.txt", "Permission denied", 126);
}

static int check_waits(struct check_ctx *c)
{
	for (size_t i = 0; i < NRUNNING; i++) {
		struct record *r = check_run(c, running[i]);
		struct rec_proc *child;

		if (r == NULL)
			return CHECK_FAIL;
		if ((child = record_find(r, "P.1")) == NULL)
			return check_fail(c, "in scenario '%s' P never forked", running[i]);
		if (child->reaper != r->root)
			return check_fail(c, "in scenario '%s' P did not wait for %s: only wait() "
					  "tells the parent how its child ended", running[i],
					  q_label(child));
		for (size_t k = 0; k < r->nwrites; k++)
			if (r->writes[k].proc == r->root && r->writes[k].stream == 1 &&
			    r->writes[k].seq < child->reaped_seq)
				return check_fail(c, "in scenario '%s' P printed before it had "
						  "reaped %s: it cannot know the status yet",
						  running[i], q_label(child));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	struct record *r = check_run(c, "usage");

	if (r == NULL)
		return CHECK_FAIL;
	if (q_status(r->root) != 2 || r->nprocs > 1 || r->root->out.len > 0 || r->root->err.len == 0)
		return check_fail(c, "run with no arguments should print a usage line on stderr, "
				  "fork nothing and exit 2; it exited with status %d after %zu "
				  "fork(s) and wrote %zu bytes on stdout, %zu on stderr",
				  q_status(r->root), r->nprocs - 1, r->root->out.len,
				  r->root->err.len);
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "exec-in-child", 2, "PROGRAM is exec'd by the child, never by the parent",
	  check_exec_in_child, "fork, then exec" },
	{ "argv-exact", 2, "the arguments reach PROGRAM exactly (spaces, empty strings)",
	  check_argv, "Arguments" },
	{ "status-exit", 2, "exit statuses 0, 3 and 255 reported and passed on",
	  check_status_exit, "How the child ended" },
	{ "status-signal", 2, "death by SIGSEGV and SIGKILL reported as signals, 128+n",
	  check_status_signal, "How the child ended" },
	{ "exec-fail-127", 2, "a missing program: message, _exit(127), no second copy",
	  check_exec_fail_127, "When exec fails" },
	{ "exec-fail-126", 1, "a file that is not executable: 126",
	  check_exec_fail_126, "When exec fails" },
	{ "waits", 1, "the parent reaps the child before reporting",
	  check_waits, "How the child ended" },
	{ "usage", 1, "no PROGRAM: usage line on stderr, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "run.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"exec replaces the program in the child and keeps its pid; the parent learns how the "
	"child ended from waitpid()'s status.",
	"execvp(argv[0], argv) returns only when it failed. Save errno at once, print the "
	"message, and _exit: 127 when errno is ENOENT or ENOTDIR, 126 otherwise.",
	"In report(), test WIFSIGNALED(wstatus) before WEXITSTATUS: a killed child has no "
	"exit status. WTERMSIG gives the signal, sigabbrev_np() its name.",
	"run exits with what it reports: the child's exit status, or 128 + the signal.",
	NULL,
};

const struct lab lab05 = {
	.number = 5,
	.name = "05-exec-status",
	.title = "exec and the exit status",
	.program = "run",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
