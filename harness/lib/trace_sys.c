/* trace_sys.c - what the tracer does at the syscall stops its seccomp filter asks for: the
 * process budget at fork, argv at exec, reaps at wait, captured writes, signals aimed outside
 * the run, big allocations. Each handler resumes the task itself. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "procfs.h"
#include "record_build.h"
#include "seccomp_filter.h"
#include "trace_int.h"

#define DENIALS_MAX 200
#define DENIAL_SPAN_MS 500.0
#define MAX_IOV 1024

void task_clear_exec(struct task *tk)
{
	free(tk->exec_path);
	if (tk->exec_argv)
		for (int i = 0; tk->exec_argv[i]; i++)
			free(tk->exec_argv[i]);
	free(tk->exec_argv);
	tk->exec_path = NULL;
	tk->exec_argv = NULL;
	tk->exec_argc = 0;
}

static void deny(pid_t tid, int err)
{
	if (regs_skip_syscall(tid, err) < 0 && errno != ESRCH) {
		/* Cannot refuse the call: kill the task rather than let it escape the rules. */
		kill(tid, SIGKILL);
	}
	loop_resume(tid, 0);
}

/* A fork refused by the budget: count it, and stop a run that keeps insisting. */
static void deny_fork(struct tracer *t, struct task *tk)
{
	tk->proc->rec->forks_denied++;
	t->r->forks_denied++;
	double now = tr_now_ms(t);
	if (t->denials++ == 0)
		t->first_denial_ms = now;
	deny(tk->tid, EAGAIN);
	if (t->denials > DENIALS_MAX || (t->denials > 1 && now - t->first_denial_ms > DENIAL_SPAN_MS))
		loop_stop(t, OUT_PROC_LIMIT,
			  "fork explosion: %u forks denied over %.0f ms (at most %d processes "
			  "alive at once)", t->denials, now - t->first_denial_ms, t->o->max_procs);
}

static void on_fork(struct tracer *t, struct task *tk, unsigned long flags, bool is_clone)
{
	if (is_clone && (flags & (CLONE_UNTRACED | CLONE_NEWUSER | CLONE_NEWPID))) {
		deny(tk->tid, EPERM);
		return;
	}
#ifdef FILTER_FD_WRITES
	/* A process sharing its descriptor table with another (not a thread of it) could make an
	 * alias the other would write through unseen: both get the every-write filter, by
	 * stacking it into the creator before the clone (made again once it is in). */
	if ((flags & CLONE_FILES) && !(flags & CLONE_THREAD) && !tk->proc->all_writes) {
		inject_start(t, tk, false);
		return;
	}
#endif
	if (flags & CLONE_THREAD) {
		if (t->live_threads >= t->max_threads) {
			deny_fork(t, tk);
			return;
		}
	} else if (!tr_budget_room(t)) {
		deny_fork(t, tk);
		return;
	} else if (!tk->fork_inflight) {
		tk->fork_inflight = true;
		t->inflight++;
	}
	tk->clone_known = true;
	tk->clone_flags = flags;
	loop_resume(tk->tid, 0);
}

static void on_exec(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	task_clear_exec(tk);
	if (nr == SYS_execve) {
		tk->exec_path = mem_read_string(tk->tid, a[0], 4096);
		tk->exec_argv = mem_read_argv(tk->tid, a[1], &tk->exec_argc);
	} else {
		/* execveat: the path is relative to a descriptor; /proc/PID/exe names it later. */
		tk->exec_argv = mem_read_argv(tk->tid, a[2], &tk->exec_argc);
	}
	(void)t;
	loop_resume(tk->tid, 0);
}

/* Is this pid a live (or zombie) process of the run? */
static bool in_run(struct tracer *t, pid_t pid)
{
	/* kill() also accepts a thread's id: it signals that thread's process. */
	return pid > 0 && (pidmap_get(&t->procs, pid) || pidmap_get(&t->tasks, pid));
}

/* A process group may be signaled only when its id is a pid of this run, not forklab's. */
static bool group_in_run(struct tracer *t, pid_t pgid)
{
	return pgid > 1 && pgid != t->self_pgrp && pgid != t->self &&
	       record_by_pid(t->r, pgid) != NULL;
}

