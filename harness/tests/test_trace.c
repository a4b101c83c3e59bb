/* test_trace.c - integration tests: trace the small programs of harness/tests/progs/t_*.c and
 * assert on the record (tree, execs and descriptors, exits, reaps, orphans, writes, threads,
 * stdin, staged files). Every run must leave nothing behind (leftover == 0). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "record.h"
#include "testutil.h"
#include "trace.h"

/* Runs argv with o (already initialised by the caller, or defaults when NULL). */
static struct record *run_opts(struct trace_opts *o, char *const *argv)
{
	struct trace_opts def;
	if (!o) {
		trace_opts_init(&def);
		def.timeout_s = 5;
		o = &def;
	}
	o->argv = argv;
	struct record *r = NULL;
	char err[512] = "";
	int rc = trace_run(o, &r, err, sizeof(err));
	cr_assert_eq(rc, 0, "trace_run failed: %s", err);
	cr_assert_not_null(r);
	cr_assert_eq(r->leftover, 0, "processes left behind");
	return r;
}

#define RUN(...) run_opts(NULL, (char *const[]){ __VA_ARGS__, NULL })

/* trace_run refuses o (argv set here), with an error that contains needle, and no record. */
static void refused(struct trace_opts *o, const char *prog, const char *needle)
{
	o->argv = (char *const[]){ (char *)test_prog(prog), NULL };
	char err[256] = "";
	struct record *r = NULL;
	cr_assert_eq(trace_run(o, &r, err, sizeof(err)), -1);
	cr_assert_null(r);
	cr_assert_not_null(strstr(err, needle), "%s", err);
}

static struct rec_proc *named(const struct record *r, const char *name)
{
	struct rec_proc *p = record_find(r, name);
	cr_assert_not_null(p, "no process %s in the record", name);
	return p;
}

Test(trace, supported_here)
{
	char err[200];
	cr_assert(trace_supported(err, sizeof(err)), "%s", err);
}

Test(trace, tree_demo_shape_names_and_reaps, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("tree_demo"));
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->nprocs, 4);
	struct rec_proc *p = named(r, "P"), *p1 = named(r, "P.1"), *p2 = named(r, "P.2");
	struct rec_proc *p21 = named(r, "P.2.1");
	cr_assert_eq(p->pid, r->root_pid);
	cr_assert_eq(p1->parent, p);
	cr_assert_eq(p21->parent, p2);
	cr_assert_eq(p->nexecs, 1);
	cr_assert_str_eq(p->execs[0].path, test_prog("tree_demo"));
	cr_assert_eq(p21->nexecs, 1);
	cr_assert_str_eq(p21->execs[0].argv[0], "echo");
	cr_assert_str_eq(p21->execs[0].argv[1], "grandchild says hi");
	cr_assert_eq(p21->execs[0].argc, 2);
	cr_assert_eq(p2->exit_code, 3);
	cr_assert(p21->exited && p21->exit_code == 0 && p21->exit_signal == 0);
	/* Each one reaped by its own parent, after it exited, before the parent exited. */
	cr_assert_eq(p1->reaped_by, p->pid);
	cr_assert_eq(p1->reaper, p);
	cr_assert_eq(p21->reaped_by, p2->pid);
	cr_assert_geq(p21->reaped_ms - p21->exited_ms, 0);
	cr_assert_lt(p21->exited_seq, p21->reaped_seq);
	cr_assert_lt(p21->reaped_seq, p2->exited_seq);
	cr_assert_lt(p2->forked_seq, p21->forked_seq);
	cr_assert_eq(p->reaped_by, REC_FORKLAB);
	cr_assert_not(p1->orphaned);
	cr_assert_str_eq(r->out.data + r->out.len - 12, "parent done\n");
	/* P, P.2 and P.2.1 are alive together; P.1 may or may not be gone by then. */
	cr_assert(r->max_alive == 3 || r->max_alive == 4, "max_alive %d", r->max_alive);
	record_free(r);
}

