/* Lab 01, wrong: the parent names itself as the child (getpid() instead of fork()'s value). */
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
	if (pid == 0) {
		printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		exit(0);
	}
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)getpid());
	if (waitpid(pid, &status, 0) == -1)
		return 1;
	printf("parent: child %d exited with status %d\n", (int)pid, WEXITSTATUS(status));
	return 0;
}
