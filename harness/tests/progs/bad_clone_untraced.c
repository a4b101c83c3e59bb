/* bad_clone_untraced.c - tries to escape the tracer with clone(CLONE_UNTRACED). Prints
 * "refused" and exits 0 when the clone failed, "escaped" and exits 3 when a child was made. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	/* the raw syscall, fork-like (no new stack): x86-64 argument order flags, stack, ... */
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), NULL, NULL, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		printf("refused: %s\n", strerror(errno));
		return 0;
	}
	waitpid((pid_t)pid, NULL, 0);
	printf("escaped: untraced child %ld\n", pid);
	return 3;
}
