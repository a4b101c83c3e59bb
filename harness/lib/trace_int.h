/* trace_int.h - the tracer's inside, shared by its modules: the per-task and per-process
 * tables, the event kinds of the loop, and the state of one run. Not for users of trace.h. */
#ifndef FORKLAB_TRACE_INT_H
#define FORKLAB_TRACE_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>
#include <time.h>
#include "record.h"
#include "sandbox.h"
#include "trace.h"

/* ---- pid -> pointer table (tasks by tid, processes by tgid) ---- */
struct pidmap_ent {
	pid_t key;
	void *val;
	struct pidmap_ent *next;
};
struct pidmap {
	struct pidmap_ent **b;
	size_t nb, n;
};
int pidmap_init(struct pidmap *m, size_t nbuckets);
void *pidmap_get(const struct pidmap *m, pid_t key);
int pidmap_put(struct pidmap *m, pid_t key, void *val); /* replaces an existing entry */
void *pidmap_del(struct pidmap *m, pid_t key);           /* returns the removed value */
/* Calls fn on every value (fn must not change the map). */
void pidmap_each(const struct pidmap *m, void (*fn)(void *val, void *arg), void *arg);
void pidmap_free(struct pidmap *m);

/* What a syscall-exit stop we asked for is about. */
enum sysexit_want {
	WANT_NONE,
	WANT_WAIT,   /* wait4/waitid: did it reap, and whom */
	WANT_WRITE,  /* write family on a captured stream: what got written */
	WANT_COPY,   /* sendfile/splice/tee into a captured stream: what got moved */
	WANT_ALIAS,  /* dup, open for writing, recvmsg...: did it make a second descriptor on a
	                captured stream */
};

struct tproc;

/* Where a task is in having the every-write filter stacked into it (trace_inject.c). */
enum inject_step {
	INJ_NONE,
	INJ_ENTRY,      /* its call, at a seccomp stop, became seccomp(): waiting for the exit */
	INJ_AFTER,      /* sent back from a call's exit to call seccomp(): waiting for its entry */
	INJ_AFTER_RUN,  /* ... and for its exit */
};

struct inject {
	enum inject_step step;
	struct user_regs_struct regs; /* the registers to put back */
	uint64_t mask;                /* the signal mask to put back, when mask_set */
	bool mask_set;
	uint64_t deferred;            /* signals (bit sig-1) held back meanwhile, sent after */
	unsigned char *saved_mem;     /* the stack bytes the filter was written over */
	uint64_t mem_addr;
	size_t mem_len;
};

/* One traced thread (a task). */
struct task {
	pid_t tid;
	struct tproc *proc;      /* NULL while a stray (stopped before its creator's event) */
	bool attached;           /* its first (attach) stop has been seen */
	bool stray_stopped;      /* stopped, waiting for its creator's event to be resumed */
	enum sysexit_want want;
	int nr;                  /* the syscall of the pending exit stop */
	uint64_t args[6];
	int stream;              /* for WANT_WRITE and WANT_COPY: 1 or 2 */
	bool fork_inflight;      /* a fork it made was let through; its event not seen yet */
	bool clone_known;        /* clone_flags hold the flags of its last fork/clone entry */
	unsigned long clone_flags;
	char *exec_path;         /* saved at execve entry, committed at PTRACE_EVENT_EXEC */
	char **exec_argv;
	int exec_argc;
	struct inject inj;
	double held_until;       /* > 0: held in a stop until then, or until its parent dies (a new
	                            process, trace_opts.hold_children_ms), or until another child
	                            of its process ends (held_sig SIGCHLD, merge_sigchld_ms) */
	int held_sig;            /* the signal it is resumed with: SIGCHLD, or 0 */
	bool vforked;            /* made by vfork: its parent waits for it, it is never held */
	unsigned long held_deaths; /* its process's child_deaths when the SIGCHLD was held */
};

