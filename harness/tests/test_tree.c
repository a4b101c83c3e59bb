/* test_tree.c - `forklab run`'s tree as a student reads it: a separator line on the tree's
 * stream, lines within 100 columns for the labs' programs, argv quoted as a shell needs it,
 * zombie times only when worth a look (every one with --zombies, a long one marked), the
 * adopter named with its pid, --fds, --timeline, and JSON times in microseconds; and the
 * verdict of a check about zombies, which gives the --zombies command of the run it judged. */
#include <criterion/criterion.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "grade.h"
#include "record.h"
#include "record_build.h"
#include "testutil.h"

#define SEP "── forklab: the processes of this run "

/* Runs `forklab run ARGS...`, stdout and stderr apart. */
static struct test_cmd run(const char *const *args)
{
	const char *argv[24] = { test_build_path("forklab"), "run" };
	size_t n = 2;
	for (size_t i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return test_command(argv, "/");
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })

/* Columns a line takes: UTF-8 characters, colour sequences not counted. */
static int columns(const char *s, size_t len)
{
	int w = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

/* The tree part of an output (from the separator on). */
static const char *tree_of(const char *out)
{
	const char *t = strstr(out, SEP);
	cr_assert_not_null(t, "no separator line in:\n%s", out);
	return t;
}

Test(tree, separator_on_the_tree_stream, .timeout = 30)
{
	struct test_cmd r = RUN("--", "/bin/sh", "-c", "printf out; echo err >&2");
	cr_assert_eq(r.status, 0);
	cr_assert_eq(strncmp(r.out, "out\n" SEP, 4 + strlen(SEP)), 0, "%s", r.out);
	cr_assert_str_eq(r.err, "err\n");
	test_cmd_free(&r);
	/* Under 2>&1 the program's stderr ends before the separator's line. */
	char line[4096];
	snprintf(line, sizeof line, "'%s' run -- /bin/sh -c 'echo out; printf err >&2' 2>&1",
		 test_build_path("forklab"));
	r = test_command((const char *[]){ "/bin/sh", "-c", line, NULL }, "/");
	cr_assert_not_null(strstr(r.out, "\n" SEP), "%s", r.out);
	test_cmd_free(&r);
}

/* The labs' programs, in their usual runs, with every option: no line over 100 columns. */
Test(tree, labs_runs_fit_100_columns, .timeout = 120)
{
	const char *runs[][8] = {
		{ "labprogs/03/right_one_loop", "par", "4" },
		{ "labprogs/04/right_recursive", "3", "2" },
		{ "labprogs/07/right_cloexec", "/bin/sh", "-c", "seq 1 1000 | sort -rn", "|",
		  "wc", "-l" },
		{ "labprogs/07/wrong_parent_keeps_write", "seq", "1", "3", "|", "wc", "-l" },
		{ "labprogs/02/wrong_getpid", "4" },
	};
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
		const char *argv[16] = { "--fds", "--timeline", "--timeout", "2", "--max-procs",
					 "12", "--" };
		size_t n = 7;
		argv[n++] = test_build_path(runs[i][0]);
		for (size_t k = 1; k < 8 && runs[i][k]; k++)
			argv[n++] = runs[i][k];
		argv[n] = NULL;
		struct test_cmd r = run(argv);
		const char *t = tree_of(r.out);
		for (const char *s = t; *s;) {
			size_t len = strcspn(s, "\n");
			cr_assert_leq(columns(s, len), 100, "%s: a line of %d columns:\n%.*s\nin\n%s",
				      runs[i][0], columns(s, len), (int)len, s, t);
			s += len + (s[len] == '\n');
		}
		test_cmd_free(&r);
	}
}

Test(tree, argv_quoted_as_a_shell_needs, .timeout = 30)
{
	struct test_cmd r = RUN("--", "/bin/sh", "-c", "echo it\\'s | cat", "x y", "");
	cr_assert_not_null(strstr(r.out, "exec /bin/sh -c 'echo it\\'\\''s | cat' 'x y' ''"), "%s",
			   r.out);
	test_cmd_free(&r);
}

