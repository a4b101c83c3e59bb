/* lab07.c - lab 07-pipeline: `pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]` connects two
 * children with one pipe. Graded on the descriptors each child exec'd with, on the ends the
 * parent kept, and on end-of-file: a hang is explained by naming who still held a write end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab.h"
#include "labs58.h"
#include "query.h"

static const char *const helpers[] = { "exit_with", "show_args", NULL };

static const char *const args_basic[] = { "show_args", "x y", "", "|", "cat", NULL };
static const char *const out_basic[] = { "args=2", "argv[1]=[x y]", "argv[2]=[]" };
static const char *const args_large[] = { "seq", "1", "200000", "|", "wc", "-l", NULL };
static const char *const args_status[] = { "echo", "hi", "|", "exit_with", "3", NULL };
static const char *const args_status2[] = { "exit_with", "4", "|", "exit_with", "0", NULL };
static const char *const args_usage_none[] = { "show_args", "x", NULL };
static const char *const args_usage_empty[] = { "|", "cat", NULL };
static const char *const args_usage_two[] = { "echo", "a", "|", "cat", "|", "cat", NULL };

static const struct scenario scenarios[] = {
	{ .id = "basic", .args = args_basic, .helpers = helpers, .timeout_s = 2, .snap_fds = true },
	{ .id = "large", .args = args_large, .timeout_s = 3, .snap_fds = true },
	{ .id = "status", .args = args_status, .helpers = helpers, .timeout_s = 2 },
	{ .id = "status2", .args = args_status2, .helpers = helpers, .timeout_s = 2 },
	{ .id = "usage-none", .args = args_usage_none, .helpers = helpers, .timeout_s = 2 },
	{ .id = "usage-empty", .args = args_usage_empty, .timeout_s = 2 },
	{ .id = "usage-two", .args = args_usage_two, .timeout_s = 2 },
};

/* The two pipelines whose plumbing is checked: who writes, who reads. */
struct plumbing {
	const char *id, *writer, *reader;
};
static const struct plumbing piped[] = {
	{ "basic", "show_args", "cat" },
	{ "large", "seq", "wc" },
};
#define NPIPED (sizeof piped / sizeof piped[0])

/* What one pipeline run looked like. */
struct pipe_view {
	struct run *run;
	struct rec_proc *writer, *reader;
	const struct rec_exec *wexec, *rexec;
	unsigned long inode;     /* the pipe between them; 0 when they are not connected */
};

/* Fills v for pl; returns false when either program never ran, and then fails the check for
 * the basic scenario only: a large pipeline that never got going is eof's and large-data's
 * business, not the plumbing checks'. */
static bool view(struct check_ctx *c, const struct plumbing *pl, struct pipe_view *v)
{
	memset(v, 0, sizeof *v);
	if ((v->run = check_run_full(c, pl->id)) == NULL)
		return false;
	v->writer = l58_execer(v->run, pl->writer, &v->wexec);
	v->reader = l58_execer(v->run, pl->reader, &v->rexec);
	if (v->writer == NULL || v->reader == NULL) {
		if (pl != &piped[0])
			return false;
		check_fail(c, "in scenario '%s' no process exec'd %s", pl->id,
			   v->writer ? pl->reader : pl->writer);
		return false;
	}
	const struct rec_fd *w = q_fd(&v->wexec->fds, 1), *r = q_fd(&v->rexec->fds, 0);
	if (w && r && w->kind == 'p' && r->kind == 'p' && w->end == 'w' && r->end == 'r' &&
	    w->inode == r->inode)
		v->inode = w->inode;
	return true;
}

#define VIEW_SKIP (-1)

/* view() for the checks about the pipe between the two programs of piped[i]: CHECK_PASS when v
 * is ready, CHECK_FAIL when the check has failed (they were not connected, or the basic scenario
 * did not run), VIEW_SKIP when a larger scenario did not get going (see view()). */
static int connected_view(struct check_ctx *c, size_t i, struct pipe_view *v)
{
	if (!view(c, &piped[i], v))
		return i == 0 || v->run == NULL ? CHECK_FAIL : VIEW_SKIP;
	if (v->inode == 0)
		return check_fail(c, "in scenario '%s' %s and %s were not connected by a pipe",
				  piped[i].id, piped[i].writer, piped[i].reader);
	return CHECK_PASS;
}

