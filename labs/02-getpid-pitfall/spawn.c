/* spawn.c - lab 02: one parent, N children. Only fork()'s return value says which of the two
 * processes is the child: getpid() is never 0, so a test on it is true everywhere. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "spawn: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* N from the command line: a whole number from 1 to 20, else -1. */
static int parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 20)
		return -1;
	return (int)n;
}

/* What child i does. Does not return. (Not static only so that the unfinished starter compiles without a warning.) */
void run_child(int i)
{
	printf("child %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
	exit(i);
}

/* TODO(lab02): make the n children, all of them children of this process. Contract: for
 * i = 0 .. n-1:
 *   - fflush(stdout) (nothing may sit in the buffer when the process is copied), then fork();
 *     -1: die("fork");
 *   - in the child, run_child(i), which does not return;
 *   - the parent goes on to the next i.
 * Only fork()'s return value tells the two processes apart: getpid() is never 0. */
static void spawn_all(int n)
{
	(void)n;
}

int main(int argc, char **argv)
{
	int n = argc == 2 ? parse_count(argv[1]) : -1;

	if (n < 0) {
		fprintf(stderr, "usage: spawn N   (N from 1 to 20)\n");
		return 2;
	}
	spawn_all(n);
	for (int i = 0; i < n; i++)
		if (wait(NULL) == -1)
			die("wait");
	printf("parent: reaped %d children\n", n);
	return 0;
}
