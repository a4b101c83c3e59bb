/* trace.c - trace_run(): start the program stopped, seize it, run the event loop, then make
 * sure nothing of the run is left (kill, sweep /proc) and settle the outcome. Also
 * trace_supported(), which says whether this machine lets forklab trace at all. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <termios.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "procfs.h"
#include "record_build.h"
#include "seccomp_filter.h"
#include "trace_int.h"

#define SEIZE_OPTS (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | \
		    PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | \
		    PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)
#define SWEEP_WAIT_MS 1000

/* waitpid(-1) takes any child: two runs at once in one process would steal each other's. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

void trace_opts_init(struct trace_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_s = 10;
	o->cpu_s = 0;        /* 0: the timeout */
	o->linger_s = -1;
	o->mem_mib = 1024;
	o->max_output_kib = 1024;
	o->fsize_mib = 64;
	o->collect_max_kib = 1024;
	o->nofile = 256;
	o->max_procs = 64;
	o->max_threads = 256;
}

double tr_now_ms(const struct tracer *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->t0.tv_sec) * 1e3 + (double)(now.tv_nsec - t->t0.tv_nsec) / 1e6;
}

unsigned long tr_seq(struct tracer *t)
{
	return ++t->seq;
}

static int check_opts(const struct trace_opts *o, char *err, size_t errlen)
{
	const char *bad = NULL;
	if (!o->argv || !o->argv[0])
		bad = "no program to run";
	else if (!(o->timeout_s > 0) || !isfinite(o->timeout_s))
		bad = "the timeout must be a positive number of seconds";
	else if (o->cpu_s < 0 || !isfinite(o->cpu_s))
		bad = "the CPU limit must be a positive number of seconds";
	else if (!isfinite(o->linger_s))
		bad = "the linger time must be a number of seconds";
	else if (o->mem_mib < 16 || o->mem_mib > (1u << 22))
		bad = "the memory limit must be between 16 MiB and 4 TiB";
	else if (o->max_output_kib < 1)
		bad = "the output limit must be at least 1 KiB";
	else if (o->max_procs < 1)
		bad = "the process budget must be at least 1";
	else if (o->nofile < 4)
		bad = "the open-files limit must be at least 4";
	else if (!(o->hold_children_ms >= 0 && o->hold_children_ms <= 10000))
		bad = "the hold on new children must be between 0 and 10000 ms";
	else if (!(o->merge_sigchld_ms >= 0 && o->merge_sigchld_ms <= 10000))
		bad = "the wait to merge SIGCHLD must be between 0 and 10000 ms";
	else if (o->stdin_path && o->stdin_data)
		bad = "give stdin as a file or as data, not both";
	if (bad)
		snprintf(err, errlen, "%s", bad);
	return bad ? -1 : 0;
}

/* ---- trace_supported ---- */

static char support_err[200];
static bool support_ok;
static pthread_once_t support_once = PTHREAD_ONCE_INIT;

/* Child of the probe: stop for the tracer, install the filter, make one flagged call. */
static void __attribute__((noreturn)) probe_child(const struct sock_fprog *prog)
{
	if (raise(SIGSTOP) < 0)
		_exit(2);
	if (filter_install(prog) < 0)
		_exit(3);
	syscall(SYS_kill, getpid(), 0);
	_exit(0);
}

/* Follows the probe child to its end; true when its flagged call stopped at the tracer. */
static bool probe_follow(pid_t pid, int *code)
{
	bool saw = false;
	int st;
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			*code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			return saw;
		}
		int ev = st >> 16, sig = WSTOPSIG(st);
		if (ev == PTRACE_EVENT_SECCOMP)
			saw = true;
		int inject = (ev == 0 && sig != SIGSTOP && sig != SIGTRAP) ? sig : 0;
		ptrace(PTRACE_CONT, pid, 0, inject);
	}
}

