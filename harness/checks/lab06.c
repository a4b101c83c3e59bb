/* lab06.c - lab 06-redirect: `redirect OUTFILE PROGRAM [ARG...]` does what a shell does for
 * `PROGRAM ARG... > OUTFILE`. Graded on the descriptors PROGRAM started with, on the file it
 * left, and on where the parent's own line went. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "lab.h"
#include "labs58.h"
#include "query.h"

static const char *const helpers[] = { "exit_with", "die_by", "show_args", NULL };

static const char *const args_basic[] = { "out.txt", "show_args", "one", "two words", "", NULL };
static const char basic_content[] = "args=3\nargv[1]=[one]\nargv[2]=[two words]\nargv[3]=[]\n";
static const char *const args_truncate[] = { "out.txt", "echo", "hi", NULL };
static const char *const files_truncate[] = {
	"out.txt=an older and much longer content, which must not survive\n", NULL };
static const char *const args_status[] = { "out.txt", "exit_with", "3", NULL };
static const char *const args_signal[] = { "out.txt", "die_by", "SEGV", NULL };
static const char *const args_openfail[] = { "nodir/out.txt", "show_args", "x", NULL };
static const char *const args_execfail[] = { "out.txt", "no-such-program", NULL };
static const char *const args_usage[] = { "out.txt", NULL };

static const struct scenario scenarios[] = {
	{ .id = "basic", .args = args_basic, .helpers = helpers, .timeout_s = 3, .snap_fds = true,
	  .collect_files = true },
	{ .id = "truncate", .args = args_truncate, .files = files_truncate, .timeout_s = 3,
	  .collect_files = true },
	{ .id = "status", .args = args_status, .helpers = helpers, .timeout_s = 3,
	  .collect_files = true },
	{ .id = "signal", .args = args_signal, .helpers = helpers, .timeout_s = 3,
	  .collect_files = true },
	{ .id = "openfail", .args = args_openfail, .helpers = helpers, .timeout_s = 3 },
	{ .id = "execfail", .args = args_execfail, .timeout_s = 3, .collect_files = true },
	{ .id = "usage", .args = args_usage, .timeout_s = 3 },
};

/* The exec of show_args in scenario basic, by a child of P; NULL after failing the check. */
static const struct rec_exec *basic_exec(struct check_ctx *c, struct rec_proc **who)
{
	struct run *run = check_run_full(c, "basic");
	const struct rec_exec *e = NULL;
	struct rec_proc *p;

	if (run == NULL)
		return NULL;
	if ((p = l58_execer(run, "show_args", &e)) == NULL) {
		check_fail(c, "no process exec'd show_args");
		return NULL;
	}
	if (p->parent != run->rec->root) {
		check_fail(c, "show_args was exec'd by %s, not by a child of P: fork, then "
			   "redirect and exec in the child", q_label(p));
		return NULL;
	}
	if (run->rec->root->nchildren != 1) {
		check_fail(c, "P forked %zu children: one fork, one child that redirects and execs",
			   run->rec->root->nchildren);
		return NULL;
	}
	if (!e->fds.taken) {
		check_fail(c, "the tracer took no descriptor snapshot at the exec of show_args");
		return NULL;
	}
	if (who)
		*who = p;
	return e;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t ls = strlen(s), lt = strlen(tail);

	return ls >= lt && strcmp(s + ls - lt, tail) == 0;
}

static int check_fd1(struct check_ctx *c)
{
	const struct rec_exec *e = basic_exec(c, NULL);
	const struct rec_fd *fd;

	if (e == NULL)
		return CHECK_FAIL;
	fd = q_fd(&e->fds, 1);
	if (fd == NULL)
		return check_fail(c, "show_args started with fd 1 closed: open OUTFILE and dup2() "
				  "it onto fd 1 before exec");
	if (fd->kind != 'f' || !ends_with(fd->target, "/out.txt"))
		return check_fail(c, "show_args started with fd 1 on %s, not on out.txt: dup2() the "
				  "file's descriptor onto fd 1 in the child before exec",
				  fd->target);
	if ((fd->flags & O_ACCMODE) == O_RDONLY)
		return check_fail(c, "show_args's fd 1 is out.txt opened read-only: open it with "
				  "O_WRONLY");
	return CHECK_PASS;
}

static int check_std_fds(struct check_ctx *c)
{
	struct rec_proc *child = NULL;
	const struct rec_exec *e = basic_exec(c, &child);
	const struct rec_fdset *before;

	if (e == NULL)
		return CHECK_FAIL;
	/* What the child had when it was forked, before any rearranging. */
	before = &child->parent_fds;
	if (!before->taken)
		return check_fail(c, "the tracer took no descriptor snapshot when P forked");
	for (int fd = 0; fd <= 2; fd += 2) {
		const struct rec_fd *was = q_fd(before, fd), *now = q_fd(&e->fds, fd);
		if (was == NULL)
			continue;
		if (now == NULL || strcmp(now->target, was->target) != 0)
			return check_fail(c, "show_args started with fd %d on %s, but the parent's fd "
					  "%d was %s: only fd 1 may change", fd,
					  now ? now->target : "nothing (closed)", fd, was->target);
	}
	return CHECK_PASS;
}

