/* trace_mem.c - reading a stopped tracee's memory (paths, argv, written bytes) and making a
 * syscall it is stopped at fail. Sizes are bounded: a program controls what it points us at. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>
#include "trace_int.h"

#define MAX_ARGS 1024
#define MAX_ARG_LEN 4096
#define MAX_ARGV_BYTES (256 * 1024)

/* Buffers are zeroed first: valgrind cannot see what the kernel writes into them. */
ssize_t mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	memset(buf, 0, len);
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	return process_vm_readv(tid, &local, 1, &remote, 1, 0);
}

/* Reads a NUL-terminated string, page by page (a read across an unmapped page fails whole). */
char *mem_read_string(pid_t tid, uint64_t addr, size_t max)
{
	if (!addr)
		return NULL;
	size_t cap = 256, len = 0;
	char *s = malloc(cap);
	while (s && len < max) {
		size_t room = 4096 - ((addr + len) & 4095);
		if (room > max - len)
			room = max - len;
		if (len + room + 1 > cap) {
			while (len + room + 1 > cap)
				cap *= 2;
			char *ns = realloc(s, cap);
			if (!ns)
				break;
			s = ns;
		}
		ssize_t n = mem_read(tid, addr + len, s + len, room);
		if (n <= 0)
			break;
		char *nul = memchr(s + len, '\0', (size_t)n);
		if (nul)
			return s;
		len += (size_t)n;
	}
	if (!s)
		return NULL;
	if (len == 0) {
		free(s);
		return NULL;
	}
	s[len < max ? len : max - 1] = '\0';
	return s;
}

char **mem_read_argv(pid_t tid, uint64_t addr, int *argc)
{
	char **argv = calloc(1, sizeof(char *));
	size_t n = 0, total = 0;
	*argc = 0;
	while (argv && addr && n < MAX_ARGS && total < MAX_ARGV_BYTES) {
		uint64_t p;
		if (mem_read(tid, addr + n * sizeof(p), &p, sizeof(p)) != sizeof(p) || !p)
			break;
		char *a = mem_read_string(tid, p, MAX_ARG_LEN);
		if (!a)
			a = strdup("");
		char **na = a ? realloc(argv, (n + 2) * sizeof(char *)) : NULL;
		if (!na) {
			free(a);
			break;
		}
		argv = na;
		argv[n++] = a;
		argv[n] = NULL;
		total += strlen(a) + 1;
	}
	*argc = (int)n;
	return argv;
}

#if defined(__x86_64__)
int regs_skip_syscall(pid_t tid, int err)
{
	struct user_regs_struct regs;
	memset(&regs, 0, sizeof(regs));
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)(long long)-err;
	return (int)ptrace(PTRACE_SETREGS, tid, 0, &regs);
}
#elif defined(__aarch64__)
/* arm64: the syscall number lives in its own register set; x0 carries the return value. */
int regs_skip_syscall(pid_t tid, int err)
{
	int nr = -1;
	struct iovec iv = { &nr, sizeof(nr) };
	if (ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &iv) < 0)
		return -1;
	struct user_regs_struct regs;
	iv = (struct iovec){ &regs, sizeof(regs) };
	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iv) < 0)
		return -1;
	regs.regs[0] = (unsigned long long)(long long)-err;
	return (int)ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iv);
}
#else
#error "forklab's tracer supports x86_64 and aarch64"
#endif
