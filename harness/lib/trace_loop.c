/* trace_loop.c - the tracer's event loop: wait_event() turns one waitpid() status into an
 * event, dispatch_event() hands it to one handler per kind. Also the output pipes, the limits
 * that end a run, and stopping a run (kill everything, resume whatever sits in a stop). */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "procfs.h"
#include "record_build.h"
#include "trace_int.h"

#define KILL_GRACE_MS 3000.0  /* after forklab kills everything, how long tasks may take to go */
#define DRAIN_EVERY 32        /* events between two reads of the output pipes */
#define TIMEOUT_STOPS_WORTH_SAYING 10000 /* a timeout says how often the run stopped from here */

void loop_resume(pid_t tid, int sig)
{
	if (ptrace(PTRACE_CONT, tid, 0, sig) < 0 && errno != ESRCH)
		kill(tid, SIGKILL);
}

void tr_release(struct tracer *t, struct tproc *p)
{
	if (!p->released) {
		p->released = true;
		t->held_procs--;
	}
}

static void recheck_zombie(void *val, void *arg)
{
	struct tproc *p = val;
	struct tracer *t = arg;
	char st;
	if (p->dead && !p->released && (procfs_stat(p->tgid, NULL, NULL, &st) < 0 || st != 'Z'))
		tr_release(t, p);
}

bool tr_budget_room(struct tracer *t)
{
	if (t->held_procs + t->inflight < t->o->max_procs)
		return true;
	if (t->held_procs > t->live_procs) /* some are zombies: were any reaped unseen? */
		pidmap_each(&t->procs, recheck_zombie, t);
	return t->held_procs + t->inflight < t->o->max_procs;
}

/* ---- the task and process tables ---- */

static struct task *task_new(struct tracer *t, pid_t tid, struct tproc *p)
{
	struct task *tk = calloc(1, sizeof(*tk));
	if (!tk || pidmap_put(&t->tasks, tid, tk) < 0) {
		free(tk);
		return NULL;
	}
	tk->tid = tid;
	tk->proc = p;
	return tk;
}

void task_end_fork(struct tracer *t, struct task *tk)
{
	if (tk->fork_inflight) {
		tk->fork_inflight = false;
		t->inflight--;
	}
}

static void task_gone(struct tracer *t, struct task *tk)
{
	task_end_fork(t, tk);
	task_clear_want(t, tk);
	pidmap_del(&t->tasks, tk->tid);
	task_clear_exec(tk);
	inject_abort(tk);
	free(tk);
}

static struct tproc *proc_new(struct tracer *t, pid_t pid, struct rec_proc *parent,
			      pid_t real_parent)
{
	struct tproc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	/* A pid seen before belonged to a process nobody reaped visibly (SIGCHLD ignored). */
	struct tproc *old = pidmap_del(&t->procs, pid);
	if (old)
		tr_release(t, old);
	free(old);
	p->rec = record_add_proc(t->r, parent, pid, tr_now_ms(t), tr_seq(t));
	if (!p->rec || pidmap_put(&t->procs, pid, p) < 0) {
		free(p);
		return NULL;
	}
	p->tgid = pid;
	p->real_parent = real_parent;
	proc_forget_streams(p);
	p->nthreads = 1;
	t->live_procs++;
	t->held_procs++;
	if (t->live_procs > t->r->max_alive)
		t->r->max_alive = t->live_procs;
	return p;
}

/* ---- stopping a run ---- */

static void snap_end_fds(void *val, void *arg)
{
	struct tproc *p = val;
	(void)arg;
	if (!p->dead && !p->rec->end_fds.taken && procfs_read_fds(p->tgid, &p->rec->end_fds) < 0)
		memset(&p->rec->end_fds, 0, sizeof(p->rec->end_fds));
}

static void note_blocked(void *val, void *arg)
{
	struct tproc *p = val;
	(void)arg;
	if (p->dead)
		return;
	int nr = procfs_syscall_nr(p->tgid);
	char *name = nr >= 0 ? seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr) : NULL;
	char wchan[128];
	free(p->rec->blocked_in);
	free(p->rec->wchan);
	p->rec->blocked_in = name;
	p->rec->wchan = procfs_wchan(p->tgid, wchan, sizeof(wchan)) == 0 ? strdup(wchan) : NULL;
}