static int check_no_extra_fds(struct check_ctx *c)
{
	const struct rec_exec *e = basic_exec(c, NULL);

	if (e == NULL)
		return CHECK_FAIL;
	for (size_t i = 0; i < e->fds.n; i++)
		if (e->fds.fds[i].fd > 2)
			return check_fail(c, "show_args started with fd %d still open (%s): after "
					  "dup2(fd, 1), close(fd), so that the program inherits only "
					  "0, 1 and 2", e->fds.fds[i].fd, e->fds.fds[i].target);
	return CHECK_PASS;
}

static int check_parent_line(struct check_ctx *c)
{
	static const char *line = "redirect: show_args finished with status 0";
	struct record *r = check_run(c, "basic");
	const struct rec_file *f;
	char *got = NULL;

	if (r == NULL)
		return CHECK_FAIL;
	f = record_file(r, "out.txt");
	if (f && memmem(f->data, f->len, "redirect: ", 10) != NULL)
		return check_fail(c, "P's own line 'redirect: ...' landed in out.txt: P redirected "
				  "its own fd 1, so everything it printed afterwards went to the "
				  "file; redirect in the child, after fork()");
	if (!l58_all_lines_are(r, 1, &line, 1, &got)) {
		check_fail(c, "stdout should hold exactly '%s', printed by P; it held %s", line, got);
		free(got);
		return CHECK_FAIL;
	}
	if (q_line_writer(r, 1, line) != r->root)
		return check_fail(c, "the line '%s' was not printed by P", line);
	return CHECK_PASS;
}

/* out.txt of scenario id must hold exactly want. */
static int file_holds(struct check_ctx *c, const char *id, const char *want, const char *hint)
{
	struct record *r = check_run(c, id);
	const struct rec_file *f;
	char *got;

	if (r == NULL)
		return CHECK_FAIL;
	if ((f = record_file(r, "out.txt")) == NULL)
		return check_fail(c, "in scenario '%s' no out.txt was left in the directory", id);
	if (f->len == strlen(want) && memcmp(f->data, want, f->len) == 0)
		return CHECK_PASS;
	got = l58_escape(f->data, f->len);
	check_fail(c, "in scenario '%s' out.txt held '%s'%s", id, got ? got : "?", hint);
	free(got);
	return CHECK_FAIL;
}

static int check_content(struct check_ctx *c)
{
	return file_holds(c, "basic", basic_content,
			  ", but it should hold exactly what show_args printed");
}

static int check_mode(struct check_ctx *c)
{
	struct record *r = check_run(c, "basic");
	const struct rec_file *f;
	int want = l58_default_file_mode();

	if (r == NULL)
		return CHECK_FAIL;
	if ((f = record_file(r, "out.txt")) == NULL)
		return check_fail(c, "no out.txt was left in the directory");
	if (f->mode != want)
		return check_fail(c, "out.txt was created with mode %04o, expected %04o: give open() "
				  "the mode 0666 and let the umask take away what it takes",
				  f->mode, want);
	return CHECK_PASS;
}

/* Only whether the old content is gone: what else landed in the file is content's business. */
static int check_truncate(struct check_ctx *c)
{
	struct record *r = check_run(c, "truncate");
	const struct rec_file *f;
	char *got;

	if (r == NULL)
		return CHECK_FAIL;
	if ((f = record_file(r, "out.txt")) == NULL)
		return check_fail(c, "no out.txt was left in the directory");
	if (f->len >= 3 && memcmp(f->data, "hi\n", 3) == 0 &&
	    memmem(f->data, f->len, "must not survive", 16) == NULL)
		return CHECK_PASS;
	got = l58_escape(f->data, f->len);
	check_fail(c, "out.txt held a longer old content before 'echo hi' ran, and afterwards it "
		   "held '%s': an existing OUTFILE is truncated (O_TRUNC), as > does, so that "
		   "only 'hi\\n' is left", got ? got : "?");
	free(got);
	return CHECK_FAIL;
}

/* True when P's line went into out.txt as its last line: wrong, but parent-stdout's verdict, so
 * the status checks still read it there. */
static bool line_in_file(const struct record *r, const char *line)
{
	const struct rec_file *f = record_file(r, "out.txt");
	size_t n = strlen(line);

	if (r->root->out.len > 0 || f == NULL || f->len < n + 1 || f->data[f->len - 1] != '\n')
		return false;
	const char *start = f->data + f->len - 1 - n;
	return memcmp(start, line, n) == 0 && (start == f->data || start[-1] == '\n');
}

