/* bad_ptrace.c - tries to use ptrace itself: PTRACE_TRACEME in a child, and PTRACE_ATTACH from the
 * parent to that child (a traced process cannot be traced twice, and the tracer's filter refuses
 * ptrace). Prints what each call returned, reaps the child, exits 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		long rc = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		printf("traceme: %s\n", rc == 0 ? "ok" : strerror(errno));
		fflush(stdout);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	char c;
	if (read(fds[0], &c, 1) < 0) /* end-of-file: the child has tried */
		perror("read");
	long rc = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	printf("attach: %s\n", rc == 0 ? "ok" : strerror(errno));
	fflush(stdout);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}
