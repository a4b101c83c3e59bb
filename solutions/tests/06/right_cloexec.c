/* Lab 06, right: opens OUTFILE with O_CLOEXEC and leaves the original descriptor to the exec
 * to close; the copy dup2() makes on fd 1 does not inherit close-on-exec. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail(const char *what, const char *why)
{
	fprintf(stderr, "redirect: %s: %s\n", what, why);
}

int main(int argc, char **argv)
{
	int wstatus;

	if (argc < 3) {
		fail("usage", "redirect OUTFILE PROGRAM [ARG...]");
		exit(2);
	}
	pid_t child = fork();
	if (child < 0) {
		fail("fork", strerror(errno));
		exit(1);
	}
	if (child == 0) {
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0) {
			fail(argv[1], strerror(errno));
			_exit(1);
		}
		if (dup2(fd, STDOUT_FILENO) < 0) {
			fail("dup2", strerror(errno));
			_exit(1);
		}
		execvp(argv[2], argv + 2);
		int e = errno;
		fail(argv[2], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (wait(&wstatus) < 0) {
		fail("wait", strerror(errno));
		exit(1);
	}
	if (WIFSIGNALED(wstatus))
		wstatus = 128 + WTERMSIG(wstatus);
	else
		wstatus = WEXITSTATUS(wstatus);
	printf("redirect: %s finished with status %d\n", argv[2], wstatus);
	exit(wstatus);
}
