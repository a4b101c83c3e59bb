/* test_student.c - forklab as a student meets it: `make grade`'s closing lines and status,
 * `forklab --version`, a lab named by its path or graded from inside its directory, compiler
 * messages that name the file from where the command was run; `forklab list`, `hint`, `reset`,
 * and `watch` driven through a terminal (a pty) and real file writes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lab.h"
#include "testutil.h"

/* A scratch tree holding labs/01-fork-return (lab 01's starter), made by each test. */
static char tree[] = "/tmp/forklab-student-XXXXXX";

static void mktree(void)
{
	strcpy(tree, "/tmp/forklab-student-XXXXXX");
	cr_assert_not_null(mkdtemp(tree));
	test_shell("/", "mkdir -p '%s/labs' && cp -r '%s/labs/01-fork-return' '%s/labs/'", tree,
		   test_root_dir(), tree);
}

static void rmtree(void)
{
	test_shell("/", "rm -rf '%s'", tree);
}

/* Runs build/forklab ARGS in dir (relative to the scratch tree). */
static struct test_cmd forklab_in(const char *dir, const char *const *args)
{
	char where[PATH_MAX];
	const char *argv[16] = { test_build_path("forklab") };
	size_t n = 1;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(where, sizeof where, "%s/%s", tree, dir);
	return test_command(argv, where);
}

#define FORKLAB_IN(dir, ...) forklab_in(dir, (const char *const[]){ __VA_ARGS__, NULL })

static bool exists(const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tree, rel);
	return access(path, F_OK) == 0;
}

Test(student, version)
{
	struct test_cmd r = test_command((const char *[]){ test_build_path("forklab"), "--version",
							   NULL }, "/");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(strncmp(r.out, "forklab ", 8), 0, "%s", r.out);
	cr_assert_not_null(strstr(r.out, labs_all[0]->name), "%s", r.out);
	cr_assert_eq(strchr(r.out, '\n'), r.out + strlen(r.out) - 1, "one line: %s", r.out);
	test_cmd_free(&r);
}

TestSuite(student_grade, .init = mktree, .fini = rmtree);

/* The starter fails checks: status 1, and the report closes with what to do next. */
static void assert_graded_starter(struct test_cmd *r, const char *readme)
{
	cr_assert_eq(r->status, 1, "status %d: %s%s", r->status, r->out, r->err);
	cr_assert_not_null(strstr(r->out, "01-fork-return: "), "%s", r->out);
	cr_assert_not_null(strstr(r->out, "0 of 1 lab complete"), "%s", r->out);
	cr_assert_not_null(strstr(r->out, "incomplete by design"), "%s", r->out);
	char want[256];
	snprintf(want, sizeof want, "next: lab 01-fork-return. Read %s,", readme);
	cr_assert_not_null(strstr(r->out, want), "no '%s' in:\n%s", want, r->out);
}

Test(student_grade, a_lab_by_its_path, .timeout = 120)
{
	struct test_cmd r = FORKLAB_IN(".", "grade", "labs/01-fork-return/");
	assert_graded_starter(&r, "labs/01-fork-return/README.md");
	cr_assert(exists("build/grade/labs/01-fork-return/fork_return"));
	test_cmd_free(&r);
	r = FORKLAB_IN(".", "grade", "labs/nothing-here");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "no lab directory 'labs/nothing-here'"), "%s", r.err);
	test_cmd_free(&r);
}

/* Inside the lab's directory: `forklab grade` grades that lab, `forklab grade 01` too, `.`
 * too; the build goes beside labs/, not into the lab's directory. */
Test(student_grade, from_inside_the_lab, .timeout = 180)
{
	const char *const *runs[] = {
		(const char *const[]){ "grade", NULL },
		(const char *const[]){ "grade", "01", NULL },
		(const char *const[]){ "grade", ".", NULL },
	};
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
		struct test_cmd r = forklab_in("labs/01-fork-return", runs[i]);
		assert_graded_starter(&r, "README.md");
		test_cmd_free(&r);
	}
	cr_assert(exists("build/grade/labs/01-fork-return/fork_return"));
	cr_assert_not(exists("labs/01-fork-return/build"));
}