Test(trace, exit_codes_and_signals, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_exit"), "7");
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 7);
	cr_assert_eq(r->root->exit_code, 7);
	record_free(r);
	r = RUN((char *)test_prog("t_exit"), "256");
	cr_assert_eq(r->status, 0, "exit(256) is status 0");
	record_free(r);
	r = RUN((char *)test_prog("t_exit"), "segv");
	cr_assert_eq(r->outcome, OUT_SIGNALED);
	cr_assert_eq(r->status, 128 + SIGSEGV);
	cr_assert_eq(r->root->exit_signal, SIGSEGV);
	cr_assert_not(r->root->killed_by_forklab);
	record_free(r);
	r = RUN((char *)test_prog("t_exit"), "abort");
	cr_assert_eq(r->status, 128 + SIGABRT);
	record_free(r);
}

static const struct rec_fd *fd_in(const struct rec_fdset *s, int fd)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

Test(trace, exec_descriptors, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_fds"));
	cr_assert_eq(r->status, 0, "%.*s", (int)r->err.len, r->err.data);
	struct rec_proc *p = r->root;
	cr_assert_eq(p->nexecs, 2);
	const struct rec_fdset *first = &p->execs[0].fds, *s = &p->execs[1].fds;
	cr_assert(first->taken && s->taken);
	cr_assert_eq(first->n, 3, "only 0, 1, 2 are open at the start");
	cr_assert_eq(fd_in(first, 0)->kind, 'n');
	cr_assert_eq(fd_in(first, 1)->kind, 'p');
	cr_assert_eq(fd_in(first, 1)->end, 'w');
	cr_assert_eq(fd_in(first, 2)->end, 'w');
	cr_assert_neq(fd_in(first, 1)->inode, fd_in(first, 2)->inode);
	cr_assert_str_eq(p->execs[1].argv[1], "after");
	const struct rec_fd *f3 = fd_in(s, 3), *f4 = fd_in(s, 4), *f5 = fd_in(s, 5);
	cr_assert(f3 && f4 && f5);
	cr_assert_eq(f3->kind, 'f');
	cr_assert_str_eq(f3->target + strlen(f3->target) - 9, "/data.txt");
	cr_assert_eq(f4->kind, 'p');
	cr_assert_eq(f4->end, 'r');
	cr_assert_eq(f5->end, 'w');
	cr_assert_eq(f4->inode, f5->inode);
	cr_assert_null(fd_in(s, 6), "the close-on-exec descriptor is gone after exec");
	record_free(r);
}

Test(trace, orphan_adopted_and_reaped_by_forklab, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_orphan"), "live");
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert(c->orphaned);
	cr_assert_eq(c->adopted_by, REC_FORKLAB);
	cr_assert_eq(c->reaped_by, REC_FORKLAB);
	cr_assert_eq(c->exit_code, 5);
	cr_assert_lt(r->root->exited_seq, c->exited_seq, "the orphan outlived its parent");
	record_free(r);
}

/* hold_children_ms: a new process starts only once its parent has died, so a child's first
 * getppid() already names its adopter (forklab); a parent that waits for its child, and a
 * vfork-style spawn, whose parents cannot end first, do not hold it (with a hold longer than
 * the run's timeout, holding it would end the run in a timeout); a bad value is refused. */
Test(trace, held_children_start_after_their_parent, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.hold_children_ms = 2000;
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("t_hold"), "race",
							 NULL });
	cr_assert_eq(r->outcome, OUT_EXITED);
	int born = 0, first = 0;
	const char *out = r->out.data ? r->out.data : "";
	cr_assert_eq(sscanf(out, "born to %d getppid %d", &born, &first), 2, "%s", out);
	cr_assert_eq(born, r->root->pid);
	/* forklab, the subreaper above the run, adopted it: the same pid as this test's. */
	cr_assert_eq(first, getpid(), "the child started before its parent's death: %s", out);
	cr_assert(named(r, "P.1")->orphaned);
	record_free(r);

	/* A parent that waits (t_hold wait), posix_spawn's clone(CLONE_VFORK), and vfork(). */
	char *const waiting[][3] = { { (char *)test_prog("t_hold"), "wait", NULL },
				     { (char *)test_prog("t_spawn"), "spawn", NULL },
				     { (char *)test_prog("t_spawn"), "vfork", NULL } };
	for (size_t i = 0; i < 3; i++) {
		trace_opts_init(&o);
		o.timeout_s = 4;
		o.hold_children_ms = 8000;
		r = run_opts(&o, waiting[i]);
		cr_assert_eq(r->outcome, OUT_EXITED, "%s %s: %s", waiting[i][0], waiting[i][1],
			     r->detail ? r->detail : "");
		cr_assert_eq(r->root->exit_code, 0, "%s %s: the parent got its child's status",
			     waiting[i][0], waiting[i][1]);
		record_free(r);
	}

	trace_opts_init(&o);
	o.hold_children_ms = -1;
	refused(&o, "t_hold", "hold on new children");
}

