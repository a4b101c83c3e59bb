/* t_budget.c - `t_budget N`: forks N children that each sleep 300 ms, then reaps them; exits
 * with the number of forks that failed with EAGAIN. */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5, failed = 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			struct timespec ts = { 0, 300000000L };
			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (pid < 0 && errno == EAGAIN)
			failed++;
	}
	while (wait(NULL) > 0)
		;
	return failed;
}
