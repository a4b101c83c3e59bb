/* outfile.c - the --output FILE of forklab run and forklab grade: written under a new name of
 * its own beside FILE, then renamed over it, so that nothing already at any name (a FIFO, a
 * link, another user's file) is ever opened, and a reader never sees half a report. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* "<dir of path>/.<name of path>.XXXXXX". malloc'd, or NULL. */
static char *temp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char *t = NULL;
	if (asprintf(&t, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) < 0)
		return NULL;
	return t;
}

/* FILE is a terminal, a FIFO or another device (/dev/null, /dev/tty): written as it is. A new
 * file beside it and a rename would replace the device's name itself. O_NONBLOCK: a FIFO with
 * no reader is an error, not a hang. */
static FILE *open_device(struct outfile *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	return o->f;
}

/* The descriptor of forklab's own that path names: /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N (itself, or what its link says); -1 for any other path. */
static int own_fd(const char *path)
{
	char link[64];
	const char *names[2] = { path, NULL };
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		names[1] = link;
	}
	for (int i = 0; i < 2 && names[i]; i++) {
		int fd;
		char end;
		if (strcmp(names[i], "/dev/stdout") == 0)
			return 1;
		if (strcmp(names[i], "/dev/stderr") == 0)
			return 2;
		if ((sscanf(names[i], "/proc/self/fd/%d%c", &fd, &end) == 1 ||
		     sscanf(names[i], "/dev/fd/%d%c", &fd, &end) == 1) && fd >= 0)
			return fd;
	}
	return -1;
}

FILE *outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	o->path = path;
	o->tmp = NULL;
	/* One of forklab's own descriptors (whatever it is: a file, a pipe, a terminal): written
	 * through a copy of it; the name itself (as root, /dev/stdout) is never replaced. */
	int own = own_fd(path);
	if (own >= 0) {
		int fd = fcntl(own, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return NULL;
		if (!(o->f = fdopen(fd, "w"))) {
			int e = errno;
			close(fd);
			errno = e;
		}
		return o->f;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return open_device(o, path);
	o->tmp = temp_template(path);
	if (!o->tmp) {
		errno = ENOMEM;
		return NULL;
	}
	/* mkostemp: O_CREAT|O_EXCL under a random name, retried on a name already taken. */
	int fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd >= 0 && fchmod(fd, 0644) == 0 && (o->f = fdopen(fd, "w")) != NULL)
		return o->f;
	int e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(o->tmp);
	}
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
	return NULL;
}

int outfile_commit(struct outfile *o, bool keep)
{
	int rc = fclose(o->f) == 0 ? 0 : -1;
	int e = errno;
	o->f = NULL;
	if (!o->tmp) { /* a device, written as it is */
		errno = e;
		return rc;
	}
	if (rc == 0 && keep && rename(o->tmp, o->path) < 0) {
		rc = -1;
		e = errno;
	}
	if (rc < 0 || !keep)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
	return rc;
}
