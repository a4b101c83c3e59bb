/* test_course.c - what an instructor uses: assignment files (every mistake one line naming the
 * file, line and key; hidden checks; reweighted points that add up in every format), batch
 * grading into a gradebook (and its progress line on a terminal), `forklab gradebook`, and the
 * student handout. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "grade.h"
#include "testutil.h"

struct sh_result {
	int status;
	char *out, *err;
};

/* Runs a shell command line from the checkout's top; FORKLAB is build/forklab there. */
__attribute__((format(printf, 1, 2)))
static struct sh_result sh(const char *fmt, ...)
{
	char *line = NULL, *full = NULL;
	va_list ap;
	va_start(ap, fmt);
	cr_assert_geq(vasprintf(&line, fmt, ap), 0);
	va_end(ap);
	cr_assert_geq(asprintf(&full, "cd '%s' && FORKLAB='%s/forklab' && unset FORKLAB_ASSIGNMENT"
			       " && %s", test_root_dir(), test_build_dir(), line), 0);
	char *argv[] = {"/bin/sh", "-c", full, NULL};
	struct sh_result r;
	int st = test_run_capture(argv, &r.out, &r.err);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	free(line);
	free(full);
	return r;
}

static void sh_free(struct sh_result *r)
{
	free(r->out);
	free(r->err);
}

/* The command must succeed. */
#define SH_OK(...) do { \
		struct sh_result r_ = sh(__VA_ARGS__); \
		cr_assert_eq(r_.status, 0, "%s%s", r_.out, r_.err); \
		sh_free(&r_); \
	} while (0)

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- assignment files ---- */

/* Each mistake: the file, the line to blame (0: none) and a word of the message. */
static const struct bad_file {
	const char *text;
	int line;
	const char *says;
} bad_files[] = {
	{"[assignment]\nlabs = 01 99\n", 2, "labs: no lab '99'"},
	{"[assignment]\nlabs = 01 1\n", 2, "labs: lab 01-fork-return is named twice"},
	{"[assignment]\nlabs = 01\n\n[lab 99]\nweight = 3\n", 5, "[lab 99]: no lab '99'"},
	{"[assignment]\nlabs = 01\n[lab 01]\nhidden = reaped nope\n", 4,
	 "hidden: lab 01-fork-return has no check 'nope'"},
	{"[assignment]\nlabs = 01\n[lab 01]\npoints.nope = 2\n", 4,
	 "points.nope: lab 01-fork-return has no check 'nope'"},
	{"[assignment]\nlabs = 01\n[lab 01]\nweight = ten\n", 4, "weight: 'ten' is not a whole number"},
	{"[assignment]\nlabs = 01\n[lab 01]\nweight = 0\n", 4, "weight: '0' is not a whole number"},
	{"[assignment]\nlabs = 01\n[lab 01]\npoints.exit = -1\n", 4,
	 "points.exit: '-1' is not a whole number"},
	{"[assignment]\nlabs = 01\n[lab 01]\nweight = 2\nskip = exit\nweight = 3\n", 6,
	 "weight: given twice in [lab 01] (first on line 4)"},
	{"[assignment]\nlabs = 01\n[lab 01]\nweight = 2\n[lab 1]\nskip = exit\n", 6,
	 "lab 01-fork-return has a section already (line 4)"},
	{"[assignment]\nlabs = 01\n[lab 01]\ncolour = blue\n", 4, "colour: unknown key in [lab 01]"},
	{"[assignment]\nlabs = 01\n[labs]\nweight = 1\n", 4, "[labs]: unknown section"},
	{"labs = 01\n", 1, "labs: outside any section"},
	{"[assignment]\nlabs = 01\nthis line has no equals sign\n", 3, "not a '[section]'"},
	{"[assignment]\nlabs = 01\n[lab 04]\nweight = 3\n", 4, "lab 04-process-tree is not in labs"},
	{"[assignment]\nlabs = 01\n[lab 01]\nskip = exit\nhidden = exit\n", 5,
	 "hidden: check 'exit' is skipped too"},
	{"[assignment]\nlabs = 01\n[lab 01]\nskip = one-fork child-line parent-line reaped "
	 "status-line output exit\n", 4, "skip: leaves lab 01-fork-return no check"},
	{"; nothing yet\n", 0, "no 'labs = ...'"},
};

