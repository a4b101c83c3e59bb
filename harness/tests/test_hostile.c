/* test_hostile.c - the bad programs of harness/tests/progs/bad_*.c under the tracer: each run
 * must end with a correct record and a clear outcome, leave no process behind, and leave the
 * tracer usable (the same test process then traces a trivial program). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "record.h"
#include "seccomp_filter.h"
#include "testutil.h"
#include "trace.h"

#define HOSTILE_MAXARGS 4

/* One run of one bad program: its options and the argv they point into. */
struct hostile {
	struct trace_opts o;
	char path[PATH_MAX];
	char *argv[HOSTILE_MAXARGS + 2];
	char err[512];
};

/* Short limits so that a hostile run ends in a second or two. */
static void hostile_init(struct hostile *h, const char *prog, const char *arg)
{
	memset(h, 0, sizeof *h);
	trace_opts_init(&h->o);
	snprintf(h->path, sizeof h->path, "%s/progs/%s", test_build_dir(), prog);
	cr_assert(access(h->path, X_OK) == 0, "missing test program %s (make test builds it)",
		  h->path);
	h->argv[0] = h->path;
	h->argv[1] = (char *)arg;
	h->o.argv = h->argv;
	/* a bound for the programs that end by themselves; those meant to hang set 1 s */
	h->o.timeout_s = 3;
	h->o.max_procs = 32;
}

static int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d, "opendir /proc/self/fd: %s", strerror(errno));
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The caller has no child left at all, not even a zombie: the tracer reaped everything. */
static void assert_no_children(void)
{
	int status;
	pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);
	cr_assert(pid < 0 && errno == ECHILD,
		  "the test process still has a child or zombie (waitpid gave %d)", (int)pid);
}

/* The tracer still works in this process: a trivial program runs and exits 0. */
static void assert_tracer_usable(void)
{
	char *argv[] = {"/bin/true", NULL};
	struct trace_opts o;
	struct record *r = NULL;
	char err[512] = "";
	trace_opts_init(&o);
	o.argv = argv;
	o.timeout_s = 3;
	cr_assert_eq(trace_run(&o, &r, err, sizeof err), 0, "tracer unusable afterwards: %s", err);
	cr_assert_eq(r->outcome, OUT_EXITED, "/bin/true afterwards: %s (%s)",
		     outcome_name(r->outcome), r->detail ? r->detail : "");
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->leftover, 0);
	record_free(r);
}

/* What a run may change in the calling process only while it lasts. */
struct caller_state {
	sigset_t mask;
	struct sigaction chld;
	int subreaper;
	int fds;
};

static void caller_state(struct caller_state *cs)
{
	memset(cs, 0, sizeof *cs);
	cr_assert_eq(sigprocmask(SIG_SETMASK, NULL, &cs->mask), 0);
	cr_assert_eq(sigaction(SIGCHLD, NULL, &cs->chld), 0);
	cr_assert_eq(prctl(PR_GET_CHILD_SUBREAPER, &cs->subreaper, 0, 0, 0), 0);
	cs->fds = count_open_fds();
}

/* The caller's signal mask, SIGCHLD disposition, subreaper flag and descriptors are back. */
static void assert_caller_restored(const struct caller_state *before)
{
	struct caller_state now;
	caller_state(&now);
	for (int sig = 1; sig < NSIG; sig++)
		cr_assert_eq(sigismember(&now.mask, sig), sigismember(&before->mask, sig),
			     "signal %d left %s", sig, sigismember(&now.mask, sig) ? "blocked" :
			     "unblocked");
	cr_assert(now.chld.sa_handler == before->chld.sa_handler, "SIGCHLD disposition changed");
	cr_assert_eq(now.subreaper, before->subreaper, "subreaper flag left at %d", now.subreaper);
	cr_assert_eq(now.fds, before->fds, "the run leaked %d descriptors into the caller",
		     now.fds - before->fds);
}

/* Runs h under the tracer and checks what every hostile run must give: a record, the expected
 * outcome, nothing left alive, the caller's state as it was, a usable tracer. */
static struct record *hostile_run(struct hostile *h, enum outcome want)
{
	struct record *r = NULL;
	struct caller_state before;
	caller_state(&before);
	int rc = trace_run(&h->o, &r, h->err, sizeof h->err);
	cr_assert_eq(rc, 0, "trace_run %s: %s", h->path, h->err);
	cr_assert_not_null(r);
	cr_assert_eq(r->outcome, want, "%s: outcome %s (%s), expected %s", h->path,
		     outcome_name(r->outcome), r->detail ? r->detail : "no detail",
		     outcome_name(want));
	cr_assert_eq(r->leftover, 0, "%s: %d processes left alive", h->path, r->leftover);
	/* forklab never hangs: a run ends within its timeout and the time to clean up (at most
	 * 3 s to follow the killed processes, 1 s of sweep). A generous bound, for a loaded
	 * machine; `make bench` (scale) measures the real overshoot. */
	cr_assert_leq(r->duration_ms, (h->o.timeout_s + 5) * 1000, "%s: the run took %.0f ms "
		      "with a timeout of %g s", h->path, r->duration_ms, h->o.timeout_s);
	cr_assert_geq(r->nprocs, 1);
	cr_assert_not_null(r->root);
	cr_assert_eq(r->procs[0], r->root);
	for (size_t i = 0; i < r->nprocs; i++)
		cr_assert(r->procs[i]->exited, "%s: %s (%d) has no recorded end", h->path,
			  r->procs[i]->name, (int)r->procs[i]->pid);
	assert_no_children();
	assert_caller_restored(&before);
	assert_tracer_usable();
	assert_caller_restored(&before);
	return r;
}

