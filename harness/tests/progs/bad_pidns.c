/* bad_pidns.c - moves its children into a new pid namespace (with a user namespace, which an
 * unprivileged user may create), where pids differ from the ones forklab sees: the child is pid
 * 1 there, and the pid its own waitpid() returns is a namespace pid. Whether or not the
 * namespaces could be made, it then does the usual: P forks P.1, P.1 forks P.1.1, each parent
 * reaps its child; P.1.1 exits 3, P.1 exits 4. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0)
		printf("unshare: %s\n", strerror(errno));
	else
		printf("unshare: ok\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			for (;;)
				pause();
		}
		if (g < 0)
			_exit(1);
		if (kill(g, SIGTERM) < 0) {
			printf("kill: %s\n", strerror(errno));
			fflush(stdout);
			_exit(5);
		}
		if (waitpid(g, NULL, 0) != g)
			_exit(1);
		_exit(4);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("child exited %d\n", WEXITSTATUS(status));
	return 0;
}
