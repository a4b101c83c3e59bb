/* Lab 05, wrong: when exec fails the child prints why but does not _exit, so it runs on into
 * the parent's code as a second copy of the parent. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(errno));
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("run: waitpid");
		return 1;
	}
	if (WIFSIGNALED(st)) {
		printf("run: %s killed by signal %d (SIG%s)\n", argv[1], WTERMSIG(st),
		       sigabbrev_np(WTERMSIG(st)));
		return 128 + WTERMSIG(st);
	}
	printf("run: %s exited with status %d\n", argv[1], WEXITSTATUS(st));
	return WEXITSTATUS(st);
}
