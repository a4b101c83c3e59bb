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

FILE *outfile_open(struct outfile *o, const char *path)
{
	o->path = path;
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
