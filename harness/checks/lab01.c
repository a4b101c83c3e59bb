/* lab01.c - lab 01-fork-return: one fork, two processes told apart by fork()'s return value.
 * Judged on the record: who forked, who wrote which line (with which pids), who reaped whom. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const no_args[] = { NULL };

static const struct scenario scenarios[] = {
	{ .id = "default", .args = no_args, .timeout_s = 2, .max_procs = 8 },
};

/* Lines on stdout that start with prefix, over every process: how many, and the first one
 * (creation order) with its writer. first may be NULL. */
static size_t lines_with_prefix(const struct record *r, const char *prefix,
				struct rec_proc **writer, char *first, size_t firstlen)
{
	size_t count = 0;

	*writer = NULL;
	for (size_t i = 0; i < r->nprocs; i++) {
		char **lines;
		bool unterminated;
		size_t n = q_lines(r->procs[i], 1, &lines, &unterminated);
		for (size_t k = 0; k < n; k++) {
			if (strncmp(lines[k], prefix, strlen(prefix)) != 0)
				continue;
			if (count++ == 0) {
				*writer = r->procs[i];
				if (first)
					snprintf(first, firstlen, "%s", lines[k]);
			}
		}
		q_lines_free(lines, n);
	}
	return count;
}

/* True when p wrote at least one line starting with prefix on stdout. */
static bool wrote_prefix(const struct rec_proc *p, const char *prefix)
{
	char **lines;
	bool unterminated, found = false;
	size_t n = q_lines(p, 1, &lines, &unterminated);

	for (size_t k = 0; k < n && !found; k++)
		found = strncmp(lines[k], prefix, strlen(prefix)) == 0;
	q_lines_free(lines, n);
	return found;
}

/* The child printed its own line (and the parent did not) and then the parent's: the child
 * tested fork()'s value, but its branch has no exit(). */
static bool fell_through(const struct record *r, const struct rec_proc *child)
{
	return child && wrote_prefix(child, "child:") && wrote_prefix(child, "parent:") &&
	       !wrote_prefix(r->root, "child:");
}

static int fail_fell_through(struct check_ctx *c, const struct rec_proc *child)
{
	return check_fail_in(c, "fork() returns twice", "%s printed its child line and then ran the "
			     "parent's code: a child without exit() falls through to what follows "
			     "its if. End the child's branch with exit(0)", q_label(child));
}

static int check_one_fork(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	for (size_t i = 1; i < r->nprocs; i++)
		if (r->procs[i]->nchildren > 0)
			return check_fail(c, "expected only P to fork; %s forked %s as well",
					  q_label(r->procs[i]), q_label(r->procs[i]->children[0]));
	if (r->root->nchildren == 0)
		return check_fail(c, "expected P to call fork() once; %s never created a process",
				  q_label(r->root));
	if (r->root->nchildren > 1)
		return check_fail(c, "expected exactly one fork(); %s created %zu children",
				  q_label(r->root), r->root->nchildren);
	return CHECK_PASS;
}

/* A child that wrote nothing: the likely reason is a line left in its stdio buffer. */
static int fail_silent_child(struct check_ctx *c, const struct rec_proc *child)
{
	return check_fail_in(c, "Output and buffering", "expected %s to print its child line; it "
			     "wrote nothing on stdout. A printf() followed by _exit() loses the line, "
			     "which is still in the stdio buffer (stdout is a pipe here): end the child "
			     "with exit(), or fflush(stdout) first", q_label(child));
}

static int check_child_line(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	struct rec_proc *child = record_find(r, "P.1"), *writer;
	if (!child)
		return check_fail(c, "expected a child to print \"child: pid=<C> ppid=<P>\"; P never "
				  "forked, so there is no child");
	char *want = q_expand(r, "child: pid={P.1} ppid={P}");
	char got[256] = "";
	size_t n = lines_with_prefix(r, "child:", &writer, got, sizeof got);
	int verdict = CHECK_PASS;

	if (n == 0 && child->out.len == 0)
		verdict = fail_silent_child(c, child);
	else if (wrote_prefix(r->root, "child:"))
		verdict = check_fail(c, "expected only the child to print a \"child:\" line; %s, the "
				     "parent, printed one too. Both processes ran the same code: fork() "
				     "returns 0 in the child and the child's pid in the parent, so test "
				     "its return value", q_label(r->root));
	else if (n != 1 || writer != child || strcmp(got, want) != 0)
		verdict = check_fail(c, "expected %s to print \"%s\" (its own pid from getpid(), its "
				     "parent's from getppid()) exactly once; %zu \"child:\" line(s), the "
				     "first \"%s\" by %s", q_label(child), want, n, got,
				     writer ? q_label(writer) : "nobody");
	free(want);
	return verdict;
}

