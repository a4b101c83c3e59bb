/* test_honesty.c - the grader judged on the course itself: every solution in solutions/ gets
 * full marks, every unmodified starter in labs/ gets less and does not crash the grader, the
 * same program graded again gets the same score, and `forklab grade` keeps its promises
 * (exit statuses, unknown lab, --bin, a lab that does not compile beside one that does). */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <criterion/parameterized.h>
#include "grade.h"
#include "testutil.h"

/* The build directory holding this test binary, and the checkout above it. */
static void dirs(char *build, char *root)
{
	snprintf(build, PATH_MAX, "%s", test_build_dir());
	snprintf(root, PATH_MAX, "%s", test_root_dir());
}

/* Grades lab from root/<tree> (labs or solutions); the result must be a result, not an error,
 * and every run must have left nothing behind. */
static void grade_tree(const struct lab *lab, const char *tree, struct lab_result *r)
{
	char build[PATH_MAX], root[PATH_MAX], labs[PATH_MAX + 32], err[512] = "";
	struct grade_opts o;
	dirs(build, root);
	snprintf(labs, sizeof labs, "%s/%s", root, tree);
	grade_opts_init(&o);
	o.labs_dir = labs;
	o.build_dir = build;
	cr_assert_eq(grade_lab(lab, &o, r, err, sizeof err), 0, "%s: %s", lab->name, err);
	for (size_t i = 0; i < r->nruns; i++)
		if (r->runs[i].rec)
			cr_assert_eq(r->runs[i].rec->leftover, 0, "%s scenario %s left processes",
				     lab->name, r->runs[i].sc->id);
}

/* "shape: <verdict> | reaped: <verdict>" for an assertion message. */
static char *verdicts(const struct lab_result *r)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	cr_assert_not_null(m);
	if (!r->built)
		fprintf(m, "did not build: %s | ", r->build_log ? r->build_log : "");
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].passed)
			fprintf(m, "%s: %s | ", r->checks[i].check->id,
				r->checks[i].message ? r->checks[i].message : "");
	fclose(m);
	return s;
}

static void free_params(struct criterion_test_params *p)
{
	cr_free(p->params);
}

/* The index of every lab, as Criterion parameters (in Criterion's memory, however many). */
static struct criterion_test_params lab_params(void)
{
	size_t n = 0;
	while (labs_all[n])
		n++;
	size_t *idx = cr_malloc(n * sizeof *idx);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, n, free_params);
}

ParameterizedTestParameters(honesty, solution_gets_full_marks)
{
	return lab_params();
}

ParameterizedTest(size_t *i, honesty, solution_gets_full_marks, .timeout = 120)
{
	test_need_solutions();
	const struct lab *lab = labs_all[*i];
	struct lab_result r;
	if (lab->nchecks == 0)
		cr_skip_test("%s has no checks yet", lab->name);
	grade_tree(lab, "solutions", &r);
	char *why = verdicts(&r);
	cr_assert(r.built, "%s: %s", lab->name, why);
	cr_assert_eq(r.score, r.max, "solutions/%s got %d/%d: %s", lab->name, r.score, r.max, why);
	cr_assert_gt(r.max, 0);
	free(why);
	lab_result_free(&r);
}

ParameterizedTestParameters(honesty, starter_gets_less)
{
	return lab_params();
}

ParameterizedTest(size_t *i, honesty, starter_gets_less, .timeout = 120)
{
	const struct lab *lab = labs_all[*i];
	struct lab_result r;
	if (lab->nchecks == 0)
		cr_skip_test("%s has no checks yet", lab->name);
	grade_tree(lab, "labs", &r);
	/* The starter compiles: it fails on behaviour, with verdicts, not on a build error. */
	cr_assert(r.built, "labs/%s does not build: %s", lab->name, r.build_log);
	cr_assert_lt(r.score, r.max, "the unmodified starter labs/%s gets full marks", lab->name);
	/* Unfinished, not sloppy: the compiler has nothing to say about it. */
	cr_assert_null(r.build_log, "labs/%s builds with warnings: %s", lab->name, r.build_log);
	for (size_t k = 0; k < r.nchecks; k++)
		if (!r.checks[k].passed)
			cr_assert(r.checks[k].message && *r.checks[k].message,
				  "%s: check %s failed without a verdict", lab->name,
				  r.checks[k].check->id);
	lab_result_free(&r);
}

