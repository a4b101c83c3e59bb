/* grade.c - grading one lab: build it (build.c, or take --bin), run each scenario under the
 * tracer, evaluate the checks in table order, and keep it all in a lab_result for the
 * reporters. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "grade_int.h"
#include "report_util.h"

void grade_opts_init(struct grade_opts *o)
{
	const char *build = getenv("FORKLAB_GRADE_BUILD");   /* batch grading: one per student */
	*o = (struct grade_opts){ .labs_dir = "labs", .build_dir = build && *build ? build : "build" };
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
	char *beside = grade_asprintf("%s/helpers", dir);
	struct stat st;
	if (beside && stat(beside, &st) < 0) {
		char *installed = grade_asprintf("%s/../lib/forklab/helpers", dir);
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

/* A scenario's wall-clock limit, in seconds. */
static double scenario_timeout(const struct scenario *sc)
{
	return sc->timeout_s > 0 ? sc->timeout_s : 5;
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
		char *src = own(s, grade_asprintf("%s/%s", helpers_dir, sc->helpers[i]));
		char *dst = own(s, grade_asprintf("bin/%s", sc->helpers[i]));
		if (!src || !dst)
			return strdup("out of memory");
		s->st[s->n++] = (struct trace_stage){src, dst, 0755, -1};
	}
	if (nf == 0)
		return NULL;
	snprintf(s->tmpdir, sizeof s->tmpdir, "/tmp/forklab-files-XXXXXX");
	if (!mkdtemp(s->tmpdir)) {
		s->tmpdir[0] = '\0';
		return grade_asprintf("mkdtemp: %s", strerror(errno));
	}
	for (size_t i = 0; i < nf; i++) {
		char *name = NULL, *content = NULL;
		size_t clen = 0;
		int mode = 0;
		bool ok = parse_file_spec(sc->files[i], &name, &content, &clen, &mode);
		own(s, name);
		if (!ok) {
			free(content);
			return grade_asprintf("bad file entry '%s' (a bug in the lab's table)",
					 sc->files[i]);
		}
		char *path = own(s, grade_asprintf("%s/f%zu", s->tmpdir, i));
		int rc = path ? write_file(path, content, clen) : -1;
		free(content);
		if (rc < 0)
			return grade_asprintf("cannot write %s: %s", path ? path : "file",
					 strerror(errno));
		s->st[s->n++] = (struct trace_stage){path, name, mode, -1};
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
			char *path = grade_asprintf("%s/%s", helpers_dir, sc->helpers[k]);
			bool ok = path && access(path, X_OK) == 0;
			if (!ok)
				grade_errf(err, errlen, "forklab's helper program %s is missing (%s): run "
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
static int run_scenario(const struct scenario *sc, const struct lab_result *res,
			const char *helpers_dir, bool untraced, struct run *run, char *err,
			size_t errlen)
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
		grade_errf(err, errlen, "out of memory");
		return -1;
	}
	argv[0] = res->bin;
	for (size_t i = 0; i < nargs; i++)
		argv[i + 1] = (char *)sc->args[i];
	char *why = stage_scenario(sc, helpers_dir, &stg);
	if (why) {
		grade_errf(err, errlen, "scenario %s: %s", sc->id, why);
		free(why);
		goto out;
	}
	trace_opts_init(&to);
	to.argv = argv;
	to.exe_fd = res->exe_fd;
	to.confine_fs = true;
	to.stdin_data = sc->stdin_text;
	to.timeout_s = scenario_timeout(sc);
	if (sc->max_procs > 0)
		to.max_procs = sc->max_procs;
	to.stage = stg.st;
	to.nstage = stg.n;
	to.snap_fds = sc->snap_fds;
	to.collect_files = sc->collect_files;
	to.stdout_pty = sc->stdout_pty;
	to.mem_at_exit = sc->mem_at_exit;
	to.hold_children_ms = sc->hold_children_ms;
	to.merge_sigchld_ms = sc->merge_sigchld_ms;
	to.driver = sc->driver;
	to.driver_arg = run;
	to.untraced = untraced;
	if (trace_run(&to, &run->rec, terr, sizeof terr) < 0) {
		run->rec = NULL;
		grade_errf(err, errlen, "scenario %s: %s", sc->id,
		     terr[0] ? terr : "the tracer failed without saying why");
		goto out;
	}
	/* forklab itself was stopped (Ctrl-C, or `forklab watch` leaving): no verdict on a run
	 * cut short by that, and no further runs. */
	if (run->rec->outcome == OUT_INTERRUPTED && run->rec->detail &&
	    strncmp(run->rec->detail, "interrupted by SIG", 18) == 0) {
		grade_errf(err, errlen, "scenario %s: %s", sc->id, run->rec->detail);
		goto out;
	}
	ret = 0;
out:
	staging_free(&stg);
	free(argv);
	return ret;
}

char *lab_dir_from_here(const struct lab *lab, const char *labs_dir)
{
	char *src = grade_asprintf("%s/%s", labs_dir, lab->name);
	char real[PATH_MAX], cwd[PATH_MAX];
	char *shown = NULL;
	if (!src)
		return NULL;
	if (!realpath(src, real) || !getcwd(cwd, sizeof cwd)) {
		shown = grade_asprintf("%s/", src);
	} else {
		size_t nc = strlen(cwd);
		char *slash = strrchr(real, '/'), *cslash = strrchr(cwd, '/');
		if (strcmp(real, cwd) == 0)
			shown = strdup("");
		else if (strncmp(real, cwd, nc) == 0 && real[nc] == '/')
			shown = grade_asprintf("%s/", real + nc + 1);
		else if (labs_dir[0] != '/')
			shown = grade_asprintf("%s/", src);
		else if (slash && cslash && slash - real == cslash - cwd &&
			 strncmp(real, cwd, (size_t)(slash - real)) == 0)
			shown = grade_asprintf("../%s/", slash + 1);
		else
			shown = grade_asprintf("%s/", real);
	}
	free(src);
	return shown;
}

/* The compiler names the files as it was given them ("03-wait-modes/wait_modes.c", in its
 * scratch directory): rewritten as the student reaches them from where forklab was run
 * ("labs/03-wait-modes/wait_modes.c:71:28"), so that an editor can jump to the line. A name is
 * rewritten at the start of a line or after a space or a quote. */
static void build_log_from_here(const struct lab *lab, const char *labs_dir, char **log)
{
	if (!*log)
		return;
	char *shown = lab_dir_from_here(lab, labs_dir);
	char *from = grade_asprintf("%s/", lab->name);
	if (!shown || !from || strcmp(shown, from) == 0) {
		free(shown);
		free(from);
		return;
	}
	size_t nf = strlen(from), ns = strlen(shown), count = 0;
	for (const char *p = *log; (p = strstr(p, from)); p += nf)
		count++;
	char *out = malloc(strlen(*log) + count * ns + 1), *o = out;
	if (!out) {
		free(shown);
		free(from);
		return;
	}
	for (const char *p = *log; *p;) {
		bool at_word = p == *log || strchr("\n \t'\"(`", p[-1]);
		if (at_word && strncmp(p, from, nf) == 0) {
			o = stpcpy(o, shown);
			p += nf;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	free(*log);
	*log = out;
	free(shown);
	free(from);
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
		cr->message = grade_asprintf("the program did not build: %s", first ? first : "?");
		free(first);
		cr->error = true;
		return;
	}
	if (!ck->fn) {
		cr->message = grade_asprintf("forklab: check %s has no function (a bug in the grader)",
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
		cr->message = grade_asprintf("failed: %s", ck->title ? ck->title : ck->id);
}

/* A path as the student reaches it from the current directory: relative when it is below it
 * ("build/grade/labs/04-process-tree/tree", "./forklab"), else as given. malloc'd, or NULL. */
static char *path_from_here(const char *path)
{
	char cwd[PATH_MAX];
	if (path[0] != '/' || !getcwd(cwd, sizeof cwd) || strcmp(cwd, "/") == 0)
		return strdup(path);
	size_t n = strlen(cwd);
	if (strncmp(path, cwd, n) != 0 || path[n] != '/' || path[n + 1] == '\0')
		return strdup(path);
	const char *rel = path + n + 1;
	/* A bare name would be looked up in PATH. */
	return strchr(rel, '/') ? strdup(rel) : grade_asprintf("./%s", rel);
}

static bool is_zombie_check(const struct lab *lab, const char *id)
{
	for (size_t i = 0; lab->zombie_checks && lab->zombie_checks[i]; i++)
		if (strcmp(lab->zombie_checks[i], id) == 0)
			return true;
	return false;
}

/* The scenario's stdin as a shell command that prints it, "printf '%s\n' 'line' ... | ", into b
 * (a text that does not end with a newline gets one: the programs read lines). */
static void add_stdin_printf(struct tbuf *b, const char *text)
{
	tb_str(b, "printf '%s\\n'");
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = strndup(text, n);
		tb_str(b, " ");
		rep_shell_word(b, line ? line : "");
		free(line);
		text += n + (text[n] == '\n');
	}
	tb_str(b, " | ");
}

/* A failed check about zombie or reaping time (lab->zombie_checks) ends its verdict with the
 * command that shows every zombie time of the run it judged: the last scenario it read (a check
 * reads them in table order and stops at the first failure), with its stdin piped in, its
 * timeout, the scheduling it imposed (--hold-children, --merge-sigchld), and the grader's
 * helper programs on its PATH when it had them. A scenario that needs
 * files staged beside the program gets no command. The command has a line of its own ("$ ..."),
 * which the human report never wraps. */
static void add_zombie_command(const struct lab *lab, const struct grade_opts *o,
			       const struct lab_result *res, const char *helpers,
			       struct check_result *cr)
{
	const struct scenario *sc = NULL;
	if (cr->passed || cr->error || !cr->message || !res->bin || !cr->runs_used ||
	    !is_zombie_check(lab, cr->check->id))
		return;
	for (size_t i = 0; i < res->nruns; i++)
		if (cr->runs_used[i])
			sc = res->runs[i].sc;
	if (!sc || sc->files)
		return;
	/* The program runs in a directory of its own: the PATH entry must be absolute. */
	char *helpers_abs = sc->helpers && helpers ? realpath(helpers, NULL) : NULL;
	if (sc->helpers && !helpers_abs)
		return;
	char *forklab = path_from_here(o->forklab ? o->forklab : "forklab");
	char *bin = path_from_here(res->bin);
	if (forklab && bin) {
		struct tbuf b = { 0 };
		tb_str(&b, cr->message);
		tb_str(&b, "\nTo see every zombie time of this run, and who reaped each process when:"
			   "\n$ ");
		if (sc->stdin_text)
			add_stdin_printf(&b, sc->stdin_text);
		if (helpers_abs) {
			tb_str(&b, "PATH=");
			rep_shell_word(&b, helpers_abs);
			tb_str(&b, ":\"$PATH\" ");
		}
		rep_shell_word(&b, forklab);
		tb_str(&b, " run --zombies");
		if (sc->stdin_text)
			tb_str(&b, " --stdin /dev/stdin");
		tb_printf(&b, " --timeout %g", scenario_timeout(sc));
		/* The scheduling the grader imposed, or the run would not show the same mistake. */
		if (sc->hold_children_ms > 0)
			tb_printf(&b, " --hold-children %g", sc->hold_children_ms);
		if (sc->merge_sigchld_ms > 0)
			tb_printf(&b, " --merge-sigchld %g", sc->merge_sigchld_ms);
		tb_str(&b, " -- ");
		rep_shell_word(&b, bin);
		if (sc->args && sc->args[0])
			tb_str(&b, " ");
		rep_args(&b, sc);
		if (lab->zombie_run_note)
			tb_printf(&b, "\n%s", lab->zombie_run_note);
		char *msg = tb_take(&b);
		if (msg) {
			free(cr->message);
			cr->message = msg;
		}
	}
	free(forklab);
	free(bin);
	free(helpers_abs);
}

int grade_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
	      char *err, size_t errlen)
{
	double t0 = now_s();
	char *helpers = NULL;
	int ret = -1;

	memset(out, 0, sizeof *out);
	out->lab = lab;
	out->exe_fd = -1;
	for (size_t i = 0; i < lab->nchecks; i++)
		out->max += lab->checks[i].points;
	if (lab->nchecks == 0) {
		out->built = true;   /* a placeholder lab: nothing to build, run or check */
		return 0;
	}
	out->checks = calloc(lab->nchecks, sizeof *out->checks);
	out->runs = calloc(lab->nscenarios ? lab->nscenarios : 1, sizeof *out->runs);
	if (!out->checks || !out->runs) {
		grade_errf(err, errlen, "out of memory");
		goto fail;
	}
	out->nchecks = lab->nchecks;
	if ((o->bin ? grade_take_bin(o->bin, out) : grade_build_lab(lab, o, out, err, errlen)) < 0)
		goto fail;
	if (!o->bin)
		build_log_from_here(lab, o->labs_dir, &out->build_log);
	if (out->built && lab->nscenarios) {
		if (!trace_supported(err, errlen))
			goto fail;
		helpers = o->helpers_dir ? strdup(o->helpers_dir) : default_helpers();
		if (!helpers) {
			grade_errf(err, errlen, "out of memory");
			goto fail;
		}
		if (missing_helper(lab, helpers, err, errlen))
			goto fail;
		out->nruns = lab->nscenarios;
		for (size_t i = 0; i < lab->nscenarios; i++)
			if (run_scenario(&lab->scenarios[i], out, helpers, o->untraced, &out->runs[i],
					 err, errlen) < 0)
				goto fail;
	}
	for (size_t i = 0; i < lab->nchecks; i++) {
		eval_check(lab, &lab->checks[i], out, &out->checks[i]);
		add_zombie_command(lab, o, out, helpers, &out->checks[i]);
		out->checks[i].hidden = lab->hidden && lab->hidden[i];
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

/* Removes a build's private directory (build.c) and the program in it. */
static void remove_workdir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    unlinkat(dirfd(d), de->d_name, 0) < 0)
			break; /* the rmdir below fails too: left for the user to see */
	closedir(d);
	rmdir(path);
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
	if (r->exe_fd > 2)
		close(r->exe_fd);
	if (r->workdir)
		remove_workdir(r->workdir);
	free(r->workdir);
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
