/* trace_ctl.c - the driver API: a grader's thread that talks to the running program (reads its
 * output lines as they come, signals it, runs helpers such as curl). The event loop owns the
 * record; the driver sees the captured output through a mutex and condition variable. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "record_build.h"
#include "trace_int.h"

#define MAX_HELPERS 64

struct helper {
	pid_t pid;
	int status;
	bool exited;
};

struct trace_ctl {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct tracer *t;
	pthread_t thread;
	bool started, running;
	bool done;            /* every traced process has ended, or the run was stopped */
	bool cancel;          /* the run is over: every call fails at once */
	pid_t tracer_tid;     /* the tracer's thread, woken when the driver returns; 0 once its
				 loop is over (a late wake-up would outlive the run's handler) */
	int root_pidfd;
	size_t cursor[3];     /* where the next wait_line search starts, per stream */
	struct helper helpers[MAX_HELPERS];
	size_t nhelpers;
};

extern char **environ;

static void deadline_in(struct timespec *ts, double s)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	double whole = (double)(long long)s;
	ts->tv_sec += (time_t)whole;
	ts->tv_nsec += (long)((s - whole) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *driver_main(void *arg)
{
	struct trace_ctl *c = arg;
	/* A program the driver talks to may die mid-conversation: EPIPE, not a dead forklab. */
	sigset_t pipe;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	c->t->o->driver(c, c->t->o->driver_arg);
	pthread_mutex_lock(&c->mu);
	c->running = false;
	/* Wake the tracer now rather than at its next tick. */
	if (c->tracer_tid > 0)
		syscall(SYS_tgkill, getpid(), c->tracer_tid, TICK_SIG);
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int ctl_start(struct tracer *t)
{
	struct trace_ctl *c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	c->t = t;
	c->tracer_tid = gettid();
	c->root_pidfd = (int)syscall(SYS_pidfd_open, t->root, 0);
	c->running = true;
	t->ctl = c;
	/* The thread inherits this thread's mask: SIGCHLD stays blocked in it too, and so must
	 * the tracer's tick (it is aimed at the tracer's thread only, but to be sure). */
	sigset_t tick, old;
	sigemptyset(&tick);
	sigaddset(&tick, TICK_SIG);
	pthread_sigmask(SIG_BLOCK, &tick, &old);
	int rc = pthread_create(&c->thread, NULL, driver_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		c->running = false;
		return -1;
	}
	c->started = true;
	return 0;
}

void ctl_output(struct tracer *t, int stream, const char *data, size_t len)
{
	struct rec_buf *b = stream_buf(t, stream);
	struct trace_ctl *c = t->ctl;
	if (!c) {
		rec_buf_append(b, data, len);
		return;
	}
	pthread_mutex_lock(&c->mu);
	rec_buf_append(b, data, len);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void ctl_set_done(struct tracer *t)
{
	struct trace_ctl *c = t->ctl;
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->done = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

bool ctl_running(struct tracer *t)
{
	struct trace_ctl *c = t->ctl;
	if (!c)
		return false;
	pthread_mutex_lock(&c->mu);
	bool r = c->running;
	pthread_mutex_unlock(&c->mu);
	return r;
}

void ctl_loop_over(struct tracer *t)
{
	struct trace_ctl *c = t->ctl;
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->tracer_tid = 0;
	pthread_mutex_unlock(&c->mu);
}

void ctl_helper_exited(struct tracer *t, pid_t pid, int status)
{
	struct trace_ctl *c = t->ctl;
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->nhelpers; i++)
		if (c->helpers[i].pid == pid && !c->helpers[i].exited) {
			c->helpers[i].exited = true;
			c->helpers[i].status = status;
		}
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void ctl_cancel_and_join(struct tracer *t)
{
	struct trace_ctl *c = t->ctl;
	if (!c || !c->started)
		return;
	pthread_mutex_lock(&c->mu);
	c->cancel = true;
	c->done = true;
	pthread_cond_broadcast(&c->cv);
	for (size_t i = 0; i < c->nhelpers; i++)
		if (!c->helpers[i].exited)
			kill(c->helpers[i].pid, SIGKILL); /* not reaped yet: the pid is still its */
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	c->started = false;
	/* Reap the helpers the loop did not see end. */
	for (size_t i = 0; i < c->nhelpers; i++) {
		if (c->helpers[i].exited)
			continue;
		int st;
		for (int tries = 0; tries < 200; tries++) {
			pid_t r = waitpid(c->helpers[i].pid, &st, WNOHANG);
			if (r != 0)
				break;
			kill(c->helpers[i].pid, SIGKILL);
			usleep(5000);
		}
		c->helpers[i].exited = true;
	}
}

void ctl_free(struct tracer *t)
{
	struct trace_ctl *c = t->ctl;
	if (!c)
		return;
	if (c->root_pidfd >= 0)
		close(c->root_pidfd);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
	t->ctl = NULL;
}

/* ---- the calls a driver makes (from its own thread) ---- */

/* Finds, from the stream's cursor, a complete line containing needle. */
static bool find_line(struct trace_ctl *c, int stream, const char *needle, char *line,
		      size_t linelen)
{
	const struct rec_buf *b = stream_buf(c->t, stream);
	size_t pos = c->cursor[stream];
	while (pos < b->len) {
		const char *start = b->data + pos;
		const char *nl = memchr(start, '\n', b->len - pos);
		if (!nl)
			return false;
		size_t n = (size_t)(nl - start);
		if (memmem(start, n, needle, strlen(needle))) {
			if (line && linelen) {
				size_t k = n < linelen - 1 ? n : linelen - 1;
				memcpy(line, start, k);
				line[k] = '\0';
			}
			c->cursor[stream] = pos + n + 1;
			return true;
		}
		pos += n + 1;
	}
	return false;
}

int trace_ctl_wait_line(struct trace_ctl *c, int stream, const char *needle, double timeout_s,
			char *line, size_t linelen)
{
	if (!c || (stream != 1 && stream != 2) || !needle)
		return -1;
	struct timespec dl;
	deadline_in(&dl, timeout_s > 0 ? timeout_s : 0);
	pthread_mutex_lock(&c->mu);
	int rc = -1;
	for (;;) {
		if (c->cancel)
			break;
		if (find_line(c, stream, needle, line, linelen)) {
			rc = 0;
			break;
		}
		if (c->done)
			break; /* all output is in: it will never come */
		if (pthread_cond_timedwait(&c->cv, &c->mu, &dl) == ETIMEDOUT) {
			if (find_line(c, stream, needle, line, linelen))
				rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int trace_ctl_signal_root(struct trace_ctl *c, int sig)
{
	if (!c || c->cancel || c->root_pidfd < 0)
		return -1;
	return (int)syscall(SYS_pidfd_send_signal, c->root_pidfd, sig, NULL, 0);
}

pid_t trace_ctl_spawn(struct trace_ctl *c, char *const argv[], int out_fd)
{
	if (!c || !argv || !argv[0])
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	pid_t pid = -1;
	/* Under the lock: the loop may reap it before we have listed it otherwise. */
	pthread_mutex_lock(&c->mu);
	if (!c->cancel && c->nhelpers < MAX_HELPERS &&
	    posix_spawnp(&pid, argv[0], &fa, &at, argv, environ) == 0) {
		c->helpers[c->nhelpers++] = (struct helper){ .pid = pid };
	} else {
		pid = -1;
	}
	pthread_mutex_unlock(&c->mu);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return pid;
}

int trace_ctl_wait_helper(struct trace_ctl *c, pid_t pid, double timeout_s, int *status)
{
	if (!c)
		return -1;
	struct timespec dl;
	deadline_in(&dl, timeout_s > 0 ? timeout_s : 0);
	pthread_mutex_lock(&c->mu);
	struct helper *h = NULL;
	for (size_t i = 0; i < c->nhelpers; i++)
		if (c->helpers[i].pid == pid)
			h = &c->helpers[i];
	int rc = -1;
	while (h) {
		if (h->exited) {
			if (status)
				*status = h->status;
			rc = 0;
			break;
		}
		if (c->cancel || pthread_cond_timedwait(&c->cv, &c->mu, &dl) == ETIMEDOUT) {
			kill(pid, SIGKILL); /* not reaped yet (exited is false): the pid is its */
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

bool trace_ctl_done(struct trace_ctl *c)
{
	if (!c)
		return true;
	pthread_mutex_lock(&c->mu);
	bool d = c->done;
	pthread_mutex_unlock(&c->mu);
	return d;
}

double trace_ctl_now_ms(struct trace_ctl *c)
{
	return c ? tr_now_ms(c->t) : 0;
}
