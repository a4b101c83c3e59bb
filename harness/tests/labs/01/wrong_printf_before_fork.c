/* Lab 01, wrong: a line printed before fork() without a flush. stdout is a pipe, so the line is
 * still in the stdio buffer at fork(): the child gets a copy, and both processes print it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;

	printf("fork_return: starting\n");
	pid_t pid = fork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		exit(0);
	}
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)pid);
	if (waitpid(pid, &status, 0) == -1)
		return 1;
	printf("parent: child %d exited with status %d\n", (int)pid, WEXITSTATUS(status));
	return 0;
}
