/* Lab 06, right: closes fd 1 and lets open() hand out the lowest free descriptor, which is
 * then 1; no dup2 at all. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: redirect OUTFILE PROGRAM [ARG...]\n");
		return 2;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1) {
		fprintf(stderr, "redirect: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(STDOUT_FILENO);
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd != STDOUT_FILENO) {
			fprintf(stderr, "redirect: %s: %s\n", argv[1],
				fd < 0 ? strerror(errno) : "did not land on fd 1");
			_exit(1);
		}
		execvp(argv[2], &argv[2]);
		int e = errno;
		fprintf(stderr, "redirect: %s: %s\n", argv[2], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &st, 0) == -1) {
		if (errno != EINTR) {
			fprintf(stderr, "redirect: waitpid: %s\n", strerror(errno));
			return 1;
		}
	}
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("redirect: %s finished with status %d\n", argv[2], status);
	return status;
}
