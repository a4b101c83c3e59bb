/* Lab 04, right: everything in main(), line-buffered stdout, waitpid() with a status check,
 * and exit() at the end of each branch. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status)) {
		perror("waitpid");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int c = 2, g = 2;
	char junk;

	if (argc > 3 || (argc > 1 && (sscanf(argv[1], "%d%c", &c, &junk) != 1 || c < 1 || c > 5)) ||
	    (argc > 2 && (sscanf(argv[2], "%d%c", &g, &junk) != 1 || g < 1 || g > 5))) {
		fprintf(stderr, "usage: tree [CHILDREN [GRANDCHILDREN]]\n");
		exit(2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < c; i++) {
		pid_t child = fork();
		if (child < 0) {
			perror("fork");
			exit(1);
		}
		if (child > 0) {
			reap(child);
			continue;
		}
		for (int j = 0; j < g; j++) {
			pid_t grandchild = fork();
			if (grandchild < 0) {
				perror("fork");
				exit(1);
			}
			if (grandchild == 0) {
				printf("grandchild: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
				exit(0);
			}
			reap(grandchild);
		}
		printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		exit(0);
	}
	printf("parent: pid=%d reaped %d children\n", (int)getpid(), c);
	return 0;
}
