/* lab16.c - lab 16-mini-shell: `minish` reads a script on stdin (a regular file) and runs it.
 * Judged on what the shell's processes did: one child per external command and none for a
 * builtin, pipes joining neighbours at exec with nothing else open, each child reaped before the
 * next line runs, the files redirections made, and the shell's status at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab.h"
#include "labs58.h"
#include "query.h"

#define MAX_LINES 8

static const char *const helpers[] = { "exit_with", "die_by", "show_args", NULL };
static const char *const no_args[] = { NULL };
static const char *const cd_files[] = { "sub/keep=x", NULL };

/* A scripted session whose processes are judged one by one: its script, the number of
 * processes each line forks (0 for a builtin), and the stdout it must produce ({P.k} is the
 * pid of the shell's k-th child). */
struct session {
	const char *id;
	int per_line[MAX_LINES];
	int nlines;
	const char *const *out;
	size_t nout;
};

#define SESSION(name, ...) { .id = "s-" #name, .per_line = { __VA_ARGS__ }, \
	.nlines = sizeof (int[]){ __VA_ARGS__ } / sizeof (int), .out = out_##name, \
	.nout = sizeof out_##name / sizeof out_##name[0] }

static const char *const out_basic[] = { "hello world", "args=2", "argv[1]=[a]", "argv[2]=[b]" };
static const char *const out_pipeline[] = { "4", "20000" };
static const char *const out_redirect[] = { "one two", "2", "short" };
static const char *const out_cd[] = { "here" };
static const char *const out_bg[] = { "[{P.1}]", "started", "[{P.1}] done 0", "next" };
static const char *const out_bgeof[] = { "[{P.1}]", "[{P.1}] done 6" };
static const char *const out_notfound[] = { "after" };

static const struct session sessions[] = {
	SESSION(basic, 1, 1),
	SESSION(pipeline, 3, 4),
	SESSION(redirect, 1, 1, 1, 1, 1, 1),
	SESSION(cd, 0, 1, 0, 1),
	SESSION(bg, 1, 1, 1, 1),
	SESSION(bgeof, 1, 1),
	SESSION(notfound, 1, 1),
};
#define NSESSIONS (sizeof sessions / sizeof sessions[0])

static const struct scenario scenarios[] = {
	{ .id = "s-basic", .args = no_args, .helpers = helpers, .timeout_s = 3, .snap_fds = true,
	  .stdin_text = "echo hello world\nshow_args a  b\n" },
	{ .id = "s-pipeline", .args = no_args, .timeout_s = 4, .snap_fds = true,
	  .stdin_text = "seq 1 5 | grep -v 3 | wc -l\nseq 1 20000|cat|cat|wc -l\n" },
	{ .id = "s-redirect", .args = no_args, .timeout_s = 3, .snap_fds = true,
	  .collect_files = true,
	  .stdin_text = "echo one two > out.txt\ncat < out.txt\nwc -w < out.txt > count.txt\n"
			"echo a much longer first line > t.txt\necho short >t.txt\n"
			"cat count.txt t.txt\n" },
	{ .id = "s-cd", .args = no_args, .timeout_s = 3, .files = cd_files, .collect_files = true,
	  .stdin_text = "cd sub\necho here > f.txt\ncd ..\ncat sub/f.txt\n" },
	{ .id = "s-bg", .args = no_args, .timeout_s = 4,
	  .stdin_text = "sleep 0.3 &\necho started\nsleep 0.5\necho next\n" },
	{ .id = "s-bgeof", .args = no_args, .helpers = helpers, .timeout_s = 3,
	  .stdin_text = "exit_with 6 &\nsleep 0.3\n" },
	{ .id = "s-notfound", .args = no_args, .timeout_s = 3,
	  .stdin_text = "no_such_command_16 x\necho after\n" },
	{ .id = "st-exit", .args = no_args, .helpers = helpers, .stdin_text = "exit_with 3\n" },
	{ .id = "st-signal", .args = no_args, .helpers = helpers, .stdin_text = "die_by TERM\n" },
	{ .id = "st-pipe", .args = no_args, .helpers = helpers,
	  .stdin_text = "exit_with 6 | exit_with 0\n" },
	{ .id = "st-notfound", .args = no_args, .stdin_text = "no_such_command_16\n" },
	{ .id = "st-cd", .args = no_args, .stdin_text = "cd no_such_dir\n" },
	{ .id = "st-redirect", .args = no_args, .stdin_text = "cat < missing.txt\n" },
	{ .id = "st-bg", .args = no_args, .helpers = helpers, .stdin_text = "exit_with 7 &\n" },
	{ .id = "st-exitn", .args = no_args, .helpers = helpers,
	  .stdin_text = "exit_with 5\nexit 9\necho never\n" },
	{ .id = "st-exit-last", .args = no_args, .helpers = helpers,
	  .stdin_text = "exit_with 5\nexit\necho never\n" },
};

