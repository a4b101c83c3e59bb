/* test_lab15.c - lab 15's checks against its solution, its starter (no exec, no workers), the
 * classic mistakes and the differently-written correct programs in solutions/tests/15/. */
#include <criterion/criterion.h>
#include "labtest.h"

Test(lab15, solution_full_marks, .timeout = 60)
{
	labtest_expect("15", NULL, "solutions", "");
}

Test(lab15, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("15", NULL, "labs", "tree,server-exec,reaped,relayed,eof",
			       "server-exec", "never exec'd");
}

/* The hang is pinned on the descriptor the exec kept. */
Test(lab15, wrong_keeps_parent_end, .timeout = 60)
{
	labtest_expect_verdict("15", "wrong_keeps_parent_end", NULL, "reaped,eof", "eof",
			       "started with the parent's end of the channel too");
}

Test(lab15, wrong_parent_keeps_end, .timeout = 60)
{
	labtest_expect_verdict("15", "wrong_parent_keeps_end", NULL, "reaped,eof", "eof",
			       "the run hung: P still held the channel");
}

Test(lab15, wrong_workers_from_parent, .timeout = 60)
{
	labtest_expect_verdict("15", "wrong_workers_from_parent", NULL, "tree", "tree",
			       "P forks only the server");
}

Test(lab15, wrong_no_exec, .timeout = 60)
{
	labtest_expect_verdict("15", "wrong_no_exec", NULL, "server-exec", "server-exec",
			       "never exec'd");
}

Test(lab15, wrong_threads_first, .timeout = 60)
{
	labtest_expect_verdict("15", "wrong_threads_first", NULL, "server-exec", "server-exec",
			       "before the server P.1");
}

Test(lab15, right_pipes, .timeout = 60)
{
	labtest_expect("15", "right_pipes", NULL, "");
}

Test(lab15, right_seqpacket, .timeout = 60)
{
	labtest_expect("15", "right_seqpacket", NULL, "");
}
