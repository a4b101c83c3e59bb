/* fork_exit.c - benchmark workload (a): N (default 2,000) cycles of fork, _exit in the child,
 * waitpid in the parent. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 2000;

	for (int i = 0; i < cycles; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
			perror("waitpid");
			return 1;
		}
	}
	return 0;
}
