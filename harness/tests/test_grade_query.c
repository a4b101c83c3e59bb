/* test_grade_query.c - the q_* questions on records built by hand. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "query.h"
#include "record_build.h"
#include "test_grade_fixture.h"

/* P (100) forks P.1 (101) and P.2 (102); P.1 forks P.1.1 (103). */
static struct fx f;
static struct rec_proc *P, *P1, *P2, *P11;

static void tree(void)
{
	P = fx_new(&f, 100);
	P1 = fx_fork(&f, P, 101);
	P2 = fx_fork(&f, P, 102);
	P11 = fx_fork(&f, P1, 103);
}

static void done(void)
{
	record_free(f.r);
}

TestSuite(grade_query, .init = tree, .fini = done);

Test(grade_query, labels_and_counts)
{
	cr_assert_str_eq(q_label(P11), "P.1.1 (pid 103)");
	cr_assert_str_eq(q_label(NULL), "(no such process)");
	/* Eight labels can be alive in one message. */
	struct rec_proc *who[8] = { P, P1, P2, P11, P, P1, P2, P11 };
	const char *want[4] = { "P (pid 100)", "P.1 (pid 101)", "P.2 (pid 102)", "P.1.1 (pid 103)" };
	const char *label[8];
	for (int i = 0; i < 8; i++)
		label[i] = q_label(who[i]);
	for (int i = 0; i < 8; i++)
		cr_assert_str_eq(label[i], want[i % 4], "label %d", i);
	cr_assert_eq(q_nprocs(f.r), 4);
	cr_assert_eq(q_ndescendants(P), 3);
	cr_assert_eq(q_ndescendants(P1), 1);
	cr_assert_eq(q_ndescendants(P11), 0);
	cr_assert_eq(record_find(f.r, "P.1.1"), P11);
	cr_assert_null(record_find(f.r, "P.3"));
}

Test(grade_query, lines_of_a_process_and_of_the_run)
{
	char **lines;
	bool unterminated;
	fx_write(&f, P1, 1, "one\ntw");
	fx_write(&f, P2, 1, "other\n");
	fx_write(&f, P1, 1, "o\nthree");
	size_t n = q_lines(P1, 1, &lines, &unterminated);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(lines[0], "one");
	cr_assert_str_eq(lines[1], "two");
	cr_assert_str_eq(lines[2], "three");
	cr_assert(unterminated);
	q_lines_free(lines, n);

	n = q_all_lines(f.r, 1, &lines, &unterminated);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(lines[1], "twother");
	q_lines_free(lines, n);

	n = q_lines(P2, 2, &lines, &unterminated);
	cr_assert_eq(n, 0);
	cr_assert_not(unterminated);
	q_lines_free(lines, n);
}

Test(grade_query, a_nul_byte_is_never_the_end_of_a_line)
{
	char **lines;
	bool unterminated;
	cr_assert_eq(record_add_write(f.r, P1, 1, "ok\0junk\n", 8, 1, 99), 0);
	size_t n = q_lines(P1, 1, &lines, &unterminated);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(lines[0], "ok\\0junk");
	cr_assert_not(unterminated);
	q_lines_free(lines, n);
	cr_assert_eq(q_line_seq(f.r, P1, 1, "ok"), 0);
}

Test(grade_query, line_seq_is_the_write_that_completed_the_line)
{
	fx_write(&f, P1, 1, "hel");
	fx_write(&f, P1, 1, "lo\nbye\n");
	unsigned long second = f.seq;
	cr_assert_eq(q_line_seq(f.r, P1, 1, "hello"), second);
	cr_assert_eq(q_line_seq(f.r, P1, 1, "bye"), second);
	cr_assert_eq(q_line_seq(f.r, P1, 1, "hel"), 0);
	cr_assert_eq(q_line_seq(f.r, P1, 2, "hello"), 0);
	cr_assert_eq(q_line_seq(f.r, P2, 1, "hello"), 0);
}

Test(grade_query, line_writer_is_the_first_process_to_write_it)
{
	fx_write(&f, P11, 1, "same\n");
	fx_write(&f, P1, 1, "same\n");
	fx_write(&f, P2, 2, "err\n");
	cr_assert_eq(q_line_writer(f.r, 1, "same"), P11);
	cr_assert_eq(q_line_writer(f.r, 2, "err"), P2);
	cr_assert_null(q_line_writer(f.r, 1, "err"));
}