/* A file of the checkout, whole; NULL when it is missing. */
static char *slurp_file(const char *dir, const char *lab, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s/%s/%s", test_root_dir(), dir, lab, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *s = test_slurp_fd(fd);
	close(fd);
	return s;
}

/* The solution's lines of code (trimmed, not blank, not a lone brace) that appear nowhere in
 * the starter: what the student has to write. */
static size_t lines_to_write(const char *starter, const char *solution)
{
	size_t n = 0;
	for (const char *s = solution; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		const char *b = s;
		while (b < s + len && (*b == ' ' || *b == '\t'))
			b++;
		size_t blen = len - (size_t)(b - s);
		if (blen > 1) {
			char *line = strndup(b, blen);
			cr_assert_not_null(line);
			if (!strstr(starter, line))
				n++;
			free(line);
		}
		s = nl ? nl + 1 : s + len;
	}
	return n;
}

ParameterizedTestParameters(honesty, starter_leaves_the_concept_to_write)
{
	return lab_params();
}

/* A starter is scaffolding around the code the lab is about, left as a TODO with its contract:
 * the student writes that code (at least 6 of the solution's lines are not in the starter, so a
 * one-line fix is not a lab), and the handout names the classic mistakes. */
ParameterizedTest(size_t *i, honesty, starter_leaves_the_concept_to_write)
{
	const struct lab *lab = labs_all[*i];
	if (lab->nchecks == 0)
		cr_skip_test("%s has no checks yet", lab->name);
	char todo[32];
	snprintf(todo, sizeof todo, "TODO(lab%02d)", lab->number);
	size_t total = 0, markers = 0;
	for (size_t k = 0; lab->sources[k]; k++) {
		char *starter = slurp_file("labs", lab->name, lab->sources[k]);
		char *solution = slurp_file("solutions", lab->name, lab->sources[k]);
		cr_assert(starter && solution, "%s: %s missing from labs/ or solutions/", lab->name,
			  lab->sources[k]);
		total += lines_to_write(starter, solution);
		for (const char *t = starter; (t = strstr(t, todo)); t++)
			markers++;
		free(starter);
		free(solution);
	}
	cr_assert_gt(markers, 0, "labs/%s marks nothing %s", lab->name, todo);
	cr_assert_geq(total, 6, "labs/%s leaves only %zu line(s) of the solution to write",
		      lab->name, total);
	char *handout = slurp_file("labs", lab->name, "README.md");
	cr_assert_not_null(handout, "labs/%s has no README.md", lab->name);
	cr_assert_not_null(strstr(handout, "\n## Classic mistakes\n"),
			   "labs/%s/README.md has no \"Classic mistakes\" section", lab->name);
	/* Every verdict's "(README: <section>)" leads to a heading of the handout. */
	for (size_t k = 0; k < lab->nchecks; k++) {
		const char *sec = lab->checks[k].section;
		char h2[160], h3[160];
		snprintf(h2, sizeof h2, "\n## %s\n", sec ? sec : "");
		snprintf(h3, sizeof h3, "\n### %s\n", sec ? sec : "");
		cr_assert(sec && (strstr(handout, h2) || strstr(handout, h3)),
			  "labs/%s: check %s points to a section \"%s\" the handout does not have",
			  lab->name, lab->checks[k].id, sec ? sec : "(none)");
	}
	free(handout);
}

/* The parallel/sequential lab is the one most exposed to timing: grade its solution 5 times. */
Test(honesty, same_program_same_score, .timeout = 300)
{
	test_need_solutions();
	const struct lab *lab = lab_lookup("03");
	cr_assert_not_null(lab);
	if (lab->nchecks == 0)
		cr_skip_test("lab 03 has no checks yet");
	char *first = NULL;
	int first_score = -1;
	for (int k = 0; k < 5; k++) {
		struct lab_result r;
		grade_tree(lab, "solutions", &r);
		char *ids = lab_result_failed_ids(&r);
		if (k == 0) {
			first = ids;
			first_score = r.score;
		} else {
			cr_assert_eq(r.score, first_score, "run %d: %d, first run: %d", k + 1, r.score,
				     first_score);
			cr_assert_str_eq(ids, first);
			free(ids);
		}
		lab_result_free(&r);
	}
	free(first);
}

