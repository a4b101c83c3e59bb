/* Lab 10, right: the middle process passes its own pid to the grandchild through a pipe
 * (written before the middle exits); the orphans watch getppid() with nanosleep() and a
 * deadline on the monotonic clock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_MONOTONIC, &t))
		die("clock_gettime");
	return t.tv_sec + t.tv_nsec / 1e9;
}

static pid_t adopted_parent(pid_t born_to)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	double until = now() + 2.0;
	pid_t pp;
	while ((pp = getppid()) == born_to && now() < until)
		nanosleep(&tick, NULL);
	return pp;
}

static void report(pid_t born_to)
{
	pid_t pp = adopted_parent(born_to);
	printf("orphan %d: old parent %d, new parent %d\n", (int)getpid(), (int)born_to, (int)pp);
	fflush(stdout);
	_exit(pp == born_to);
}

static int subreaper_mode(void)
{
	int fds[2];
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die("prctl");
	if (pipe(fds) < 0)
		die("pipe");
	pid_t mid = fork();
	if (mid < 0)
		die("fork");
	if (mid == 0) {
		pid_t g = fork();
		if (g < 0)
			die("fork");
		if (g == 0) {
			pid_t born_to;
			close(fds[1]);
			if (read(fds[0], &born_to, sizeof born_to) != (ssize_t)sizeof born_to)
				die("read");
			close(fds[0]);
			report(born_to);
		}
		pid_t me = getpid();
		if (write(fds[1], &me, sizeof me) != (ssize_t)sizeof me)
			die("write");
		_exit(0);
	}
	close(fds[0]);
	close(fds[1]);
	if (waitpid(mid, NULL, 0) != mid)
		die("waitpid");
	pid_t g = waitpid(-1, NULL, 0);
	if (g < 0)
		die("waitpid");
	printf("subreaper %d reaped %d and %d\n", (int)getpid(), (int)mid, (int)g);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--subreaper"))
		return subreaper_mode();
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--subreaper]\n", argv[0]);
		return 2;
	}
	pid_t me = getpid();
	printf("parent %d exiting\n", (int)me);
	fflush(stdout);
	switch (fork()) {
	case -1:
		die("fork");
		break;
	case 0:
		report(me);
	}
	return 0;
}