static void kill_proc(void *val, void *arg)
{
	struct tproc *p = val;
	(void)arg;
	if (p->dead)
		return;
	p->killed_by_us = true;
	kill(p->tgid, SIGKILL); /* a traced pid is not reused before forklab has waited for it */
}

static void kill_stray(void *val, void *arg)
{
	struct task *tk = val;
	(void)arg;
	if (!tk->proc)
		kill(tk->tid, SIGKILL);
}

/* Names up to three live processes, "P.1 (4242), P.2 (4243)", for a detail line. */
struct names { char buf[160]; int n; };
static void name_live(void *val, void *arg)
{
	struct tproc *p = val;
	struct names *nm = arg;
	if (p->dead)
		return;
	size_t len = strlen(nm->buf);
	if (nm->n == 3)
		snprintf(nm->buf + len, sizeof(nm->buf) - len, ", ...");
	else if (nm->n < 3)
		snprintf(nm->buf + len, sizeof(nm->buf) - len, "%s%s (%d)", nm->n ? ", " : "",
			 p->rec->name, (int)p->tgid);
	nm->n++;
}

void loop_stop(struct tracer *t, enum outcome why, const char *fmt, ...)
{
	if (t->stopping)
		return;
	t->stopping = true;
	t->stop_ms = tr_now_ms(t);
	t->stop_outcome = why;
	va_list ap;
	va_start(ap, fmt);
	record_vset_detail(t->r, fmt, ap);
	va_end(ap);
	/* What each survivor held open and where it was blocked, before it goes (lab 07 names
	 * the leaked pipe end, lab 14 the lock a forked child waits for). */
	pidmap_each(&t->procs, snap_end_fds, NULL);
	pidmap_each(&t->procs, note_blocked, NULL);
	pidmap_each(&t->procs, kill_proc, NULL);
	pidmap_each(&t->tasks, kill_stray, NULL);
	ctl_set_done(t);
}

/* ---- output pipes ---- */

void loop_take_output(struct tracer *t, int stream, const char *buf, size_t n, bool at_end)
{
	size_t keep = n;
	if (t->captured + n > t->cap_bytes) {
		keep = t->cap_bytes > t->captured ? t->cap_bytes - t->captured : 0;
		if (!t->r->output_truncated) {
			t->r->output_truncated = true;
			if (!at_end)
				loop_stop(t, OUT_OUTPUT_LIMIT, "output-limit: more than %zu KiB on "
					  "stdout and stderr", t->o->max_output_kib);
		}
	}
	t->captured += keep;
	/* Kept for the call that wrote them (trace_sys.c claims them at its exit stop). */
	if (keep && rec_buf_append(&t->unclaimed[stream], buf, keep) < 0)
		t->unclaimed[stream].len = 0;
	if (keep) {
		ctl_output(t, stream, buf, keep);
		if (t->o->on_output)
			t->o->on_output(stream, buf, keep, t->o->on_output_arg);
	}
}

/* Reads what is waiting in one pipe (non-blocking); closes it at end-of-file. */
static void drain_pipe(struct tracer *t, int *fd, int stream)
{
	char buf[65536];
	for (int i = 0; *fd >= 0 && i < 16; i++) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			loop_take_output(t, stream, buf, (size_t)n, false);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			close(*fd);
			*fd = -1;
		}
		break;
	}
}

void loop_drain_pipes(struct tracer *t)
{
	drain_pipe(t, &t->out_r, 1);
	drain_pipe(t, &t->err_r, 2);
}

/* ---- events ---- */