/* The shell's children in order must be the session's: returns the session's line of child k
 * (0-based), or -1 when the counts do not add up. */
static int line_of(const struct session *s, size_t k)
{
	size_t first = 0;

	for (int l = 0; l < s->nlines; l++) {
		if (k < first + (size_t)s->per_line[l])
			return l;
		first += (size_t)s->per_line[l];
	}
	return -1;
}

static size_t expected_children(const struct session *s)
{
	size_t n = 0;

	for (int l = 0; l < s->nlines; l++)
		n += (size_t)s->per_line[l];
	return n;
}

/* The script as a quoted one-liner for verdicts: "cd sub; echo here > f.txt; ...". */
static const char *script_of(const struct check_ctx *c, const char *id)
{
	static __thread char buf[256];
	const char *text = NULL;

	for (size_t i = 0; i < c->lab->nscenarios; i++)
		if (strcmp(c->lab->scenarios[i].id, id) == 0)
			text = c->lab->scenarios[i].stdin_text;
	size_t o = 0;
	for (const char *p = text ? text : ""; *p && o + 4 < sizeof buf; p++) {
		if (*p != '\n') {
			buf[o++] = *p;
		} else if (p[1]) {
			buf[o++] = ';';
			buf[o++] = ' ';
		}
	}
	buf[o] = '\0';
	return buf;
}

/* A child of the shell that did not exec and went on like a shell: it forked, or printed on
 * stdout. NULL when there is none. */
static const struct rec_proc *second_shell(const struct record *r)
{
	for (size_t k = 0; k < r->root->nchildren; k++) {
		const struct rec_proc *p = r->root->children[k];
		if (p->nexecs == 0 && (p->nchildren > 0 || p->out.len > 0))
			return p;
	}
	return NULL;
}

static int check_fork_exec(struct check_ctx *c)
{
	for (size_t i = 0; i < NSESSIONS; i++) {
		const struct session *s = &sessions[i];
		struct run *run = check_run_full(c, s->id);
		if (run == NULL)
			return CHECK_FAIL;
		const struct record *r = run->rec;
		if (l58_first_exec(run, r->root) != NULL)
			return check_fail(c, "with the script '%s' the shell exec'd a program itself: "
					  "then the shell is gone. Fork, and exec in the child",
					  script_of(c, s->id));
		if (second_shell(r) || q_run_problem(r))
			continue;   /* one-shell's and pipes' (or statuses') verdicts */
		size_t want = expected_children(s);
		if (r->root->nchildren != want)
			return check_fail(c, "with the script '%s' the shell forked %zu processes; "
					  "expected %zu: one per external command, and none for cd or "
					  "exit, which must run in the shell itself (a child's chdir() "
					  "changes only the child's directory)", script_of(c, s->id),
					  r->root->nchildren, want);
		for (size_t k = 0; k < r->root->nchildren; k++) {
			const struct rec_proc *p = r->root->children[k];
			if (p->nchildren > 0)
				return check_fail(c, "with the script '%s' %s forked %s: every command, "
						  "also in a pipeline, is a direct child of the shell",
						  script_of(c, s->id), q_label(p),
						  q_label(p->children[0]));
			if (p->nexecs == 0 && strcmp(s->id, "s-notfound") != 0)
				return check_fail(c, "with the script '%s' %s never exec'd a program",
						  script_of(c, s->id), q_label(p));
		}
	}
	return CHECK_PASS;
}

