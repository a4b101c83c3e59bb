/* wide.c - scale workload: N children in all (argv[1], default 1,000), up to WIDTH alive at
 * once (argv[2], default 200): each child sleeps 1 ms and exits; the parent keeps WIDTH of them
 * going, reaping one and starting the next. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int total = argc > 1 ? atoi(argv[1]) : 1000;
	int width = argc > 2 ? atoi(argv[2]) : 200;
	int started = 0, alive = 0;
	while (started < total || alive > 0) {
		if (started < total && alive < width) {
			pid_t pid = fork();
			if (pid < 0) {
				perror("fork");
				return 1;
			}
			if (pid == 0) {
				usleep(1000);
				_exit(0);
			}
			started++;
			alive++;
			continue;
		}
		if (wait(NULL) < 0) {
			perror("wait");
			return 1;
		}
		alive--;
	}
	return 0;
}
