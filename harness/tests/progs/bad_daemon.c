/* bad_daemon.c - a classic daemon: double fork + setsid, so the grandchild leaves the session
 * and outlives its parents; it ignores SIGTERM and SIGHUP and sleeps forever. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void daemon_body(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (;;)
		sleep(60);
}

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (setsid() < 0)
			_exit(2);
		pid_t grandchild = fork();
		if (grandchild < 0)
			_exit(3);
		if (grandchild == 0)
			daemon_body();
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
