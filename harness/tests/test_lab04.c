/* test_lab04.c - lab 04's checks against its solution, its starter (no grandchild reaped, one
 * exit() missing) and the classic mistakes in solutions/tests/04/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab04, solution_full_marks, .timeout = 60)
{
	labtest_expect("04", NULL, "solutions", "");
}

Test(lab04, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("04", NULL, "labs",
			       "shape,pids,reaped-by-parent,child-after-grandchildren,one-at-a-time",
			       "shape", "a child without exit() runs the parent's loop");
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
