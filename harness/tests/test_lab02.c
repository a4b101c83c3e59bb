/* test_lab02.c - lab 02's checks against its solution, its exploding starter, and the classic
 * mistakes in solutions/tests/02/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab02, solution_full_marks, .timeout = 60)
{
	labtest_expect("02", NULL, "solutions", "");
}

/* The starter forks nothing until the student writes spawn_all(). */
Test(lab02, starter_forks_nothing, .timeout = 60)
{
	labtest_expect_verdict("02", NULL, "labs", "fork-count,child-lines,exit-status,reaped",
			       "fork-count", "expected exactly 3 processes besides P; the run created 0");
}

/* The old starter's mistake: the getpid() test makes every process fork; the budget contains
 * it, the checks name it. */
Test(lab02, wrong_getpid, .timeout = 60)
{
	labtest_expect_verdict("02", "wrong_getpid", NULL,
			       "fork-count,only-parent-forks,child-lines,exit-status,reaped",
			       "only-parent-forks",
			       "children are forking too: fork()'s return value, not getpid(), "
			       "tells parent from child");
}

Test(lab02, wrong_no_exit, .timeout = 60)
{
	labtest_expect_verdict("02", "wrong_no_exit", NULL,
			       "fork-count,only-parent-forks,child-lines,exit-status,reaped",
			       "only-parent-forks",
			       "a child without exit() goes back into the parent's loop");
}

Test(lab02, wrong_exit_zero, .timeout = 30)
{
	labtest_expect("02", "wrong_exit_zero", NULL, "exit-status");
}

Test(lab02, wrong_wait_once, .timeout = 30)
{
	labtest_expect_verdict("02", "wrong_wait_once", NULL, "reaped", "reaped",
			       "forklab had to reap it");
}

Test(lab02, wrong_underscore_exit, .timeout = 30)
{
	labtest_expect("02", "wrong_underscore_exit", NULL, "child-lines");
}

Test(lab02, right_waitpid_any, .timeout = 30)
{
	labtest_expect("02", "right_waitpid_any", NULL, "");
}

Test(lab02, right_one_by_one, .timeout = 30)
{
	labtest_expect("02", "right_one_by_one", NULL, "");
}
