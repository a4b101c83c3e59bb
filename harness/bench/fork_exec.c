/* fork_exec.c - benchmark workload (b): N (default 500) cycles of fork, exec of /bin/true in the
 * child, waitpid in the parent. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 500;

	for (int i = 0; i < cycles; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "fork_exec: /bin/true failed\n");
			return 1;
		}
	}
	return 0;
}
