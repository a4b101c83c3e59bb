/* report_html.c - the student's report as one self-contained HTML page: per lab its checks and
 * verdicts, and under each failed check the picture of the run it judged (record_pic.h), with
 * the processes the verdict names highlighted. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "record_pic.h"
#include "report.h"
#include "report_util.h"

static const char REPORT_CSS[] =
	"body{margin:16px;background:#fff;font-family:sans-serif;font-size:14px;color:#222}\n"
	"h1{font-size:22px}h2{font-size:19px;margin-top:28px;border-bottom:1px solid #ddd}\n"
	"h3{font-size:16px;margin:18px 0 4px}\n"
	"table.checks{border-collapse:collapse}\n"
	"table.checks td,table.checks th{border:1px solid #ddd;padding:3px 8px;text-align:left}\n"
	"tr.pass td.v{color:#1a7f37;font-weight:bold}tr.fail td.v{color:#c62828;font-weight:bold}\n"
	"p.verdict{white-space:pre-wrap;background:#fdecea;border-left:4px solid #c62828;"
	"padding:6px 10px;margin:4px 0}\n"
	"pre.log{background:#f6f8fa;border:1px solid #ddd;padding:6px;overflow:auto}\n"
	"div.failed{margin:8px 0 26px}\n"
	".hlkey{background:#fff1a8;padding:0 4px}\n";

static void text(FILE *out, const char *s)
{
	record_html_text(out, s, s ? strlen(s) : 0, false);
}

/* ---- which processes a verdict names ---- */

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

size_t report_named_procs(const struct record *r, const char *msg, bool *hl, size_t *named)
{
	size_t confirmed = 0, count = 0;
	for (const char *s = msg; s && *s; s++) {
		if (*s != 'P' || (s > msg && (name_char(s[-1]) || s[-1] == '.')))
			continue;
		/* P, then any number of .N */
		const char *e = s + 1;
		while (e[0] == '.' && isdigit((unsigned char)e[1])) {
			e++;
			while (isdigit((unsigned char)*e))
				e++;
		}
		if (name_char(*e))
			continue;
		char name[64];
		size_t len = (size_t)(e - s);
		if (len >= sizeof(name))
			continue;
		memcpy(name, s, len);
		name[len] = '\0';
		const struct rec_proc *p = record_find(r, name);
		if (!p)
			continue;
		/* "P.1 (pid 4243)": a pid that is not this process's is another run's P.1. */
		if (strncmp(e, " (pid ", 6) == 0) {
			char *end;
			long pid = strtol(e + 6, &end, 10);
			if (*end != ')' || pid != (long)p->pid)
				continue;
			confirmed++;
		}
		for (size_t i = 0; i < r->nprocs; i++)
			if (r->procs[i] == p) {
				count += !hl[i];
				hl[i] = true;
			}
		s = e - 1;
	}
	if (named)
		*named = count;
	return confirmed;
}

/* The run a failed check judged: of the scenarios it read, the one whose processes its verdict
 * names with their own pids; on a tie, the last one it read (checks stop at the first scenario
 * that fails). -1 when it read none that ran. */
static long judged_run(const struct lab_result *lr, const struct check_result *cr)
{
	long best = -1;
	size_t best_score = 0;
	for (size_t i = 0; cr->runs_used && i < lr->nruns; i++) {
		const struct record *r = lr->runs[i].rec;
		if (!cr->runs_used[i] || !r)
			continue;
		bool *hl = calloc(r->nprocs ? r->nprocs : 1, sizeof(*hl));
		if (!hl)
			return -1;
		size_t score = report_named_procs(r, cr->message, hl, NULL);
		free(hl);
		if (best < 0 || score >= best_score) {
			best = (long)i;
			best_score = score;
		}
	}
	return best;
}

static void command_line(FILE *out, const struct lab_result *lr, const struct run *run)
{
	struct tbuf b = {0};
	tb_str(&b, lr->lab->program ? lr->lab->program : "program");
	if (run->sc && run->sc->args && run->sc->args[0])
		tb_str(&b, " ");
	rep_args(&b, run->sc);
	char *s = tb_take(&b);
	fputs("<code>", out);
	text(out, s ? s : "?");
	fputs("</code>", out);
	free(s);
}

