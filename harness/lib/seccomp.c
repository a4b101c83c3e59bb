/* seccomp.c - builds forklab's filter with libseccomp (default: allow) and exports it as BPF
 * once, so that forked children only have to load it. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include "seccomp_filter.h"

static struct sock_fprog prog, fallback;
static char build_err[160];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define TRACE SCMP_ACT_TRACE(FILTER_TRACE_DATA)

/* The calls the tracer stops on whatever their arguments. */
static const char *const traced_calls[] = {
	"fork", "vfork", "clone", "execve", "execveat", "wait4", "waitid",
	"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal",
	"accept", "accept4",
};
/* The calls that put bytes into a descriptor, and which argument names it: the write family,
 * and the calls that fill a pipe without a write (from memory, from a file, from a pipe). */
static const struct {
	const char *name;
	unsigned dest; /* the argument that holds the descriptor written to */
} write_calls[] = {
	{ "write", 0 }, { "writev", 0 }, { "pwrite64", 0 }, { "pwritev", 0 }, { "pwritev2", 0 },
	{ "vmsplice", 0 }, { "sendfile", 0 }, { "splice", 2 }, { "tee", 1 },
};

#ifdef FILTER_FD_WRITES
/* The calls that can give a process a second descriptor on the pipe behind its stdout or
 * stderr (fd 5 = fd 1, /dev/stdout reopened, a descriptor received or taken from another
 * process): the tracer looks at what each made and, on the first such alias, stacks the
 * every-write filter into the process (fallback_program). open and openat stop only when they
 * open for writing; openat2 keeps its flags in memory and always stops. */
static const char *const alias_calls[] = {
	"dup", "dup2", "dup3", "openat2", "creat", "open_by_handle_at", "recvmsg", "recvmmsg",
	"pidfd_getfd",
};
#endif

static int add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
	       struct scmp_arg_cmp cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	int rc = n ? seccomp_rule_add(ctx, action, nr, 1, cmp) : seccomp_rule_add(ctx, action, nr, 0);
	if (rc < 0)
		snprintf(build_err, sizeof(build_err), "seccomp rule for %s: %s", name, strerror(-rc));
	return rc;
}

#ifdef FILTER_FD_WRITES
/* Writes stop only when they go to descriptor 1 or 2 (the kernel reads the descriptor as 32
 * bits: only those are compared). Any other descriptor reaches a captured pipe only through an
 * alias, made by one of alias_calls (or fcntl's F_DUPFD, or open for writing), each a stop. */
static int add_write_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp none = { 0 };
	for (size_t i = 0; i < sizeof(write_calls) / sizeof(*write_calls); i++)
		for (scmp_datum_t fd = 1; fd <= 2; fd++)
			if (add(ctx, TRACE, write_calls[i].name, 1,
				(struct scmp_arg_cmp){ write_calls[i].dest, SCMP_CMP_MASKED_EQ,
						       0xffffffffULL, fd }) < 0)
				return -1;
	for (size_t i = 0; i < sizeof(alias_calls) / sizeof(*alias_calls); i++)
		if (add(ctx, TRACE, alias_calls[i], 0, none) < 0)
			return -1;
	static const int dupfd[] = { F_DUPFD, F_DUPFD_CLOEXEC };
	for (size_t i = 0; i < sizeof(dupfd) / sizeof(*dupfd); i++)
		if (add(ctx, TRACE, "fcntl", 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL,
							(scmp_datum_t)dupfd[i])) < 0)
			return -1;
	/* open(path, flags), openat(dir, path, flags): O_WRONLY, O_RDWR, or the odd mode 3. */
	for (scmp_datum_t mode = 1; mode <= 3; mode++)
		if (add(ctx, TRACE, "open", 1, SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, mode)) < 0 ||
		    add(ctx, TRACE, "openat", 1, SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, mode)) < 0)
			return -1;
	return 0;
}
#else
/* Writes stop on every descriptor: a dup of stdout (fd 3 = fd 1) writes to the captured pipe
 * too, and only the tracer can tell where a descriptor points. */
static int add_write_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp none = { 0 };
	for (size_t i = 0; i < sizeof(write_calls) / sizeof(*write_calls); i++)
		if (add(ctx, TRACE, write_calls[i].name, 0, none) < 0)
			return -1;
	return 0;
}
#endif

