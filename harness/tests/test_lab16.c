/* test_lab16.c - lab 16's checks against its solution, its starter (commands one at a time:
 * no pipes, redirections or background), the classic mistakes and the differently-written
 * correct shells in solutions/tests/16/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab16, solution_full_marks, .timeout = 90)
{
	labtest_expect("16", NULL, "solutions", "");
}

Test(lab16, starter_fails_its_todos, .timeout = 90)
{
	labtest_expect_verdict("16", NULL, "labs", "pipes,output,redirect,statuses,background",
			       "pipes", "neighbours in a pipeline are joined by one pipe");
}

Test(lab16, wrong_exec_no_exit, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_exec_no_exit", NULL, "output,one-shell", "one-shell",
			       "went on as a second copy of the shell");
}

Test(lab16, wrong_no_cloexec, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_no_cloexec", NULL, "no-stray-fds", "no-stray-fds",
			       "still open");
}

/* The hang is pinned on the shell and the write end it kept. */
Test(lab16, wrong_shell_keeps_pipe, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_shell_keeps_pipe", NULL, "pipes,no-stray-fds,output",
			       "pipes", "because P (pid");
}

Test(lab16, wrong_cd_in_child, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_cd_in_child", NULL, "fork-exec,output,redirect",
			       "fork-exec", "none for cd or exit, which must run in the shell itself");
}

Test(lab16, wrong_no_reap_bg, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_no_reap_bg", NULL, "output,background,reaped",
			       "reaped", "still a zombie when the shell exited");
}

Test(lab16, wrong_raw_status, .timeout = 90)
{
	labtest_expect_verdict("16", "wrong_raw_status", NULL, "output,statuses", "statuses",
			       "the shell exited with 0, expected 3");
}

Test(lab16, right_parent_opens, .timeout = 90)
{
	labtest_expect("16", "right_parent_opens", NULL, "");
}

Test(lab16, right_sigchld, .timeout = 90)
{
	labtest_expect("16", "right_sigchld", NULL, "");
}