Test(assignment, each_mistake_is_one_line_naming_file_line_and_key, .timeout = 60)
{
	char dir[] = "/tmp/forklab-asg-XXXXXX", path[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/course.ini", dir);
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		const struct bad_file *b = &bad_files[i];
		write_file(path, b->text);
		/* forklab grade would build and run lab 01 if it got that far: it must not. */
		struct sh_result r = sh("$FORKLAB grade --assignment '%s' --labs solutions", path);
		char want[PATH_MAX + 64];
		if (b->line)
			snprintf(want, sizeof want, "forklab: %s:%d: ", path, b->line);
		else
			snprintf(want, sizeof want, "forklab: %s: ", path);
		cr_assert_eq(r.status, 2, "case %zu: status %d: %s", i, r.status, r.err);
		cr_assert_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
		cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "case %zu: want %s, got %s", i,
			     want, r.err);
		cr_assert_not_null(strstr(r.err, b->says), "case %zu: want '%s' in %s", i, b->says,
				   r.err);
		cr_assert_str_eq(r.out, "", "case %zu: something was graded: %s", i, r.out);
		sh_free(&r);
		/* forklab checks and batch grading read it the same way. */
		r = sh("$FORKLAB checks --assignment '%s'", path);
		cr_assert_eq(r.status, 2, "checks, case %zu: %s", i, r.err);
		cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "checks, case %zu: %s", i, r.err);
		sh_free(&r);
	}
	struct sh_result r = sh("$FORKLAB grade --assignment '%s/none.ini' 01", dir);
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "none.ini: cannot read: "), "%s", r.err);
	cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
	sh_free(&r);
	/* A lab named on the command line must be one of the assignment's. */
	write_file(path, "[assignment]\nlabs = 01\n");
	r = sh("$FORKLAB grade --assignment '%s' 04", path);
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "lab '04' is not in "), "%s", r.err);
	cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
	sh_free(&r);
	SH_OK("rm -rf '%s'", dir);
}

/* forklab checks lists the assignment's labs, points (scaled, set, skipped) and visibility. */
Test(assignment, checks_lists_what_is_graded)
{
	char dir[] = "/tmp/forklab-asg-XXXXXX", path[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a.ini", dir);
	/* Lab 01 without output: 1+2+2+2+1+1 = 9 points, scaled to 20: 2,4,4,4,2,2 rounded down
	 * (18), and the two largest remainders (the first 4s in the table) get one more. */
	write_file(path, "[assignment]\nlabs = 04 01   ; in this order\n\n[lab 01]\nweight = 20\n"
		   "skip = output\nhidden = reaped\n[lab 04]\npoints.shape = 7\n");
	struct sh_result r = sh("$FORKLAB checks --assignment '%s' | cut -f1-4 | tr '\\t\\n' ' |'",
				path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "04-process-tree shape 7 visible|04-process-tree pids 2 visible|"
			 "04-process-tree reaped-by-parent 2 visible|"
			 "04-process-tree child-after-grandchildren 1 visible|"
			 "04-process-tree one-at-a-time 1 visible|04-process-tree exit-status 1 visible|"
			 "04-process-tree usage 1 visible|"
			 "01-fork-return one-fork 2 visible|01-fork-return child-line 5 visible|"
			 "01-fork-return parent-line 5 visible|01-fork-return reaped 4 hidden|"
			 "01-fork-return status-line 2 visible|01-fork-return exit 2 visible|");
	sh_free(&r);
	SH_OK("rm -rf '%s'", dir);
}

static const char reweighted[] =
	"[assignment]\nlabs = 01 04\n[lab 01]\nweight = 20\nskip = output\n"
	"[lab 04]\nweight = 13\npoints.usage = 3\n";

static long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_integer(v), "no integer %s", key);
	return (long)json_integer_value(v);
}

/* The starter (some checks fail) graded by a reweighted assignment: in every format that
 * carries points, the checks' points add up to the labs' maxima and to 33, and the scores to
 * the total. */
