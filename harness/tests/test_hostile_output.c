/* test_hostile_output.c - a program that prints imitations of forklab's verdicts and of every
 * report format (a score line, a results.json, JUnit XML, TAP results, Classroom and Autolab
 * lines) and terminal escape sequences (progs/bad_fake_report): graded as lab 01, it scores
 * exactly what a program that prints nothing scores, every format still parses in its
 * consumer, and nothing a person reads carries its escape sequences. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "testutil.h"

/* `forklab grade --bin PROG --format FMT 01`: its stdout (malloc'd). */
static char *grade_as(const char *prog, const char *fmt)
{
	char *argv[] = { (char *)test_build_path("forklab"), "grade", "--bin", (char *)prog,
			 "--format", (char *)fmt, "01", NULL };
	char *out, *err;
	int st = test_run_capture(argv, &out, &err);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "forklab grade --format %s: status %d: %s",
		  fmt, st, err);
	free(err);
	return out;
}

static json_int_t json_score(const char *text, const char *key)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &e);
	cr_assert_not_null(j, "not JSON (%s): %s", e.text, text);
	json_t *v = json_object_get(j, key);
	cr_assert(json_is_number(v), "no \"%s\" in %s", key, text);
	json_int_t n = (json_int_t)json_number_value(v);
	json_decref(j);
	return n;
}

/* The start of the last line of s (which ends with a newline). */
static const char *last_line(const char *s)
{
	const char *end = s + strlen(s);
	if (end > s && end[-1] == '\n')
		end--;
	while (end > s && end[-1] != '\n')
		end--;
	return end;
}

static const char *fake(void)
{
	return test_prog("bad_fake_report");
}

Test(hostile_output, json_and_gradescope_scores_unchanged, .timeout = 60)
{
	char *quiet = grade_as("/bin/true", "json"), *loud = grade_as(fake(), "json");
	cr_assert_eq(json_score(loud, "score"), json_score(quiet, "score"));
	free(quiet);
	free(loud);
	quiet = grade_as("/bin/true", "gradescope");
	loud = grade_as(fake(), "gradescope");
	cr_assert_eq(json_score(loud, "score"), json_score(quiet, "score"));
	free(quiet);
	free(loud);
}

Test(hostile_output, autolab_scores_line_is_forklabs, .timeout = 60)
{
	char *quiet = grade_as("/bin/true", "autolab"), *loud = grade_as(fake(), "autolab");
	/* Autolab reads the last line. */
	const char *lq = last_line(quiet), *ll = last_line(loud);
	cr_assert_eq(strncmp(lq, "{\"scores\":", 10), 0, "%s", quiet);
	cr_assert_str_eq(ll, lq, "Autolab's last line differs:\n%s", loud);
	free(quiet);
	free(loud);
}

Test(hostile_output, junit_and_tap_parse, .timeout = 60)
{
	int st;
	char *xml = grade_as(fake(), "junit");
	char *res = test_pipe_through("xmllint --noout", xml, &st);
	cr_assert_eq(st, 0, "xmllint: %s", res);
	free(res);
	res = test_pipe_through("xmllint --xpath 'count(//testcase)'", xml, &st);
	char *quiet = grade_as("/bin/true", "junit");
	char *res_q = test_pipe_through("xmllint --xpath 'count(//testcase)'", quiet, &st);
	cr_assert_str_eq(res, res_q, "the program's XML added test cases");
	free(res);
	free(res_q);
	free(quiet);
	free(xml);

	char *tap = grade_as(fake(), "tap");
	res = test_pipe_through("prove -v --exec cat", tap, &st);
	cr_assert_null(strstr(res, "Parse errors"), "prove: %s", res);
	quiet = grade_as("/bin/true", "tap");
	res_q = test_pipe_through("prove -v --exec cat", quiet, &st);
	const char *a = strstr(res, "Failed "), *b = strstr(res_q, "Failed ");
	cr_assert(a && b, "prove: %s", res);
	cr_assert_eq(strncmp(a, b, strcspn(b, "\n")), 0, "TAP results differ:\n%s\n---\n%s", res,
		     res_q);
	free(res);
	free(res_q);
	free(quiet);
	free(tap);
}

Test(hostile_output, classroom_is_one_base64_line, .timeout = 60)
{
	char *out = grade_as(fake(), "classroom");
	size_t n = strlen(out);
	cr_assert(n > 1 && out[n - 1] == '\n' && strchr(out, '\n') == out + n - 1,
		  "not one line: %s", out);
	cr_assert_eq(strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
		     n - 1, "not base64: %s", out);
	int st;
	char *json = test_pipe_through("base64 -d", out, &st);
	cr_assert_eq(st, 0);
	char *quiet = grade_as("/bin/true", "classroom");
	char *json_q = test_pipe_through("base64 -d", quiet, &st);
	/* the runner result's status and max score are forklab's, not the program's */
	json_error_t e;
	json_t *j = json_loads(json, 0, &e), *jq = json_loads(json_q, 0, &e);
	cr_assert(j && jq, "classroom JSON does not parse: %s", json);
	cr_assert_str_eq(json_string_value(json_object_get(j, "status")),
			 json_string_value(json_object_get(jq, "status")));
	json_decref(j);
	json_decref(jq);
	free(json);
	free(json_q);
	free(quiet);
	free(out);
}

/* What a person reads: the human report and forklab run's tree carry no escape byte. */
Test(hostile_output, terminal_sees_no_escape_sequence, .timeout = 60)
{
	char *human = grade_as(fake(), "human");
	cr_assert_null(strchr(human, '\x1b'), "the human report passes an escape on:\n%s", human);
	cr_assert_null(strchr(human, '\r'));
	cr_assert_null(strchr(human, '\b'));
	free(human);
	char *argv[] = { (char *)test_build_path("forklab"), "run", "--output", "/dev/stdout",
			 "--", (char *)fake(), NULL };
	char *out, *err;
	int st = test_run_capture(argv, &out, &err);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "forklab run: %d %s", st, err);
	cr_assert_not_null(strstr(out, "exited 0"), "%s", out);
	cr_assert_null(strchr(out, '\x1b'), "the tree passes an escape on:\n%s", out);
	free(out);
	free(err);
	/* --output to a device writes to it: /dev/stdout is still the link it was */
	struct stat ls;
	cr_assert(lstat("/dev/stdout", &ls) == 0 && S_ISLNK(ls.st_mode),
		  "forklab replaced /dev/stdout");
}
