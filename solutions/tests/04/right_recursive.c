/* Lab 04, right: one recursive function builds every level; each process reaps with wait()
 * and prints with dprintf() once its own children are gone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const who[] = { "parent", "child", "grandchild" };

/* Makes count[level] children, each building the next level, one at a time. Does not return
 * for a level above 0: exits 0 after printing. */
static void level(int depth, const int *count, int nlevels)
{
	for (int k = 0; depth < nlevels && k < count[depth]; k++) {
		pid_t pid = fork();
		if (pid < 0) {
			dprintf(2, "fork: %s\n", strerror(errno));
			_exit(1);
		}
		if (pid == 0)
			level(depth + 1, count, nlevels);
		if (wait(NULL) != pid) {
			dprintf(2, "wait: %s\n", strerror(errno));
			_exit(1);
		}
	}
	if (depth == 0) {
		dprintf(1, "parent: pid=%d reaped %d children\n", (int)getpid(), count[0]);
		return;
	}
	dprintf(1, "%s: pid=%d ppid=%d\n", who[depth], (int)getpid(), (int)getppid());
	_exit(0);
}

int main(int argc, char **argv)
{
	int count[2] = { 2, 2 };

	if (argc > 3) {
		dprintf(2, "usage: tree [CHILDREN [GRANDCHILDREN]]\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		long v = strtol(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0' || v < 1 || v > 5) {
			dprintf(2, "usage: tree [CHILDREN [GRANDCHILDREN]]\n");
			return 2;
		}
		count[i - 1] = (int)v;
	}
	level(0, count, 2);
	return 0;
}
