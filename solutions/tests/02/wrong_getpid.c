/* Lab 02, wrong: "am I the child?" asked of getpid(), which is never 0, so no process ever
 * takes the child's branch and every one of them goes on forking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 2 && strspn(argv[1], "0123456789") == strlen(argv[1]) ? atoi(argv[1]) : 0;
	int i = 0;

	if (n < 1 || n > 20) {
		fprintf(stderr, "usage: spawn N\n");
		return 2;
	}
	while (i < n) {
		if (fork() == -1) {
			perror("fork");
			exit(1);
		}
		if (getpid() == 0) {
			printf("child %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			exit(i);
		}
		i++;
	}
	for (i = 0; i < n; i++)
		if (wait(NULL) == -1) {
			perror("wait");
			exit(1);
		}
	printf("parent: reaped %d children\n", n);
	return 0;
}
