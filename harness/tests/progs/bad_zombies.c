/* bad_zombies.c - forks 1,000 children that exit at once and never waits for any of them; it
 * exits leaving them all zombies for forklab (the subreaper) to adopt and reap. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 1000; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
	}
	/* wait long enough for every child to be a zombie */
	usleep(200 * 1000);
	printf("forked 1000\n");
	return 0;
}