/* One waitpid() status as an event. */
static void classify(struct event *ev, pid_t tid, int status)
{
	ev->tid = tid;
	ev->status = status;
	ev->ptrace_ev = 0;
	ev->sig = 0;
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		ev->kind = EV_DEATH;
		ev->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		return;
	}
	ev->sig = WSTOPSIG(status);
	ev->ptrace_ev = status >> 16;
	if (ev->sig == (SIGTRAP | 0x80)) {
		ev->kind = EV_SYSCALL_EXIT;
		return;
	}
	switch (ev->ptrace_ev) {
	case 0: ev->kind = EV_SIGNAL; break;
	case PTRACE_EVENT_SECCOMP: ev->kind = EV_SECCOMP; break;
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		ev->kind = EV_NEWTASK; break;
	case PTRACE_EVENT_EXEC: ev->kind = EV_EXEC; break;
	case PTRACE_EVENT_EXIT: ev->kind = EV_EXIT; break;
	case PTRACE_EVENT_STOP: ev->kind = EV_STOP; break;
	default: ev->kind = EV_OTHER; break;
	}
}

/* A zombie that forklab adopted (its parent died first) was reaped by forklab's waitpid. */
static void forklab_reaps(struct tracer *t, struct tproc *p, bool adopted)
{
	struct rec_proc *r = p->rec;
	/* (adopted as a zombie when its parent died after it: not an orphan) */
	if (adopted && !r->adopted_by)
		r->adopted_by = REC_FORKLAB;
	r->reaped_by = REC_FORKLAB;
	r->reaped_ms = tr_now_ms(t);
	r->reaped_seq = tr_seq(t);
	tr_release(t, p);
	pidmap_del(&t->procs, p->tgid);
	free(p);
}

/* When a process dies, its children that are still alive or zombies get a new parent. Only the
 * ones still running are orphans; a zombie is adopted only to be reaped. */
static void orphan_children(struct tracer *t, struct tproc *p)
{
	struct rec_proc *r = p->rec;
	for (size_t i = 0; i < r->nchildren; i++) {
		struct rec_proc *c = r->children[i];
		struct tproc *cp = pidmap_get(&t->procs, c->pid);
		if (!cp || cp->rec != c || c->reaped_by || cp->real_parent != p->tgid)
			continue;
		pid_t ppid;
		if (procfs_stat(c->pid, &ppid, NULL, NULL) < 0)
			continue; /* released already: reaped by forklab as soon as it died */
		if (!cp->dead) {
			c->orphaned = true;
			c->orphaned_ms = tr_now_ms(t);
		}
		c->adopted_by = ppid == t->self ? REC_FORKLAB : ppid;
		cp->real_parent = ppid;
	}
}

/* Did the believed parent die (so the kernel handed this process to a subreaper)? */
static bool parent_gone(struct tracer *t, pid_t ppid)
{
	struct tproc *pp = pidmap_get(&t->procs, ppid);
	if (pp)
		return pp->dead;
	char st;
	return procfs_stat(ppid, NULL, NULL, &st) < 0 || st == 'Z' || st == 'X';
}

/* A creator killed between its fork and the fork's event never names its child: when a
 * process dies, strays whose parent is that process are recorded as its children. */
struct stray_scan { struct tproc *dead; struct task *found[16]; int n; };

static void find_orphan_stray(void *val, void *arg)
{
	struct task *tk = val;
	struct stray_scan *s = arg;
	pid_t ppid;
	if (tk->proc || !tk->stray_stopped || s->n == 16)
		return;
	if (procfs_stat(tk->tid, &ppid, NULL, NULL) == 0 && ppid == s->dead->tgid)
		s->found[s->n++] = tk;
}

static void adopt_strays(struct tracer *t, struct tproc *dead)
{
	struct stray_scan s = { .dead = dead };
	pidmap_each(&t->tasks, find_orphan_stray, &s);
	for (int i = 0; i < s.n; i++) {
		struct task *tk = s.found[i];
		struct tproc *np = proc_new(t, tk->tid, dead->rec, dead->tgid);
		if (!np) {
			kill(tk->tid, SIGKILL);
		} else {
			tk->proc = np;
			if (t->stopping) {
				np->killed_by_us = true;
				kill(tk->tid, SIGKILL);
			}
		}
		tk->stray_stopped = false;
		t->nstrays--;
		loop_resume(tk->tid, 0);
	}
}