static bool buf_has(const struct rec_buf *b, const char *needle)
{
	return b->data != NULL && memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

static bool buf_is(const struct rec_buf *b, const char *text)
{
	return b->len == strlen(text) && memcmp(b->data, text, b->len) == 0;
}

static struct rec_proc *must_find(const struct record *r, const char *name)
{
	struct rec_proc *p = record_find(r, name);
	cr_assert_not_null(p, "no process %s in the record (%zu processes)", name, r->nprocs);
	return p;
}

static void assert_killed_by_forklab(const struct rec_proc *p)
{
	cr_assert(p->exited && p->exit_signal == SIGKILL && p->killed_by_forklab,
		  "%s (%d) should have been killed by forklab (exited=%d signal=%d by_forklab=%d)",
		  p->name, (int)p->pid, p->exited, p->exit_signal, p->killed_by_forklab);
}

/* ---- 1, 2: fork explosions ---- */

Test(hostile, forkbomb, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_forkbomb", NULL);
	h.o.max_procs = 16;
	h.o.timeout_s = 3;
	struct record *r = hostile_run(&h, OUT_PROC_LIMIT);
	cr_assert_leq(r->max_alive, 16, "budget 16, yet %d were alive at once", r->max_alive);
	cr_assert_gt(r->forks_denied, 0);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, getpid_explosion, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_getpid_explosion", NULL);
	h.o.max_procs = 16;
	h.o.timeout_s = 3;
	struct record *r = hostile_run(&h, OUT_PROC_LIMIT);
	cr_assert_leq(r->max_alive, 16);
	cr_assert_gt(r->forks_denied, 0);
	/* each child prints its own pid: every line is attributed to the process that wrote it */
	size_t writers = 0;
	for (size_t i = 1; i < r->nprocs; i++) {
		struct rec_proc *c = r->procs[i];
		char pid[32];
		if (c->out.len == 0)
			continue;
		writers++;
		snprintf(pid, sizeof pid, ": pid=%d\n", (int)c->pid);
		cr_assert(buf_has(&c->out, pid), "%s (%d) wrote: %.*s", c->name, (int)c->pid,
			  (int)c->out.len, c->out.data);
	}
	cr_assert_gt(writers, 0, "no child's line was recorded");
	record_free(r);
}

/* Zombies hold a pid and a kernel task each, and RLIMIT_NPROC (which the budget stands in for)
 * counts them: a program that never reaps must meet the budget too. */
Test(hostile, zombie_bomb, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_zombie_bomb", NULL);
	h.o.max_procs = 16;
	h.o.timeout_s = 3;
	struct record *r = hostile_run(&h, OUT_PROC_LIMIT);
	cr_assert_leq(r->nprocs, 16, "%zu processes made under a budget of 16 (zombies uncounted)",
		      r->nprocs);
	cr_assert_gt(r->forks_denied, 0);
	record_free(r);
}

/* ---- 1 again: the fork bomb through the command, as an unprivileged user ---- */

/* Copies src to dst with mode 0755. */
static void copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(in, 0, "open %s: %s", src, strerror(errno));
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	cr_assert_geq(out, 0, "open %s: %s", dst, strerror(errno));
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n, "write %s", dst);
	cr_assert_eq(n, 0, "read %s: %s", src, strerror(errno));
	cr_assert_eq(fchmod(out, 0755), 0);
	close(in);
	close(out);
}

