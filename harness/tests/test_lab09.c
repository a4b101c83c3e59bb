/* test_lab09.c - lab 09's checks against its solution, its starter (never reaps), the classic
 * mistakes and the differently-written correct programs in solutions/tests/09/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab09, solution_full_marks, .timeout = 60)
{
	labtest_expect("09", NULL, "solutions", "");
}

Test(lab09, starter_leaves_zombies, .timeout = 60)
{
	labtest_expect_verdict("09", NULL, "labs", "reaped,zombie-time,zombies-at-once,lines,statuses",
			       "reaped", "until P exited and forklab adopted and reaped it");
}

Test(lab09, wrong_blocking_wait, .timeout = 60)
{
	labtest_expect_verdict("09", "wrong_blocking_wait", NULL, "no-blocking", "no-blocking",
			       "blocked in waitpid() while jobs ran");
}

Test(lab09, wrong_reap_at_end, .timeout = 60)
{
	labtest_expect_verdict("09", "wrong_reap_at_end", NULL, "zombie-time,zombies-at-once",
			       "zombie-time", "P reaped nothing until it had started every job");
}

/* One waitpid() per SIGCHLD: passes while every job's signal arrives alone. The grader merges
 * the first job's SIGCHLD with the second's, so a job is left a zombie every time. */
Test(lab09, wrong_one_waitpid, .timeout = 60)
{
	labtest_expect_verdict("09", "wrong_one_waitpid", NULL, "reaped,zombie-time,lines,statuses",
			       "zombie-time", "one waitpid() per signal or per round is not enough");
}

Test(lab09, wrong_raw_status, .timeout = 60)
{
	labtest_expect_verdict("09", "wrong_raw_status", NULL, "lines", "lines",
			       "that is the raw wait status, decode it with WEXITSTATUS()");
}

Test(lab09, wrong_getpid_line, .timeout = 60)
{
	labtest_expect_verdict("09", "wrong_getpid_line", NULL, "lines", "lines",
			       "print the pid waitpid() returned");
}

Test(lab09, right_signalfd, .timeout = 60)
{
	labtest_expect("09", "right_signalfd", NULL, "");
}

Test(lab09, right_poll_loop, .timeout = 60)
{
	labtest_expect("09", "right_poll_loop", NULL, "");
}