static void probe(void)
{
	const struct sock_fprog *prog = filter_program(support_err, sizeof(support_err));
	if (!prog)
		return;
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(support_err, sizeof(support_err), "cannot fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		probe_child(prog);
	int st, code = -1;
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) < 0) {
		snprintf(support_err, sizeof(support_err), "ptrace is not permitted (%s)",
			 strerror(errno));
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return;
	}
	kill(pid, SIGCONT);
	bool saw = probe_follow(pid, &code);
	if (code == 3)
		snprintf(support_err, sizeof(support_err), "seccomp filters are not permitted");
	else if (!saw || code != 0)
		snprintf(support_err, sizeof(support_err),
			 "seccomp trace stops do not reach the tracer (probe ended with %d)", code);
	else
		support_ok = true;
}

bool trace_supported(char *err, size_t errlen)
{
	pthread_once(&support_once, probe);
	if (!support_ok && err && errlen)
		snprintf(err, errlen, "%s", support_err);
	return support_ok;
}

/* ---- starting the run ---- */

static unsigned long pipe_inode(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* A pseudo-terminal for the program's stdout (trace_opts.stdout_pty): out[0] the master forklab
 * reads, out[1] the terminal. Output processing is off, so bytes pass unchanged ("\n" stays
 * "\n"), as through a pipe. */
static int make_pty(struct tracer *t, int out[2])
{
	char name[64];
	struct termios tio;
	struct stat st;
	out[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (out[0] < 0 || grantpt(out[0]) < 0 || unlockpt(out[0]) < 0 ||
	    ptsname_r(out[0], name, sizeof(name)) != 0)
		return -1;
	out[1] = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (out[1] < 0 || tcgetattr(out[1], &tio) < 0 || fstat(out[1], &st) < 0)
		return -1;
	tio.c_oflag &= ~(tcflag_t)OPOST;
	tio.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG);
	if (tcsetattr(out[1], TCSANOW, &tio) < 0)
		return -1;
	t->out_pty = st.st_rdev;
	return 0;
}

static int make_pipes(struct tracer *t, int out[2], int errp[2], int fail[2], char *err,
		      size_t errlen)
{
	out[0] = out[1] = errp[0] = errp[1] = fail[0] = fail[1] = -1;
	if (t->o->stdout_pty && make_pty(t, out) < 0) {
		snprintf(err, errlen, "cannot make a pseudo-terminal for stdout: %s",
			 strerror(errno));
		return -1;
	}
	if ((!t->o->stdout_pty && pipe2(out, O_CLOEXEC) < 0) || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(fail, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot create pipes: %s", strerror(errno));
		return -1;
	}
	/* Only forklab's read ends are non-blocking; the program's write ends stay ordinary. */
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	fcntl(fail[0], F_SETFL, O_NONBLOCK);
	t->out_ino = t->o->stdout_pty ? 0 : pipe_inode(out[0]);
	t->err_ino = pipe_inode(errp[0]);
	/* As root the program runs as another uid: its stdout and stderr are its own, so that
	 * `> /dev/stdout` and /proc/self/fd/1 reopen them as for any program. */
	if (t->sb.drop && (fchown(out[1], t->sb.uid, t->sb.gid) < 0 ||
			   fchown(errp[1], t->sb.uid, t->sb.gid) < 0)) {
		snprintf(err, errlen, "cannot give the program its stdout and stderr: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Reads the child's failure report, if any. True when it reported one. */
static bool child_failed(struct tracer *t, struct sandbox_failure *f)
{
	return t->errpipe_r >= 0 && read(t->errpipe_r, f, sizeof(*f)) == (ssize_t)sizeof(*f);
}

static void reap_now(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
}

/* Waits for the child's self-stop, seizes it and lets it go on to its exec. */
static int seize_root(struct tracer *t, pid_t pid, char *err, size_t errlen)
{
	int st;
	struct sandbox_failure f;
	while (waitpid(pid, &st, WUNTRACED | __WALL) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot wait for the program: %s", strerror(errno));
			kill(pid, SIGKILL);
			reap_now(pid);
			return -1;
		}
	}
	if (!WIFSTOPPED(st)) {
		if (child_failed(t, &f))
			sandbox_failure_text(&t->sb, &f, err, errlen);
		else
			snprintf(err, errlen, "the program's setup failed (status %d)", st);
		return -1;
	}
	if (!t->o->untraced && ptrace(PTRACE_SEIZE, pid, 0, SEIZE_OPTS) < 0) {
		snprintf(err, errlen, "cannot trace here: ptrace is not permitted (%s)",
			 strerror(errno));
		kill(pid, SIGKILL);
		reap_now(pid);
		return -1;
	}
	kill(pid, SIGCONT);
	return 0;
}

/* ---- the end of the run: sweep ---- */

static bool rec_alive_pid(struct tracer *t, pid_t pid)
{
	struct tproc *p = pidmap_get(&t->procs, pid);
	return p && !p->dead;
}

/* One line of the process table, read once per look. */
struct pinfo {
	pid_t pid, ppid;
	uid_t uid;
	char state;
	unsigned long long start;
};

struct ptable {
	struct pinfo *p;
	size_t n, cap;
};

static void ptable_add(pid_t pid, void *arg)
{
	struct ptable *pt = arg;
	struct pinfo pi = { .pid = pid };
	struct procfs_statline sl;
	if (procfs_stat_owner(pid, &sl, &pi.uid) < 0)
		return;
	pi.ppid = sl.ppid;
	pi.state = sl.state;
	pi.start = sl.start;
	if (pt->n == pt->cap) {
		size_t ncap = pt->cap ? pt->cap * 2 : 256;
		struct pinfo *np = realloc(pt->p, ncap * sizeof(*np));
		if (!np)
			return;
		pt->p = np;
		pt->cap = ncap;
	}
	pt->p[pt->n++] = pi;
}

static int cmp_pinfo(const void *a, const void *b)
{
	const struct pinfo *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static const struct pinfo *ptable_find(const struct ptable *pt, pid_t pid)
{
	struct pinfo key = { .pid = pid };
	return bsearch(&key, pt->p, pt->n, sizeof(*pt->p), cmp_pinfo);
}

/* Is this process part of the run: running as the run's uid, or descended from a process of
 * the run still alive, or from forklab itself and started since the run did? (forklab is a
 * child subreaper: whatever a run leaves behind, even a process that slipped past the trace,
 * ends up below it. Its children older than the run are the caller's own.) */
static bool belongs_to_run(struct tracer *t, const struct ptable *pt, const struct pinfo *pi)
{
	if (pi->pid == t->self)
		return false;
	if (t->sb.drop && pi->uid == t->sb.uid)
		return true;
	for (int depth = 0; pi && depth < 64 && pi->pid > 1; depth++) {
		if (rec_alive_pid(t, pi->pid))
			return true;
		if (pi->ppid == t->self)
			return pi->start >= t->root_start && t->root_start > 0;
		pi = ptable_find(pt, pi->ppid);
	}
	return false;
}

static void kill_pid(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0) {
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
		close(fd);
	}
}

/* As root: every process of the run's uid, wherever it is, gets SIGKILL from a child that
 * takes that uid (kill(-1) then reaches exactly those; the uid is this run's alone). A fork in
 * progress cannot slip between: the kernel holds new processes back while kill(-1) runs. */
static void kill_run_uid(struct tracer *t)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (syscall(SYS_setresgid, t->sb.gid, t->sb.gid, t->sb.gid) < 0 ||
		    syscall(SYS_setresuid, t->sb.uid, t->sb.uid, t->sb.uid) < 0)
			_exit(1);
		/* One pass: a fork under way when it runs is undone by the kernel (the signal
		 * reaches the new process too), and the search of /proc that follows kills by
		 * pid whatever else of the run is there, so a second pass after a pause would
		 * only cost every run that pause. */
		kill(-1, SIGKILL);
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
}

/* The processes of the run still there now (zombies count only as reaped: forklab reaps its
 * own), into found; how many. */
static int look_for_run(struct tracer *t, pid_t *found, int max)
{
	struct ptable pt = { 0 };
	int n = 0;
	procfs_each_pid(ptable_add, &pt);
	qsort(pt.p, pt.n, sizeof(*pt.p), cmp_pinfo);
	for (size_t i = 0; i < pt.n && n < max; i++) {
		if (!belongs_to_run(t, &pt, &pt.p[i]))
			continue;
		if (pt.p[i].state == 'Z') {
			if (pt.p[i].ppid == t->self)
				waitpid(pt.p[i].pid, NULL, __WALL | WNOHANG);
			continue;
		}
		found[n++] = pt.p[i].pid;
	}
	free(pt.p);
	return n;
}

/* Ends whatever of the run is still there, at the end of every run: a run that seemed to end
 * by itself is not taken as proof that nothing survived it. Then counts what survives: the
 * record's leftover. */
static void sweep(struct tracer *t)
{
	pid_t found[256];
	if (t->sb.drop)
		kill_run_uid(t);
	int n = look_for_run(t, found, 256);
	for (int waited = 0; n > 0 && waited < SWEEP_WAIT_MS; waited += 10) {
		for (int i = 0; i < n; i++) {
			struct tproc *p = pidmap_get(&t->procs, found[i]);
			if (p)
				p->killed_by_us = true;
			kill_pid(found[i]);
		}
		/* Tracees among them must be let through their exit stops. */
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, __WALL | WNOHANG)) > 0)
			if (WIFSTOPPED(st))
				ptrace(PTRACE_CONT, pid, 0, 0);
		usleep(10000);
		n = look_for_run(t, found, 256);
	}
	t->r->leftover = n;
}

