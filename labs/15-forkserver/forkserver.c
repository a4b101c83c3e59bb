/* forkserver.c - lab 15: a parent that will run threads starts a fork server first, by fork +
 * exec of its own program, and later asks that clean, single-threaded server for its workers.
 * One program, two roles: `forkserver N` is the parent, `forkserver --server` the server. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 20
/* Where the server finds its end of the channel: a fixed number, since the server's argv is
 * fixed, and above the descriptors a program opens early, so that dup2() never lands on one of
 * the channel's own descriptors. */
#define SERVER_FD 10

static volatile int runtime_done;   /* tells the runtime threads to stop */

/* Reports what failed and, when a call set errno, why; then exits 1. Does not return. */
static void die(const char *what)
{
	if (errno != 0)
		fprintf(stderr, "forkserver: %s: %s\n", what, strerror(errno));
	else
		fprintf(stderr, "forkserver: %s\n", what);
	exit(1);
}

/* Reads exactly one int from fd. Returns 1, or 0 at end-of-file (errno then 0). */
static int read_int(int fd, int *v)
{
	char *p = (char *)v;
	size_t got = 0;

	while (got < sizeof *v) {
		ssize_t n = read(fd, p + got, sizeof *v - got);
		if (n == 0 && got == 0) {
			errno = 0;
			return 0;
		}
		if (n == 0) {
			errno = EPROTO;
			die("read");
		}
		if (n < 0 && errno != EINTR)
			die("read");
		if (n > 0)
			got += (size_t)n;
	}
	return 1;
}

static void write_int(int fd, int v)
{
	if (write(fd, &v, sizeof v) != (ssize_t)sizeof v)
		die("write");
}

/* ---- the server: single-threaded, started by exec, forks the workers ---- */

/* Worker i's whole life. Does not return. */
static void run_worker(int i)
{
	printf("worker %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
	fflush(stdout);
	_exit(i);
}

/* Forks worker i, waits for it and returns its exit status (128 + signal if killed). */
static int serve_one(int i)
{
	/* TODO(lab15): flush stdout, fork worker i (the child runs run_worker(i)), wait for it
	 * and return its decoded exit status */
	(void)run_worker;
	(void)i;
	return -1;
}

/* The server's main loop: says it is alive, then serves one request (a worker index) at a time
 * until the parent closes the channel. */
static int serve(void)
{
	int i;

	write_int(SERVER_FD, (int)getpid());
	while (read_int(SERVER_FD, &i))
		write_int(SERVER_FD, serve_one(i));
	return 0;
}

/* ---- the parent ---- */

/* Starts the fork server: fork, then exec this very program as `argv0 --server` with the
 * server's end of a new channel on SERVER_FD. Returns the server's pid; *chan gets the
 * parent's end. */
static pid_t start_server(const char *argv0, int *chan)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		die("socketpair");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0) {
		/* TODO(lab15): put the server's end (sv[1]) on SERVER_FD, then exec this program
		 * again through /proc/self/exe with the argv {argv0, "--server"}; die if exec fails */
		(void)argv0;
		_exit(127);
	}
	if (close(sv[1]) == -1)
		die("close");
	*chan = sv[0];
	return pid;
}

/* A thread of the "runtime" (a garbage collector, a logger...): idles until told to stop. */
static void *runtime_thread(void *arg)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };

	(void)arg;
	while (!__atomic_load_n(&runtime_done, __ATOMIC_SEQ_CST))
		nanosleep(&tick, NULL);
	return NULL;
}

static void start_runtime(pthread_t *t, int n)
{
	for (int k = 0; k < n; k++) {
		int err = pthread_create(&t[k], NULL, runtime_thread, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
}

static void stop_runtime(pthread_t *t, int n)
{
	__atomic_store_n(&runtime_done, 1, __ATOMIC_SEQ_CST);
	for (int k = 0; k < n; k++) {
		int err = pthread_join(t[k], NULL);
		if (err) {
			errno = err;
			die("pthread_join");
		}
	}
}

/* N from the command line: a whole number from 1 to 20, else -1. */
static int parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > MAX_WORKERS)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--server") == 0)
		return serve();
	int n = argc == 2 ? parse_count(argv[1]) : -1;
	if (n < 0) {
		fprintf(stderr, "usage: forkserver N   (N from 1 to %d)\n", MAX_WORKERS);
		return 2;
	}

	int chan, hello, status;
	pid_t server = start_server(argv[0], &chan);
	if (!read_int(chan, &hello))
		die("the fork server ended before saying it was ready");

	pthread_t threads[2];
	start_runtime(threads, 2);
	for (int i = 0; i < n; i++) {
		write_int(chan, i);
		if (!read_int(chan, &status))
			die("the fork server ended early");
		printf("worker %d exited with status %d\n", i, status);
	}
	printf("all %d workers done\n", n);
	if (fflush(stdout) == EOF)
		die("fflush");

	if (close(chan) == -1)   /* end-of-file for the server: it exits */
		die("close");
	if (waitpid(server, NULL, 0) == -1)
		die("waitpid");
	stop_runtime(threads, 2);
	return 0;
}
