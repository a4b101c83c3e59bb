/* Lab 03, wrong: seq forks every child before waiting, exactly like par. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;
	int status;

	if (n < 1 || n > 10 || (strcmp(argv[1], "seq") && strcmp(argv[1], "par"))) {
		fprintf(stderr, "usage: wait_modes seq|par N\n");
		return 2;
	}
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
	}
	for (int i = 0; i < n; i++) {
		if (wait(&status) == -1)
			exit(1);
		printf("reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
	}
	return 0;
}
