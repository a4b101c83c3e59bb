/* t_orphan.c - `t_orphan live`: the parent exits while its child still runs (the child is
 * orphaned, adopted and reaped by the subreaper). `t_orphan zombie`: the child exits first and
 * the parent exits without waiting (the zombie is adopted and reaped). */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int zombie = argc > 1 && strcmp(argv[1], "zombie") == 0;
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (!zombie)
			nap(200);
		_exit(5);
	}
	if (zombie)
		nap(200);
	return 0;
}