static void on_proc_death(struct tracer *t, struct tproc *p, const struct event *ev)
{
	struct rec_proc *r = p->rec;
	p->dead = true;
	t->live_procs--;
	r->exited = true;
	r->exit_code = WIFEXITED(ev->status) ? WEXITSTATUS(ev->status) : 0;
	r->exit_signal = WIFSIGNALED(ev->status) ? WTERMSIG(ev->status) : 0;
	r->killed_by_forklab = p->killed_by_us && r->exit_signal == SIGKILL;
	r->exited_ms = tr_now_ms(t);
	r->exited_seq = tr_seq(t);
	if (r->exit_signal == SIGXCPU || (r->exit_signal == SIGKILL && p->cpu_hit &&
					  !p->killed_by_us))
		t->cpu_hit = true;
	if (t->nstrays)
		adopt_strays(t, p);
	if (p->tgid == t->root) {
		t->root_dead = true;
		t->root_exit_ms = r->exited_ms;
	}
	struct tproc *parent = pidmap_get(&t->procs, p->real_parent);
	if (parent)
		parent->child_deaths++;
	orphan_children(t, p);
	/* forklab's own child (the root, or adopted): its waitpid just reaped it. Otherwise it
	 * stays a zombie for its parent, whose wait call records the reap - unless that parent
	 * died just before (not processed yet) and forklab, adopting it, already reaped it. */
	if (p->real_parent == t->self)
		forklab_reaps(t, p, p->tgid != t->root);
	else if (parent_gone(t, p->real_parent) && procfs_stat(p->tgid, NULL, NULL, NULL) < 0)
		forklab_reaps(t, p, true);
}

static void on_death(struct tracer *t, const struct event *ev)
{
	struct task *tk = pidmap_get(&t->tasks, ev->tid);
	if (!tk) {
		struct tproc *p = pidmap_get(&t->procs, ev->tid);
		if (p && p->dead)
			forklab_reaps(t, p, true); /* second report: as its adoptive parent */
		else
			ctl_helper_exited(t, ev->tid, ev->status); /* a driver's helper, if any */
		return;
	}
	struct tproc *p = tk->proc;
	if (tk->held_until > 0)
		t->nheld--; /* killed while held */
	task_gone(t, tk);
	if (!p)
		return;
	p->nthreads--;
	if (ev->tid != p->tgid) {
		t->live_threads--;
		return;
	}
	on_proc_death(t, p, ev);
}

/* The parent a new process's getppid() names, while it could still end before its child
 * runs: alive, and not waiting for its children (a parent in wait4 ends only after one). */
static struct tproc *live_parent(struct tracer *t, const struct task *tk)
{
	struct tproc *p = tk->proc ? pidmap_get(&t->procs, tk->proc->real_parent) : NULL;
	return p && !p->dead && !p->waited ? p : NULL;
}

/* The first resume of a task: a new process waits there for its parent's death when
 * hold_children_ms asks for it (threads, vfork children and the root never wait). */
static void start_task(struct tracer *t, struct task *tk)
{
	if (t->o->hold_children_ms > 0 && !t->stopping && tk->proc && tk->tid == tk->proc->tgid &&
	    !tk->vforked && live_parent(t, tk)) {
		tk->held_until = tr_now_ms(t) + t->o->hold_children_ms;
		t->nheld++;
		return;
	}
	loop_resume(tk->tid, 0);
}

static bool has_live_child(const struct tproc *p)
{
	for (size_t i = 0; i < p->rec->nchildren; i++)
		if (!p->rec->children[i]->exited)
			return true;
	return false;
}

/* The first SIGCHLD a process gets while another of its children still runs, held with the
 * process stopped at its delivery (merge_sigchld_ms): it goes on once another child has ended,
 * whose SIGCHLD is then pending and merges with it, as two children ending while their parent
 * waits for a CPU. */
