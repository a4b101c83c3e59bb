/* wait_modes.c - lab 03: the same N children, run one after the other (seq) or all at once
 * (par). The only difference is where the parent calls wait(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "wait_modes: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* Child i's work: a start line, 200 ms of "work", an end line, exit status i. Does not return. */
static void run_child(int i)
{
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 200 * 1000 * 1000 };

	printf("child %d start\n", i);
	/* The start line must leave now, not at exit together with the end line. */
	if (fflush(stdout) == EOF)
		die("fflush");
	while (nanosleep(&nap, &nap) == -1)
		if (errno != EINTR)
			die("nanosleep");
	printf("child %d end\n", i);
	exit(i);
}

/* Forks child i; returns in the parent only. (Not static only so that the unfinished starter
 * compiles without a warning.) */
void spawn(int i)
{
	/* Lines still in stdout's buffer would be copied into the child and printed twice. */
	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0)
		run_child(i);
}

/* TODO(lab03): wait for any one child and report it. Contract:
 *   - wait() for one child (any); on failure die("wait");
 *   - a child that exited: print "reaped child <i> status <i>", <i> being WEXITSTATUS(status)
 *     (each child exits with its own number, so the status says which child this was);
 *   - a child killed by a signal has no exit status: say so on stderr instead.
 * (Not static only so that the unfinished starter compiles without a warning.) */
void reap_one(void)
{
}

/* TODO(lab03): one child at a time. Contract: for i = 0 .. n-1, spawn(i), then reap it with
 * reap_one() before the next spawn; at most one child exists at any moment. */
static void run_seq(int n)
{
	(void)n;
}

/* TODO(lab03): all children at once. Contract: spawn(0) .. spawn(n-1) first, then n calls of
 * reap_one(): every child is alive before the first wait, and each fork has its wait. */
static void run_par(int n)
{
	(void)n;
}

/* N from the command line: a whole number from 1 to 10, else -1. */
static int parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 10)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? parse_count(argv[2]) : -1;

	if (n < 0 || (strcmp(argv[1], "seq") != 0 && strcmp(argv[1], "par") != 0)) {
		fprintf(stderr, "usage: wait_modes seq|par N   (N from 1 to 10)\n");
		return 2;
	}
	if (strcmp(argv[1], "seq") == 0)
		run_seq(n);
	else
		run_par(n);
	return 0;
}
