/* redirect - runs a program with its standard output sent to a file, as a shell does for
 *
 *     PROGRAM [ARG...] > OUTFILE
 *
 * Usage: redirect OUTFILE PROGRAM [ARG...]
 * Lab 06 of forklab: between fork and exec, the child rearranges its own descriptors; the
 * program it becomes inherits them without knowing. */
/* glibc's extensions too, also when compiled by hand (the grader passes -D_GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Prints "redirect: WHAT: <reason>" on stderr and exits 1. Does not return. */
static void die(const char *what)
{
	fprintf(stderr, "redirect: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* TODO(lab06): in the child, point fd 1 at path, as a shell does for "> path". Contract:
 *   - open path for writing: created with mode 0666 (the umask takes its part) when missing,
 *     truncated when present;
 *   - make that file descriptor 1 (dup2), then close the descriptor open() returned, unless it
 *     is 1 already: PROGRAM must inherit only 0, 1 and 2;
 *   - any failure: "redirect: <path>: <reason>" on stderr and _exit(1), so PROGRAM never runs.
 * Called between fork() and exec, in the child only: the parent's own stdout stays as it was. */
static void stdout_to(const char *path)
{
	(void)path;
}

/* In the child: becomes PROGRAM. Does not return: a failed exec _exits 127 or 126. */
static void exec_program(char **argv)
{
	execvp(argv[0], argv);
	int err = errno;
	fprintf(stderr, "redirect: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

int main(int argc, char **argv)
{
	pid_t pid;
	int wstatus, status;

	if (argc < 3) {
		fprintf(stderr, "usage: redirect OUTFILE PROGRAM [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* Between fork and exec: what the child arranges here, PROGRAM inherits. */
		stdout_to(argv[1]);
		exec_program(argv + 2);
	}
	if (waitpid(pid, &wstatus, 0) < 0)
		die("waitpid");
	status = WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
	printf("redirect: %s finished with status %d\n", argv[2], status);
	return status;
}
