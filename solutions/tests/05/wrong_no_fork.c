/* Lab 05, wrong: execs PROGRAM in the only process there is. exec replaces the caller, so
 * nobody is left to wait for PROGRAM and report how it ended. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "run: %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
