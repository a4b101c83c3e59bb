/* Lab 01, right: a switch on fork()'s value, dprintf() straight to fd 1 (no stdio buffer),
 * waitpid() for this child. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *call)
{
	dprintf(2, "right_write_waitpid: %s: %s\n", call, strerror(errno));
	_exit(1);
}

int main(void)
{
	int status;
	pid_t pid;

	switch (pid = fork()) {
	case -1:
		die("fork");
		break;
	case 0:
		if (dprintf(1, "child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid()) < 0)
			die("dprintf");
		_exit(0);
	default:
		if (dprintf(1, "parent: pid=%d child=%d\n", (int)getpid(), (int)pid) < 0)
			die("dprintf");
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die("waitpid");
	if (dprintf(1, "parent: child %d exited with status %d\n", (int)pid,
		    WEXITSTATUS(status)) < 0)
		die("dprintf");
	return 0;
}