Test(assignment, reweighted_points_add_up_in_every_format, .timeout = 180)
{
	char dir[] = "/tmp/forklab-asg-XXXXXX", path[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a.ini", dir);
	write_file(path, reweighted);
	const char *formats[] = {"json", "gradescope", "classroom", "tap", "human", "autolab"};
	for (size_t i = 0; i < 6; i++) {
		struct sh_result r = sh("$FORKLAB grade --assignment '%s' --format %s > '%s/out.%s'",
					path, formats[i], dir, formats[i]);
		cr_assert_eq(r.status, 1, "%s: %s", formats[i], r.err);
		sh_free(&r);
	}
	char file[PATH_MAX + 32];
	json_error_t e;
	/* json: per check, per lab, total. */
	snprintf(file, sizeof file, "%s/out.json", dir);
	json_t *j = json_load_file(file, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	long total = 0, score = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(j, "labs")); i++) {
		json_t *lab = json_array_get(json_object_get(j, "labs"), i);
		json_t *checks = json_object_get(lab, "checks");
		long max = 0, got = 0;
		for (size_t k = 0; k < json_array_size(checks); k++) {
			max += jint(json_array_get(checks, k), "points");
			got += jint(json_array_get(checks, k), "score");
		}
		cr_assert_eq(max, jint(lab, "max"));
		cr_assert_eq(got, jint(lab, "score"));
		cr_assert_eq(max, i == 0 ? 20 : 13, "lab %zu: %ld", i, max);
		total += max;
		score += got;
	}
	cr_assert_eq(total, 33);
	cr_assert_eq(jint(j, "max"), 33);
	cr_assert_eq(jint(j, "score"), score);
	cr_assert_lt(score, 33);
	json_decref(j);
	/* gradescope: the tests' max_score add up to 33, their scores to the score. */
	snprintf(file, sizeof file, "%s/out.gradescope", dir);
	j = json_load_file(file, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	long gmax = 0, gscore = 0;
	json_t *tests = json_object_get(j, "tests");
	for (size_t k = 0; k < json_array_size(tests); k++) {
		gmax += jint(json_array_get(tests, k), "max_score");
		gscore += jint(json_array_get(tests, k), "score");
	}
	cr_assert_eq(gmax, 33);
	cr_assert_eq(gscore, score);
	cr_assert_eq(jint(j, "score"), score);
	json_decref(j);
	/* classroom: base64 of the runner result. */
	struct sh_result r = sh("base64 -d '%s/out.classroom'", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	cr_assert_eq(jint(j, "max_score"), 33);
	long cscore = 0;
	tests = json_object_get(j, "tests");
	for (size_t k = 0; k < json_array_size(tests); k++)
		cscore += jint(json_array_get(tests, k), "score");
	cr_assert_eq(cscore, score);
	json_decref(j);
	sh_free(&r);
	/* tap, human and autolab: their totals; human's PASS/FAIL lines add up to it. */
	char want[64];
	snprintf(want, sizeof want, "# total %ld/33\n", score);
	r = sh("cat '%s/out.tap'", dir);
	cr_assert_not_null(strstr(r.out, want), "%s", r.out);
	sh_free(&r);
	r = sh("awk '$1 == \"PASS\" || $1 == \"FAIL\" { split($2, p, \"/\"); s += p[1]; m += p[2] }"
	       " END { print s \"/\" m }' '%s/out.human'; grep '^total' '%s/out.human'", dir, dir);
	snprintf(want, sizeof want, "%ld/33\ntotal %ld/33", score, score);
	cr_assert_eq(strncmp(r.out, want, strlen(want)), 0, "%s", r.out);
	sh_free(&r);
	r = sh("tail -n 1 '%s/out.autolab'", dir);
	j = json_loads(r.out, 0, &e);
	cr_assert_not_null(j, "%s", r.out);
	json_t *scores = json_object_get(j, "scores");
	cr_assert_eq(jint(scores, "01-fork-return") + jint(scores, "04-process-tree"), score);
	json_decref(j);
	sh_free(&r);
	SH_OK("rm -rf '%s'", dir);
}

/* A hidden check is graded and counted; Gradescope shows it after the due date, the others
 * at once; the student's human report leaves it out (saying how many there are), forklab's JSON
 * marks it, and the instructor's report (batch) shows it. */
Test(assignment, hidden_checks, .timeout = 120)
{
	test_need_solutions();
	char dir[] = "/tmp/forklab-asg-XXXXXX", path[PATH_MAX], file[PATH_MAX + 32];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a.ini", dir);
	write_file(path, "[assignment]\nlabs = 01\n[lab 01]\nhidden = reaped exit\n");
	struct sh_result r = sh("$FORKLAB grade --assignment '%s' --labs solutions --format "
				"gradescope --output '%s/results.json'", path, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	sh_free(&r);
	snprintf(file, sizeof file, "%s/results.json", dir);
	json_error_t e;
	json_t *j = json_load_file(file, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	json_t *tests = json_object_get(j, "tests");
	cr_assert_eq(json_array_size(tests), 7);
	long max = 0;
	for (size_t k = 0; k < json_array_size(tests); k++) {
		json_t *t = json_array_get(tests, k);
		const char *name = json_string_value(json_object_get(t, "name"));
		bool hidden = strstr(name, " reaped:") || strstr(name, " exit:");
		cr_assert_str_eq(json_string_value(json_object_get(t, "visibility")),
				 hidden ? "after_due_date" : "visible", "%s", name);
		max += jint(t, "max_score");
	}
	cr_assert_eq(jint(j, "score"), max, "the hidden checks count");
	json_decref(j);
	/* The student's report: no line of the hidden checks, and they are said to be there. */
	r = sh("$FORKLAB grade --assignment '%s' --labs solutions", path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.out, " reaped:"), "%s", r.out);
	cr_assert_null(strstr(r.out, " exit:"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "PASS  2/2  child-line"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "score 7/7 (and 2 hidden checks worth 3 points, shown "
				  "after the deadline)"), "%s", r.out);
	sh_free(&r);
	r = sh("$FORKLAB grade --assignment '%s' --labs solutions --format json", path);
	j = json_loads(r.out, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	json_t *checks = json_object_get(json_array_get(json_object_get(j, "labs"), 0), "checks");
	for (size_t k = 0; k < json_array_size(checks); k++) {
		json_t *c = json_array_get(checks, k);
		const char *id = json_string_value(json_object_get(c, "id"));
		bool hidden = !strcmp(id, "reaped") || !strcmp(id, "exit");
		cr_assert_eq(json_is_true(json_object_get(c, "hidden")), hidden, "%s", id);
	}
	json_decref(j);
	sh_free(&r);
	SH_OK("rm -rf '%s'", dir);
}

/* ---- batch grading ---- */

static json_t *load(const char *dir, const char *name)
{
	char file[PATH_MAX + 64];
	json_error_t e;
	snprintf(file, sizeof file, "%s/%s", dir, name);
	json_t *j = json_load_file(file, 0, &e);
	cr_assert_not_null(j, "%s: %s", file, e.text);
	return j;
}

/* The CSV row of student (its line, without the name), malloc'd. */
static char *row(const char *csv, const char *student)
{
	char key[64];
	snprintf(key, sizeof key, "\n%s,", student);
	const char *s = strstr(csv, key);
	cr_assert_not_null(s, "no row %s in\n%s", student, csv);
	s += strlen(key);
	return strndup(s, strcspn(s, "\n"));
}

/* A class of five: the solutions as a folder and as a .tar.gz, the starter, one that does not
 * compile, one that hangs, and a file that is no archive. Every one is a row, with its reason
 * when it could not be graded; the reports hold the hidden check; --resume grades only the
 * one without a report; forklab gradebook rebuilds the same rows from the reports. */
Test(batch, a_class_into_a_gradebook, .timeout = 300)
{
	test_need_solutions();
	char dir[] = "/tmp/forklab-batch-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	write_file(strcat(strcpy((char[PATH_MAX]){0}, dir), "/a.ini"),
		   "[assignment]\nlabs = 01\n[lab 01]\nhidden = exit\nweight = 10\n");
	SH_OK("cd '%s' && mkdir -p subs/alice/labs subs/bob/labs subs/carol subs/dan && "
	      "cp -r '%s/solutions/01-fork-return' subs/alice/labs/ && "
	      "tar -C subs/alice -czf subs/eve.tar.gz labs && "
	      "cp -r '%s/labs/01-fork-return' subs/bob/labs/ && "
	      "cp -r '%s/solutions/01-fork-return' subs/carol/ && "
	      "echo 'int broken(void) { return }' >> subs/carol/01-fork-return/fork_return.c && "
	      "mkdir subs/dan/01-fork-return && "
	      "printf 'int main(void) { for (;;) ; }\\n' > subs/dan/01-fork-return/fork_return.c && "
	      "echo 'not a zip' > subs/zed.zip",
	      dir, test_root_dir(), test_root_dir(), test_root_dir());
	struct sh_result r = sh("$FORKLAB grade --batch '%s/subs' -j 2 --assignment '%s/a.ini' "
				"--output '%s/out'", dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	sh_free(&r);
	r = sh("cat '%s/out/gradebook.csv'", dir);
	char *csv = r.out;
	free(r.err);
	cr_assert_eq(strncmp(csv, "student,01-fork-return/one-fork,", 32), 0, "%s", csv);
	cr_assert_not_null(strstr(csv, ",01-fork-return/exit,01-fork-return,total,max,note\n"),
			   "%s", csv);
	cr_assert_eq(count_lines(csv), 7, "%s", csv);
	char *a = row(csv, "alice"), *e = row(csv, "eve"), *b = row(csv, "bob");
	char *c = row(csv, "carol"), *d = row(csv, "dan"), *z = row(csv, "zed");
	cr_assert(strstr(a, ",10,10,10,") && a[strlen(a) - 1] == ',', "%s", a);
	cr_assert_str_eq(e, a);
	cr_assert(strstr(b, ",10,") && !strstr(b, ",10,10,"), "the starter: %s", b);
	cr_assert_not_null(strstr(c, ",0,0,0,10,01-fork-return did not build"), "%s", c);
	cr_assert_not_null(strstr(d, "01-fork-return: scenario default stopped (timeout)"), "%s", d);
	cr_assert_not_null(strstr(z, ",0,,grade-submission: "), "%s", z);
	/* The instructor's reports: JSON and human, the hidden check in both. */
	char out[PATH_MAX + 8];
	snprintf(out, sizeof out, "%s/out", dir);
	json_t *j = load(out, "alice/report.json");
	cr_assert_eq(jint(j, "score"), 10);
	json_decref(j);
	SH_OK("grep -q 'PASS  1/1  exit: .* (hidden)' '%s/out/alice/report.txt' && "
	      "grep -q 'did not build' '%s/out/carol/report.txt' && test ! -e '%s/out/zed/report.json'"
	      " && test ! -e '%s/out/.build'", dir, dir, dir, dir);
	/* --resume: only bob (whose report is gone) and zed (never graded) are graded again. */
	SH_OK("cd '%s/out' && rm bob/report.txt && touch -d '2001-01-01' alice/report.json && "
	      "cp gradebook.csv ../first.csv", dir);
	r = sh("$FORKLAB grade --batch '%s/subs' --resume --assignment '%s/a.ini' --output '%s/out'",
	       dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	sh_free(&r);
	SH_OK("cd '%s' && test -f out/bob/report.txt && test -n \"$(find out/alice/report.json "
	      "! -newermt 2002-01-01)\" && cmp first.csv out/gradebook.csv", dir);
	/* forklab gradebook: the same rows from the reports alone (zed has none: no row). */
	r = sh("$FORKLAB gradebook '%s/out' | grep -v '^zed,'; grep -v '^zed,' '%s/out/gradebook.csv'",
	       dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	size_t half = strlen(r.out) / 2;
	cr_assert(strncmp(r.out, r.out + half, half) == 0, "%s", r.out);
	sh_free(&r);
	free(a); free(b); free(c); free(d); free(e); free(z);
	free(csv);
	SH_OK("rm -rf '%s'", dir);
}

/* The first progress line a terminal got that says "grading: <count> done", up to its end
 * (malloc'd), or NULL. */
static char *progress_line(const char *tty, const char *count)
{
	char key[64];
	snprintf(key, sizeof key, "grading: %s done", count);
	const char *s = strstr(tty, key);
	return s ? strndup(s, strcspn(s, "\r\n\033")) : NULL;
}

/* The seconds of a progress line's "about M:SS left", or -1 when it has none. */
static long time_left(const char *line)
{
	int m, s;
	const char *about = strstr(line, ", about ");
	if (!about || sscanf(about, ", about %d:%d left", &m, &s) != 2)
		return -1;
	return m * 60L + s;
}

/* Runs forklab grade --batch ARGS in dir with its stderr on a terminal; returns what the
 * terminal got (malloc'd). The batch must succeed. */
static char *batch_on_a_terminal(const char *dir, const char *const *args)
{
	const char *argv[16] = { test_build_path("forklab"), "grade", "--batch" };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int master, status;
	pid_t pid = test_spawn_on_pty(argv, dir, &master);
	char *tty = test_pty_drain(master, pid, 120, &status);
	cr_assert_eq(status, 0, "status %d:\n%s", status, tty);
	return tty;
}

/* The progress line: on a terminal only; done/total and not graded counted right, first and
 * last; no time left guessed before a student of this run is graded, and with --resume the
 * students kept count as done but not in the time per student: after one 2-second grading
 * (lab 01's limit, a program that loops) with two to go, about 4 s are left, not a third of
 * it. */
Test(batch, progress_line_on_a_terminal, .timeout = 240)
{
	test_need_solutions();
	char dir[] = "/tmp/forklab-batch-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	SH_OK("cd '%s' && mkdir -p subs/alice/labs subs/bob/labs && "
	      "cp -r '%s/solutions/01-fork-return' subs/alice/labs/ && "
	      "cp -r '%s/labs/01-fork-return' subs/bob/labs/ && echo 'not a zip' > subs/zed.zip",
	      dir, test_root_dir(), test_root_dir());
	struct sh_result r = sh("cd '%s' && $FORKLAB grade --batch subs --output out 01", dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.err, "grading: "), "no terminal, no progress line: %s", r.err);
	cr_assert_null(strchr(r.err, '\r'), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "/out/gradebook.csv\n"), "%s", r.err);
	sh_free(&r);

	char *tty = batch_on_a_terminal(dir, (const char *const[]){ "subs", "--output", "out-tty",
								      "01", NULL });
	char *first = progress_line(tty, "0/3"), *last = progress_line(tty, "3/3");
	cr_assert_not_null(first, "%s", tty);
	cr_assert_str_eq(first, "grading: 0/3 done, 0 not graded", "%s", tty);
	cr_assert_not_null(last, "%s", tty);
	cr_assert_str_eq(last, "grading: 3/3 done, 1 not graded", "%s", tty);
	cr_assert_not_null(strstr(tty, "/out-tty/gradebook.csv\r\n"), "%s", tty);
	free(first);
	free(last);
	free(tty);

	/* alice and bob kept; dan and eve loop until lab 01's 2 s limit; zed again, at once. */
	SH_OK("cd '%s' && mkdir -p subs/dan/01-fork-return && "
	      "printf 'int main(void) { for (;;) ; }\\n' > subs/dan/01-fork-return/fork_return.c && "
	      "cp -r subs/dan subs/eve", dir);
	tty = batch_on_a_terminal(dir, (const char *const[]){ "subs", "--resume", "--output", "out",
							      "01", NULL });
	first = progress_line(tty, "2/5");
	cr_assert_not_null(first, "%s", tty);
	cr_assert_str_eq(first, "grading: 2/5 done, 0 not graded", "no time left guessed yet: %s",
			 tty);
	char *after_dan = progress_line(tty, "3/5");
	cr_assert_not_null(after_dan, "%s", tty);
	cr_assert_geq(time_left(after_dan), 4, "%s", after_dan);
	last = progress_line(tty, "5/5");
	cr_assert_not_null(last, "%s", tty);
	cr_assert_str_eq(last, "grading: 5/5 done, 1 not graded", "%s", tty);
	free(first);
	free(after_dan);
	free(last);
	free(tty);
	SH_OK("test -f '%s/out/dan/report.json' && test -f '%s/out/eve/report.json'", dir, dir);
	SH_OK("rm -rf '%s'", dir);
}

/* Ctrl-C during a batch: the gradings under way (each in a process group of its own, which the
 * terminal's SIGINT does not reach) are stopped with it, and nothing of them is left running:
 * no grading script, no compiler, no student program (here two that spin until lab 01's
 * limit). forklab says how many students were graded and ends with status 2. (A background
 * job of sh ignores SIGINT: env gives it back its default, as at a terminal.) */
Test(batch, stopped_by_sigint_leaves_nothing_running, .timeout = 120)
{
	char dir[] = "/tmp/forklab-batch-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	SH_OK("cd '%s' && mkdir -p subs/dan/01-fork-return && "
	      "printf 'int main(void) { for (;;) ; }\\n' > subs/dan/01-fork-return/fork_return.c && "
	      "cp -r subs/dan subs/eve && cp -r subs/dan subs/fay", dir);
	struct sh_result r = sh(
		"cd '%s' && { env --default-signal=INT $FORKLAB grade --batch subs --output out -j 2 01 2>err & pid=$!; "
		"n=0; until ps -eo args= | grep -v grep | grep -q -F \"$PWD/out/\" && "
		"ps -eo args= | grep -q '[f]ork_return'; do "
		"n=$((n+1)); [ $n -lt 400 ] || { echo 'no grading started' >&2; exit 3; }; sleep 0.05; done; "
		"sleep 0.5; kill -INT $pid; wait $pid; echo \"status $?\"; sleep 0.2; "
		"ps -eo pid=,args= | grep -v grep | grep -F \"$PWD/\" || true; }", dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "status 2\n", "a grading outlived the batch:\n%s", r.out);
	sh_free(&r);
	r = sh("cat '%s/err'", dir);
	cr_assert_not_null(strstr(r.out, "forklab: grade --batch: stopped by SIGINT with 0 of 3 "
				      "students graded; nothing is left running"), "%s", r.out);
	sh_free(&r);
	SH_OK("rm -rf '%s'", dir);
}

/* Misuse is one line and status 2; a JSON file that is not a report is named. */
Test(batch, misuse)
{
	char dir[] = "/tmp/forklab-batch-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	const char *cases[] = {
		"$FORKLAB grade --batch /no/such/dir --output '%s/o'",
		"$FORKLAB grade --batch '%s' -j 0",
		"$FORKLAB grade --batch '%s' --output '%s/o' 99",
		"$FORKLAB grade --batch '%s' --output '%s/o'",          /* empty */
		"$FORKLAB gradebook /no/such/dir",
		"echo '{}' > '%s/x.json' && $FORKLAB gradebook '%s'",
		"$FORKLAB gradebook",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sh_result r = sh(cases[i], dir, dir);
		cr_assert_eq(r.status, 2, "case %zu: %d %s", i, r.status, r.err);
		cr_assert_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
		cr_assert_eq(strncmp(r.err, "forklab: ", 9), 0, "case %zu: %s", i, r.err);
		sh_free(&r);
	}
	SH_OK("rm -rf '%s'", dir);
}

/* ---- the students' repository ---- */

/* make handout with an assignment: the tree holds what students need and no solution (nor a
 * test program made from one); the hidden check is out of lab 01's check table, the points are
 * the assignment's; `make grade` in it builds forklab and gives the starter the scores it gets
 * here, ending with status 1 and no make error line; the test suite there skips what needs
 * solutions and passes; and the Classroom workflow's run steps, run as a runner runs them
 * (bash -e, GITHUB_OUTPUT; a sudo that runs the command as it is where there is none), report
 * the starter's points out of the assignment's. */
Test(handout, a_students_repository, .timeout = 900)
{
	test_need_solutions();
	char dir[] = "/tmp/forklab-handout-XXXXXX", asg[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(asg, sizeof asg, "%s/a.ini", dir);
	write_file(asg, "[assignment]\nlabs = 01 04\n[lab 01]\nhidden = reaped\npoints.exit = 3\n");
	SH_OK("FORKLAB_BUILD='%s' sh harness/tools/handout.sh '%s/handout' '%s'", test_build_dir(),
	      dir, asg);
	SH_OK("cd '%s/handout' && test -f Makefile && test -f README.md && test -d docs && "
	      "test -f labs/01-fork-return/fork_return.c && test -f harness/checks/lab01.c && "
	      "test -f .github/workflows/classroom.yml && cmp assignment.ini '%s' && "
	      "test ! -e solutions && test ! -e build && "
	      "tar -tzf ../handout.tar.gz | grep -qx 'handout/labs/01-fork-return/fork_return.c' && "
	      "! tar -tzf ../handout.tar.gz | grep -e solutions/ -e tests/labs/", dir, asg);
	/* No solution in it; the same search does find them in solutions/ itself. */
	struct sh_result r = sh("python3 harness/tests/scripts/handout_check.py solutions . '%s/handout'",
				dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	sh_free(&r);
	r = sh("python3 harness/tests/scripts/handout_check.py solutions . solutions");
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	sh_free(&r);
	/* Lab 01's check table: the visible checks, exit at 3 points; lab 02's as it was. */
	SH_OK("cd '%s/handout/labs' && grep -q '^| `exit` | 3 | both processes exit' "
	      "01-fork-return/README.md && ! grep -q '`reaped`' 01-fork-return/README.md && "
	      "grep -q '^| `one-fork` | 1 |' 01-fork-return/README.md && "
	      "cmp 02-getpid-pitfall/README.md '%s/labs/02-getpid-pitfall/README.md'",
	      dir, test_root_dir());
	/* make grade there, before anything is built (the make it runs builds forklab): the
	 * starter's scores, as graded here, and the grader's status, 1 (a check failed), without
	 * make's error line. */
	r = sh("$FORKLAB grade --assignment '%s' | grep '^total'", asg);
	char *want = r.out;
	free(r.err);
	cr_assert_not_null(strstr(want, "total "), "%s", want);
	r = sh("cd '%s/handout' && make -s -j2 grade; echo \"status $?\"", dir);
	cr_assert_not_null(strstr(r.out, want), "want %s in:\n%s%s", want, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "status 1\n"), "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.err, "***"), "%s", r.err);
	cr_assert_null(strstr(r.err, "Error"), "%s", r.err);
	cr_assert_null(strstr(r.out, " reaped:"), "%s", r.out);
	sh_free(&r);
	free(want);
	/* Its test suite: what needs solutions is skipped, the rest passes. */
	r = sh("cd '%s/handout' && make -s -j2 build/forklab-tests >../build.log 2>&1 && "
	       "env -i PATH=\"$PATH\" build/forklab-tests --filter 'lab01/*' --jobs 2 2>&1",
	       dir);   /* (not as a worker of this test's runner) */
	cr_assert_eq(r.status, 0, "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Tested: 1 | Passing: 1 | Failing: 0"), "%s", r.out);
	sh_free(&r);
	/* The workflow. */
	SH_OK("cd '%s' && python3 '%s/harness/tests/scripts/handout_check.py' workflow "
	      "handout/.github/workflows/classroom.yml > steps && mkdir bin && "
	      "printf '#!/bin/sh\\nexec \"$@\"\\n' > bin/sudo && chmod 755 bin/sudo && "
	      "test \"$(tr -cd '\\0' < steps | wc -c)\" -ge 2", dir, test_root_dir());
	r = sh("cd '%s/handout' && export GITHUB_OUTPUT=\"$PWD/../gh-output\" && "
	       "command -v sudo >/dev/null || PATH=\"$PWD/../bin:$PATH\"; "
	       "xargs -0 -n 1 bash -e -c < ../steps > ../steps.log && "
	       "sed -n 's/^result=//p' ../gh-output | base64 -d", dir);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	json_error_t e;
	json_t *j = json_loads(r.out, 0, &e);
	cr_assert_not_null(j, "%s: %s", e.text, r.out);
	sh_free(&r);
	r = sh("$FORKLAB checks --assignment '%s' | awk -F '\\t' '{ s += $3 } END { print s }'", asg);
	cr_assert_eq(jint(j, "max_score"), atol(r.out), "%s", r.out);
	sh_free(&r);
	cr_assert_str_eq(json_string_value(json_object_get(j, "status")), "fail");
	json_decref(j);
	SH_OK("rm -rf '%s'", dir);
}

/* make gradescope ASSIGNMENT=FILE: the zip grades by the assignment (its labs, its points, its
 * hidden check after the due date), run as Gradescope runs it (with the forklab built here). */
Test(assignment, gradescope_package, .timeout = 300)
{
	test_need_solutions();
	char dir[] = "/tmp/forklab-asg-XXXXXX", asg[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(asg, sizeof asg, "%s/a.ini", dir);
	write_file(asg, "[assignment]\nlabs = 01\n[lab 01]\nhidden = exit\nweight = 50\n");
	SH_OK("FORKLAB_ASSIGNMENT='%s' sh harness/tools/package.sh gradescope '%s/out' >/dev/null && "
	      "cd '%s' && mkdir -p ag/source ag/submission && cd ag/source && "
	      "unzip -q ../../out/forklab-autograder.zip && cmp forklab/assignment.ini '%s' && "
	      "cp '%s'/solutions/01-fork-return/* ../submission/ && "
	      "FORKLAB_AUTOGRADER='%s/ag' FORKLAB_BUILD='%s' sh run_autograder",
	      asg, dir, dir, asg, test_root_dir(), dir, test_build_dir());
	json_t *j = load(dir, "ag/results/results.json");
	json_t *tests = json_object_get(j, "tests");
	long max = 0;
	size_t hidden = 0;
	for (size_t k = 0; k < json_array_size(tests); k++) {
		json_t *t = json_array_get(tests, k);
		max += jint(t, "max_score");
		hidden += !strcmp(json_string_value(json_object_get(t, "visibility")), "after_due_date");
	}
	cr_assert_eq(max, 50);
	cr_assert_eq(jint(j, "score"), 50);
	cr_assert_eq(hidden, 1);
	json_decref(j);
	SH_OK("rm -rf '%s'", dir);
}

/* The --help texts name what this file tests. */
Test(batch, help_texts)
{
	const struct { const char *cmd, *words[6]; } cases[] = {
		{"$FORKLAB grade --help", {"--assignment FILE", "--batch DIR", "FORKLAB_ASSIGNMENT"}},
		{"$FORKLAB grade --batch x --help", {"-j, --jobs N", "--resume", "--timeout S",
						     "gradebook.csv", "report.json", "0 the gradebook"}},
		/* as grade --help says to ask for it: --help is not taken for the DIR */
		{"$FORKLAB grade --batch --help", {"-j, --jobs N", "--resume", "gradebook.csv"}},
		{"$FORKLAB gradebook --help", {"NAME/report.json", "NAME.json", "--output FILE"}},
		{"$FORKLAB checks --help", {"--assignment FILE", "visible or hidden"}},
		{"$FORKLAB --help", {"grade --batch DIR", "gradebook", "checks"}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sh_result r = sh("%s", cases[i].cmd);
		cr_assert_eq(r.status, 0, "%s: %s", cases[i].cmd, r.err);
		for (size_t k = 0; k < 6 && cases[i].words[k]; k++)
			cr_assert_not_null(strstr(r.out, cases[i].words[k]), "%s lacks %s:\n%s",
					   cases[i].cmd, cases[i].words[k], r.out);
		sh_free(&r);
	}
}
