/* test_report.c - every reporter on one fixed, hand-built result tree (test_grade_fixture.c):
 * compared with the golden files in harness/tests/golden/, and the machine formats read back by
 * what reads them (jansson, base64 + jansson, xmllint, Perl's prove).
 * FORKLAB_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (review the diff). */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "report.h"
#include "test_grade_fixture.h"
#include "testutil.h"

static struct lab_result *results;
static size_t nlabs;
static struct grade_report g;

static void setup(void)
{
	results = fx_results(&nlabs);
	g = (struct grade_report){.labs = results, .nlabs = nlabs, .seconds = 1.75};
}

static void teardown(void)
{
	fx_results_free(results, nlabs);
}

TestSuite(report, .init = setup, .fini = teardown);

/* The report in format name, as a malloc'd string. */
static char *render(const char *name, bool color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	const struct reporter *r = report_find(name);
	cr_assert_not_null(r, "no reporter %s", name);
	struct report_opts o = {.color = color};
	cr_assert_eq(r->fn(f, &g, &o), 0);
	cr_assert_eq(fclose(f), 0);
	return text;
}

/* harness/tests/golden/NAME, found from the test binary (build-dir/forklab-tests). */
static char *golden_path(const char *name)
{
	char *p = NULL;
	cr_assert_geq(asprintf(&p, "%s/harness/tests/golden/%s", test_root_dir(), name), 0);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s (FORKLAB_UPDATE_GOLDEN=1 creates it)", path,
			   strerror(errno));
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void golden(const char *name, const char *text)
{
	char *path = golden_path(name);
	if (getenv("FORKLAB_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		cr_assert_not_null(f, "%s: %s", path, strerror(errno));
		fputs(text, f);
		cr_assert_eq(fclose(f), 0);
	}
	char *want = slurp(path);
	cr_assert_str_eq(text, want, "%s differs from the golden file %s", name, path);
	free(want);
	free(path);
}

Test(report, every_format_is_registered_once)
{
	const char *names[] = {"human", "json", "gradescope", "junit", "tap", "classroom",
			       "autolab", "html"};
	size_t n = 0;
	while (reporters[n].name)
		n++;
	cr_assert_eq(n, 8);
	for (size_t i = 0; i < 8; i++) {
		cr_assert_not_null(report_find(names[i]));
		cr_assert_str_eq(report_find(names[i])->name, names[i]);
	}
	cr_assert_null(report_find("xml"));
	cr_assert_null(report_find(NULL));
}

Test(report, totals)
{
	int score, max;
	cr_assert_not(report_totals(&g, &score, &max));
	cr_assert_eq(score, 3);
	cr_assert_eq(max, 7);
}

Test(report, human_golden)
{
	char *text = render("human", false);
	golden("human.txt", text);
	cr_assert_null(strchr(text, '\033'));
	cr_assert_null(strchr(text, '\x01'), "a control byte reached the terminal");
	free(text);
}

Test(report, human_colour)
{
	char *text = render("human", true);
	cr_assert_not_null(strstr(text, "\033[32mPASS\033[0m"));
	cr_assert_not_null(strstr(text, "\033[31mFAIL\033[0m"));
	free(text);
}

/* The json golden with each run's record (the tracer's format) replaced by a placeholder. */
Test(report, json_golden_and_fields)
{
	char *text = render("json", false);
	json_error_t e;
	json_t *root = json_loads(text, 0, &e);
	cr_assert_not_null(root, "json: %s at line %d", e.text, e.line);
	cr_assert_eq(json_integer_value(json_object_get(root, "score")), 3);
	cr_assert_eq(json_integer_value(json_object_get(root, "max")), 7);
	cr_assert(json_is_false(json_object_get(root, "passed")));
	json_t *ls = json_object_get(root, "labs");
	cr_assert_eq(json_array_size(ls), 3);
	json_t *a = json_array_get(ls, 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "name")), "91-demo-tree");
	cr_assert_eq(json_integer_value(json_object_get(a, "score")), 3);
	json_t *reaped = json_array_get(json_object_get(a, "checks"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(reaped, "id")), "reaped");
	cr_assert(json_is_false(json_object_get(reaped, "passed")));
	cr_assert_not_null(strstr(json_string_value(json_object_get(reaped, "message")),
				  "<until> forklab & \"adopted\""));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(reaped, "scenarios"), 0)),
			 "default");
	json_t *runs = json_object_get(a, "runs");
	cr_assert_eq(json_array_size(runs), 2);
	json_t *rec = json_object_get(json_array_get(runs, 0), "record");
	cr_assert(json_is_object(rec), "the first run's record is missing");
	cr_assert_not_null(json_object_get(rec, "processes"));
	cr_assert(json_is_null(json_object_get(json_array_get(runs, 1), "record")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(runs, 1), "error")),
			 "cannot trace: ptrace is not permitted");
	json_t *b = json_array_get(ls, 1);
	cr_assert(json_is_false(json_object_get(b, "built")));
	cr_assert_not_null(strstr(json_string_value(json_object_get(b, "build_log")), "error:"));

	json_object_set_new(json_array_get(runs, 0), "record", json_string("<record>"));
	char *norm = json_dumps(root, JSON_INDENT(2));
	cr_assert_not_null(norm);
	char *withnl = NULL;
	cr_assert_geq(asprintf(&withnl, "%s\n", norm), 0);
	golden("json.json", withnl);
	free(withnl);
	free(norm);
	json_decref(root);
	free(text);
}