static bool kill_allowed(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	pid_t p0 = (pid_t)(int)a[0];
	switch (nr) {
	case SYS_kill:
		if (p0 > 0)
			return in_run(t, p0);
		if (p0 == 0)
			return group_in_run(t, getpgid(tk->proc->tgid));
		if (p0 == -1)
			return false;
		return group_in_run(t, -p0);
	case SYS_rt_sigqueueinfo:
		return in_run(t, p0);
	case SYS_tkill:
		return pidmap_get(&t->tasks, p0) != NULL;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		return pidmap_get(&t->tasks, (pid_t)(int)a[1]) != NULL;
	case SYS_pidfd_send_signal:
		/* Refused: the descriptor is looked up again when the call runs, and until then
		 * another thread can put a pidfd (or a /proc/PID directory) of any process in its
		 * place. kill() says the same with a pid the tracer can check. */
		return false;
	}
	return true;
}

static void on_kill(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	if (kill_allowed(t, tk, nr, a)) {
		loop_resume(tk->tid, 0);
		return;
	}
	tk->proc->rec->kills_denied++;
	deny(tk->tid, EPERM);
}

/* A big mapping that would take the process over --mem: the kernel refuses it (RLIMIT_AS); the
 * run goes on, and the outcome says mem-limit. */
static void on_big_map(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	long long limit = (long long)t->o->mem_mib << 20;
	long long size = procfs_vmsize(tk->tid);
	tk->proc->big_map = true;
	long long want = nr == SYS_mremap ? (long long)a[2] - (long long)a[1] : (long long)a[1];
	if (size >= 0 && size + want > limit && !t->mem_hit) {
		t->mem_hit = true;
		free(t->mem_detail);
		if (asprintf(&t->mem_detail, "mem-limit: %s (%d) asked for %lld MiB with %lld MiB "
			     "mapped (limit %zu MiB)", tk->proc->rec->name, (int)tk->proc->tgid,
			     want >> 20, size >> 20, t->o->mem_mib) < 0)
			t->mem_detail = NULL;
	}
	loop_resume(tk->tid, 0);
}

/* Which captured stream descriptor fd of tid points at: 1, 2, or 0 when neither pipe. */
static int captured_stream(struct tracer *t, pid_t tid, int fd)
{
	char target[64];
	if (procfs_fd_target(tid, fd, target, sizeof(target)) < 0)
		return 0;
	if (t->out_pty && strncmp(target, "/dev/pts/", 9) == 0) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
		return stat(path, &st) == 0 && st.st_rdev == t->out_pty ? 1 : 0;
	}
	unsigned long ino = procfs_link_inode(target);
	if (ino == 0 || target[0] != 'p')
		return 0;
	return ino == t->out_ino ? 1 : ino == t->err_ino ? 2 : 0;
}

void proc_forget_streams(struct tproc *p)
{
	p->std_stream[1] = p->std_stream[2] = -1;
}

/* captured_stream() for a descriptor a write names. Descriptors 1 and 2 stop at every write
 * (a program whose stdout is /dev/null or a pipe of its own stops at each one): "not a captured
 * pipe" is kept, since only the process's own alias calls (each a stop that forgets it) can
 * make one point at a captured pipe while it has one thread and shares its descriptors with
 * nobody. "Captured" is not kept: close(1) and pipe() make it false without a stop. */
static int write_stream(struct tracer *t, struct task *tk, int fd)
{
	struct tproc *p = tk->proc;
	bool keep = (fd == 1 || fd == 2) && p->nthreads == 1 && !p->all_writes;
	if (keep && p->std_stream[fd] == 0)
		return 0;
	int s = captured_stream(t, tk->tid, fd);
	if (keep && s == 0)
		p->std_stream[fd] = 0;
	return s;
}

static void want_exit(struct tracer *t, struct task *tk, enum sysexit_want w, int nr,
		      const uint64_t *a)
{
	tk->want = w;
	tk->nr = nr;
	memcpy(tk->args, a, sizeof(tk->args));
	if (w == WANT_WRITE || w == WANT_COPY)
		t->writing[tk->stream]++;
	if (ptrace(PTRACE_SYSCALL, tk->tid, 0, 0) < 0 && errno != ESRCH) {
		task_clear_want(t, tk);
		loop_resume(tk->tid, 0); /* which kills it if it cannot be resumed either */
	}
}

void task_clear_want(struct tracer *t, struct task *tk)
{
	if (tk->want == WANT_WRITE || tk->want == WANT_COPY)
		t->writing[tk->stream]--;
	tk->want = WANT_NONE;
}

/* The write family, and vmsplice: the bytes come from the caller's memory (buffer or iovec). */
static bool is_write(int nr)
{
	return nr == SYS_write || nr == SYS_writev || nr == SYS_pwrite64 || nr == SYS_pwritev ||
	       nr == SYS_pwritev2 || nr == SYS_vmsplice;
}