static bool hold_sigchld(struct tracer *t, struct task *tk, int sig)
{
	struct tproc *p = tk->proc;
	if (t->o->merge_sigchld_ms <= 0 || sig != SIGCHLD || !p || p->sigchld_merged ||
	    t->stopping || tk->held_until > 0 || !has_live_child(p))
		return false;
	p->sigchld_merged = true;
	tk->held_until = tr_now_ms(t) + t->o->merge_sigchld_ms;
	tk->held_sig = SIGCHLD;
	tk->held_deaths = p->child_deaths;
	t->nheld++;
	return true;
}

static void release_if_due(void *val, void *arg)
{
	struct task *tk = val;
	struct tracer *t = arg;
	if (tk->held_until <= 0)
		return;
	bool due = t->stopping || tr_now_ms(t) >= tk->held_until ||
		   (tk->held_sig ? tk->proc->child_deaths > tk->held_deaths : !live_parent(t, tk));
	if (due) {
		int sig = tk->held_sig;
		tk->held_until = 0;
		tk->held_sig = 0;
		t->nheld--;
		loop_resume(tk->tid, sig);
	}
}

/* Lets held tasks go once their time is up, or: a new process once its parent has died (it is
 * then the adopter's) or waits; a held SIGCHLD once another child of its process has ended. */
static void release_held(struct tracer *t)
{
	if (t->nheld > 0)
		pidmap_each(&t->tasks, release_if_due, t);
}

/* The creator's PTRACE_EVENT_FORK/VFORK/CLONE names its new task. */
static void on_newtask(struct tracer *t, struct task *tk, const struct event *ev)
{
	unsigned long msg = 0;
	task_end_fork(t, tk);
	if (ptrace(PTRACE_GETEVENTMSG, tk->tid, 0, &msg) < 0 || msg == 0) {
		/* The creator died under us (a SIGKILL between its stop and this call): no pid to
		 * name. Its child, if any, is a stray that adopt_strays takes care of. */
		loop_resume(tk->tid, 0);
		return;
	}
	pid_t nt = (pid_t)msg;
	bool vfork = ev->ptrace_ev == PTRACE_EVENT_VFORK ||
		     (tk->clone_known && (tk->clone_flags & CLONE_VFORK));
	bool thread = ev->ptrace_ev == PTRACE_EVENT_CLONE &&
		(tk->clone_known ? (tk->clone_flags & CLONE_THREAD) != 0
				 : procfs_tgid(nt) == tk->proc->tgid);
	unsigned long flags = tk->clone_known ? tk->clone_flags : 0;
	tk->clone_known = false;
	struct task *child = pidmap_get(&t->tasks, nt);
	if (!child)
		child = task_new(t, nt, NULL);
	if (!child) {
		kill(nt, SIGKILL);
		loop_resume(tk->tid, 0);
		return;
	}
	child->vforked = vfork;
	if (thread) {
		child->proc = tk->proc;
		tk->proc->nthreads++;
		t->live_threads++;
		record_add_thread(tk->proc->rec, tr_now_ms(t));
	} else {
		pid_t real_parent = (flags & CLONE_PARENT) ? tk->proc->real_parent : tk->proc->tgid;
		struct tproc *np = proc_new(t, nt, tk->proc->rec, real_parent);
		if (!np) {
			kill(nt, SIGKILL);
		} else {
			child->proc = np;
			np->big_map = tk->proc->big_map; /* the copy holds the same mappings */
			np->all_writes = tk->proc->all_writes; /* and the same filters */
			np->rec->all_writes_traced = np->all_writes;
			if (t->o->snap_fds && procfs_read_fds(tk->tid, &np->rec->parent_fds) < 0)
				memset(&np->rec->parent_fds, 0, sizeof(np->rec->parent_fds));
		}
	}
	if (t->stopping) {
		if (child->proc && child->proc->rec != NULL && !thread)
			child->proc->killed_by_us = true;
		kill(nt, SIGKILL);
	}
	if (child->stray_stopped) {
		child->stray_stopped = false;
		t->nstrays--;
		start_task(t, child);
	}
	loop_resume(tk->tid, 0);
}