/* Whether any process runs as uid (used for a uid nobody else uses). */
static int procs_of_uid(uid_t uid)
{
	DIR *d = opendir("/proc");
	cr_assert_not_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char path[300];
		struct stat st;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		if (stat(path, &st) == 0 && st.st_uid == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* Runs `forklab run --format json ARGS -- PROGRAM` in a child, as uid when uid != 0 (the child
 * drops root before exec), and returns forklab's exit status and its parsed JSON output. */
static json_t *forklab_json(uid_t uid, char *const args[], int *status)
{
	int out[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (uid != 0 && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
			_exit(126);
		if (dup2(out[1], 1) < 0)
			_exit(126);
		execv(args[0], args);
		_exit(127);
	}
	close(out[1]);
	char *text = test_slurp_fd(out[0]);
	close(out[0]);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "forklab died of signal %d", WTERMSIG(st));
	*status = WEXITSTATUS(st);
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	cr_assert_not_null(j, "forklab's JSON does not parse (%s, status %d): %.200s", jerr.text,
			   *status, text);
	free(text);
	return j;
}

Test(hostile, forkbomb_unprivileged_cli, .timeout = 30)
{
	uid_t uid = 0;
	char dir[] = "/tmp/forklab-hostile-XXXXXX";
	char forklab[PATH_MAX], bomb[PATH_MAX], src[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	int lock = -1;
	if (geteuid() == 0) {
		/* a uid of its own (62000-62999, away from forklab's sandbox range), held with a lock
		 * so that a test suite running at the same time does not pick it too */
		cr_assert(mkdir("/tmp/.forklab-uids", 0700) == 0 || errno == EEXIST);
		for (int i = 0; i < 1000 && lock < 0; i++) {
			char path[64];
			uid = 62000 + (uid_t)((getpid() + i) % 1000);
			snprintf(path, sizeof path, "/tmp/.forklab-uids/hostile-%u.lock", (unsigned)uid);
			lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
			if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0) {
				close(lock);
				lock = -1;
			}
		}
		cr_assert_geq(lock, 0, "no free uid in 62000-62999");
		cr_assert_eq(chmod(dir, 0755), 0);
	}
	snprintf(forklab, sizeof forklab, "%s/forklab", dir);
	snprintf(bomb, sizeof bomb, "%s/bad_forkbomb", dir);
	snprintf(src, sizeof src, "%s/forklab", test_build_dir());
	copy_file(src, forklab);
	snprintf(src, sizeof src, "%s/progs/bad_forkbomb", test_build_dir());
	copy_file(src, bomb);

	char *args[] = {forklab, "run", "--format", "json", "--timeout", "3", "--max-procs", "16",
			"--", bomb, NULL};
	int status;
	json_t *j = forklab_json(uid, args, &status);
	unlink(forklab);
	unlink(bomb);
	rmdir(dir);

	cr_assert_eq(status, 124, "forklab run exited %d, expected 124 (a limit)", status);
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "proc-limit");
	cr_assert_eq(json_integer_value(json_object_get(j, "leftover")), 0);
	cr_assert_leq(json_integer_value(json_object_get(j, "max_alive")), 16);
	cr_assert_gt(json_integer_value(json_object_get(j, "forks_denied")), 0);
	cr_assert_gt(json_array_size(json_object_get(j, "processes")), 1);
	json_decref(j);
	if (uid != 0)
		cr_assert_eq(procs_of_uid(uid), 0, "processes of uid %d survived", (int)uid);
	if (lock >= 0)
		close(lock);
	assert_tracer_usable();
}

/* ---- 3, 4: leaving the session, the group ---- */

Test(hostile, daemon, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_daemon", NULL);
	h.o.timeout_s = 3;
	h.o.linger_s = 0.3;
	struct record *r = hostile_run(&h, OUT_LINGER);
	cr_assert_eq(r->nprocs, 3);
	struct rec_proc *p = r->root, *c = must_find(r, "P.1"), *g = must_find(r, "P.1.1");
	cr_assert_eq(c->parent, p);
	cr_assert_eq(g->parent, c);
	cr_assert_eq(p->exit_code, 0);
	cr_assert_eq(p->exit_signal, 0);
	cr_assert_eq(c->exit_code, 0);
	cr_assert_eq(c->reaped_by, p->pid, "P.1 reaped by %d", (int)c->reaped_by);
	cr_assert(g->orphaned);
	cr_assert_eq(g->adopted_by, REC_FORKLAB);
	assert_killed_by_forklab(g);
	cr_assert_not_null(r->detail);
	cr_assert(strstr(r->detail, "P.1.1") != NULL, "detail should name P.1.1: %s", r->detail);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, setpgid, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_setpgid", NULL);
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = must_find(r, "P.1");
	char line[64];
	snprintf(line, sizeof line, "child %d in group %d\n", (int)c->pid, (int)c->pid);
	cr_assert(buf_is(&r->out, line), "stdout: %.*s", (int)r->out.len, r->out.data);
	assert_killed_by_forklab(r->root);
	assert_killed_by_forklab(c);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

/* ---- 5: escapes ---- */

Test(hostile, clone_untraced, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_clone_untraced", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_has(&r->out, "refused: "), "CLONE_UNTRACED was not refused: %.*s",
		  (int)r->out.len, r->out.data);
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(hostile, clone3, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_clone3", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_is(&r->root->out, "clone3: ENOSYS\nfork: child exited 5\n"),
		  "root wrote: %.*s", (int)r->root->out.len, r->root->out.data);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert_eq(c->exit_code, 5);
	cr_assert_eq(c->reaped_by, r->root->pid);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* Whether this kernel runs 32-bit system calls from a 64-bit program at all: some (and some
 * hypervisors) turn int $0x80 into SIGSEGV, with or without forklab. */
static bool int80_works(void)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		long nr = 20; /* getpid in the i386 table */
		__asm__ volatile("int $0x80" : "+a"(nr) : : "memory");
		_exit(nr > 0 ? 0 : 1);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

Test(hostile, syscall_of_other_abi, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_int80", NULL);
	struct record *r = hostile_run(&h, OUT_SIGNALED);
	cr_assert_eq(r->nprocs, 1, "a fork through int $0x80 got past the filter");
	/* Where the kernel refuses int $0x80 by itself (SIGSEGV), the filter is not reached. */
	int want = int80_works() ? SIGSYS : SIGSEGV;
	cr_assert_eq(r->root->exit_signal, want, "ended with signal %d, expected %d: %.*s",
		     r->root->exit_signal, want, (int)r->out.len, r->out.data);
	cr_assert_eq(r->status, 128 + want);
	record_free(r);
}

/* waitid() writes the child it reaped into the program's memory, where a second thread can
 * forge one: forklab takes a reap only from what the kernel shows (the zombie gone). */
Test(hostile, forged_waitid_reap, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_waitid_forge", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	struct rec_proc *a = must_find(r, "P.1"), *b = must_find(r, "P.2");
	cr_assert_eq(b->reaped_by, r->root->pid, "P.2, which P waited for, reaped by %d",
		     (int)b->reaped_by);
	cr_assert_eq(a->reaped_by, REC_FORKLAB,
		     "P.1 was never reaped by P, yet the record says %d did", (int)a->reaped_by);
	cr_assert_eq(a->adopted_by, REC_FORKLAB, "P.1 should end adopted by forklab");
	cr_assert_not(a->orphaned, "P.1 was a zombie when P ended: adopted, not orphaned");
	record_free(r);
}

/* Each process's recorded bytes are the ones that reached the pipe, even when a thread
 * rewrites the buffer right after the kernel copied it. */
Test(hostile, buffer_rewritten_after_write, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_write_race", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->out.len, 200 * 512);
	cr_assert_eq(r->root->out.len, r->out.len);
	cr_assert(memcmp(r->root->out.data, r->out.data, r->out.len) == 0,
		  "P's recorded bytes differ from what reached stdout");
	cr_assert_eq(r->nwrites, 200);
	record_free(r);
}

Test(hostile, own_seccomp_filter, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_seccomp_hide", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 2, "the fork behind the program's own filter was missed");
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert(buf_is(&c->out, "child was here\n"), "P.1 wrote: %.*s", (int)c->out.len,
		  c->out.data);
	cr_assert_eq(c->exit_code, 4);
	cr_assert_eq(c->reaped_by, r->root->pid);
	cr_assert(buf_is(&r->root->out, "child exited 4\n"));
	record_free(r);
}

/* A program that forbids itself seccomp() cannot take the every-write filter forklab stacks
 * into a process that duplicates its stdout: it is ended before it writes through the copy. */
Test(hostile, alias_with_seccomp_forbidden, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_seccomp_block", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
#ifdef FILTER_FD_WRITES
	cr_assert_eq(r->out.len, 0, "captured: %.*s", (int)r->out.len, r->out.data);
	cr_assert_eq(r->root->exit_signal, SIGKILL, "P ended with signal %d, code %d",
		     r->root->exit_signal, r->root->exit_code);
	cr_assert(r->root->killed_by_forklab);
	cr_assert_not_null(r->detail);
	cr_assert_not_null(strstr(r->detail, "second descriptor on its stdout"), "%s", r->detail);
#else
	/* every write stops here: the write through the copy is seen and attributed */
	cr_assert(buf_is(&r->root->out, "unseen\n"));
#endif
	record_free(r);
}

Test(hostile, stdout_through_dup, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_dup_stdout", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_is(&r->out, "through a duplicate\n"), "captured: %.*s", (int)r->out.len,
		  r->out.data);
	cr_assert(buf_is(&r->root->out, "through a duplicate\n"),
		  "the write through fd 3 (a dup of stdout) was not attributed to P: %.*s",
		  (int)r->root->out.len, r->root->out.data);
	cr_assert_eq(r->nwrites, 1);
	record_free(r);
}

Test(hostile, nondumpable, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_nondumpable", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert(buf_is(&c->out, "hidden child\n"), "P.1's write was not recorded: %.*s",
		  (int)c->out.len, c->out.data);
	cr_assert_eq(c->exit_code, 6);
	cr_assert_eq(c->reaped_by, r->root->pid, "P.1's reap by P was not recorded");
	cr_assert(buf_is(&r->root->out, "child exited 6\n"));
	record_free(r);
}