static int failed_check(FILE *out, const struct lab_result *lr, size_t li, size_t ci)
{
	const struct check_result *cr = &lr->checks[ci];
	fprintf(out, "<div class=\"failed\" id=\"l%zu-c%zu\" data-check=\"", li, ci);
	text(out, cr->check->id);
	fputs("\"><h3>FAIL ", out);
	text(out, cr->check->id);
	fputs(": ", out);
	text(out, cr->check->title);
	fputs("</h3>\n<p class=\"verdict\">", out);
	record_html_text(out, cr->message ? cr->message : "failed",
			 cr->message ? strlen(cr->message) : 6, true);
	fputs("</p>\n", out);
	long ri = judged_run(lr, cr);
	if (ri < 0) {
		fputs("<p class=\"note\">No run to show: the check failed before any.</p>\n</div>\n",
		      out);
		return 0;
	}
	const struct run *run = &lr->runs[ri];
	bool *hl = calloc(run->rec->nprocs ? run->rec->nprocs : 1, sizeof(*hl));
	if (!hl)
		return -1;
	size_t named = 0;
	report_named_procs(run->rec, cr->message, hl, &named);
	fputs("<p>The run it judged: ", out);
	command_line(out, lr, run);
	fputs(" (scenario ", out);
	text(out, run->sc ? run->sc->id : "?");
	fputc(')', out);
	if (named) {
		fputs("; <span class=\"hlkey\">highlighted</span>: the processes the verdict names",
		      out);
		size_t k = 0;
		for (size_t i = 0; i < run->rec->nprocs; i++)
			if (hl[i]) {
				fputs(k++ ? ", " : " (", out);
				text(out, run->rec->procs[i]->name);
			}
		fputc(')', out);
	}
	fputs(".</p>\n", out);
	char id[64];
	snprintf(id, sizeof(id), "l%zu-c%zu-run", li, ci);
	struct rec_pic_opts o = { .id = id, .highlight = hl, .output = true };
	int rc = record_html_picture(run->rec, out, &o);
	free(hl);
	fputs("</div>\n", out);
	return rc;
}

static int html_lab(FILE *out, const struct lab_result *lr, size_t li)
{
	fprintf(out, "<section class=\"lab\" id=\"l%zu\" data-lab=\"", li);
	text(out, lr->lab->name);
	fputs("\"><h2>", out);
	text(out, lr->lab->name);
	fputs(": ", out);
	text(out, lr->lab->title);
	fprintf(out, " \xe2\x80\x94 %d/%d</h2>\n", lr->score, lr->max);
	if (lr->lab->nchecks == 0) {
		fputs("<p>(no checks yet)</p></section>\n", out);
		return 0;
	}
	if (!lr->built || lr->build_log) {
		fputs(lr->built ? "<p>Compiler warnings (fix them: they often point at the bug):</p>"
				: "<p class=\"bad\">The program did not build:</p>", out);
		fputs("<pre class=\"log\">", out);
		const char *log = lr->build_log ? lr->build_log : "(no message)";
		record_html_text(out, log, strlen(log), true);
		fputs("</pre>\n", out);
	}
	fputs("<table class=\"checks\"><thead><tr><th></th><th>points</th><th>check</th>"
	      "<th>what it demands</th></tr></thead><tbody>\n", out);
	for (size_t i = 0; i < lr->nchecks; i++) {
		const struct check_result *cr = &lr->checks[i];
		fprintf(out, "<tr class=\"%s\"><td class=\"v\">%s</td><td>%d/%d</td><td>",
			cr->passed ? "pass" : "fail", cr->passed ? "PASS" : "FAIL", cr->score,
			cr->check->points);
		if (!cr->passed)
			fprintf(out, "<a href=\"#l%zu-c%zu\">", li, i);
		text(out, cr->check->id);
		fputs(cr->passed ? "</td><td>" : "</a></td><td>", out);
		text(out, cr->check->title);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	for (size_t i = 0; i < lr->nchecks; i++)
		if (!lr->checks[i].passed && failed_check(out, lr, li, i) < 0)
			return -1;
	fputs("</section>\n", out);
	return 0;
}

int report_html(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	int score, max;
	(void)o;
	bool all = report_totals(g, &score, &max);
	fprintf(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
		"<head><meta charset=\"utf-8\"/>\n<title>forklab: %d/%d</title>\n<style>\n%s%s"
		"</style></head>\n<body>\n", score, max, REPORT_CSS, record_html_css());
	fprintf(out, "<h1>forklab: %d/%d points</h1>\n<p>%s Graded in %.1f s. Under each failed "
		"check: the verdict, and the run it judged drawn as a tree and a timeline (hover "
		"over a process for its details).</p>\n<ul>\n", score, max,
		all ? "Every check passed." : "Some checks failed.", g->seconds);
	for (size_t i = 0; i < g->nlabs; i++) {
		fprintf(out, "<li><a href=\"#l%zu\">", i);
		text(out, g->labs[i].lab->name);
		fprintf(out, "</a>: %d/%d</li>\n", g->labs[i].score, g->labs[i].max);
	}
	fputs("</ul>\n", out);
	for (size_t i = 0; i < g->nlabs; i++)
		if (html_lab(out, &g->labs[i], i) < 0)
			return -1;
	fputs("</body></html>\n", out);
	return ferror(out) ? -1 : 0;
}
