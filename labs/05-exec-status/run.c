/* run - runs one program in a child process and reports how it ended.
 *
 *     run PROGRAM [ARG...]
 *
 * Lab 05 of forklab: exec replaces the program but keeps the pid; the parent learns from wait
 * how the child ended. */
/* glibc's extensions too, also when compiled by hand (the grader passes -D_GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Prints "run: WHAT: <reason>" on stderr and exits 1. Does not return. */
static void die(const char *what)
{
	fprintf(stderr, "run: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* In the child: becomes PROGRAM. Does not return: when exec fails, the child says why and
 * _exits 127 (no such program) or 126 (found but not executable), like a shell. */
static void exec_program(char **argv)
{
	execvp(argv[0], argv);
	/* TODO(lab05): exec failed: say why on stderr and _exit(127), or 126 when the file exists
	 * but cannot be executed; returning lets a second copy of the parent run on */
}

/* Prints how the child ended and returns the status to exit with: the child's exit status, or
 * 128 + the signal that killed it. */
static int report(const char *program, int wstatus)
{
	/* TODO(lab05): a child killed by a signal has no exit status: report "killed by signal <n>
	 * (<NAME>)" and return 128 + n */
	printf("run: %s exited with status %d\n", program, WEXITSTATUS(wstatus));
	return WEXITSTATUS(wstatus);
}

int main(int argc, char **argv)
{
	pid_t pid;
	int wstatus;

	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		exec_program(argv + 1);
	if (waitpid(pid, &wstatus, 0) < 0)
		die("waitpid");
	return report(argv[1], wstatus);
}