/* merge_sigchld_ms: the first child's SIGCHLD waits, its parent stopped before the handler,
 * until the second child has ended: both handlers then run before the main loop looks, so a
 * loop that reaps one child per signal it noticed reaps one of two. A bad value is refused. */
Test(trace, first_sigchld_merged_with_the_next, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 8;
	o.merge_sigchld_ms = 3000;
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("t_sigchld"), NULL });
	cr_assert_eq(r->outcome, OUT_EXITED);
	int sigs = 0, rounds = 0, reaped = 0;
	const char *out = r->out.data ? r->out.data : "";
	cr_assert_eq(sscanf(out, "signals %d rounds %d reaped %d", &sigs, &rounds, &reaped), 3,
		     "%s", out);
	cr_assert_eq(sigs, 2, "%s", out);
	cr_assert_eq(rounds, 1, "the two SIGCHLDs were not merged: %s", out);
	cr_assert_eq(reaped, 1, "%s", out);
	record_free(r);

	trace_opts_init(&o);
	o.merge_sigchld_ms = 20000;
	refused(&o, "t_sigchld", "merge SIGCHLD");
}

Test(trace, zombie_adopted_and_reaped_by_forklab, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_orphan"), "zombie");
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->exit_code, 5);
	cr_assert_lt(c->exited_seq, r->root->exited_seq, "the child died first");
	/* a zombie when its parent ended: adopted only to be reaped, not an orphan */
	cr_assert_not(c->orphaned, "a child that ended before its parent is not an orphan");
	cr_assert_eq(c->adopted_by, REC_FORKLAB);
	cr_assert_eq(c->reaped_by, REC_FORKLAB);
	cr_assert_gt(c->reaped_seq, r->root->exited_seq, "reaped only once adopted");
	cr_assert_geq(c->reaped_ms - c->exited_ms, 0);
	record_free(r);
}

Test(trace, writes_attributed_in_order, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_writes"));
	struct rec_proc *p = r->root, *c = named(r, "P.1");
	cr_assert_eq(r->out.len, 9);
	cr_assert_str_eq(r->out.data, "p1\nc1\np2\n");
	cr_assert_str_eq(r->err.data, "c2\n");
	cr_assert_str_eq(p->out.data, "p1\np2\n");
	cr_assert_str_eq(c->out.data, "c1\n");
	cr_assert_str_eq(c->err.data, "c2\n");
	cr_assert_eq(r->nwrites, 4);
	const char *want[] = { "p1\n", "c1\n", "c2\n", "p2\n" };
	struct rec_proc *who[] = { p, c, c, p };
	for (size_t i = 0; i < 4; i++) {
		const struct rec_write *w = &r->writes[i];
		const struct rec_buf *b = w->stream == 2 ? &w->proc->err : &w->proc->out;
		cr_assert_eq(w->proc, who[i], "write %zu", i);
		cr_assert_eq(w->len, 3);
		cr_assert_eq(memcmp(b->data + w->off, want[i], 3), 0, "write %zu", i);
		if (i)
			cr_assert_lt(r->writes[i - 1].seq, w->seq);
	}
	cr_assert_eq(r->writes[2].stream, 2);
	cr_assert_lt(r->writes[2].seq, c->exited_seq);
	cr_assert_lt(c->reaped_seq, r->writes[3].seq);
	record_free(r);
}

