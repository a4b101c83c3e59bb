/* test_honesty.c - the grader judged on the course itself: every solution in solutions/ gets
 * full marks, every unmodified starter in labs/ gets less and does not crash the grader, the
 * same program graded again gets the same score, and `forklab grade` keeps its promises
 * (exit statuses, unknown lab, --bin, a lab that does not compile beside one that does). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "grade.h"
#include "testutil.h"

extern char **environ;

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
	for (size_t k = 0; k < r.nchecks; k++)
		if (!r.checks[k].passed)
			cr_assert(r.checks[k].message && *r.checks[k].message,
				  "%s: check %s failed without a verdict", lab->name,
				  r.checks[k].check->id);
	lab_result_free(&r);
}

/* The parallel/sequential lab is the one most exposed to timing: grade its solution 5 times. */
Test(honesty, same_program_same_score, .timeout = 300)
{
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
	const char *words[] = {"--labs", "--bin", "--format", "--output", "human", "json",
			       "gradescope", "junit", "tap", "classroom", "autolab", "NO_COLOR",
			       "0  every check", "1  at least one", "2  forklab itself"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		cr_assert_not_null(strstr(r.out, words[i]), "--help lacks %s", words[i]);
	cr_assert_str_eq(r.err, "");
	test_cmd_free(&r);
}

Test(grade_cli, unknown_lab_lists_the_labs)
{
	struct test_cmd r = forklab((const char *[]){"grade", "99", NULL});
	cr_assert_eq(r.status, 2);
	const char *want = "forklab: no lab '99' (labs: 01-fork-return, ";
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

/* Runs a shell command line in dir; it must succeed. */
static void shell(const char *dir, const char *fmt, ...)
{
	char line[4 * PATH_MAX + 512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", "-c", line, NULL}, dir);
	cr_assert_eq(r.status, 0, "%s: %s%s", line, r.out, r.err);
	test_cmd_free(&r);
}

/* Runs the package's run_autograder on what is in ag/submission; returns results.json's score,
 * and its tests' max scores summed in *max. */
static int autograde(const char *ag, int *max)
{
	char script[PATH_MAX + 32], results[PATH_MAX + 32];
	snprintf(script, sizeof script, "%s/source/run_autograder", ag);
	snprintf(results, sizeof results, "%s/results/results.json", ag);
	unlink(results);
	cr_assert_eq(setenv("FORKLAB_AUTOGRADER", ag, 1), 0);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", script, NULL}, ag);
	cr_assert_eq(r.status, 0, "run_autograder: %s%s", r.out, r.err);
	test_cmd_free(&r);
	json_error_t e;
	json_t *j = json_load_file(results, 0, &e);
	cr_assert_not_null(j, "%s: %s", results, e.text);
	json_t *tests = json_object_get(j, "tests");
	cr_assert(json_is_array(tests) && json_array_size(tests) > 0);
	*max = 0;
	for (size_t i = 0; i < json_array_size(tests); i++)
		*max += (int)json_number_value(json_object_get(json_array_get(tests, i),
							       "max_score"));
	int score = (int)json_number_value(json_object_get(j, "score"));
	json_decref(j);
	return score;
}

/* Packs the autograder of platform for lab 01 into a new directory (returned in dir). */
static void pack(const char *platform, char *dir)
{
	char build[PATH_MAX], root[PATH_MAX], script[PATH_MAX + 64];
	dirs(build, root);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(script, sizeof script, "%s/harness/tools/package.sh", root);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", script, platform, dir, "1", NULL},
				      root);
	cr_assert_eq(r.status, 0, "package.sh %s: %s", platform, r.err);
	test_cmd_free(&r);
}

/* `make gradescope`'s zip used as Gradescope uses it: unpacked into source/, setup.sh run once
 * (it builds forklab there; its packages are already installed), run_autograder run for each
 * submission, results/results.json read back. The solution's file uploaded as it is gets full
 * marks; the unmodified starter, submitted as the repository, does not. The zip holds no
 * reference solution. */
Test(grade_cli, gradescope_package, .timeout = 300)
{
	char build[PATH_MAX], root[PATH_MAX], ag[] = "/tmp/forklab-ag-XXXXXX";
	dirs(build, root);
	pack("gradescope", ag);
	shell(ag, "mkdir source submission && cd source && unzip -q ../forklab-autograder.zip && "
	      "test -x run_autograder && test ! -e forklab/solutions && "
	      "sh setup.sh >../setup.log 2>&1 && test -x forklab/build/forklab && "
	      "cp '%s'/solutions/01-fork-return/* ../submission/", root);
	int max, score = autograde(ag, &max);
	cr_assert_eq(score, max, "the solution got %d/%d", score, max);
	cr_assert_gt(max, 0);
	shell(ag, "rm -rf submission/* && mkdir -p submission/labs && "
	      "cp -r '%s/labs/01-fork-return' submission/labs/", root);
	score = autograde(ag, &max);
	cr_assert_lt(score, max, "the starter got full marks");
	shell("/", "rm -rf '%s'", ag);
}

/* Runs Autolab's way: `make` beside the Makefile, autograde.tar and one handin file; returns
 * the score of the last line ({"scores":{"01-fork-return":N},...}). */
static int autolab_score(const char *dir)
{
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", NULL}, dir);
	cr_assert_eq(r.status, 0, "make: %s%s", r.out, r.err);
	const char *last = r.out + strlen(r.out);
	while (last > r.out && last[-1] == '\n')
		last--;
	while (last > r.out && last[-1] != '\n')
		last--;
	json_error_t e;
	json_t *j = json_loads(last, 0, &e);
	cr_assert_not_null(j, "last line is not JSON: %s", last);
	json_t *n = json_object_get(json_object_get(j, "scores"), "01-fork-return");
	cr_assert(json_is_integer(n), "%s", last);
	int score = (int)json_integer_value(n);
	json_decref(j);
	test_cmd_free(&r);
	return score;
}

/* `make autolab`'s two files used as Autolab uses them: the Makefile builds forklab from
 * autograde.tar and grades the handin, a C file under Autolab's name for it (the solution: full
 * marks), a tar of the repository (the starter: less) or a zip of a folder holding the
 * repository (the solution again); an archive too large to unpack is refused. */
Test(grade_cli, autolab_package, .timeout = 300)
{
	char build[PATH_MAX], root[PATH_MAX], dir[] = "/tmp/forklab-al-XXXXXX";
	dirs(build, root);
	const struct lab *lab = lab_lookup("01");
	cr_assert_not_null(lab);
	int full = 0;
	for (size_t i = 0; i < lab->nchecks; i++)
		full += lab->checks[i].points;
	pack("autolab", dir);
	shell(dir, "mv autograde-Makefile Makefile && tar -tf autograde.tar > list && "
	      "! grep -q solutions list && rm list && "
	      "cp '%s/solutions/01-fork-return/fork_return.c' handin.c", root);
	cr_assert_eq(autolab_score(dir), full);
	shell(dir, "rm handin.c && tar -C '%s' -cf handin.tar labs/01-fork-return", root);
	cr_assert_lt(autolab_score(dir), full);
	/* A zip of a repository in a folder of its own, the solution in it. */
	shell(dir, "rm handin.tar && mkdir -p repo/labs && cp -r '%s/solutions/01-fork-return' "
	      "repo/labs/ && zip -q -r handin.zip repo && rm -r repo", root);
	cr_assert_eq(autolab_score(dir), full);
	/* An archive that would unpack to more than 64 MiB is refused, not unpacked. */
	shell(dir, "rm handin.zip && truncate -s 70M big.c && tar -S -cf handin.tar big.c && "
	      "rm big.c");
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", NULL}, dir);
	cr_assert_neq(r.status, 0, "an oversized handin was graded: %s", r.out);
	cr_assert_not_null(strstr(r.err, "at most 64 MiB"), "%s%s", r.out, r.err);
	test_cmd_free(&r);
	shell("/", "rm -rf '%s'", dir);
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
	shell("/", "rm -rf '%s/labs' && mkdir -p '%s'", dir, labdir);
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
	shell("/", "rm -rf '%s'", dir);
}

/* `make install` puts forklab, its man page and the grader's helper programs under PREFIX, and
 * the installed forklab finds its helpers there: lab 05 (whose scenarios stage exit_with and
 * die_by) gets full marks, graded from a directory of its own. */
Test(grade_cli, installed_forklab_grades_with_its_helpers, .timeout = 180)
{
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
	shell(prefix, "test -x bin/forklab && test -f share/man/man1/forklab.1 && "
	      "test -x lib/forklab/helpers/exit_with && mkdir work");
	snprintf(exe, sizeof exe, "%s/bin/forklab", prefix);
	snprintf(labs, sizeof labs, "%s/solutions", root);
	char work[PATH_MAX + 8];
	snprintf(work, sizeof work, "%s/work", prefix);
	r = test_command((const char *[]){exe, "grade", "--labs", labs, "05", NULL}, work);
	cr_assert_eq(r.status, 0, "installed forklab grade: %s%s", r.out, r.err);
	test_cmd_free(&r);
	shell("/", "rm -rf '%s'", prefix);
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
	shell("/", "rm -rf '%s'", dir);
}
