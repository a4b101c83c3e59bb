/* test_lab05.c - lab 05's checks against its solution, its starter, the classic mistakes and
 * differently-written correct programs in harness/tests/labs/05/. Also home of
 * labtest58_expect(), which the tests of labs 06-08 share. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "grade.h"

void labtest58_expect(const char *lab, const char *prog, const char *labs_dir,
		      const char *failed, const char *check_id, const char *needle);

/* The directory holding this test binary: the build directory, whatever B= was. */
static void build_dir(char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	cr_assert(n > 0, "cannot read /proc/self/exe");
	exe[n] = '\0';
	snprintf(out, len, "%s", dirname(exe));
}

/* Every failed check with its verdict, one per line, for assertion messages; malloc'd. */
static char *verdicts(const struct lab_result *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].passed)
			fprintf(f, "\n  %s: %s", r->checks[i].check->id,
				r->checks[i].message ? r->checks[i].message : "(no verdict)");
	fclose(f);
	return text;
}

/* Grades lab (labprogs/NN/<prog> when prog is set, else the lab's sources under labs_dir) and
 * asserts that exactly the checks in failed (comma-separated, table order; "" for full marks)
 * failed, that every run left no process behind, and, when check_id is set, that the verdict
 * of that check contains needle. */
void labtest58_expect(const char *lab, const char *prog, const char *labs_dir,
		      const char *failed, const char *check_id, const char *needle)
{
	char dir[PATH_MAX], bin[PATH_MAX + 64], build[PATH_MAX + 16], err[512] = "";
	const struct lab *l = lab_lookup(lab);
	struct grade_opts o;
	struct lab_result res;

	cr_assert_not_null(l, "no lab %s", lab);
	build_dir(dir, sizeof dir);
	grade_opts_init(&o);
	/* Away from `make grade`'s build/grade/, so parallel tests never share an output file. */
	snprintf(build, sizeof build, "%s/test-labs58", dir);
	o.build_dir = build;
	if (prog) {
		snprintf(bin, sizeof bin, "%s/labprogs/%02d/%s", dir, l->number, prog);
		cr_assert_eq(access(bin, X_OK), 0, "%s is not built (make test builds it)", bin);
		o.bin = bin;
	} else {
		o.labs_dir = labs_dir;
	}
	memset(&res, 0, sizeof res);
	cr_assert_eq(grade_lab(l, &o, &res, err, sizeof err), 0, "grade_lab: %s", err);
	cr_assert(res.built, "%s did not build: %s", prog ? prog : labs_dir,
		  res.build_log ? res.build_log : "");
	for (size_t i = 0; i < res.nruns; i++) {
		cr_assert_not_null(res.runs[i].rec, "scenario %s did not run: %s",
				   res.runs[i].sc->id, res.runs[i].error ? res.runs[i].error : "");
		cr_expect_eq(res.runs[i].rec->leftover, 0, "scenario %s left %d processes alive",
			     res.runs[i].sc->id, res.runs[i].rec->leftover);
	}
	char *ids = lab_result_failed_ids(&res);
	char *why = verdicts(&res);
	cr_expect_str_eq(ids, failed, "%s %s: failed [%s], expected [%s]%s", l->name,
			 prog ? prog : labs_dir, ids, failed, why);
	if (*failed)
		cr_expect_lt(res.score, res.max);
	else
		cr_expect_eq(res.score, res.max, "%s: %d of %d points", prog ? prog : labs_dir,
			     res.score, res.max);
	for (size_t i = 0; check_id && i < res.nchecks; i++) {
		const struct check_result *cr = &res.checks[i];
		if (strcmp(cr->check->id, check_id) != 0)
			continue;
		cr_expect(cr->message && strstr(cr->message, needle),
			  "%s's verdict should mention '%s'; it is: %s", check_id, needle,
			  cr->message ? cr->message : "(none)");
	}
	free(ids);
	free(why);
	lab_result_free(&res);
}

Test(lab05, solution_full_marks, .timeout = 60)
{
	labtest58_expect("05", NULL, "solutions", "", NULL, NULL);
}

Test(lab05, starter_fails_its_todos, .timeout = 60)
{
	labtest58_expect("05", NULL, "labs", "status-signal,exec-fail-127,exec-fail-126",
			 "exec-fail-127", "second copy");
}

Test(lab05, wrong_no_fork, .timeout = 60)
{
	labtest58_expect("05", "wrong_no_fork", NULL,
			 "exec-in-child,status-exit,status-signal,exec-fail-127,exec-fail-126,waits",
			 "exec-in-child", "fork() first");
}

Test(lab05, wrong_no_exit_after_failed_exec, .timeout = 60)
{
	labtest58_expect("05", "wrong_no_exit", NULL, "exec-fail-127,exec-fail-126",
			 "exec-fail-127", "second copy of the parent");
}

Test(lab05, wrong_raw_status, .timeout = 60)
{
	labtest58_expect("05", "wrong_raw_status", NULL,
			 "status-exit,status-signal,exec-fail-127,exec-fail-126",
			 "status-exit", "WEXITSTATUS");
}

Test(lab05, wrong_split_args, .timeout = 60)
{
	labtest58_expect("05", "wrong_split_args", NULL, "argv-exact", "argv-exact",
			 "'hello world'");
}

Test(lab05, wrong_signal_as_exit, .timeout = 60)
{
	labtest58_expect("05", "wrong_signal_as_exit", NULL, "status-signal", "status-signal",
			 "WIFSIGNALED");
}

Test(lab05, right_manual_path, .timeout = 60)
{
	labtest58_expect("05", "right_manual_path", NULL, "", NULL, NULL);
}

Test(lab05, right_waitid, .timeout = 60)
{
	labtest58_expect("05", "right_waitid", NULL, "", NULL, NULL);
}
