/* test_lab13.c - lab 13's checks against its solution, its starter (bitmap mode still marks in
 * the headers, no smaps_rollup reading) and the classic mistakes in solutions/tests/13/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab13, solution_full_marks, .timeout = 60)
{
	labtest_expect("13", NULL, "solutions", "");
}

Test(lab13, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("13", NULL, "labs", "bitmap-shares,reported", "bitmap-shares",
			       "its mark pass wrote into the shared objects");
}

Test(lab13, wrong_clear_headers, .timeout = 30)
{
	labtest_expect_verdict("13", "wrong_clear_headers", NULL, "bitmap-shares", "bitmap-shares",
			       "even of the value already there, copies the page");
}

Test(lab13, wrong_heap_after_fork, .timeout = 30)
{
	labtest_expect_verdict("13", "wrong_heap_after_fork", NULL, "bitmap-shares",
			       "bitmap-shares", "a heap built after fork() is never shared");
}

Test(lab13, wrong_rss_not_dirty, .timeout = 30)
{
	labtest_expect_verdict("13", "wrong_rss_not_dirty", NULL, "reported", "reported",
			       "Read the Private_Dirty line");
}

Test(lab13, wrong_report_before_mark, .timeout = 30)
{
	labtest_expect_verdict("13", "wrong_report_before_mark", NULL, "reported", "reported",
			       "after the mark pass");
}

Test(lab13, wrong_worker_no_exit, .timeout = 30)
{
	labtest_expect_verdict("13", "wrong_worker_no_exit", NULL, "workers", "workers",
			       "a worker that does not exit() runs on into P's loop");
}

Test(lab13, right_byte_marks, .timeout = 30)
{
	labtest_expect("13", "right_byte_marks", NULL, "");
}

Test(lab13, right_static_heap, .timeout = 30)
{
	labtest_expect("13", "right_static_heap", NULL, "");
}