/* The descriptor of s that is an end of pipe inode (other than fd skip), or NULL. */
static const struct rec_fd *holds_end(const struct rec_fdset *s, unsigned long inode, int skip,
				      char end)
{
	for (size_t i = 0; s->taken && i < s->n; i++) {
		const struct rec_fd *fd = &s->fds[i];
		if (fd->kind == 'p' && fd->inode == inode && fd->fd != skip && (!end || fd->end == end))
			return fd;
	}
	return NULL;
}

static int check_two_children(struct check_ctx *c)
{
	struct pipe_view v;

	if (!view(c, &piped[0], &v))
		return CHECK_FAIL;
	struct record *r = v.run->rec;
	if (l58_first_exec(v.run, r->root) != NULL)
		return check_fail(c, "P exec'd a program itself: then nobody is left to wait; fork "
				  "two children and exec in each");
	if (r->nprocs != 3 || r->root->nchildren != 2)
		return check_fail(c, "P should fork exactly two children and nothing else should "
				  "fork; %zu processes were created", r->nprocs - 1);
	if (v.writer == v.reader)
		return check_fail(c, "%s ran both programs, one after the other", q_label(v.writer));
	return CHECK_PASS;
}

static int check_pipe_fds(struct check_ctx *c)
{
	for (size_t i = 0; i < NPIPED; i++) {
		struct pipe_view v;
		if (!view(c, &piped[i], &v)) {
			if (i == 0 || v.run == NULL)
				return CHECK_FAIL;
			continue;
		}
		if (v.inode != 0)
			continue;
		const struct rec_fd *w = q_fd(&v.wexec->fds, 1), *r = q_fd(&v.rexec->fds, 0);
		return check_fail(c, "in scenario '%s' %s started with fd 1 on %s and %s started with "
				  "fd 0 on %s: they should be the write end and the read end of the "
				  "same pipe (dup2 them in each child before exec)", piped[i].id,
				  piped[i].writer, w ? w->target : "nothing", piped[i].reader,
				  r ? r->target : "nothing");
	}
	return CHECK_PASS;
}

/* At the exec of who (running prog), nothing but fd keep may be an end of the pipe, and no
 * descriptor above 2 may be open. */
static int only_its_end(struct check_ctx *c, const struct pipe_view *v, struct rec_proc *who,
			const struct rec_exec *e, int keep)
{
	const struct rec_fd *fd = holds_end(&e->fds, v->inode, keep, 0);
	const char *prog = e->argv && e->argv[0] ? e->argv[0] : e->path;

	if (fd == NULL) {
		for (size_t i = 0; i < e->fds.n && !fd; i++)
			if (e->fds.fds[i].fd > 2)
				fd = &e->fds.fds[i];
	}
	if (fd == NULL)
		return CHECK_PASS;
	return check_fail(c, "%s exec'd %s with fd %d still open (%s%s): after dup2(), close both "
			  "original pipe ends in each child%s", q_label(who), prog, fd->fd,
			  fd->target, fd->end == 'w' ? ", a write end" : fd->end == 'r' ?
			  ", a read end" : "", fd->end == 'w' && who == v->reader ? "; a reader "
			  "that holds a write end itself never sees end-of-file" : "");
}

static int check_no_extra_ends(struct check_ctx *c)
{
	struct pipe_view v;

	for (size_t i = 0; i < NPIPED; i++) {
		int got = connected_view(c, i, &v);
		if (got == VIEW_SKIP)
			continue;
		if (got != CHECK_PASS)
			return got;
		if (only_its_end(c, &v, v.writer, v.wexec, 1) ||
		    only_its_end(c, &v, v.reader, v.rexec, 0))
			return CHECK_FAIL;
	}
	return CHECK_PASS;
}

