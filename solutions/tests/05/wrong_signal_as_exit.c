/* Lab 05, wrong: reads WEXITSTATUS() without asking WIFEXITED() first, so a child killed by a
 * signal is reported as "exited with status 0". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("run: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		int e = errno;
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("run: waitpid");
		return 1;
	}
	printf("run: %s exited with status %d\n", argv[1], WEXITSTATUS(st));
	return WEXITSTATUS(st);
}
