/* test_lab12.c - lab 12's checks against its solution, its starter (no page written, no fault
 * counted) and the classic mistakes in solutions/tests/12/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab12, solution_full_marks, .timeout = 60)
{
	labtest_expect("12", NULL, "solutions", "");
}

Test(lab12, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("12", NULL, "labs", "faults", "faults",
			       "it did not write into 8192 different pages");
}

Test(lab12, wrong_bytes_not_pages, .timeout = 30)
{
	labtest_expect_verdict("12", "wrong_bytes_not_pages", NULL, "faults", "faults",
			       "Write one byte at the start of each page");
}

Test(lab12, wrong_percent_int, .timeout = 30)
{
	labtest_expect_verdict("12", "wrong_percent_int", NULL, "child-line", "child-line",
			       "Multiply before dividing");
}

Test(lab12, wrong_rusage_children, .timeout = 30)
{
	labtest_expect_verdict("12", "wrong_rusage_children", NULL, "faults,copied", "copied",
			       "measure this process (RUSAGE_SELF)");
}

Test(lab12, wrong_write_all, .timeout = 30)
{
	labtest_expect_verdict("12", "wrong_write_all", NULL, "faults,shared-at-zero",
			       "shared-at-zero", "any other write copies a page");
}

Test(lab12, wrong_child_no_exit, .timeout = 30)
{
	labtest_expect_verdict("12", "wrong_child_no_exit", NULL, "parent", "parent",
			       "which exits 0; it ended with 1");
}

Test(lab12, right_mmap, .timeout = 30)
{
	labtest_expect("12", "right_mmap", NULL, "");
}

Test(lab12, right_pipe_report, .timeout = 30)
{
	labtest_expect("12", "right_pipe_report", NULL, "");
}