static void on_exec(struct tracer *t, struct task *tk)
{
	if (tk->proc) {
		tk->proc->big_map = false; /* a new address space */
		proc_forget_streams(tk->proc); /* and close-on-exec descriptors closed */
	}
	unsigned long former = 0;
	if (ptrace(PTRACE_GETEVENTMSG, tk->tid, 0, &former) < 0)
		former = (unsigned long)tk->tid; /* gone meanwhile: nothing to take over */
	if ((pid_t)former != tk->tid) {
		/* A non-leader thread exec'd: it took over the leader's tid silently. */
		struct task *ft = pidmap_get(&t->tasks, (pid_t)former);
		if (ft) {
			task_clear_exec(tk);
			tk->exec_path = ft->exec_path;
			tk->exec_argv = ft->exec_argv;
			tk->exec_argc = ft->exec_argc;
			ft->exec_path = NULL;
			ft->exec_argv = NULL;
			if (ft->proc)
				ft->proc->nthreads--;
			t->live_threads--;
			task_gone(t, ft);
		}
	}
	struct rec_proc *r = tk->proc->rec;
	char *path = tk->exec_path;
	tk->exec_path = NULL;
	if (tk->tid == t->root && !t->root_execd) {
		free(path);
		path = strdup(t->sb.exe_path);
	} else if (!path) {
		char exe[4096];
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)tk->tid);
		ssize_t n = readlink(link, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		path = strdup(exe);
	}
	char **argv = tk->exec_argv;
	int argc = tk->exec_argc;
	tk->exec_argv = NULL;
	if (!argv)
		argv = calloc(1, sizeof(char *));
	struct rec_fdset fds;
	if (procfs_read_fds(tk->tid, &fds) < 0)
		memset(&fds, 0, sizeof(fds));
	if (!record_add_exec(r, tr_now_ms(t), tr_seq(t), path, argv, argc, &fds)) {
		free(path);
		for (int i = 0; argv && argv[i]; i++)
			free(argv[i]);
		free(argv);
		rec_fdset_free(&fds);
	}
	task_clear_exec(tk);
	if (tk->tid == t->root && !t->root_execd) {
		t->root_execd = true;
		if (t->o->driver && ctl_start(t) < 0)
			loop_stop(t, OUT_INTERRUPTED, "cannot start the driver thread");
	}
	loop_resume(tk->tid, 0);
}

/* The process's memory as one of its tasks exits (the last one to exit leaves the final
 * figures). Reading smaps_rollup walks the page tables: only for processes that hold a big
 * mapping (the memory labs), or every process when asked. */
static void note_memory(struct tracer *t, struct task *tk)
{
	struct tproc *p = tk->proc;
	if (!p || !(p->big_map || t->o->mem_at_exit))
		return;
	long long kib = procfs_private_dirty_kib(tk->tid);
	long long flt = procfs_minflt(p->tgid);
	if (flt < 0)
		flt = procfs_minflt(tk->tid);
	if (kib >= 0)
		p->rec->private_dirty_kib = kib;
	if (flt >= 0)
		p->rec->minflt = flt;
}

