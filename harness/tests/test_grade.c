/* test_grade.c - the grader's machinery without the labs: check_run/check_fail, lab_lookup,
 * building (missing source, compile error, warnings), how a check's return is judged, the
 * failed-ids list, a lab without checks. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "grade.h"
#include "query.h"
#include "record_build.h"
#include "test_grade_fixture.h"

/* ---- check_run / check_fail on hand-made runs ---- */

static const struct scenario two_sc[] = {{.id = "ok"}, {.id = "broken"}};
static const struct check reaping = {"reaped", 2, "reaps", NULL, "Reaping"};
static const struct check nosection = {"x", 1, "x", NULL, NULL};
static const struct lab fake = {.number = 90, .name = "90-fake"};

Test(grade_check, run_lookup_and_failed_runs)
{
	struct fx f;
	fx_new(&f, 10);
	struct run runs[2] = {
		{.sc = &two_sc[0], .rec = f.r},
		{.sc = &two_sc[1], .error = strdup("cannot fork: Resource temporarily unavailable")},
	};
	unsigned char used[2] = {0, 0};
	struct check_ctx c = {.lab = &fake, .check = &reaping, .runs = runs, .nruns = 2,
			      .runs_used = used};
	cr_assert_eq(check_run(&c, "ok"), f.r);
	cr_assert_eq(check_run_full(&c, "ok"), &runs[0]);
	cr_assert_null(c.message);
	cr_assert_not(c.run_failed);
	cr_assert_eq(used[0], 1);
	cr_assert_eq(used[1], 0);

	cr_assert_null(check_run(&c, "broken"));
	cr_assert(c.run_failed);
	cr_assert_eq(used[1], 1);
	cr_assert_str_eq(c.message, "the program did not run: cannot fork: Resource temporarily "
				    "unavailable");
	/* The first verdict wins. */
	cr_assert_eq(check_fail(&c, "something else"), CHECK_FAIL);
	cr_assert_str_eq(c.message, "the program did not run: cannot fork: Resource temporarily "
				    "unavailable");
	free(c.message);
	free(runs[1].error);
	record_free(f.r);
}

Test(grade_check, unknown_scenario_is_a_grader_bug)
{
	struct check_ctx c = {.lab = &fake, .check = &reaping};
	cr_assert_null(check_run(&c, "nope"));
	cr_assert(c.run_failed);
	cr_assert_str_eq(c.message, "forklab: lab 90-fake has no scenario 'nope' (a bug in the "
				    "grader)");
	free(c.message);
}

Test(grade_check, fail_appends_the_section)
{
	struct check_ctx c = {.lab = &fake, .check = &reaping};
	cr_assert_eq(check_fail(&c, "%s never reaped %s", "P", "P.1 (pid 7)"), CHECK_FAIL);
	cr_assert_str_eq(c.message, "P never reaped P.1 (pid 7) (README: Reaping)");
	free(c.message);
	struct check_ctx d = {.lab = &fake, .check = &nosection};
	check_fail(&d, "plain");
	cr_assert_str_eq(d.message, "plain");
	free(d.message);
}

/* ---- lookup ---- */

Test(grade_lookup, by_number_and_by_name)
{
	const struct lab *four = NULL;
	for (size_t i = 0; labs_all[i]; i++)
		if (labs_all[i]->number == 4)
			four = labs_all[i];
	cr_assert_not_null(four);
	cr_assert_eq(lab_lookup("4"), four);
	cr_assert_eq(lab_lookup("04"), four);
	cr_assert_eq(lab_lookup("004"), four);
	cr_assert_eq(lab_lookup("04-process-tree"), four);
	cr_assert_eq(lab_lookup("process-tree"), four);
	cr_assert_null(lab_lookup("99"));
	cr_assert_null(lab_lookup("tree"));
	cr_assert_null(lab_lookup(""));
	cr_assert_null(lab_lookup("4x"));
	cr_assert_null(lab_lookup("99999999999999999999"));
	for (size_t i = 0; labs_all[i]; i++)
		cr_assert_eq(lab_lookup(labs_all[i]->name), labs_all[i]);
}