/* The descriptor of set that is a pipe end other than fd skip, or one above 2. */
static const struct rec_fd *stray_fd(const struct rec_fdset *set)
{
	for (size_t i = 0; set->taken && i < set->n; i++)
		if (set->fds[i].fd > 2)
			return &set->fds[i];
	return NULL;
}

/* The name a process exec'd, for verdicts. */
static const char *prog_of(const struct rec_proc *p)
{
	if (p->nexecs == 0)
		return "(no exec)";
	const struct rec_exec *e = &p->execs[0];
	return e->argc > 0 ? e->argv[0] : e->path;
}

/* Explains a pipeline run that never finished: who still held a write end of a pipe that a
 * stopped reader was reading. */
static int explain_hang(struct check_ctx *c, const struct record *r)
{
	for (size_t k = 0; k < r->root->nchildren; k++) {
		const struct rec_proc *rd = r->root->children[k];
		const struct rec_fd *in = rd->nexecs ? q_fd(&rd->execs[0].fds, 0) : NULL;
		if (!in || in->kind != 'p' || (rd->exited && !rd->killed_by_forklab))
			continue;
		for (size_t j = 0; j < r->nprocs; j++) {
			const struct rec_proc *p = r->procs[j];
			const struct rec_fdset *s = &p->end_fds;
			for (size_t i = 0; s->taken && i < s->n; i++)
				if (s->fds[i].kind == 'p' && s->fds[i].end == 'w' &&
				    s->fds[i].inode == in->inode)
					return check_fail(c, "the pipeline hung (%s): %s (%s) was "
							  "still waiting for end-of-file because %s "
							  "held the pipe's write end (fd %d). A reader "
							  "sees end-of-file only when every write end, "
							  "in every process, is closed",
							  outcome_name(r->outcome), q_label(rd),
							  prog_of(rd), q_label(p), s->fds[i].fd);
		}
	}
	return check_fail(c, "the pipelines did not finish: %s", q_run_problem(r));
}

static int check_pipes(struct check_ctx *c)
{
	const struct session *s = &sessions[1];
	struct record *r = check_run(c, s->id);

	if (r == NULL)
		return CHECK_FAIL;
	if (q_run_problem(r))
		return explain_hang(c, r);
	if (r->root->nchildren != expected_children(s))
		return check_fail(c, "with the script '%s' the shell forked %zu processes, expected "
				  "one per command (%zu)", script_of(c, s->id), r->root->nchildren,
				  expected_children(s));
	const struct rec_fd *shell_out = q_fd(&r->root->execs[0].fds, 1);
	for (size_t k = 0; k < r->root->nchildren; k++) {
		const struct rec_proc *a = r->root->children[k];
		const struct rec_fd *out = a->nexecs ? q_fd(&a->execs[0].fds, 1) : NULL;
		bool last = line_of(s, k + 1) != line_of(s, k);
		if (a->nexecs == 0)
			return check_fail(c, "%s never exec'd its command", q_label(a));
		if (last) {
			if (!out || !shell_out || out->inode != shell_out->inode)
				return check_fail(c, "%s (%s), the last command of its pipeline, "
						  "started with fd 1 on %s: it should write where the "
						  "shell's stdout goes", q_label(a), prog_of(a),
						  out ? out->target : "nothing");
			continue;
		}
		const struct rec_proc *b = r->root->children[k + 1];
		const struct rec_fd *in = b->nexecs ? q_fd(&b->execs[0].fds, 0) : NULL;
		if (!out || !in || out->kind != 'p' || in->kind != 'p' || out->end != 'w' ||
		    in->end != 'r' || out->inode != in->inode)
			return check_fail(c, "%s (%s) started with fd 1 on %s and %s (%s) with fd 0 "
					  "on %s: neighbours in a pipeline are joined by one pipe, "
					  "its write end on the first one's fd 1 and its read end on "
					  "the next one's fd 0", q_label(a), prog_of(a),
					  out ? out->target : "nothing", q_label(b), prog_of(b),
					  in ? in->target : "nothing");
	}
	return CHECK_PASS;
}