/* Adopted and reaped by forklab: named with forklab's pid, the one the orphan sees. */
Test(tree, adopter_named_with_its_pid, .timeout = 30)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (dup2(fds[1], 1) < 0)
			_exit(126);
		execl(test_build_path("forklab"), "forklab", "run", "--", test_prog("t_orphan"),
		      "live", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char *out = test_slurp_fd(fds[0]);
	close(fds[0]);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	char want[64];
	snprintf(want, sizeof want, "adopted by forklab (pid %d)", (int)pid);
	cr_assert_not_null(strstr(out, want), "no '%s' in:\n%s", want, out);
	free(out);
}

/* P with two children, reaped by P: P.1 a zombie for 0.5 ms, P.2 for zombie2_ms. */
static struct record *two_zombies(double zombie2_ms)
{
	struct record *r = record_new();
	cr_assert_not_null(r);
	cr_assert_not_null(record_add_proc(r, NULL, 100, 0, 1));
	struct rec_proc *a = record_add_proc(r, r->root, 101, 0.5, 2);
	struct rec_proc *b = record_add_proc(r, r->root, 102, 0.6, 3);
	cr_assert(a && b);
	a->exited = b->exited = true;
	a->reaped_by = b->reaped_by = 100;
	a->reaper = b->reaper = r->root;
	a->exited_ms = 1.0;
	a->reaped_ms = 1.5;
	b->exited_ms = 1.0;
	b->reaped_ms = 1.0 + zombie2_ms;
	return r;
}

