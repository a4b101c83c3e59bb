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
	labtest_expect_verdict("01", "wrong_exit_nofflush", NULL, "child-line,output", "child-line",
			       "(README: Output and buffering)");
}

/* The child tests fork()'s value but has no exit(): it falls through into the parent's code.
 * Every verdict says so, none blames buffering or a missing test of the return value. */
Test(lab01, wrong_child_falls_through, .timeout = 60)
{
	static const char *const ids[] = { "parent-line", "output", "exit" };
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		labtest_expect_verdict("01", "wrong_child_falls_through", NULL,
				       "parent-line,output,exit", ids[i],
				       "printed its child line and then ran the parent's code: a "
				       "child without exit() falls through");
	labtest_expect_verdict("01", "wrong_child_falls_through", NULL, "parent-line,output,exit",
			       "output", "(README: fork() returns twice)");
}

/* A line printed before fork() without a flush: both processes wrote it, and why. */
Test(lab01, wrong_printf_before_fork, .timeout = 30)
{
	labtest_expect_verdict("01", "wrong_printf_before_fork", NULL, "output", "output",
			       "found \"fork_return: starting\", written by P (pid ");
	labtest_expect_verdict("01", "wrong_printf_before_fork", NULL, "output", "output",
			       "fork() copied the buffer into the child");
}

Test(lab01, right_write_waitpid, .timeout = 30)
{
	labtest_expect("01", "right_write_waitpid", NULL, "");
}

Test(lab01, right_linebuf_wait, .timeout = 30)
{
	labtest_expect("01", "right_linebuf_wait", NULL, "");
}
