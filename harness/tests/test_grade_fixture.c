/* test_grade_fixture.c - hand-built records and result trees for the grader's tests. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "record_build.h"
#include "test_grade_fixture.h"

static void next(struct fx *f)
{
	f->seq++;
	f->ms += 1;
}

struct rec_proc *fx_new(struct fx *f, pid_t root_pid)
{
	memset(f, 0, sizeof *f);
	f->r = record_new();
	cr_assert_not_null(f->r);
	f->r->outcome = OUT_EXITED;
	return fx_fork(f, NULL, root_pid);
}

struct rec_proc *fx_fork(struct fx *f, struct rec_proc *parent, pid_t pid)
{
	next(f);
	struct rec_proc *p = record_add_proc(f->r, parent, pid, f->ms, f->seq);
	cr_assert_not_null(p);
	return p;
}

void fx_write(struct fx *f, struct rec_proc *p, int stream, const char *s)
{
	next(f);
	cr_assert_eq(record_add_write(f->r, p, stream, s, strlen(s), f->ms, f->seq), 0);
	cr_assert_eq(rec_buf_append(stream == 2 ? &f->r->err : &f->r->out, s, strlen(s)), 0);
}

void fx_exit(struct fx *f, struct rec_proc *p, int code, int sig)
{
	next(f);
	p->exited = true;
	p->exit_code = code;
	p->exit_signal = sig;
	p->exited_ms = f->ms;
	p->exited_seq = f->seq;
}

void fx_reap(struct fx *f, struct rec_proc *p, struct rec_proc *reaper)
{
	next(f);
	p->reaped_by = reaper ? reaper->pid : REC_FORKLAB;
	p->reaper = reaper;
	p->reaped_ms = f->ms;
	p->reaped_seq = f->seq;
}

void fx_fd(struct rec_fdset *s, int fd, const char *target, char kind, char end,
	   unsigned long inode)
{
	s->fds = realloc(s->fds, (s->n + 1) * sizeof *s->fds);
	cr_assert_not_null(s->fds);
	s->fds[s->n++] = (struct rec_fd){
		.fd = fd, .target = strdup(target), .kind = kind, .end = end, .inode = inode,
	};
	s->taken = true;
}

void fx_exec(struct fx *f, struct rec_proc *p, const char *path, const char *arg1)
{
	next(f);
	char **argv = calloc(3, sizeof *argv);
	cr_assert_not_null(argv);
	argv[0] = strdup(path);
	argv[1] = arg1 ? strdup(arg1) : NULL;
	cr_assert_not_null(record_add_exec(p, f->ms, f->seq, strdup(path), argv, arg1 ? 2 : 1,
					   NULL));
}

/* ---- the reporters' fixed result tree ---- */

static int pass_fn(struct check_ctx *c)
{
	(void)c;
	return CHECK_PASS;
}

static const char *const demo_default_args[] = {"2", "2", NULL};
static const char *const demo_3x1_args[] = {"3", "1", NULL};
static const struct scenario demo_scenarios[] = {
	{.id = "default", .args = demo_default_args},
	{.id = "3x1", .args = demo_3x1_args},
};
static const struct check demo_checks[] = {
	{"shape", 3, "the exact shape of the tree", pass_fn, "The tree"},
	{"reaped", 2, "every process reaped by its own parent", pass_fn, "Reaping"},
	{"lines", 1, "each line names the real pids", pass_fn, "Output"},
};
static const struct lab demo_lab = {
	.number = 91, .name = "91-demo-tree", .title = "A demo tree", .program = "tree",
	.scenarios = demo_scenarios, .nscenarios = 2, .checks = demo_checks, .nchecks = 3,
};
static const struct check broken_checks[] = {
	{"builds", 1, "the program builds", pass_fn, "Build"},
};
static const struct lab broken_lab = {
	.number = 92, .name = "92-broken", .title = "A lab that does not build", .program = "b",
	.checks = broken_checks, .nchecks = 1,
};
static const struct lab empty_lab = {
	.number = 93, .name = "93-empty", .title = "A placeholder", .program = "",
};

static unsigned char *used(unsigned char a, unsigned char b)
{
	unsigned char *u = calloc(2, 1);
	cr_assert_not_null(u);
	u[0] = a;
	u[1] = b;
	return u;
}

struct lab_result *fx_results(size_t *n)
{
	struct lab_result *labs = calloc(3, sizeof *labs);
	struct fx f;
	cr_assert_not_null(labs);

	struct rec_proc *p = fx_new(&f, 4242);
	struct rec_proc *c1 = fx_fork(&f, p, 4243);
	fx_write(&f, c1, 1, "child: pid=4243 ppid=4242\n");
	fx_write(&f, p, 2, "warning: <odd> & \"quoted\" \x01 byte\n");
	fx_exit(&f, c1, 0, 0);
	fx_reap(&f, c1, p);
	fx_write(&f, p, 1, "parent: done\n");
	fx_exit(&f, p, 0, 0);
	f.r->duration_ms = 12.5;
	f.r->status = 0;

	struct lab_result *a = &labs[0];
	a->lab = &demo_lab;
	a->built = true;
	a->build_log = strdup("tree.c:9:6: warning: unused variable 'x' [-Wunused-variable]\n");
	a->bin = strdup("/build/grade/labs/91-demo-tree/tree");
	a->nruns = 2;
	a->runs = calloc(2, sizeof *a->runs);
	a->nchecks = 3;
	a->checks = calloc(3, sizeof *a->checks);
	cr_assert(a->runs && a->checks);
	a->runs[0] = (struct run){.sc = &demo_scenarios[0], .rec = f.r};
	a->runs[1] = (struct run){.sc = &demo_scenarios[1],
				  .error = strdup("cannot trace: ptrace is not permitted")};
	a->checks[0] = (struct check_result){.check = &demo_checks[0], .passed = true, .score = 3,
					     .runs_used = used(1, 1)};
	a->checks[1] = (struct check_result){
		.check = &demo_checks[1],
		.message = strdup("P.1 (pid 4243) exited without waiting for P.1.1 (pid 4244);\n"
				  "it stayed a zombie for 38 ms <until> forklab & \"adopted\" it "
				  "\x01\x7f# (README: Reaping)"),
		.runs_used = used(1, 0)};
	a->checks[2] = (struct check_result){
		.check = &demo_checks[2], .error = true,
		.message = strdup("the program did not run: cannot trace: ptrace is not permitted"),
		.runs_used = used(0, 1)};
	a->score = 3;
	a->max = 6;
	a->seconds = 1.25;

	struct lab_result *b = &labs[1];
	b->lab = &broken_lab;
	b->build_log = strdup("labs/92-broken/b.c: In function 'main':\n"
			      "labs/92-broken/b.c:3:1: error: expected ';' before '}' token\n");
	b->nchecks = 1;
	b->checks = calloc(1, sizeof *b->checks);
	cr_assert_not_null(b->checks);
	b->checks[0] = (struct check_result){
		.check = &broken_checks[0], .error = true,
		.message = strdup("the program did not build: labs/92-broken/b.c:3:1: error: "
				  "expected ';' before '}' token")};
	b->max = 1;
	b->seconds = 0.5;

	labs[2] = (struct lab_result){.lab = &empty_lab, .built = true};
	*n = 3;
	return labs;
}

void fx_results_free(struct lab_result *labs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lab_result_free(&labs[i]);
	free(labs);
}
