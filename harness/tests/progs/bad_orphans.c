/* bad_orphans.c - a parent that exits before its 10 children: each child sleeps a little, then
 * prints its parent (by then forklab, which adopted it) and exits. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 10; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			usleep(300 * 1000);
			printf("child %d: ppid=%d\n", i + 1, (int)getppid());
			fflush(stdout);
			_exit(i + 1);
		}
	}
	return 0;
}
