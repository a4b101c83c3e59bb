/* labtest.c - grading one lab's program inside a test and asserting exactly which checks it
 * fails: shared by the tests of every lab (test_labNN.c). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "grade.h"
#include "labtest.h"
#include "testutil.h"

/* The failed checks' verdicts, one per line, for an assertion message; malloc'd. */
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

/* Grades lab (a spec for lab_lookup) — the test program labprogs/NN/<prog> when prog is set,
 * else the lab's sources under labs_dir — and asserts that exactly the checks in failed
 * (comma-separated ids in table order, "" for full marks) failed, and that no run left a
 * process behind. */
void labtest_expect(const char *lab, const char *prog, const char *labs_dir, const char *failed)
{
	labtest_expect_verdict(lab, prog, labs_dir, failed, NULL, NULL);
}

/* The same, and the verdict of check_id must contain needle (the mistake named by name). */
void labtest_expect_verdict(const char *lab, const char *prog, const char *labs_dir,
			    const char *failed, const char *check_id, const char *needle)
{
	char dir[PATH_MAX], bin[PATH_MAX + 64], build[PATH_MAX + 16], err[512] = "";
	const struct lab *l = lab_lookup(lab);
	struct grade_opts o;
	struct lab_result res;

	cr_assert_not_null(l, "no lab %s", lab);
	/* The test programs are made from the solutions: a students' repository has neither. */
	if (prog || strcmp(labs_dir, "solutions") == 0)
		test_need_solutions();
	snprintf(dir, sizeof dir, "%s", test_build_dir());
	grade_opts_init(&o);
	/* Apart from `make grade`'s build/grade/, so parallel tests never share an output file. */
	snprintf(build, sizeof build, "%s/test-labs", dir);
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
	if (!*failed)
		cr_expect_eq(res.score, res.max, "%s: %d of %d points", prog ? prog : labs_dir,
			     res.score, res.max);
	else
		cr_expect_lt(res.score, res.max);
	if (check_id) {
		const struct check_result *cr = NULL;
		for (size_t i = 0; i < res.nchecks; i++)
			if (strcmp(res.checks[i].check->id, check_id) == 0)
				cr = &res.checks[i];
		cr_assert_not_null(cr, "%s has no check %s", l->name, check_id);
		cr_expect(cr->message && strstr(cr->message, needle),
			  "%s verdict of %s should contain \"%s\"; it is: %s", check_id,
			  prog ? prog : labs_dir, needle, cr->message ? cr->message : "(none)");
	}
	free(ids);
	free(why);
	lab_result_free(&res);
}