/* The tree of r as record_print_tree_opts() writes it with o (malloc'd). */
static char *tree_text(const struct record *r, const struct tree_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(record_print_tree_opts(r, f, o), 0);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* Zombie times: hidden under the threshold, shown over it. */
Test(tree, zombie_time_only_when_worth_a_look)
{
	struct record *r = two_zombies(120);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_eq(record_print_tree(r, f, false), 0);
	fclose(f);
	cr_assert_not_null(strstr(buf, "P.1 101, exited 0, reaped by P\n"), "%s", buf);
	cr_assert_not_null(strstr(buf, "P.2 102, exited 0, reaped by P after 120.0 ms as a zombie"),
			   "%s", buf);
	free(buf);
	record_free(r);
}

/* --zombies: every reaped process's zombie time and when it was reaped, however short; without
 * it a short zombie time is left out. */
Test(tree, zombies_option_shows_every_zombie_time, .timeout = 30)
{
	struct record *r = two_zombies(120);
	struct tree_opts o;
	tree_opts_init(&o);
	char *plain = tree_text(r, &o);
	cr_assert_not_null(strstr(plain, "P.1 101, exited 0, reaped by P\n"), "%s", plain);
	o.zombies = true;
	char *all = tree_text(r, &o);
	cr_assert_not_null(strstr(all, "P.1 101, exited 0, reaped by P at 1.5 ms after 0.500 ms as "
				       "a zombie\n"), "%s", all);
	cr_assert_not_null(strstr(all, "P.2 102, exited 0, reaped by P at 121.0 ms after 120.0 ms "
				       "as a zombie\n"), "%s", all);
	free(plain);
	free(all);
	record_free(r);

	/* Through the command: each "reaped by" comes with its time and zombie time. */
	struct test_cmd c = RUN("--zombies", "--", test_prog("t_spawn"), "vfork");
	cr_assert_eq(c.status, 0, "%s%s", c.out, c.err);
	const char *t = tree_of(c.out);
	regex_t re;
	cr_assert_eq(regcomp(&re, "reaped by [^,\n]* at [0-9.]+ ms after [0-9.]+ ms as a zombie",
			     REG_EXTENDED), 0);
	size_t reaps = 0, timed = 0;
	for (const char *s = t; (s = strstr(s, "reaped by ")); s++)
		reaps++;
	regmatch_t m;
	for (const char *s = t; regexec(&re, s, 1, &m, 0) == 0; s += m.rm_eo)
		timed++;
	regfree(&re);
	cr_assert_eq(reaps, 2, "P and P.1 are reaped:\n%s", t);
	cr_assert_eq(timed, reaps, "a reap without its times:\n%s", t);
	test_cmd_free(&c);
}

/* From 500 ms a zombie time is marked in words, so that it shows without colour too. */
Test(tree, long_zombie_time_marked)
{
	struct record *r = two_zombies(600);
	struct tree_opts o;
	tree_opts_init(&o);
	char *plain = tree_text(r, &o);
	cr_assert_not_null(strstr(plain, "reaped by P after 600.0 ms as a zombie (long)\n"), "%s",
			   plain);
	record_free(r);
	r = two_zombies(120);
	char *shorter = tree_text(r, &o);
	cr_assert_null(strstr(shorter, "(long)"), "120 ms is not long:\n%s", shorter);
	free(plain);
	free(shorter);
	record_free(r);
}

/* Every check a lab names as about zombies is one of its checks; labs 04, 08 and 09, whose
 * handouts are about reaping, name some. */
Test(tree, zombie_checks_are_checks_of_their_lab)
{
	for (size_t i = 0; labs_all[i]; i++) {
		const struct lab *lab = labs_all[i];
		for (size_t k = 0; lab->zombie_checks && lab->zombie_checks[k]; k++) {
			bool found = false;
			for (size_t j = 0; j < lab->nchecks && !found; j++)
				found = strcmp(lab->checks[j].id, lab->zombie_checks[k]) == 0;
			cr_expect(found, "%s: zombie check '%s' is none of its checks", lab->name,
				  lab->zombie_checks[k]);
		}
	}
	const char *const about_zombies[] = { "04", "08", "09" };
	for (size_t i = 0; i < sizeof about_zombies / sizeof *about_zombies; i++) {
		const struct lab *lab = lab_lookup(about_zombies[i]);
		cr_assert_not_null(lab);
		cr_expect(lab->zombie_checks && lab->zombie_checks[0], "%s names no zombie check",
			  lab->name);
	}
}

/* `forklab grade --bin PROG LAB` from the build directory, in which the commands are short. */
static struct test_cmd grade_bin(const char *lab, const char *prog)
{
	char bin[64];
	snprintf(bin, sizeof bin, "labprogs/%s/%s", lab, prog);
	return test_command((const char *[]){ test_build_path("forklab"), "grade", "--bin",
					      test_build_path(bin), lab, NULL }, test_build_dir());
}

/* The command a zombie verdict ends with ("$ ..." up to the end of its line), malloc'd. */
static char *zombie_command(const char *out)
{
	cr_assert_not_null(out);
	const char *s = strstr(out, "$ ");
	cr_assert_not_null(s, "no command in:\n%s", out);
	s += 2;
	return strndup(s, strcspn(s, "\n"));
}

/* A failed check about zombies ends with the command that shows every zombie time of the run
 * it judged; a program that passes them gets no such line. */
Test(tree, a_zombie_verdict_says_how_to_see_every_zombie_time, .timeout = 120)
{
	test_need_solutions();
	/* Forgets to wait for the grandchildren: reaped-by-parent and child-after-grandchildren
	 * fail, in the run without arguments. */
	struct test_cmd r = grade_bin("04", "wrong_no_grandchild_wait");
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	const char *cmd = "\n            $ ./forklab run --zombies --timeout 3 -- "
			  "labprogs/04/wrong_no_grandchild_wait\n";
	size_t n = 0;
	for (const char *s = r.out; (s = strstr(s, cmd)); s++)
		n++;
	cr_assert_eq(n, 2, "expected the command under both zombie checks:\n%s", r.out);
	const char *one = strstr(r.out, "one-at-a-time:");
	cr_assert_not_null(one, "%s", r.out);
	cr_assert_null(strstr(one, "--zombies"), "one-at-a-time is not about zombies:\n%s", r.out);
	test_cmd_free(&r);
	/* Fails only checks that are not about zombies. */
	r = grade_bin("04", "wrong_child_no_exit");
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.out, "--zombies"), "%s", r.out);
	test_cmd_free(&r);
	r = grade_bin("04", "right_recursive");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.out, "--zombies"), "%s", r.out);
	test_cmd_free(&r);
}

