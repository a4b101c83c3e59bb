/* test_lab14.c - lab 14's checks against its solution, its starter (no fork handlers: the
 * children hang on a lock copied locked) and the classic mistakes in solutions/tests/14/. */
#include <criterion/criterion.h>
#include "labtest.h"

#define HANG "no-hang,output,one-at-a-time"

Test(lab14, solution_full_marks, .timeout = 60)
{
	labtest_expect("14", NULL, "solutions", "");
}

Test(lab14, starter_fails_its_todos, .timeout = 60)
{
	labtest_expect_verdict("14", NULL, "labs", HANG, "no-hang",
			       "that the logger thread held when fork() ran: only the forking "
			       "thread is copied");
}

Test(lab14, wrong_no_atfork, .timeout = 60)
{
	labtest_expect_verdict("14", "wrong_no_atfork", NULL, HANG, "no-hang",
			       "was blocked on a lock (futex");
}

Test(lab14, wrong_no_child_handler, .timeout = 60)
{
	labtest_expect_verdict("14", "wrong_no_child_handler", NULL, HANG, "no-hang",
			       "P.1 (pid");
}

Test(lab14, wrong_logger_keeps_lock, .timeout = 60)
{
	labtest_expect_verdict("14", "wrong_logger_keeps_lock", NULL, HANG, "no-hang",
			       "before it could fork: its prepare handler waits for the lock");
}

Test(lab14, wrong_fork_all_first, .timeout = 30)
{
	labtest_expect_verdict("14", "wrong_fork_all_first", NULL, "one-at-a-time",
			       "one-at-a-time", "Fork the children one after another");
}

Test(lab14, wrong_underscore_exit, .timeout = 30)
{
	labtest_expect_verdict("14", "wrong_underscore_exit", NULL, "output", "output",
			       "a child that ends with _exit() loses");
}

Test(lab14, wrong_no_thread, .timeout = 30)
{
	labtest_expect_verdict("14", "wrong_no_thread", NULL, "logger", "logger",
			       "it never created a thread");
}

Test(lab14, right_lock_around_fork, .timeout = 30)
{
	labtest_expect("14", "right_lock_around_fork", NULL, "");
}

Test(lab14, right_exec_child, .timeout = 30)
{
	labtest_expect("14", "right_exec_child", NULL, "");
}
