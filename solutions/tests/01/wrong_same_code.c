/* Lab 01, wrong: fork()'s return value is ignored, so parent and child run the same lines
 * (each prints a child line and a parent line). Both then wait; only the parent has a child. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;

	if (fork() == -1)
		return 1;
	printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)getpid());
	pid_t done = wait(&status);
	if (done > 0)
		printf("parent: child %d exited with status %d\n", (int)done, WEXITSTATUS(status));
	return 0;
}