/* The compiler's messages name the file as the student reaches it from where they ran the
 * command, so an editor can jump to the line. */
Test(student_grade, compiler_messages_name_the_file_from_here, .timeout = 120)
{
	test_shell(tree, "printf 'int main(void) { return nope; }\\n' > labs/01-fork-return/fork_return.c");
	struct test_cmd r = FORKLAB_IN(".", "grade", "01");
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.out, "\n    labs/01-fork-return/fork_return.c:1:"), "%s", r.out);
	test_cmd_free(&r);
	r = FORKLAB_IN("labs/01-fork-return", "grade");
	cr_assert_not_null(strstr(r.out, "\n    fork_return.c:1:"), "%s", r.out);
	test_cmd_free(&r);
	r = FORKLAB_IN("labs", "grade", "01");
	cr_assert_not_null(strstr(r.out, "\n    01-fork-return/fork_return.c:1:"), "%s", r.out);
	test_cmd_free(&r);
}

/* Runs make ARGS in the scratch tree. */
static struct test_cmd make_in_tree(const char *const *args)
{
	const char *argv[8] = { "/usr/bin/make" };
	size_t n = 1;
	for (size_t i = 0; args[i] && n < 7; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return test_command(argv, tree);
}

#define MAKE_IN_TREE(...) make_in_tree((const char *const[]){ __VA_ARGS__, NULL })

/* Neither make's "make: *** [Makefile:NN: grade] Error 1" nor any other error line of make. */
static void assert_no_make_error(const struct test_cmd *r)
{
	const char *streams[] = { r->out, r->err };
	for (size_t i = 0; i < 2; i++) {
		cr_assert_null(strstr(streams[i], "***"), "%s", streams[i]);
		cr_assert_null(strstr(streams[i], "Error"), "%s", streams[i]);
	}
}

/* `make grade` in a student's tree (the Makefile, harness/ and forklab's build copied beside
 * labs/, one helper program left to build): the make it runs really builds; the starter's report
 * with its closing lines and status 1, every lab passing status 0 (with -j2 too), neither with
 * make's error line nor forklab's compile lines; an unknown lab is forklab's failure, status 2. */
Test(student_grade, make_grade_ends_with_the_graders_status, .timeout = 300)
{
	test_need_solutions();
	const char *b = test_build_dir();
	test_shell(tree, "cp -a '%s/Makefile' '%s/harness' . && mkdir build && "
		   "cp -a '%s/obj' '%s/libforklab.a' '%s/forklab' '%s/helpers' build/ && "
		   "set -- build/helpers/* && rm \"$1\" && echo \"$1\" > removed-helper",
		   test_root_dir(), test_root_dir(), b, b, b, b);
	struct test_cmd r = MAKE_IN_TREE("grade", "LAB=01");
	cr_assert_eq(r.status, 1, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "01-fork-return: "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "then run: make grade LAB=01\n"), "%s", r.out);
	cr_assert_null(strstr(r.out, "cc "), "forklab's compile lines shown: %s", r.out);
	assert_no_make_error(&r);
	test_cmd_free(&r);
	test_shell(tree, "test -x \"$(cat removed-helper)\"");

	test_shell(tree, "cp -r '%s'/solutions/[0-9]*-* labs/", test_root_dir());
	r = MAKE_IN_TREE("-j2", "grade");
	cr_assert_eq(r.status, 0, "status %d: %s%s", r.status, r.out, r.err);
	char want[64];
	size_t n = 0;
	while (labs_all[n])
		n++;
	snprintf(want, sizeof want, "%zu of %zu labs complete", n, n);
	cr_assert_not_null(strstr(r.out, want), "no '%s' in:\n%s", want, r.out);
	assert_no_make_error(&r);
	test_cmd_free(&r);

	r = MAKE_IN_TREE("grade", "LAB=99");
	cr_assert_eq(r.status, 2, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.err, "no lab '99'"), "%s", r.err);
	test_cmd_free(&r);

	/* make -n prints what grade would run, and runs nothing. */
	r = MAKE_IN_TREE("-n", "grade", "LAB=01");
	cr_assert_eq(r.status, 0, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "sh harness/tools/grade.sh"), "%s", r.out);
	cr_assert_null(strstr(r.out, "01-fork-return: "), "make -n graded:\n%s", r.out);
	test_cmd_free(&r);
}

