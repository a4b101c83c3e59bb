/* build.c - building a lab for the grader: the student's sources compiled by cc running in the
 * run's sandbox (untraced), so that what it reads is what the program could read; or a
 * prebuilt executable taken as it is (--bin). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "grade_int.h"
#include "sandbox.h"

/* The flags students' programs are built with: warnings shown, never fatal. */
static const char *const lab_cflags[] = {
	"-std=gnu11", "-D_GNU_SOURCE", "-O1", "-g", "-Wall", "-Wextra", NULL,
};

#define MAX_BUILD_LOG (64 * 1024)

/* mkdir -p. 0 or -1 with errno. */
static int mkdirs(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}


static const char *base_name(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	static __thread char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%.*s", (int)n, path);
	char *slash = strrchr(buf, '/');
	return slash && slash[1] ? slash + 1 : buf;
}

#define BUILD_TIMEOUT_S 60
#define BUILD_MAX_FILES 64          /* files of a lab directory copied for the compiler */
#define BUILD_MAX_FILE (1 << 20)    /* the largest of them */
#define BUILD_MAX_PROGRAM_KIB (64 * 1024)

/* What the compiler is given: copies of the lab directory's regular files (its sources, and any
 * header beside them), as <lab>/<name> in its scratch directory. */
struct build_files {
	struct trace_stage st[BUILD_MAX_FILES];
	char *src[BUILD_MAX_FILES], *dst[BUILD_MAX_FILES];
	size_t n;
};

static void build_files_free(struct build_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->src[i]);
		free(f->dst[i]);
	}
	f->n = 0;
}

/* Adds name (in the lab directory open at labfd) to what the compiler is given, as lab/name.
 * 0, or -1 (out of memory). */
static int add_build_file(struct build_files *f, int labfd, const char *lab, const char *name)
{
	f->src[f->n] = strdup(name);
	f->dst[f->n] = grade_asprintf("%s/%s", lab, name);
	if (!f->src[f->n] || !f->dst[f->n]) {
		free(f->src[f->n]);
		free(f->dst[f->n]);
		errno = ENOMEM;
		return -1;
	}
	f->st[f->n] = (struct trace_stage){ f->src[f->n], f->dst[f->n], 0644, labfd };
	f->n++;
	return 0;
}

static bool is_source(const struct lab *lab, const char *name)
{
	for (size_t i = 0; lab->sources[i]; i++)
		if (strcmp(lab->sources[i], name) == 0)
			return true;
	return false;
}

/* The lab's sources (checked to be regular files), then the lab directory's other regular
 * files up to BUILD_MAX_FILES (links, directories and files over BUILD_MAX_FILE left out). 0, or
 * -1 with errno. */
static int list_lab_files(int labfd, const struct lab *lab, struct build_files *f)
{
	for (size_t i = 0; lab->sources[i]; i++)
		if (add_build_file(f, labfd, lab->name, lab->sources[i]) < 0)
			return -1;
	int fd = openat(labfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && f->n < BUILD_MAX_FILES && (de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.' || is_source(lab, de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_size > BUILD_MAX_FILE)
			continue;
		rc = add_build_file(f, labfd, lab->name, de->d_name);
	}
	closedir(d);
	return rc;
}

/* What the compiler said (stderr, then stdout), at most MAX_BUILD_LOG bytes; NULL when nothing. */
static char *compiler_log(const struct record *r)
{
	size_t ne = r->err.len, no = r->out.len;
	if (ne > MAX_BUILD_LOG)
		ne = MAX_BUILD_LOG;
	if (no > MAX_BUILD_LOG - ne)
		no = MAX_BUILD_LOG - ne;
	if (ne + no == 0)
		return NULL;
	char *log = malloc(ne + no + 1);
	if (!log)
		return NULL;
	if (ne)
		memcpy(log, r->err.data, ne);
	if (no)
		memcpy(log + ne, r->out.data, no);
	log[ne + no] = '\0';
	return log;
}

static int write_all(int fd, const char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Writes the compiled program (a file the compiler left in its scratch directory) as a new
 * file name in the directory open at dfd. 0, or -1 with errno. */
static int save_program(const struct rec_file *f, int dfd, const char *name)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0755);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, f->data, f->len);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Leaves a copy of the program at path for the student to try (the handouts'
 * build/grade/labs/... commands): written as a new file under a random name and renamed, so a
 * program another grader is running is replaced, never overwritten. Nothing reads it back.
 * 0, or -1 with errno. */
