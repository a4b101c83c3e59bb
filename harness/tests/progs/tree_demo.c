/* tree_demo.c - the example `make demo` traces: a parent with two children; the second forks a
 * grandchild that runs echo. Everyone is reaped by their own parent. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks; dies naming the call when it fails. */
static pid_t fork1(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	return pid;
}

static void reap(pid_t pid)
{
	if (waitpid(pid, NULL, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
}

int main(void)
{
	printf("parent %d\n", getpid());
	fflush(stdout);
	pid_t first = fork1();
	if (first == 0) {
		printf("first child %d\n", getpid());
		fflush(stdout); /* _exit does not flush stdio */
		_exit(0);
	}
	pid_t second = fork1();
	if (second == 0) {
		pid_t grandchild = fork1();
		if (grandchild == 0) {
			execlp("echo", "echo", "grandchild says hi", (char *)NULL);
			perror("execlp");
			_exit(127);
		}
		reap(grandchild);
		_exit(3);
	}
	reap(first);
	reap(second);
	printf("parent done\n");
	return 0;
}