Test(grade_query, templates_expand_to_pids)
{
	char *s = q_expand(f.r, "grandchild: pid={P.1.1} ppid={P.1.1:ppid} root={P}");
	cr_assert_str_eq(s, "grandchild: pid=103 ppid=101 root=100");
	free(s);
	/* Braces that do not hold a tree name are text. */
	s = q_expand(f.r, "{x} {P.} {P.1:pid} {P.1 }{");
	cr_assert_str_eq(s, "{x} {P.} {P.1:pid} {P.1 }{");
	free(s);
	cr_assert_null(q_expand(f.r, "child {P.3}"));
	cr_assert_null(q_expand(f.r, "{P:ppid}"));
	s = q_expand(f.r, "");
	cr_assert_str_eq(s, "");
	free(s);
}

Test(grade_query, lines_match_in_any_order)
{
	const char *const want[] = {"child: pid={P.1} ppid={P}", "child: pid={P.2} ppid={P}",
				    "parent: done"};
	char *why = NULL;
	fx_write(&f, P2, 1, "child: pid=102 ppid=100\n");
	fx_write(&f, P1, 1, "child: pid=101 ppid=100\n");
	fx_write(&f, P, 1, "parent: done\n");
	cr_assert(q_match_lines_any_order(f.r, want, 3, &why));
	cr_assert_null(why);
}

Test(grade_query, a_wrong_pid_is_missing_and_unexpected)
{
	const char *const want[] = {"child: pid={P.1} ppid={P}", "child: pid={P.2} ppid={P}"};
	char *why = NULL;
	fx_write(&f, P1, 1, "child: pid=101 ppid=100\n");
	fx_write(&f, P2, 1, "child: pid=100 ppid=99\n");
	cr_assert_not(q_match_lines_any_order(f.r, want, 2, &why));
	cr_assert_str_eq(why, "missing \"child: pid=102 ppid=100\"; "
			      "unexpected \"child: pid=100 ppid=99\"");
	free(why);
}

Test(grade_query, duplicates_count_and_a_missing_process_is_named)
{
	const char *const want[] = {"x", "x", "gone {P.7}"};
	char *why = NULL;
	fx_write(&f, P1, 1, "x\n");
	cr_assert_not(q_match_lines_any_order(f.r, want, 3, &why));
	cr_assert_str_eq(why, "missing \"x\", \"gone {P.7}\"");
	free(why);
}

Test(grade_query, an_unterminated_last_line_does_not_match)
{
	const char *const want[] = {"a", "b"};
	char *why = NULL;
	fx_write(&f, P, 1, "a\nb");
	cr_assert_not(q_match_lines_any_order(f.r, want, 2, &why));
	cr_assert_str_eq(why, "missing \"b\"; unexpected \"b\"; "
			      "the last line has no '\\n' at its end");
	free(why);
	/* why may be NULL. */
	cr_assert_not(q_match_lines_any_order(f.r, want, 2, NULL));
}

Test(grade_query, long_lists_are_cut)
{
	const char *const want[] = {"1", "2", "3", "4", "5", "6"};
	char *why = NULL;
	fx_write(&f, P, 1, "say \"hi\"\t\n");
	cr_assert_not(q_match_lines_any_order(f.r, want, 6, &why));
	cr_assert_str_eq(why, "missing \"1\", \"2\", \"3\", \"4\" and 2 more; "
			      "unexpected \"say \\\"hi\\\"\\x09\"");
	free(why);
}

Test(grade_query, reaping_and_zombie_time)
{
	fx_exit(&f, P11, 0, 0);
	fx_exit(&f, P1, 0, 0);       /* P.1 never waited: P.1.1 is adopted */
	fx_reap(&f, P11, NULL);
	fx_reap(&f, P1, P);
	fx_exit(&f, P2, 3, 0);
	cr_assert_not(q_reaped_by_parent(P11));
	cr_assert(q_reaped_by_parent(P1));
	cr_assert_not(q_reaped_by_parent(P2));
	cr_assert_not(q_reaped_by_parent(P));
	cr_assert_float_eq(q_zombie_ms(P11), 2.0, 1e-9);
	cr_assert_float_eq(q_zombie_ms(P1), 2.0, 1e-9);
	cr_assert_float_eq(q_zombie_ms(P2), -1.0, 1e-9);
	/* Reaped by someone else than its creator. */
	P2->reaped_by = P11->pid;
	cr_assert_not(q_reaped_by_parent(P2));
}

