/* Lab 05, right: searches PATH by hand with execv(), remembers a found-but-not-executable file
 * (126) over a missing one (127), and collects the child with wait(). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Execs argv[0] from PATH (or as a path when it has a '/'). Returns the errno to report. */
static int exec_search(char **argv)
{
	const char *path = getenv("PATH");
	char full[PATH_MAX];
	int err = ENOENT;

	if (strchr(argv[0], '/') || path == NULL) {
		execv(argv[0], argv);
		return errno;
	}
	for (const char *dir = path; dir; dir = strchr(dir, ':') ? strchr(dir, ':') + 1 : NULL) {
		int len = (int)strcspn(dir, ":");
		snprintf(full, sizeof full, "%.*s/%s", len, len ? dir : ".", argv[0]);
		execv(full, argv);
		if (errno == EACCES)
			err = EACCES;
	}
	return err;
}

int main(int argc, char **argv)
{
	int st, err;

	if (argc < 2) {
		fputs("usage: run PROGRAM [ARG...]\n", stderr);
		exit(2);
	}
	switch (fork()) {
	case -1:
		perror("run: fork");
		exit(1);
	case 0:
		err = exec_search(argv + 1);
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(err));
		_exit(err == EACCES ? 126 : 127);
	}
	if (wait(&st) < 0) {
		perror("run: wait");
		exit(1);
	}
	if (WIFEXITED(st)) {
		printf("run: %s exited with status %d\n", argv[1], WEXITSTATUS(st));
		exit(WEXITSTATUS(st));
	}
	printf("run: %s killed by signal %d (SIG%s)\n", argv[1], WTERMSIG(st),
	       sigabbrev_np(WTERMSIG(st)));
	exit(128 + WTERMSIG(st));
}
