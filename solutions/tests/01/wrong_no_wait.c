/* Lab 01, wrong: the parent learns that the child is gone (end-of-file on a pipe the child
 * held) but never reaps it, and prints a status it never read. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	char byte;

	if (pipe(fds) == -1)
		return 1;
	pid_t pid = fork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		exit(0);
	}
	close(fds[1]);
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)pid);
	while (read(fds[0], &byte, 1) > 0)
		;
	printf("parent: child %d exited with status 0\n", (int)pid);
	return 0;
}