static int check_no_stray_fds(struct check_ctx *c)
{
	static const char *const ids[] = { "s-basic", "s-pipeline", "s-redirect" };

	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct record *r = check_run(c, ids[i]);
		if (r == NULL)
			return CHECK_FAIL;
		for (size_t k = 0; k < r->root->nchildren; k++) {
			const struct rec_proc *p = r->root->children[k];
			const struct rec_fd *fd = p->nexecs ? stray_fd(&p->execs[0].fds) : NULL;
			if (fd)
				return check_fail(c, "with the script '%s' %s exec'd %s with fd %d "
						  "still open (%s%s): after dup2() close the original "
						  "descriptors (or make them close-on-exec); a stray "
						  "write end keeps a reader from ever seeing "
						  "end-of-file", script_of(c, ids[i]), q_label(p),
						  prog_of(p), fd->fd, fd->target, fd->end == 'w' ?
						  ", a pipe's write end" : fd->end == 'r' ?
						  ", a pipe's read end" : "");
			const struct rec_fd *kept = stray_fd(&p->reaper_fds);
			if (p->reaper == r->root && kept && kept->kind == 'p')
				return check_fail(c, "with the script '%s' the shell still held a "
						  "pipe end (fd %d, %s) when it reaped %s: once a "
						  "pipeline's children are forked, the shell closes "
						  "every pipe end", script_of(c, ids[i]), kept->fd,
						  kept->target, q_label(p));
		}
	}
	return CHECK_PASS;
}

/* Cuts a malloc'd rendering of lines to its first 300 bytes, marking the cut. */
static void clip(char *s)
{
	if (s && strlen(s) > 300)
		strcpy(s + 290, " ... (cut)");
}

static int check_output(struct check_ctx *c)
{
	for (size_t i = 0; i < NSESSIONS; i++) {
		const struct session *s = &sessions[i];
		struct record *r = check_run(c, s->id);
		char *want[8], *got = NULL;
		size_t n = 0;

		if (r == NULL)
			return CHECK_FAIL;
		for (size_t k = 0; k < s->nout; k++) {
			want[n] = q_expand(r, s->out[k]);
			if (want[n] == NULL)
				want[n] = strdup(s->out[k]);
			n += want[n] != NULL;
		}
		bool ok = l58_all_lines_are(r, 1, (const char *const *)want, n, &got);
		for (size_t k = 0; k < n; k++)
			free(want[k]);
		if (!ok) {
			clip(got);
			bool prompt = r->out.len >= 2 && memmem(r->out.data, r->out.len, "$ ", 2);
			check_fail(c, "the script '%s' should print exactly %zu line(s) on stdout%s; "
				   "it printed %s%s", script_of(c, s->id), s->nout,
				   strcmp(s->id, "s-bg") == 0 ? " ('[<pid>]', 'started', '[<pid>] "
				   "done 0', 'next')" : "", got, prompt ? ". The prompt '$ ' is "
				   "printed only when stdin is a terminal (isatty(0))" : "");
			free(got);
			return CHECK_FAIL;
		}
	}
	return CHECK_PASS;
}

/* The file name left by scenario id must hold exactly want. */
static int file_holds(struct check_ctx *c, const char *id, const char *name, const char *want,
		      const char *hint)
{
	struct record *r = check_run(c, id);

	if (r == NULL)
		return CHECK_FAIL;
	const struct rec_file *f = record_file(r, name);
	if (f == NULL)
		return check_fail(c, "after the script '%s' there is no file %s%s",
				  script_of(c, id), name, hint);
	if (f->len != strlen(want) || memcmp(f->data, want, f->len) != 0) {
		char *got = l58_escape(f->data, f->len), *exp = l58_escape(want, strlen(want));
		check_fail(c, "after the script '%s' %s holds '%s', expected '%s'%s",
			   script_of(c, id), name, got ? got : "?", exp ? exp : "?", hint);
		free(got);
		free(exp);
		return CHECK_FAIL;
	}
	return CHECK_PASS;
}

