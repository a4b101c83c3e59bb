/* bad_setpgid.c - moves itself and its child into new process groups (so killing forklab's
 * group would miss them), then keeps running: the root blocks waiting for a child that never
 * ends. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (setpgid(0, 0) < 0) {
		perror("setpgid");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (setpgid(0, 0) < 0)
			_exit(2);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		for (;;)
			sleep(60);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
