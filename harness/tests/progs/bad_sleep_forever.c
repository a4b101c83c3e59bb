/* bad_sleep_forever.c - sleeps forever. With a number N as argv[1], first forks N children that
 * sleep forever too, so a test can see a whole tree of sleepers. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int children = argc > 1 ? atoi(argv[1]) : 0;

	for (int i = 0; i < children; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			break;
	}
	for (;;)
		pause();
}