static int check_redirect(struct check_ctx *c)
{
	if (file_holds(c, "s-redirect", "out.txt", "one two\n", "") ||
	    file_holds(c, "s-redirect", "count.txt", "2\n", "") ||
	    file_holds(c, "s-redirect", "t.txt", "short\n", ": '> FILE' truncates the file "
		       "(O_TRUNC)") ||
	    file_holds(c, "s-cd", "sub/f.txt", "here\n", ": after 'cd sub' the shell's own "
		       "directory is sub, and its children start there"))
		return CHECK_FAIL;
	return CHECK_PASS;
}

static int check_statuses(struct check_ctx *c)
{
	static const struct { const char *id; int status; const char *why; } want[] = {
		{ "st-exit", 3, "a command's exit code" },
		{ "st-signal", 143, "128 + the signal that killed the command" },
		{ "st-pipe", 0, "a pipeline's status is its last command's" },
		{ "st-notfound", 127, "a command that is not found" },
		{ "st-cd", 1, "a failed cd" },
		{ "st-redirect", 1, "a redirection that fails" },
		{ "st-bg", 0, "a line run with &" },
		{ "st-exitn", 9, "exit 9" },
		{ "st-exit-last", 5, "exit without N: the last command's status" },
		{ "s-notfound", 0, "the shell goes on after a command that is not found" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct record *r = check_run(c, want[i].id);
		if (r == NULL)
			return CHECK_FAIL;
		if (q_run_problem(r))
			return check_fail(c, "with the script '%s' %s", script_of(c, want[i].id),
					  q_run_problem(r));
		if (q_status(r->root) != want[i].status)
			return check_fail(c, "with the script '%s' the shell exited with %d, expected "
					  "%d (%s)", script_of(c, want[i].id), q_status(r->root),
					  want[i].status, want[i].why);
	}
	static const char *const notfound = "minish: no_such_command_16: command not found";
	struct record *r = check_run(c, "st-notfound");
	char *got = NULL;
	if (r == NULL)
		return CHECK_FAIL;
	if (!l58_all_lines_are(r, 2, &notfound, 1, &got)) {
		check_fail(c, "with the script 'no_such_command_16' stderr should hold exactly '%s'; "
			   "it held %s", notfound, got);
		free(got);
		return CHECK_FAIL;
	}
	if (r->out.len)
		return check_fail(c, "with the script 'no_such_command_16' nothing should reach "
				  "stdout");
	return CHECK_PASS;
}

static int check_background(struct check_ctx *c)
{
	struct record *r = check_run(c, "s-bg");

	if (r == NULL)
		return CHECK_FAIL;
	if (r->root->nchildren < 4)
		return check_fail(c, "with the script '%s' the shell forked %zu processes, "
				  "expected 4", script_of(c, "s-bg"), r->root->nchildren);
	const struct rec_proc *job = r->root->children[0], *next = r->root->children[1];
	if (job->exited && job->exited_seq < next->forked_seq)
		return check_fail(c, "with the script '%s' the shell started %s only after the "
				  "background job %s had ended: a line ending in & is not waited "
				  "for", script_of(c, "s-bg"), q_label(next), q_label(job));
	char line[64];
	snprintf(line, sizeof line, "[%d] done 0", (int)job->pid);
	unsigned long said = q_line_seq(r, r->root, 1, line);
	const struct rec_proc *last = r->root->children[3];
	if (said == 0 || job->reaper != r->root || said < job->reaped_seq ||
	    said > last->forked_seq)
		return check_fail(c, "with the script '%s' the shell should reap the background "
				  "job %s once it has ended, and print '%s' after reading the next "
				  "line and before running it (before %s was forked)",
				  script_of(c, "s-bg"), q_label(job), line, q_label(last));
	return CHECK_PASS;
}

/* The verdict for a child the shell never reaped. */
static int fail_unreaped(struct check_ctx *c, const char *id, const struct rec_proc *p)
{
	return check_fail(c, "with the script '%s' %s (%s) was not reaped by the shell%s",
			  script_of(c, id), q_label(p), prog_of(p),
			  !p->exited || p->killed_by_forklab ? ": it was still running when the "
			  "run was stopped" : p->reaped_by == REC_FORKLAB ? ": it was still a "
			  "zombie when the shell exited" : "");
}

/* Every child reaped by the shell, and none still a zombie when the shell forks for the line
 * after the next one: a job that ends while the next line is starting is reaped when the
 * line after it is read. */
static int check_reaped(struct check_ctx *c)
{
	for (size_t i = 0; i < NSESSIONS; i++) {
		const struct session *s = &sessions[i];
		struct record *r = check_run(c, s->id);
		if (r == NULL)
			return CHECK_FAIL;
		if (second_shell(r) || q_run_problem(r))
			continue;   /* one-shell's and pipes' verdicts */
		bool shaped = r->root->nchildren == expected_children(s);
		for (size_t k = 0; k < r->root->nchildren; k++) {
			const struct rec_proc *p = r->root->children[k];
			if (p->reaper != r->root)
				return fail_unreaped(c, s->id, p);
			int line = shaped ? line_of(s, k) : -1, next = -1;
			for (size_t j = k + 1; line >= 0 && j < r->root->nchildren; j++) {
				const struct rec_proc *q = r->root->children[j];
				int lj = line_of(s, j);
				if (lj == line || q->forked_seq < p->exited_seq)
					continue;
				if (next < 0)
					next = lj;
				if (lj == next)
					continue;
				if (p->reaped_seq > q->forked_seq)
					return check_fail(c, "with the script '%s' %s (%s) was still a "
							  "zombie when the shell forked %s, two lines "
							  "after it had ended: reap every child that has "
							  "ended each time a line is read",
							  script_of(c, s->id), q_label(p), prog_of(p),
							  q_label(q));
				break;
			}
		}
	}
	return CHECK_PASS;
}

static int check_one_shell(struct check_ctx *c)
{
	static const char *const ids[] = { "s-notfound", "st-notfound" };

	for (size_t i = 0; i < 2; i++) {
		struct record *r = check_run(c, ids[i]);
		if (r == NULL)
			return CHECK_FAIL;
		const struct rec_proc *p = second_shell(r);
		if (p)
			return check_fail(c, "with the script '%s' the exec in %s failed and it went "
					  "on as a second copy of the shell, reading the same script: "
					  "it %s. After a failed exec the child must _exit(127)",
					  script_of(c, ids[i]), q_label(p), p->nchildren ?
					  "forked commands of its own" : "printed on stdout");
	}
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "fork-exec", 2, "one child per external command, exec'd there; builtins in the shell",
	  check_fork_exec, "Running a command" },
	{ "pipes", 2, "each pipeline's neighbours joined by one pipe, and it finishes",
	  check_pipes, "Pipelines" },
	{ "no-stray-fds", 2, "no descriptor above 2 at any exec; the shell keeps no pipe end",
	  check_no_stray_fds, "Pipelines" },
	{ "output", 2, "each script prints exactly its lines", check_output, "Task" },
	{ "redirect", 1, "< and > in the child; > truncates; cd moves the shell itself",
	  check_redirect, "Redirections" },
	{ "statuses", 2, "exit code, 128+signal, pipeline, 127, failed cd or <, &, exit [N]",
	  check_statuses, "Statuses" },
	{ "background", 1, "& does not wait; '[<pid>] done <status>' before the next line runs",
	  check_background, "Background jobs" },
	{ "reaped", 1, "every child reaped by the shell before the next line runs",
	  check_reaped, "Background jobs" },
	{ "one-shell", 1, "a failed exec never leaves a second shell reading the script",
	  check_one_shell, "Running a command" },
};

static const char *const sources[] = { "minish.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"Every command runs in a child: fork(), set up the child's descriptors, exec; the shell "
	"waits for it (unless the line ends with &). Builtins such as cd and exit run in the "
	"shell itself.",
	"A pipeline of n commands needs n-1 pipes made by the shell; each child dup2()s its "
	"ends onto 0 and 1 and closes every pipe descriptor; the shell closes its copies once "
	"all are forked.",
	"A child whose exec fails must _exit(127) at once. Reap background jobs with "
	"waitpid(-1, &status, WNOHANG) after reading each line and at the end of input.",
	NULL,
};

static const char *const zombie_checks[] = { "reaped", NULL };

const struct lab lab16 = {
	.number = 16,
	.name = "16-mini-shell",
	.title = "A mini shell",
	.program = "minish",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
	.zombie_checks = zombie_checks,
};