Test(trace, threads_are_not_processes, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_threads"), "3");
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->root->nthreads, 3);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->max_alive, 1);
	record_free(r);
}

Test(trace, exec_from_a_thread_keeps_the_process, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_threads"), "exec");
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->root->nexecs, 2);
	cr_assert_str_eq(r->root->execs[1].path, "/bin/true");
	cr_assert_str_eq(r->root->execs[1].argv[1], "from-thread");
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

static void check_spawned_echo(struct record *r)
{
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->nexecs, 1);
	cr_assert_str_eq(c->execs[0].path, "/bin/echo");
	cr_assert_str_eq(c->execs[0].argv[1], "spawned");
	cr_assert_eq(c->reaped_by, r->root_pid);
	cr_assert_str_eq(c->out.data, "spawned\n");
	record_free(r);
}

Test(trace, vfork_exec, .timeout = 30)
{
	check_spawned_echo(RUN((char *)test_prog("t_spawn"), "vfork"));
}

Test(trace, posix_spawn, .timeout = 30)
{
	check_spawned_echo(RUN((char *)test_prog("t_spawn"), "spawn"));
}

Test(trace, stdin_data_and_file, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.stdin_data = "hello\nworld\n";
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("t_cat"), NULL });
	cr_assert_str_eq(r->out.data, "hello\nworld\n");
	record_free(r);

	char path[] = "/tmp/forklab-test-stdin-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "from a file\n", 12), 12);
	close(fd);
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.stdin_path = path;
	r = run_opts(&o, (char *const[]){ (char *)test_prog("t_cat"), NULL });
	unlink(path);
	cr_assert_str_eq(r->out.data, "from a file\n");
	record_free(r);

	/* Without stdin, it is /dev/null: end of file at once. */
	r = RUN((char *)test_prog("t_sleeper"), "read");
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(trace, staged_files_and_environment, .timeout = 30)
{
	struct trace_stage st[] = {
		{ test_prog("t_exit"), "bin/exit_with", 0755, -1 },
		{ test_prog("t_cat"), "bin/copy", 0755, -1 },
	};
	char data[] = "/tmp/forklab-test-stage-XXXXXX";
	int fd = mkstemp(data);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "staged\n", 7), 7);
	close(fd);
	struct trace_stage st2[] = { st[0], st[1], { data, "in.txt", 0644, -1 } };
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.stage = st2;
	o.nstage = 3;
	const char *env[] = { "GREETING=hi", NULL };
	o.env = env;
	struct record *r = run_opts(&o, (char *const[]){ "/bin/sh", "-c",
		"copy in.txt; echo \"$GREETING $LC_ALL $TERM\"; case $PWD in $HOME) ;; *) exit 9;; "
		"esac; exit_with 4", NULL });
	unlink(data);
	cr_assert_str_eq(r->out.data, "staged\nhi C dumb\n", "%s|%s", r->out.data, r->err.data);
	cr_assert_eq(r->status, 4);
	record_free(r);
}

Test(trace, exec_failure_is_an_error_not_a_record, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	struct record *r = NULL;
	char err[256];
	o.argv = (char *const[]){ "/nonexistent/program", NULL };
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), -1);
	cr_assert_null(r);
	cr_assert(strstr(err, "cannot execute /nonexistent/program"), "%s", err);
	/* Not executable: refused before anything runs. */
	char path[] = "/tmp/forklab-test-noexec-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	o.argv = (char *const[]){ path, NULL };
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), -1);
	cr_assert(strstr(err, "Permission denied"), "%s", err);
	/* Executable but not a program: the exec itself fails, reported from the child. */
	cr_assert_eq(chmod(path, 0755), 0);
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), -1);
	unlink(path);
	cr_assert(strstr(err, "cannot execute"), "%s", err);
	cr_assert(strstr(err, "Exec format error"), "%s", err);
}

Test(trace, snapshots_of_descriptors, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.snap_fds = true;
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("tree_demo"), NULL });
	struct rec_proc *p1 = named(r, "P.1");
	cr_assert(p1->parent_fds.taken);
	cr_assert(p1->reaper_fds.taken);
	cr_assert_eq(fd_in(&p1->parent_fds, 1)->end, 'w');
	record_free(r);
}

