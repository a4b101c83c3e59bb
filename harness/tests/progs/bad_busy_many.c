/* bad_busy_many.c - N processes (argv[1], default 60) that all spin on the CPU forever: as
 * forklab keeps a program on its own CPU, they compete with the tracer itself for it. They are
 * all made first (each rests 300 ms before it spins), so that how many there are does not
 * depend on how busy the machine is. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 60;

	for (int i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0)
			break;
	}
	usleep(300000);
	for (volatile unsigned long spin = 0;; spin++)
		;
}