/* ---- settling the record ---- */

static void settle(struct tracer *t)
{
	struct record *r = t->r;
	struct rec_proc *root = r->root;
	if (t->stopping) {
		r->outcome = t->stop_outcome;
	} else if (t->mem_hit) {
		r->outcome = OUT_MEM_LIMIT;
		if (t->mem_detail) {
			free(r->detail);
			r->detail = t->mem_detail;
			t->mem_detail = NULL;
		}
	} else if (t->cpu_hit) {
		r->outcome = OUT_CPU_LIMIT;
		record_set_detail(r, "cpu-limit: a process used up its %g s of CPU time",
				  t->o->cpu_s > 0 ? t->o->cpu_s : t->o->timeout_s);
	} else if (root && root->exited && root->exit_signal > 0 && !root->killed_by_forklab) {
		r->outcome = OUT_SIGNALED;
	} else {
		r->outcome = OUT_EXITED;
	}
	if (r->outcome >= OUT_TIMEOUT)
		r->status = 124;
	else
		r->status = root && root->exited ? rec_proc_status(root) : 124;
	r->duration_ms = tr_now_ms(t);
}

static void free_task(void *val, void *arg)
{
	(void)arg;
	task_clear_exec(val);
	inject_abort(val);
	free(val);
}

static void free_proc(void *val, void *arg)
{
	(void)arg;
	free(val);
}

