/* Lab 03, wrong: prints the raw status word wait() fills in (the exit code shifted left by 8)
 * instead of WEXITSTATUS(status). */
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
	printf("reaped child %d status %d\n", status, status);
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
		fflush(stdout);
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0) {
			printf("child %d start\n", i);
			fflush(stdout);
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
