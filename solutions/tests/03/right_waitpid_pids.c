/* Lab 03, right: keeps every pid, waits with waitpid() for a given pid (in fork order for par),
 * writes with dprintf() (no stdio buffer to flush) and sleeps with usleep(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t start(int i)
{
	pid_t pid = fork();
	if (pid == -1) {
		dprintf(2, "fork: %s\n", strerror(errno));
		exit(1);
	}
	if (pid == 0) {
		dprintf(1, "child %d start\n", i);
		usleep(200 * 1000);
		dprintf(1, "child %d end\n", i);
		_exit(i);
	}
	return pid;
}

static void finish(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) == -1) {
		dprintf(2, "waitpid: %s\n", strerror(errno));
		exit(1);
	}
	dprintf(1, "reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	pid_t pids[10];
	int n = argc == 3 ? atoi(argv[2]) : 0;
	int seq = argc == 3 && strcmp(argv[1], "seq") == 0;
	int par = argc == 3 && strcmp(argv[1], "par") == 0;

	if (n < 1 || n > 10 || !(seq || par)) {
		dprintf(2, "usage: %s seq|par N\n", argv[0]);
		return 2;
	}
	if (seq)
		for (int i = 0; i < n; i++)
			finish(start(i));
	else {
		for (int i = 0; i < n; i++)
			pids[i] = start(i);
		for (int i = 0; i < n; i++)
			finish(pids[i]);
	}
	return 0;
}
