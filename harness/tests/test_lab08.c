/* test_lab08.c - lab 08's checks against its solution, its starter (the accept loop and the
 * reaping are its TODOs), the classic mistakes and differently-written correct servers
 * in solutions/tests/08/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab08, solution_full_marks, .timeout = 90)
{
	labtest_expect_verdict("08", NULL, "solutions", "", NULL, NULL);
}

/* The starter accepts nothing until the student writes serve_forever(). */
Test(lab08, starter_serves_nothing, .timeout = 90)
{
	labtest_expect_verdict("08", NULL, "labs", "bodies,curl,only-parent,alive-bound,reaped,fds-flat,shutdown",
			 "only-parent", "P never forked: each connection is served by a child");
}

/* The old starter's mistake: children that run the accept loop. Contained by the tracer; the
 * verdict names the child that forked, and why. */
Test(lab08, wrong_child_no_exit, .timeout = 90)
{
	labtest_expect_verdict("08", "wrong_child_no_exit", NULL,
			 "only-parent,alive-bound,reaped,shutdown", "only-parent", "accept loop");
}

Test(lab08, wrong_no_reap, .timeout = 90)
{
	labtest_expect_verdict("08", "wrong_no_reap", NULL, "reaped", "reaped", "zombie");
}

Test(lab08, wrong_fd_leak, .timeout = 90)
{
	labtest_expect_verdict("08", "wrong_fd_leak", NULL, "bodies,curl,fds-flat", "fds-flat",
			 "close its copy");
}

Test(lab08, wrong_count_in_child, .timeout = 90)
{
	labtest_expect_verdict("08", "wrong_count_in_child", NULL, "shutdown", "shutdown",
			 "handled 0 requests");
}

Test(lab08, right_signalfd, .timeout = 90)
{
	labtest_expect_verdict("08", "right_signalfd", NULL, "", NULL, NULL);
}

Test(lab08, right_poll_reap, .timeout = 90)
{
	labtest_expect_verdict("08", "right_poll_reap", NULL, "", NULL, NULL);
}

/* The kernel's auto-reaping is not the parent reaping: named as such. */
Test(lab08, wrong_sig_ign, .timeout = 90)
{
	labtest_expect_verdict("08", "wrong_sig_ign", NULL, "reaped", "reaped", "SIG_IGN");
}