Test(trace, signals_outside_the_run_are_refused, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_killer"));
	cr_assert_eq(r->status, 1 | 2 | 4, "status %d", r->status);
	cr_assert_eq(r->root->kills_denied, 3);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->exit_signal, SIGKILL);
	cr_assert_not(c->killed_by_forklab);
	record_free(r);
}

Test(trace, json_of_a_real_run, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("tree_demo"));
	char *text = record_to_json(r);
	json_t *j = json_loads(text, 0, NULL);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "exited");
	cr_assert_eq(json_integer_value(json_object_get(j, "leftover")), 0);
	json_t *procs = json_object_get(j, "processes");
	cr_assert_eq(json_array_size(procs), 4);
	json_t *p21 = json_array_get(procs, 3);
	cr_assert_str_eq(json_string_value(json_object_get(p21, "name")), "P.2.1");
	json_t *ex = json_array_get(json_object_get(p21, "exec"), 0);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ex, "argv"), 0)), "echo");
	json_t *fd1 = json_array_get(json_object_get(ex, "fds"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(fd1, "kind")), "pipe");
	cr_assert_str_eq(json_string_value(json_object_get(fd1, "end")), "write");
	cr_assert_eq(json_integer_value(json_object_get(p21, "reaped_by")),
		     json_integer_value(json_object_get(json_array_get(procs, 2), "pid")));
	json_decref(j);
	free(text);
	record_free(r);
}

static const struct rec_file *file_in(const struct record *r, const char *name)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].name, name) == 0)
			return &r->files[i];
	return NULL;
}

Test(trace, files_left_in_the_scratch_directory, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.collect_files = true;
	struct record *r = run_opts(&o, (char *const[]){ "/bin/sh", "-c",
		"echo hi > out.txt && chmod 640 out.txt && mkdir -p d && printf 'x\\0y' > d/y && "
		"ln -s /etc/passwd link && mkfifo fifo", NULL });
	cr_assert_eq(r->status, 0, "%s", r->err.data ? r->err.data : "");
	const struct rec_file *f = file_in(r, "out.txt"), *g = file_in(r, "d/y");
	cr_assert_not_null(f);
	cr_assert_eq(f->len, 3);
	cr_assert_str_eq(f->data, "hi\n");
	cr_assert_eq(f->mode, 0640);
	cr_assert_not(f->truncated);
	cr_assert_not_null(g);
	cr_assert_eq(g->len, 3);
	cr_assert_eq(memcmp(g->data, "x\0y", 3), 0);
	cr_assert_null(file_in(r, "link"), "links are not followed");
	cr_assert_null(file_in(r, "fifo"), "only regular files");
	record_free(r);
}

static int interrupt_run(struct trace_ctl *c, void *arg)
{
	(void)arg;
	if (trace_ctl_wait_line(c, 1, "ready", 3, NULL, 0) == 0)
		kill(getpid(), SIGTERM); /* to forklab itself, as a user's kill would */
	return 0;
}

Test(trace, sigterm_to_forklab_interrupts_cleanly, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.driver = interrupt_run;
	/* t_ready would print "bye" and exit 0 on a SIGTERM of its own: it gets none, forklab
	 * ends the run and kills it. */
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("t_ready"), NULL });
	cr_assert_eq(r->outcome, OUT_INTERRUPTED, "outcome %s", outcome_name(r->outcome));
	cr_assert_eq(r->status, 124);
	cr_assert(r->root->killed_by_forklab);
	cr_assert(strstr(r->detail, "SIGTERM"), "%s", r->detail);
	cr_assert_null(strstr(r->out.data, "bye"), "the program did not get forklab's SIGTERM");
	record_free(r);
}

Test(trace, waitid_reaps_and_wnowait_does_not, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_waitid"));
	cr_assert_eq(r->status, 4, "status %d", r->status);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->reaped_by, r->root_pid);
	cr_assert_eq(r->nwrites, 1);
	cr_assert_gt(c->reaped_seq, r->writes[0].seq, "the WNOWAIT look was not the reap");
	record_free(r);
}