static int publish_program(const struct rec_file *f, const char *path)
{
	char *tmp = grade_asprintf("%s.XXXXXX", path);
	if (!tmp)
		return -1;
	int fd = mkostemp(tmp, O_CLOEXEC);
	int rc = fd < 0 ? -1 : 0;
	if (rc == 0 && (fchmod(fd, 0755) < 0 || write_all(fd, f->data, f->len) < 0))
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0 && fd >= 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}

/* The build's own directory, build_dir/grade/.build-XXXXXX (mode 0700): the program that is
 * graded is written there and run from a descriptor of it, so that two graders at once never
 * share a file. lab_result_free removes it. 0, or -1 with err set. */
static int make_workdir(const struct grade_opts *o, struct lab_result *out, char *err,
			size_t errlen)
{
	char *parent = grade_asprintf("%s/grade", o->build_dir);
	out->workdir = grade_asprintf("%s/grade/.build-XXXXXX", o->build_dir);
	int rc = 0;
	if (!parent || !out->workdir) {
		grade_errf(err, errlen, "out of memory");
		rc = -1;
	} else if (mkdirs(parent) < 0 || !mkdtemp(out->workdir)) {
		grade_errf(err, errlen, "cannot create a directory in %s: %s", parent,
			   strerror(errno));
		free(out->workdir);
		out->workdir = NULL;
		rc = -1;
	}
	free(parent);
	return rc;
}

/* Opens o->labs_dir/<lab> without following a link at either name (a submission's link would
 * hand the compiler another directory, the reference solutions say). The descriptor; or -1
 * with *why set (missing, a link: a build verdict), or NULL when out of memory. */
static int open_lab_dir(const struct lab *lab, const struct grade_opts *o, char **why)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int labs = open(o->labs_dir, flags);
	int fd = labs < 0 ? -1 : openat(labs, lab->name, flags);
	int e = errno;
	if (labs >= 0)
		close(labs);
	if (fd >= 0)
		return fd;
	if (e == ENOENT) /* said of the file the student was to hand in */
		*why = grade_asprintf("%s/%s/%s: %s", o->labs_dir, lab->name, lab->sources[0],
				      strerror(e));
	else
		*why = grade_asprintf("%s%s%s: %s", o->labs_dir, labs < 0 ? "" : "/",
				      labs < 0 ? "" : lab->name, e == ELOOP || e == ENOTDIR ?
				      "not a directory (a symbolic link is refused: submit the "
				      "directory itself)" : strerror(e));
	return -1;
}

/* Builds the lab from o->labs_dir: a missing file or a compile error is recorded in out
 * (built = false); -1 only when forklab failed.
 * The compiler reads the student's sources and whatever they #include or .incbin: run by a
 * root forklab it could put any file of the machine into the program or its error messages. So
 * it runs as the lab's programs do (trace_run, untraced): as the run uid, in a scratch
 * directory, on copies of the lab directory's files (read through a descriptor of that
 * directory, never through a link), confined by Landlock to the system's files, within limits;
 * the program comes back through collect_files and is written to a private directory
 * (make_workdir), with a copy for the student under build_dir/grade/<labs>/<lab>/. */
