/* report_json.c - the JSON reporters, all made with jansson: forklab's own (json), Gradescope's
 * results.json, GitHub Classroom's base64 runner result, and Autolab's scores line. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_util.h"

/* A JSON string for any bytes (invalid UTF-8 becomes U+FFFD), or null for NULL. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	char *clean = rep_utf8(s, strlen(s));
	json_t *j = clean ? json_string(clean) : NULL;
	free(clean);
	return j ? j : json_null();
}

/* Writes j (taking it) followed by a newline. */
static int dump(FILE *out, json_t *j, size_t flags)
{
	if (!j)
		return -1;
	int rc = json_dumpf(j, out, flags);
	json_decref(j);
	if (rc < 0)
		return -1;
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

static json_t *args_json(const struct scenario *sc)
{
	json_t *a = json_array();
	for (size_t i = 0; sc && sc->args && sc->args[i]; i++)
		json_array_append_new(a, jstr(sc->args[i]));
	return a;
}

/* ---- json: forklab's own ---- */

static json_t *check_json(const struct lab_result *lr, const struct check_result *cr)
{
	json_t *o = json_object(), *used = json_array();
	json_object_set_new(o, "id", jstr(cr->check->id));
	json_object_set_new(o, "title", jstr(cr->check->title));
	json_object_set_new(o, "section", jstr(cr->check->section));
	json_object_set_new(o, "points", json_integer(cr->check->points));
	json_object_set_new(o, "score", json_integer(cr->score));
	json_object_set_new(o, "passed", json_boolean(cr->passed));
	json_object_set_new(o, "error", json_boolean(cr->error));
	json_object_set_new(o, "hidden", json_boolean(cr->hidden));
	json_object_set_new(o, "message", jstr(cr->message));
	for (size_t i = 0; cr->runs_used && i < lr->nruns; i++)
		if (cr->runs_used[i] && lr->runs[i].sc)
			json_array_append_new(used, jstr(lr->runs[i].sc->id));
	json_object_set_new(o, "scenarios", used);
	return o;
}

static json_t *run_json(const struct run *run)
{
	json_t *o = json_object();
	json_object_set_new(o, "scenario", jstr(run->sc ? run->sc->id : NULL));
	json_object_set_new(o, "args", args_json(run->sc));
	json_object_set_new(o, "error", jstr(run->error));
	json_t *rec = run->rec ? record_to_jansson(run->rec) : NULL;
	json_object_set_new(o, "record", rec ? rec : json_null());
	return o;
}

static json_t *lab_json(const struct lab_result *lr)
{
	json_t *o = json_object(), *checks = json_array(), *runs = json_array();
	json_object_set_new(o, "number", json_integer(lr->lab->number));
	json_object_set_new(o, "name", jstr(lr->lab->name));
	json_object_set_new(o, "title", jstr(lr->lab->title));
	json_object_set_new(o, "score", json_integer(lr->score));
	json_object_set_new(o, "max", json_integer(lr->max));
	json_object_set_new(o, "built", json_boolean(lr->built));
	json_object_set_new(o, "build_log", jstr(lr->build_log));
	json_object_set_new(o, "bin", jstr(lr->bin));
	json_object_set_new(o, "seconds", json_real(lr->seconds));
	for (size_t i = 0; i < lr->nchecks; i++)
		json_array_append_new(checks, check_json(lr, &lr->checks[i]));
	for (size_t i = 0; i < lr->nruns; i++)
		json_array_append_new(runs, run_json(&lr->runs[i]));
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "runs", runs);
	return o;
}

int report_json(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	int score, max;
	(void)o;
	bool all = report_totals(g, &score, &max);
	json_t *root = json_object(), *labs = json_array();
	json_object_set_new(root, "forklab", json_integer(1));
	json_object_set_new(root, "score", json_integer(score));
	json_object_set_new(root, "max", json_integer(max));
	json_object_set_new(root, "passed", json_boolean(all));
	json_object_set_new(root, "seconds", json_real(g->seconds));
	json_object_set_new(root, "note", jstr(g->note));
	for (size_t i = 0; i < g->nlabs; i++)
		json_array_append_new(labs, lab_json(&g->labs[i]));
	json_object_set_new(root, "labs", labs);
	return dump(out, root, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
}

/* ---- gradescope ---- */

/* Seconds rounded up: Gradescope shows execution_time as a whole number. */
static json_int_t whole_seconds(double s)
{
	json_int_t w = (json_int_t)s;
	return (double)w < s ? w + 1 : w;
}

/* The summary shown above the tests: the note, the scores, and the compiler's message of a lab
 * that did not build (its tests only quote the first error line). */
static char *gradescope_output(const struct grade_report *g)
{
	struct tbuf b = {0};
	int score = 0, max = 0, nhidden = 0;
	for (size_t i = 0; i < g->nlabs; i++) {
		int s, m, nh, hm;
		report_visible_totals(&g->labs[i], &s, &m, &nh, &hm);
		score += s;
		max += m;
		nhidden += nh;
	}
	if (g->note)
		tb_printf(&b, "%s\n\n", g->note);
	/* The scores of the visible checks only: a hidden check's result waits for the deadline. */
	tb_printf(&b, "forklab: %d/%d points", score, max);
	if (nhidden)
		tb_printf(&b, " (and %d hidden check%s, shown after the deadline)", nhidden,
			  nhidden == 1 ? "" : "s");
	tb_str(&b, "\n");
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		int s, m, nh, hm;
		report_visible_totals(lr, &s, &m, &nh, &hm);
		tb_printf(&b, "%s: %d/%d", lr->lab->name, s, m);
		if (lr->lab->nchecks == 0)
			tb_str(&b, " (no checks yet)");
		else if (!lr->built)
			tb_printf(&b, " (did not build)\n%s", lr->build_log ? lr->build_log : "");
		if (b.len && b.s[b.len - 1] != '\n')
			tb_str(&b, "\n");
	}
	return tb_take(&b);
}

