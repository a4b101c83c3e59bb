/* t_pidns.c - runs a command as the only process of a new pid namespace (with its own /proc;
 * unprivileged, inside a user namespace that maps only the caller's own ids), so that whatever
 * the command leaves alive dies with the namespace instead of staying on the machine. Then it
 * tells whether anything was left: the namespace's first process adopts every orphan, so a
 * survivor is a child of it. Usage: t_pidns COMMAND [ARG...]. Prints "survivors: N" on stderr
 * (N alive once the command ended and 300 ms passed) and exits with the command's status. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int enter_namespaces(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int flags = CLONE_NEWPID | CLONE_NEWNS;
	if (uid != 0)
		flags |= CLONE_NEWUSER;
	if (unshare(flags) < 0) {
		perror("t_pidns: unshare");
		return -1;
	}
	if (uid != 0) {
		char map[64];
		snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
		if (write_file("/proc/self/uid_map", map) < 0 ||
		    write_file("/proc/self/setgroups", "deny\n") < 0) {
			perror("t_pidns: uid_map");
			return -1;
		}
		snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
		if (write_file("/proc/self/gid_map", map) < 0) {
			perror("t_pidns: gid_map");
			return -1;
		}
	}
	return 0;
}

/* Reaps what has ended; how many children are still alive. */
static int alive_children(void)
{
	int alive = 0;
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG | __WALL);
		if (p > 0)
			continue;
		if (p == 0)
			alive = 1;
		break;
	}
	if (!alive)
		return 0;
	/* count them: every process in this namespace but this one is a survivor */
	int n = 0;
	for (pid_t pid = 2; pid < 4096; pid++)
		if (kill(pid, 0) == 0)
			n++;
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: t_pidns COMMAND [ARG...]\n");
		return 2;
	}
	if (enter_namespaces() < 0)
		return 125;
	pid_t init = fork();
	if (init < 0) {
		perror("t_pidns: fork");
		return 125;
	}
	if (init > 0) {
		int st;
		while (waitpid(init, &st, 0) < 0)
			if (errno != EINTR)
				return 125;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 125;
	}
	/* pid 1 of the namespace: its own /proc, so pids in /proc are the namespace's */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		perror("t_pidns: mount /proc");
		_exit(125);
	}
	pid_t cmd = fork();
	if (cmd < 0) {
		perror("t_pidns: fork");
		_exit(125);
	}
	if (cmd == 0) {
		execvp(argv[1], argv + 1);
		perror("t_pidns: exec");
		_exit(127);
	}
	int st, code = 125;
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p == cmd) {
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		if (p < 0 && errno != EINTR)
			break;
	}
	usleep(300000);
	fprintf(stderr, "survivors: %d\n", alive_children());
	_exit(code); /* and with pid 1 gone, the kernel ends the rest of the namespace */
}
