/* tree.c - lab 04: a parent, its children, and their children. Every process waits for each
 * of its own children before making the next, and every child ends with exit(). */
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
	fprintf(stderr, "tree: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* fork(), after emptying stdout's buffer so the new process does not inherit its lines. */
static pid_t fork_or_die(void)
{
	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	return pid;
}

static void wait_for(pid_t pid)
{
	if (waitpid(pid, NULL, 0) == -1)
		die("waitpid");
}

/* A grandchild's work. Does not return. (Not static only so that the unfinished starter compiles without a warning.) */
void run_grandchild(void)
{
	printf("grandchild: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	exit(0);
}

/* TODO(lab04): a child's work. Contract:
 *   - make `grandchildren` children of its own, one at a time: fork_or_die(); in the new
 *     process run_grandchild(), which does not return; in this one wait_for() it before the
 *     next fork;
 *   - then print "child: pid=<its pid> ppid=<its parent's pid>";
 *   - then exit(0): it must never return, or it would run main()'s loop and fork more
 *     children of its own. */
static void run_child(int grandchildren)
{
	(void)grandchildren;
	exit(0);
}

/* A count from the command line: a whole number from 1 to 5, else -1. */
static int parse_size(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 5)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	int children = argc > 1 ? parse_size(argv[1]) : 2;
	int grandchildren = argc > 2 ? parse_size(argv[2]) : 2;

	if (argc > 3 || children < 0 || grandchildren < 0) {
		fprintf(stderr, "usage: tree [CHILDREN [GRANDCHILDREN]]   (each from 1 to 5)\n");
		return 2;
	}
	for (int i = 0; i < children; i++) {
		pid_t pid = fork_or_die();
		if (pid == 0)
			run_child(grandchildren);
		wait_for(pid);
	}
	printf("parent: pid=%d reaped %d children\n", (int)getpid(), children);
	return 0;
}