Test(hostile, ptrace_refused, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_ptrace", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert(buf_is(&c->out, "traceme: Operation not permitted\n"), "P.1 wrote: %.*s",
		  (int)c->out.len, c->out.data);
	cr_assert(buf_is(&r->root->out, "attach: Operation not permitted\n"), "P wrote: %.*s",
		  (int)r->root->out.len, r->root->out.data);
	cr_assert_eq(c->exit_signal, SIGKILL);
	cr_assert(!c->killed_by_forklab);
	cr_assert_eq(c->reaped_by, r->root->pid);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* The program's parent is forklab: it must not reach forklab's memory or descriptors, as root
 * (the run uid differs) and as an ordinary user (same uid: forklab must close itself). */
Test(hostile, tamper_with_forklab, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_tamper", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_has(&r->out, "mem: ") && buf_has(&r->out, "fds: "), "stdout: %.*s",
		  (int)r->out.len, r->out.data);
	cr_assert(!buf_has(&r->out, "mem: opened"), "the program opened forklab's memory for "
		  "writing");
	cr_assert(!buf_has(&r->out, "fds: listed"), "the program listed forklab's descriptors");
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* ---- 6: stopped processes ---- */

Test(hostile, sigstop_self, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_sigstop_self", NULL);
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 2);
	assert_killed_by_forklab(r->root);
	assert_killed_by_forklab(must_find(r, "P.1"));
	record_free(r);
}

Test(hostile, stop_child, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_stop_child", NULL);
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 2);
	cr_assert(buf_is(&r->out, "child stopped\n"), "stdout: %.*s", (int)r->out.len,
		  r->out.data);
	assert_killed_by_forklab(r->root);
	assert_killed_by_forklab(must_find(r, "P.1"));
	record_free(r);
}

/* ---- 7: signals aimed too wide ---- */

/* Both pausing children ended by SIGKILL and were reaped by the root. */
static void assert_pausers_reaped(const struct record *r)
{
	cr_assert_eq(r->nprocs, 3);
	for (int i = 1; i <= 2; i++) {
		struct rec_proc *c = r->procs[i];
		cr_assert_eq(c->parent, r->root);
		cr_assert_eq(c->exit_signal, SIGKILL, "%s ended with signal %d", c->name,
			     c->exit_signal);
		cr_assert_eq(c->reaped_by, r->root->pid);
	}
	cr_assert(buf_has(&r->out, "child 1: signal 9\nchild 2: signal 9\n"));
}

Test(hostile, kill_minus_one, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_kill_all", "all");
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_has(&r->out, "kill(-1): "));
	assert_pausers_reaped(r);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(hostile, kill_zero, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_kill_all", "group");
	struct record *r = hostile_run(&h, OUT_SIGNALED);
	/* the program has a process group of its own: kill(0) ends all three, forklab untouched */
	cr_assert_eq(r->nprocs, 3);
	for (size_t i = 0; i < r->nprocs; i++) {
		cr_assert_eq(r->procs[i]->exit_signal, SIGKILL);
		cr_assert(!r->procs[i]->killed_by_forklab, "%s: the SIGKILL was the program's",
			  r->procs[i]->name);
	}
	cr_assert_eq(r->status, 128 + SIGKILL);
	record_free(r);
}

Test(hostile, kill_parent, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_kill_all", "parent");
	struct record *r = hostile_run(&h, OUT_SIGNALED);
	cr_assert_eq(r->nprocs, 2);
	cr_assert_eq(r->root->exit_signal, SIGKILL);
	cr_assert(!r->root->killed_by_forklab);
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert_eq(c->exit_code, 0, "P.1's kill(getppid()) failed");
	cr_assert_eq(c->exit_signal, 0);
	cr_assert_eq(r->status, 128 + SIGKILL);
	record_free(r);
}

Test(hostile, kill_forklab, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_kill_all", "tracer");
	struct record *r = hostile_run(&h, OUT_EXITED);
	/* still here to check the record: the kill did not reach this process */
	cr_assert(buf_has(&r->out, "kill(getppid()): "));
	cr_assert(!buf_has(&r->out, "kill(getppid()): ok"), "the program was allowed to kill "
		  "its parent outside the run");
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* ---- 8, 9: CPU, sleeping, stdin ---- */

Test(hostile, busy_ignore_cpu_limit, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_busy_ignore", NULL);
	/* the CPU limit is in whole seconds (0.5 -> 1 s, then SIGKILL at 2 s): room on a busy machine */
	h.o.timeout_s = 10;
	h.o.cpu_s = 0.5;
	struct record *r = hostile_run(&h, OUT_CPU_LIMIT);
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->root->exit_signal, SIGKILL);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, busy_many_timeout, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_busy_many", "60");
	h.o.timeout_s = 3; /* all 60 are made before they spin: room for a loaded machine */
	h.o.max_procs = 64;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 60);
	for (size_t i = 0; i < r->nprocs; i++)
		assert_killed_by_forklab(r->procs[i]);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, busy_ignore_timeout, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_busy_ignore", NULL);
	h.o.timeout_s = 1;
	h.o.cpu_s = 10;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	assert_killed_by_forklab(r->root);
	record_free(r);
}

