/* Lab 07, right: a close-on-exec pipe (dup2's copies are inheritable, the originals vanish at
 * exec); the parent drops the write end as soon as the writer has it, and collects both
 * children with wait() in whatever order they end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn_with(int from, int to, char **argv)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	if (dup2(from, to) < 0) {
		perror("pipeline: dup2");
		_exit(1);
	}
	execvp(argv[0], argv);
	int e = errno;
	fprintf(stderr, "pipeline: %s: %s\n", argv[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	int p[2], bar = 0, nbars = 0, last = 0, st;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "|")) {
			bar = i;
			nbars++;
		}
	if (nbars != 1 || bar == 1 || bar == argc - 1) {
		fputs("usage: pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]\n", stderr);
		exit(2);
	}
	argv[bar] = NULL;
	if (pipe2(p, O_CLOEXEC) == -1) {
		perror("pipeline: pipe2");
		exit(1);
	}
	pid_t w = spawn_with(p[1], STDOUT_FILENO, argv + 1);
	if (w < 0 || close(p[1]) < 0) {
		perror("pipeline: fork");
		exit(1);
	}
	pid_t r = spawn_with(p[0], STDIN_FILENO, argv + bar + 1);
	if (r < 0 || close(p[0]) < 0) {
		perror("pipeline: fork");
		exit(1);
	}
	for (int n = 0; n < 2; n++) {
		pid_t done = wait(&st);
		if (done < 0) {
			perror("pipeline: wait");
			exit(1);
		}
		if (done == r)
			last = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	exit(last);
}
