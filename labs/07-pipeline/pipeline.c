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
 * alone. Does not return. (Not static only so that the unfinished starter compiles without a
 * warning.) */
void die_child(const char *what)
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

/* In a child: becomes the program argv names (searched in PATH). Does not return: a failed
 * exec says why and _exits 127 (not found) or 126. (Not static only so that the unfinished
 * starter compiles without a warning.) */
void exec_program(char **argv)
{
	execvp(argv[0], argv);
	int err = errno;
	fprintf(stderr, "pipeline: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

/* TODO(lab07): run left | right. Contract:
 *   - create one pipe (pipe(): fds[0] is its read end, fds[1] its write end);
 *   - fork the writer: in it, the pipe's write end becomes descriptor 1 (dup2), both original
 *     ends are closed, and it becomes left (exec_program);
 *   - fork the reader: in it, the read end becomes descriptor 0, both original ends are
 *     closed, and it becomes right;
 *   - in the parent, close both ends: a reader sees end-of-file only when no process, the
 *     parent included, holds a write end any more;
 *   - store the children's pids in *writer and *reader.
 * A failure in the parent: die("<call>"); in a child: die_child("<call>") (see above). */
static void start_pipeline(char **left, char **right, pid_t *writer, pid_t *reader)
{
	(void)left;
	(void)right;
	*writer = *reader = -1;
}

int main(int argc, char **argv)
{
	int wstatus;
	pid_t writer, reader;
	int bar = find_bar(argc, argv);

	if (bar < 0) {
		fprintf(stderr, "usage: pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]\n");
		return 2;
	}
	argv[bar] = NULL;
	start_pipeline(argv + 1, argv + bar + 1, &writer, &reader);
	/* The exit status is PROGRAM2's, as in a shell. */
	if (waitpid(writer, &wstatus, 0) < 0 || waitpid(reader, &wstatus, 0) < 0)
		die("waitpid");
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
}
