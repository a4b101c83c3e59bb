/* Lab 06, wrong: creates OUTFILE with mode 0777, so under umask 022 the output file comes
 * out executable (0755). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Points fd 1 at path. */
static void redirect(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0777);

	if (fd < 0 || dup2(fd, 1) < 0) {
		fprintf(stderr, "redirect: %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	if (fd != 1)
		close(fd);
}

int main(int argc, char **argv)
{
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: redirect OUTFILE PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("redirect: fork");
		return 1;
	}
	if (pid == 0) {
		redirect(argv[1]);
		execvp(argv[2], argv + 2);
		int e = errno;
		fprintf(stderr, "redirect: %s: %s\n", argv[2], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("redirect: waitpid");
		return 1;
	}
	st = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	printf("redirect: %s finished with status %d\n", argv[2], st);
	return st;
}