Test(trace, stopped_and_continued_child, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_stopcont"));
	cr_assert_eq(r->status, 0, "status %d", r->status);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->exit_signal, SIGTERM);
	cr_assert_not(c->killed_by_forklab);
	cr_assert_eq(c->reaped_by, r->root_pid, "reaped by the last wait, not the stop report");
	cr_assert_lt(c->exited_seq, c->reaped_seq);
	record_free(r);
}

Test(trace, fork_from_a_thread_belongs_to_the_process, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_thread_fork"));
	cr_assert_eq(r->status, 6);
	cr_assert_eq(r->nprocs, 2);
	cr_assert_eq(r->root->nthreads, 1);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->parent, r->root);
	cr_assert_eq(c->reaped_by, r->root_pid, "reaped by the thread: by its process");
	record_free(r);
}

Test(trace, failed_execs_are_not_recorded, .timeout = 30)
{
	struct record *r = RUN("/bin/sh", "-c", "(exec /no/such/file); /bin/true ok");
	cr_assert_eq(r->status, 0);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_eq(c->nexecs, 0, "its only exec failed");
	cr_assert_eq(c->exit_code, 127);
	struct rec_proc *c2 = named(r, "P.2");
	cr_assert_eq(c2->nexecs, 1);
	cr_assert_str_eq(c2->execs[0].path, "/bin/true");
	cr_assert_str_eq(c2->execs[0].argv[1], "ok");
	record_free(r);
}

Test(trace, gathered_writes_and_duplicated_descriptors, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_writev"));
	cr_assert_eq(r->status, 0, "status %d", r->status);
	cr_assert_str_eq(r->root->out.data, "one two three\ndup\n");
	cr_assert_str_eq(r->root->err.data, "error\n");
	cr_assert_str_eq(r->out.data, "one two three\ndup\n");
	cr_assert_eq(r->nwrites, 3);
	cr_assert_eq(r->writes[0].len, 14, "one writev is one write");
	cr_assert_eq(r->writes[1].stream, 2);
	record_free(r);
}

/* Bytes that reach stdout without a write call (sendfile, splice, tee, vmsplice) are attributed
 * like writes; io_uring and Linux AIO, whose writes no stop could see, are refused. */
Test(trace, copies_into_stdout_attributed, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_copy"));
	cr_assert_eq(r->status, 10, "status %d: %.*s", r->status, (int)r->err.len, r->err.data);
	const char *out = "from a file\nfrom piped\npiped\nvmsplice\n";
	const char *tail = "io_uring -1 ENOSYS, aio -1 ENOSYS\n";
	struct rec_proc *c = named(r, "P.1");
	char want[256];
	snprintf(want, sizeof(want), "%sfrom %s", out, tail);
	cr_assert_eq(r->out.len, strlen(want));
	cr_assert_eq(memcmp(r->out.data, want, r->out.len), 0, "stdout %.*s", (int)r->out.len,
		     r->out.data);
	snprintf(want, sizeof(want), "%s%s", out, tail);
	cr_assert_eq(r->root->out.len, strlen(want));
	cr_assert_eq(memcmp(r->root->out.data, want, strlen(want)), 0, "P wrote %.*s",
		     (int)r->root->out.len, r->root->out.data);
	cr_assert_eq(r->root->err.len, 13);
	cr_assert_eq(memcmp(r->root->err.data, "at an offset\n", 13), 0);
	cr_assert_eq(c->out.len, 5);
	cr_assert_eq(memcmp(c->out.data, "from ", 5), 0);
	/* One record per call, in the order the calls were made. */
	const char *calls[] = { "from a file\n", "at an offset\n", "from ", "piped\n", "piped\n",
				"vmsplice\n", "from " };
	cr_assert_geq(r->nwrites, 8);
	for (size_t i = 0; i < 7; i++) {
		const struct rec_write *w = &r->writes[i];
		const struct rec_buf *b = w->stream == 2 ? &w->proc->err : &w->proc->out;
		cr_assert_eq(w->len, strlen(calls[i]), "call %zu", i);
		cr_assert_eq(memcmp(b->data + w->off, calls[i], w->len), 0, "call %zu", i);
		cr_assert_eq(w->proc, i == 6 ? c : r->root, "call %zu", i);
	}
	record_free(r);
}

