/* trace_sys.c - what the tracer does at the syscall stops its seccomp filter asks for: the
 * process budget at fork, argv at exec, reaps at wait, captured writes, signals aimed outside
 * the run, big allocations. Each handler resumes the task itself. */
#include <errno.h>
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
		return in_run(t, procfs_pidfd_pid(tk->tid, (int)a[0]));
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
	unsigned long ino = procfs_link_inode(target);
	if (ino == 0 || target[0] != 'p')
		return 0;
	return ino == t->out_ino ? 1 : ino == t->err_ino ? 2 : 0;
}

static void want_exit(struct task *tk, enum sysexit_want w, int nr, const uint64_t *a)
{
	tk->want = w;
	tk->nr = nr;
	memcpy(tk->args, a, sizeof(tk->args));
	if (ptrace(PTRACE_SYSCALL, tk->tid, 0, 0) < 0 && errno != ESRCH) {
		tk->want = WANT_NONE;
		loop_resume(tk->tid, 0); /* which kills it if it cannot be resumed either */
	}
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

static int copy_source(int nr, const uint64_t *a, uint64_t *offp)
{
	*offp = nr == SYS_sendfile ? a[2] : nr == SYS_splice ? a[1] : 0;
	return (int)(nr == SYS_sendfile ? a[1] : a[0]);
}

/* sendfile, splice or tee into a captured stream. Their bytes never pass through the caller's
 * memory. From a regular file they are read back at the exit stop; from a pipe or socket they
 * are gone by then, so everything already in the capture pipes is taken now, and what arrives
 * there during the call is this call's (exact unless another process writes to the same
 * stream at the same moment). */
static void on_copy(struct tracer *t, struct task *tk, int nr, const uint64_t *a)
{
	uint64_t offp;
	char path[64];
	struct stat st;
	int src = copy_source(nr, a, &offp);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tk->tid, src);
	tk->copy_file = nr != SYS_tee && stat(path, &st) == 0 && S_ISREG(st.st_mode);
	loop_drain_pipes(t);
	tk->copy_from = stream_buf(t, tk->stream)->len;
	want_exit(tk, WANT_COPY, nr, a);
}

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
		want_exit(tk, WANT_WAIT, nr, a);
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
		if (is_write(nr) && (int)a[0] >= 0) {
			tk->stream = captured_stream(t, tk->tid, (int)a[0]);
			if (tk->stream) {
				want_exit(tk, WANT_WRITE, nr, a);
				return;
			}
		} else if (is_copy(nr) && copy_dest(nr, a) >= 0) {
			tk->stream = captured_stream(t, tk->tid, copy_dest(nr, a));
			if (tk->stream) {
				on_copy(t, tk, nr, a);
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

/* The task's wait call returned a reaped child: record who reaped it and when. */
static void record_reap(struct tracer *t, struct task *tk, pid_t pid, int status)
{
	struct tproc *c = pidmap_get(&t->procs, pid);
	if (!c)
		return;
	struct rec_proc *cr = c->rec;
	if (!cr->exited) {
		/* Not seen dying yet (cannot happen while it is traced); trust the wait status. */
		cr->exited = true;
		cr->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
		cr->exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		cr->exited_ms = tr_now_ms(t);
		cr->exited_seq = tr_seq(t);
	}
	cr->reaped_by = tk->proc->tgid;
	cr->reaper = tk->proc->rec;
	cr->reaped_ms = tr_now_ms(t);
	cr->reaped_seq = tr_seq(t);
	snap_reaper(t, tk, cr);
	tr_release(t, c);
	pidmap_del(&t->procs, pid);
	free(c);
}

static void on_wait_exit(struct tracer *t, struct task *tk, long long rval)
{
	if (tk->nr == SYS_wait4) {
		if (rval <= 0)
			return;
		/* A child forklab saw die can only be reported dead: no need to read the status
		 * (a stopped or continued report is for a living child). */
		struct tproc *c = pidmap_get(&t->procs, (pid_t)rval);
		if (c && c->dead)
			record_reap(t, tk, (pid_t)rval, 0);
		return;
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (rval != 0 || (tk->args[3] & WNOWAIT) || !tk->args[2] ||
	    mem_read(tk->tid, tk->args[2], &si, sizeof(si)) != sizeof(si) || si.si_pid <= 0)
		return;
	if (si.si_code != CLD_EXITED && si.si_code != CLD_KILLED && si.si_code != CLD_DUMPED)
		return;
	int status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 : si.si_status & 0x7f;
	record_reap(t, tk, si.si_pid, status);
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

/* How many of len bytes moved by one call to keep: at most a little over the output cap (the
 * run stops there anyway). */
static size_t write_room(const struct tracer *t, long long len)
{
	size_t limit = t->cap_bytes + 65536;
	size_t room = limit > t->write_bytes ? limit - t->write_bytes : 0;
	return len <= 0 ? 0 : (size_t)len < room ? (size_t)len : room;
}

static void add_write(struct tracer *t, struct task *tk, const char *buf, size_t len)
{
	if (len > 0 && record_add_write(t->r, tk->proc->rec, tk->stream, buf, len, tr_now_ms(t),
					 tr_seq(t)) == 0)
		t->write_bytes += len;
	/* The bytes are in the pipe too, and the writer is still stopped: read them now, so the
	 * output reaches the record (and on_output) in the order the calls were made, stdout and
	 * stderr together, and the pipe never fills up. */
	loop_drain_pipes(t);
}

static void on_write_exit(struct tracer *t, struct task *tk, long long rval)
{
	size_t len = write_room(t, rval);
	char *buf = len && tk->proc ? malloc(len) : NULL;
	if (!buf)
		return;
	size_t got;
	if (tk->nr == SYS_write || tk->nr == SYS_pwrite64) {
		ssize_t r = mem_read(tk->tid, tk->args[1], buf, len);
		got = r > 0 ? (size_t)r : 0;
	} else {
		got = read_iov(tk->tid, tk->args[1], tk->args[2], buf, len);
	}
	add_write(t, tk, buf, got);
	free(buf);
}

/* Reads back, from the caller's own open file, the len bytes a copy call of rval bytes took from
 * it. -1 when it cannot (the file is gone, or changed under it). */
static ssize_t read_back(struct task *tk, long long rval, char *buf, size_t len)
{
	uint64_t offp;
	int src = copy_source(tk->nr, tk->args, &offp);
	int pidfd = (int)syscall(SYS_pidfd_open, tk->proc->tgid, 0);
	int fd = pidfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pidfd, src, 0) : -1;
	if (pidfd >= 0)
		close(pidfd);
	if (fd < 0)
		return -1;
	/* After the call, the offset (the caller's variable, or the file position) is past the
	 * bytes it moved. */
	int64_t end = -1;
	if (offp) {
		if (mem_read(tk->tid, offp, &end, sizeof(end)) != sizeof(end))
			end = -1;
	} else {
		end = lseek(fd, 0, SEEK_CUR);
	}
	ssize_t got = -1;
	if (end >= rval) {
		got = 0;
		while ((size_t)got < len) {
			ssize_t n = pread(fd, buf + got, len - (size_t)got, end - rval + got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += n;
		}
	}
	close(fd);
	return got == (ssize_t)len ? got : -1;
}

static void on_copy_exit(struct tracer *t, struct task *tk, long long rval)
{
	size_t len = write_room(t, rval);
	char *buf = len && tk->proc ? malloc(len) : NULL;
	if (!buf)
		return;
	if (!tk->copy_file || read_back(tk, rval, buf, len) < 0) {
		loop_drain_pipes(t);
		const struct rec_buf *b = stream_buf(t, tk->stream);
		size_t have = b->len > tk->copy_from ? b->len - tk->copy_from : 0;
		if (len > have)
			len = have;
		memcpy(buf, b->data + tk->copy_from, len);
	}
	add_write(t, tk, buf, len);
	free(buf);
}

void sys_on_exit(struct tracer *t, struct task *tk)
{
	struct __ptrace_syscall_info si;
	memset(&si, 0, sizeof(si)); /* for valgrind, which cannot see the kernel fill it */
	enum sysexit_want w = tk->want;
	tk->want = WANT_NONE;
	if (w != WANT_NONE &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, tk->tid, sizeof(si), &si) > 0 &&
	    si.op == PTRACE_SYSCALL_INFO_EXIT && !si.exit.is_error) {
		if (w == WANT_WAIT)
			on_wait_exit(t, tk, si.exit.rval);
		else if (w == WANT_WRITE)
			on_write_exit(t, tk, si.exit.rval);
		else if (w == WANT_COPY)
			on_copy_exit(t, tk, si.exit.rval);
	}
	loop_resume(tk->tid, 0);
}
