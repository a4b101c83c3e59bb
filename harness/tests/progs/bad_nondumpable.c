/* bad_nondumpable.c - marks itself non-dumpable (prctl PR_SET_DUMPABLE 0), which closes
 * /proc/PID/fd and the process's memory to an unprivileged observer, then forks a child that
 * writes a line, and reaps it: what it did must still be recorded. */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		perror("prctl");
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (write(1, "hidden child\n", 13) != 13)
			_exit(1);
		_exit(6);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	printf("child exited %d\n", WEXITSTATUS(status));
	return 0;
}