static int check_parent_closes(struct check_ctx *c)
{
	struct pipe_view v;

	for (size_t i = 0; i < NPIPED; i++) {
		int got = connected_view(c, i, &v);
		if (got == VIEW_SKIP)
			continue;
		if (got != CHECK_PASS)
			return got;
		struct record *r = v.run->rec;
		struct rec_proc *kids[] = { v.writer, v.reader };
		for (size_t k = 0; k < 2; k++) {
			const struct rec_fd *fd;
			if (kids[k]->reaper != r->root)
				continue;
			if ((fd = holds_end(&kids[k]->reaper_fds, v.inode, -1, 0)) != NULL)
				return check_fail(c, "P still held the pipe's %s end (fd %d) when it "
						  "reaped %s: once both children are forked, the "
						  "parent must close both ends", fd->end == 'w' ?
						  "write" : "read", fd->fd, q_label(kids[k]));
		}
		const struct rec_fd *fd = holds_end(&r->root->end_fds, v.inode, -1, 0);
		if (fd != NULL)
			return check_fail(c, "P still held the pipe's %s end (fd %d) when the run was "
					  "stopped: once both children are forked, the parent must close "
					  "both ends", fd->end == 'w' ? "write" : "read", fd->fd);
	}
	return CHECK_PASS;
}

/* True when p was still running when forklab stopped the run (it may have been killed since). */
static bool was_stopped(const struct rec_proc *p)
{
	return !p->exited || p->killed_by_forklab;
}

/* Explains why the pipeline v never finished: who held a write end while the reader waited. */
static int explain_hang(struct check_ctx *c, const struct plumbing *pl, struct pipe_view *v)
{
	struct record *r = v->run->rec;

	if (v->reader == NULL || v->inode == 0 || !was_stopped(v->reader))
		return l58_ended(c, v->run);
	for (size_t k = 0; k < r->nprocs; k++) {
		struct rec_proc *p = r->procs[k];
		const struct rec_fd *fd = holds_end(&p->end_fds, v->inode, -1, 'w');
		if (!was_stopped(p) || fd == NULL)
			continue;
		return check_fail(c, "in scenario '%s' the run was stopped (%s) with %s (%s) still "
				  "waiting for end-of-file: %s still held the pipe's write end "
				  "(fd %d). A reader sees end-of-file only when every write end, in "
				  "every process, is closed", pl->id, outcome_name(r->outcome),
				  q_label(v->reader), pl->reader, q_label(p), fd->fd);
	}
	return l58_ended(c, v->run);
}

static int check_eof(struct check_ctx *c)
{
	for (size_t i = 0; i < NPIPED; i++) {
		struct run *run = check_run_full(c, piped[i].id);
		struct pipe_view v = { .run = run };

		if (run == NULL)
			return CHECK_FAIL;
		if (run->rec->outcome == OUT_EXITED || run->rec->outcome == OUT_SIGNALED) {
			/* Finishing proves nothing when nobody was reading. */
			if (i == 0 && !view(c, &piped[0], &v))
				return CHECK_FAIL;
			continue;
		}
		v.writer = l58_execer(run, piped[i].writer, &v.wexec);
		v.reader = l58_execer(run, piped[i].reader, &v.rexec);
		if (v.writer && v.reader == NULL && was_stopped(v.writer) &&
		    run->rec->root->nchildren == 1)
			return check_fail(c, "in scenario '%s' P waited for %s (%s) before starting "
					  "%s: the writer blocked on the full pipe (it holds only "
					  "about 64 KiB) because nobody read it yet; start both "
					  "children, then wait", piped[i].id, q_label(v.writer),
					  piped[i].writer, piped[i].reader);
		if (v.writer && v.reader) {
			const struct rec_fd *w = q_fd(&v.wexec->fds, 1);
			const struct rec_fd *rd = q_fd(&v.rexec->fds, 0);
			if (w && rd && w->inode == rd->inode)
				v.inode = w->inode;
		}
		return explain_hang(c, &piped[i], &v);
	}
	return CHECK_PASS;
}

static int check_output(struct check_ctx *c)
{
	struct record *r = check_run(c, "basic");
	char *got = NULL;

	if (r == NULL)
		return CHECK_FAIL;
	if (l58_all_lines_are(r, 1, out_basic, 3, &got))
		return CHECK_PASS;
	check_fail(c, "show_args 'x y' '' | cat should print 'args=2', 'argv[1]=[x y]', "
		   "'argv[2]=[]'; stdout held %s", got);
	free(got);
	return CHECK_FAIL;
}

