/* bad_zombie_bomb.c - forks a child that exits at once, every millisecond, forever, and never
 * reaps one: the zombies pile up (each holds a pid and a kernel task, and RLIMIT_NPROC would count
 * it) until the process budget stops the program. */
#include <unistd.h>

int main(void)
{
	for (;;) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		usleep(1000);
	}
}
