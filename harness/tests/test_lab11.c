/* test_lab11.c - lab 11's checks against its solution, its starter (no flush before fork, no
 * wait) and the classic mistakes in solutions/tests/11/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab11, solution_full_marks, .timeout = 60)
{
	labtest_expect("11", NULL, "solutions", "");
}

Test(lab11, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("11", NULL, "labs", "start-once,end-last,reaped", "start-once",
			       "when fork() copied the process");
}

Test(lab11, wrong_no_flush, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_no_flush", NULL, "start-once", "start-once",
			       "\"start\" came out 4 times, written by P");
}

Test(lab11, wrong_flush_after_fork, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_flush_after_fork", NULL, "start-once", "start-once",
			       "fflush(stdout) before fork()");
}

Test(lab11, wrong_underscore_exit, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_underscore_exit", NULL, "child-lines", "child-lines",
			       "A child that ends with _exit() throws away what its stdio buffer");
}

Test(lab11, wrong_no_wait, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_no_wait", NULL, "end-last,reaped", "reaped",
			       "forklab reaped it after P had ended");
}

Test(lab11, wrong_mixed_write, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_mixed_write", NULL, "start-once", "start-once",
			       "sat in P's stdio buffer");
}

Test(lab11, right_unbuffered, .timeout = 30)
{
	labtest_expect("11", "right_unbuffered", NULL, "");
}

Test(lab11, right_write, .timeout = 30)
{
	labtest_expect("11", "right_write", NULL, "");
}

/* Only the run with a terminal as stdout shows this one. */
Test(lab11, wrong_waits_on_pipe_only, .timeout = 30)
{
	labtest_expect_verdict("11", "wrong_waits_on_pipe_only", NULL, "end-last,reaped", "reaped",
			       "with stdout on a terminal (\"buffers 5\") expected P to wait");
}