/* ---- the command ---- */

/* Runs build/forklab with args from the checkout's top, stdout and stderr captured. */
static struct test_cmd forklab(const char *const *args)
{
	char build[PATH_MAX], root[PATH_MAX], exe[PATH_MAX + 16];
	const char *argv[32];
	size_t n = 0;
	dirs(build, root);
	snprintf(exe, sizeof exe, "%s/forklab", build);
	argv[n++] = exe;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return test_command(argv, root);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(grade_cli, help_documents_formats_and_statuses)
{
	struct test_cmd r = forklab((const char *[]){"grade", "--help", NULL});
	cr_assert_eq(r.status, 0);
	const char *words[] = {"--labs", "--bin", "--format", "--output", "--note", "--verbose",
			       "human", "json",
			       "gradescope", "junit", "tap", "classroom", "autolab", "NO_COLOR",
			       "0  every check", "1  at least one", "2  forklab itself"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		cr_assert_not_null(strstr(r.out, words[i]), "--help lacks %s", words[i]);
	cr_assert_str_eq(r.err, "");
	test_cmd_free(&r);
}

Test(grade_cli, unknown_lab_lists_the_labs)
{
	char unused[16], want[64];
	snprintf(unused, sizeof unused, "%d", test_unused_lab_number());
	snprintf(want, sizeof want, "forklab: no lab '%s' (labs: 01-fork-return, ", unused);
	struct test_cmd r = forklab((const char *[]){"grade", unused, NULL});
	cr_assert_eq(r.status, 2);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	test_cmd_free(&r);
}

Test(grade_cli, misuse_is_status_2_with_one_line)
{
	const char *const *cases[] = {
		(const char *[]){"grade", "--bin", "/bin/true", NULL},
		(const char *[]){"grade", "--bin", "/bin/true", "1", "2", NULL},
		(const char *[]){"grade", "--format", "xml", "1", NULL},
		(const char *[]){"grade", "--frobnicate", NULL},
		(const char *[]){"grade", "--labs", "/no/such/dir", "1", NULL},
		(const char *[]){"grade", "--output", "/no/such/dir/out.json", "--bin", "/bin/true",
				 "1", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_cmd r = forklab(cases[i]);
		cr_assert_eq(r.status, 2, "case %zu: status %d, %s", i, r.status, r.err);
		cr_assert_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
		cr_assert_eq(strncmp(r.err, "forklab: ", 9), 0, "case %zu: %s", i, r.err);
		test_cmd_free(&r);
	}
}

Test(grade_cli, solution_passes_starter_fails, .timeout = 120)
{
	test_need_solutions();
	const struct lab *lab = lab_lookup("04");
	if (!lab || lab->nchecks == 0)
		cr_skip_test("lab 04 has no checks yet");
	struct test_cmd r = forklab((const char *[]){"grade", "--labs", "solutions", "4", NULL});
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_not_null(strstr(r.out, "04-process-tree"));
	cr_assert_null(strstr(r.out, "FAIL"), "%s", r.out);
	test_cmd_free(&r);
	r = forklab((const char *[]){"grade", "process-tree", "--format", "tap", NULL});
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert_not_null(strstr(r.out, "TAP version 13\n"));
	cr_assert_not_null(strstr(r.out, "\nnot ok "));
	test_cmd_free(&r);
}

/* A lab that does not compile is a verdict; the lab beside it is still graded. */
Test(grade_cli, a_lab_that_does_not_compile, .timeout = 120)
{
	test_need_solutions();
	const struct lab *one = lab_lookup("01"), *four = lab_lookup("04");
	if (!one || !four || one->nchecks == 0 || four->nchecks == 0)
		cr_skip_test("labs 01 and 04 have no checks yet");
	char build[PATH_MAX], root[PATH_MAX], tmp[] = "/tmp/forklab-labs-XXXXXX";
	dirs(build, root);
	cr_assert_not_null(mkdtemp(tmp));
	char *cmd = NULL, *out = NULL;
	cr_assert_geq(asprintf(&cmd, "cp -r '%s/solutions/01-fork-return' '%s/solutions/"
				     "04-process-tree' '%s/' && printf 'int broken(void) { return }\\n'"
				     " >> '%s/04-process-tree/%s'", root, root, tmp, tmp,
			       four->sources[0]), 0);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_geq(asprintf(&out, "%s/report.json", tmp), 0);
	struct test_cmd r = forklab((const char *[]){"grade", "--labs", tmp, "--format", "json",
						      "--output", out, "1", "4", NULL});
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	json_error_t e;
	json_t *rep = json_load_file(out, 0, &e);
	cr_assert_not_null(rep, "%s: %s", out, e.text);
	json_t *l1 = json_array_get(json_object_get(rep, "labs"), 0);
	json_t *l4 = json_array_get(json_object_get(rep, "labs"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(l1, "name")), "01-fork-return");
	cr_assert(json_is_true(json_object_get(l1, "built")));
	cr_assert_eq(json_integer_value(json_object_get(l1, "score")),
		     json_integer_value(json_object_get(l1, "max")));
	cr_assert(json_is_false(json_object_get(l4, "built")));
	cr_assert_eq(json_integer_value(json_object_get(l4, "score")), 0);
	const char *msg = json_string_value(
		json_object_get(json_array_get(json_object_get(l4, "checks"), 0), "message"));
	cr_assert_not_null(strstr(msg, "the program did not build: "), "%s", msg);
	cr_assert_not_null(strstr(msg, "error:"), "%s", msg);
	json_decref(rep);
	free(cmd);
	/* forklab built them into build/grade/<name of the labs dir>/: remove that too. */
	cr_assert_geq(asprintf(&cmd, "rm -rf '%s' '%s/build/grade/%s'", tmp, root,
			       strrchr(tmp, '/') + 1), 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(out);
	test_cmd_free(&r);
}

/* Grades lab 01 from a one-file labs tree in dir whose fork_return.c is made by make_src (which
 * writes it, or links it, at path); returns the result's build log (malloc'd) and whether it
 * built. */
static bool build_submission(const char *dir, void (*make_src)(const char *path,
							       const char *secret),
			     const char *secret, char **log)
{
	char labdir[PATH_MAX], src[PATH_MAX + 32], build[PATH_MAX + 16], err[512] = "";
	snprintf(labdir, sizeof labdir, "%s/labs/01-fork-return", dir);
	snprintf(src, sizeof src, "%s/fork_return.c", labdir);
	snprintf(build, sizeof build, "%s/build", dir);
	test_shell("/", "rm -rf '%s/labs' && mkdir -p '%s'", dir, labdir);
	make_src(src, secret);
	char labs[PATH_MAX + 8];
	snprintf(labs, sizeof labs, "%s/labs", dir);
	struct grade_opts o;
	grade_opts_init(&o);
	o.labs_dir = labs;
	o.build_dir = build;
	struct lab_result r;
	cr_assert_eq(grade_lab(lab_lookup("01"), &o, &r, err, sizeof err), 0, "%s", err);
	bool built = r.built;
	*log = strdup(r.build_log ? r.build_log : "");
	lab_result_free(&r);
	return built;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static void src_include(const char *path, const char *secret)
{
	char text[PATH_MAX + 64];
	snprintf(text, sizeof text, "#include \"%s\"\nint main(void) { return 0; }\n", secret);
	write_text(path, text);
}

static void src_incbin(const char *path, const char *secret)
{
	char text[PATH_MAX + 256];
	snprintf(text, sizeof text,
		 "#include <stdio.h>\n"
		 "__asm__(\".section .rodata\\n.global s\\ns: .incbin \\\"%s\\\"\\n.byte 0\\n.text\");\n"
		 "extern const char s[];\n"
		 "int main(void) { puts(s); return 0; }\n", secret);
	write_text(path, text);
}

static void src_link(const char *path, const char *secret)
{
	cr_assert_eq(symlink(secret, path), 0);
}

/* The compiler runs like the lab's programs, not as the grader: a source that #includes or
 * .incbin's a file only root may read, or is a link to it, does not build, and the file's
 * content is nowhere in what the student sees. (As an ordinary user the file is one its owner
 * cannot read either.) */
Test(grade_cli, compiler_cannot_read_what_the_program_may_not, .timeout = 120)
{
	char dir[] = "/tmp/forklab-secret-XXXXXX", secret[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(secret, sizeof secret, "%s/secret.txt", dir);
	write_text(secret, "int TOPSECRET_forklab_4711;\n");
	cr_assert_eq(chmod(secret, 0), 0);
	void (*makers[])(const char *, const char *) = { src_include, src_incbin, src_link };
	const char *names[] = { "#include", ".incbin", "a symbolic link" };
	for (size_t i = 0; i < 3; i++) {
		char *log;
		bool built = build_submission(dir, makers[i], secret, &log);
		cr_assert(!built, "%s of the secret built", names[i]);
		cr_assert_null(strstr(log, "TOPSECRET"), "%s leaked it: %s", names[i], log);
		cr_assert_gt(strlen(log), 0, "%s: no reason given", names[i]);
		free(log);
	}
	test_shell("/", "rm -rf '%s'", dir);
}

/* `make install` puts forklab, its man page and the grader's helper programs under PREFIX, and
 * the installed forklab finds its helpers there: lab 05 (whose scenarios stage exit_with and
 * die_by) gets full marks, graded from a directory of its own. */
Test(grade_cli, installed_forklab_grades_with_its_helpers, .timeout = 180)
{
	test_need_solutions();
	char build[PATH_MAX], root[PATH_MAX], prefix[] = "/tmp/forklab-install-XXXXXX";
	dirs(build, root);
	cr_assert_not_null(mkdtemp(prefix));
	char pre[PATH_MAX + 16], bdir[PATH_MAX + 8], exe[PATH_MAX + 32], labs[PATH_MAX + 16];
	snprintf(pre, sizeof pre, "PREFIX=%s", prefix);
	snprintf(bdir, sizeof bdir, "B=%s", build);
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", "install-files", pre,
						      bdir, NULL}, root);
	cr_assert_eq(r.status, 0, "make install: %s%s", r.out, r.err);
	test_cmd_free(&r);
	test_shell(prefix, "test -x bin/forklab && test -f share/man/man1/forklab.1 && "
	      "test -x lib/forklab/helpers/exit_with && mkdir work");
	snprintf(exe, sizeof exe, "%s/bin/forklab", prefix);
	snprintf(labs, sizeof labs, "%s/solutions", root);
	char work[PATH_MAX + 8];
	snprintf(work, sizeof work, "%s/work", prefix);
	r = test_command((const char *[]){exe, "grade", "--labs", labs, "05", NULL}, work);
	cr_assert_eq(r.status, 0, "installed forklab grade: %s%s", r.out, r.err);
	test_cmd_free(&r);
	test_shell("/", "rm -rf '%s'", prefix);
}

static void src_with_header(const char *path, const char *unused)
{
	(void)unused;
	char header[PATH_MAX + 8];
	snprintf(header, sizeof header, "%s", path);
	strcpy(strrchr(header, '/') + 1, "msg.h");
	write_text(header, "#define CODE 0\n");
	write_text(path, "#include \"msg.h\"\nint main(void) { return CODE; }\n");
}

/* The compiler gets the lab directory's other files too: a header beside the source is found. */
Test(grade_cli, header_beside_the_source, .timeout = 60)
{
	char dir[] = "/tmp/forklab-header-XXXXXX", *log;
	cr_assert_not_null(mkdtemp(dir));
	cr_assert(build_submission(dir, src_with_header, NULL, &log), "did not build: %s", log);
	free(log);
	test_shell("/", "rm -rf '%s'", dir);
}
