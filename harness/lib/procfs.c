/* procfs.c - readers of /proc for the tracer. Every reader tolerates the process vanishing
 * under it (ENOENT, ESRCH): that is an ordinary event in a run, returned as -1. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procfs.h"

/* Reads the rest of a small /proc file from fd into buf (NUL-terminated), closing fd. Returns
 * bytes read. */
static ssize_t read_fd_small(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Reads a small /proc file into buf (NUL-terminated). Returns bytes read or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -1 : read_fd_small(fd, buf, len);
}

char procfs_fd_kind(const char *t)
{
	if (strncmp(t, "pipe:", 5) == 0)
		return 'p';
	if (strncmp(t, "socket:", 7) == 0)
		return 's';
	if (strcmp(t, "/dev/null") == 0)
		return 'n';
	if (strncmp(t, "/dev/pts/", 9) == 0 || strncmp(t, "/dev/tty", 8) == 0 ||
	    strcmp(t, "/dev/console") == 0 || strcmp(t, "/dev/ptmx") == 0)
		return 't';
	if (t[0] == '/')
		return 'f';
	return 'o';
}

unsigned long procfs_link_inode(const char *t)
{
	const char *b = strchr(t, '[');
	if (!b || (strncmp(t, "pipe:", 5) != 0 && strncmp(t, "socket:", 7) != 0))
		return 0;
	return strtoul(b + 1, NULL, 10);
}

int procfs_fd_target(pid_t pid, int fd, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	ssize_t n = readlink(path, buf, len - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The "flags:" line of fdinfo entry name (octal), or -1. */
static int fd_flags(int infodir, const char *name)
{
	char buf[512];
	int fd = openat(infodir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return procfs_parse_flags(buf);
}

int procfs_parse_flags(const char *fdinfo)
{
	const char *f = strstr(fdinfo, "flags:");
	return f ? (int)strtol(f + 6, NULL, 8) : -1;
}

static int cmp_fd(const void *a, const void *b)
{
	const struct rec_fd *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Adds descriptor name (a number) of the directories fddir / infodir to s. */
static int add_fd(struct rec_fdset *s, size_t *cap, int fddir, int infodir, const char *name)
{
	char target[4096];
	ssize_t n = readlinkat(fddir, name, target, sizeof(target) - 1);
	if (n < 0)
		return 0; /* closed meanwhile */
	target[n] = '\0';
	if (s->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct rec_fd *nf = realloc(s->fds, ncap * sizeof(*nf));
		if (!nf)
			return -1;
		s->fds = nf;
		*cap = ncap;
	}
	struct rec_fd *f = &s->fds[s->n];
	memset(f, 0, sizeof(*f));
	f->target = strdup(target);
	if (!f->target)
		return -1;
	f->fd = atoi(name);
	f->kind = procfs_fd_kind(target);
	f->inode = procfs_link_inode(target);
	f->flags = infodir >= 0 ? fd_flags(infodir, name) : -1;
	if (f->flags < 0)
		f->flags = 0;
	if (f->kind == 'p')
		f->end = (f->flags & O_ACCMODE) == O_WRONLY ? 'w' :
			 (f->flags & O_ACCMODE) == O_RDONLY ? 'r' : 0;
	s->n++;
	return 0;
}

/* Directory descriptors relative to /proc/PID: one path walk per snapshot, not per fd (an exec
 * takes this snapshot every time, so it shows in the benchmarks). */
int procfs_read_fds(pid_t pid, struct rec_fdset *s)
{
	char path[64];
	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int pdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return -1;
	int fddir = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int infodir = openat(pdir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pdir);
	DIR *d = fddir >= 0 ? fdopendir(fddir) : NULL;
	if (!d) {
		if (fddir >= 0)
			close(fddir);
		if (infodir >= 0)
			close(infodir);
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (add_fd(s, &cap, dirfd(d), infodir, de->d_name) < 0) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	if (infodir >= 0)
		close(infodir);
	if (rc < 0) {
		for (size_t i = 0; i < s->n; i++)
			free(s->fds[i].target);
		free(s->fds);
		memset(s, 0, sizeof(*s));
		return -1;
	}
	qsort(s->fds, s->n, sizeof(*s->fds), cmp_fd);
	s->taken = true;
	return 0;
}

int procfs_parse_stat(const char *buf, struct procfs_statline *sl)
{
	/* The command name may hold spaces and parentheses: fields start after the last ')'.
	 * After it: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
	 * stime cutime cstime priority nice threads itrealvalue, then starttime (field 22). */
	const char *p = strrchr(buf, ')');
	memset(sl, 0, sizeof(*sl));
	int pp, pg;
	if (!p || sscanf(p + 1, " %c %d %d", &sl->state, &pp, &pg) != 3)
		return -1;
	sl->ppid = pp;
	sl->pgrp = pg;
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %*u %*u %*u %*u %*d %*d %*d %*d "
		   "%*d %*d %llu", &sl->minflt, &sl->start) != 2)
		sl->minflt = sl->start = 0;
	return 0;
}

int procfs_stat_owner(pid_t pid, struct procfs_statline *sl, uid_t *uid)
{
	char path[64], buf[1024];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (uid) {
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		*uid = st.st_uid;
	}
	if (read_fd_small(fd, buf, sizeof(buf)) <= 0)
		return -1;
	return procfs_parse_stat(buf, sl);
}

static int read_stat(pid_t pid, struct procfs_statline *sl)
{
	return procfs_stat_owner(pid, sl, NULL);
}

int procfs_stat(pid_t pid, pid_t *ppid, pid_t *pgrp, char *state)
{
	struct procfs_statline sl;
	if (read_stat(pid, &sl) < 0)
		return -1;
	if (ppid)
		*ppid = sl.ppid;
	if (pgrp)
		*pgrp = sl.pgrp;
	if (state)
		*state = sl.state;
	return 0;
}

unsigned long long procfs_starttime(pid_t pid)
{
	struct procfs_statline sl;
	return read_stat(pid, &sl) < 0 ? 0 : sl.start;
}

long long procfs_parse_field(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	for (const char *line = buf; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			return strtoll(line + klen + 1, NULL, 10);
	return -1;
}

/* The value after "Key:" in /proc/PID/status, or -1. */
static long long status_field(pid_t pid, const char *key)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	return procfs_parse_field(buf, key);
}

long long procfs_minflt(pid_t pid)
{
	struct procfs_statline sl;
	return read_stat(pid, &sl) < 0 ? -1 : (long long)sl.minflt;
}

long long procfs_private_dirty_kib(pid_t pid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	return procfs_parse_field(buf, "Private_Dirty");
}

int procfs_syscall_nr(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 || !isdigit((unsigned char)buf[0]))
		return -1; /* "running", or "-1 ..." (in user space), or unreadable */
	return atoi(buf);
}

int procfs_wchan(pid_t pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if (read_small(path, buf, len) <= 0 || strcmp(buf, "0") == 0)
		return -1;
	return 0;
}

pid_t procfs_tgid(pid_t tid)
{
	return (pid_t)status_field(tid, "Tgid");
}

long long procfs_vmsize(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10) * sysconf(_SC_PAGESIZE);
}

long long procfs_vmpeak(pid_t pid)
{
	long long kb = status_field(pid, "VmPeak");
	return kb < 0 ? -1 : kb * 1024;
}

void procfs_each_pid(void (*fn)(pid_t pid, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (isdigit((unsigned char)de->d_name[0]))
			fn((pid_t)atoi(de->d_name), arg);
	closedir(d);
}
