/* Lab 05, wrong: prints the raw wait status instead of decoding it with the W* macros, so exit
 * status 3 shows as 768 and a death by signal as an exit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("run: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		int e = errno;
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (wait(&st) < 0) {
		perror("run: wait");
		return 1;
	}
	printf("run: %s exited with status %d\n", argv[1], st);
	return st;
}
