/* Lab 09, right: no signal at all. A table of jobs, and a WNOHANG sweep on every 10 ms round of
 * the parent's loop; each job is looked up by the pid waitpid() returns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct job {
	pid_t pid;
	int running;
};

static struct job table[20];

static void fail(const char *call)
{
	perror(call);
	exit(1);
}

static double ms_now(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
		fail("clock_gettime");
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void pause_ms(int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&t, &t) == -1)
		if (errno != EINTR)
			fail("nanosleep");
}

/* One sweep: every ended job is reaped and reported. Returns how many. */
static int sweep(int n)
{
	int count = 0, status;
	for (;;) {
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0 || (pid == -1 && errno == ECHILD))
			return count;
		if (pid == -1)
			fail("waitpid");
		for (int i = 0; i < n; i++)
			if (table[i].pid == pid && table[i].running) {
				table[i].running = 0;
				printf("job %d (pid %d) exited with status %d\n", i, (int)pid,
				       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
				count++;
			}
	}
}

int main(int argc, char **argv)
{
	int n = 0, len = 0;
	if (argc != 2 || sscanf(argv[1], "%d%n", &n, &len) != 1 || argv[1][len] != '\0' ||
	    n < 1 || n > 20) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	double start = ms_now();
	int next = 0, reaped = 0;
	while (reaped < n) {
		while (next < n && ms_now() - start >= 50.0 * next) {
			pid_t pid = fork();
			if (pid < 0)
				fail("fork");
			if (pid == 0) {
				pause_ms((n - next) * 20);
				_exit(next);
			}
			table[next].pid = pid;
			table[next].running = 1;
			next++;
		}
		reaped += sweep(next);
		pause_ms(10);
	}
	printf("all %d jobs reaped\n", n);
	return 0;
}
