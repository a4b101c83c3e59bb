/* sandbox.c - the traced program's start: scratch directory, run uid, staged files, stdin,
 * environment, and the child's setup between fork and exec. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <linux/landlock.h>
#include "record.h"
#include "sandbox.h"
#include "seccomp_filter.h"

#define RUN_UID_FIRST 61000
#define RUN_UID_COUNT 1000

enum stage {
	ST_SIGNALS = 1, ST_SESSION, ST_FDS, ST_LIMITS, ST_CHDIR, ST_UID, ST_CONFINE, ST_DUMPABLE,
	ST_FILTER, ST_STOP, ST_EXEC,
};

static const char *stage_name(int s)
{
	switch (s) {
	case ST_SIGNALS: return "cannot reset signals";
	case ST_SESSION: return "cannot start a session";
	case ST_FDS: return "cannot set up descriptors";
	case ST_LIMITS: return "cannot set limits";
	case ST_CHDIR: return "cannot enter the scratch directory";
	case ST_UID: return "cannot switch to the run uid";
	case ST_CONFINE: return "cannot confine its file access (Landlock)";
	case ST_DUMPABLE: return "cannot make itself traceable (PR_SET_DUMPABLE)";
	case ST_FILTER: return "cannot install the seccomp filter";
	case ST_STOP: return "cannot stop for the tracer";
	default: return "cannot execute";
	}
}

void sandbox_failure_text(const struct sandbox *sb, const struct sandbox_failure *f, char *buf,
			  size_t len)
{
	if (f->stage == ST_EXEC)
		snprintf(buf, len, "cannot execute %s: %s", sb->exe_path, strerror(f->err));
	else
		snprintf(buf, len, "%s for %s: %s", stage_name(f->stage), sb->exe_path,
			 strerror(f->err));
}

char *sandbox_resolve(const char *name, const char *path_env)
{
	if (!name || !*name) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/'))
		return strdup(name);
	const char *p = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
	int first_err = ENOENT;
	while (*p) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char *cand;
		if (asprintf(&cand, "%.*s/%s", (int)dlen, dlen ? p : ".", name) < 0)
			return NULL;
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0)
				return cand;
			first_err = EACCES;
		}
		free(cand);
		p += dlen;
		if (*p == ':')
			p++;
	}
	errno = first_err;
	return NULL;
}

/* The uid this process used last: it passed the passwd/group check, so the next run tries it
 * first. The lock itself is taken per run, so no descriptor outlives one. */
static uid_t last_uid;

/* The per-uid lock files, in one directory of forklab's own so that /tmp gets one entry. */
#define UID_LOCK_DIR "/tmp/.forklab-uids"

/* Opens (creating it if asked) one of forklab's own directories in /tmp; refuses one that
 * another user owns or could write, since what is in it could be faked. */