/* Grades prog of lab, which must fail; the command under its verdict of check (e.g. "reaped:")
 * must be want; returns what running that command printed, from where the grading ran. */
static struct test_cmd run_printed_command(const char *lab, const char *prog, const char *check,
					   const char *want)
{
	struct test_cmd r = grade_bin(lab, prog);
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	char *cmd = zombie_command(strstr(r.out, check));
	cr_assert_str_eq(cmd, want);
	test_cmd_free(&r);
	r = test_command((const char *[]){ "/bin/sh", "-c", cmd, NULL }, test_build_dir());
	free(cmd);
	return r;
}

/* Labs 15, 16 and 09: the command comes with what the scenario had (its timeout; lab 16's script
 * on stdin; lab 09's merged SIGCHLD), and run as printed from where the student graded, it shows
 * the same mistake. */
Test(tree, zombie_commands_reproduce_the_run_judged, .timeout = 120)
{
	test_need_solutions();
	struct test_cmd r = grade_bin("16", "wrong_no_reap_bg");
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	char *cmd = zombie_command(r.out);
	cr_assert_not_null(strstr(cmd, "printf '%s\\n' 'sleep 0.3 &' 'echo started' 'sleep 0.5' "
				   "'echo next' | ./forklab run --zombies --stdin /dev/stdin "
				   "--timeout 4 -- labprogs/16/wrong_no_reap_bg"), "%s", cmd);
	test_cmd_free(&r);
	r = test_command((const char *[]){ "/bin/sh", "-c", cmd, NULL }, test_build_dir());
	free(cmd);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	/* The background sleep outlived the shell, unreaped: forklab adopted it. */
	cr_assert_not_null(strstr(r.out, "exec sleep 0.3, exited 0, adopted by forklab"), "%s",
			   r.out);
	cr_assert_not_null(strstr(r.out, "started\nnext\n"), "%s", r.out);
	test_cmd_free(&r);

	r = run_printed_command("15", "wrong_keeps_parent_end", "reaped:",
				"./forklab run --zombies --timeout 3 -- "
				"labprogs/15/wrong_keeps_parent_end 4");
	/* The server never sees end-of-file: the run is stopped at 3 s, the server unreaped. */
	cr_assert_eq(r.status, 124, "%s%s", r.out, r.err);
	cr_assert_not_null(strstr(r.out, "timeout: still running after 3.0 s"), "%s", r.out);
	test_cmd_free(&r);
	/* Lab 09 merges the first SIGCHLD with the next: the command does too, and shows the job
	 * a one-waitpid-per-signal parent never reaped. */
	r = run_printed_command("09", "wrong_one_waitpid", "reaped:",
				"./forklab run --zombies --timeout 5 --merge-sigchld 1000 -- "
				"labprogs/09/wrong_one_waitpid 20");
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert_not_null(strstr(r.err, "jobs: gave up: 19 of 20 jobs reaped"), "%s%s", r.out,
			   r.err);
	cr_assert_not_null(strstr(r.out, "adopted by forklab"), "%s", r.out);
	test_cmd_free(&r);
	/* A right lab 16 gets no command. */
	r = grade_bin("16", "right_sigchld");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.out, "--zombies"), "%s", r.out);
	test_cmd_free(&r);
}

/* --fds: what each exec started with, pipes numbered; for a run stopped by a limit, the write
 * end the parent still held. */
