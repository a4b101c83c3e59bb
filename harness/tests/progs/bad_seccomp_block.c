/* bad_seccomp_block.c - forbids itself seccomp() with a filter of its own, then makes a second
 * descriptor on its stdout and writes through it: a write the base filter does not stop, and
 * the every-write filter forklab would stack into the process cannot go in. forklab must not
 * let it write unseen. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("seccomp");
		return 1;
	}
	int fd = dup(1);
	if (fd < 0) {
		perror("dup");
		return 1;
	}
	const char *s = "unseen\n";
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : 1;
}