Test(report, gradescope_golden_and_fields)
{
	char *text = render("gradescope", false);
	golden("gradescope.json", text);
	json_error_t e;
	json_t *root = json_loads(text, 0, &e);
	cr_assert_not_null(root, "gradescope: %s", e.text);
	cr_assert_eq(json_integer_value(json_object_get(root, "score")), 3);
	cr_assert_null(json_object_get(root, "max_score"), "Gradescope has no top-level max_score");
	cr_assert_eq(json_integer_value(json_object_get(root, "execution_time")), 2);
	cr_assert(json_is_string(json_object_get(root, "output")));
	json_t *tests = json_object_get(root, "tests");
	cr_assert_eq(json_array_size(tests), 4);
	const char *status[] = {"passed", "failed", "failed", "failed"};
	const int score[] = {3, 0, 0, 0}, max[] = {3, 2, 1, 1};
	for (size_t i = 0; i < 4; i++) {
		json_t *t = json_array_get(tests, i);
		cr_assert_str_eq(json_string_value(json_object_get(t, "status")), status[i]);
		cr_assert_eq(json_integer_value(json_object_get(t, "score")), score[i]);
		cr_assert_eq(json_integer_value(json_object_get(t, "max_score")), max[i]);
		cr_assert_str_eq(json_string_value(json_object_get(t, "visibility")), "visible");
		cr_assert(json_is_string(json_object_get(t, "name")));
		cr_assert(json_is_string(json_object_get(t, "number")));
		cr_assert(json_is_string(json_object_get(t, "output")));
	}
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(tests, 0), "name")),
			 "91-demo-tree shape: the exact shape of the tree");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(tests, 3), "number")),
			 "92.1");
	json_decref(root);
	free(text);
}

static char *b64_decode(const char *s)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s);
	char *out = calloc(n, 1), *o = out;
	unsigned v = 0;
	int bits = 0;
	cr_assert_not_null(out);
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr(al, s[i]);
		cr_assert_not_null(p, "not base64: %c", s[i]);
		v = v << 6 | (unsigned)(p - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)(v >> bits & 0xff);
		}
	}
	return out;
}

