/* bad_setpgid.c - moves its child into a new process group (so killing the run's group would
 * miss it); the child ignores SIGTERM and SIGINT and keeps running, and the root blocks waiting
 * for it forever. */
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
		if (setpgid(0, 0) < 0)
			_exit(2);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		for (;;)
			sleep(60);
	}
	/* both sides set the group, so it is set whichever runs first */
	if (setpgid(pid, pid) < 0)
		perror("setpgid");
	printf("child %d in group %d\n", (int)pid, (int)getpgid(pid));
	fflush(stdout);
	waitpid(pid, NULL, 0);
	return 0;
}