Test(tree, fds_at_each_exec, .timeout = 30)
{
	struct test_cmd r = RUN("--fds", "--timeout", "1", "--",
				test_build_path("labprogs/07/wrong_parent_keeps_write"), "seq", "1",
				"3", "|", "wc", "-l");
	cr_assert_eq(r.status, 124);
	const char *t = tree_of(r.out);
	cr_assert_not_null(strstr(t, "at exec seq: 0 ← /dev/null, 1 → pipe#1 write, "
				     "2 → stderr (to forklab)"), "%s", t);
	cr_assert_not_null(strstr(t, "at exec wc: 0 ← pipe#1 read, 1 → stdout (to forklab)"),
			   "%s", t);
	cr_assert_not_null(strstr(t, "held when stopped: 0 ← /dev/null, 1 → stdout (to forklab), "
				     "2 → stderr (to forklab),\n│    4 → pipe#1 write"), "%s", t);
	test_cmd_free(&r);
	r = RUN("--", "/bin/true");
	cr_assert_null(strstr(r.out, "at exec"), "no descriptors without --fds: %s", r.out);
	test_cmd_free(&r);
}

/* The lanes of the children (P.1 ... P.n) of a --timeline. */
static size_t lanes(const char *out, char lane[][128], size_t max)
{
	const char *t = strstr(out, "\ntimeline: ");
	cr_assert_not_null(t, "%s", out);
	size_t n = 0;
	for (const char *s = strchr(t + 1, '\n'); s && s[1] && n < max; s = strchr(s + 1, '\n')) {
		if (strncmp(s + 1, "P.", 2) != 0)
			continue;
		size_t len = strcspn(s + 1, "\n");
		snprintf(lane[n++], 128, "%.*s", (int)len, s + 1);
	}
	return n;
}

/* Lab 03's two modes look different: in seq no two children are alive in the same column; in
 * par some column has them all. */
Test(tree, timeline_shows_seq_and_par_apart, .timeout = 60)
{
	char lane[8][128];
	struct test_cmd r = RUN("--timeline", "--", test_build_path("labprogs/03/right_one_loop"),
				"seq", "3");
	size_t n = lanes(r.out, lane, 8);
	cr_assert_eq(n, 3, "%s", r.out);
	for (size_t c = 0; c < 128; c++) {
		int alive = 0;
		for (size_t i = 0; i < n; i++)
			alive += c < strlen(lane[i]) && lane[i][c] == '=';
		cr_assert_leq(alive, 1, "seq: column %zu has %d children alive:\n%s", c, alive,
			      r.out);
	}
	test_cmd_free(&r);
	r = RUN("--timeline", "--", test_build_path("labprogs/03/right_one_loop"), "par", "3");
	n = lanes(r.out, lane, 8);
	cr_assert_eq(n, 3, "%s", r.out);
	bool together = false;
	for (size_t c = 0; c < 128 && !together; c++) {
		int alive = 0;
		for (size_t i = 0; i < n; i++)
			alive += c < strlen(lane[i]) && lane[i][c] == '=';
		together = alive == 3;
	}
	cr_assert(together, "par: no column with the 3 children alive:\n%s", r.out);
	test_cmd_free(&r);
}

/* Every time in the JSON record has at most 3 decimals (ms to the microsecond). */
Test(tree, json_times_in_microseconds, .timeout = 30)
{
	struct test_cmd r = RUN("--format", "json", "--", test_prog("t_orphan"), "live");
	regex_t re;
	cr_assert_eq(regcomp(&re, "[0-9]\\.[0-9]{4,}", REG_EXTENDED), 0);
	regmatch_t m;
	int found = regexec(&re, r.out, 1, &m, 0);
	cr_assert_neq(found, 0, "a time with more than 3 decimals: %.*s", 40,
		      found == 0 ? r.out + m.rm_so : "");
	regfree(&re);
	cr_assert_not_null(strstr(r.out, "\"duration_ms\": "), "%s", r.out);
	test_cmd_free(&r);
}
