/* Lab 10, right: unbuffered stdout, usleep() polling, and in --subreaper mode a waitid() loop
 * that reaps whatever ends until no child is left, telling the child from the grandchild by
 * the pid fork() returned. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "orphan: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Reports adoption of the calling process, born to parent; exits. */
static void orphan_part(pid_t parent)
{
	pid_t p = getppid();
	for (int i = 0; i < 200 && p == parent; i++) {
		usleep(10000);
		p = getppid();
	}
	printf("orphan %d: old parent %d, new parent %d\n", getpid(), parent, p);
	exit(p != parent ? 0 : 1);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--subreaper"))) {
		fputs("usage: orphan [--subreaper]\n", stderr);
		return 2;
	}
	pid_t self = getpid();
	if (argc == 1) {
		printf("parent %d exiting\n", self);
		pid_t c = fork();
		if (c < 0)
			fail("fork");
		if (c == 0)
			orphan_part(self);
		return 0;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) != 0)
		fail("prctl");
	pid_t c = fork();
	if (c < 0)
		fail("fork");
	if (c == 0) {
		pid_t mid = getpid();
		pid_t g = fork();
		if (g < 0)
			fail("fork");
		if (g == 0)
			orphan_part(mid);
		_exit(0);
	}
	pid_t g = 0;
	siginfo_t si;
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED) == -1) {
			if (errno == ECHILD)
				break;
			fail("waitid");
		}
		if (si.si_pid != c)
			g = si.si_pid;
	}
	printf("subreaper %d reaped %d and %d\n", self, c, g);
	return 0;
}