/* P's one line (on stdout, or in out.txt) and exit status in scenario id. */
static int parent_reports(struct check_ctx *c, const char *id, const char *line, int status,
			  const char *hint)
{
	return l58_parent_reports(c, id, line, status, line_in_file, "", hint);
}

static int check_status(struct check_ctx *c)
{
	static const char *hint = " (n is the child's exit status, or 128 + the signal that "
				  "killed it)";

	if (parent_reports(c, "status", "redirect: exit_with finished with status 3", 3, hint) ||
	    parent_reports(c, "signal", "redirect: die_by finished with status 139", 139, hint))
		return CHECK_FAIL;
	return CHECK_PASS;
}

static int check_open_fail(struct check_ctx *c)
{
	static const char *line = "redirect: nodir/out.txt: No such file or directory";
	struct run *run = check_run_full(c, "openfail");

	if (run == NULL)
		return CHECK_FAIL;
	if (l58_execer(run, "show_args", NULL) != NULL)
		return check_fail(c, "OUTFILE nodir/out.txt cannot be opened, yet show_args ran: "
				  "when open() fails, the child must _exit(1) instead of exec");
	if (q_line_writer(run->rec, 2, line) == NULL)
		return check_fail(c, "when OUTFILE cannot be opened, stderr should hold '%s'", line);
	if (q_status(run->rec->root) != 1)
		return check_fail(c, "when OUTFILE cannot be opened, redirect should exit 1, not %d",
				  q_status(run->rec->root));
	return CHECK_PASS;
}

static int check_exec_fail(struct check_ctx *c)
{
	static const char *err = "redirect: no-such-program: No such file or directory";
	struct record *r = check_run(c, "execfail");
	struct rec_proc *child;

	if (r == NULL)
		return CHECK_FAIL;
	if ((child = record_find(r, "P.1")) == NULL)
		return check_fail(c, "P never forked");
	if (q_status(child) != 127 || child->nchildren > 0 || child->out.len > 0)
		return check_fail(c, "after its exec failed, %s should print a message on stderr "
				  "and _exit(127); it exited with status %d%s", q_label(child),
				  q_status(child), child->nchildren || child->out.len ?
				  " after running on as a second copy of the parent" : "");
	if (q_line_writer(r, 2, err) != child)
		return check_fail(c, "after its exec failed, %s should print '%s' on stderr",
				  q_label(child), err);
	return parent_reports(c, "execfail", "redirect: no-such-program finished with status 127",
			      127, "");
}

static int check_usage(struct check_ctx *c)
{
	struct record *r = check_run(c, "usage");

	if (r == NULL)
		return CHECK_FAIL;
	if (q_status(r->root) != 2 || r->nprocs > 1 || r->root->out.len > 0 || r->root->err.len == 0)
		return check_fail(c, "redirect with no PROGRAM should print a usage line on stderr, "
				  "fork nothing and exit 2; it exited with status %d after %zu "
				  "fork(s)", q_status(r->root), r->nprocs - 1);
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "fd1-outfile", 2, "at exec, PROGRAM's fd 1 is OUTFILE, opened for writing",
	  check_fd1, "Between fork and exec" },
	{ "std-fds", 1, "at exec, fds 0 and 2 are what they were",
	  check_std_fds, "Between fork and exec" },
	{ "no-extra-fds", 2, "at exec, no descriptor other than 0, 1, 2 is open",
	  check_no_extra_fds, "Between fork and exec" },
	{ "parent-stdout", 2, "the parent's line reaches the real stdout, not the file",
	  check_parent_line, "Whose descriptors" },
	{ "content", 2, "OUTFILE holds exactly what PROGRAM printed",
	  check_content, "Task" },
	{ "mode", 1, "a new OUTFILE gets 0666 less the umask (0644)",
	  check_mode, "Opening the file" },
	{ "truncate", 1, "an existing OUTFILE is truncated",
	  check_truncate, "Opening the file" },
	{ "status", 1, "exit status 3 and death by SIGSEGV (139) reported and passed on",
	  check_status, "Task" },
	{ "open-fail", 1, "OUTFILE cannot be opened: message, exit 1, PROGRAM never runs",
	  check_open_fail, "When something fails" },
	{ "exec-fail", 1, "PROGRAM not found: message, 127",
	  check_exec_fail, "When something fails" },
	{ "usage", 1, "missing PROGRAM: usage line on stderr, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "redirect.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"A shell's '> file' is done by the child, between fork() and exec: what the child "
	"arranges, the program inherits. The parent's stdout stays as it was.",
	"open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666): created when missing, emptied when "
	"present; the umask takes its part of the mode.",
	"dup2(fd, 1) makes descriptor 1 the file. Then close(fd), unless fd is 1 already: the "
	"program must start with 0, 1 and 2 only.",
	"When open() fails, print 'redirect: <path>: <reason>' and _exit(1): the program must "
	"not run.",
	NULL,
};

const struct lab lab06 = {
	.number = 6,
	.name = "06-redirect",
	.title = "Redirecting standard output",
	.program = "redirect",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
