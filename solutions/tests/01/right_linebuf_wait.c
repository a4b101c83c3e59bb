/* Lab 01, right: stdout line-buffered from the start, the child's branch in a function that
 * flushes and _exit()s, wait() instead of waitpid(), the pid taken from wait()'s result. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void be_the_child(void)
{
	printf("child: pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
	fflush(stdout);
	_exit(0);
}

int main(void)
{
	int status;

	if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
		return 1;
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (!child)
		be_the_child();
	printf("parent: pid=%d child=%d\n", (int)getpid(), (int)child);
	pid_t done = wait(&status);
	if (done < 0) {
		perror("wait");
		return 1;
	}
	if (WIFEXITED(status))
		printf("parent: child %d exited with status %d\n", (int)done, WEXITSTATUS(status));
	return 0;
}