Test(grade_query, children_alive_at_once)
{
	struct fx g;
	struct rec_proc *r = fx_new(&g, 10);
	/* Sequential: each child exits before the next fork. */
	for (int i = 0; i < 3; i++) {
		struct rec_proc *c = fx_fork(&g, r, 11 + i);
		fx_exit(&g, c, 0, 0);
		fx_reap(&g, c, r);
	}
	cr_assert_eq(q_max_alive_children(r), 1);
	cr_assert_eq(q_max_alive(g.r), 2);
	/* Then three in parallel, one never exits. */
	struct rec_proc *a = fx_fork(&g, r, 20), *b = fx_fork(&g, r, 21);
	fx_exit(&g, a, 0, 0);
	fx_fork(&g, r, 22);
	fx_exit(&g, b, 0, 0);
	cr_assert_eq(q_max_alive_children(r), 2);
	fx_fork(&g, r, 23);
	cr_assert_eq(q_max_alive_children(r), 2);
	fx_fork(&g, r, 24);
	cr_assert_eq(q_max_alive_children(r), 3);
	cr_assert_eq(q_max_alive(g.r), 4);
	cr_assert_eq(q_max_alive_children(NULL), 0);
	record_free(g.r);
}

Test(grade_query, statuses_and_signal_names)
{
	fx_exit(&f, P1, 3, 0);
	fx_exit(&f, P2, 0, 11);
	cr_assert_eq(q_status(P1), 3);
	cr_assert_eq(q_status(P2), 139);
	cr_assert_eq(q_status(P), -1);
	cr_assert_str_eq(q_signame(11), "SIGSEGV");
	cr_assert_str_eq(q_signame(9), "SIGKILL");
	cr_assert_str_eq(q_signame(0), "signal 0");
	cr_assert_str_eq(q_signame(200), "signal 200");
}

Test(grade_query, descriptors_and_pipe_ends)
{
	struct rec_fdset s = {0};
	fx_fd(&s, 0, "/dev/null", 'n', 0, 0);
	fx_fd(&s, 1, "pipe:[77]", 'p', 'w', 77);
	fx_fd(&s, 2, "pipe:[78]", 'p', 'w', 78);
	fx_fd(&s, 4, "pipe:[77]", 'p', 'r', 77);
	cr_assert_str_eq(q_fd(&s, 4)->target, "pipe:[77]");
	cr_assert_null(q_fd(&s, 3));
	cr_assert_eq(q_count_pipe_ends(&s), 3);
	const int except[] = {1, 2};
	cr_assert_eq(q_count_pipe_ends_except(&s, except, 2), 1);
	struct rec_fdset none = {0};
	cr_assert_null(q_fd(&none, 0));
	cr_assert_eq(q_count_pipe_ends(&none), 0);
	rec_fdset_free(&s);
}

Test(grade_query, exec_by_name)
{
	fx_exec(&f, P1, "/usr/bin/true", NULL);
	fx_exec(&f, P1, "bin/exit_with", "3");
	cr_assert_str_eq(q_exec_named(P1, "true")->path, "/usr/bin/true");
	cr_assert_str_eq(q_exec_named(P1, "exit_with")->argv[1], "3");
	cr_assert_str_eq(q_exec_named(P1, "bin/exit_with")->argv[1], "3");
	cr_assert_null(q_exec_named(P1, "rue"));
	cr_assert_null(q_exec_named(P2, "true"));
}

Test(grade_query, run_problems)
{
	cr_assert_null(q_run_problem(f.r));
	f.r->outcome = OUT_SIGNALED;
	cr_assert_null(q_run_problem(f.r));
	f.r->outcome = OUT_TIMEOUT;
	record_set_detail(f.r, "P.2 (pid 102) still blocked in read");
	cr_assert_str_eq(q_run_problem(f.r), "it ran into the time limit and forklab stopped it "
					     "(P.2 (pid 102) still blocked in read)");
	f.r->outcome = OUT_PROC_LIMIT;
	free(f.r->detail);
	f.r->detail = NULL;
	cr_assert_str_eq(q_run_problem(f.r), "it kept creating processes beyond the limit "
					     "(a fork explosion) and forklab stopped it");
}
