/* test_platform.c - forklab on the course platforms, end to end: the Gradescope zip and the
 * Autolab files used as the platforms use them (submissions in the layouts students upload),
 * the Autolab image recipe's commands, the GitHub Classroom workflow run as a runner runs it,
 * what the packages and a students' tree hold, and the worked example of adding a lab
 * (docs/grading.md) built and graded as the document says. */
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "grade.h"
#include "testutil.h"

/* Each test's working folder under /tmp, removed after the test whether it passed or not. */
static char scratch[PATH_MAX];

static const char *new_scratch(const char *what)
{
	snprintf(scratch, sizeof scratch, "/tmp/forklab-%s-XXXXXX", what);
	cr_assert_not_null(mkdtemp(scratch), "mkdtemp: %s", scratch);
	return scratch;
}

static void remove_scratch(void)
{
	if (scratch[0])
		test_shell("/", "rm -rf '%s'", scratch);
	scratch[0] = '\0';
}

TestSuite(platform, .fini = remove_scratch);

/* The checkout's files (without build directories and .git) copied into dir. */
static void copy_tree(const char *dir)
{
	const char *b = strrchr(test_build_dir(), '/');
	test_shell(test_root_dir(), "tar --exclude='./%s' --exclude=./build --exclude='./build-*' "
		   "--exclude=./.git -cf - . | tar -C '%s' -xf -", b ? b + 1 : "build", dir);
}

/* package.sh PLATFORM OUT LABS (a space-separated list), run in a copy of the checkout
 * without .git made once per test in its folder: every file of the folders a package ships is
 * then shipped. (The checkout's git, which may be another user's, is not asked; the git path
 * is package_ships_only_tracked_files'.) */
static void pack(const char *platform, const char *out, const char *labs)
{
	char tree[PATH_MAX + 16];
	snprintf(tree, sizeof tree, "%s/checkout", scratch);
	if (access(tree, F_OK) != 0) {
		test_shell("/", "mkdir '%s'", tree);
		copy_tree(tree);
	}
	test_shell(tree, "sh harness/tools/package.sh %s '%s' %s >/dev/null", platform, out, labs);
}

/* The sum of a results.json's tests' max_score. */
static int max_score(json_t *results)
{
	json_t *tests = json_object_get(results, "tests");
	int max = 0;
	cr_assert(json_is_array(tests) && json_array_size(tests) > 0);
	for (size_t i = 0; i < json_array_size(tests); i++)
		max += (int)json_number_value(json_object_get(json_array_get(tests, i), "max_score"));
	return max;
}

static int score(json_t *results)
{
	return (int)json_number_value(json_object_get(results, "score"));
}

/* Runs the package's run_autograder on what is in ag/submission, as Gradescope does; returns
 * results.json, its text in *text and what run_autograder printed (its debug log) in *log. */
static json_t *autograde(const char *ag, char **text, char **log)
{
	char script[PATH_MAX + 32], results[PATH_MAX + 32];
	snprintf(script, sizeof script, "%s/source/run_autograder", ag);
	snprintf(results, sizeof results, "%s/results/results.json", ag);
	unlink(results);
	cr_assert_eq(setenv("FORKLAB_AUTOGRADER", ag, 1), 0);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", script, NULL}, ag);
	cr_assert_eq(r.status, 0, "run_autograder: %s%s", r.out, r.err);
	cr_assert_str_eq(r.err, "", "run_autograder wrote on stderr, not in the debug log");
	*log = r.out;
	free(r.err);
	FILE *f = fopen(results, "r");
	cr_assert_not_null(f, "no %s: %s", results, *log);
	*text = test_slurp_fd(fileno(f));
	fclose(f);
	json_error_t e;
	json_t *j = json_loads(*text, 0, &e);
	cr_assert_not_null(j, "%s: %s", results, e.text);
	return j;
}

/* Puts what the shell command line (printf-style) makes into ag/submission (emptied first),
 * grades it, and asserts full marks or, with full false, fewer. Returns run_autograder's log
 * (malloc'd). */