Test(report, classroom_is_one_base64_line_of_the_runner_result)
{
	char *text = render("classroom", false);
	golden("classroom.txt", text);
	size_t len = strlen(text);
	cr_assert_eq(text[len - 1], '\n');
	cr_assert_null(memchr(text, '\n', len - 1), "more than one line");
	text[len - 1] = '\0';
	char *decoded = b64_decode(text);
	json_error_t e;
	json_t *root = json_loads(decoded, 0, &e);
	cr_assert_not_null(root, "classroom: %s", e.text);
	cr_assert_eq(json_integer_value(json_object_get(root, "version")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(root, "status")), "fail");
	cr_assert_eq(json_integer_value(json_object_get(root, "max_score")), 7);
	json_t *tests = json_object_get(root, "tests");
	cr_assert_eq(json_array_size(tests), 4);
	const char *status[] = {"pass", "fail", "error", "error"};
	json_int_t sum = 0;
	for (size_t i = 0; i < 4; i++) {
		json_t *t = json_array_get(tests, i);
		cr_assert_str_eq(json_string_value(json_object_get(t, "status")), status[i]);
		cr_assert(json_is_string(json_object_get(t, "name")));
		cr_assert(json_is_string(json_object_get(t, "message")));
		sum += json_integer_value(json_object_get(t, "score"));
	}
	/* The reporter shows sum(tests[].score) / max_score. */
	cr_assert_eq(sum, 3);
	json_decref(root);
	free(decoded);
	free(text);
}

Test(report, autolab_last_line_is_the_scores)
{
	char *text = render("autolab", false);
	golden("autolab.txt", text);
	size_t len = strlen(text);
	cr_assert_eq(text[len - 1], '\n');
	text[len - 1] = '\0';
	const char *last = strrchr(text, '\n') + 1;
	json_error_t e;
	json_t *root = json_loads(last, 0, &e);
	cr_assert_not_null(root, "autolab: %s", e.text);
	json_t *scores = json_object_get(root, "scores");
	cr_assert_eq(json_object_size(scores), 3);
	cr_assert_eq(json_integer_value(json_object_get(scores, "91-demo-tree")), 3);
	cr_assert_eq(json_integer_value(json_object_get(scores, "92-broken")), 0);
	json_t *board = json_object_get(root, "scoreboard");
	cr_assert_eq(json_array_size(board), 4);
	cr_assert_eq(json_integer_value(json_array_get(board, 0)), 3);
	json_decref(root);
	free(text);
}

Test(report, junit_golden_and_well_formed)
{
	char *text = render("junit", false);
	golden("junit.xml", text);
	cr_assert_null(strchr(text, '\x01'), "a byte XML 1.0 forbids was kept");
	cr_assert_not_null(strstr(text, "&lt;until&gt; forklab &amp; &quot;adopted&quot;"));
	int st;
	char *out = test_pipe_through("xmllint --noout", text, &st);
	cr_assert_eq(st, 0, "xmllint: %s", out);
	free(out);
	out = test_pipe_through("xmllint --xpath 'count(//testcase)'", text, &st);
	cr_assert_str_eq(out, "4");
	free(out);
	out = test_pipe_through("xmllint --xpath 'string(//testcase[@classname=\"91-demo-tree\"]"
			   "[2]/failure/@message)'", text, &st);
	cr_assert_str_eq(out, "P.1 (pid 4243) exited without waiting for P.1.1 (pid 4244);");
	free(out);
	out = test_pipe_through("xmllint --xpath 'count(//testcase[@classname=\"91-demo-tree\"]"
			   "[2]/system-out)'", text, &st);
	cr_assert_str_eq(out, "1");
	free(out);
	free(text);
}

