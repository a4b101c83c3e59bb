/* test_lab07.c - lab 07's checks against its solution, its hanging starter, the classic
 * mistakes and differently-written correct programs in solutions/tests/07/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab07, solution_full_marks, .timeout = 60)
{
	labtest_expect_verdict("07", NULL, "solutions", "", NULL, NULL);
}

/* The starter starts nothing until the student writes start_pipeline(); its usage is right. */
Test(lab07, starter_starts_nothing, .timeout = 60)
{
	labtest_expect_verdict("07", NULL, "labs",
			       "two-children,pipe-fds,no-extra-ends,parent-closes,eof,output,"
			       "large-data,reaped,status", "reaped", "P forked no children");
}

/* The old starter's mistake: the parent keeps the write end; the hang is pinned on P and its
 * descriptor. */
Test(lab07, wrong_parent_keeps_write, .timeout = 60)
{
	labtest_expect_verdict("07", "wrong_parent_keeps_write", NULL,
			       "parent-closes,eof,large-data,reaped", "eof",
			       "P (pid");
	labtest_expect_verdict("07", "wrong_parent_keeps_write", NULL,
			       "parent-closes,eof,large-data,reaped", "eof",
			       "still held the pipe's write end (fd 4)");
}

Test(lab07, wrong_reader_keeps_write, .timeout = 60)
{
	labtest_expect_verdict("07", "wrong_reader_keeps_write", NULL,
			 "no-extra-ends,eof,large-data,reaped", "eof", "P.2 (pid");
	/* wc waiting for end-of-file: the section on closing unused ends explains it. */
	labtest_expect_verdict("07", "wrong_reader_keeps_write", NULL,
			 "no-extra-ends,eof,large-data,reaped", "large-data",
			 "still held the pipe's write end) (README: Closing unused ends)");
}

Test(lab07, wrong_extra_end, .timeout = 60)
{
	labtest_expect_verdict("07", "wrong_extra_end", NULL, "no-extra-ends", "no-extra-ends",
			 "still open");
}

Test(lab07, wrong_sequential, .timeout = 60)
{
	labtest_expect_verdict("07", "wrong_sequential", NULL, "parent-closes,eof,large-data,reaped",
			 "eof", "full pipe");
}

Test(lab07, wrong_status_first, .timeout = 60)
{
	labtest_expect_verdict("07", "wrong_status_first", NULL, "status", "status", "PROGRAM2");
}

Test(lab07, right_cloexec, .timeout = 60)
{
	labtest_expect_verdict("07", "right_cloexec", NULL, "", NULL, NULL);
}

Test(lab07, right_reader_first, .timeout = 60)
{
	labtest_expect_verdict("07", "right_reader_first", NULL, "", NULL, NULL);
}
