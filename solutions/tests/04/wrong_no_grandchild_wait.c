/* Lab 04, wrong: each child forks its grandchildren without waiting for any of them. It only
 * learns that they are gone (end-of-file on a pipe they held), prints and exits: the dead
 * grandchildren are left as zombies for forklab to adopt and reap. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int g)
{
	int fds[2];
	char byte;

	if (pipe(fds) == -1)
		exit(1);
	for (int j = 0; j < g; j++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0) {
			close(fds[0]);
			printf("grandchild: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
			exit(0);
		}
	}
	close(fds[1]);
	while (read(fds[0], &byte, 1) > 0)
		;
	printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	exit(0);
}

int main(int argc, char **argv)
{
	int c = argc > 1 ? atoi(argv[1]) : 2, g = argc > 2 ? atoi(argv[2]) : 2;

	if (argc > 3 || c < 1 || c > 5 || g < 1 || g > 5) {
		fprintf(stderr, "usage: tree [CHILDREN [GRANDCHILDREN]]\n");
		return 2;
	}
	for (int i = 0; i < c; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0)
			child(g);
		if (waitpid(pid, NULL, 0) == -1)
			exit(1);
	}
	printf("parent: pid=%d reaped %d children\n", (int)getpid(), c);
	return 0;
}
