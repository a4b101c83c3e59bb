/* bad_seccomp_hide.c - installs its own seccomp filters hoping to hide its calls from the
 * tracer: one that allows everything, and one that asks for a tracer stop on every call with a
 * made-up data value. Then it forks a child that writes a line, and reaps it. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int install(unsigned int action)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_RET | BPF_K, action),
	};
	struct sock_fprog prog = {.len = 1, .filter = code};
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

int main(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("prctl");
		return 1;
	}
	if (install(SECCOMP_RET_ALLOW) < 0 || install(SECCOMP_RET_TRACE | 0x0bad) < 0) {
		perror("seccomp");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (write(1, "child was here\n", 15) != 15)
			_exit(1);
		_exit(4);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	printf("child exited %d\n", WEXITSTATUS(status));
	return 0;
}