int grade_build_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
		    char *err, size_t errlen)
{
	size_t nsrc = 0;
	while (lab->sources && lab->sources[nsrc])
		nsrc++;
	if (!lab->program || !*lab->program || nsrc == 0 || nsrc > 32) {
		grade_errf(err, errlen, "lab %s names no program or no sources (a bug in its table)",
		     lab->name);
		return -1;
	}
	struct build_files files = { .n = 0 };
	char *dir = grade_asprintf("%s/grade/%s/%s", o->build_dir, base_name(o->labs_dir), lab->name);
	char *cc = sandbox_resolve("cc", getenv("PATH"));
	char *srcs[32] = { NULL }, *bin = NULL;
	struct record *r = NULL;
	int ret = -1, labfd = -1, wfd = -1;
	if (!dir) {
		grade_errf(err, errlen, "out of memory");
		goto out;
	}
	if (!cc) {
		grade_errf(err, errlen, "cannot build %s: no C compiler (cc) in PATH", lab->name);
		goto out;
	}
	labfd = open_lab_dir(lab, o, &out->build_log);
	if (labfd < 0) {
		if (out->build_log)
			ret = 0;
		else
			grade_errf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nsrc; i++) {
		struct stat st;
		int e = fstatat(labfd, lab->sources[i], &st, AT_SYMLINK_NOFOLLOW) < 0 ? errno : 0;
		if (e || !S_ISREG(st.st_mode) || st.st_size > BUILD_MAX_FILE) {
			out->build_log = e ? grade_asprintf("%s/%s/%s: %s", o->labs_dir, lab->name,
							    lab->sources[i], strerror(e)) :
				grade_asprintf("%s/%s/%s: not a regular file of at most 1 MiB (a "
					       "symbolic link, say): submit the file itself",
					       o->labs_dir, lab->name, lab->sources[i]);
			ret = 0;
			goto out;
		}
		srcs[i] = grade_asprintf("%s/%s", lab->name, lab->sources[i]);
		if (!srcs[i]) {
			grade_errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (list_lab_files(labfd, lab, &files) < 0) {
		grade_errf(err, errlen, "cannot read %s/%s: %s", o->labs_dir, lab->name,
			   strerror(errno));
		goto out;
	}
	if (mkdirs(dir) < 0) {
		grade_errf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	char absdir[PATH_MAX];
	if (!realpath(dir, absdir)) {
		grade_errf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	bin = grade_asprintf("%s/%s", absdir, lab->program);
	char *argv[64];
	size_t n = 0;
	argv[n++] = cc;
	for (size_t i = 0; lab_cflags[i]; i++)
		argv[n++] = (char *)lab_cflags[i];
	argv[n++] = "-o";
	argv[n++] = (char *)lab->program;
	for (size_t i = 0; i < nsrc; i++)
		argv[n++] = srcs[i];
	argv[n] = NULL;
	struct trace_opts to;
	char terr[512] = "";
	trace_opts_init(&to);
	to.argv = argv;
	to.untraced = true;
	to.confine_fs = true;
	to.timeout_s = BUILD_TIMEOUT_S;
	to.stage = files.st;
	to.nstage = files.n;
	to.collect_files = true;
	to.collect_max_kib = BUILD_MAX_PROGRAM_KIB;
	if (!bin || trace_run(&to, &r, terr, sizeof terr) < 0) {
		grade_errf(err, errlen, "cannot build %s: %s", lab->name, bin ? terr : "out of memory");
		goto out;
	}
	out->build_log = compiler_log(r);
	const struct rec_file *prog = record_file(r, lab->program);
	bool ok = r->outcome == OUT_EXITED && r->status == 0;
	const char *why = NULL;
	if (r->outcome != OUT_EXITED && r->outcome != OUT_SIGNALED)
		why = r->detail ? r->detail : outcome_name(r->outcome); /* a limit stopped it */
	else if (ok && !prog)
		why = "the compiler made no program";
	else if (ok && prog->truncated)
		why = "the program is larger than 64 MiB";
	if (why) {
		char *log = grade_asprintf("%s%sforklab: %s", out->build_log ? out->build_log : "",
				      out->build_log ? "\n" : "", why);
		free(out->build_log);
		out->build_log = log;
	} else if (!ok) {
		if (!out->build_log)
			out->build_log = grade_asprintf("cc failed (status %d) without a message",
						   r->status);
	} else {
		if (make_workdir(o, out, err, errlen) < 0)
			goto out;
		wfd = open(out->workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (wfd < 0 || save_program(prog, wfd, lab->program) < 0 ||
		    (out->exe_fd = openat(wfd, lab->program, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			out->exe_fd = -1;
			grade_errf(err, errlen, "cannot write %s/%s: %s", out->workdir, lab->program,
				   strerror(errno));
			goto out;
		}
		if (publish_program(prog, bin) < 0) {
			grade_errf(err, errlen, "cannot write %s: %s", bin, strerror(errno));
			goto out;
		}
		out->built = true;
		out->bin = bin;
		bin = NULL;
	}
	ret = 0;
out:
	if (wfd >= 0)
		close(wfd);
	if (labfd >= 0)
		close(labfd);
	record_free(r);
	build_files_free(&files);
	for (size_t i = 0; i < nsrc && i < 32; i++)
		free(srcs[i]);
	free(bin);
	free(cc);
	free(dir);
	return ret;
}

/* Takes --bin: the program must exist and be executable; otherwise that is the build verdict. */
int grade_take_bin(const char *path, struct lab_result *out)
{
	char abs[PATH_MAX];
	struct stat st;
	if (!realpath(path, abs) || stat(abs, &st) < 0) {
		out->build_log = grade_asprintf("%s: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode) || access(abs, X_OK) < 0) {
		out->build_log = grade_asprintf("%s: not an executable file", path);
		return 0;
	}
	out->bin = strdup(abs);
	if (!out->bin)
		return -1;
	/* What was checked is what runs, whatever happens to the name meanwhile. */
	out->exe_fd = open(abs, O_PATH | O_CLOEXEC);
	if (out->exe_fd < 0) {
		out->build_log = grade_asprintf("%s: %s", path, strerror(errno));
		free(out->bin);
		out->bin = NULL;
		out->exe_fd = -1;
		return 0;
	}
	out->built = true;
	return 0;
}