Test(grade_lookup, defaults)
{
	struct grade_opts o;
	grade_opts_init(&o);
	cr_assert_str_eq(o.labs_dir, "labs");
	cr_assert_str_eq(o.build_dir, "build");
	cr_assert_null(o.bin);
	cr_assert_null(o.helpers_dir);
}

/* ---- building and judging, on labs made up for the test ---- */

static char tmp[64];

static void mktree(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/forklab-grade-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static void rmtree(void)
{
	char *cmd = NULL;
	cr_assert_geq(asprintf(&cmd, "rm -rf '%s'", tmp), 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

static void put(const char *rel, const char *text)
{
	char *path = NULL, *dir;
	cr_assert_geq(asprintf(&path, "%s/%s", tmp, rel), 0);
	dir = strdup(path);
	*strrchr(dir, '/') = '\0';
	char *cmd = NULL;
	cr_assert_geq(asprintf(&cmd, "mkdir -p '%s'", dir), 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	free(dir);
	free(path);
}

static int passes(struct check_ctx *c)
{
	(void)c;
	return CHECK_PASS;
}

static int fails_quietly(struct check_ctx *c)
{
	(void)c;
	return CHECK_FAIL;
}

static int fails_then_passes(struct check_ctx *c)
{
	check_fail(c, "saw a problem");
	return CHECK_PASS;
}

static int asks_for_missing(struct check_ctx *c)
{
	return check_run(c, "none") ? CHECK_PASS : CHECK_FAIL;
}

static const char *const hello_src[] = {"hello.c", NULL};
static const struct check judged[] = {
	{"pass", 3, "passes", passes, "A"},
	{"quiet", 2, "fails without a verdict", fails_quietly, "B"},
	{"flip", 1, "fails then passes", fails_then_passes, "C"},
	{"missing", 1, "asks for a scenario that does not exist", asks_for_missing, "D"},
};
static const struct lab hello_lab = {
	.number = 89, .name = "89-hello", .title = "Hello", .program = "hello",
	.sources = hello_src, .checks = judged, .nchecks = 4,
};

static struct grade_opts opts(void)
{
	struct grade_opts o;
	grade_opts_init(&o);
	char *labs = NULL, *build = NULL;
	cr_assert_geq(asprintf(&labs, "%s/labs", tmp), 0);
	cr_assert_geq(asprintf(&build, "%s/build", tmp), 0);
	o.labs_dir = labs;
	o.build_dir = build;
	return o;
}

static void free_opts(struct grade_opts *o)
{
	free((char *)o->labs_dir);
	free((char *)o->build_dir);
}

TestSuite(grade_build, .init = mktree, .fini = rmtree);

Test(grade_build, a_missing_source_is_a_verdict)
{
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built);
	cr_assert_not_null(strstr(r.build_log, "/labs/89-hello/hello.c: No such file or directory"),
			   "%s", r.build_log);
	cr_assert_eq(r.score, 0);
	cr_assert_eq(r.max, 7);
	cr_assert_eq(r.nchecks, 4);
	for (size_t i = 0; i < r.nchecks; i++) {
		cr_assert_not(r.checks[i].passed);
		cr_assert(r.checks[i].error);
		cr_assert_not_null(strstr(r.checks[i].message, "the program did not build: "));
	}
	char *ids = lab_result_failed_ids(&r);
	cr_assert_str_eq(ids, "pass,quiet,flip,missing");
	free(ids);
	lab_result_free(&r);
	free_opts(&o);
}

Test(grade_build, a_compile_error_quotes_the_first_error)
{
	put("labs/89-hello/hello.c", "#include <stdio.h>\nint main(void)\n{\n\tint unused;\n"
				     "\tputs(\"hi\")\n}\n");
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built);
	cr_assert_null(r.bin);
	cr_assert_not_null(strstr(r.build_log, "error:"), "%s", r.build_log);
	const char *m = r.checks[0].message;
	cr_assert_not_null(strstr(m, "the program did not build: "), "%s", m);
	cr_assert_not_null(strstr(m, "hello.c:5:"), "%s", m);
	cr_assert_not_null(strstr(m, "error:"), "%s", m);
	cr_assert_null(strchr(m, '\n'));
	lab_result_free(&r);
	free_opts(&o);
}

/* Built with warnings, no scenarios: the checks are judged on what they return. */
Test(grade_build, warnings_are_shown_and_checks_are_judged)
{
	put("labs/89-hello/hello.c", "#include <stdio.h>\nint main(void)\n{\n\tint unused;\n"
				     "\tputs(\"hi\");\n\treturn 0;\n}\n");
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert(r.built, "%s", r.build_log ? r.build_log : "");
	cr_assert_not_null(strstr(r.build_log, "-Wunused-variable"), "%s", r.build_log);
	char *want = NULL;
	cr_assert_geq(asprintf(&want, "/build/grade/labs/89-hello/hello"), 0);
	cr_assert_not_null(strstr(r.bin, want), "%s", r.bin);
	cr_assert_eq(r.bin[0], '/');
	cr_assert_eq(access(r.bin, X_OK), 0);
	free(want);

	cr_assert(r.checks[0].passed);
	cr_assert_eq(r.checks[0].score, 3);
	cr_assert_null(r.checks[0].message);
	cr_assert_not(r.checks[1].passed);
	cr_assert_str_eq(r.checks[1].message, "failed: fails without a verdict");
	cr_assert_not(r.checks[2].passed);
	cr_assert_str_eq(r.checks[2].message, "saw a problem (README: C)");
	cr_assert_not(r.checks[3].passed);
	cr_assert(r.checks[3].error);
	cr_assert_not_null(strstr(r.checks[3].message, "no scenario 'none'"));
	cr_assert_eq(r.score, 3);
	cr_assert_eq(r.max, 7);
	char *ids = lab_result_failed_ids(&r);
	cr_assert_str_eq(ids, "quiet,flip,missing");
	free(ids);
	lab_result_free(&r);
	free_opts(&o);
}

Test(grade_build, bin_replaces_the_build)
{
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	o.bin = "/no/such/program";
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built);
	cr_assert_str_eq(r.build_log, "/no/such/program: No such file or directory");
	lab_result_free(&r);

	o.bin = "/bin/true";
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert(r.built);
	cr_assert_null(r.build_log);
	cr_assert_eq(r.score, 3);
	lab_result_free(&r);

	put("notexec", "data");
	char *p = NULL;
	cr_assert_geq(asprintf(&p, "%s/notexec", tmp), 0);
	o.bin = p;
	cr_assert_eq(grade_lab(&hello_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built);
	cr_assert_not_null(strstr(r.build_log, "not an executable file"));
	lab_result_free(&r);
	free(p);
	free_opts(&o);
}

Test(grade_build, a_lab_without_checks_is_zero_of_zero)
{
	static const struct lab empty = {.number = 88, .name = "88-empty", .program = ""};
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	cr_assert_eq(grade_lab(&empty, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_eq(r.score, 0);
	cr_assert_eq(r.max, 0);
	cr_assert_eq(r.nchecks, 0);
	char *ids = lab_result_failed_ids(&r);
	cr_assert_str_eq(ids, "");
	free(ids);
	lab_result_free(&r);
	free_opts(&o);
}

/* ---- scenarios: arguments, stdin, files, helpers and the driver reach the program ---- */

static int saw_everything(struct check_ctx *c)
{
	static const char *const want[] = {
		"file: hello", "stdin: from stdin", "-rwxr-x---", "helper: hi", "arg: two words",
	};
	char *why = NULL;
	struct run *run = check_run_full(c, "all");
	if (!run)
		return CHECK_FAIL;
	if (!run->driver_data || strcmp(run->driver_data, "driver was here") != 0)
		return check_fail(c, "the driver's data did not reach the check");
	if (!q_match_lines_any_order(run->rec, want, 5, &why)) {
		check_fail(c, "%s", why);
		free(why);
		return CHECK_FAIL;
	}
	return CHECK_PASS;
}

static int leave_note(struct trace_ctl *ctl, void *arg)
{
	struct run *run = arg;
	(void)ctl;
	run->driver_data = strdup("driver was here");
	return 0;
}

static const char *const sh_all[] = {
	"-c",
	"printf 'file: '; cat in.txt; printf 'stdin: '; cat; ls -l x.sh | cut -c1-10; "
	"printf 'helper: '; hi; printf 'arg: %s\\n' \"$1\"",
	"sh", "two words", NULL,
};
static const char *const files_all[] = {"in.txt=hello\n", "x.sh=#!/bin/sh\n:0750", NULL};
static const char *const helpers_all[] = {"hi", NULL};
static const char *const files_bad[] = {"../escape=1", NULL};
static const struct scenario staged_sc[] = {
	{.id = "all", .args = sh_all, .stdin_text = "from stdin\n", .timeout_s = 3,
	 .files = files_all, .helpers = helpers_all, .driver = leave_note},
};
static const struct check staged_checks[] = {
	{"all", 1, "everything reaches the program", saw_everything, "Staging"},
};
static const struct lab staged_lab = {
	.number = 87, .name = "87-staged", .program = "sh",
	.scenarios = staged_sc, .nscenarios = 1, .checks = staged_checks, .nchecks = 1,
};
static const struct scenario bad_sc[] = {
	{.id = "bad", .args = sh_all, .timeout_s = 3, .files = files_bad},
};
static const struct lab bad_lab = {
	.number = 86, .name = "86-bad-table", .program = "sh",
	.scenarios = bad_sc, .nscenarios = 1, .checks = staged_checks, .nchecks = 1,
};

/* What the tracer cannot start (here: an executable file that is no program) fails the
 * grading with the tracer's reason; it never becomes a verdict on a program. */
Test(grade_build, a_tracer_failure_is_not_a_verdict, .timeout = 60)
{
	put("garbage", "\x01\x02 not a program\n");
	char *path = NULL, *cmd = NULL;
	cr_assert_geq(asprintf(&path, "%s/garbage", tmp), 0);
	cr_assert_geq(asprintf(&cmd, "chmod 755 '%s'", path), 0);
	cr_assert_eq(system(cmd), 0);
	struct grade_opts o = opts();
	struct lab_result r;
	char err[256] = "";
	static const struct scenario one[] = {{.id = "one", .timeout_s = 2}};
	struct lab l = hello_lab;
	l.scenarios = one;
	l.nscenarios = 1;
	o.bin = path;
	cr_assert_eq(grade_lab(&l, &o, &r, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "scenario one: cannot execute "), "%s", err);
	cr_assert_not_null(strstr(err, "Exec format error"), "%s", err);
	free(cmd);
	free(path);
	free_opts(&o);
}

Test(grade_build, scenarios_stage_args_stdin_files_helpers_driver, .timeout = 60)
{
	put("helpers/hi", "#!/bin/sh\necho hi\n");
	struct grade_opts o = opts();
	char *helpers = NULL;
	cr_assert_geq(asprintf(&helpers, "%s/helpers", tmp), 0);
	char *cmd = NULL;
	cr_assert_geq(asprintf(&cmd, "chmod 755 '%s/hi'", helpers), 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	o.helpers_dir = helpers;
	o.bin = "/bin/sh";
	struct lab_result r;
	char err[256] = "";
	cr_assert_eq(grade_lab(&staged_lab, &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_eq(r.nruns, 1);
	cr_assert_not_null(r.runs[0].rec);
	cr_assert_eq(r.runs[0].rec->leftover, 0);
	cr_assert(r.checks[0].passed, "%s", r.checks[0].message);
	lab_result_free(&r);

	/* A scenario forklab cannot run is forklab's failure, never a verdict on the program. */
	cr_assert_eq(grade_lab(&bad_lab, &o, &r, err, sizeof err), -1);
	cr_assert_str_eq(err, "scenario bad: bad file entry '../escape=1' (a bug in the lab's "
			      "table)");

	/* A helper the lab names but forklab lacks is forklab's failure, not a verdict. */
	o.helpers_dir = "/no/such/helpers";
	cr_assert_eq(grade_lab(&staged_lab, &o, &r, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "/no/such/helpers/hi is missing"), "%s", err);
	free(helpers);
	free_opts(&o);
}
