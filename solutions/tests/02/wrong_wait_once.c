/* Lab 02, wrong: the parent knows when every child is done (end-of-file on a pipe they all
 * held) but calls wait() once; the other children are left for someone else to reap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 2 && strspn(argv[1], "0123456789") == strlen(argv[1]) ? atoi(argv[1]) : 0;
	int fds[2];
	char byte;

	if (n < 1 || n > 20) {
		fprintf(stderr, "usage: spawn N\n");
		return 2;
	}
	if (pipe(fds) == -1)
		exit(1);
	for (int i = 0; i < n; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0) {
			close(fds[0]);
			printf("child %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			exit(i);
		}
	}
	close(fds[1]);
	while (read(fds[0], &byte, 1) > 0)
		;
	if (wait(NULL) == -1)
		exit(1);
	printf("parent: reaped %d children\n", n);
	return 0;
}
