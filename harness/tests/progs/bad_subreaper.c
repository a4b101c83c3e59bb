/* bad_subreaper.c - makes itself a child subreaper, so that its grandchild, orphaned when its
 * child exits, is adopted by it rather than by forklab; it then never reaps that grandchild and
 * exits, leaving the zombie to forklab.
 *   P   (subreaper) forks P.1 and reaps it, waits, exits 0 without reaping P.1.1
 *   P.1 forks P.1.1 and exits 0
 *   P.1.1 waits until P has adopted it, prints its new parent, exits 9 */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void grandchild(pid_t root)
{
	while (getppid() != root)
		usleep(1000);
	printf("adopted by %d\n", (int)getppid());
	fflush(stdout);
	_exit(9);
}

int main(void)
{
	pid_t root = getpid();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("prctl");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0)
			grandchild(root);
		_exit(g < 0 ? 1 : 0);
	}
	if (waitpid(pid, NULL, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	/* long enough for the grandchild to be adopted, print and exit: a zombie of ours now */
	usleep(300 * 1000);
	return 0;
}