/* ---- forklab list, hint, reset ---- */

/* The line of `forklab list` about lab name. */
static char *list_line(const char *out, const char *name)
{
	const char *s = strstr(out, name);
	cr_assert_not_null(s, "no %s in:\n%s", name, out);
	while (s > out && s[-1] != '\n')
		s--;
	const char *nl = strchr(s, '\n');
	return strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

/* "score N/M" of a human report. */
static void report_score(const char *out, char *buf, size_t len)
{
	const char *s = strstr(out, "  score ");
	cr_assert_not_null(s, "%s", out);
	s += 8;
	size_t n = strcspn(s, "\n");
	snprintf(buf, len, "%.*s", (int)n, s);
}

Test(student_grade, list_reflects_a_graded_lab, .timeout = 120)
{
	struct test_cmd r = FORKLAB_IN(".", "list");
	cr_assert_eq(r.status, 0, "%s", r.err);
	char *line = list_line(r.out, "01-fork-return");
	cr_assert_eq(line[0], '>', "lab 01 is next: %s", line);
	cr_assert_null(strstr(line, "/"), "never graded, no score: %s", line);
	free(line);
	test_cmd_free(&r);

	r = FORKLAB_IN(".", "grade", "01");
	char score[32];
	report_score(r.out, score, sizeof score);
	test_cmd_free(&r);
	r = FORKLAB_IN(".", "status");
	line = list_line(r.out, "01-fork-return");
	cr_assert_not_null(strstr(line, score), "'%s' not in: %s", score, line);
	cr_assert_null(strstr(line, "done"), "%s", line);
	free(line);
	test_cmd_free(&r);

	test_shell(tree, "cp '%s/solutions/01-fork-return/fork_return.c' labs/01-fork-return/",
		   test_root_dir());
	r = FORKLAB_IN("labs/01-fork-return", "grade");
	cr_assert_eq(r.status, 0, "%s", r.out);
	test_cmd_free(&r);
	r = FORKLAB_IN(".", "list");
	line = list_line(r.out, "01-fork-return");
	cr_assert_not_null(strstr(line, "10/10   10/10  done"), "%s", line);
	free(line);
	line = list_line(r.out, labs_all[1]->name);
	cr_assert_eq(line[0], '>', "the next lab is marked: %s", line);
	free(line);
	cr_assert_not_null(strstr(r.out, "1 of "), "%s", r.out);
	test_cmd_free(&r);
}

/* One more hint each time, from the first; at the last it stays there and says so. */
Test(student_grade, hints_advance_and_stop_at_the_last)
{
	const struct lab *lab = labs_all[0];
	size_t nh = 0;
	while (lab->hints && lab->hints[nh])
		nh++;
	cr_assert_geq(nh, 3);
	for (size_t k = 1; k <= nh + 1; k++) {
		struct test_cmd r = FORKLAB_IN(".", "hint", "01");
		cr_assert_eq(r.status, 0, "%s", r.err);
		char want[64];
		size_t shown = k <= nh ? k : nh;
		snprintf(want, sizeof want, "hint %zu of %zu for lab %s:\n", shown, nh, lab->name);
		cr_assert_not_null(strstr(r.out, want), "call %zu: no '%s' in:\n%s", k, want, r.out);
		cr_assert_eq(strstr(r.out, "hint ") , r.out, "one hint a time: %s", r.out);
		cr_assert_null(strstr(r.out + 1, "\nhint "), "one hint a time: %s", r.out);
		cr_assert_eq(strstr(r.out, "that was the last hint") != NULL, k > nh, "%s", r.out);
		test_cmd_free(&r);
	}
	struct test_cmd r = FORKLAB_IN(".", "hint", "01", "--again");
	char want[64];
	snprintf(want, sizeof want, "hint %zu of %zu", nh, nh);
	cr_assert(strstr(r.out, "hint 1 of ") && strstr(r.out, want), "%s", r.out);
	test_cmd_free(&r);
	/* Without LAB: the first lab not done, here lab 01. */
	r = FORKLAB_IN(".", "hint");
	cr_assert_not_null(strstr(r.out, want), "%s", r.out);
	cr_assert_not_null(strstr(r.out, lab->name), "%s", r.out);
	test_cmd_free(&r);
	r = FORKLAB_IN(".", "hint", "99");
	cr_assert_eq(r.status, 2);
	test_cmd_free(&r);
}

/* Every lab has at least three hints. */
Test(student, every_lab_has_three_hints)
{
	for (size_t i = 0; labs_all[i]; i++) {
		size_t nh = 0;
		while (labs_all[i]->hints && labs_all[i]->hints[nh])
			nh++;
		cr_assert_geq(nh, 3, "%s has %zu hints", labs_all[i]->name, nh);
	}
}

static char *slurp_rel(const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tree, rel);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	char *s = test_slurp_fd(fileno(f));
	fclose(f);
	return s;
}