/* Calls that move bytes between descriptors inside the kernel: which descriptor they write to,
 * which they read from, and where the caller keeps the source offset (0: the file position). */
static bool is_copy(int nr)
{
	return nr == SYS_sendfile || nr == SYS_splice || nr == SYS_tee;
}

static int copy_dest(int nr, const uint64_t *a)
{
	return (int)(nr == SYS_sendfile ? a[0] : nr == SYS_splice ? a[2] : a[1]);
}

#ifdef FILTER_FD_WRITES
/* dup, dup2, dup3, fcntl(F_DUPFD*), open/openat for writing, openat2, creat,
 * open_by_handle_at, recvmsg, recvmmsg, pidfd_getfd: calls that can give the process a second
 * descriptor on a captured pipe, whose writes the base filter would not stop. */
static bool is_alias_call(int nr, const uint64_t *a)
{
	switch (nr) {
	case SYS_dup: case SYS_dup2: case SYS_dup3: case SYS_open: case SYS_openat:
	case SYS_openat2: case SYS_creat: case SYS_open_by_handle_at: case SYS_recvmsg:
	case SYS_recvmmsg: case SYS_pidfd_getfd:
		return true;
	case SYS_fcntl:
		return (int)a[1] == F_DUPFD || (int)a[1] == F_DUPFD_CLOEXEC;
	}
	return false;
}

/* A single-threaded process is checked when the call returns: nothing else can use its
 * descriptors before the tracer has seen what the call made (a process sharing them has the
 * every-write filter already, on_fork). Another thread of a process could write through a new
 * alias before that: a multi-threaded process gets the filter before the call runs. */
static void on_alias_call(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	if (tk->proc->all_writes)
		loop_resume(tk->tid, 0);
	else if (tk->proc->nthreads > 1)
		inject_start(t, tk, false);
	else
		want_exit(t, tk, WANT_ALIAS, nr, a);
}

/* Does any descriptor of the task other than 1 and 2 point at a captured pipe? */
static bool has_alias(struct tracer *t, pid_t tid)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)tid);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && *end == '\0' && fd != 1 && fd != 2)
			found = captured_stream(t, tid, (int)fd) != 0;
	}
	closedir(d);
	return found;
}

/* The exit of an alias call: an alias made gets the process the every-write filter now, before
 * it runs on. A received descriptor can land on any number: recvmsg looks at them all. */
static void on_alias_exit(struct tracer *t, struct task *tk, long long rval)
{
	bool alias;
	if (tk->nr == SYS_recvmsg || tk->nr == SYS_recvmmsg)
		alias = has_alias(t, tk->tid);
	else
		alias = rval >= 0 && rval != 1 && rval != 2 &&
			captured_stream(t, tk->tid, (int)rval) != 0;
	task_clear_want(t, tk);
	proc_forget_streams(tk->proc); /* descriptor 1 or 2 may be another now */
	if (alias)
		inject_start(t, tk, true);
	else
		loop_resume(tk->tid, 0);
}
#endif

/* sendfile, splice or tee into a captured stream: the bytes never pass through the caller's
 * memory, but they do through the capture pipe, where the exit stop takes them. */
void sys_on_seccomp(struct tracer *t, struct task *tk)
{
	struct __ptrace_syscall_info si;
	memset(&si, 0, sizeof(si)); /* for valgrind, which cannot see the kernel fill it */
	task_end_fork(t, tk); /* a fork still in flight ended without an event: it failed */
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tk->tid, sizeof(si), &si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		loop_resume(tk->tid, 0);
		return;
	}
	int nr = (int)si.seccomp.nr;
	const uint64_t *a = si.seccomp.args;
	/* Dispatch on the call itself, not on ret_data: when the program stacks its own TRACE
	 * filter, its data may hide ours (the newest filter's data wins). */
	switch (nr) {
#ifdef SYS_fork
	case SYS_fork:
		on_fork(t, tk, SIGCHLD, false);
		return;
#endif
#ifdef SYS_vfork
	case SYS_vfork:
		on_fork(t, tk, CLONE_VM | CLONE_VFORK | SIGCHLD, false);
		return;
#endif
	case SYS_clone:
		on_fork(t, tk, (unsigned long)a[0], true);
		return;
	case SYS_execve:
	case SYS_execveat:
		on_exec(t, tk, nr, a);
		return;
	case SYS_wait4:
	case SYS_waitid:
		if (tk->proc)
			tk->proc->waited = true; /* held children of its go on (trace_loop.c) */
		want_exit(t, tk, WANT_WAIT, nr, a);
		return;
	case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo: case SYS_pidfd_send_signal:
		on_kill(t, tk, nr, a);
		return;
	case SYS_prctl:
		if (a[0] == PR_SET_DUMPABLE) {
			/* Pretend it worked: the tracer must keep seeing its descriptors and memory. */
			deny(tk->tid, 0);
			return;
		}
		break;
	case SYS_accept:
	case SYS_accept4:
		tk->proc->rec->accepts++;
		break;
	case SYS_mmap:
		if (a[1] >= FILTER_BIG_MAP && (int)a[4] == -1) {
			on_big_map(t, tk, nr, a);
			return;
		}
		break;
	case SYS_mremap:
		if (a[2] >= FILTER_BIG_MAP) {
			on_big_map(t, tk, nr, a);
			return;
		}
		break;
	default:
#ifdef FILTER_FD_WRITES
		if (is_alias_call(nr, a)) {
			on_alias_call(t, tk, nr, a);
			return;
		}
#endif
		if (is_write(nr) && (int)a[0] >= 0) {
			tk->stream = write_stream(t, tk, (int)a[0]);
			if (tk->stream) {
				want_exit(t, tk, WANT_WRITE, nr, a);
				return;
			}
		} else if (is_copy(nr) && copy_dest(nr, a) >= 0) {
			tk->stream = write_stream(t, tk, copy_dest(nr, a));
			if (tk->stream) {
				want_exit(t, tk, WANT_COPY, nr, a);
				return;
			}
		}
		break;
	}
	loop_resume(tk->tid, 0);
}