Test(report, tap_golden_and_read_by_prove)
{
	char *text = render("tap", false);
	golden("tap.txt", text);
	cr_assert_eq(strncmp(text, "TAP version 13\n1..4\n", 20), 0);
	int st;
	char *out = test_pipe_through("prove -v --exec cat", text, &st);
	cr_assert_eq(st, 1, "prove should fail the stream: %s", out);
	cr_assert_not_null(strstr(out, "Failed 3/4 subtests"), "prove said: %s", out);
	cr_assert_null(strstr(out, "Parse errors"), "prove said: %s", out);
	free(out);
	free(text);

	/* All passed: prove is satisfied. */
	for (size_t i = 0; i < nlabs; i++)
		for (size_t j = 0; j < results[i].nchecks; j++)
			results[i].checks[j].passed = true;
	text = render("tap", false);
	out = test_pipe_through("prove --exec cat", text, &st);
	cr_assert_eq(st, 0, "prove: %s", out);
	cr_assert_not_null(strstr(out, "All tests successful"), "prove said: %s", out);
	cr_assert_not_null(strstr(out, "Tests=4"), "prove said: %s", out);
	free(out);
	free(text);
}

/* Whatever bytes a program printed or a verdict quotes, every format stays valid. */
Test(report, hostile_bytes_keep_every_format_valid)
{
	free(results[0].checks[1].message);
	results[0].checks[1].message = strdup("bad \xff\xc3( bytes \x1b[31mred\x1b[0m ]]> \xed\xa0\x80 end");
	free(results[1].build_log);
	results[1].build_log = strdup("b.c:1:1: error: \xfe\x01\x02\n");
	struct rec_buf *out = &results[0].runs[0].rec->out;
	out->data[0] = '\xff';
	out->data[1] = '\0';

	char *text = render("human", false);
	cr_assert_null(strchr(text, '\033'), "an escape sequence reached the terminal");
	free(text);

	const char *jsons[] = {"json", "gradescope", "autolab"};
	for (size_t i = 0; i < 3; i++) {
		text = render(jsons[i], false);
		const char *j = text;
		if (i == 2) {
			/* The scores line is the last line. */
			text[strlen(text) - 1] = '\0';
			j = strrchr(text, '\n') + 1;
		}
		json_error_t e;
		/* JSON allows \u0000 (the record keeps a NUL a program wrote); jansson wants a flag. */
		json_t *root = json_loads(j, JSON_ALLOW_NUL, &e);
		cr_assert_not_null(root, "%s: %s", jsons[i], e.text);
		json_decref(root);
		free(text);
	}
	text = render("classroom", false);
	text[strlen(text) - 1] = '\0';
	char *decoded = b64_decode(text);
	json_error_t e;
	json_t *root = json_loads(decoded, 0, &e);
	cr_assert_not_null(root, "classroom: %s", e.text);
	json_decref(root);
	free(decoded);
	free(text);

	int st;
	text = render("junit", false);
	char *res = test_pipe_through("xmllint --noout", text, &st);
	cr_assert_eq(st, 0, "xmllint: %s", res);
	free(res);
	free(text);

	text = render("tap", false);
	res = test_pipe_through("prove -v --exec cat", text, &st);
	cr_assert_null(strstr(res, "Parse errors"), "prove said: %s", res);
	cr_assert_not_null(strstr(res, "Failed 3/4 subtests"), "prove said: %s", res);
	free(res);
	free(text);
}

/* A verdict's first line is a JUnit attribute, where newlines become character references
 * through a private mark byte (\x01): the same byte in the text (a program printed it) must
 * neither become a reference nor, at the end, send the writer past the text. Found by
 * fuzz_reports (harness/fuzz/corpus/reports/regress-junit-attr-mark). */
Test(report, junit_attribute_with_mark_bytes)
{
	free(results[0].checks[1].message);
	results[0].checks[1].message = strdup("printed \x01n and \x01");
	cr_assert_not_null(results[0].checks[1].message);
	char *text = render("junit", false);
	cr_assert_not_null(strstr(text, "message=\"printed n and \""),
			   "the failure's message attribute is wrong:\n%s", text);
	int st;
	char *res = test_pipe_through("xmllint --noout", text, &st);
	cr_assert_eq(st, 0, "xmllint: %s", res);
	free(res);
	free(text);
}