static int check_parent_line(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	struct rec_proc *child = record_find(r, "P.1"), *writer;
	if (!child)
		return check_fail(c, "expected P to name its child; P never forked");
	char *want = q_expand(r, "parent: pid={P} child={P.1}");
	char *own = q_expand(r, "parent: pid={P} child={P}");
	char got[256] = "";
	size_t n = lines_with_prefix(r, "parent: pid=", &writer, got, sizeof got);
	int verdict = CHECK_PASS;

	if (fell_through(r, child))
		verdict = fail_fell_through(c, child);
	else if (wrote_prefix(child, "parent: pid="))
		verdict = check_fail(c, "expected only the parent to print \"parent: pid=...\"; %s, "
				     "the child, printed it too. Both processes ran the parent's code: "
				     "fork() returns 0 in the child, so test its return value",
				     q_label(child));
	else if (n == 1 && writer == r->root && strcmp(got, own) == 0)
		verdict = check_fail(c, "expected \"%s\"; %s printed \"%s\", its own pid as the "
				     "child's. getpid() is always the caller's own pid: the child's pid "
				     "is the value fork() returned to the parent", want,
				     q_label(r->root), got);
	else if (n != 1 || writer != r->root || strcmp(got, want) != 0)
		verdict = check_fail(c, "expected %s to print \"%s\" exactly once; %zu such line(s), "
				     "the first \"%s\" by %s", q_label(r->root), want, n, got,
				     writer ? q_label(writer) : "nobody");
	free(want);
	free(own);
	return verdict;
}

static int check_reaped(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	struct rec_proc *child = record_find(r, "P.1");
	if (!child)
		return check_fail(c, "expected P to wait for its child; P never forked");
	if (q_reaped_by_parent(child))
		return CHECK_PASS;
	if (child->reaped_by == REC_FORKLAB)
		return check_fail(c, "expected %s to wait for %s; it never did, and forklab reaped "
				  "the child after P was gone. Call waitpid(child, &status, 0) "
				  "(or wait()) in the parent", q_label(r->root), q_label(child));
	return check_fail(c, "expected %s to wait for %s; the child was never reaped",
			  q_label(r->root), q_label(child));
}

static int check_status_line(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	struct rec_proc *child = record_find(r, "P.1");
	if (!child)
		return check_fail(c, "expected P to report how its child ended; P never forked");
	/* The child's real status: whether it is 0 is the exit check's business. */
	char tmpl[64];
	snprintf(tmpl, sizeof tmpl, "parent: child {P.1} exited with status %d", q_status(child));
	char *want = q_expand(r, tmpl);
	char *child_line = q_expand(r, "child: pid={P.1} ppid={P}");
	unsigned long seq = q_line_seq(r, r->root, 1, want);
	unsigned long child_seq = q_line_seq(r, child, 1, child_line);
	char **lines;
	bool unterminated;
	size_t n = q_lines(r->root, 1, &lines, &unterminated);
	int verdict = CHECK_PASS;

	if (!seq)
		verdict = check_fail(c, "expected %s to print \"%s\" once the child was reaped; it "
				     "never printed that line. The number comes from the status "
				     "waitpid() fills in: WEXITSTATUS(status)", q_label(r->root), want);
	else if (!q_reaped_by_parent(child) || seq < child->reaped_seq)
		verdict = check_fail(c, "expected \"%s\" after %s reaped %s; it was printed before "
				     "any wait() returned the child, so the status could not be known",
				     want, q_label(r->root), q_label(child));
	else if (child_seq && seq < child_seq)
		verdict = check_fail(c, "expected the parent's last line after the child's line; "
				     "%s's line was not written before \"%s\"", q_label(child), want);
	else if (n == 0 || strcmp(lines[n - 1], want) != 0)
		verdict = check_fail(c, "expected \"%s\" to be %s's last line; the last one is "
				     "\"%s\"", want, q_label(r->root), n ? lines[n - 1] : "");
	q_lines_free(lines, n);
	free(want);
	free(child_line);
	return verdict;
}

/* Which of the three expected line shapes line has: 0 child, 1 parent, 2 status, -1 none. */
static int line_shape(const char *line)
{
	int a, b, len = -1;

	if (sscanf(line, "child: pid=%d ppid=%d%n", &a, &b, &len) == 2 && line[len] == '\0')
		return 0;
	len = -1;
	if (sscanf(line, "parent: pid=%d child=%d%n", &a, &b, &len) == 2 && line[len] == '\0')
		return 1;
	len = -1;
	if (sscanf(line, "parent: child %d exited with status %d%n", &a, &b, &len) == 2 &&
	    line[len] == '\0')
		return 2;
	return -1;
}