static void snap_reaper(struct tracer *t, struct task *tk, struct rec_proc *child)
{
	if (t->o->snap_fds && procfs_read_fds(tk->tid, &child->reaper_fds) < 0)
		memset(&child->reaper_fds, 0, sizeof(child->reaper_fds));
}

/* The task's wait call reaped child c, which forklab saw die: record who reaped it and when,
 * and forget it. */
static void record_reap(struct tracer *t, struct task *tk, struct tproc *c)
{
	struct rec_proc *cr = c->rec;
	cr->reaped_by = tk->proc->tgid;
	cr->reaper = tk->proc->rec;
	cr->reaped_ms = tr_now_ms(t);
	cr->reaped_seq = tr_seq(t);
	snap_reaper(t, tk, cr);
	tr_release(t, c);
	pidmap_del(&t->procs, c->tgid);
	free(c);
}

/* Whether c is a dead child of waiter whose zombie is gone: reaped. Its pid cannot have been
 * reused while forklab still holds it in the table, unless it was reaped: a zombie that still
 * names the waiter as parent was not. */
static bool reaped_child(struct tproc *c, pid_t waiter)
{
	pid_t ppid;
	char state;
	if (!c || !c->dead || c->real_parent != waiter)
		return false;
	return !(procfs_stat(c->tgid, &ppid, NULL, &state) == 0 && state == 'Z' && ppid == waiter);
}

struct reaped_search {
	pid_t waiter;
	struct tproc *found;
};

static void find_reaped(void *val, void *arg)
{
	struct reaped_search *rs = arg;
	if (!rs->found && reaped_child(val, rs->waiter))
		rs->found = val;
}

/* Which child a wait call reaped is taken from the kernel only: wait4's return value, or for
 * waitid (which returns 0 and writes the child into the program's memory, where another thread
 * could forge one) the dead child whose zombie has gone. The pid waitid was asked for, then the
 * one its siginfo names, are only the first candidates to check. A child forklab has not seen
 * die is never taken as reaped: its entry stays while it is traced. */
static void on_wait_exit(struct tracer *t, struct task *tk, long long rval)
{
	if (tk->nr == SYS_wait4) {
		struct tproc *c = rval > 0 ? pidmap_get(&t->procs, (pid_t)rval) : NULL;
		if (c && c->dead)
			record_reap(t, tk, c);
		return;
	}
	if (rval != 0 || (tk->args[3] & WNOWAIT))
		return;
	pid_t waiter = tk->proc->tgid;
	pid_t hint = 0;
	siginfo_t si;
	if ((int)tk->args[0] == P_PID)
		hint = (pid_t)tk->args[1];
	else if (tk->args[2] && mem_read(tk->tid, tk->args[2], &si, sizeof(si)) == sizeof(si))
		hint = si.si_pid;
	struct tproc *c = hint > 0 ? pidmap_get(&t->procs, hint) : NULL;
	if (reaped_child(c, waiter)) {
		record_reap(t, tk, c);
		return;
	}
	if ((int)tk->args[0] == P_PID)
		return; /* it was asked for that child alone */
	struct reaped_search rs = { .waiter = waiter };
	pidmap_each(&t->procs, find_reaped, &rs);
	if (rs.found)
		record_reap(t, tk, rs.found);
}

