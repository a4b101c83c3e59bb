/* trace_inject.c - stacks the every-write filter (fallback_program) into a traced process, by
 * making one of its tasks call seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC)
 * between two of its stops. On x86_64 the base filter stops writes to descriptors 1 and 2 only;
 * a process that gets another descriptor on a captured pipe (dup(1), /dev/stdout reopened, a
 * descriptor received...) gets this second filter, and from then on every write it or its
 * children make stops, as before the base filter learnt to look at descriptors.
 *
 * Two ways in, both leaving the task exactly as it was:
 * - at a seccomp stop (before the call runs: inject_start(at_exit = false)), the call itself is
 *   turned into seccomp(); at its exit stop the registers are put back with the instruction
 *   pointer on the syscall instruction again, so that the original call runs anew once the
 *   task resumes (as the kernel restarts an interrupted call);
 * - at the exit stop of a call that made an alias (at_exit = true), the task is sent back to
 *   its syscall instruction with seccomp()'s number and arguments, every signal blocked so
 *   that no handler runs in between; at seccomp()'s exit stop its registers (the first call's
 *   result among them) and signal mask are put back.
 * The filter program and its sock_fprog are written to the task's stack below the red zone
 * (or, where that is not mapped, over the top of the stack), and those bytes are put back. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "record_build.h"
#include "seccomp_filter.h"
#include "trace_int.h"

#ifdef FILTER_FD_WRITES

#define RED_ZONE 128

static void inject_clear(struct task *tk)
{
	free(tk->inj.saved_mem);
	tk->inj.saved_mem = NULL;
	tk->inj.step = INJ_NONE;
}

static ssize_t mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	return process_vm_writev(tid, &local, 1, &remote, 1, 0);
}

/* Writes the filter into the task's stack, keeping what was there; the address of its
 * sock_fprog, or 0. */
static uint64_t place_filter(struct task *tk, uint64_t sp)
{
	const struct sock_fprog *fp = fallback_program();
	if (!fp)
		return 0;
	size_t code = (size_t)fp->len * sizeof(struct sock_filter);
	size_t len = 16 + code; /* a sock_fprog (len, padding, pointer), then the program */
	unsigned char *buf = calloc(1, len);
	unsigned char *old = malloc(len);
	if (!buf || !old) {
		free(buf);
		free(old);
		return 0;
	}
	const uint64_t spots[] = { (sp - RED_ZONE - len) & ~15ULL, (sp + 15) & ~15ULL };
	uint64_t at = 0;
	for (size_t i = 0; i < 2 && !at; i++) {
		uint64_t a = spots[i];
		unsigned short n = fp->len;
		uint64_t prog = a + 16;
		memcpy(buf, &n, sizeof(n));
		memcpy(buf + 8, &prog, sizeof(prog));
		memcpy(buf + 16, fp->filter, code);
		if (mem_read(tk->tid, a, old, len) == (ssize_t)len &&
		    mem_write(tk->tid, a, buf, len) == (ssize_t)len)
			at = a;
	}
	free(buf);
	if (!at) {
		free(old);
		return 0;
	}
	tk->inj.saved_mem = old;
	tk->inj.mem_addr = at;
	tk->inj.mem_len = len;
	return at;
}

static void put_back_memory(struct task *tk)
{
	if (tk->inj.saved_mem)
		mem_write(tk->tid, tk->inj.mem_addr, tk->inj.saved_mem, tk->inj.mem_len);
}

/* The process cannot be given the filter: its writes could no longer all be seen, so it is
 * ended (forklab's own SIGKILL) rather than let run. */
static void inject_failed(struct tracer *t, struct task *tk)
{
	put_back_memory(tk);
	inject_clear(tk);
	tk->proc->killed_by_us = true;
	kill(tk->proc->tgid, SIGKILL);
	if (!t->r->detail)
		record_set_detail(t->r, "%s (%d) was ended by forklab: it made a second descriptor "
				  "on its stdout or stderr, and forklab could not follow every "
				  "write it made", tk->proc->rec->name, (int)tk->proc->tgid);
	loop_resume(tk->tid, 0);
}

static void set_seccomp_args(struct user_regs_struct *r, uint64_t fprog)
{
	r->rdi = SECCOMP_SET_MODE_FILTER;
	r->rsi = SECCOMP_FILTER_FLAG_TSYNC;
	r->rdx = fprog;
}

