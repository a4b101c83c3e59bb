/* Lab 09, right: SIGCHLD blocked and read from a signalfd; poll() on it with a timeout is the
 * parent's tick, so the loop wakes at once when a job ends and otherwise every 10 ms. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "jobs: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	if (clock_gettime(CLOCK_MONOTONIC, &t) == -1)
		die("clock_gettime");
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || *end || end == argv[1] || n < 1 || n > 20) {
		fputs("usage: jobs N (1..20)\n", stderr);
		return 2;
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) == -1)
		die("sigprocmask");
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd == -1)
		die("signalfd");

	pid_t pid_of[20];
	long started = 0, done = 0;
	struct timespec t0;
	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1)
		die("clock_gettime");
	while (done < n) {
		if (started < n && elapsed_ms(&t0) >= 50 * started) {
			pid_t pid = fork();
			if (pid == -1)
				die("fork");
			if (pid == 0) {
				struct timespec d = { 0, (n - started) * 20 * 1000000L };
				while (d.tv_nsec >= 1000000000L) {
					d.tv_sec++;
					d.tv_nsec -= 1000000000L;
				}
				nanosleep(&d, NULL);
				_exit((int)started);
			}
			pid_of[started++] = pid;
		}
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		int ready = poll(&p, 1, 10);
		if (ready == -1 && errno != EINTR)
			die("poll");
		if (ready <= 0)
			continue;
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
			;
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			long i = 0;
			while (i < started && pid_of[i] != pid)
				i++;
			printf("job %ld (pid %d) exited with status %d\n", i, (int)pid,
			       WEXITSTATUS(st));
			fflush(stdout);
			done++;
		}
	}
	printf("all %ld jobs reaped\n", n);
	return 0;
}
