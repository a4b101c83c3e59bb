/* Lab 11, right: no stdio on stdout at all: every line is one write(), so there is no buffer
 * for fork() to copy. Children all at once, reaped by pid in fork order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int say(const char *line)
{
	size_t len = strlen(line);
	return write(STDOUT_FILENO, line, len) == (ssize_t)len ? 0 : -1;
}

int main(int argc, char **argv)
{
	int n = 0, used = 0;
	pid_t pids[20];

	if (argc != 2 || sscanf(argv[1], "%d%n", &n, &used) != 1 || argv[1][used] || n < 1 ||
	    n > 20) {
		fputs("usage: buffers N\n", stderr);
		return 2;
	}
	if (say("start\n"))
		return 1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (pids[i] == 0) {
			char line[32];
			snprintf(line, sizeof line, "child %d\n", i);
			exit(say(line) ? 1 : 0);
		}
	}
	for (int i = 0; i < n; i++) {
		int status;
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 1;
	}
	return say("end\n") ? 1 : 0;
}
