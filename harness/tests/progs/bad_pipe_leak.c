/* bad_pipe_leak.c - the leaked write end: the child reads the pipe to end-of-file but never
 * closed its own copy of the write end, so end-of-file never comes; the parent waits for it
 * forever. */
#include <stdio.h>
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
		char buf[256];
		/* the missing close(fds[1]) is the bug this program stands for */
		while (read(fds[0], buf, sizeof buf) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	if (write(fds[1], "hello\n", 6) != 6) {
		perror("write");
		return 1;
	}
	close(fds[1]);
	waitpid(pid, NULL, 0);
	return 0;
}
