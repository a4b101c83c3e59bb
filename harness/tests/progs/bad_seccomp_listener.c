/* bad_seccomp_listener.c - stacks a seccomp filter of its own whose action for clone is
 * SECCOMP_RET_USER_NOTIF (which outranks a tracer's SECCOMP_RET_TRACE), and answers each
 * notification from a thread with "continue": every clone would then run without the tracer
 * seeing it. It then clones a CLONE_UNTRACED child that outlives it by two seconds. Prints
 * "listener refused: <reason>" and exits 3 when the filter cannot be installed. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int listener = -1;
static int ready[2];

static void *answer(void *arg)
{
	(void)arg;
	char c;
	if (read(ready[0], &c, 1) != 1)
		return NULL;
	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof req);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			continue;
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	return NULL;
}

int main(void)
{
	pthread_t th;
	if (pipe(ready) < 0 || pthread_create(&th, NULL, answer, NULL) != 0) {
		perror("setup");
		return 1;
	}
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		printf("listener refused: %s\n", strerror(errno));
		return 3;
	}
	if (write(ready[1], "g", 1) != 1)
		return 1;
	/* A raw clone: a child that the tracer is not told about, sharing nothing. */
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0) {
		sleep(2);
		_exit(0);
	}
	printf("untraced clone: %ld\n", pid);
	return 0;
}
