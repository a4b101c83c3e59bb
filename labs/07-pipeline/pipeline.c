/* pipeline - connects two programs with a pipe, as a shell does for `PROGRAM1 | PROGRAM2`.
 *
 *     pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]
 *
 * Lab 07 of forklab: one pipe, two children, and every end that a process does not use closed,
 * because a reader sees end-of-file only when no process holds a write end any more. */
/* glibc's extensions too, also when compiled by hand (the grader passes -D_GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Prints "pipeline: WHAT: <reason>" on stderr and exits 1. Does not return. */
static void die(const char *what)
{
	fprintf(stderr, "pipeline: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* In a child: the same as die(), but with _exit(), which leaves the parent's stdio buffers
 * alone. Does not return. */
static void die_child(const char *what)
{
	fprintf(stderr, "pipeline: %s: %s\n", what, strerror(errno));
	_exit(1);
}

/* The index of the one "|" in argv, with a non-empty command on each side; -1 otherwise. */
static int find_bar(int argc, char **argv)
{
	int bar = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "|") != 0)
			continue;
		if (bar >= 0)
			return -1;
		bar = i;
	}
	if (bar <= 1 || bar == argc - 1)
		return -1;
	return bar;
}

/* Forks a child that puts pipe end fds[end] on descriptor target, closes both original ends
 * and execs argv. Returns the child's pid. */
static pid_t start(char **argv, const int fds[2], int end, int target)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	if (dup2(fds[end], target) < 0)
		die_child("dup2");
	if (close(fds[0]) < 0 || close(fds[1]) < 0)
		die_child("close");
	execvp(argv[0], argv);
	int err = errno;
	fprintf(stderr, "pipeline: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

int main(int argc, char **argv)
{
	int fds[2], wstatus;
	pid_t writer, reader;
	int bar = find_bar(argc, argv);

	if (bar < 0) {
		fprintf(stderr, "usage: pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]\n");
		return 2;
	}
	argv[bar] = NULL;
	if (pipe(fds) < 0)
		die("pipe");
	writer = start(argv + 1, fds, 1, STDOUT_FILENO);
	reader = start(argv + bar + 1, fds, 0, STDIN_FILENO);
	if (close(fds[0]) < 0)
		die("close");
	/* TODO(lab07): close the write end too: while any process holds a write end, the reader
	 * never sees end-of-file */
	if (waitpid(writer, &wstatus, 0) < 0 || waitpid(reader, &wstatus, 0) < 0)
		die("waitpid");
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
}
