/* t_alias.c - writes to the captured stdout or stderr through a second descriptor on the same
 * pipe, made each way a program can make one. The tracer's base filter stops only writes to
 * descriptors 1 and 2; each of these must still be attributed to the process that wrote, in
 * order. Usage: t_alias MODE, one of:
 *   dup dup2 dup3 fcntl devstdout procfd symlink scm pidfd thread clonefiles exec copy
 *   saverestore order
 * Every write names its mode; the expected output is in test_trace.c. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write");
}

static int check(int fd, const char *what)
{
	if (fd < 0)
		die(what);
	return fd;
}

static void wait_child(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("child");
}

/* Sends descriptor fd to itself over a socket pair and returns the descriptor received. */
static int pass_fd(int fd)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	char byte = 'x';
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) != 1)
		die("sendmsg");
	memset(&u, 0, sizeof(u));
	m.msg_controllen = sizeof(u.buf);
	if (recvmsg(sv[1], &m, 0) != 1)
		die("recvmsg");
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		die("no descriptor received");
	int got;
	memcpy(&got, CMSG_DATA(c), sizeof(int));
	close(sv[0]);
	close(sv[1]);
	return got;
}

static void *thread_dup(void *arg)
{
	int *fd = arg;
	*fd = check(dup(1), "dup");
	put(*fd, "thread\n");
	return NULL;
}

static int clone_fd = -1;

static int clone_child(void *arg)
{
	(void)arg;
	clone_fd = dup(1);
	if (clone_fd < 0)
		_exit(2);
	const char *s = "clone child\n";
	_exit(write(clone_fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : 2);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "dup") == 0) {
		put(check(dup(1), "dup"), "dup\n");
	} else if (strcmp(mode, "dup2") == 0) {
		put(check(dup2(1, 7), "dup2"), "dup2\n");
	} else if (strcmp(mode, "dup3") == 0) {
		/* onto 0: a number the base filter does not look at either */
		put(check(dup3(2, 0, 0), "dup3"), "dup3 to stderr\n");
	} else if (strcmp(mode, "fcntl") == 0) {
		put(check(fcntl(1, F_DUPFD_CLOEXEC, 10), "fcntl"), "fcntl\n");
	} else if (strcmp(mode, "devstdout") == 0) {
		put(check(open("/dev/stdout", O_WRONLY), "/dev/stdout"), "devstdout\n");
	} else if (strcmp(mode, "procfd") == 0) {
		put(check(open("/proc/self/fd/2", O_RDWR), "/proc/self/fd/2"), "procfd\n");
	} else if (strcmp(mode, "symlink") == 0) {
		if (symlink("/dev/stdout", "out") < 0)
			die("symlink");
		put(check(open("out", O_WRONLY | O_APPEND), "out"), "symlink\n");
	} else if (strcmp(mode, "scm") == 0) {
		put(pass_fd(1), "scm\n");
	} else if (strcmp(mode, "pidfd") == 0) {
		int pfd = check((int)syscall(SYS_pidfd_open, getpid(), 0), "pidfd_open");
		put(check((int)syscall(SYS_pidfd_getfd, pfd, 1, 0), "pidfd_getfd"), "pidfd\n");
	} else if (strcmp(mode, "thread") == 0) {
		pthread_t th;
		int fd = -1;
		if (pthread_create(&th, NULL, thread_dup, &fd) != 0 || pthread_join(th, NULL) != 0)
			die("pthread");
		put(fd, "main\n");
	} else if (strcmp(mode, "clonefiles") == 0) {
		static char stack[64 * 1024];
		pid_t pid = clone(clone_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD, NULL);
		if (pid < 0)
			die("clone");
		wait_child(pid);
		/* the child's dup is in the table both share; the child's clone_fd is its own copy
		 * of the variable: the lowest free descriptor, 3 */
		put(3, "clone parent\n");
	} else if (strcmp(mode, "exec") == 0) {
		check(dup2(1, 9), "dup2");
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", "echo exec >&9", (char *)NULL);
			_exit(127);
		}
		wait_child(pid);
		put(9, "after exec\n");
	} else if (strcmp(mode, "copy") == 0) {
		int fd = check(dup(1), "dup");
		char msg[] = "vmsplice\n";
		struct iovec iov = { msg, strlen(msg) };
		if (vmsplice(fd, &iov, 1, 0) != (ssize_t)strlen(msg))
			die("vmsplice");
		int p[2];
		if (pipe(p) < 0)
			die("pipe");
		put(p[1], "splice\n");
		if (splice(p[0], NULL, fd, NULL, 7, 0) != 7)
			die("splice");
		FILE *f = tmpfile();
		if (!f || fputs("sendfile\n", f) < 0 || fflush(f) != 0)
			die("tmpfile");
		off_t off = 0;
		if (sendfile(fd, fileno(f), &off, 9) != 9)
			die("sendfile");
	} else if (strcmp(mode, "saverestore") == 0) {
		/* the classic way to send stdout elsewhere for a while */
		int saved = check(dup(1), "dup");
		int null = check(open("/dev/null", O_WRONLY), "/dev/null");
		check(dup2(null, 1), "dup2");
		put(1, "hidden\n");
		check(dup2(saved, 1), "dup2");
		close(saved);
		close(null);
		put(1, "restored\n");
	} else if (strcmp(mode, "order") == 0) {
		/* parent and child take turns, each on its own alias, told apart in order */
		int fd = check(dup(1), "dup");
		int ping[2], pong[2];
		if (pipe(ping) < 0 || pipe(pong) < 0)
			die("pipe");
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		char c;
		for (int i = 0; i < 3; i++) {
			if (pid == 0) {
				if (read(ping[0], &c, 1) != 1)
					_exit(2);
				put(fd, "child\n");
				if (write(pong[1], "x", 1) != 1)
					_exit(2);
			} else {
				put(fd, "parent\n");
				if (write(ping[1], "x", 1) != 1 || read(pong[0], &c, 1) != 1)
					die("ping");
			}
		}
		if (pid == 0)
			_exit(0);
		wait_child(pid);
	} else {
		fprintf(stderr, "t_alias: unknown mode '%s'\n", mode);
		return 2;
	}
	return 0;
}
