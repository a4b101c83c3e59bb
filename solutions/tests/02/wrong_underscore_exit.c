/* Lab 02, wrong: each child printf()s and then _exit()s; stdout is a pipe, so the line is
 * still in the child's stdio buffer and never written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 2 && strspn(argv[1], "0123456789") == strlen(argv[1]) ? atoi(argv[1]) : 0;

	if (n < 1 || n > 20) {
		fprintf(stderr, "usage: spawn N\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == -1)
			exit(1);
		if (pid == 0) {
			printf("child %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			_exit(i);
		}
	}
	for (int i = 0; i < n; i++)
		if (wait(NULL) == -1)
			exit(1);
	printf("parent: reaped %d children\n", n);
	return 0;
}