Test(hostile, sleep_forever, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_sleep_forever", "3");
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 4);
	for (size_t i = 0; i < r->nprocs; i++)
		assert_killed_by_forklab(r->procs[i]);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, read_stdin_is_dev_null, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_read_stdin", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_is(&r->out, "read 0 bytes\n"), "stdout: %.*s", (int)r->out.len, r->out.data);
	record_free(r);
}

Test(hostile, read_stdin_given, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_read_stdin", NULL);
	h.o.stdin_data = "six b\n";
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert(buf_is(&r->out, "read 6 bytes\n"), "stdout: %.*s", (int)r->out.len, r->out.data);
	record_free(r);
}

/* ---- 10: endless output ---- */

static void check_yes(const char *stream)
{
	struct hostile h;
	hostile_init(&h, "bad_yes", stream);
	h.o.max_output_kib = 64;
	struct record *r = hostile_run(&h, OUT_OUTPUT_LIMIT);
	const struct rec_buf *used = strcmp(stream, "err") == 0 ? &r->err : &r->out;
	const struct rec_buf *other = used == &r->err ? &r->out : &r->err;
	cr_assert(r->output_truncated);
	cr_assert_eq(used->len, 64 * 1024, "kept %zu bytes, not the 64 KiB cap", used->len);
	cr_assert_eq(other->len, 0);
	cr_assert_eq(memcmp(used->data, "y\ny\ny\n", 6), 0);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, yes_stdout, .timeout = 30)
{
	check_yes("out");
}

Test(hostile, yes_stderr, .timeout = 30)
{
	check_yes("err");
}

/* The same flood without a write call: tee(2) from a pipe of its own. The cap holds, and what
 * reached stdout is still the process's. */
Test(hostile, tee_flood, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_tee_flood", NULL);
	h.o.max_output_kib = 64;
	struct record *r = hostile_run(&h, OUT_OUTPUT_LIMIT);
	cr_assert(r->output_truncated);
	cr_assert_eq(r->out.len, 64 * 1024, "kept %zu bytes, not the 64 KiB cap", r->out.len);
	cr_assert_eq(memcmp(r->out.data, "t\nt\nt\n", 6), 0);
	cr_assert_geq(r->root->out.len, 4096, "the tee calls were not attributed to P");
	cr_assert_eq(memcmp(r->root->out.data, "t\nt\nt\n", 6), 0);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

/* ---- 11, 12: memory and descriptors ---- */

Test(hostile, malloc_8g, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_malloc8g", NULL);
	h.o.mem_mib = 256;
	struct record *r = hostile_run(&h, OUT_MEM_LIMIT);
	cr_assert(!buf_has(&r->out, "touched"), "8 GiB were touched under a 256 MiB limit");
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, fd_exhaust, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_fd_exhaust", NULL);
	h.o.nofile = 64;
	struct record *r = hostile_run(&h, OUT_EXITED);
	/* 0, 1 and 2 are open; nothing else is inherited */
	cr_assert(buf_is(&r->out, "opened 61: Too many open files\n"), "stdout: %.*s",
		  (int)r->out.len, r->out.data);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(hostile, pipe_leak, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_pipe_leak", NULL);
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 2);
	assert_killed_by_forklab(r->root);
	assert_killed_by_forklab(must_find(r, "P.1"));
	record_free(r);
}

Test(hostile, file_size_limit, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_big_file", "100");
	h.o.fsize_mib = 1;
	h.o.collect_files = true;
	struct record *r = hostile_run(&h, OUT_SIGNALED);
	cr_assert_eq(r->root->exit_signal, SIGXFSZ, "ended with signal %d", r->root->exit_signal);
	cr_assert(!r->root->killed_by_forklab);
	cr_assert_eq(r->status, 128 + SIGXFSZ);
	bool found = false;
	for (size_t i = 0; i < r->nfiles; i++) {
		cr_assert(strncmp(r->files[i].name, "core", 4) != 0, "core file %s", r->files[i].name);
		if (strcmp(r->files[i].name, "big.dat") == 0) {
			found = true;
			cr_assert_eq(r->files[i].len, 1 << 20, "big.dat kept %zu bytes", r->files[i].len);
		}
	}
	cr_assert(found, "big.dat is not among the files left");
	record_free(r);
}

Test(hostile, scratch_mess_removed, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_scratch_mess", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->status, 0, "bad_scratch_mess exited %d: %.*s", r->status, (int)r->err.len,
		     r->err.data);
	cr_assert(r->out.len > 1 && r->out.data[0] == '/' && r->out.data[r->out.len - 1] == '\n');
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", (int)r->out.len - 1, r->out.data);
	struct stat st;
	cr_assert(lstat(dir, &st) < 0 && errno == ENOENT, "the scratch directory %s is still there",
		  dir);
	/* what the symlink pointed at is untouched */
	cr_assert_eq(stat("/etc/passwd", &st), 0);
	cr_assert_gt(st.st_size, 0);
	record_free(r);
}

/* ---- 13: no stdout, no stderr ---- */

Test(hostile, close_std, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_close_std", NULL);
	h.o.collect_files = true;
	h.o.timeout_s = 10;
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->status, 0, "bad_close_std exited %d", r->status);
	cr_assert_eq(r->nprocs, 101);
	for (size_t i = 1; i < r->nprocs; i++) {
		struct rec_proc *c = r->procs[i];
		cr_assert_eq(c->parent, r->root);
		cr_assert_eq(c->exit_code, (int)(i - 1) % 7, "%s exited %d", c->name, c->exit_code);
		cr_assert_eq(c->reaped_by, r->root->pid);
	}
	/* the write went to a file that happens to be fd 1, not to the captured stdout */
	cr_assert_eq(r->out.len, 0, "captured: %.*s", (int)r->out.len, r->out.data);
	cr_assert_eq(r->nwrites, 0);
	bool found = false;
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].name, "not-stdout.txt") == 0)
			found = r->files[i].len == 12 && memcmp(r->files[i].data, "into a file\n", 12) == 0;
	cr_assert(found, "not-stdout.txt missing or wrong");
	record_free(r);
}

/* ---- 14: zombies and orphans ---- */