static int add_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp none = { 0 };
	for (size_t i = 0; i < sizeof(traced_calls) / sizeof(*traced_calls); i++)
		if (add(ctx, TRACE, traced_calls[i], 0, none) < 0)
			return -1;
	if (add_write_rules(ctx) < 0)
		return -1;
	/* A non-dumpable process hides /proc/PID/fd and its memory from an unprivileged tracer.
	 * (The kernel reads prctl's option, like fcntl's and ioctl's command, as 32 bits: the
	 * rules below compare only those, so high bits set by the program change nothing.) */
	if (add(ctx, TRACE, "prctl", 1,
		SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, PR_SET_DUMPABLE)) < 0)
		return -1;
	/* mmap(len >= 1 MiB, fd == -1): the fd is an int, so only its low 32 bits count. */
	int rc = seccomp_rule_add(ctx, TRACE, SCMP_SYS(mmap), 2, SCMP_A1(SCMP_CMP_GE, FILTER_BIG_MAP),
				  SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffULL, 0xffffffffULL));
	if (rc < 0) {
		snprintf(build_err, sizeof(build_err), "seccomp rule for mmap: %s", strerror(-rc));
		return -1;
	}
	if (add(ctx, TRACE, "mremap", 1, SCMP_A2(SCMP_CMP_GE, FILTER_BIG_MAP)) < 0)
		return -1;
	/* A new user or pid namespace would give the program pids forklab does not know (its
	 * kill and wait would name them): refused, as clone with those flags is by the tracer. */
	if (add(ctx, SCMP_ACT_ERRNO(EPERM), "unshare", 1,
		SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(EPERM), "unshare", 1,
		SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWPID, CLONE_NEWPID)) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(EPERM), "setns", 0, none) < 0)
		return -1;
	/* clone3 takes its flags in memory the filter cannot see: make libc fall back to clone.
	 * Asynchronous I/O (io_uring, Linux AIO) writes from the kernel's own threads after the
	 * call has returned: no stop could say what reached stdout and who wrote it. Both answer
	 * as if the kernel had none. */
	if (add(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, none) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(ENOSYS), "io_uring_setup", 0, none) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(ENOSYS), "io_setup", 0, none) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(EPERM), "ptrace", 0, none) < 0 ||
	    add(ctx, SCMP_ACT_ERRNO(EPERM), "process_vm_writev", 0, none) < 0)
		return -1;
	/* A filter of the program's own with a listener could answer SECCOMP_RET_USER_NOTIF, which
	 * outranks forklab's SECCOMP_RET_TRACE: a thread of the program would then let fork, clone
	 * (even CLONE_UNTRACED), kill and write through without a stop. Filters without a listener
	 * stay allowed: every action they can return either outranks TRACE by not running the call
	 * at all, or ranks below it. */
	if (add(ctx, SCMP_ACT_ERRNO(EPERM), "seccomp", 1,
		SCMP_A1(SCMP_CMP_MASKED_EQ, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			SECCOMP_FILTER_FLAG_NEW_LISTENER)) < 0)
		return -1;
	/* Signals sent without kill(): a descriptor's owner gets SIGIO/SIGURG (or any signal
	 * F_SETSIG names) when it becomes ready. The owner could be any process the program may
	 * signal, forklab included when it runs as the same user: setting one is refused. */
	static const int setown_fcntl[] = { F_SETOWN, F_SETOWN_EX, F_SETSIG };
	for (size_t i = 0; i < sizeof(setown_fcntl) / sizeof(*setown_fcntl); i++)
		if (add(ctx, SCMP_ACT_ERRNO(EPERM), "fcntl", 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL,
				(scmp_datum_t)setown_fcntl[i])) < 0)
			return -1;
	static const unsigned long setown_ioctl[] = { FIOSETOWN, SIOCSPGRP };
	for (size_t i = 0; i < sizeof(setown_ioctl) / sizeof(*setown_ioctl); i++)
		if (add(ctx, SCMP_ACT_ERRNO(EPERM), "ioctl", 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, setown_ioctl[i])) < 0)
			return -1;
	return 0;
}

/* Exports ctx's BPF through a memfd into *out. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *out)
{
	int fd = memfd_create("forklab-filter", MFD_CLOEXEC);
	if (fd < 0) {
		snprintf(build_err, sizeof(build_err), "memfd_create: %s", strerror(errno));
		return -1;
	}
	int rc = seccomp_export_bpf(ctx, fd);
	off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
	void *buf = size > 0 ? malloc((size_t)size) : NULL;
	if (!buf || pread(fd, buf, (size_t)size, 0) != size) {
		snprintf(build_err, sizeof(build_err), "cannot export the seccomp filter");
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	out->filter = buf;
	out->len = (unsigned short)((size_t)size / sizeof(struct sock_filter));
	return 0;
}

/* The every-write filter the tracer stacks into a process that made an alias of its stdout or
 * stderr: its writes then stop on every descriptor, as all writes did before. */
static int add_fallback_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp none = { 0 };
	for (size_t i = 0; i < sizeof(write_calls) / sizeof(*write_calls); i++)
		if (add(ctx, TRACE, write_calls[i].name, 0, none) < 0)
			return -1;
	return 0;
}

static int build_one(int (*rules)(scmp_filter_ctx), struct sock_fprog *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(build_err, sizeof(build_err), "seccomp_init failed");
		return -1;
	}
	/* A binary tree of syscall numbers rather than a list: every call of the program runs
	 * the filter (those the kernel cannot cache, i.e. the ones with argument checks). */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	int rc = rules(ctx) == 0 ? export_bpf(ctx, out) : -1;
	seccomp_release(ctx);
	return rc;
}

static void build(void)
{
	if (build_one(add_rules, &prog) == 0 && build_one(add_fallback_rules, &fallback) < 0) {
		free(prog.filter);
		prog.filter = NULL;
	}
}

const struct sock_fprog *filter_program(char *err, size_t errlen)
{
	pthread_once(&once, build);
	if (prog.filter)
		return &prog;
	snprintf(err, errlen, "%s", build_err[0] ? build_err : "cannot build the seccomp filter");
	return NULL;
}

const struct sock_fprog *fallback_program(void)
{
	pthread_once(&once, build);
	return prog.filter ? &fallback : NULL;
}

int filter_install(const struct sock_fprog *p)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, p, 0, 0);
}