static int open_private_dir(const char *path, bool create)
{
	struct stat st;
	if (create && mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (fstat(dfd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(dfd);
		errno = EPERM;
		return -1;
	}
	return dfd;
}

static int try_lock_uid(struct sandbox *sb, int dfd, uid_t uid)
{
	char name[32];
	snprintf(name, sizeof(name), "%u.lock", (unsigned)uid);
	int fd = openat(dfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	sb->uid = uid;
	sb->gid = (gid_t)uid;
	sb->lock_fd = fd;
	last_uid = uid;
	return 0;
}

/* Marks the ids in our range that the third field of a passwd or group file uses. Read
 * directly, not through NSS: loading NSS modules costs more than the whole check. */
static void mark_used_ids(const char *path, unsigned char *used)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		unsigned long id = strtoul(p + 1, NULL, 10);
		if (id >= RUN_UID_FIRST && id < RUN_UID_FIRST + RUN_UID_COUNT)
			used[id - RUN_UID_FIRST] = 1;
	}
	fclose(f);
}

/* Claims an unused uid/gid in 61000-61999: in neither passwd nor group, and not claimed by
 * another forklab run (a flock on a file per uid, held for the run). */
static int claim_uid(struct sandbox *sb, char *err, size_t errlen)
{
	int dfd = open_private_dir(UID_LOCK_DIR, true);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot use %s for the run uid locks: %s", UID_LOCK_DIR,
			 strerror(errno));
		return -1;
	}
	int rc = -1;
	if (last_uid && try_lock_uid(sb, dfd, last_uid) == 0) {
		rc = 0;
		goto out;
	}
	unsigned char used[RUN_UID_COUNT] = { 0 };
	mark_used_ids("/etc/passwd", used);
	mark_used_ids("/etc/group", used);
	unsigned start = (unsigned)getpid() % RUN_UID_COUNT;
	for (unsigned i = 0; i < RUN_UID_COUNT && rc < 0; i++) {
		uid_t uid = RUN_UID_FIRST + (start + i) % RUN_UID_COUNT;
		if (!used[uid - RUN_UID_FIRST] && try_lock_uid(sb, dfd, uid) == 0)
			rc = 0;
	}
	if (rc < 0)
		snprintf(err, errlen, "no free run uid in %d-%d", RUN_UID_FIRST,
			 RUN_UID_FIRST + RUN_UID_COUNT - 1);
out:
	close(dfd);
	return rc;
}

/* Opens the directory that is to hold the last component of rel (a path under the scratch
 * directory), creating the ones before it, owned by the run uid. Everything is relative to the
 * scratch directory's descriptor and nothing follows a link. The descriptor, or -1 with errno;
 * *base is rel's last component. */
static int open_parent(const struct sandbox *sb, const char *rel, const char **base)
{
	int dfd = openat(sb->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *s = rel;
	for (const char *slash; dfd >= 0 && (slash = strchr(s, '/')) != NULL; s = slash + 1) {
		char name[256];
		size_t n = (size_t)(slash - s);
		if (n == 0)
			continue;
		if (n >= sizeof(name)) {
			close(dfd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(name, s, n);
		name[n] = '\0';
		int made = mkdirat(dfd, name, 0755) == 0;
		if (!made && errno != EEXIST) {
			close(dfd);
			return -1;
		}
		int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dfd);
		dfd = sub;
		if (dfd >= 0 && made && sb->drop && fchown(dfd, sb->uid, sb->gid) < 0) {
			close(dfd);
			return -1;
		}
	}
	*base = s;
	return dfd;
}

static int copy_fd(int in, int out)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
	}
}

