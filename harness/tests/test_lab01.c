/* test_lab01.c - lab 01's checks against its solution, its starter, and programs that make the
 * classic mistakes (solutions/tests/01/): each must fail exactly the checks named here. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab01, solution_full_marks, .timeout = 60)
{
	labtest_expect("01", NULL, "solutions", "");
}

Test(lab01, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("01", NULL, "labs", "child-line,parent-line,reaped,status-line,output",
			       "parent-line", "Both processes ran the parent's code");
}

Test(lab01, wrong_same_code, .timeout = 30)
{
	labtest_expect("01", "wrong_same_code", NULL, "child-line,parent-line,output");
}

Test(lab01, wrong_getpid_child, .timeout = 30)
{
	labtest_expect_verdict("01", "wrong_getpid_child", NULL, "parent-line", "parent-line",
			       "getpid() is always the caller's own pid");
}

Test(lab01, wrong_no_wait, .timeout = 30)
{
	labtest_expect_verdict("01", "wrong_no_wait", NULL, "reaped,status-line", "status-line",
			       "printed before any wait() returned the child");
}

Test(lab01, wrong_exit_nofflush, .timeout = 30)
{
	labtest_expect_verdict("01", "wrong_exit_nofflush", NULL, "child-line,output", "child-line",
			       "followed by _exit() loses the line");
}

Test(lab01, wrong_child_falls_through, .timeout = 30)
{
	labtest_expect("01", "wrong_child_falls_through", NULL, "parent-line,output,exit");
}

Test(lab01, right_write_waitpid, .timeout = 30)
{
	labtest_expect("01", "right_write_waitpid", NULL, "");
}

Test(lab01, right_linebuf_wait, .timeout = 30)
{
	labtest_expect("01", "right_linebuf_wait", NULL, "");
}