/* One traced process (thread group), from its creation until it is reaped. */
struct tproc {
	pid_t tgid;
	struct rec_proc *rec;
	int nthreads;            /* live tasks, leader included */
	bool dead;               /* its death has been seen (a zombie, or gone) */
	pid_t real_parent;       /* who would reap it: a pid, or forklab's own pid */
	bool killed_by_us;       /* forklab sent it SIGKILL */
	bool cpu_hit;            /* it got SIGXCPU */
	bool big_map;            /* it asked for an anonymous mapping of 1 MiB or more */
	bool released;           /* reaped (by anyone): no longer counts against the budget */
	bool all_writes;         /* the every-write filter is in it: every write stops */
	bool sigchld_merged;     /* its first SIGCHLD was held (trace_opts.merge_sigchld_ms) */
	bool waited;             /* it has called wait4 or waitid: its children are not held */
	unsigned long child_deaths; /* its children's deaths seen so far */
	/* 0 when its descriptor 1 or 2 was seen pointing at neither captured pipe, -1 when not
	 * known (indexed by descriptor; [0] unused): see write_stream() in trace_sys.c. */
	signed char std_stream[3];
};

/* The kinds of events the loop dispatches, from one waitpid() status. */
enum ev_kind {
	EV_DEATH,        /* a task died (WIFEXITED / WIFSIGNALED); a leader's is its process's */
	EV_SECCOMP,      /* PTRACE_EVENT_SECCOMP: a call our filter (or the program's) flagged */
	EV_SYSCALL_EXIT, /* the syscall-exit stop asked for at a seccomp stop */
	EV_NEWTASK,      /* PTRACE_EVENT_FORK / VFORK / CLONE in the creator */
	EV_EXEC,         /* PTRACE_EVENT_EXEC: an exec took effect */
	EV_EXIT,         /* PTRACE_EVENT_EXIT: a task is about to exit */
	EV_STOP,         /* PTRACE_EVENT_STOP: attach stop, group-stop, or interrupt */
	EV_SIGNAL,       /* signal-delivery-stop: the signal is about to be delivered */
	EV_OTHER,        /* anything else (e.g. VFORK_DONE): just resume */
};

struct event {
	enum ev_kind kind;
	pid_t tid;
	int status;
	int sig;         /* WSTOPSIG or the killing signal */
	int ptrace_ev;   /* status >> 16 for stops */
};

/* The tracer's clock tick: a per-thread timer signal that interrupts its blocking waitpid()
 * so it can read the output pipes, see SIGINT/SIGTERM and check the limits. A real-time signal
 * forklab owns during a run (its disposition is saved and restored around it). */
#define TICK_SIG (SIGRTMAX - 3)
#define TICK_MS 10

/* State of one run. */
struct tracer {
	const struct trace_opts *o;
	struct record *r;
	struct sandbox sb;
	struct timespec t0;
	unsigned long seq;        /* last sequence number handed out */
	pid_t self;
	pid_t self_pgrp;
	pid_t root;
	unsigned long long root_start; /* the root's start time: nothing of the run is older */
	struct pidmap tasks, procs;
	size_t nstrays;           /* tasks stopped before their creator's event named them */
	int live_procs;           /* processes not dead yet */
	int nheld;                /* tasks held at their first stop (held_until > 0) */
	int held_procs;           /* processes not reaped yet (zombies hold a pid too) */
	int inflight, live_threads, max_threads;
	int out_r, err_r, errpipe_r;
	unsigned long out_ino, err_ino;
	dev_t out_pty;            /* stdout_pty: the terminal's device number (out_ino is 0) */
	int sfd;                  /* signalfd: SIGINT, SIGTERM */
	bool root_dead;
	double root_exit_ms;
	bool stopping;            /* forklab ended the run: kill everything */
	double stop_ms;
	enum outcome stop_outcome;
	unsigned denials;
	double first_denial_ms;
	bool mem_hit, cpu_hit;
	char *mem_detail;
	size_t cap_bytes;         /* --max-output in bytes */
	size_t captured;          /* bytes read from the pipes */
	/* Captured bytes not yet given to the process whose call put them in the pipe, and how
	 * many calls into each stream are under way (between their entry and exit stops). */
	struct rec_buf unclaimed[3];
	int writing[3];
	bool root_execd;
	struct trace_ctl *ctl;    /* NULL without a driver */
};

