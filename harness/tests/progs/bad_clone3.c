/* bad_clone3.c - calls clone3 directly (the tracer answers ENOSYS so that libc falls back to
 * clone, which it can follow), then forks through libc to show the fallback still works. */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.exit_signal = SIGCHLD;
	long pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid == 0)
		_exit(7);
	if (pid < 0)
		printf("clone3: %s\n", errno == ENOSYS ? "ENOSYS" : strerror(errno));
	else {
		waitpid((pid_t)pid, NULL, 0);
		printf("clone3: made %ld\n", pid);
	}
	fflush(stdout);

	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0)
		_exit(5);
	int status;
	if (waitpid(child, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	printf("fork: child exited %d\n", WEXITSTATUS(status));
	return pid < 0 ? 0 : 3;
}
