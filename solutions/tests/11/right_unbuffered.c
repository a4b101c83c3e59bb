/* Lab 11, right: stdout unbuffered from the start (nothing is ever left to copy), children
 * one at a time, each reaped by pid before the next. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *call)
{
	fprintf(stderr, "buffers: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;

	if (argc != 2 || end == argv[1] || *end || n < 1 || n > 20) {
		fprintf(stderr, "usage: buffers N\n");
		return 2;
	}
	if (setvbuf(stdout, NULL, _IONBF, 0) != 0)
		die("setvbuf");
	printf("start\n");
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == -1)
			die("fork");
		if (pid == 0) {
			printf("child %ld\n", i);
			exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return 1;
	}
	printf("end\n");
	return 0;
}
