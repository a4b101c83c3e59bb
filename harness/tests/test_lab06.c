/* test_lab06.c - lab 06's checks against its solution, its starter, the classic mistakes and
 * differently-written correct programs in solutions/tests/06/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab06, solution_full_marks, .timeout = 60)
{
	labtest_expect_verdict("06", NULL, "solutions", "", NULL, NULL);
}

/* The starter runs PROGRAM without a redirection until the student writes stdout_to(). */
Test(lab06, starter_redirects_nothing, .timeout = 60)
{
	labtest_expect_verdict("06", NULL, "labs",
			       "fd1-outfile,parent-stdout,content,mode,truncate,open-fail", "fd1-outfile",
			       "not on out.txt: dup2() the file's descriptor onto fd 1");
}

Test(lab06, wrong_fd_leak, .timeout = 60)
{
	labtest_expect_verdict("06", "wrong_fd_leak", NULL, "no-extra-fds", "no-extra-fds", "fd 3");
}

Test(lab06, wrong_no_trunc, .timeout = 60)
{
	labtest_expect_verdict("06", "wrong_no_trunc", NULL, "truncate", "truncate", "O_TRUNC");
}

Test(lab06, wrong_mode, .timeout = 60)
{
	labtest_expect_verdict("06", "wrong_mode", NULL, "mode", "mode", "0755");
}

Test(lab06, wrong_in_parent, .timeout = 60)
{
	labtest_expect_verdict("06", "wrong_in_parent", NULL, "parent-stdout,content", "parent-stdout",
			 "in the child");
	/* The old starter's mistake, as the handout's classic mistakes name it. */
	labtest_expect_verdict("06", "wrong_in_parent", NULL, "parent-stdout,content", "parent-stdout",
			 "landed in out.txt");
}

Test(lab06, wrong_stderr_too, .timeout = 60)
{
	labtest_expect_verdict("06", "wrong_stderr_too", NULL, "std-fds,exec-fail", "std-fds",
			 "fd 2");
}

Test(lab06, right_close_open, .timeout = 60)
{
	labtest_expect_verdict("06", "right_close_open", NULL, "", NULL, NULL);
}

Test(lab06, right_cloexec, .timeout = 60)
{
	labtest_expect_verdict("06", "right_cloexec", NULL, "", NULL, NULL);
}
