/* Lab 03, wrong: never flushes stdout, which is a pipe under the grader. In seq mode the parent's
 * "reaped" lines are still in its stdio buffer when it forks the next child, so each later
 * child inherits them and prints them again when it exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(void)
{
	int status;

	if (wait(&status) == -1)
		exit(1);
	printf("reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;
	int par;

	if (n < 1 || n > 10 || (strcmp(argv[1], "seq") && strcmp(argv[1], "par"))) {
		fprintf(stderr, "usage: wait_modes seq|par N\n");
		return 2;
	}
	par = strcmp(argv[1], "par") == 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0) {
			printf("child %d start\n", i);
			usleep(200000);
			printf("child %d end\n", i);
			exit(i);
		}
		if (!par)
			reap();
	}
	for (int i = 0; par && i < n; i++)
		reap();
	return 0;
}