/* How many CPUs a traced program may run on, read from its own /proc/self/status. */
static int traced_cpu_count(bool all_cpus)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.all_cpus = all_cpus;
	struct record *r = run_opts(&o, (char *const[]){ "/bin/grep", "^Cpus_allowed_list:",
							"/proc/self/status", NULL });
	cr_assert_eq(r->status, 0, "grep failed: %.*s", (int)r->err.len, r->err.data);
	/* "Cpus_allowed_list:\t0-1,3\n": count the CPUs in the ranges. */
	char line[256];
	snprintf(line, sizeof(line), "%.*s", (int)r->out.len, r->out.data);
	record_free(r);
	int count = 0;
	for (char *p = strchr(line, '\t'); p && *p && *p != '\n'; ) {
		char *end;
		long lo = strtol(p + (*p == '\t' || *p == ','), &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		count += (int)(hi - lo + 1);
		p = end;
	}
	return count;
}

/* By default the program shares the tracer's one CPU (cheaper stops); --all-cpus gives it
 * every CPU the caller has. */
Test(trace, program_pinned_to_one_cpu_unless_all_cpus, .timeout = 30)
{
	cpu_set_t mine;
	cr_assert_eq(sched_getaffinity(0, sizeof(mine), &mine), 0);
	cr_expect_eq(traced_cpu_count(false), 1);
	cr_expect_eq(traced_cpu_count(true), CPU_COUNT(&mine));
	cpu_set_t after;
	cr_assert_eq(sched_getaffinity(0, sizeof(after), &after), 0);
	cr_expect(CPU_EQUAL(&mine, &after), "the caller's affinity was not restored");
}

/* Untraced (for the grading benchmark) the program runs the same way but only the root is
 * known; what it left running in its process group still ends with the run. */
Test(trace, untraced_runs_the_program_and_ends_its_group, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.untraced = true;
	struct record *r = run_opts(&o, (char *const[]){ "/bin/sh", "-c",
							"sleep 30 & echo $!", NULL });
	cr_expect_eq(r->nprocs, 1, "untraced, the record knows the root only");
	cr_expect_eq(r->outcome, OUT_EXITED);
	cr_expect_eq(r->status, 0);
	char text[64];
	snprintf(text, sizeof(text), "%.*s", (int)r->out.len, r->out.data);
	record_free(r);
	pid_t sleeper = (pid_t)atoi(text);
	cr_assert_gt(sleeper, 0, "no pid printed: '%s'", text);
	bool gone = kill(sleeper, 0) < 0 && errno == ESRCH;
	if (!gone)
		kill(sleeper, SIGKILL); /* the test fails, but leaves nothing behind */
	cr_expect(gone, "the background sleep %d survived", (int)sleeper);
}

/* A #! script runs, also from a directory that the run's uid cannot enter (as root: a checkout
 * under /root, here a 0700 directory of root's). */
