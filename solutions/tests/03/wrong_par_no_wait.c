/* Lab 03, wrong: par forks every child and never waits for any of them; seq is right. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int i)
{
	printf("child %d start\n", i);
	usleep(200000);
	printf("child %d end\n", i);
	exit(i);
}

static void reap_one(void)
{
	int status;
	pid_t pid = wait(&status);
	if (pid == -1)
		exit(1);
	printf("reaped child %d status %d\n", WEXITSTATUS(status), WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "seq") != 0 && strcmp(argv[1], "par") != 0) ||
	    atoi(argv[2]) < 1 || atoi(argv[2]) > 10) {
		fprintf(stderr, "usage: %s seq|par N\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[2]);
	bool par = strcmp(argv[1], "par") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == -1)
			return 1;
		if (pid == 0)
			child(i);
		if (!par)
			reap_one();
	}
	return 0;
}