/* The record's captured stream 1 (stdout) or 2 (stderr). */
static inline struct rec_buf *stream_buf(struct tracer *t, int stream)
{
	return stream == 2 ? &t->r->err : &t->r->out;
}

/* Times and sequence numbers on the record's clock. */
double tr_now_ms(const struct tracer *t);
unsigned long tr_seq(struct tracer *t);

/* trace_loop.c */
int loop_run(struct tracer *t);
/* The handler the run installs for TICK_SIG. */
void loop_tick_handler(struct sigaction *sa);
void loop_stop(struct tracer *t, enum outcome why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void loop_resume(pid_t tid, int sig);
void tr_release(struct tracer *t, struct tproc *p);
/* A fork the task made is no longer in flight (its event came, or it failed, or the task is
 * gone). */
void task_end_fork(struct tracer *t, struct task *tk);
/* Keeps n bytes of captured output (within the cap) in the record's stream and passes them to
 * the driver and on_output. Beyond the cap the output is flagged truncated and, unless at_end
 * (the run is over), the run is stopped. */
void loop_take_output(struct tracer *t, int stream, const char *buf, size_t n, bool at_end);
/* Reads what is waiting in the capture pipes into the record's streams (non-blocking). */
void loop_drain_pipes(struct tracer *t);
/* Recounts zombies that vanished unseen (auto-reaped); true when the budget has room. */
bool tr_budget_room(struct tracer *t);

/* trace_sys.c: the syscall stops */
/* Forgets where the process's descriptors 1 and 2 point (an exec, a new process). */
void proc_forget_streams(struct tproc *p);
void sys_on_seccomp(struct tracer *t, struct task *tk);
void sys_on_exit(struct tracer *t, struct task *tk);
void task_clear_exec(struct task *tk);
/* The task no longer waits for a syscall-exit stop (it is there, or gone). */
void task_clear_want(struct tracer *t, struct task *tk);

/* trace_mem.c: reading and changing a stopped tracee */
ssize_t mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
char *mem_read_string(pid_t tid, uint64_t addr, size_t max);
char **mem_read_argv(pid_t tid, uint64_t addr, int *argc);
/* Makes the syscall the tracee is stopped at (seccomp stop) fail with -err. */
int regs_skip_syscall(pid_t tid, int err);

/* trace_inject.c: stacking the every-write filter into a stopped task's process, at a seccomp
 * stop (at_exit false) or a syscall-exit stop. 0: under way, the task resumed; -1: it could
 * not be, and the process is being killed (the task resumed to die). */
int inject_start(struct tracer *t, struct task *tk, bool at_exit);
/* An event of a task with tk->inj.step != INJ_NONE: true when handled (the task resumed). */
bool inject_event(struct tracer *t, struct task *tk, const struct event *ev);
/* The task is gone: forget its injection. */
void inject_abort(struct task *tk);

/* trace_ctl.c: the driver thread */
int ctl_start(struct tracer *t);
void ctl_output(struct tracer *t, int stream, const char *data, size_t len);
void ctl_set_done(struct tracer *t);
bool ctl_running(struct tracer *t);
/* The loop is over: the driver must not wake the tracer's thread any more. */
void ctl_loop_over(struct tracer *t);
void ctl_cancel_and_join(struct tracer *t);
void ctl_helper_exited(struct tracer *t, pid_t pid, int status);
void ctl_free(struct tracer *t);

#endif
