/* Lab 03, wrong: the child's function returns instead of exiting, so each child goes on with
 * the parent's loop and forks the remaining children itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void work(int i)
{
	printf("child %d start\n", i);
	fflush(stdout);
	usleep(200000);
	printf("child %d end\n", i);
}

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
	int par, children = 0;

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
			work(i);
			children = 0;
			continue;
		}
		children++;
		if (!par) {
			reap();
			children--;
		}
	}
	while (children-- > 0)
		reap();
	return 0;
}