static int stage_file(const struct sandbox *sb, const struct trace_stage *st, char *err,
		      size_t errlen)
{
	if (!st->dst || !*st->dst || st->dst[0] == '/' || strstr(st->dst, "..")) {
		snprintf(err, errlen, "bad staged file name '%s'", st->dst ? st->dst : "");
		return -1;
	}
	const char *base;
	int dfd = open_parent(sb, st->dst, &base);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot stage %s: %s", st->dst, strerror(errno));
		return -1;
	}
	/* Copied by forklab, perhaps as root: a link (to a file the program must not read) or a
	 * FIFO is refused. */
	int in = openat(st->dirfd > 2 ? st->dirfd : AT_FDCWD, st->src,
			O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat ist;
	if (in >= 0 && fstat(in, &ist) == 0 && !S_ISREG(ist.st_mode)) {
		close(in);
		in = -1;
		errno = EINVAL;
	}
	if (in < 0) {
		snprintf(err, errlen, "cannot stage %s: %s", st->src,
			 errno == ELOOP ? "a symbolic link" : errno == EINVAL ? "not a regular file" :
			 strerror(errno));
		close(dfd);
		return -1;
	}
	int out = openat(dfd, base, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	close(dfd);
	int rc = out < 0 ? -1 : copy_fd(in, out);
	if (rc == 0 && fchmod(out, (mode_t)(st->mode ? st->mode : 0644)) < 0)
		rc = -1;
	if (rc == 0 && sb->drop && fchown(out, sb->uid, sb->gid) < 0)
		rc = -1;
	if (rc < 0)
		snprintf(err, errlen, "cannot stage %s: %s", st->dst, strerror(errno));
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

static int open_stdin(struct sandbox *sb, const struct trace_opts *o, char *err, size_t errlen)
{
	if (o->stdin_path) {
		sb->stdin_fd = open(o->stdin_path, O_RDONLY | O_CLOEXEC);
		if (sb->stdin_fd < 0)
			snprintf(err, errlen, "cannot open %s: %s", o->stdin_path, strerror(errno));
		return sb->stdin_fd < 0 ? -1 : 0;
	}
	if (!o->stdin_data) {
		sb->stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (sb->stdin_fd < 0)
			snprintf(err, errlen, "cannot open /dev/null: %s", strerror(errno));
		return sb->stdin_fd < 0 ? -1 : 0;
	}
	/* The bytes go through an unlinked file: a pipe could fill up before the program reads. */
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	size_t len = strlen(o->stdin_data);
	if (fd < 0 || write(fd, o->stdin_data, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "cannot store stdin data: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sb->stdin_fd = fd;
	return 0;
}

static int build_env(struct sandbox *sb, const struct trace_opts *o)
{
	size_t extra = 0;
	while (o->env && o->env[extra])
		extra++;
	sb->envp = calloc(extra + 6, sizeof(char *));
	if (!sb->envp)
		return -1;
	size_t n = 0;
	if (asprintf(&sb->envp[n++], "PATH=%s/bin:/usr/local/bin:/usr/bin:/bin", sb->dir) < 0 ||
	    asprintf(&sb->envp[n++], "HOME=%s", sb->dir) < 0 ||
	    !(sb->envp[n++] = strdup("LC_ALL=C")) || !(sb->envp[n++] = strdup("TERM=dumb")))
		return -1;
	/* Confined, /tmp is not readable: temporary files (the compiler's) go to the scratch dir. */
	if (o->confine_fs && asprintf(&sb->envp[n++], "TMPDIR=%s", sb->dir) < 0)
		return -1;
	for (size_t i = 0; i < extra; i++)
		if (!(sb->envp[n++] = strdup(o->env[i])))
			return -1;
	return 0;
}

/* The program: o->exe_fd when given (argv[0] is then only its name), else argv[0] resolved
 * through PATH and opened here, before any uid change. */
static int open_program(struct sandbox *sb, const struct trace_opts *o, char *err, size_t errlen)
{
	const char *name = o->argv[0];
	sb->exe_path = o->exe_fd > 2 ? strdup(name) : sandbox_resolve(name, getenv("PATH"));
	if (!sb->exe_path) {
		snprintf(err, errlen, "cannot execute %s: %s", name, strerror(errno));
		return -1;
	}
	struct stat st;
	sb->exe_fd = o->exe_fd > 2 ? fcntl(o->exe_fd, F_DUPFD_CLOEXEC, 3) :
		open(sb->exe_path, O_PATH | O_CLOEXEC);
	if (sb->exe_fd < 0 || fstat(sb->exe_fd, &st) < 0) {
		snprintf(err, errlen, "cannot execute %s: %s", sb->exe_path, strerror(errno));
		return -1;
	}
	bool runnable = o->exe_fd > 2 ? (st.st_mode & 0111) != 0 : access(sb->exe_path, X_OK) == 0;
	if (!S_ISREG(st.st_mode) || !runnable) {
		snprintf(err, errlen, "cannot execute %s: %s", sb->exe_path,
			 strerror(S_ISDIR(st.st_mode) ? EISDIR : EACCES));
		return -1;
	}
	return 0;
}

static void remove_stale_dirs(void);
static void record_scratch(struct sandbox *sb);

int sandbox_prepare(struct sandbox *sb, const struct trace_opts *o, char *err, size_t errlen)
{
	memset(sb, 0, sizeof(*sb));
	sb->lock_fd = sb->exe_fd = sb->stdin_fd = sb->dir_fd = sb->rec_fd = -1;
	remove_stale_dirs();
	if (!o->argv || !o->argv[0]) {
		snprintf(err, errlen, "no program to run");
		return -1;
	}
	if (open_program(sb, o, err, errlen) < 0)
		goto fail;
	sb->drop = geteuid() == 0;
	if (sb->drop && claim_uid(sb, err, errlen) < 0)
		goto fail;
	strcpy(sb->dir, "/tmp/forklab-XXXXXX");
	if (!mkdtemp(sb->dir)) {
		snprintf(err, errlen, "cannot create a scratch directory: %s", strerror(errno));
		sb->dir[0] = '\0';
		goto fail;
	}
	struct stat st;
	sb->dir_fd = open(sb->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sb->dir_fd < 0 || flock(sb->dir_fd, LOCK_EX) < 0 || fstat(sb->dir_fd, &st) < 0) {
		snprintf(err, errlen, "cannot lock the scratch directory: %s", strerror(errno));
		goto fail;
	}
	sb->dir_dev = st.st_dev;
	sb->dir_ino = st.st_ino;
	record_scratch(sb);
	if (sb->drop && (fchown(sb->dir_fd, sb->uid, sb->gid) < 0 || fchmod(sb->dir_fd, 0700) < 0)) {
		snprintf(err, errlen, "cannot give the scratch directory away: %s", strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < o->nstage; i++)
		if (stage_file(sb, &o->stage[i], err, errlen) < 0)
			goto fail;
	if (open_stdin(sb, o, err, errlen) < 0)
		goto fail;
	if (build_env(sb, o) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	sandbox_cleanup(sb);
	return -1;
}

#define COLLECT_MAX_FILES 256
#define COLLECT_MAX_DEPTH 8
#define COLLECT_MAX_TOTAL ((size_t)16 << 20)

/* What collect_dir has room for still: the files' bytes are bounded in all, not only each. */
struct collect {
	struct record *r;
	size_t max;         /* of one file */
	size_t left;        /* of all of them together */
};

static int add_file(struct collect *c, int dirfd, const char *name, const char *rel)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	struct record *r = c->r;
	struct rec_file *nf = realloc(r->files, (r->nfiles + 1) * sizeof(*nf));
	if (!nf) {
		close(fd);
		return -1;
	}
	r->files = nf;
	struct rec_file *f = &r->files[r->nfiles];
	memset(f, 0, sizeof(*f));
	/* A sparse file costs its size, holes included, like any other. */
	size_t want = (size_t)st.st_size > c->max ? c->max : (size_t)st.st_size;
	if (want > c->left)
		want = c->left;
	f->name = strdup(rel);
	f->data = malloc(want + 1);
	if (!f->name || !f->data) {
		free(f->name);
		free(f->data);
		close(fd);
		return -1;
	}
	while (f->len < want) {
		ssize_t n = read(fd, f->data + f->len, want - f->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		f->len += (size_t)n;
	}
	f->data[f->len] = '\0';
	f->truncated = (size_t)st.st_size > f->len;
	f->mode = (int)(st.st_mode & 07777);
	c->left -= f->len;
	r->nfiles++;
	close(fd);
	return 0;
}

/* Walks one directory (given as an open descriptor, which it closes). */
static int collect_dir(struct collect *c, int fd, const char *prefix, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && c->r->nfiles < COLLECT_MAX_FILES && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char rel[4096];
		snprintf(rel, sizeof(rel), "%s%s%s", prefix, *prefix ? "/" : "", de->d_name);
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			rc = add_file(c, dirfd(d), de->d_name, rel);
		} else if (S_ISDIR(st.st_mode) && depth < COLLECT_MAX_DEPTH) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				rc = collect_dir(c, sub, rel, depth + 1);
		}
	}
	closedir(d);
	return rc;
}

int sandbox_collect_files(const struct sandbox *sb, struct record *r, size_t max_bytes)
{
	if (!sb->dir[0] || sb->dir_fd < 0)
		return 0;
	struct collect c = { r, max_bytes,
			     max_bytes > COLLECT_MAX_TOTAL ? max_bytes : COLLECT_MAX_TOTAL };
	int fd = openat(sb->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	return collect_dir(&c, fd, "", 0);
}

/* ---- removal: by descriptor, never by path, never through a link ---- */

/* Removing a scratch directory, perhaps as root, while a process of the run may still be
 * renaming things in it: every call is relative to a directory descriptor, a directory is
 * entered only after checking what was opened (a directory, on the scratch directory's file
 * system, owned by the run uid or by forklab), and a link is only ever unlinked itself. */
struct rm_ctx {
	dev_t dev;
	uid_t uid;          /* the run uid */
	int top;            /* the scratch directory: where too deep a tree is moved up to */
	unsigned moved;
};

#define RM_MAX_DEPTH 32
#define RM_PASSES 64

static bool may_enter(const struct rm_ctx *c, const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_dev == c->dev &&
	       (st->st_uid == c->uid || st->st_uid == geteuid());
}

/* Opens the directory name in dfd to empty it: not through a link, and only one may_enter
 * accepts. As an ordinary user the program shares forklab's uid and may have shut a
 * directory (chmod 000): it is opened up through the descriptor, not the name. -1 when not. */
static int open_subdir(int dfd, const char *name, const struct rm_ctx *c)
{
	struct stat st, st2;
	int pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0 || !may_enter(c, &st)) {
		close(pfd);
		return -1;
	}
	if (geteuid() != 0 && (st.st_mode & 0700) != 0700) {
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
		if (chmod(self, (st.st_mode & 07777) | 0700) < 0) {
			close(pfd);
			return -1;
		}
	}
	int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	if (fd >= 0 && (fstat(fd, &st2) < 0 || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Removes what the directory open at fd holds (fd is closed). True when it is empty. */
static bool empty_dir(int fd, struct rm_ctx *c, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	bool left = true;
	for (int pass = 0; left && pass < (depth ? 2 : RM_PASSES); pass++) {
		struct dirent *de;
		unsigned moved = c->moved;
		left = false;
		rewinddir(d);
		while ((de = readdir(d)) != NULL) {
			const char *n = de->d_name;
			if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
				continue;
			if (unlinkat(dirfd(d), n, 0) == 0 || errno == ENOENT)
				continue;
			if (errno != EISDIR) {
				left = true;
				continue;
			}
			if (depth >= RM_MAX_DEPTH) {
				/* Deeper than forklab holds descriptors for: moved up, to a
				 * later pass at the top. */
				char up[32];
				snprintf(up, sizeof(up), ".forklab-rm-%u", c->moved);
				if (renameat(dirfd(d), n, c->top, up) == 0)
					c->moved++;
				else if (errno != ENOENT)
					left = true;
				continue;
			}
			int sub = open_subdir(dirfd(d), n, c);
			if (sub >= 0)
				empty_dir(sub, c, depth + 1);
			if (unlinkat(dirfd(d), n, AT_REMOVEDIR) < 0 && errno != ENOENT)
				left = true;
		}
		if (depth == 0 && c->moved != moved)
			left = true; /* what was moved up is for the next pass */
	}
	closedir(d);
	return !left;
}

/* Empties and removes /tmp/<name>, which must be the directory (dev, ino) owned by uid: first
 * emptied through a descriptor of it, then removed only if the name still stands for it. */
static void remove_scratch(const char *name, dev_t dev, ino_t ino, uid_t uid)
{
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tmp < 0)
		return;
	struct rm_ctx c = { .dev = dev, .uid = uid };
	struct stat st;
	c.top = open_subdir(tmp, name, &c);
	if (c.top >= 0 && fstat(c.top, &st) == 0 && st.st_ino == ino) {
		int fd = openat(c.top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && empty_dir(fd, &c, 0) &&
		    fstatat(tmp, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == dev &&
		    st.st_ino == ino)
			unlinkat(tmp, name, AT_REMOVEDIR);
	}
	if (c.top >= 0)
		close(c.top);
	close(tmp);
}

/* ---- the janitor ---- */

/* Each scratch directory is written down while its run lasts, in a directory only forklab's
 * user can write, as a file named like it holding "dev ino uid" and locked by the run. A
 * forklab that was killed (SIGKILL, a test runner's timeout) leaves its directory and an
 * unlocked note: the next forklab of the same user removes that directory if it is still the
 * one noted. A /tmp/forklab-* directory without a note is never touched. */
static void scratch_notes_dir(char *path, size_t len)
{
	snprintf(path, len, "/tmp/.forklab-scratch-%u", (unsigned)geteuid());
}

/* Best effort: without a note the run works the same, but a killed forklab's directory stays. */
static void record_scratch(struct sandbox *sb)
{
	char path[64], note[96];
	scratch_notes_dir(path, sizeof(path));
	int dfd = open_private_dir(path, true);
	if (dfd < 0)
		return;
	const char *name = sb->dir + strlen("/tmp/forklab-");
	int fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(dfd, name, 0) == 0)
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int n = snprintf(note, sizeof(note), "%llu %llu %u\n", (unsigned long long)sb->dir_dev,
			 (unsigned long long)sb->dir_ino,
			 (unsigned)(sb->drop ? sb->uid : geteuid()));
	if (fd >= 0 && (flock(fd, LOCK_EX) < 0 || write(fd, note, (size_t)n) != n)) {
		unlinkat(dfd, name, 0);
		close(fd);
		fd = -1;
	}
	sb->rec_fd = fd;
	close(dfd);
}

static void forget_scratch(const struct sandbox *sb)
{
	char path[64];
	scratch_notes_dir(path, sizeof(path));
	int dfd = open_private_dir(path, false);
	if (dfd < 0)
		return;
	unlinkat(dfd, sb->dir + strlen("/tmp/forklab-"), 0);
	close(dfd);
}

/* Once per process: the directories of killed forklabs of this user, from their notes. */
static void remove_stale_dirs(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	char path[64];
	scratch_notes_dir(path, sizeof(path));
	int dfd = open_private_dir(path, false);
	if (dfd < 0)
		return;
	int lfd = dup(dfd);
	DIR *d = lfd < 0 ? NULL : fdopendir(lfd);
	if (!d) {
		if (lfd >= 0)
			close(lfd);
		close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strlen(de->d_name) != 6)
			continue;
		int fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		char note[96];
		unsigned long long dev, ino;
		unsigned uid;
		ssize_t n = flock(fd, LOCK_EX | LOCK_NB) == 0 ? read(fd, note, sizeof(note) - 1) : -1;
		if (n > 0) {
			note[n] = '\0';
			if (sscanf(note, "%llu %llu %u", &dev, &ino, &uid) == 3) {
				char name[32];
				snprintf(name, sizeof(name), "forklab-%s", de->d_name);
				remove_scratch(name, (dev_t)dev, (ino_t)ino, (uid_t)uid);
				unlinkat(dfd, de->d_name, 0);
			}
		}
		close(fd);
	}
	closedir(d);
	close(dfd);
}

void sandbox_cleanup(struct sandbox *sb)
{
	if (sb->dir[0] && sb->dir_ino == 0) {
		rmdir(sb->dir); /* made, but never opened: still forklab's own, and empty */
		sb->dir[0] = '\0';
	}
	if (sb->dir[0]) {
		remove_scratch(sb->dir + strlen("/tmp/"), sb->dir_dev, sb->dir_ino,
			       sb->drop ? sb->uid : geteuid());
		if (sb->rec_fd >= 0)
			forget_scratch(sb);
		sb->dir[0] = '\0';
	}
	if (sb->rec_fd >= 0)
		close(sb->rec_fd);
	sb->rec_fd = -1;
	if (sb->lock_fd >= 0)
		close(sb->lock_fd);
	if (sb->dir_fd >= 0)
		close(sb->dir_fd);
	sb->dir_fd = -1;
	if (sb->exe_fd >= 0)
		close(sb->exe_fd);
	if (sb->stdin_fd >= 0)
		close(sb->stdin_fd);
	sb->lock_fd = sb->exe_fd = sb->stdin_fd = -1;
	if (sb->envp)
		for (size_t i = 0; sb->envp[i]; i++)
			free(sb->envp[i]);
	free(sb->envp);
	sb->envp = NULL;
	free(sb->exe_path);
	sb->exe_path = NULL;
}

/* ---- child side: only async-signal-safe calls from here on ---- */

static void __attribute__((noreturn)) child_fail(int errpipe, int stage)
{
	struct sandbox_failure f = { stage, errno };
	while (write(errpipe, &f, sizeof(f)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* Sets a limit; when unprivileged, never above the current hard limit. */
static int set_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit cur;
	if (getrlimit(res, &cur) < 0)
		return -1;
	if (geteuid() != 0 && cur.rlim_max != RLIM_INFINITY) {
		if (hard > cur.rlim_max)
			hard = cur.rlim_max;
		if (soft > hard)
			soft = hard;
	}
	struct rlimit rl = { soft, hard };
	return setrlimit(res, &rl);
}

static int set_limits(const struct trace_opts *o)
{
	rlim_t mem = (rlim_t)o->mem_mib << 20;
	rlim_t fsize = (rlim_t)o->fsize_mib << 20;
	/* Whole seconds, rounded up (no libm: the harness links without it). */
	double secs = o->cpu_s > 0 ? o->cpu_s : o->timeout_s;
	rlim_t cpu = (rlim_t)secs;
	if ((double)cpu < secs)
		cpu++;
	if (cpu < 1)
		cpu = 1;
	if (set_limit(RLIMIT_AS, mem, mem) < 0 || set_limit(RLIMIT_CPU, cpu, cpu + 1) < 0 ||
	    set_limit(RLIMIT_NOFILE, (rlim_t)o->nofile, (rlim_t)o->nofile) < 0 ||
	    set_limit(RLIMIT_FSIZE, fsize, fsize) < 0 || set_limit(RLIMIT_CORE, 0, 0) < 0)
		return -1;
	return 0;
}

static int reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL); /* fails harmlessly for the libc-reserved ones */
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

static int set_fds(const struct sandbox *sb, int out_w, int err_w)
{
	if (dup2(sb->stdin_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
		return -1;
	/* Everything above 2 goes at exec (the error pipe and exe_fd must live until then). */
	return (int)syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
}

/* What a confined program (trace_opts.confine_fs) may read or execute: the system's files,
 * a few devices, /proc, its scratch directory and the program itself. Everything else (the
 * grader's checkout, other users' files in /tmp) cannot be opened for reading, listed or
 * executed. Writing is left to the usual permissions. */
#define CONFINE_ACCESS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | \
			LANDLOCK_ACCESS_FS_READ_DIR)
static const char *const confine_paths[] = {
	"/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc",
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
	"/dev/shm", "/dev/pts", NULL,
};

/* Allows CONFINE_ACCESS beneath fd (only the file's rights when it is not a directory). */
static int confine_allow(int ruleset, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	struct landlock_path_beneath_attr pb = {
		.allowed_access = S_ISDIR(st.st_mode) ? CONFINE_ACCESS :
			CONFINE_ACCESS & ~(__u64)LANDLOCK_ACCESS_FS_READ_DIR,
		.parent_fd = fd,
	};
	return (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
}

/* Landlock, when the kernel has it; without it (ENOSYS, EOPNOTSUPP) the run goes on unconfined,
 * as docs/harness.md says. In the child: open, fstat and the syscalls are all it uses. */
static int confine_fs(const struct sandbox *sb)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = CONFINE_ACCESS };
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && confine_paths[i]; i++) {
		int fd = open(confine_paths[i], O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue; /* not on this system */
		rc = confine_allow(rs, fd);
		close(fd);
	}
	int dfd = rc == 0 ? openat(sb->dir_fd, ".", O_PATH | O_CLOEXEC) : -1;
	if (dfd < 0 || confine_allow(rs, dfd) < 0 || confine_allow(rs, sb->exe_fd) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		rc = -1;
	if (dfd >= 0)
		close(dfd);
	close(rs);
	return rc;
}

static int drop_uid(const struct sandbox *sb)
{
	if (!sb->drop)
		return 0;
	if (setgroups(0, NULL) < 0 || setgid(sb->gid) < 0 || setuid(sb->uid) < 0)
		return -1;
	return 0;
}

void sandbox_child(const struct sandbox *sb, const struct trace_opts *o,
		   const struct sock_fprog *filter, int out_w, int err_w, int errpipe,
		   pid_t tracer)
{
	if (reset_signals() < 0)
		child_fail(errpipe, ST_SIGNALS);
	if (setsid() < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(errpipe, ST_SESSION);
	if (getppid() != tracer)
		_exit(127); /* forklab died before the death signal was armed */
	if (set_fds(sb, out_w, err_w) < 0)
		child_fail(errpipe, ST_FDS);
	if (set_limits(o) < 0)
		child_fail(errpipe, ST_LIMITS);
	if (chdir(sb->dir) < 0)
		child_fail(errpipe, ST_CHDIR);
	if (drop_uid(sb) < 0)
		child_fail(errpipe, ST_UID);
	if (o->confine_fs && confine_fs(sb) < 0)
		child_fail(errpipe, ST_CONFINE);
	/* forklab is non-dumpable during a run (so the program cannot open /proc/FORKLAB/mem)
	 * and a fork inherits that; an unprivileged tracer can only seize a dumpable child. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		child_fail(errpipe, ST_DUMPABLE);
	/* Stop for the tracer before the filter goes in: a TRACE rule hit with no tracer
	 * attached fails the call with ENOSYS, and raise() itself is one (tgkill). */
	if (raise(SIGSTOP) < 0)
		child_fail(errpipe, ST_STOP);
	if (!o->untraced && filter_install(filter) < 0)
		child_fail(errpipe, ST_FILTER);
	syscall(SYS_execveat, sb->exe_fd, "", o->argv, sb->envp, AT_EMPTY_PATH);
	/* Where execveat is emulated by the path the descriptor was opened with (Valgrind does:
	 * `make memcheck`), a path the run's uid cannot reach fails; the descriptor's own
	 * /proc/self/fd link needs no directory on the way. */
	if (errno == EACCES) {
		char path[32] = "/proc/self/fd/";
		char digits[12];
		int n = 0;
		for (unsigned v = (unsigned)sb->exe_fd; n == 0 || v; v /= 10)
			digits[n++] = (char)('0' + v % 10);
		size_t len = strlen(path);
		while (n > 0)
			path[len++] = digits[--n];
		path[len] = '\0';
		execve(path, o->argv, sb->envp);
		errno = EACCES;
	}
	/* A script cannot run from a close-on-exec descriptor (its interpreter would need
	 * /dev/fd/N): try the path itself. Where the run's uid cannot reach that path (a
	 * checkout under /root), hand the interpreter the descriptor, left open for it. */
	if (errno == ENOENT) {
		execve(sb->exe_path, o->argv, sb->envp);
		if (errno == EACCES && fcntl(sb->exe_fd, F_SETFD, 0) == 0)
			syscall(SYS_execveat, sb->exe_fd, "", o->argv, sb->envp, AT_EMPTY_PATH);
	}
	child_fail(errpipe, ST_EXEC);
}
