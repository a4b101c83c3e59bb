/* Lab 04, wrong: the parent forks all its children first and waits for them afterwards, so
 * they run at the same time instead of one after the other. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

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
		if (pid == 0) {
			for (int j = 0; j < g; j++) {
				fflush(stdout);
				pid_t gpid = fork();
				if (gpid == -1)
					exit(1);
				if (gpid == 0) {
					printf("grandchild: pid=%d ppid=%d\n", (int)getpid(),
					       (int)getppid());
					exit(0);
				}
				waitpid(gpid, NULL, 0);
			}
			printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
			exit(0);
		}
	}
	for (int i = 0; i < c; i++)
		if (wait(NULL) == -1)
			exit(1);
	printf("parent: pid=%d reaped %d children\n", (int)getpid(), c);
	return 0;
}
