/* measure.c - runs a command and prints, on one line, its wall-clock time in seconds and the
 * peak resident memory of the largest process it waited for (ru_maxrss of RUSAGE_CHILDREN, in
 * KiB): "seconds=S peak_kib=K status=N". Used by bench.sh's scale workload for forklab itself.
 * Usage: measure COMMAND [ARG...]. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: measure COMMAND [ARG...]\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "measure: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("measure: waitpid");
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("measure: getrusage");
		return 2;
	}
	printf("seconds=%.3f peak_kib=%ld status=%d\n",
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss,
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
