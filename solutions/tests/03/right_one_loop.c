/* Lab 03, right: one fork loop for both modes (seq waits inside it), line-buffered stdout,
 * nanosleep(), and wait() in a counted loop afterwards for par. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int reap(void)
{
	int status;
	pid_t pid = wait(&status);

	if (pid < 0) {
		perror("wait");
		exit(1);
	}
	printf("reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
	return 1;
}

int main(int argc, char **argv)
{
	const struct timespec nap = { 0, 200000000 };
	int n, pending = 0;
	char junk;

	if (argc != 3 || sscanf(argv[2], "%d%c", &n, &junk) != 1 || n < 1 || n > 10 ||
	    (strcmp(argv[1], "seq") != 0 && strcmp(argv[1], "par") != 0)) {
		fprintf(stderr, "usage: wait_modes seq|par N\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			printf("child %d start\n", i);
			nanosleep(&nap, NULL);
			printf("child %d end\n", i);
			exit(i);
		}
		pending++;
		if (argv[1][0] == 's')
			pending -= reap();
	}
	while (pending > 0)
		pending -= reap();
	return 0;
}
