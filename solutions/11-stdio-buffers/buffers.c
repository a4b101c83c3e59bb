/* buffers.c - lab 11: a line printed before fork() must come out once, whether stdout is a
 * terminal, a pipe or a file. stdio keeps output in a buffer inside the process, and fork()
 * copies the process with whatever that buffer holds. */
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
	fprintf(stderr, "buffers: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* A child's work: its line, then exit(), which flushes the child's own buffer. Does not
 * return. */
static void run_child(int i)
{
	printf("child %d\n", i);
	exit(0);
}

/* Forks child i. stdout's buffer is emptied first: whatever it still held would be copied
 * into the child and written a second time when the child's exit() flushes it. */
static void start_child(int i)
{
	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0)
		run_child(i);
}

/* Waits until all n children have ended; each must have exited with status 0. */
static void reap_children(int n)
{
	for (int k = 0; k < n; k++) {
		int status;
		pid_t pid = wait(&status);
		if (pid == -1)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "buffers: child %d did not exit with status 0\n", (int)pid);
			exit(1);
		}
	}
}

/* The count from the command line: a whole number from 1 to 20, else -1. */
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

int main(int argc, char **argv)
{
	int n = argc == 2 ? parse_count(argv[1]) : -1;

	if (n < 0) {
		fprintf(stderr, "usage: buffers N   (N children, from 1 to 20)\n");
		return 2;
	}
	printf("start\n");
	for (int i = 0; i < n; i++)
		start_child(i);
	reap_children(n);
	printf("end\n");
	return 0;
}
