/* test_lab04.c - lab 04's checks against its solution, its starter (no grandchild reaped, one
 * exit() missing) and the classic mistakes in solutions/tests/04/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab04, solution_full_marks, .timeout = 60)
{
	labtest_expect("04", NULL, "solutions", "");
}

/* The starter's children make no children until the student writes run_child(). */
Test(lab04, starter_makes_no_grandchildren, .timeout = 60)
{
	labtest_expect_verdict("04", NULL, "labs", "shape,pids,child-after-grandchildren",
			       "shape", "expected each child to have 2 children; P.1 (pid");
}

Test(lab04, wrong_no_grandchild_wait, .timeout = 30)
{
	labtest_expect_verdict("04", "wrong_no_grandchild_wait", NULL,
			       "reaped-by-parent,child-after-grandchildren,one-at-a-time",
			       "reaped-by-parent",
			       "until forklab adopted and reaped it — call wait() once per child");
}

Test(lab04, wrong_child_no_exit, .timeout = 30)
{
	/* One of the old starter's two mistakes (the other: wrong_no_grandchild_wait). */
	labtest_expect_verdict("04", "wrong_child_no_exit", NULL, "shape,pids", "shape",
			       "a child without exit() runs the parent's loop");
}

Test(lab04, wrong_grandchild_no_exit, .timeout = 30)
{
	labtest_expect_verdict("04", "wrong_grandchild_no_exit", NULL, "shape,pids", "shape",
			       "a grandchild without exit() returns into its parent's loop");
}

Test(lab04, wrong_parent_waits_at_end, .timeout = 30)
{
	labtest_expect("04", "wrong_parent_waits_at_end", NULL, "one-at-a-time");
}

Test(lab04, right_recursive, .timeout = 30)
{
	labtest_expect("04", "right_recursive", NULL, "");
}

Test(lab04, right_flat, .timeout = 30)
{
	labtest_expect("04", "right_flat", NULL, "");
}
