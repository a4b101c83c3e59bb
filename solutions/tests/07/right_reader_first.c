/* Lab 07, right: starts the reader before the writer, closes every pipe end explicitly in each
 * child, and waits for the two by pid, reader first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: pipeline PROGRAM1 [ARG...] '|' PROGRAM2 [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int fd[2], bar = -1, rst, wst;
	pid_t reader, writer;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "|") == 0) {
			if (bar != -1)
				return usage();
			bar = i;
		}
	}
	if (bar < 2 || bar + 1 >= argc)
		return usage();
	argv[bar] = NULL;
	if (pipe(fd) != 0) {
		fprintf(stderr, "pipeline: pipe: %s\n", strerror(errno));
		return 1;
	}
	if ((reader = fork()) == 0) {
		if (dup2(fd[0], 0) == -1)
			_exit(1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[bar + 1], &argv[bar + 1]);
		fprintf(stderr, "pipeline: %s: %s\n", argv[bar + 1], strerror(errno));
		_exit(127);
	}
	if (reader < 0 || (writer = fork()) < 0) {
		fprintf(stderr, "pipeline: fork: %s\n", strerror(errno));
		return 1;
	}
	if (writer == 0) {
		if (dup2(fd[1], 1) == -1)
			_exit(1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[1], &argv[1]);
		fprintf(stderr, "pipeline: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	close(fd[1]);
	if (waitpid(reader, &rst, 0) < 0 || waitpid(writer, &wst, 0) < 0) {
		fprintf(stderr, "pipeline: waitpid: %s\n", strerror(errno));
		return 1;
	}
	return WIFEXITED(rst) ? WEXITSTATUS(rst) : 128 + WTERMSIG(rst);
}
