/* report.c - the reporters' table, the totals, and the text reporters: human (a student's
 * terminal), tap (TAP version 13 for prove and CI) and autolab (human text, then the scores). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_util.h"

const struct reporter reporters[] = {
	{"human", report_human, "per lab a line per check, verdicts under failures (default)"},
	{"json", report_json, "forklab's own: every check and every run's full record"},
	{"gradescope", report_gradescope, "results.json as Gradescope's autograder reads it"},
	{"junit", report_junit, "JUnit XML: a testsuite per lab, a testcase per check"},
	{"tap", report_tap, "TAP version 13: a test point per check"},
	{"classroom", report_classroom, "one base64 line for GitHub Classroom's grading reporter"},
	{"autolab", report_autolab, "the human report, then Autolab's scores as the last line"},
	{"html", report_html, "one page: verdicts, and each failed check's run as pictures"},
	{NULL, NULL, NULL},
};

const struct reporter *report_find(const char *name)
{
	for (size_t i = 0; name && reporters[i].name; i++)
		if (strcmp(reporters[i].name, name) == 0)
			return &reporters[i];
	return NULL;
}

bool report_totals(const struct grade_report *g, int *score, int *max)
{
	bool all = true;
	*score = *max = 0;
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		*score += lr->score;
		*max += lr->max;
		for (size_t j = 0; j < lr->nchecks; j++)
			all &= lr->checks[j].passed;
	}
	return all;
}

/* ---- human ---- */

#define WRAP 100

struct style {
	const char *pass, *fail, *bold, *dim, *off;
};

static const struct style plain_style = {"", "", "", "", ""};
static const struct style color_style = {"\033[32m", "\033[31m", "\033[1m", "\033[2m", "\033[0m"};

/* Writes s[0..n) with control bytes (a student's escape sequences) shown as '?'. */
static void put_clean(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		fputc(c < 0x20 && c != '\t' ? '?' : c == 0x7f ? '?' : c, out);
	}
}

/* Writes text indented by `indent` spaces, each line of it wrapped at WRAP columns. */
static void put_wrapped(FILE *out, const char *text, int indent)
{
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		size_t width = WRAP - (size_t)indent;
		while (len > width) {
			size_t cut = width;
			while (cut > width / 2 && s[cut] != ' ')
				cut--;
			if (s[cut] != ' ')
				cut = width;
			fprintf(out, "%*s", indent, "");
			put_clean(out, s, cut);
			fputc('\n', out);
			if (s[cut] == ' ')
				cut++;
			s += cut;
			len -= cut;
		}
		fprintf(out, "%*s", indent, "");
		put_clean(out, s, len);
		fputc('\n', out);
		s += len;
		if (*s == '\n')
			s++;
	}
}

/* The first max_lines lines of a compiler log, indented. */
static void put_log(FILE *out, const char *log, int indent, int max_lines)
{
	const char *s = log;
	int n = 0;
	while (*s && n < max_lines) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		fprintf(out, "%*s", indent, "");
		put_clean(out, s, len);
		fputc('\n', out);
		s += len + (nl != NULL);
		n++;
	}
	if (*s)
		fprintf(out, "%*s[...]\n", indent, "");
}

static void human_lab(FILE *out, const struct lab_result *lr, const struct style *st)
{
	fprintf(out, "%s%s%s: %s\n", st->bold, lr->lab->name, st->off,
		lr->lab->title ? lr->lab->title : "");
	if (lr->lab->nchecks == 0) {
		fprintf(out, "  (no checks yet)\n\n");
		return;
	}
	if (!lr->built) {
		fprintf(out, "  %sthe program did not build:%s\n", st->fail, st->off);
		put_log(out, lr->build_log ? lr->build_log : "(no message)", 4, 20);
	} else if (lr->build_log) {
		fprintf(out, "  compiler warnings (fix them: they often point at the bug):\n");
		put_log(out, lr->build_log, 4, 20);
	}
	for (size_t i = 0; i < lr->nchecks; i++) {
		const struct check_result *cr = &lr->checks[i];
		fprintf(out, "  %s%s%s %2d/%-2d %s: %s\n", cr->passed ? st->pass : st->fail,
			cr->passed ? "PASS" : "FAIL", st->off, cr->score, cr->check->points,
			cr->check->id, cr->check->title ? cr->check->title : "");
		if (!cr->passed && cr->message)
			put_wrapped(out, cr->message, 12);
	}
	fprintf(out, "  %sscore %d/%d%s\n\n", st->bold, lr->score, lr->max, st->off);
}

int report_human(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	const struct style *st = o && o->color ? &color_style : &plain_style;
	int score, max;
	bool all = report_totals(g, &score, &max);
	for (size_t i = 0; i < g->nlabs; i++)
		human_lab(out, &g->labs[i], st);
	fprintf(out, "%stotal %d/%d%s%s\n", st->bold, score, max, st->off,
		all ? "" : "  (make grade LAB=NN grades one lab; the README of each lab explains "
			   "its checks)");
	return ferror(out) ? -1 : 0;
}

/* ---- tap ---- */

/* A test point's description: '#' would start a directive, so it is escaped. */
static void tap_desc(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '#' || c == '\\')
			fputc('\\', out);
		fputc(c < 0x20 ? ' ' : c, out);
	}
}

/* A YAML block scalar line by line, control bytes shown as '?'. */
static void tap_block(FILE *out, const char *key, const char *text)
{
	fprintf(out, "  %s: |\n", key);
	const char *s = text;
	do {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		fputs("    ", out);
		put_clean(out, s, len);
		fputc('\n', out);
		s += len + (nl != NULL);
	} while (*s);
}

int report_tap(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	size_t n = 0, k = 0;
	int score, max;
	(void)o;
	report_totals(g, &score, &max);
	for (size_t i = 0; i < g->nlabs; i++)
		n += g->labs[i].nchecks;
	fprintf(out, "TAP version 13\n");
	if (n == 0)
		fprintf(out, "1..0 # SKIP no lab has checks\n");
	else
		fprintf(out, "1..%zu\n", n);
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		fprintf(out, "# %s: %s\n", lr->lab->name, lr->lab->title ? lr->lab->title : "");
		for (size_t j = 0; j < lr->nchecks; j++) {
			const struct check_result *cr = &lr->checks[j];
			fprintf(out, "%s %zu - ", cr->passed ? "ok" : "not ok", ++k);
			tap_desc(out, lr->lab->name);
			fputc(' ', out);
			tap_desc(out, cr->check->id);
			fputs(": ", out);
			tap_desc(out, cr->check->title ? cr->check->title : "");
			fputc('\n', out);
			if (cr->passed)
				continue;
			fprintf(out, "  ---\n");
			tap_block(out, "message", cr->message ? cr->message : "failed");
			fprintf(out, "  severity: %s\n", cr->error ? "error" : "fail");
			fprintf(out, "  points: %d/%d\n", cr->score, cr->check->points);
			if (cr->check->section)
				fprintf(out, "  section: %s\n", cr->check->section);
			fprintf(out, "  ...\n");
		}
		fprintf(out, "# %s: score %d/%d\n", lr->lab->name, lr->score, lr->max);
	}
	fprintf(out, "# total %d/%d\n", score, max);
	return ferror(out) ? -1 : 0;
}
