/* report.c - the reporters' table, the totals, and the text reporters: human (a student's
 * terminal), tap (TAP version 13 for prove and CI) and autolab (human text, then the scores). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"
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

bool report_visible_totals(const struct lab_result *lr, int *score, int *max, int *nhidden,
			   int *hidden_max)
{
	bool all = true;
	*score = *max = *nhidden = *hidden_max = 0;
	for (size_t j = 0; j < lr->nchecks; j++) {
		const struct check_result *cr = &lr->checks[j];
		if (cr->hidden) {
			++*nhidden;
			*hidden_max += cr->check->points;
			continue;
		}
		*score += cr->score;
		*max += cr->check->points;
		all &= cr->passed;
	}
	if (lr->nchecks == 0)
		*max = lr->max;
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

/* Writes text indented by `indent` spaces, each line of it wrapped at WRAP columns but a
 * command ("$ ..."). */
static void put_wrapped(FILE *out, const char *text, int indent)
{
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		size_t width = WRAP - (size_t)indent;
		/* A command line ("$ ...") stays whole, to be copied as it is. */
		while (len > width && strncmp(s, "$ ", 2) != 0) {
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

/* " (and 2 hidden checks worth 3 points, ...)" after a score that leaves them out. */
static void human_hidden(FILE *out, int nhidden, int hidden_max)
{
	if (nhidden > 0)
		fprintf(out, " (and %d hidden check%s worth %d point%s, shown after the deadline)",
			nhidden, nhidden == 1 ? "" : "s", hidden_max, hidden_max == 1 ? "" : "s");
}

/* One lab; the hidden checks only when o->show_hidden. Adds what it showed to *score, *max and
 * the hidden ones it left out to *nhidden, *hidden_max; false when a check it showed failed. */
static bool human_lab(FILE *out, const struct lab_result *lr, const struct style *st,
		      const struct report_opts *o, int sum[4])
{
	int score = lr->score, max = lr->max, nhidden = 0, hidden_max = 0;
	bool all = true;
	if (o && o->show_hidden) {
		for (size_t i = 0; i < lr->nchecks; i++)
			all &= lr->checks[i].passed;
	} else {
		all = report_visible_totals(lr, &score, &max, &nhidden, &hidden_max);
	}
	sum[0] += score;
	sum[1] += max;
	sum[2] += nhidden;
	sum[3] += hidden_max;
	fprintf(out, "%s%s%s: %s\n", st->bold, lr->lab->name, st->off,
		lr->lab->title ? lr->lab->title : "");
	if (lr->lab->nchecks == 0) {
		fprintf(out, "  (no checks yet)\n\n");
		return all;
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
		if (cr->hidden && !(o && o->show_hidden))
			continue;
		fprintf(out, "  %s%s%s %2d/%-2d %s: %s%s\n", cr->passed ? st->pass : st->fail,
			cr->passed ? "PASS" : "FAIL", st->off, cr->score, cr->check->points,
			cr->check->id, cr->check->title ? cr->check->title : "",
			cr->hidden ? " (hidden)" : "");
		if (!cr->passed && cr->message)
			put_wrapped(out, cr->message, 12);
	}
	fprintf(out, "  %sscore %d/%d%s", st->bold, score, max, st->off);
	human_hidden(out, nhidden, hidden_max);
	fprintf(out, "\n\n");
	return all;
}

/* The lab after lab in labs_all[], or NULL. */
static const struct lab *lab_after(const struct lab *lab)
{
	for (size_t i = 0; labs_all[i]; i++)
		if (labs_all[i] == lab)
			return labs_all[i + 1];
	return NULL;
}

/* A student's closing lines: the total of what they may see (sum: as human_lab adds it up) and
 * what it means, then the one thing to do next. */
static void human_next(FILE *out, const struct grade_report *g, const struct report_opts *o,
		       const struct style *st, const int *sum)
{
	int score = sum[0], max = sum[1];
	size_t done = 0;
	const struct lab *next = NULL;
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		if (lr->score == lr->max && lr->max > 0)
			done++;
		else if (!next && lr->max > 0)
			next = lr->lab;
	}
	fprintf(out, "%stotal %d/%d%s", st->bold, score, max, st->off);
	human_hidden(out, sum[2], sum[3]);
	fprintf(out, ": %zu of %zu lab%s complete", done, g->nlabs, g->nlabs == 1 ? "" : "s");
	if (next) {
		fprintf(out, " (the starters are incomplete by design: they are yours to "
			     "finish)\n");
	} else {
		fprintf(out, ". Well done.\n");
		if (g->nlabs == 1)
			next = lab_after(g->labs[0].lab);
		if (!next)
			return;
	}
	char *dir = lab_dir_from_here(next, o->labs_dir);
	fprintf(out, "%snext:%s lab %s. Read %sREADME.md, edit %s beside it,\n"
		     "      then run: %s%02d\n", st->bold, st->off, next->name, dir ? dir : "",
		next->sources && next->sources[0] ? next->sources[0] : "its program",
		o->again ? o->again : "forklab grade ", next->number);
	free(dir);
}

int report_human(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	const struct style *st = o && o->color ? &color_style : &plain_style;
	int sum[4] = {0, 0, 0, 0};
	bool all = true;
	if (g->note) {
		fprintf(out, "%snote:%s\n", st->bold, st->off);
		put_wrapped(out, g->note, 2);
		fputc('\n', out);
	}
	for (size_t i = 0; i < g->nlabs; i++)
		all &= human_lab(out, &g->labs[i], st, o, sum);
	if (o && o->labs_dir) {
		human_next(out, g, o, st, sum);
		return ferror(out) ? -1 : 0;
	}
	fprintf(out, "%stotal %d/%d%s", st->bold, sum[0], sum[1], st->off);
	human_hidden(out, sum[2], sum[3]);
	fprintf(out, "%s\n", all ? "" : "  (make grade LAB=NN grades one lab; the README of each "
			     "lab explains its checks)");
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
	for (const char *s = g->note; s && *s;) {
		size_t len = strcspn(s, "\n");
		fputs("# note: ", out);
		put_clean(out, s, len);
		fputc('\n', out);
		s += len + (s[len] == '\n');
	}
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

/* ---- the grading log ---- */

/* The first line of text, at most 200 bytes of it, control bytes shown as '?'. */
static void put_first_line(FILE *out, const char *text)
{
	size_t len = strcspn(text, "\n");
	put_clean(out, text, len > 200 ? 200 : len);
}

void report_log_lab(FILE *out, const struct lab_result *lr, bool prebuilt)
{
	const char *name = lr->lab->name, *prog = lr->lab->program ? lr->lab->program : "";
	if (lr->lab->nchecks == 0) {
		fprintf(out, "forklab: %s: no checks yet\n", name);
		return;
	}
	if (!lr->built) {
		fprintf(out, "forklab: %s: did not build: ", name);
		put_first_line(out, lr->build_log ? lr->build_log : "(no message)");
		fputc('\n', out);
	} else if (prebuilt) {
		fprintf(out, "forklab: %s: took %s as it is\n", name, lr->bin ? lr->bin : prog);
	} else {
		fprintf(out, "forklab: %s: built %s", name, prog);
		if (lr->build_log) {
			fputs(", the compiler warned: ", out);
			put_first_line(out, lr->build_log);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < lr->nruns; i++) {
		const struct run *run = &lr->runs[i];
		const struct record *r = run->rec;
		struct tbuf b = {0};
		tb_str(&b, prog);
		if (run->sc && run->sc->args && run->sc->args[0])
			tb_str(&b, " ");
		rep_args(&b, run->sc);
		char *cmd = tb_take(&b);
		fprintf(out, "forklab: %s: scenario %s: ran ", name, run->sc ? run->sc->id : "?");
		put_first_line(out, cmd ? cmd : prog);
		fputs(": ", out);
		free(cmd);
		if (!r)
			put_first_line(out, run->error ? run->error : "did not run");
		else if (r->outcome == OUT_EXITED)
			fprintf(out, "exited %d", r->status);
		else if (r->outcome == OUT_SIGNALED)
			fprintf(out, "killed by %s", q_signame(r->status - 128));
		else
			put_first_line(out, r->detail && *r->detail ? r->detail : outcome_name(r->outcome));
		if (r)
			fprintf(out, ", %zu process%s, %.0f ms", r->nprocs, r->nprocs == 1 ? "" : "es",
				r->duration_ms);
		fputc('\n', out);
	}
	fprintf(out, "forklab: %s: score %d/%d\n", name, lr->score, lr->max);
}