Test(hostile, thousand_zombies, .timeout = 60)
{
	struct hostile h;
	hostile_init(&h, "bad_zombies", NULL);
	h.o.max_procs = 1001;
	h.o.timeout_s = 30; /* 1,000 traced forks: room for a heavily loaded machine */
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 1001);
	cr_assert(buf_is(&r->out, "forked 1000\n"));
	for (size_t i = 1; i < r->nprocs; i++) {
		struct rec_proc *c = r->procs[i];
		cr_assert_eq(c->parent, r->root);
		cr_assert_eq(c->exit_code, 0);
		cr_assert_eq(c->reaped_by, REC_FORKLAB, "%s reaped by %d", c->name,
			     (int)c->reaped_by);
		cr_assert_gt(c->reaped_seq, r->root->exited_seq, "%s reaped before P exited",
			     c->name);
	}
	record_free(r);
}

Test(hostile, orphans, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_orphans", NULL);
	h.o.timeout_s = 3;
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 11);
	cr_assert_eq(r->root->exit_code, 0);
	for (size_t i = 1; i < r->nprocs; i++) {
		struct rec_proc *c = r->procs[i];
		char prefix[48];
		snprintf(prefix, sizeof prefix, "child %zu: ppid=", i);
		cr_assert_eq(c->exit_code, (int)i);
		cr_assert(c->orphaned, "%s not marked orphaned", c->name);
		cr_assert_eq(c->adopted_by, REC_FORKLAB);
		cr_assert_eq(c->reaped_by, REC_FORKLAB);
		cr_assert_gt(c->exited_seq, r->root->exited_seq);
		cr_assert(buf_has(&c->out, prefix), "%s wrote: %.*s", c->name, (int)c->out.len,
			  c->out.data);
	}
	record_free(r);
}

