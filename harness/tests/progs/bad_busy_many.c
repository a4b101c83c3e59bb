/* bad_busy_many.c - N processes (argv[1], default 60) that all spin on the CPU forever: as
 * forklab keeps a program on its own CPU, they compete with the tracer itself for it. They are
 * all made first (each waits for end-of-file on a pipe that every one of them holds open until
 * it has made the next), so that how many there are does not depend on how busy the machine
 * is. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 60;
	int p[2];
	if (pipe(p) < 0) {
		perror("pipe");
		return 1;
	}
	for (int i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0)
			continue; /* the child makes the next one */
		break;
	}
	close(p[1]);
	char c;
	while (read(p[0], &c, 1) > 0)
		;
	for (volatile unsigned long spin = 0;; spin++)
		;
}
