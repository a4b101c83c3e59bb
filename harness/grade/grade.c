/* grade.c - grading one lab: build it (or take --bin), run each scenario under the tracer,
 * evaluate the checks in table order, and keep it all in a lab_result for the reporters. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "grade.h"
#include "sandbox.h"

extern char **environ;

/* The flags students' programs are built with: warnings shown, never fatal. */
static const char *const lab_cflags[] = {
	"-std=gnu11", "-D_GNU_SOURCE", "-O1", "-g", "-Wall", "-Wextra", NULL,
};

#define MAX_BUILD_LOG (64 * 1024)

void grade_opts_init(struct grade_opts *o)
{
	o->labs_dir = "labs";
	o->bin = NULL;
	o->build_dir = "build";
	o->helpers_dir = NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

const struct lab *lab_lookup(const char *spec)
{
	if (!spec || !*spec)
		return NULL;
	if (all_digits(spec)) {
		long n = strlen(spec) > 4 ? -1 : strtol(spec, NULL, 10);
		for (size_t i = 0; labs_all[i]; i++)
			if (labs_all[i]->number == n)
				return labs_all[i];
		return NULL;
	}
	for (size_t i = 0; labs_all[i]; i++) {
		const char *name = labs_all[i]->name;
		const char *dash = strchr(name, '-');
		if (strcmp(name, spec) == 0 || (dash && strcmp(dash + 1, spec) == 0))
			return labs_all[i];
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

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

/* The directory holding the running executable, malloc'd, or NULL. */
static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(buf[0] ? buf : "/");
}

/* The helper programs: helpers/ beside the running executable (a build directory), or, for an
 * installed forklab (PREFIX/bin/forklab), PREFIX/lib/forklab/helpers. malloc'd, or NULL. */
static char *default_helpers(void)
{
	char *dir = exe_dir();
	if (!dir)
		return strdup("helpers");
	char *beside = xasprintf("%s/helpers", dir);
	struct stat st;
	if (beside && stat(beside, &st) < 0) {
		char *installed = xasprintf("%s/../lib/forklab/helpers", dir);
		if (installed && stat(installed, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(beside);
			beside = installed;
		} else {
			free(installed);
		}
	}
	free(dir);
	return beside;
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

/* Adds dir/name to what the compiler is given, as lab/name. 0, or -1 (out of memory). */
static int add_build_file(struct build_files *f, const char *dir, const char *lab,
			  const char *name)
{
	f->src[f->n] = xasprintf("%s/%s", dir, name);
	f->dst[f->n] = xasprintf("%s/%s", lab, name);
	if (!f->src[f->n] || !f->dst[f->n]) {
		free(f->src[f->n]);
		free(f->dst[f->n]);
		errno = ENOMEM;
		return -1;
	}
	f->st[f->n] = (struct trace_stage){ f->src[f->n], f->dst[f->n], 0644 };
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

/* The lab's sources (checked to be regular files), then dir's other regular files up to
 * BUILD_MAX_FILES (links, directories and files over BUILD_MAX_FILE left out). 0, or -1 with
 * errno. */
static int list_lab_files(const char *dir, const struct lab *lab, struct build_files *f)
{
	for (size_t i = 0; lab->sources[i]; i++)
		if (add_build_file(f, dir, lab->name, lab->sources[i]) < 0)
			return -1;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && f->n < BUILD_MAX_FILES && (de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.' || is_source(lab, de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_size > BUILD_MAX_FILE)
			continue;
		rc = add_build_file(f, dir, lab->name, de->d_name);
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

/* Writes the compiled program (a file the compiler left in its scratch directory) to path, made
 * under a temporary name and renamed: a program another grader is running is replaced, never
 * overwritten. 0, or -1 with errno. */
static int save_program(const struct rec_file *f, const char *path)
{
	char *tmp = xasprintf("%s.%d.tmp", path, (int)getpid());
	if (!tmp)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0755);
	int rc = fd < 0 ? -1 : 0;
	for (size_t off = 0; rc == 0 && off < f->len;) {
		ssize_t w = write(fd, f->data + off, f->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			rc = -1;
		else
			off += (size_t)w;
	}
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}

/* Builds the lab from o->labs_dir into build_dir/grade/<labs>/<lab>/<program>. A missing file
 * or a compile error is recorded in out (built = false); -1 only when forklab failed.
 * The compiler reads the student's sources and whatever they #include or .incbin: run by a
 * root forklab it could put any file of the machine into the program or its error messages. So
 * it runs as the lab's programs do (trace_run, untraced): as the run uid, in a scratch
 * directory, on copies of the lab directory's files, within limits; the program comes back
 * through collect_files. */
static int build_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
		     char *err, size_t errlen)
{
	size_t nsrc = 0;
	while (lab->sources && lab->sources[nsrc])
		nsrc++;
	if (!lab->program || !*lab->program || nsrc == 0 || nsrc > 32) {
		errf(err, errlen, "lab %s names no program or no sources (a bug in its table)",
		     lab->name);
		return -1;
	}
	struct build_files files = { .n = 0 };
	char *srcdir = xasprintf("%s/%s", o->labs_dir, lab->name);
	char *dir = xasprintf("%s/grade/%s/%s", o->build_dir, base_name(o->labs_dir), lab->name);
	char *cc = sandbox_resolve("cc", getenv("PATH"));
	char *srcs[32] = { NULL }, *bin = NULL;
	struct record *r = NULL;
	int ret = -1;
	if (!srcdir || !dir) {
		errf(err, errlen, "out of memory");
		goto out;
	}
	if (!cc) {
		errf(err, errlen, "cannot build %s: no C compiler (cc) in PATH", lab->name);
		goto out;
	}
	for (size_t i = 0; i < nsrc; i++) {
		char *path = xasprintf("%s/%s", srcdir, lab->sources[i]);
		struct stat st;
		if (!path) {
			errf(err, errlen, "out of memory");
			goto out;
		}
		int e = lstat(path, &st) < 0 ? errno : 0;
		if (e || !S_ISREG(st.st_mode) || st.st_size > BUILD_MAX_FILE) {
			out->build_log = e ? xasprintf("%s: %s", path, strerror(e)) :
				xasprintf("%s: not a regular file of at most 1 MiB (a symbolic link, "
					  "say): submit the file itself", path);
			free(path);
			ret = 0;
			goto out;
		}
		free(path);
		srcs[i] = xasprintf("%s/%s", lab->name, lab->sources[i]);
		if (!srcs[i]) {
			errf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (list_lab_files(srcdir, lab, &files) < 0) {
		errf(err, errlen, "cannot read %s: %s", srcdir, strerror(errno));
		goto out;
	}
	if (mkdirs(dir) < 0) {
		errf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	char absdir[PATH_MAX];
	if (!realpath(dir, absdir)) {
		errf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	bin = xasprintf("%s/%s", absdir, lab->program);
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
	to.timeout_s = BUILD_TIMEOUT_S;
	to.stage = files.st;
	to.nstage = files.n;
	to.collect_files = true;
	to.collect_max_kib = BUILD_MAX_PROGRAM_KIB;
	if (!bin || trace_run(&to, &r, terr, sizeof terr) < 0) {
		errf(err, errlen, "cannot build %s: %s", lab->name, bin ? terr : "out of memory");
		goto out;
	}
	out->build_log = compiler_log(r);
	const struct rec_file *prog = NULL;
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].name, lab->program) == 0)
			prog = &r->files[i];
	bool ok = r->outcome == OUT_EXITED && r->status == 0;
	const char *why = NULL;
	if (r->outcome != OUT_EXITED && r->outcome != OUT_SIGNALED)
		why = r->detail ? r->detail : outcome_name(r->outcome); /* a limit stopped it */
	else if (ok && !prog)
		why = "the compiler made no program";
	else if (ok && prog->truncated)
		why = "the program is larger than 64 MiB";
	if (why) {
		char *log = xasprintf("%s%sforklab: %s", out->build_log ? out->build_log : "",
				      out->build_log ? "\n" : "", why);
		free(out->build_log);
		out->build_log = log;
	} else if (!ok) {
		if (!out->build_log)
			out->build_log = xasprintf("cc failed (status %d) without a message",
						   r->status);
	} else if (save_program(prog, bin) < 0) {
		errf(err, errlen, "cannot write %s: %s", bin, strerror(errno));
		goto out;
	} else {
		out->built = true;
		out->bin = bin;
		bin = NULL;
	}
	ret = 0;
out:
	record_free(r);
	build_files_free(&files);
	for (size_t i = 0; i < nsrc && i < 32; i++)
		free(srcs[i]);
	free(bin);
	free(cc);
	free(srcdir);
	free(dir);
	return ret;
}

/* Takes --bin: the program must exist and be executable; otherwise that is the build verdict. */
static int take_bin(const char *path, struct lab_result *out)
{
	char abs[PATH_MAX];
	struct stat st;
	if (!realpath(path, abs) || stat(abs, &st) < 0) {
		out->build_log = xasprintf("%s: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode) || access(abs, X_OK) < 0) {
		out->build_log = xasprintf("%s: not an executable file", path);
		return 0;
	}
	out->bin = strdup(abs);
	out->built = out->bin != NULL;
	return out->bin ? 0 : -1;
}

/* Splits "NAME=CONTENT" or "NAME=CONTENT:MODE" (see lab.h). Returns false on a bad entry. */
static bool parse_file_spec(const char *spec, char **name, char **content, size_t *clen,
			    int *mode)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec)
		return false;
	const char *data = eq + 1, *end = data + strlen(data);
	*mode = 0644;
	const char *colon = strrchr(data, ':');
	if (colon) {
		size_t nd = (size_t)(end - colon - 1);
		bool octal = nd == 3 || nd == 4;
		for (const char *d = colon + 1; octal && d < end; d++)
			octal = *d >= '0' && *d <= '7';
		if (octal) {
			*mode = (int)strtol(colon + 1, NULL, 8);
			end = colon;
		}
	}
	*name = strndup(spec, (size_t)(eq - spec));
	*clen = (size_t)(end - data);
	*content = strndup(data, *clen);
	if (!*name || !*content)
		return false;
	/* The file stays inside the scratch directory. */
	if ((*name)[0] == '/' || strstr(*name, "..") != NULL)
		return false;
	return true;
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
}

/* What a scenario needs staged: helper programs and its files (written to tmpdir first). */
struct staging {
	struct trace_stage *st;
	size_t n;
	char **owned;      /* strings to free */
	size_t nowned;
	char tmpdir[64];
};

static void staging_free(struct staging *s)
{
	for (size_t i = 0; i < s->nowned; i++) {
		if (s->tmpdir[0] && strncmp(s->owned[i], s->tmpdir, strlen(s->tmpdir)) == 0)
			unlink(s->owned[i]);
		free(s->owned[i]);
	}
	if (s->tmpdir[0])
		rmdir(s->tmpdir);
	free(s->owned);
	free(s->st);
}

static char *own(struct staging *s, char *str)
{
	if (str)
		s->owned[s->nowned++] = str;
	return str;
}

/* Fills s for sc. Returns NULL, or a malloc'd reason why the scenario cannot run. */
static char *stage_scenario(const struct scenario *sc, const char *helpers_dir, struct staging *s)
{
	size_t nh = 0, nf = 0;
	while (sc->helpers && sc->helpers[nh])
		nh++;
	while (sc->files && sc->files[nf])
		nf++;
	memset(s, 0, sizeof *s);
	s->st = calloc(nh + nf + 1, sizeof *s->st);
	s->owned = calloc(3 * (nh + nf) + 1, sizeof *s->owned);
	if (!s->st || !s->owned)
		return strdup("out of memory");
	for (size_t i = 0; i < nh; i++) {
		char *src = own(s, xasprintf("%s/%s", helpers_dir, sc->helpers[i]));
		char *dst = own(s, xasprintf("bin/%s", sc->helpers[i]));
		if (!src || !dst)
			return strdup("out of memory");
		if (access(src, X_OK) < 0)
			return xasprintf("forklab's helper program %s is missing (%s): build it with "
					 "make", src, strerror(errno));
		s->st[s->n++] = (struct trace_stage){src, dst, 0755};
	}
	if (nf == 0)
		return NULL;
	snprintf(s->tmpdir, sizeof s->tmpdir, "/tmp/forklab-files-XXXXXX");
	if (!mkdtemp(s->tmpdir)) {
		s->tmpdir[0] = '\0';
		return xasprintf("mkdtemp: %s", strerror(errno));
	}
	for (size_t i = 0; i < nf; i++) {
		char *name = NULL, *content = NULL;
		size_t clen = 0;
		int mode = 0;
		bool ok = parse_file_spec(sc->files[i], &name, &content, &clen, &mode);
		own(s, name);
		if (!ok) {
			free(content);
			return xasprintf("bad file entry '%s' (a bug in the lab's table)",
					 sc->files[i]);
		}
		char *path = own(s, xasprintf("%s/f%zu", s->tmpdir, i));
		int rc = path ? write_file(path, content, clen) : -1;
		free(content);
		if (rc < 0)
			return xasprintf("cannot write %s: %s", path ? path : "file",
					 strerror(errno));
		s->st[s->n++] = (struct trace_stage){path, name, mode};
	}
	return NULL;
}

/* A helper program missing is forklab's own installation problem, never the student's: true
 * (with err set) when a scenario of lab names one that helpers_dir lacks. */
static bool missing_helper(const struct lab *lab, const char *helpers_dir, char *err,
			   size_t errlen)
{
	for (size_t i = 0; i < lab->nscenarios; i++) {
		const struct scenario *sc = &lab->scenarios[i];
		for (size_t k = 0; sc->helpers && sc->helpers[k]; k++) {
			char *path = xasprintf("%s/%s", helpers_dir, sc->helpers[k]);
			bool ok = path && access(path, X_OK) == 0;
			if (!ok)
				errf(err, errlen, "forklab's helper program %s is missing (%s): run "
				     "make", path ? path : sc->helpers[k], strerror(errno));
			free(path);
			if (!ok)
				return true;
		}
	}
	return false;
}

/* Runs one scenario into run. -1 (err set) when forklab could not run it at all: the tracer
 * failed, or the lab's table is wrong. That is never the program's fault, so it is never
 * turned into a verdict. */
static int run_scenario(const struct scenario *sc, const char *bin, const char *helpers_dir,
			bool untraced, struct run *run, char *err, size_t errlen)
{
	struct staging stg;
	struct trace_opts to;
	char terr[512] = "";
	size_t nargs = 0;
	int ret = -1;

	run->sc = sc;
	while (sc->args && sc->args[nargs])
		nargs++;
	char **argv = calloc(nargs + 2, sizeof *argv);
	if (!argv) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	argv[0] = (char *)bin;
	for (size_t i = 0; i < nargs; i++)
		argv[i + 1] = (char *)sc->args[i];
	char *why = stage_scenario(sc, helpers_dir, &stg);
	if (why) {
		errf(err, errlen, "scenario %s: %s", sc->id, why);
		free(why);
		goto out;
	}
	trace_opts_init(&to);
	to.argv = argv;
	to.stdin_data = sc->stdin_text;
	to.timeout_s = sc->timeout_s > 0 ? sc->timeout_s : 5;
	if (sc->max_procs > 0)
		to.max_procs = sc->max_procs;
	to.stage = stg.st;
	to.nstage = stg.n;
	to.snap_fds = sc->snap_fds;
	to.collect_files = sc->collect_files;
	to.driver = sc->driver;
	to.driver_arg = run;
	to.untraced = untraced;
	if (trace_run(&to, &run->rec, terr, sizeof terr) < 0) {
		run->rec = NULL;
		errf(err, errlen, "scenario %s: %s", sc->id,
		     terr[0] ? terr : "the tracer failed without saying why");
		goto out;
	}
	ret = 0;
out:
	staging_free(&stg);
	free(argv);
	return ret;
}

/* The compiler's first error line, for the verdict of every check of a lab that did not build. */
static char *first_error_line(const char *log)
{
	const char *line = NULL;
	if (!log || !*log)
		return strdup("(no message)");
	for (const char *s = log; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *l = strndup(s, n);
		bool is_err = l && (strstr(l, "error:") || strstr(l, "Error"));
		free(l);
		if (is_err) {
			line = s;
			break;
		}
		s = nl ? nl + 1 : s + n;
	}
	if (!line)
		line = log;
	const char *nl = strchr(line, '\n');
	return strndup(line, nl ? (size_t)(nl - line) : strlen(line));
}

static void eval_check(const struct lab *lab, const struct check *ck, struct lab_result *res,
		       struct check_result *cr)
{
	struct check_ctx c = {
		.lab = lab, .check = ck, .runs = res->runs, .nruns = res->nruns,
	};
	cr->check = ck;
	cr->runs_used = calloc(res->nruns ? res->nruns : 1, 1);
	c.runs_used = cr->runs_used;
	if (!res->built) {
		char *first = first_error_line(res->build_log);
		cr->message = xasprintf("the program did not build: %s", first ? first : "?");
		free(first);
		cr->error = true;
		return;
	}
	if (!ck->fn) {
		cr->message = xasprintf("forklab: check %s has no function (a bug in the grader)",
					ck->id);
		cr->error = true;
		return;
	}
	int v = ck->fn(&c);
	cr->passed = v == CHECK_PASS && !c.message && !c.run_failed;
	cr->error = c.run_failed;
	if (cr->passed) {
		cr->score = ck->points;
		return;
	}
	cr->message = c.message;
	if (!cr->message)
		cr->message = xasprintf("failed: %s", ck->title ? ck->title : ck->id);
}

int grade_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
	      char *err, size_t errlen)
{
	double t0 = now_s();
	char *helpers = NULL;
	int ret = -1;

	memset(out, 0, sizeof *out);
	out->lab = lab;
	for (size_t i = 0; i < lab->nchecks; i++)
		out->max += lab->checks[i].points;
	if (lab->nchecks == 0) {
		out->built = true;   /* a placeholder lab: nothing to build, run or check */
		return 0;
	}
	out->checks = calloc(lab->nchecks, sizeof *out->checks);
	out->runs = calloc(lab->nscenarios ? lab->nscenarios : 1, sizeof *out->runs);
	if (!out->checks || !out->runs) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	out->nchecks = lab->nchecks;
	if ((o->bin ? take_bin(o->bin, out) : build_lab(lab, o, out, err, errlen)) < 0)
		goto fail;
	if (out->built && lab->nscenarios) {
		if (!trace_supported(err, errlen))
			goto fail;
		helpers = o->helpers_dir ? strdup(o->helpers_dir) : default_helpers();
		if (!helpers) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		if (missing_helper(lab, helpers, err, errlen))
			goto fail;
		out->nruns = lab->nscenarios;
		for (size_t i = 0; i < lab->nscenarios; i++)
			if (run_scenario(&lab->scenarios[i], out->bin, helpers, o->untraced, &out->runs[i], err,
					 errlen) < 0)
				goto fail;
	}
	for (size_t i = 0; i < lab->nchecks; i++) {
		eval_check(lab, &lab->checks[i], out, &out->checks[i]);
		out->score += out->checks[i].score;
	}
	ret = 0;
	goto done;
fail:
	lab_result_free(out);
	out->lab = lab;
done:
	free(helpers);
	out->seconds = now_s() - t0;
	return ret;
}

void lab_result_free(struct lab_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nruns; i++) {
		if (r->runs[i].rec)
			record_free(r->runs[i].rec);
		free(r->runs[i].error);
		free(r->runs[i].driver_data);
	}
	free(r->runs);
	for (size_t i = 0; i < r->nchecks; i++) {
		free(r->checks[i].message);
		free(r->checks[i].runs_used);
	}
	free(r->checks);
	free(r->build_log);
	free(r->bin);
	memset(r, 0, sizeof *r);
}

char *lab_result_failed_ids(const struct lab_result *r)
{
	size_t len = 1;
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].passed)
			len += strlen(r->checks[i].check->id) + 1;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < r->nchecks; i++) {
		if (r->checks[i].passed)
			continue;
		if (p != s)
			*p++ = ',';
		p = stpcpy(p, r->checks[i].check->id);
	}
	return s;
}