Test(hostile, subreaper_never_reaps, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_subreaper", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 3);
	struct rec_proc *p = r->root, *c = must_find(r, "P.1"), *g = must_find(r, "P.1.1");
	char line[64];
	snprintf(line, sizeof line, "adopted by %d\n", (int)p->pid);
	cr_assert(buf_is(&g->out, line), "P.1.1 wrote: %.*s", (int)g->out.len, g->out.data);
	cr_assert_eq(c->reaped_by, p->pid);
	cr_assert(!c->orphaned);
	cr_assert(g->orphaned, "P.1.1 not marked orphaned");
	cr_assert_eq(g->adopted_by, p->pid, "P.1.1 adopted by %d, not by P (%d)", (int)g->adopted_by,
		     (int)p->pid);
	cr_assert_eq(g->exit_code, 9);
	/* P exited without reaping it: the zombie passed to forklab */
	cr_assert_eq(g->reaped_by, REC_FORKLAB, "P.1.1 reaped by %d", (int)g->reaped_by);
	cr_assert_gt(g->reaped_seq, p->exited_seq);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* Whether forklab refuses the namespaces or follows them, a parent may signal its own child and
 * each reap must be recorded against the right process: a namespace pid (given to kill(),
 * returned by waitpid()) is not the pid forklab knows. */
Test(hostile, pid_namespace, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_pidns", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 3);
	struct rec_proc *p = r->root, *c = must_find(r, "P.1"), *g = must_find(r, "P.1.1");
	cr_assert(buf_has(&p->out, "child exited 4\n"), "P wrote: %.*s", (int)p->out.len,
		  p->out.data);
	cr_assert_eq(g->exit_signal, SIGTERM, "P.1.1 ended with signal %d", g->exit_signal);
	cr_assert(!g->killed_by_forklab);
	cr_assert_eq(c->exit_code, 4, "P.1 exited %d (5: its kill of P.1.1 was refused)", c->exit_code);
	cr_assert_eq(g->reaped_by, c->pid, "P.1.1 reaped by %d, not by P.1 (%d)", (int)g->reaped_by,
		     (int)c->pid);
	cr_assert_eq(c->reaped_by, p->pid);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* ---- 15: other ways to make processes ---- */

/* P forked P.1, which exec'd /bin/echo WORD, printed it, exited 0 and was reaped by P. */
static void assert_echo_child(const struct record *r, const char *word)
{
	char line[64];
	snprintf(line, sizeof line, "%s\n", word);
	cr_assert_eq(r->nprocs, 2);
	struct rec_proc *c = must_find(r, "P.1");
	cr_assert_geq(c->nexecs, 1, "P.1's exec was not recorded");
	struct rec_exec *e = &c->execs[c->nexecs - 1];
	cr_assert_str_eq(e->path, "/bin/echo");
	cr_assert_eq(e->argc, 2);
	cr_assert_str_eq(e->argv[1], word);
	cr_assert(buf_is(&c->out, line), "P.1 wrote: %.*s", (int)c->out.len, c->out.data);
	cr_assert_eq(c->exit_code, 0);
	cr_assert_eq(c->reaped_by, r->root->pid);
	cr_assert_eq(r->status, 0);
}

Test(hostile, vfork_exec, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_vfork_exec", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	assert_echo_child(r, "vforked");
	record_free(r);
}

Test(hostile, vfork_child_hangs, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_vfork_hang", NULL);
	h.o.timeout_s = 1;
	struct record *r = hostile_run(&h, OUT_TIMEOUT);
	cr_assert_eq(r->nprocs, 2);
	assert_killed_by_forklab(must_find(r, "P.1"));
	/* P, suspended in vfork, ends either way: killed by forklab too */
	assert_killed_by_forklab(r->root);
	cr_assert_eq(r->status, 124);
	record_free(r);
}

Test(hostile, posix_spawn, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_posix_spawn", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	assert_echo_child(r, "spawned");
	record_free(r);
}

Test(hostile, thread_exec, .timeout = 30)
{
	struct hostile h;
	hostile_init(&h, "bad_thread_exec", NULL);
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 1, "a thread was counted as a process");
	struct rec_proc *p = r->root;
	cr_assert_geq(p->nexecs, 1);
	struct rec_exec *e = &p->execs[p->nexecs - 1];
	cr_assert_str_eq(e->path, "/bin/echo");
	cr_assert_str_eq(e->argv[1], "from a thread");
	cr_assert(buf_is(&p->out, "from a thread\n"), "P wrote: %.*s", (int)p->out.len,
		  p->out.data);
	cr_assert_geq(p->nthreads, 1);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

/* Threads are not processes, but they have a budget of their own (trace_opts.max_threads): a
 * pthread_create beyond it fails with EAGAIN, and the run goes on. */
Test(hostile, threadbomb, .timeout = 60)
{
	struct hostile h;
	hostile_init(&h, "bad_threadbomb", NULL);
	h.o.timeout_s = 3;
	h.o.max_threads = 100;
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 1, "threads were counted as processes");
	cr_assert(buf_is(&r->out, "threads 100: Resource temporarily unavailable\n"), "stdout: %.*s",
		  (int)r->out.len, r->out.data);
	cr_assert_eq(r->root->nthreads, 100);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(hostile, threadbomb_under_budget, .timeout = 60)
{
	struct hostile h;
	hostile_init(&h, "bad_threadbomb", NULL);
	h.o.timeout_s = 10;
	h.o.max_threads = 2100;
	struct record *r = hostile_run(&h, OUT_EXITED);
	cr_assert_eq(r->nprocs, 1);
	cr_assert(buf_is(&r->out, "threads 2000\n"), "stdout: %.*s", (int)r->out.len, r->out.data);
	cr_assert_eq(r->root->nthreads, 2000);
	record_free(r);
}

/* ---- 16: statuses, no core file ---- */

static struct record *run_status(const char *mode, enum outcome want)
{
	struct hostile h;
	hostile_init(&h, "bad_status", mode);
	h.o.collect_files = true;
	struct record *r = hostile_run(&h, want);
	for (size_t i = 0; i < r->nfiles; i++)
		cr_assert(strncmp(r->files[i].name, "core", 4) != 0, "a core file was written: %s",
			  r->files[i].name);
	cr_assert_eq(r->nprocs, 1);
	return r;
}

Test(hostile, status_exit256, .timeout = 30)
{
	struct record *r = run_status("exit256", OUT_EXITED);
	cr_assert_eq(r->root->exit_signal, 0);
	cr_assert_eq(r->root->exit_code, 0);
	cr_assert_eq(r->status, 0);
	record_free(r);
}

Test(hostile, status_segv, .timeout = 30)
{
	struct record *r = run_status("segv", OUT_SIGNALED);
	cr_assert_eq(r->root->exit_signal, SIGSEGV);
	cr_assert(!r->root->killed_by_forklab);
	cr_assert_eq(r->status, 128 + SIGSEGV);
	record_free(r);
}

Test(hostile, status_abort, .timeout = 30)
{
	struct record *r = run_status("abort", OUT_SIGNALED);
	cr_assert_eq(r->root->exit_signal, SIGABRT);
	cr_assert(!r->root->killed_by_forklab);
	cr_assert_eq(r->status, 128 + SIGABRT);
	record_free(r);
}

/* ---- forklab itself killed: its tracees die with it (PTRACE_O_EXITKILL) ---- */

/* The parent pid from /proc/PID/stat, or -1 once the process is gone (or a zombie). */
static pid_t parent_of(pid_t pid, char *comm, size_t commlen)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	if (open_paren == NULL || close_paren == NULL)
		return -1;
	snprintf(comm, commlen, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	char state;
	int ppid;
	if (sscanf(close_paren + 2, "%c %d", &state, &ppid) != 2 || state == 'Z')
		return -1;
	return ppid;
}

/* Descendants of root named comm (live, not zombies), into pids; returns how many. */
static int descendants_named(pid_t root, const char *comm, pid_t *pids, int max)
{
	pid_t tree[4096];
	int ntree = 1, found = 0;
	tree[0] = root;
	/* a few passes: a child may be listed before its parent joined the tree */
	for (int pass = 0; pass < 4; pass++) {
		DIR *d = opendir("/proc");
		cr_assert_not_null(d);
		struct dirent *e;
		while ((e = readdir(d)) != NULL && ntree < 4096) {
			pid_t pid = (pid_t)atoi(e->d_name);
			char name[64] = "";
			if (pid <= 0)
				continue;
			pid_t ppid = parent_of(pid, name, sizeof name);
			bool known = false, parent_in = false;
			for (int i = 0; i < ntree; i++) {
				known |= tree[i] == pid;
				parent_in |= tree[i] == ppid;
			}
			if (known || !parent_in)
				continue;
			tree[ntree++] = pid;
			if (strcmp(name, comm) == 0 && found < max)
				pids[found++] = pid;
		}
		closedir(d);
	}
	return found;
}

/* The scratch directory forklab pid holds open (/tmp/forklab-XXXXXX), into dir; "" if none. */
static void scratch_of(pid_t pid, char *dir, size_t len)
{
	char fds[64], link[PATH_MAX], target[PATH_MAX];
	dir[0] = '\0';
	snprintf(fds, sizeof fds, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(fds);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		snprintf(link, sizeof link, "%s/%s", fds, de->d_name);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n != 19)
			continue;
		target[n] = '\0';
		if (strncmp(target, "/tmp/forklab-", 13) == 0 && !strchr(target + 13, '/')) {
			snprintf(dir, len, "%s", target);
			break;
		}
	}
	closedir(d);
}

/* Starts `forklab run -- PROG ARG`, waits until exactly want processes named comm run under it
 * (the same count twice, 100 ms apart: short-lived parents are gone by then), SIGKILLs forklab
 * and checks that every one of them ends. A killed forklab cannot remove its scratch directory
 * (a later forklab removes it once it is old): the test does. */
static void kill_forklab_during(const char *prog, const char *arg, const char *comm, int want)
{
	char forklab[PATH_MAX], path[PATH_MAX];
	snprintf(forklab, sizeof forklab, "%s/forklab", test_build_dir());
	snprintf(path, sizeof path, "%s/progs/%s", test_build_dir(), prog);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(126);
		execl(forklab, "forklab", "run", "--timeout", "20", "--", path, arg, (char *)NULL);
		_exit(127);
	}
	pid_t kids[64];
	int n = 0, before = -1;
	for (int tries = 0; tries < 100 && !(n == want && before == want); tries++) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		before = n;
		n = descendants_named(pid, comm, kids, 64);
	}
	if (n != want) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		cr_assert_fail("%d tracees of %s appeared, expected %d", n, prog, want);
	}
	int pidfds[64];
	for (int i = 0; i < n; i++) {
		pidfds[i] = (int)syscall(SYS_pidfd_open, kids[i], 0);
		if (pidfds[i] < 0) {
			int e = errno;
			kill(pid, SIGKILL); /* EXITKILL takes the tracees with it */
			waitpid(pid, NULL, 0);
			cr_assert_fail("pidfd_open %d: %s", (int)kids[i], strerror(e));
		}
	}
	char scratch[PATH_MAX];
	scratch_of(pid, scratch, sizeof scratch);
	cr_assert_eq(kill(pid, SIGKILL), 0);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* a pidfd turns readable when its process has ended; give them 5 s, not a speed goal */
	for (int i = 0; i < n; i++) {
		struct pollfd pfd = {.fd = pidfds[i], .events = POLLIN};
		int rc = poll(&pfd, 1, 5000);
		cr_assert_eq(rc, 1, "tracee %d survived forklab's death", (int)kids[i]);
		close(pidfds[i]);
	}
	/* orphans of a killed forklab may have been handed to this process: reap them */
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
	if (scratch[0]) {
		char rm[PATH_MAX + 32];
		snprintf(rm, sizeof rm, "rm -rf '%s'", scratch);
		cr_assert_eq(system(rm), 0, "%s", rm);
	}
}

