/* bad_stop_child.c - a parent that stops its child with SIGSTOP, makes sure it is stopped, then
 * waits for it to end, which it never does. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (kill(pid, SIGSTOP) < 0) {
		perror("kill");
		return 1;
	}
	int status;
	if (waitpid(pid, &status, WUNTRACED) < 0) {
		perror("waitpid");
		return 1;
	}
	printf("child %s\n", WIFSTOPPED(status) ? "stopped" : "not stopped");
	fflush(stdout);
	waitpid(pid, NULL, 0);
	return 0;
}