int inject_start(struct tracer *t, struct task *tk, bool at_exit)
{
	struct inject *in = &tk->inj;
	memset(&in->regs, 0, sizeof(in->regs));
	in->deferred = 0;
	in->mask_set = false;
	if (ptrace(PTRACE_GETREGS, tk->tid, 0, &in->regs) < 0)
		goto fail;
	struct user_regs_struct r = in->regs;
	if (at_exit) {
		/* Back onto the syscall instruction the call was made with. */
		unsigned char insn[2];
		if (mem_read(tk->tid, r.rip - 2, insn, 2) != 2 || insn[0] != 0x0f || insn[1] != 0x05)
			goto fail;
		uint64_t all = ~0ULL;
		if (ptrace(PTRACE_GETSIGMASK, tk->tid, sizeof(in->mask), &in->mask) < 0 ||
		    ptrace(PTRACE_SETSIGMASK, tk->tid, sizeof(all), &all) < 0)
			goto fail;
		in->mask_set = true;
	}
	uint64_t fprog = place_filter(tk, r.rsp);
	if (!fprog)
		goto fail;
	set_seccomp_args(&r, fprog);
	if (at_exit) {
		r.rip -= 2;
		r.rax = SYS_seccomp;
		r.orig_rax = (unsigned long long)-1; /* nothing to restart on the way out */
		in->step = INJ_AFTER;
	} else {
		r.orig_rax = SYS_seccomp;
		in->step = INJ_ENTRY;
	}
	if (ptrace(PTRACE_SETREGS, tk->tid, 0, &r) < 0 ||
	    ptrace(PTRACE_SYSCALL, tk->tid, 0, 0) < 0)
		goto fail;
	return 0;
fail:
	if (in->mask_set)
		ptrace(PTRACE_SETSIGMASK, tk->tid, sizeof(in->mask), &in->mask);
	in->mask_set = false;
	inject_failed(t, tk);
	return -1;
}

/* seccomp() returned: put the task back as it was, and say whether the filter went in. */
static void inject_done(struct tracer *t, struct task *tk, long long rval)
{
	struct inject *in = &tk->inj;
	struct user_regs_struct r = in->regs;
	if (in->step == INJ_ENTRY) {
		/* Make the original call again. */
		r.rip -= 2;
		r.rax = r.orig_rax;
	}
	put_back_memory(tk);
	bool ok = rval == 0 && ptrace(PTRACE_SETREGS, tk->tid, 0, &r) == 0;
	if (in->mask_set && ptrace(PTRACE_SETSIGMASK, tk->tid, sizeof(in->mask), &in->mask) < 0)
		ok = false;
	in->mask_set = false;
	uint64_t deferred = in->deferred;
	inject_clear(tk);
	if (!ok) {
		inject_failed(t, tk);
		return;
	}
	tk->proc->all_writes = true;
	tk->proc->rec->all_writes_traced = true;
	loop_resume(tk->tid, 0);
	/* Signals that arrived meanwhile (only SIGSTOP could, the rest were blocked) */
	for (int sig = 1; sig <= 64; sig++)
		if (deferred & (1ULL << (sig - 1)))
			syscall(SYS_tgkill, tk->proc->tgid, tk->tid, sig);
}

bool inject_event(struct tracer *t, struct task *tk, const struct event *ev)
{
	struct inject *in = &tk->inj;
	if (ev->kind == EV_EXIT) {
		/* Killed in the middle: nothing to put back. */
		inject_clear(tk);
		return false;
	}
	int sig = 0;
	if (ev->kind == EV_SYSCALL_EXIT) {
		struct __ptrace_syscall_info si;
		memset(&si, 0, sizeof(si));
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tk->tid, sizeof(si), &si) <= 0) {
			inject_failed(t, tk);
			return true;
		}
		if (si.op == PTRACE_SYSCALL_INFO_EXIT && in->step != INJ_AFTER) {
			inject_done(t, tk, si.exit.is_error ? -1 : si.exit.rval);
			return true;
		}
		if (si.op == PTRACE_SYSCALL_INFO_ENTRY && in->step == INJ_AFTER)
			in->step = INJ_AFTER_RUN;
	} else if (ev->kind == EV_SIGNAL && ev->sig >= 1 && ev->sig <= 64) {
		in->deferred |= 1ULL << (ev->sig - 1);
	}
	/* A seccomp stop (the program's own filter on seccomp), a group-stop, an interrupt: on
	 * through the injection, every stop of it asked for. */
	if (ptrace(PTRACE_SYSCALL, tk->tid, 0, sig) < 0 && errno != ESRCH)
		inject_failed(t, tk);
	return true;
}

void inject_abort(struct task *tk)
{
	inject_clear(tk);
}

#else /* every write stops: nothing is ever injected */

int inject_start(struct tracer *t, struct task *tk, bool at_exit)
{
	(void)t;
	(void)at_exit;
	loop_resume(tk->tid, 0);
	return -1;
}

bool inject_event(struct tracer *t, struct task *tk, const struct event *ev)
{
	(void)t;
	(void)tk;
	(void)ev;
	return false;
}

void inject_abort(struct task *tk)
{
	(void)tk;
}

#endif
