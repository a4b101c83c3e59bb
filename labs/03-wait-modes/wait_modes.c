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

/* Forks child i; returns in the parent only. */
static void spawn(int i)
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

/* Waits for any one child and reports it; the child's number is its exit status. */
static void reap_one(void)
{
	int status;

	if (wait(&status) == -1)
		die("wait");
	if (WIFEXITED(status))
		printf("reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
	else
		fprintf(stderr, "wait_modes: a child was killed by signal %d\n", WTERMSIG(status));
}

/* One child at a time: each is reaped before the next one exists. */
static void run_seq(int n)
{
	for (int i = 0; i < n; i++) {
		spawn(i);
		reap_one();
	}
}

/* All children at once: every fork first, then every wait. */
static void run_par(int n)
{
	/* TODO(lab03): fork all n children first, then reap n times; this copy of run_seq() waits inside the loop, so the children run one by one */
	for (int i = 0; i < n; i++) {
		spawn(i);
		reap_one();
	}
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