Test(hostile, forklab_killed_sleepers, .timeout = 30)
{
	kill_forklab_during("bad_sleep_forever", "3", "bad_sleep_forev", 4);
	assert_tracer_usable();
}

Test(hostile, forklab_killed_daemon, .timeout = 30)
{
	/* what stays is the grandchild that left the session; its parents exit at once */
	kill_forklab_during("bad_daemon", NULL, "bad_daemon", 1);
	assert_tracer_usable();
}

/* ---- forklab interrupted: SIGTERM ends the run cleanly, with a record ---- */

Test(hostile, forklab_interrupted, .timeout = 30)
{
	char forklab[PATH_MAX], path[PATH_MAX];
	snprintf(forklab, sizeof forklab, "%s/forklab", test_build_dir());
	snprintf(path, sizeof path, "%s/progs/bad_sleep_forever", test_build_dir());
	int out[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (dup2(out[1], 1) < 0)
			_exit(126);
		execl(forklab, "forklab", "run", "--format", "json", "--timeout", "20", "--", path,
		      "3", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	pid_t kids[8];
	int n = 0;
	for (int tries = 0; tries < 100 && n < 4; tries++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		n = descendants_named(pid, "bad_sleep_forev", kids, 8);
	}
	if (n != 4) {
		kill(pid, SIGKILL); /* EXITKILL takes the tracees with it */
		waitpid(pid, NULL, 0);
		cr_assert_fail("the sleepers did not all start (%d of 4)", n);
	}
	cr_assert_eq(kill(pid, SIGTERM), 0);
	char *text = test_slurp_fd(out[0]);
	close(out[0]);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 124, "forklab ended with status 0x%x", st);
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	cr_assert_not_null(j, "JSON: %s: %.200s", jerr.text, text);
	free(text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "interrupted");
	cr_assert_eq(json_integer_value(json_object_get(j, "leftover")), 0);
	json_t *procs = json_object_get(j, "processes");
	cr_assert_eq(json_array_size(procs), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert(json_is_true(json_object_get(json_array_get(procs, i), "killed_by_forklab")));
	json_decref(j);
	for (int i = 0; i < n; i++)
		cr_assert(kill(kids[i], 0) < 0 && errno == ESRCH, "tracee %d survived", (int)kids[i]);
}

/* ---- where ptrace is forbidden (a container's seccomp profile): forklab says so, runs
 * nothing ---- */

/* Runs forklab with ARGS in a child whose ptrace() fails with EPERM; returns its exit status
 * and what it wrote on stderr. */
static int forklab_without_ptrace(char *const args[], char **err_text)
{
	int errp[2];
	cr_assert_eq(pipe2(errp, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct sock_filter code[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {.len = 4, .filter = code};
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(errp[1], 2) < 0 ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(126);
		execv(args[0], args);
		_exit(127);
	}
	close(errp[1]);
	*err_text = test_slurp_fd(errp[0]);
	close(errp[0]);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "forklab died of signal %d", WTERMSIG(st));
	return WEXITSTATUS(st);
}

Test(hostile, no_ptrace_run_refuses, .timeout = 30)
{
	char forklab[PATH_MAX], path[PATH_MAX];
	snprintf(forklab, sizeof forklab, "%s/forklab", test_build_dir());
	snprintf(path, sizeof path, "%s/progs/bad_orphans", test_build_dir());
	char *args[] = {forklab, "run", "--", path, NULL};
	char *err;
	int status = forklab_without_ptrace(args, &err);
	cr_assert_eq(status, 125, "forklab run exited %d without ptrace", status);
	cr_assert(strstr(err, "cannot trace here") && strstr(err, "ptrace"),
		  "stderr does not say why: %s", err);
	cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
	free(err);
}

Test(hostile, no_ptrace_grade_refuses, .timeout = 120)
{
	char forklab[PATH_MAX], labs[PATH_MAX];
	snprintf(forklab, sizeof forklab, "%s/forklab", test_build_dir());
	test_need_solutions();
	snprintf(labs, sizeof labs, "%s/solutions", test_root_dir());
	struct stat st;
	cr_assert(stat(labs, &st) == 0 && S_ISDIR(st.st_mode), "%s is not the solutions", labs);
	char *args[] = {forklab, "grade", "--labs", labs, "01", NULL};
	char *err;
	int status = forklab_without_ptrace(args, &err);
	cr_assert_eq(status, 2, "forklab grade exited %d without ptrace: %s", status, err);
	cr_assert(strstr(err, "ptrace") != NULL, "stderr does not say why: %s", err);
	free(err);
}
