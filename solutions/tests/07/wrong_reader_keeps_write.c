/* Lab 07, wrong: the children dup2() their end but close neither original, so the
 * reader itself still holds a write end and never sees end-of-file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks a child that puts fds[end] on fd target and execs argv. */
static pid_t start(char **argv, int fds[2], int end, int target)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("pipeline: fork");
		exit(1);
	}
	if (pid > 0)
		return pid;
	if (dup2(fds[end], target) < 0)
		_exit(1);
	execvp(argv[0], argv);
	int e = errno;
	fprintf(stderr, "pipeline: %s: %s\n", argv[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	int fds[2], st, bar = -1;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "|") == 0)
			bar = bar < 0 ? i : 0;
	if (bar <= 1 || bar == argc - 1) {
		fprintf(stderr, "usage: pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]\n");
		return 2;
	}
	argv[bar] = NULL;
	if (pipe(fds) < 0) {
		perror("pipeline: pipe");
		return 1;
	}
	pid_t w = start(argv + 1, fds, 1, 1);
	pid_t r = start(argv + bar + 1, fds, 0, 0);
	close(fds[0]);
	close(fds[1]);
	if (waitpid(w, &st, 0) < 0 || waitpid(r, &st, 0) < 0) {
		perror("pipeline: waitpid");
		return 1;
	}
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
