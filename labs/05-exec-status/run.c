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

/* TODO(lab05): in the child, become PROGRAM. Contract:
 *   - execvp(argv[0], argv): PROGRAM is searched in PATH and keeps this process's pid;
 *   - when it returns, exec failed: print "run: <PROGRAM>: <strerror(errno)>" on stderr and
 *     _exit(127) when there is no such program (ENOENT, ENOTDIR), _exit(126) otherwise (found
 *     but not executable), like a shell;
 *   - it never returns: a child that returns runs on as a second copy of the parent. */
static void exec_program(char **argv)
{
	(void)argv;
	_exit(127);
}

/* TODO(lab05): say how the child ended, and return the status run exits with. Contract:
 *   - it exited (WIFEXITED): print "run: <program> exited with status <n>" (WEXITSTATUS) and
 *     return n;
 *   - a signal killed it (WIFSIGNALED): it has no exit status; print "run: <program> killed by
 *     signal <n> (SIG<NAME>)" (WTERMSIG; sigabbrev_np(n) gives the NAME) and return 128 + n. */
static int report(const char *program, int wstatus)
{
	(void)program;
	(void)wstatus;
	return 0;
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