/* The shape of stdout only: the pids and the order are the other checks' business. */
static int check_output(struct check_ctx *c)
{
	static const char *const what[] = { "child", "parent", "status" };
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	char **lines;
	bool unterminated;
	size_t n = q_all_lines(r, 1, &lines, &unterminated);
	int count[3] = { 0, 0, 0 }, verdict = CHECK_PASS;
	char writers[3][160] = { "", "", "" };

	struct rec_proc *child = record_find(r, "P.1");
	for (size_t i = 0; i < n && verdict == CHECK_PASS; i++) {
		int shape = line_shape(lines[i]);
		char by[160];
		if (shape < 0 && common_line_writers(r, lines[i], by, sizeof by) > 1) {
			verdict = check_fail(c, "expected only the child, parent and status lines on "
					     "stdout; found \"%s\", written by %s%s", lines[i], by,
					     common_copied_buffer_why());
			continue;
		}
		if (shape < 0) {
			verdict = check_fail(c, "expected only the child, parent and status lines on "
					     "stdout; found \"%s\"", lines[i]);
			continue;
		}
		struct rec_proc *w = q_line_writer(r, 1, lines[i]);
		size_t used = strlen(writers[shape]);
		snprintf(writers[shape] + used, sizeof writers[shape] - used, "%s%s",
			 count[shape] ? ", " : "", w ? q_label(w) : "?");
		count[shape]++;
	}
	if (verdict == CHECK_PASS && (count[0] != 1 || count[1] != 1) && fell_through(r, child))
		verdict = fail_fell_through(c, child);
	for (int k = 0; k < 3 && verdict == CHECK_PASS; k++)
		if (count[k] != 1)
			verdict = check_fail(c, "expected exactly one %s line on stdout; found %d%s%s%s%s",
					     what[k], count[k], count[k] ? " (by " : "", writers[k],
					     count[k] ? ")" : "",
					     common_has_repeated_line(r)
						     ? ". A line printed twice usually sat in the stdio "
						       "buffer when fork() copied the process"
						     : "");
	if (verdict == CHECK_PASS && unterminated)
		verdict = check_fail(c, "expected every line to end with \\n; the last one does not");
	q_lines_free(lines, n);
	return verdict;
}

static int check_exit(struct check_ctx *c)
{
	struct record *r = check_run(c, "default");
	if (!r)
		return CHECK_FAIL;
	const char *problem = q_run_problem(r);
	if (problem)
		return check_fail(c, "expected both processes to end by themselves; %s", problem);
	struct rec_proc *child = record_find(r, "P.1");
	if (child && q_status(child) != 0 && fell_through(r, child))
		return fail_fell_through(c, child);
	for (size_t i = 0; i < r->nprocs; i++)
		if (q_status(r->procs[i]) != 0)
			return check_fail(c, "expected every process to exit with status 0; %s ended "
					  "with %d", q_label(r->procs[i]), q_status(r->procs[i]));
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "one-fork", 1, "P forks exactly once, the child does not fork", check_one_fork,
	  "Background" },
	{ "child-line", 2, "only the child prints its line, with its real pid and ppid",
	  check_child_line, "fork() returns twice" },
	{ "parent-line", 2, "the parent names the child's pid, from fork()", check_parent_line,
	  "fork() returns twice" },
	{ "reaped", 2, "the parent waits for (reaps) its child", check_reaped, "Waiting" },
	{ "status-line", 1, "the status line comes last, after the reap", check_status_line,
	  "Waiting" },
	{ "output", 1, "stdout holds the three lines once each, nothing else", check_output,
	  "Output and buffering" },
	{ "exit", 1, "both processes exit with status 0", check_exit, "Task" },
};

static const char *const sources[] = { "fork_return.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"fork() is called once and returns twice: once in the parent, once in the new child. "
	"Everything after it runs in both processes unless you tell them apart.",
	"Keep fork()'s return value in a pid_t. It is 0 in the child and the child's pid in "
	"the parent; an if on it gives each process its own branch.",
	"The child's branch ends with exit(0); otherwise the child goes on into the parent's "
	"lines. The parent names its child with the value fork() returned, not with getpid().",
	"The last line needs the child's status: waitpid(pid, &status, 0) first, then "
	"WEXITSTATUS(status).",
	NULL,
};

const struct lab lab01 = {
	.number = 1,
	.name = "01-fork-return",
	.title = "The return value of fork()",
	.program = "fork_return",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
