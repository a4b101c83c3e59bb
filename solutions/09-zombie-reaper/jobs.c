/* jobs.c - lab 09: a long-running parent starts a short job every 50 ms and reaps each one as
 * soon as it ends, without ever blocking in wait() while its own loop has work to do. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 20
#define START_EVERY_MS 50   /* job i starts at i * 50 ms */
#define JOB_UNIT_MS 20      /* job i sleeps (N - i) * 20 ms */
#define TICK_MS 5           /* one round of the parent's own work */
#define GRACE_MS 1000       /* how long after the last job's end the parent gives up */

static volatile sig_atomic_t child_ended;   /* set by the SIGCHLD handler */

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "jobs: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* Milliseconds since some fixed point (the monotonic clock). */
static double now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		die("clock_gettime");
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Sleeps ms milliseconds; a signal may cut it short, which is fine for every caller. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (nanosleep(&ts, NULL) == -1 && errno != EINTR)
		die("nanosleep");
}

/* The parent's own work between checks for ended jobs: here it only waits one tick. */
static void do_own_work(void)
{
	sleep_ms(TICK_MS);
}

/* Job i of n: works for (n - i) * 20 ms and ends with status i. Does not return. */
static void run_job(int i, int n)
{
	sleep_ms((long)(n - i) * JOB_UNIT_MS);
	_exit(i);
}

/* Starts job i of n and returns its pid. */
static pid_t start_job(int i, int n)
{
	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0)
		run_job(i, n);
	return pid;
}

/* Prints the line for one reaped job. */
static void report_job(int i, pid_t pid, int status)
{
	printf("job %d (pid %d) exited with status %d\n", i, (int)pid, status);
	if (fflush(stdout) == EOF)
		die("fflush");
}

/* The index of pid in pids[0..n), or -1. */
static int job_index(const pid_t *pids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (pids[i] == pid)
			return i;
	return -1;
}

static void on_sigchld(int sig)
{
	(void)sig;
	child_ended = 1;
}

/* Makes SIGCHLD set child_ended. SA_RESTART: the parent's own calls are not cut short. */
static void watch_children(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigemptyset(&sa.sa_mask) == -1 || sigaction(SIGCHLD, &sa, NULL) == -1)
		die("sigaction");
}

/* Reaps every job that has ended by now, without blocking, and reports each one.
 * pids[0..n) are the jobs started so far. Returns how many it reaped. */
static int reap_finished(const pid_t *pids, int n)
{
	int reaped = 0, status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		report_job(job_index(pids, n, pid), pid, code);
		reaped++;
	}
	if (pid == -1 && errno != ECHILD)
		die("waitpid");
	return reaped;
}

/* N from the command line: a whole number from 1 to 20, else -1. */
static int parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > MAX_JOBS)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	int n = argc == 2 ? parse_count(argv[1]) : -1;
	pid_t pids[MAX_JOBS];
	int started = 0, reaped = 0;
	double give_up_at = 0;

	if (n < 0) {
		fprintf(stderr, "usage: jobs N   (N from 1 to %d)\n", MAX_JOBS);
		return 2;
	}
	watch_children();
	double t0 = now_ms();
	while (reaped < n) {
		if (started < n && now_ms() - t0 >= (double)START_EVERY_MS * started) {
			pids[started] = start_job(started, n);
			if (++started == n)
				give_up_at = now_ms() + JOB_UNIT_MS + GRACE_MS;
		}
		if (child_ended) {
			child_ended = 0;
			reaped += reap_finished(pids, started);
		}
		if (started == n && now_ms() > give_up_at) {
			fprintf(stderr, "jobs: gave up: %d of %d jobs reaped\n", reaped, n);
			return 1;
		}
		do_own_work();
	}
	printf("all %d jobs reaped\n", n);
	return 0;
}