static int check_large(struct check_ctx *c)
{
	static const char *line = "200000";
	struct record *r = check_run(c, "large");
	char *got = NULL;

	if (r == NULL)
		return CHECK_FAIL;
	if (l58_all_lines_are(r, 1, &line, 1, &got))
		return CHECK_PASS;
	/* wc waiting for end-of-file: a write end still open somewhere, which that section
	 * explains. */
	check_fail_in(c, r->outcome == OUT_TIMEOUT ? "Closing unused ends" : NULL,
		      "seq 1 200000 | wc -l should print '200000'; stdout held %s%s", got,
		      r->outcome == OUT_TIMEOUT ? " (wc was still waiting for end-of-file when the "
		      "run was stopped: some process still held the pipe's write end)" : "");
	free(got);
	return CHECK_FAIL;
}

static int check_reaped(struct check_ctx *c)
{
	for (size_t i = 0; i < NPIPED; i++) {
		struct record *r = check_run(c, piped[i].id);
		if (r == NULL)
			return CHECK_FAIL;
		if (r->root->nchildren == 0)
			return check_fail(c, "in scenario '%s' P forked no children", piped[i].id);
		for (size_t k = 0; k < r->root->nchildren; k++) {
			struct rec_proc *p = r->root->children[k];
			if (p->reaper != r->root)
				return check_fail(c, "in scenario '%s' P did not reap %s%s", piped[i].id,
						  q_label(p), was_stopped(p) ? ", which was still running when the run was stopped" : "");
		}
	}
	return CHECK_PASS;
}

static int exits_with(struct check_ctx *c, const char *id, int status, const char *why)
{
	struct record *r = check_run(c, id);

	if (r == NULL)
		return CHECK_FAIL;
	if (q_status(r->root) != status)
		return check_fail(c, "in scenario '%s' (%s) P exited with status %d, expected %d",
				  id, why, q_status(r->root), status);
	return CHECK_PASS;
}

static int check_status(struct check_ctx *c)
{
	if (exits_with(c, "status", 3, "echo hi | exit_with 3: PROGRAM2's status") ||
	    exits_with(c, "status2", 0, "exit_with 4 | exit_with 0: PROGRAM2's status, not "
		       "PROGRAM1's"))
		return CHECK_FAIL;
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-empty", "usage-two" };

	for (size_t i = 0; i < 3; i++) {
		struct record *r = check_run(c, ids[i]);
		if (r == NULL)
			return CHECK_FAIL;
		if (q_status(r->root) != 2 || r->nprocs > 1 || r->root->err.len == 0)
			return check_fail(c, "in scenario '%s' pipeline should print a usage line on "
					  "stderr, fork nothing and exit 2; it exited with status %d "
					  "after %zu fork(s)", ids[i], q_status(r->root),
					  r->nprocs - 1);
	}
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "two-children", 1, "two children of the parent, each exec'd",
	  check_two_children, "Task" },
	{ "pipe-fds", 2, "at exec, fd 1 of the first and fd 0 of the second are one pipe",
	  check_pipe_fds, "Plumbing" },
	{ "no-extra-ends", 2, "at exec, no other pipe end or descriptor open in either child",
	  check_no_extra_ends, "Closing unused ends" },
	{ "parent-closes", 2, "the parent keeps no pipe end once both children are forked",
	  check_parent_closes, "Closing unused ends" },
	{ "eof", 2, "the reader sees end-of-file and the pipeline finishes",
	  check_eof, "Closing unused ends" },
	{ "output", 1, "the data passes through the pipe",
	  check_output, "Task" },
	{ "large-data", 1, "seq 1 200000 | wc -l prints 200000",
	  check_large, "Plumbing" },
	{ "reaped", 1, "both children reaped by the parent",
	  check_reaped, "Task" },
	{ "status", 1, "exit status is PROGRAM2's",
	  check_status, "Task" },
	{ "usage", 1, "not exactly one '|' between two commands: usage, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "pipeline.c", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"One pipe, two children: the writer's fd 1 is the pipe's write end, the reader's fd 0 "
	"its read end. Create the pipe before forking, so both inherit it.",
	"In each child: dup2() the end it uses onto 0 or 1, then close both original ends, "
	"then exec. A child that keeps the other end holds the pipe open.",
	"A reader sees end-of-file only when every write end in every process is closed. "
	"After both forks, the parent closes both ends too.",
	"When it hangs, read the eof verdict: it names the process and the descriptor that "
	"still held the write end.",
	NULL,
};

const struct lab lab07 = {
	.number = 7,
	.name = "07-pipeline",
	.title = "A pipeline of two programs",
	.program = "pipeline",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