Test(trace, script_in_a_closed_directory, .timeout = 30)
{
	char dir[] = "/tmp/forklab-script-XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hello.sh", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("#!/bin/sh\necho \"script ran with $#: $1\"\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0755), 0);
	struct record *r = RUN(path, "one");
	unlink(path);
	rmdir(dir);
	cr_expect_eq(r->status, 0, "stderr: %.*s", (int)r->err.len, r->err.data);
	static const char want[] = "script ran with 1: one\n";
	cr_expect(r->out.len == strlen(want) && memcmp(r->out.data, want, strlen(want)) == 0,
		  "stdout: %.*s", (int)r->out.len, r->out.data);
	record_free(r);
}

/* As root, the run's uid is claimed with a lock file in forklab's own directory, which only
 * root can write: /tmp gets one entry, not one per uid. */
Test(trace, run_uid_lock_in_its_own_directory, .timeout = 30)
{
	if (geteuid() != 0)
		cr_skip_test("only root switches the program to a run uid");
	struct record *r = RUN("/usr/bin/id", "-u");
	cr_assert_eq(r->status, 0);
	unsigned uid = (unsigned)strtoul(r->out.data, NULL, 10);
	record_free(r);
	cr_assert(uid >= 61000 && uid <= 61999, "ran as uid %u", uid);
	char path[64];
	struct stat st;
	cr_assert_eq(lstat("/tmp/.forklab-uids", &st), 0);
	cr_expect(S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 077) == 0,
		  "mode %o owner %u", (unsigned)st.st_mode, (unsigned)st.st_uid);
	snprintf(path, sizeof(path), "/tmp/.forklab-uids/%u.lock", uid);
	cr_expect_eq(access(path, F_OK), 0, "no %s", path);
}

/* trace_opts.stdout_pty: the program's stdout is a terminal (stdio flushes at each newline, so
 * a line printed before fork comes out once), and what it writes there is recorded. */
Test(trace, stdout_on_a_pty, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_buffered"));
	cr_assert_eq(r->out.len, 12, "on a pipe, the copied buffer is flushed twice: %.*s",
		     (int)r->out.len, r->out.data);
	cr_assert_eq(memcmp(r->out.data, "tty=0\ntty=0\n", 12), 0);
	record_free(r);

	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.stdout_pty = true;
	r = run_opts(&o, (char *const[]){ (char *)test_prog("t_buffered"), NULL });
	cr_assert_eq(r->out.len, 6, "on a terminal, once: %.*s", (int)r->out.len, r->out.data);
	cr_assert_eq(memcmp(r->out.data, "tty=1\n", 6), 0);
	cr_assert_eq(r->root->out.len, 6, "the line is P's");
	cr_assert_eq(named(r, "P.1")->out.len, 0);
	cr_assert_eq(r->nwrites, 1);
	record_free(r);
}

/* Memory figures at each exit: a child that writes half of a 16 MiB copied buffer owns about
 * 8 MiB of it, and took at least one fault per page it wrote. */
Test(trace, memory_at_exit, .timeout = 30)
{
	struct record *r = RUN((char *)test_prog("t_cow"), "16", "50");
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 0, "the parent's buffer changed under it");
	struct rec_proc *c = named(r, "P.1");
	long long pages = 16 * 256 / 2;
	cr_assert_geq(c->minflt, pages, "P.1: %lld minor faults for %lld pages written", c->minflt,
		      pages);
	cr_assert(c->private_dirty_kib >= pages * 4 && c->private_dirty_kib <= pages * 4 + 2048,
		  "P.1: %lld KiB private dirty, expected %lld KiB and a little more",
		  c->private_dirty_kib, pages * 4);
	cr_assert_geq(r->root->private_dirty_kib, 16 * 1024, "P: %lld KiB",
		      r->root->private_dirty_kib);
	record_free(r);

	/* A process with no big mapping is read only when asked. */
	r = RUN("/bin/true");
	cr_assert_eq(r->root->private_dirty_kib, -1);
	record_free(r);
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.mem_at_exit = true;
	r = run_opts(&o, (char *const[]){ "/bin/true", NULL });
	cr_assert_gt(r->root->private_dirty_kib, 0);
	cr_assert_gt(r->root->minflt, 0);
	record_free(r);
}

/* Where each process sat when the timeout stopped the run. */
Test(trace, blocked_in_when_stopped, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 0.5;
	struct record *r = run_opts(&o, (char *const[]){ (char *)test_prog("t_blocked"), NULL });
	cr_assert_eq(r->outcome, OUT_TIMEOUT);
	struct rec_proc *c = named(r, "P.1");
	cr_assert_not_null(c->blocked_in);
	cr_assert_str_eq(c->blocked_in, "read");
	cr_assert_not_null(r->root->blocked_in);
	cr_assert_str_eq(r->root->blocked_in, "wait4");
	cr_assert_not_null(c->wchan, "P.1 has no wait channel");
	record_free(r);
}