static void on_exit_stop(struct tracer *t, struct task *tk)
{
	task_end_fork(t, tk);
	task_clear_want(t, tk);
	note_memory(t, tk);
	/* The mm is still there at this stop: a peak near the limit means an allocation failed.
	 * Only a process that made big anonymous mappings can have grown that far (brk alone
	 * ends in malloc's mmap fallback, which stops at the filter): others are not read. */
	if (tk->proc && tk->tid == tk->proc->tgid && tk->proc->big_map && !t->mem_hit) {
		long long peak = procfs_vmpeak(tk->tid);
		long long limit = (long long)t->o->mem_mib << 20;
		if (peak > 0 && peak + (64LL << 20) >= limit) {
			t->mem_hit = true;
			free(t->mem_detail);
			if (asprintf(&t->mem_detail, "mem-limit: %s (%d) reached %lld MiB of %zu MiB",
				     tk->proc->rec->name, (int)tk->tid, peak >> 20, t->o->mem_mib) < 0)
				t->mem_detail = NULL;
		}
	}
	loop_resume(tk->tid, 0);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_stop(struct tracer *t, struct task *tk, const struct event *ev)
{
	if (!tk->attached) {
		tk->attached = true; /* the attach stop of a new task, or of the root at SEIZE */
		start_task(t, tk);
		return;
	}
	if (is_stop_signal(ev->sig)) {
		/* A group-stop: stay stopped (as without a tracer) but keep reporting events. */
		if (ptrace(PTRACE_LISTEN, tk->tid, 0, 0) < 0 && errno != ESRCH)
			loop_resume(tk->tid, 0);
		return;
	}
	loop_resume(tk->tid, 0);
}

static void on_signal(struct tracer *t, struct task *tk, const struct event *ev)
{
	if (ev->sig == SIGXCPU && tk->proc)
		tk->proc->cpu_hit = true;
	if (hold_sigchld(t, tk, ev->sig))
		return;
	loop_resume(tk->tid, ev->sig);
}

/* A stop from a task not in the table: a new task whose creator's event is still to come. */
static void on_stray(struct tracer *t, const struct event *ev)
{
	struct task *tk = task_new(t, ev->tid, NULL);
	if (!tk || t->stopping) {
		kill(ev->tid, SIGKILL);
		loop_resume(ev->tid, 0);
		return;
	}
	tk->attached = true;
	if (ev->kind == EV_STOP) {
		tk->stray_stopped = true; /* resumed once the creator's event names it */
		t->nstrays++;
	} else {
		loop_resume(ev->tid, 0);
	}
}

static void dispatch_event(struct tracer *t, const struct event *ev)
{
	if (ev->kind == EV_DEATH) {
		on_death(t, ev);
		return;
	}
	struct task *tk = pidmap_get(&t->tasks, ev->tid);
	if (!tk) {
		on_stray(t, ev);
		return;
	}
	if (!tk->proc) {
		/* A stray that moves before it is named (e.g. SIGKILLed): let it go on. */
		if (tk->stray_stopped)
			t->nstrays--;
		tk->stray_stopped = false;
		loop_resume(ev->tid, ev->kind == EV_SIGNAL ? ev->sig : 0);
		return;
	}
	tk->proc->rec->stops++;
	if (tk->inj.step != INJ_NONE && inject_event(t, tk, ev))
		return;
	switch (ev->kind) {
	case EV_SECCOMP: sys_on_seccomp(t, tk); break;
	case EV_SYSCALL_EXIT: sys_on_exit(t, tk); break;
	case EV_NEWTASK: on_newtask(t, tk, ev); break;
	case EV_EXEC: on_exec(t, tk); break;
	case EV_EXIT: on_exit_stop(t, tk); break;
	case EV_STOP: on_stop(t, tk, ev); break;
	case EV_SIGNAL: on_signal(t, tk, ev); break;
	default: loop_resume(ev->tid, 0); break;
	}
}

/* ---- limits and the end of a run ---- */

static void check_limits(struct tracer *t)
{
	if (t->stopping)
		return;
	double now = tr_now_ms(t);
	struct names nm = { "", 0 };
	if (now >= t->o->timeout_s * 1000.0) {
		pidmap_each(&t->procs, name_live, &nm);
		/* A program slow only because it stopped so often should hear why. */
		unsigned long stops = 0;
		for (size_t i = 0; i < t->r->nprocs; i++)
			stops += t->r->procs[i]->stops;
		char why[192] = "";
		if (stops >= TIMEOUT_STOPS_WORTH_SAYING)
			snprintf(why, sizeof(why),
				 "; forklab stopped its processes %lu times (at every write to stdout "
				 "or stderr, fork, exec and wait): so many such calls run far slower "
				 "traced than alone", stops);
		loop_stop(t, OUT_TIMEOUT, "timeout: still running after %.1f s: %s%s",
			  t->o->timeout_s, nm.n ? nm.buf : "(driver)", why);
		return;
	}
	if (t->root_dead && t->o->linger_s >= 0 && t->live_procs > 0 &&
	    now - t->root_exit_ms >= t->o->linger_s * 1000.0) {
		pidmap_each(&t->procs, name_live, &nm);
		loop_stop(t, OUT_LINGER, "linger: %s still alive %.1f s after P exited", nm.buf,
			  (now - t->root_exit_ms) / 1000.0);
	}
}

static void read_signals(struct tracer *t)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	while ((n = read(t->sfd, si, sizeof(si))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(*si); i++)
			if (si[i].ssi_signo == SIGINT || si[i].ssi_signo == SIGTERM)
				loop_stop(t, OUT_INTERRUPTED, "interrupted by %s",
					  si[i].ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
}

/* Over when every task is gone and the driver (if any) has returned; a stopped run does not
 * wait for its driver (trace_run cancels it). */
static bool finished(struct tracer *t)
{
	if (t->tasks.n > 0)
		return false;
	/* Zombies handed to forklab as the last processes died are still to be reaped. */
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		struct event ev;
		classify(&ev, pid, status);
		dispatch_event(t, &ev);
	}
	if (t->tasks.n > 0)
		return false;
	loop_drain_pipes(t);
	ctl_set_done(t);
	return t->stopping || !ctl_running(t);
}

static volatile sig_atomic_t ticked;

/* The tick's handler: only notes it (the interrupted waitpid() returns EINTR). */
static void on_tick(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	ticked = 1;
}

void loop_tick_handler(struct sigaction *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_sigaction = on_tick;
	sa->sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid() must give up */
	sigemptyset(&sa->sa_mask);
}

/* Starts the tick for this thread and unblocks its signal here (only here). */
static int tick_start(timer_t *tm)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = TICK_SIG;
	sev._sigev_un._tid = gettid();
	struct itimerspec its = { { 0, TICK_MS * 1000000L }, { 0, TICK_MS * 1000000L } };
	if (timer_create(CLOCK_MONOTONIC, &sev, tm) < 0)
		return -1;
	if (timer_settime(*tm, 0, &its, NULL) < 0) {
		timer_delete(*tm);
		return -1;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, TICK_SIG);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

static void tick_stop(timer_t tm)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, TICK_SIG);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	timer_delete(tm);
	/* A tick that fired after the block would stay pending, and be delivered with the
	 * caller's own disposition (for a real-time signal: death) once the mask is restored. */
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
}

