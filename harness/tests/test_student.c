/* test_student.c - forklab as a student meets it: `make grade`'s closing lines and status,
 * `forklab --version`, a lab named by its path or graded from inside its directory, and
 * compiler messages that name the file from where the command was run. */
#include <criterion/criterion.h>
#include <limits.h>
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

/* `make grade` on a starter: the report, its closing lines, no make "Error" line, status 0
 * (graded, whatever the score); an unknown lab is forklab's failure, status 2. */
Test(student, make_grade, .timeout = 180)
{
	char bvar[PATH_MAX + 8];
	snprintf(bvar, sizeof bvar, "B=%s", test_build_dir());
	struct test_cmd r = test_command((const char *[]){ "/usr/bin/make", "grade",
							   "LAB=01", bvar, NULL }, test_root_dir());
	cr_assert_eq(r.status, 0, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "01-fork-return: "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "then run: make grade LAB=01\n"), "%s", r.out);
	cr_assert_null(strstr(r.err, "Error"), "%s", r.err);
	cr_assert_null(strstr(r.out, "cc "), "forklab's compile lines shown: %s", r.out);
	test_cmd_free(&r);
	r = test_command((const char *[]){ "/usr/bin/make", "grade", "LAB=99", bvar, NULL },
			 test_root_dir());
	cr_assert_eq(r.status, 2, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert_not_null(strstr(r.err, "no lab '99'"), "%s", r.err);
	test_cmd_free(&r);
}