/* Gathers up to len bytes of an iovec array in the tracee into buf. */
static size_t read_iov(pid_t tid, uint64_t iov_addr, uint64_t iovcnt, char *buf, size_t len)
{
	struct iovec iov[64];
	size_t got = 0;
	if (iovcnt > MAX_IOV)
		iovcnt = MAX_IOV;
	for (uint64_t base = 0; base < iovcnt && got < len; base += 64) {
		size_t n = iovcnt - base < 64 ? (size_t)(iovcnt - base) : 64;
		if (mem_read(tid, iov_addr + base * sizeof(struct iovec), iov,
			     n * sizeof(struct iovec)) != (ssize_t)(n * sizeof(struct iovec)))
			break;
		for (size_t i = 0; i < n && got < len; i++) {
			size_t want = iov[i].iov_len < len - got ? iov[i].iov_len : len - got;
			ssize_t r = want ? mem_read(tid, (uint64_t)(uintptr_t)iov[i].iov_base,
						    buf + got, want) : 0;
			if (r < 0)
				return got;
			got += (size_t)r;
		}
	}
	return got;
}

/* Where the len bytes a write-family call took from memory sit among the unclaimed bytes u:
 * at the front when they are there (the usual order), else where they first appear, else the
 * front. Only asked when another call into the same stream is under way. */
static size_t locate_written(struct task *tk, const struct rec_buf *u, size_t len)
{
	char *mem = malloc(len);
	size_t at = 0;
	if (!mem)
		return 0;
	ssize_t got;
	if (tk->nr == SYS_write || tk->nr == SYS_pwrite64)
		got = mem_read(tk->tid, tk->args[1], mem, len);
	else /* writev, pwritev, pwritev2, vmsplice: an iovec array */
		got = (ssize_t)read_iov(tk->tid, tk->args[1], tk->args[2], mem, len);
	if (got == (ssize_t)len && memcmp(u->data, mem, len) != 0) {
		for (size_t off = 1; off + len <= u->len; off++)
			if (memcmp(u->data + off, mem, len) == 0) {
				at = off;
				break;
			}
	}
	free(mem);
	return at;
}

/* A call put rval bytes into the task's captured stream: give them to its process. They are
 * taken from what the capture pipe delivered, never read back from the program's memory (a
 * thread could change the buffer after the kernel copied it). With no other call into the
 * stream under way, they are the last rval bytes delivered; anything before them came from no
 * call forklab saw and stays only in the stream. */
static void claim_output(struct tracer *t, struct task *tk, long long rval)
{
	loop_drain_pipes(t); /* the writer is still stopped: its bytes are all in the pipe */
	struct rec_buf *u = &t->unclaimed[tk->stream];
	size_t len = rval > 0 ? (size_t)rval : 0;
	if (len > u->len)
		len = u->len; /* past the output cap: only what was kept */
	size_t at = u->len - len;
	if (t->writing[tk->stream] > 1 && len > 0)
		at = tk->nr == SYS_sendfile || tk->nr == SYS_splice || tk->nr == SYS_tee ?
		     0 : locate_written(tk, u, len);
	if (len > 0)
		record_add_write(t->r, tk->proc->rec, tk->stream, u->data + at, len,
				 tr_now_ms(t), tr_seq(t));
	if (t->writing[tk->stream] > 1) {
		memmove(u->data + at, u->data + at + len, u->len - at - len);
		u->len -= len;
	} else {
		u->len = 0;
	}
}

void sys_on_exit(struct tracer *t, struct task *tk)
{
	struct __ptrace_syscall_info si;
	memset(&si, 0, sizeof(si)); /* for valgrind, which cannot see the kernel fill it */
	enum sysexit_want w = tk->want;
	bool got = w != WANT_NONE &&
		   ptrace(PTRACE_GET_SYSCALL_INFO, tk->tid, sizeof(si), &si) > 0 &&
		   si.op == PTRACE_SYSCALL_INFO_EXIT && !si.exit.is_error;
#ifdef FILTER_FD_WRITES
	if (w == WANT_ALIAS) {
		on_alias_exit(t, tk, got ? si.exit.rval : -1);
		return;
	}
#endif
	if (got && w == WANT_WAIT)
		on_wait_exit(t, tk, si.exit.rval);
	else if (got && tk->proc)
		claim_output(t, tk, si.exit.rval);
	task_clear_want(t, tk);
	loop_resume(tk->tid, 0);
}