/* Waits for the next event, blocking in waitpid(): a tracee's stop wakes this thread directly,
 * which is what makes fork-heavy programs cheap to trace. Returns 1 with an event, 0 when
 * interrupted by the tick (or there is nothing to wait for yet), -1 when tasks vanished. */
static int wait_event(struct tracer *t, struct event *ev)
{
	int status;
	pid_t pid = waitpid(-1, &status, __WALL);
	if (pid > 0) {
		classify(ev, pid, status);
		return 1;
	}
	if (errno == ECHILD) {
		if (t->tasks.n > 0)
			return -1;
		/* Only a driver left to wait for: sleep until the next tick. */
		struct timespec ts = { 0, TICK_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
	return 0;
}

int loop_run(struct tracer *t)
{
	timer_t tm;
	if (tick_start(&tm) < 0)
		return -1;
	unsigned long n = 0;
	ticked = 1;
	for (;;) {
		if (ticked) {
			ticked = 0;
			read_signals(t);
			loop_drain_pipes(t);
		} else if (n % DRAIN_EVERY == 0) {
			loop_drain_pipes(t);
		}
		check_limits(t);
		release_held(t);
		if (finished(t))
			break;
		if (t->stopping && tr_now_ms(t) > t->stop_ms + KILL_GRACE_MS)
			break; /* the sweep takes over */
		struct event ev;
		int got = wait_event(t, &ev);
		if (got < 0)
			break; /* no children at all, yet tasks are listed: they vanished unseen */
		if (got == 1) {
			dispatch_event(t, &ev);
			n++;
		}
	}
	ctl_loop_over(t);
	tick_stop(tm);
	return 0;
}