/* reset: the starter from git; it asks first when the file differs (no answer: nothing
 * changes), keeps the student's version, and says when there is nothing to do. */
Test(student_grade, reset_restores_and_keeps_a_copy, .timeout = 60)
{
	test_shell(tree, "git init -q && git add -A && git -c user.name=t -c user.email=t@t "
			 "commit -qm starter");
	char *starter = slurp_rel("labs/01-fork-return/fork_return.c");
	test_shell(tree, "echo '/* mine */' >> labs/01-fork-return/fork_return.c");
	char *mine = slurp_rel("labs/01-fork-return/fork_return.c");

	struct test_cmd r = FORKLAB_IN(".", "reset", "01");       /* stdin: nothing, so "no" */
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "differs from the starter"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "left as it is"), "%s", r.out);
	char *now = slurp_rel("labs/01-fork-return/fork_return.c");
	cr_assert_str_eq(now, mine);
	free(now);
	test_cmd_free(&r);

	char line[PATH_MAX * 2];
	snprintf(line, sizeof line, "echo y | '%s' reset 01", test_build_path("forklab"));
	r = test_command((const char *[]){ "/bin/sh", "-c", line, NULL }, tree);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "starter put back; yours is in fork_return.c.saved-"),
			   "%s", r.out);
	now = slurp_rel("labs/01-fork-return/fork_return.c");
	cr_assert_str_eq(now, starter);
	free(now);
	test_cmd_free(&r);
	r = test_command((const char *[]){ "/bin/sh", "-c",
					   "cat labs/01-fork-return/fork_return.c.saved-*", NULL },
			 tree);
	cr_assert_str_eq(r.out, mine);
	test_cmd_free(&r);

	r = FORKLAB_IN("labs/01-fork-return", "reset", "--yes");
	cr_assert_not_null(strstr(r.out, "is the starter already"), "%s", r.out);
	test_cmd_free(&r);
	free(starter);
	free(mine);
}

/* ---- forklab watch ---- */

struct watched {
	pid_t pid;          /* forklab watch, leader of its own process group */
	int master;         /* the pty it writes on */
	char *out;          /* everything read so far */
	size_t len;
};

static void watch_start(struct watched *w, const char *lab)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/labs/01-fork-return", tree);
	const char *argv[] = { test_build_path("forklab"), "watch", lab, NULL };
	w->pid = test_spawn_on_pty(argv, dir, &w->master);
	w->out = calloc(1, 1);
	cr_assert_not_null(w->out);
	w->len = 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what the pty has within limit seconds into w->out. False at its end. */
static bool watch_read(struct watched *w, double limit)
{
	struct pollfd p = { .fd = w->master, .events = POLLIN };
	if (poll(&p, 1, (int)(limit * 1000) + 1) <= 0)
		return true;
	char buf[4096];
	ssize_t n = read(w->master, buf, sizeof buf);
	if (n <= 0)
		return false;
	w->out = realloc(w->out, w->len + (size_t)n + 1);
	cr_assert_not_null(w->out);
	memcpy(w->out + w->len, buf, (size_t)n);
	w->len += (size_t)n;
	w->out[w->len] = '\0';
	return true;
}

/* Reads the pty until the output holds needle `count` times, for at most limit seconds. */
static bool watch_until(struct watched *w, const char *needle, int count, double limit)
{
	double end = now() + limit;
	for (;;) {
		int seen = 0;
		for (const char *p = w->out; (p = strstr(p, needle)); p++)
			seen++;
		if (seen >= count)
			return true;
		if (now() >= end || !watch_read(w, end - now()))
			return false;
	}
}

/* Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it. Waits for the watch to
 * leave (at most 20 s) and returns its wait status; no process of its group may be left. */
static int watch_interrupt(struct watched *w)
{
	cr_assert_eq(kill(-w->pid, SIGINT), 0);
	int st = 0;
	double end = now() + 20;
	pid_t r;
	while ((r = waitpid(w->pid, &st, WNOHANG)) == 0 && now() < end)
		watch_read(w, 0.05);   /* a full pty would block its writer */
	if (r == 0) {
		kill(-w->pid, SIGKILL);
		waitpid(w->pid, &st, 0);
		cr_assert_fail("forklab watch did not leave after SIGINT:\n%s", w->out);
	}
	cr_assert_eq(kill(-w->pid, 0), -1, "a process of the watch's group is still running");
	cr_assert_eq(errno, ESRCH);
	watch_until(w, "forklab watch: stopped", 1, 2);
	return st;
}

/* A real write of the solution's (or the starter's) file over the student's, as an editor
 * saves it. */
static void save_from(const char *dir)
{
	char *sol = NULL, path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s/01-fork-return/fork_return.c", test_root_dir(), dir);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	sol = test_slurp_fd(fileno(f));
	fclose(f);
	snprintf(path, sizeof path, "%s/labs/01-fork-return/fork_return.c", tree);
	int fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, sol, strlen(sol)), (ssize_t)strlen(sol));
	cr_assert_eq(close(fd), 0);
	free(sol);
}

/* Graded at start on a cleared screen; a save grades again; the lab complete is said, with the
 * next lab; the starter saved back is not complete (the best score once was); Ctrl-C leaves,
 * nothing left running. */
Test(student_grade, watch_regrades_after_a_save, .timeout = 120)
{
	struct watched w;
	watch_start(&w, "01");
	cr_assert(watch_until(&w, "(save a file to grade again; Ctrl-C to stop)", 1, 60),
		  "first grading:\n%s", w.out);
	cr_assert_not_null(strstr(w.out, "\033[H\033[2J"), "the screen is cleared: %s", w.out);
	cr_assert_not_null(strstr(w.out, "0 of 1 lab complete"), "%s", w.out);
	save_from("solutions");
	cr_assert(watch_until(&w, "lab 01-fork-return is complete. Next: lab ", 1, 60),
		  "after the save:\n%s", w.out);
	cr_assert(watch_until(&w, "forklab watch: lab 01-fork-return, graded at", 2, 5), "%s",
		  w.out);
	cr_assert(watch_until(&w, "\033[H\033[2J", 2, 5), "cleared again: %s", w.out);
	cr_assert(watch_until(&w, "(save a file to grade again; Ctrl-C to stop)", 2, 5), "%s",
		  w.out);
	save_from("labs");
	cr_assert(watch_until(&w, "lab 01-fork-return passed in full before; this version does "
				  "not.", 1, 60), "the starter saved back:\n%s", w.out);
	cr_assert(watch_until(&w, "(save a file to grade again; Ctrl-C to stop)", 3, 5), "%s",
		  w.out);
	int complete = 0;
	for (const char *p = w.out; (p = strstr(p, "is complete.")); p++)
		complete++;
	cr_assert_eq(complete, 1, "complete said after a failing grading:\n%s", w.out);
	int st = watch_interrupt(&w);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st, w.out);
	close(w.master);
	free(w.out);
}

/* Ctrl-C in the middle of a grading: the grading stops, the watch leaves, nothing is left. */
Test(student_grade, watch_ctrl_c_while_grading, .timeout = 60)
{
	struct watched w;
	watch_start(&w, "01");
	cr_assert(watch_until(&w, "forklab watch: lab 01-fork-return, graded at", 1, 30), "%s",
		  w.out);
	double t0 = now();
	int st = watch_interrupt(&w);
	cr_assert_lt(now() - t0, 10, "took %.1f s to leave", now() - t0);
	cr_assert(WIFEXITED(st), "status %d", st);
	close(w.master);
	free(w.out);
}
