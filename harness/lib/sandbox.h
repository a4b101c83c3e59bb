/* sandbox.h - everything about the traced program's start that is not ptrace: the scratch
 * directory, the uid it runs as (when forklab is root), its stdin, environment, limits and
 * descriptors. The child side only sets up and then execs or _exits. */
#ifndef FORKLAB_SANDBOX_H
#define FORKLAB_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/filter.h>
#include "trace.h"

struct sandbox {
	char dir[64];       /* scratch directory (the program's cwd and HOME) */
	bool drop;          /* forklab is root: run as uid/gid below */
	uid_t uid;
	gid_t gid;
	int lock_fd;        /* flock held on the claimed uid while the run lasts */
	int dir_fd;         /* the scratch directory, flock'ed while the run lasts (a directory
			       nobody holds is a leftover of a killed forklab: see the janitor) */
	dev_t dir_dev;      /* what the scratch directory is: removal checks it is still that */
	ino_t dir_ino;
	int rec_fd;         /* its note for the janitor, locked while the run lasts (sandbox.c) */
	int exe_fd;         /* O_PATH descriptor of the program, opened before any uid change */
	char *exe_path;     /* the program's path (resolved through PATH when it had no '/') */
	int stdin_fd;       /* what becomes the program's stdin */
	char **envp;
};

/* What the child reports on its error pipe when setup or exec fails. */
struct sandbox_failure {
	int stage;          /* enum in sandbox.c; see sandbox_failure_text() */
	int err;            /* errno */
};

/* Prepares the run (resolve program, claim uid, scratch dir, stage files, stdin, env). 0 or -1
 * with one line in err; on -1 nothing is left behind. */
int sandbox_prepare(struct sandbox *sb, const struct trace_opts *o, char *err, size_t errlen);

/* In the forked child. Sets up (session, limits, fds, cwd, uid, filter), stops itself so the
 * tracer can seize it, then execs. Does not return: on failure it writes a sandbox_failure on
 * errpipe and _exits 127. */
void sandbox_child(const struct sandbox *sb, const struct trace_opts *o,
		   const struct sock_fprog *filter, int out_w, int err_w, int errpipe,
		   pid_t tracer) __attribute__((noreturn));

/* "cannot execute ./x: Permission denied" and the like, into buf. */
void sandbox_failure_text(const struct sandbox *sb, const struct sandbox_failure *f, char *buf,
			  size_t len);

struct record;
/* Reads the scratch directory's regular files (not following links, at most max_bytes of each,
 * at most 16 MiB of them all (or max_bytes when larger), at most 256 files, 8 levels deep) into
 * r->files; a file cut short is flagged truncated. 0, or -1 when out of memory. */
int sandbox_collect_files(const struct sandbox *sb, struct record *r, size_t max_bytes);

/* Removes the scratch directory (through descriptors, never following a link, entering only
 * directories of the run's uid), releases the uid, closes descriptors. Safe to call twice. */
void sandbox_cleanup(struct sandbox *sb);

/* Resolves a command name through PATH like a shell (names with '/' are returned as they are).
 * Returns a malloc'd path, or NULL with errno (ENOENT when not found). */
char *sandbox_resolve(const char *name, const char *path_env);

#endif
