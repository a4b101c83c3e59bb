/* test_lab05.c - lab 05's checks against its solution, its starter, the classic mistakes and
 * differently-written correct programs in solutions/tests/05/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab05, solution_full_marks, .timeout = 60)
{
	labtest_expect_verdict("05", NULL, "solutions", "", NULL, NULL);
}

/* The starter's child execs nothing until the student writes exec_program() and report(). */
Test(lab05, starter_execs_nothing, .timeout = 60)
{
	labtest_expect_verdict("05", NULL, "labs", "exec-in-child,argv-exact,status-exit,status-signal,exec-fail-127,"
			 "exec-fail-126",
			 "exec-in-child", "no process exec'd show_args");
}

Test(lab05, wrong_no_fork, .timeout = 60)
{
	labtest_expect_verdict("05", "wrong_no_fork", NULL,
			 "exec-in-child,status-exit,status-signal,exec-fail-127,exec-fail-126,waits",
			 "exec-in-child", "fork() first");
}

Test(lab05, wrong_no_exit_after_failed_exec, .timeout = 60)
{
	labtest_expect_verdict("05", "wrong_no_exit", NULL, "exec-fail-127,exec-fail-126",
			 "exec-fail-127", "second copy of the parent");
}

Test(lab05, wrong_raw_status, .timeout = 60)
{
	labtest_expect_verdict("05", "wrong_raw_status", NULL,
			 "status-exit,status-signal,exec-fail-127,exec-fail-126",
			 "status-exit", "WEXITSTATUS");
}

Test(lab05, wrong_split_args, .timeout = 60)
{
	labtest_expect_verdict("05", "wrong_split_args", NULL, "argv-exact", "argv-exact",
			 "'hello world'");
}

Test(lab05, wrong_signal_as_exit, .timeout = 60)
{
	labtest_expect_verdict("05", "wrong_signal_as_exit", NULL, "status-signal", "status-signal",
			 "WIFSIGNALED");
}

Test(lab05, right_manual_path, .timeout = 60)
{
	labtest_expect_verdict("05", "right_manual_path", NULL, "", NULL, NULL);
}

Test(lab05, right_waitid, .timeout = 60)
{
	labtest_expect_verdict("05", "right_waitid", NULL, "", NULL, NULL);
}
