/* test_lab10.c - lab 10's checks against its solution, its starter (never waits to be adopted,
 * no subreaper, no reaping), the classic mistakes (one a race the grader makes it lose every
 * time) and the differently-written correct programs in solutions/tests/10/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab10, solution_full_marks, .timeout = 60)
{
	labtest_expect("10", NULL, "solutions", "");
}

Test(lab10, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("10", NULL, "labs",
			       "adopter,noticed,subreaper-shape,subreaper-reaps", "subreaper-shape",
			       "P must make itself a child subreaper");
}

Test(lab10, wrong_parent_waits, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_parent_waits", NULL, "parent-first,adopter",
			       "parent-first", "a child whose parent waits for it is never orphaned");
}

Test(lab10, wrong_waits_for_init, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_waits_for_init", NULL, "noticed", "noticed",
			       "waiting for it to become 1, init, never ends under a subreaper");
}

Test(lab10, wrong_ppid_late, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_ppid_late", NULL, "noticed,subreaper-shape",
			       "subreaper-shape", "save the parent's pid before fork()");
}

/* The orphan's own first getppid(), with no delay: right only while its parent happens to be
 * alive. The grader starts each child after its parent's death, so it fails every run, for
 * the right reason, in both modes. */
Test(lab10, wrong_ppid_racy, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_ppid_racy", NULL, "adopter,noticed,subreaper-shape",
			       "adopter", "By the time it asked getppid(), P had already exited");
}

Test(lab10, wrong_no_subreaper, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_no_subreaper", NULL, "subreaper-shape,subreaper-reaps",
			       "subreaper-shape", "not by P: P must make itself a child subreaper");
}

Test(lab10, wrong_no_flush, .timeout = 60)
{
	labtest_expect_verdict("10", "wrong_no_flush", NULL, "parent-line,adopter", "parent-line",
			       "fflush(stdout) before fork()");
}

Test(lab10, right_waitid, .timeout = 60)
{
	labtest_expect("10", "right_waitid", NULL, "");
}

Test(lab10, right_pipe_handoff, .timeout = 60)
{
	labtest_expect("10", "right_pipe_handoff", NULL, "");
}