static void free_tables(struct tracer *t)
{
	pidmap_each(&t->tasks, free_task, NULL);
	pidmap_each(&t->procs, free_proc, NULL);
	pidmap_free(&t->tasks);
	pidmap_free(&t->procs);
}

/* Signals, subreaper state and CPU affinity of the calling thread, changed for the run and
 * restored. */
struct saved_state {
	sigset_t mask;
	struct sigaction chld, tick;
	int subreaper;
	cpu_set_t cpus;
	bool pinned;
	int dumpable;
};

/* Keeps the tracer and (by inheritance) the program on the CPU the tracer runs on now. Every
 * ptrace stop wakes the other side; on one CPU that is a plain context switch, across CPUs it
 * is a cross-CPU wakeup, which costs several times more on a virtual machine. A program may
 * still change its own affinity. Failure only costs speed, so it is not an error. */
static void pin_to_this_cpu(struct saved_state *sv)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	sv->pinned = false;
	if (cpu < 0 || sched_getaffinity(0, sizeof(sv->cpus), &sv->cpus) < 0)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sv->pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
}

static int enter_run_state(struct tracer *t, struct saved_state *sv, char *err, size_t errlen)
{
	sigset_t block, stop;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, TICK_SIG);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	/* SIGCHLD must not be ignored (children would reap themselves); it stays blocked: the
	 * loop waits in waitpid(), which needs no signal. */
	struct sigaction dfl = { .sa_handler = SIG_DFL }, tick;
	sigemptyset(&dfl.sa_mask);
	loop_tick_handler(&tick);
	pthread_sigmask(SIG_SETMASK, NULL, &sv->mask);
	sigaction(SIGCHLD, NULL, &sv->chld);
	sigaction(TICK_SIG, NULL, &sv->tick);
	sv->subreaper = 0;
	prctl(PR_GET_CHILD_SUBREAPER, &sv->subreaper, 0, 0, 0);
	sv->pinned = false;
	if (!t->o->all_cpus)
		pin_to_this_cpu(sv);
	/* As an ordinary user the program runs as forklab's own uid: a dumpable forklab would let
	 * it open /proc/FORKLAB/mem or fd/. Non-dumpable, those need CAP_SYS_PTRACE. */
	sv->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (sv->dumpable > 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot make forklab non-dumpable: %s", strerror(errno));
		return -1;
	}
	if (pthread_sigmask(SIG_BLOCK, &block, NULL) != 0 || sigaction(SIGCHLD, &dfl, NULL) < 0 ||
	    sigaction(TICK_SIG, &tick, NULL) < 0) {
		snprintf(err, errlen, "cannot set up signals: %s", strerror(errno));
		return -1;
	}
	/* SIGINT/SIGTERM to forklab end the run as "interrupted", after the sweep. */
	t->sfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
	if (t->sfd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set up signals: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void leave_run_state(struct tracer *t, struct saved_state *sv)
{
	close_fd(&t->sfd);
	prctl(PR_SET_CHILD_SUBREAPER, sv->subreaper, 0, 0, 0);
	sigaction(SIGCHLD, &sv->chld, NULL);
	sigaction(TICK_SIG, &sv->tick, NULL);
	pthread_sigmask(SIG_SETMASK, &sv->mask, NULL);
	if (sv->pinned)
		sched_setaffinity(0, sizeof(sv->cpus), &sv->cpus);
	if (sv->dumpable > 0)
		prctl(PR_SET_DUMPABLE, sv->dumpable, 0, 0, 0);
}

static int start_root(struct tracer *t, char *err, size_t errlen)
{
	int out[2], errp[2], fail[2];
	const struct sock_fprog *prog = filter_program(err, errlen);
	if (!prog || make_pipes(t, out, errp, fail, err, errlen) < 0)
		goto fail;
	t->self = getpid();
	t->self_pgrp = getpgrp();
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		sandbox_child(&t->sb, t->o, prog, out[1], errp[1], fail[1], t->self);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	close_fd(&fail[1]);
	t->out_r = out[0];
	t->err_r = errp[0];
	t->errpipe_r = fail[0];
	if (seize_root(t, pid, err, errlen) < 0)
		return -1;
	t->root = pid;
	t->root_start = procfs_starttime(pid);
	struct tproc *p = calloc(1, sizeof(*p));
	struct task *tk = calloc(1, sizeof(*tk));
	if (!p || !tk || !(p->rec = record_add_proc(t->r, NULL, pid, 0, tr_seq(t))) ||
	    pidmap_put(&t->procs, pid, p) < 0 || pidmap_put(&t->tasks, pid, tk) < 0) {
		/* Out of memory: the root is seized; EXITKILL ends it when we detach by dying,
		 * but we are not dying - kill and reap it here. */
		kill(pid, SIGKILL);
		reap_now(pid);
		if (p && pidmap_get(&t->procs, pid) != p)
			free(p);
		free(tk);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->tgid = pid;
	p->real_parent = t->self;
	p->nthreads = 1;
	tk->tid = pid;
	tk->proc = p;
	t->live_procs = 1;
	t->held_procs = 1;
	t->r->max_alive = 1;
	/* Untraced, no exec event will say when to start the driver: start it now. */
	if (t->o->untraced && t->o->driver && ctl_start(t) < 0) {
		kill(pid, SIGKILL);
		reap_now(pid);
		snprintf(err, errlen, "cannot start the driver thread");
		return -1;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&out[i]);
		close_fd(&errp[i]);
		close_fd(&fail[i]);
	}
	return -1;
}

static void finish_pipes(struct tracer *t)
{
	/* Whatever the processes wrote before they went is in the pipes now. */
	char buf[65536];
	int *fds[2] = { &t->out_r, &t->err_r };
	for (int s = 0; s < 2; s++) {
		while (*fds[s] >= 0) {
			ssize_t n = read(*fds[s], buf, sizeof(buf));
			if (n <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				break;
			}
			loop_take_output(t, s + 1, buf, (size_t)n, true);
		}
		close_fd(fds[s]);
	}
}

int trace_run(const struct trace_opts *o, struct record **out, char *err, size_t errlen)
{
	*out = NULL;
	if (check_opts(o, err, errlen) < 0)
		return -1;
	char why[200];
	if (!trace_supported(why, sizeof(why))) {
		snprintf(err, errlen, "cannot trace here: %s", why);
		return -1;
	}
	pthread_mutex_lock(&run_lock);
	struct tracer t = { .o = o, .out_r = -1, .err_r = -1, .errpipe_r = -1, .sfd = -1 };
	struct saved_state sv;
	int rc = -1;
	t.r = record_new();
	t.cap_bytes = o->max_output_kib * 1024;
	t.max_threads = o->max_threads > 0 ? o->max_threads : 256;
	if (!t.r || pidmap_init(&t.tasks, 1024) < 0 || pidmap_init(&t.procs, 1024) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out_unlocked;
	}
	if (sandbox_prepare(&t.sb, o, err, errlen) < 0)
		goto out_unlocked;
	if (enter_run_state(&t, &sv, err, errlen) < 0)
		goto out_state;
	if (start_root(&t, err, errlen) < 0)
		goto out_state;
	if (loop_run(&t) < 0) {
		/* forklab failed, not the program: no record, and nothing left running. */
		snprintf(err, errlen, "the tracer failed: %s", strerror(errno));
		loop_stop(&t, OUT_INTERRUPTED, "the tracer failed");
		ctl_cancel_and_join(&t);
		sweep(&t);
		goto out_state;
	}
	if (t.tasks.n > 0 && !t.stopping)
		loop_stop(&t, OUT_INTERRUPTED, "the tracer lost its tracees");
	/* Untraced, the root's descendants were never known: end its process group. */
	if (o->untraced && t.root > 0 && kill(-t.root, SIGKILL) == 0)
		while (waitpid(-t.root, NULL, __WALL) > 0 || errno == EINTR)
			;
	ctl_cancel_and_join(&t);
	sweep(&t);
	finish_pipes(&t);
	struct sandbox_failure f;
	if (child_failed(&t, &f)) {
		sandbox_failure_text(&t.sb, &f, err, errlen);
		goto out_state;
	}
	settle(&t);
	/* Directories a program chmod'ed shut are opened up by the cleanup; read files first. */
	if (o->collect_files && sandbox_collect_files(&t.sb, t.r, o->collect_max_kib << 10) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out_state;
	}
	*out = t.r;
	t.r = NULL;
	rc = 0;
out_state:
	leave_run_state(&t, &sv);
out_unlocked:
	ctl_free(&t);
	close_fd(&t.out_r);
	close_fd(&t.err_r);
	close_fd(&t.errpipe_r);
	free(t.mem_detail);
	for (int i = 0; i < 3; i++)
		free(t.unclaimed[i].data);
	free_tables(&t);
	sandbox_cleanup(&t.sb);
	record_free(t.r);
	pthread_mutex_unlock(&run_lock);
	return rc;
}