static char *upload(const char *ag, bool full, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static char *upload(const char *ag, bool full, const char *what, const char *fmt, ...)
{
	char *make = NULL, *text, *log;
	va_list ap;
	va_start(ap, fmt);
	cr_assert_geq(vasprintf(&make, fmt, ap), 0);
	va_end(ap);
	test_shell(ag, "rm -rf submission z && mkdir submission && %s", make);
	json_t *j = autograde(ag, &text, &log);
	if (full)
		cr_assert_eq(score(j), max_score(j), "%s: %d/%d\n%s", what, score(j), max_score(j),
			     log);
	else
		cr_assert_lt(score(j), max_score(j), "%s got full marks", what);
	json_decref(j);
	free(text);
	free(make);
	return log;
}

/* `make gradescope`'s zip used as Gradescope uses it: unpacked into source/, setup.sh run once
 * (it builds forklab there; its packages are already installed), run_autograder run for each
 * submission, results/results.json read back. The solution gets full marks in every layout a
 * student uploads it in: the file itself, renamed, in a folder, in a .zip inside the upload,
 * and two labs' files side by side for a two-lab assignment; the starter in a repository gets
 * less. What was found, built and run is in the debug log, and each test's output has the
 * compiler's warnings and what the program printed. A submission without the lab's source gets
 * 0 and a results.json that says what was expected and what was found, naming no path of the
 * grading machine. */
Test(platform, gradescope_package, .timeout = 300)
{
	const char *root = test_root_dir();
	const char *ag = new_scratch("ag");
	char ag2[PATH_MAX], *log, *text;
	pack("gradescope", ag, "4");
	test_shell(ag, "mkdir source && cd source && unzip -q ../forklab-autograder.zip && "
		   "test -x run_autograder && test ! -e forklab/solutions && "
		   "test ! -e forklab/harness/tests && sh setup.sh >../setup.log 2>&1 && "
		   "test -x forklab/build/forklab && cp '%s/solutions/04-process-tree/tree.c' "
		   "../tree.solution && cp -r '%s/labs/04-process-tree' ../starter", root, root);

	free(upload(ag, true, "tree.c", "cp tree.solution submission/tree.c"));

	/* Renamed, with a compiler warning. */
	log = upload(ag, true, "my_tree.c", "{ cat tree.solution; echo 'int forklab_unused(void) "
		     "{ int x; return 0; }'; } >submission/my_tree.c");
	const char *said[] = {
		"run_autograder: grading 04-process-tree\n",
		"grade-submission: 04-process-tree: tree.c is my_tree.c\n",
		"forklab: 04-process-tree: built tree, the compiler warned: ",
		"forklab: 04-process-tree: scenario default: ran tree: exited 0, ",
		"forklab: 04-process-tree: score 10/10\n",
	};
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
		cr_assert_not_null(strstr(log, said[i]), "the debug log lacks \"%s\":\n%s", said[i],
				   log);
	free(log);
	json_t *j = autograde(ag, &text, &log);
	json_t *first = json_array_get(json_object_get(j, "tests"), 0);
	const char *out = json_string_value(json_object_get(first, "output"));
	cr_assert_not_null(out);
	cr_assert_not_null(strstr(out, "unused variable 'x'"), "%s", out);
	cr_assert_not_null(strstr(out, "$ tree   (scenario default)\n--- stdout ---\n"), "%s", out);
	json_decref(j);
	free(text);
	free(log);

	free(upload(ag, true, "lab4/tree.c", "mkdir submission/lab4 && "
		    "cp tree.solution submission/lab4/tree.c"));
	free(upload(ag, true, "work.zip", "mkdir -p z/lab4 && cp tree.solution z/lab4/tree.c && "
		    "(cd z && zip -q -r ../submission/work.zip lab4)"));
	free(upload(ag, false, "the starter", "mkdir submission/labs && "
		    "cp -r starter submission/labs/04-process-tree"));

	/* Not there: expected and found are in results.json, and no path of this machine. */
	test_shell(ag, "rm -rf submission && mkdir submission && cp tree.solution submission/a.c "
		   "&& cp tree.solution submission/b.c && echo notes >submission/notes.txt");
	j = autograde(ag, &text, &log);
	cr_assert_eq(score(j), 0);
	const char *summary = json_string_value(json_object_get(j, "output"));
	cr_assert_not_null(strstr(summary, "04-process-tree: no source found: expected tree.c"),
			   "%s", summary);
	cr_assert_not_null(strstr(summary, "found these C files: a.c, b.c"), "%s", summary);
	cr_assert_null(strstr(text, "/tmp"), "results.json names a temporary path:\n%s", text);
	cr_assert_null(strstr(text, ag), "results.json names the grading folder:\n%s", text);
	json_decref(j);
	free(text);
	free(log);

	/* A two-lab assignment uploaded flat. Its package differs from the first in
	 * run_autograder only, so the forklab built above grades it. */
	snprintf(ag2, sizeof ag2, "%s/two", ag);
	test_shell(ag, "mkdir two");
	pack("gradescope", ag2, "4 5");
	test_shell(ag, "mkdir two/source && cd two/source && unzip -q ../forklab-autograder.zip && "
		   "diff -r -x build forklab ../../source/forklab && cp run_autograder ../../source/");
	log = upload(ag, true, "tree.c and run.c", "cp tree.solution submission/tree.c && "
		     "cp '%s/solutions/05-exec-status/run.c' submission/", root);
	cr_assert_not_null(strstr(log, "05-exec-status: run.c is run.c"), "%s", log);
	free(log);
}

/* Runs Autolab's way: `make` beside the Makefile, autograde.tar and one handin file; returns
 * the score of the last line ({"scores":{"01-fork-return":N},...}), and what make printed in
 * *out when out is not NULL. */
static int autolab_score(const char *dir, char **out)
{
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", NULL}, dir);
	cr_assert_eq(r.status, 0, "make: %s%s", r.out, r.err);
	const char *last = r.out + strlen(r.out);
	while (last > r.out && last[-1] == '\n')
		last--;
	while (last > r.out && last[-1] != '\n')
		last--;
	json_error_t e;
	json_t *j = json_loads(last, 0, &e);
	cr_assert_not_null(j, "last line is not JSON: %s", last);
	json_t *n = json_object_get(json_object_get(j, "scores"), "01-fork-return");
	cr_assert(json_is_integer(n), "%s", last);
	int score = (int)json_integer_value(n);
	json_decref(j);
	if (out)
		cr_assert_geq(asprintf(out, "%s%s", r.out, r.err), 0);
	test_cmd_free(&r);
	return score;
}

static int full_marks(const char *spec)
{
	const struct lab *lab = lab_lookup(spec);
	int full = 0;
	cr_assert_not_null(lab);
	for (size_t i = 0; i < lab->nchecks; i++)
		full += lab->checks[i].points;
	return full;
}

/* `make autolab`'s two files used as Autolab uses them: the Makefile builds forklab from
 * autograde.tar (the image's forklab, FORKLAB_PREBUILT, is of another autograde.tar: it is not
 * used) and grades the handin, a C file under Autolab's name for it (the solution: full
 * marks), a tar of the repository (the starter: less) or a zip of a folder holding the
 * repository (the solution again); an archive too large to unpack is refused. */
Test(platform, autolab_package, .timeout = 300)
{
	const char *root = test_root_dir();
	char dir[PATH_MAX + 8], pre[PATH_MAX + 16], *out;
	int full = full_marks("01");
	snprintf(dir, sizeof dir, "%s/job", new_scratch("al"));
	snprintf(pre, sizeof pre, "%s/image", dir);
	cr_assert_eq(setenv("FORKLAB_PREBUILT", pre, 1), 0);
	pack("autolab", dir, "1");
	test_shell(dir, "mv autograde-Makefile Makefile && tar -tf autograde.tar > list && "
		   "! grep -q solutions list && ! grep -q harness/tests list && rm list && "
		   "cp '%s/solutions/01-fork-return/fork_return.c' handin.c && "
		   "mkdir -p image/forklab/build && echo another >image/autograde.tar && "
		   "printf '#!/bin/sh\\nexit 3\\n' >image/forklab/build/forklab && "
		   "chmod +x image/forklab/build/forklab", root);
	cr_assert_eq(autolab_score(dir, &out), full, "%s", out);
	cr_assert_not_null(strstr(out, "is of another autograde.tar: building"), "%s", out);
	free(out);
	test_shell(dir, "test -x forklab/build/forklab && rm -r image handin.c && "
		   "tar -C '%s' -cf handin.tar labs/01-fork-return", root);
	cr_assert_lt(autolab_score(dir, NULL), full);
	/* A zip of a repository in a folder of its own, the solution in it. */
	test_shell(dir, "rm handin.tar && mkdir -p repo/labs && cp -r "
		   "'%s/solutions/01-fork-return' repo/labs/ && zip -q -r handin.zip repo && "
		   "rm -r repo", root);
	cr_assert_eq(autolab_score(dir, NULL), full);
	/* An archive that would unpack to more than 64 MiB is refused, not unpacked. */
	test_shell(dir, "rm handin.zip && truncate -s 70M big.c && tar -S -cf handin.tar big.c && "
		   "rm big.c");
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", NULL}, dir);
	cr_assert_neq(r.status, 0, "an oversized handin was graded: %s", r.out);
	cr_assert_not_null(strstr(r.err, "at most 64 MiB"), "%s%s", r.out, r.err);
	test_cmd_free(&r);
}

/* The Autolab image recipe (harness/tools/autolab.Dockerfile): the commands of its last stage
 * that install forklab's packages and build forklab, run here into a folder that stands for
 * the image's FORKLAB_PREBUILT; a job then grades with that forklab, without building one. */
Test(platform, autolab_image, .timeout = 300)
{
	const char *root = test_root_dir();
	const char *dir = new_scratch("img");
	char ctx[PATH_MAX], pre[PATH_MAX], *out;
	snprintf(ctx, sizeof ctx, "%s/context", dir);
	snprintf(pre, sizeof pre, "%s/opt/forklab", dir);
	pack("autolab", ctx, "1");
	test_shell(dir, "sh '%s/harness/tests/scripts/dockerfile-run.sh' "
		   "'%s/harness/tools/autolab.Dockerfile' '%s' '%s' >image.log 2>&1 || "
		   "{ cat image.log; exit 1; }", root, root, ctx, pre);
	test_shell(dir, "test -x opt/forklab/forklab/build/forklab && "
		   "cmp opt/forklab/autograde.tar context/autograde.tar && mkdir job && "
		   "cp context/autograde.tar job/ && cp context/autograde-Makefile job/Makefile && "
		   "cp '%s/solutions/01-fork-return/fork_return.c' job/handin.c", root);
	cr_assert_eq(setenv("FORKLAB_PREBUILT", pre, 1), 0);
	char job[PATH_MAX + 8];
	snprintf(job, sizeof job, "%s/job", dir);
	cr_assert_eq(autolab_score(job, &out), full_marks("01"), "%s", out);
	cr_assert_not_null(strstr(out, "autograde: forklab as built in the image"), "%s", out);
	free(out);
	test_shell(job, "test ! -e forklab/build && test ! -e forklab-build.log");
}

/* A students' repository in DIR/repo: the project's tree without solutions/. */
static void students_repo(const char *dir, char *repo, size_t size)
{
	snprintf(repo, size, "%s/repo", dir);
	test_shell(dir, "mkdir repo");
	copy_tree(repo);
	test_shell(repo, "rm -rf solutions");
}

/* GitHub Classroom's workflow (harness/tools/classroom.yml), read by Debian's YAML parser:
 * named as the grading reporter requires, the reporter fed by the grading step; and its run
 * steps run, as a runner runs them, in a students' repository (the tree without solutions/; a
 * sudo that runs the command as it is, since this machine has none): the starter reports
 * fewer points than the maximum and the job still succeeds, the solution reports them all. */
Test(platform, classroom_workflow, .timeout = 300)
{
	const char *root = test_root_dir();
	const char *dir = new_scratch("gh");
	char wf[PATH_MAX], script[PATH_MAX], repo[PATH_MAX];
	snprintf(wf, sizeof wf, "%s/harness/tools/classroom.yml", root);
	snprintf(script, sizeof script, "%s/harness/tests/scripts/workflow.py", root);
	struct test_cmd r = test_command((const char *[]){"/usr/bin/python3", script, "check", wf,
							  NULL}, dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	test_cmd_free(&r);
	test_shell(dir, "mkdir bin && printf '#!/bin/sh\\nexec \"$@\"\\n' >bin/sudo && "
		   "chmod +x bin/sudo");
	students_repo(dir, repo, sizeof repo);
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/bin:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	cr_assert_eq(setenv("PATH", path, 1), 0);
	const char *argv[] = {"/usr/bin/python3", script, "run", wf, repo, "FORKLAB_LABS=01", NULL};
	int full = full_marks("01");
	char want[64];
	r = test_command(argv, dir);
	cr_assert_eq(r.status, 0, "the starter's run: %s%s", r.out, r.err);
	const char *line = strstr(r.out, "points ");
	int got, max;
	cr_assert(line && sscanf(line, "points %d/%d", &got, &max) == 2, "%s%s", r.out, r.err);
	cr_assert_eq(max, full);
	cr_assert_lt(got, full, "%s", line);
	cr_assert_not_null(strstr(line, " status fail "), "%s", line);
	test_cmd_free(&r);
	test_shell(root, "cp solutions/01-fork-return/*.c '%s/labs/01-fork-return/'", repo);
	r = test_command(argv, dir);
	cr_assert_eq(r.status, 0, "the solution's run: %s%s", r.out, r.err);
	snprintf(want, sizeof want, "points %d/%d status pass ", full, full);
	cr_assert_not_null(strstr(r.out, want), "%s%s", r.out, r.err);
	test_cmd_free(&r);
}

/* The "suites N tests T failures F" line gitlab_job.py ends with, after the job's own output. */
static int junit_counts(const char *out, size_t *suites, size_t *tests, size_t *failures)
{
	const char *line = strstr(out, "\nsuites ");
	if (line)
		line++;
	else if (strncmp(out, "suites ", 7) == 0)
		line = out;
	else
		return 0;
	return sscanf(line, "suites %zu tests %zu failures %zu", suites, tests, failures);
}

/* The GitLab CI job of docs/instructors.md, read by Debian's YAML parser (one job, a JUnit
 * report kept when it fails) and its script run line by line as a runner runs it, in a
 * students' repository (no solutions/; the image's apt-get line skipped, the packages being
 * here): with the starters the job succeeds and the JUnit file has a suite per lab and failed
 * cases; with the solutions in labs/, none failed. */
Test(platform, gitlab_job_from_the_docs, .timeout = 600)
{
	const char *root = test_root_dir();
	const char *dir = new_scratch("gl");
	char doc[PATH_MAX], script[PATH_MAX], repo[PATH_MAX];
	snprintf(doc, sizeof doc, "%s/docs/instructors.md", root);
	snprintf(script, sizeof script, "%s/harness/tests/scripts/gitlab_job.py", root);
	students_repo(dir, repo, sizeof repo);
	size_t nlabs = 0;
	while (labs_all[nlabs])
		nlabs++;
	const char *argv[] = {"/usr/bin/python3", script, doc, repo, NULL};
	struct test_cmd r = test_command(argv, dir);
	cr_assert_eq(r.status, 0, "the starters' job: %s%s", r.out, r.err);
	size_t suites, tests, failures;
	cr_assert_eq(junit_counts(r.out, &suites, &tests, &failures), 3, "%s%s", r.out, r.err);
	cr_assert_eq(suites, nlabs, "%s", r.out);
	cr_assert_gt(failures, 0, "%s", r.out);
	cr_assert_lt(failures, tests, "%s", r.out);
	test_cmd_free(&r);
	test_shell(root, "for d in solutions/[0-9]*/; do cp \"$d\"*.c '%s/labs/'\"$(basename \"$d\")\"/; "
		   "done", repo);
	r = test_command(argv, dir);
	cr_assert_eq(r.status, 0, "the solutions' job: %s%s", r.out, r.err);
	cr_assert_eq(junit_counts(r.out, &suites, &tests, &failures), 3, "%s%s", r.out, r.err);
	cr_assert_eq(suites, nlabs, "%s", r.out);
	cr_assert_eq(failures, 0, "%s", r.out);
	test_cmd_free(&r);
}

/* The packages hold only files git tracks: an answer key left untracked at the top, in a
 * private/ folder or inside a folder the packages ship, is in neither. */
Test(platform, package_ships_only_tracked_files, .timeout = 120)
{
	const char *dir = new_scratch("git");
	char tree[PATH_MAX];
	snprintf(tree, sizeof tree, "%s/tree", dir);
	test_shell(dir, "mkdir tree");
	copy_tree(tree);
	test_shell(tree, "git init -q && git add -A && git -c user.name=forklab "
		   "-c user.email=forklab@localhost commit -q -m tree && "
		   "echo 'int answer = 42;' >answer_key.c && mkdir private && "
		   "echo 'int answer = 42;' >private/key.c && "
		   "echo 'int answer = 42;' >harness/checks/answer_key.c && "
		   "echo 'int answer = 42;' >labs/01-fork-return/answer_key.c && "
		   "sh harness/tools/package.sh gradescope ../out 1 >/dev/null && "
		   "sh harness/tools/package.sh autolab ../out 1 >/dev/null");
	test_shell(dir, "unzip -Z1 out/forklab-autograder.zip >zip.list && "
		   "tar -tf out/autograde.tar >tar.list && "
		   "grep -q '^forklab/harness/checks/lab01.c$' zip.list && "
		   "grep -q '^forklab/harness/checks/lab01.c$' tar.list && "
		   "! grep -e answer_key -e private zip.list tar.list");
}

/* No reference solution reaches students: not the Gradescope zip or Autolab's tar (the
 * student's code runs beside them), nor the tree a course hands out once solutions/ is gone.
 * Each is searched for the lines of the solutions, of the correct test programs and of the
 * patches made from a solution (harness/tests/scripts/solution-lines.sh), which does find a
 * correct test program put among them. */
Test(platform, no_solution_reaches_students, .timeout = 120)
{
	const char *root = test_root_dir();
	const char *dir = new_scratch("leak");
	test_shell(dir, "mkdir students gs al");
	char students[PATH_MAX];
	snprintf(students, sizeof students, "%s/students", dir);
	copy_tree(students);
	test_shell(dir, "rm -rf students/solutions");
	pack("gradescope", dir, "");
	pack("autolab", dir, "");
	test_shell(dir, "unzip -q forklab-autograder.zip -d gs && tar -C al -xf autograde.tar");
	struct test_cmd r = test_command((const char *[]){"/bin/sh", "-c",
		"sh \"$0\"/harness/tests/scripts/solution-lines.sh \"$0\" students gs al", root,
		NULL}, dir);
	cr_assert_eq(r.status, 0, "solutions reach students:\n%s%s", r.out, r.err);
	test_cmd_free(&r);
	test_shell(dir, "mkdir control && cp '%s'/solutions/tests/04/right_*.c control/", root);
	r = test_command((const char *[]){"/bin/sh", "-c",
		"sh \"$0\"/harness/tests/scripts/solution-lines.sh \"$0\" control", root, NULL}, dir);
	cr_assert_eq(r.status, 1, "a correct test program went unnoticed: %s%s", r.out, r.err);
	cr_assert_not_null(strstr(r.out, "lines of solutions/tests/04/right_"), "%s", r.out);
	test_cmd_free(&r);
}

/* A starter for the worked example's lab: the children are never waited for. */
static const char example_starter[] =
	"#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n\n"
	"int main(void)\n{\n"
	"\tfor (int i = 1; i <= 2; i++) {\n"
	"\t\tpid_t pid = fork();\n"
	"\t\tif (pid < 0)\n\t\t\treturn 1;\n"
	"\t\tif (pid == 0) {\n"
	"\t\t\tprintf(\"child %d: pid=%d\\n\", i, (int)getpid());\n"
	"\t\t\texit(i);\n\t\t}\n\t}\n"
	"\t/* TODO: wait for both children */\n"
	"\tprintf(\"parent: done\\n\");\n\treturn 0;\n}\n";

/* `forklab grade --format json` of one lab in dir; the lab's JSON (a new reference). */
static json_t *graded_lab(const char *dir, const char *labs, const char *lab)
{
	char out[PATH_MAX + 32];
	snprintf(out, sizeof out, "%s/graded.json", dir);
	struct test_cmd r = test_command((const char *[]){"build/forklab", "grade", "--labs", labs,
		"--format", "json", "--output", out, lab, NULL}, dir);
	cr_assert(r.status == 0 || r.status == 1, "forklab grade: %s%s", r.out, r.err);
	test_cmd_free(&r);
	json_error_t e;
	json_t *j = json_load_file(out, 0, &e);
	cr_assert_not_null(j, "%s: %s", out, e.text);
	json_t *l = json_incref(json_array_get(json_object_get(j, "labs"), 0));
	json_decref(j);
	cr_assert_not_null(l);
	return l;
}

/* docs/grading.md's worked example of adding a lab, done as the document says on a copy of
 * the tree: its C blocks that start by naming their file (the lab's definition, its
 * solution) written there, the lab declared and listed in labs.c, a starter beside it, forklab
 * built (with the project's -Werror), and the lab graded: the solution gets full marks, the
 * starter that never waits fails the reaping check only. When the number the example uses is
 * taken by a real lab by now, the example is given the next free number. */
Test(platform, adding_a_lab_as_documented, .timeout = 300)
{
	const char *dir = new_scratch("newlab");
	char tree[PATH_MAX], taken[1024] = "";
	snprintf(tree, sizeof tree, "%s/tree", dir);
	test_shell(dir, "mkdir tree doc");
	copy_tree(tree);
	for (size_t i = 0; labs_all[i]; i++)
		snprintf(taken + strlen(taken), sizeof taken - strlen(taken), " %d",
			 labs_all[i]->number);
	test_shell(dir, "awk -v dir=doc '"
		   "/^```c$/ { blk = 1; out = \"\"; next }\n"
		   "blk && /^```$/ { blk = 0; if (out) close(out); next }\n"
		   "blk && out == \"\" { if (!match($0, /^\\/\\* [a-z0-9_\\/.-]+ - /)) { blk = 0; next }\n"
		   "  out = dir \"/\" substr($0, 4, RLENGTH - 6)\n"
		   "  system(\"mkdir -p $(dirname \" out \")\") }\n"
		   "blk { print > out }' tree/docs/grading.md && "
		   "ls doc/harness/checks/lab*.c doc/solutions/*/*.c >/dev/null");
	/* The lab's number and name from its definition; a new number if the number is taken. */
	test_shell(dir, "set -e; n=$(sed -n 's/.*\\.number = \\([0-9]*\\),.*/\\1/p' "
		   "doc/harness/checks/lab*.c); nn=$(printf %%02d \"$n\"); new=$n; "
		   "for t in %s; do [ \"$t\" != \"$n\" ] || new=%d; done; nw=$(printf %%02d \"$new\"); "
		   "cd doc; for f in $(find . -type f); do "
		   "g=$(echo \"$f\" | sed \"s/lab$nn/lab$nw/; s|/$nn-|/$nw-|\"); "
		   "mkdir -p \"../tree/$(dirname \"$g\")\"; "
		   "sed -e \"s/lab$nn/lab$nw/g\" -e \"s/\\([\\\"/ ]\\)$nn-/\\1$nw-/g\" "
		   "-e \"s/\\.number = $n,/.number = $new,/\" \"$f\" >\"../tree/$g\"; done; cd ../tree; "
		   "name=$(sed -n 's/.*\\.name = \"\\([^\"]*\\)\".*/\\1/p' harness/checks/lab$nw.c); "
		   "awk -v nw=\"$nw\" '/^\tLAB\\(lab[0-9]+\\)$/ { print $0 \" \\\\\"; "
		   "print \"\\tLAB(lab\" nw \")\"; next } { print }' harness/checks/labs.c "
		   ">labs.c.new && mv labs.c.new harness/checks/labs.c; "
		   "grep -q \"LAB(lab$nw)$\" harness/checks/labs.c; mkdir -p labs/$name; "
		   "test -f solutions/$name/two.c; echo \"$name\" >../name",
		   taken, test_unused_lab_number());
	char starter[PATH_MAX + 64], name[128] = "";
	FILE *f = fopen(strcat(strcpy(starter, dir), "/name"), "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(name, sizeof name, f));
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	snprintf(starter, sizeof starter, "%s/labs/%s/two.c", tree, name);
	f = fopen(starter, "w");
	cr_assert_not_null(f, "%s", starter);
	fputs(example_starter, f);
	cr_assert_eq(fclose(f), 0);
	struct test_cmd r = test_command((const char *[]){"/usr/bin/make", "-s", "-j2", "all",
							  NULL}, tree);
	cr_assert_eq(r.status, 0, "the tree with the example lab does not build:\n%s%s", r.out,
		     r.err);
	test_cmd_free(&r);

	json_t *l = graded_lab(tree, "solutions", name);
	cr_assert_str_eq(json_string_value(json_object_get(l, "name")), name);
	int max = (int)json_integer_value(json_object_get(l, "max"));
	cr_assert_gt(max, 0);
	cr_assert_eq(json_integer_value(json_object_get(l, "score")), max, "%s",
		     json_dumps(json_object_get(l, "checks"), 0));
	json_decref(l);
	l = graded_lab(tree, "labs", name);
	json_t *checks = json_object_get(l, "checks");
	char failed[256] = "";
	for (size_t i = 0; i < json_array_size(checks); i++) {
		json_t *c = json_array_get(checks, i);
		if (!json_is_true(json_object_get(c, "passed")))
			snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s",
				 *failed ? "," : "", json_string_value(json_object_get(c, "id")));
	}
	cr_assert_str_eq(failed, "reaped");
	json_decref(l);
}
