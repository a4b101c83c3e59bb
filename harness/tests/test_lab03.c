/* test_lab03.c - lab 03's checks against its solution, its starter (the waiting and both modes
 * are its TODOs) and the classic mistakes in solutions/tests/03/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab03, solution_full_marks, .timeout = 60)
{
	labtest_expect("03", NULL, "solutions", "");
}

/* The starter forks nothing until the student writes the modes; its usage is right. */
Test(lab03, starter_forks_nothing, .timeout = 60)
{
	labtest_expect_verdict("03", NULL, "labs",
			       "seq-one-at-a-time,par-all-forked-first,par-all-alive,child-lines,reaps",
			       "seq-one-at-a-time", "expected P to fork 3 children; it forked 0");
}

/* The old starter's mistake: par written as a copy of seq, waiting inside the fork loop. */
Test(lab03, wrong_par_waits_in_loop, .timeout = 30)
{
	labtest_expect_verdict("03", "wrong_par_waits_in_loop", NULL,
			       "par-all-forked-first,par-all-alive", "par-all-forked-first",
			       "fork all N first, then wait N times");
}

Test(lab03, wrong_seq_no_wait, .timeout = 30)
{
	labtest_expect("03", "wrong_seq_no_wait", NULL, "seq-one-at-a-time");
}

Test(lab03, wrong_raw_status, .timeout = 30)
{
	labtest_expect_verdict("03", "wrong_raw_status", NULL, "reaps", "reaps",
			       "(it printed \"reaped child 256 status 256\" instead)");
}

Test(lab03, wrong_child_no_exit, .timeout = 30)
{
	labtest_expect_verdict("03", "wrong_child_no_exit", NULL,
			       "only-parent-forks,child-lines,reaps", "only-parent-forks",
			       "goes on with the parent's loop");
}

Test(lab03, right_waitpid_pids, .timeout = 30)
{
	labtest_expect("03", "right_waitpid_pids", NULL, "");
}

Test(lab03, right_one_loop, .timeout = 30)
{
	labtest_expect("03", "right_one_loop", NULL, "");
}

Test(lab03, wrong_no_flush, .timeout = 30)
{
	labtest_expect_verdict("03", "wrong_no_flush", NULL, "child-lines", "child-lines",
			       "sat in the stdio buffer when fork() copied the process");
}

/* par never waits: the verdict sends the student to the section on the parallel mode. */
Test(lab03, wrong_par_no_wait, .timeout = 30)
{
	labtest_expect_verdict("03", "wrong_par_no_wait", NULL, "reaps", "reaps",
			       "P never waited for it and forklab reaped it at the end: one wait() "
			       "per child (README: Parallel)");
}