/* What the program printed in a test's output, per scenario and stream. */
#define GRADESCOPE_OUTPUT_MAX (4 * 1024)

/* A test's output: its verdict, the compiler's warnings, and what the program printed in the
 * scenarios the check read (each stream cut at GRADESCOPE_OUTPUT_MAX), as the human report and
 * JUnit show them. */
static char *gradescope_test_output(const struct lab_result *lr, const struct check_result *cr)
{
	struct tbuf b = {0};
	tb_add(&b, "", 0);
	if (!cr->passed)
		tb_printf(&b, "%s\n", cr->message ? cr->message : "failed");
	if (lr->built && lr->build_log)
		tb_printf(&b, "%scompiler warnings (fix them: they often point at the bug):\n%s%s",
			  b.len ? "\n" : "", lr->build_log,
			  lr->build_log[0] && lr->build_log[strlen(lr->build_log) - 1] == '\n' ? "" : "\n");
	char *printed = lr->nruns ? rep_check_output(lr, cr, GRADESCOPE_OUTPUT_MAX) : NULL;
	if (printed && *printed)
		tb_printf(&b, "%s%s", b.len ? "\n" : "", printed);
	free(printed);
	return tb_take(&b);
}

int report_gradescope(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	int score, max;
	(void)o;
	report_totals(g, &score, &max);
	json_t *root = json_object(), *tests = json_array();
	char *summary = gradescope_output(g);
	json_object_set_new(root, "score", json_integer(score));
	json_object_set_new(root, "execution_time", json_integer(whole_seconds(g->seconds)));
	json_object_set_new(root, "output", jstr(summary ? summary : ""));
	free(summary);
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		for (size_t j = 0; j < lr->nchecks; j++) {
			const struct check_result *cr = &lr->checks[j];
			json_t *t = json_object();
			char *name = rep_test_name(lr, cr), number[32];
			snprintf(number, sizeof number, "%d.%zu", lr->lab->number, j + 1);
			json_object_set_new(t, "name", jstr(name));
			free(name);
			json_object_set_new(t, "number", json_string(number));
			json_object_set_new(t, "score", json_integer(cr->score));
			json_object_set_new(t, "max_score", json_integer(cr->check->points));
			json_object_set_new(t, "status", json_string(cr->passed ? "passed" : "failed"));
			char *text = gradescope_test_output(lr, cr);
			json_object_set_new(t, "output", jstr(text ? text : ""));
			free(text);
			json_object_set_new(t, "visibility", json_string(cr->hidden ? "after_due_date"
										    : "visible"));
			json_array_append_new(tests, t);
		}
	}
	json_object_set_new(root, "tests", tests);
	return dump(out, root, JSON_INDENT(2));
}

/* ---- classroom ---- */

/* The runner result GitHub Classroom's autograding-grading-reporter decodes: one step that
 * reports every check, with partial scores (it adds tests[].score and compares to max_score). */
int report_classroom(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	int score, max;
	bool failed = false, errored = false;
	(void)o;
	report_totals(g, &score, &max);
	json_t *root = json_object(), *tests = json_array();
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		for (size_t j = 0; j < lr->nchecks; j++) {
			const struct check_result *cr = &lr->checks[j];
			const char *status = cr->passed ? "pass" : cr->error ? "error" : "fail";
			json_t *t = json_object();
			char *name = rep_test_name(lr, cr);
			failed |= !cr->passed && !cr->error;
			errored |= !cr->passed && cr->error;
			json_object_set_new(t, "name", jstr(name));
			free(name);
			json_object_set_new(t, "status", json_string(status));
			json_object_set_new(t, "score", json_integer(cr->score));
			json_object_set_new(t, "message", jstr(cr->passed ? "" : cr->message));
			json_object_set_new(t, "test_code", jstr(""));
			json_object_set_new(t, "filename", jstr(lr->lab->name));
			json_object_set_new(t, "line_no", json_integer(0));
			json_object_set_new(t, "duration", json_integer(0));
			json_array_append_new(tests, t);
		}
	}
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "status",
			    json_string(failed ? "fail" : errored ? "error" : "pass"));
	json_object_set_new(root, "max_score", json_integer(max));
	json_object_set_new(root, "tests", tests);
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return -1;
	char *b64 = rep_base64(text, strlen(text));
	free(text);
	if (!b64)
		return -1;
	fprintf(out, "%s\n", b64);
	free(b64);
	return ferror(out) ? -1 : 0;
}

/* ---- autolab ---- */

/* The human report for the student, then Autolab's last line: a score per lab (the problem
 * names to declare in Autolab are the lab names) and a scoreboard of the total then each lab. */
int report_autolab(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	struct report_opts plain = {.color = false, .show_hidden = o && o->show_hidden};
	int score, max;
	if (report_human(out, g, &plain) < 0)
		return -1;
	report_totals(g, &score, &max);
	json_t *root = json_object(), *scores = json_object(), *board = json_array();
	json_array_append_new(board, json_integer(score));
	for (size_t i = 0; i < g->nlabs; i++) {
		json_object_set_new(scores, g->labs[i].lab->name, json_integer(g->labs[i].score));
		json_array_append_new(board, json_integer(g->labs[i].score));
	}
	json_object_set_new(root, "scores", scores);
	json_object_set_new(root, "scoreboard", board);
	return dump(out, root, JSON_COMPACT);
}
