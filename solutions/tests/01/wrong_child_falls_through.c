/* Lab 01, wrong: the child prints its line but does not exit, so it runs the parent's code
 * too; its waitpid(0, ...) finds no child and it exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;
	pid_t pid = fork();

	if (pid == -1)
		return 1;
	if (pid == 0)
		printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)pid);
	if (waitpid(pid, &status, 0) == -1) {
		perror("waitpid");
		exit(1);
	}
	printf("parent: child %d exited with status %d\n", (int)pid, WEXITSTATUS(status));
	return 0;
}
