/* report_junit.c - JUnit XML: <testsuites>, a <testsuite> per lab, a <testcase> per check with
 * classname = the lab, a <failure> holding the verdict and <system-out> holding what the program
 * printed. Everything is escaped, and bytes XML 1.0 does not allow are dropped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_util.h"

/* What the program printed, per scenario and stream, at most this much in a testcase. */
#define JUNIT_OUTPUT_MAX (16 * 1024)

/* Decodes one UTF-8 sequence at s; returns its length and the code point, or 0 if invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000))
		return 0;
	return len;
}

/* XML 1.0's Char production. */
static bool xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/* Writes s escaped for text and attributes alike. */
static void xml_put(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_next(p, n, &cp);
		if (len == 0) {
			p++, n--;
			continue;
		}
		if (!xml_char(cp)) {
			/* dropped */
		} else if (cp == '&') {
			fputs("&amp;", out);
		} else if (cp == '<') {
			fputs("&lt;", out);
		} else if (cp == '>') {
			fputs("&gt;", out);
		} else if (cp == '"') {
			fputs("&quot;", out);
		} else if (cp == '\'') {
			fputs("&apos;", out);
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			/* Kept as characters in text; attributes would normalise them to spaces. */
			fputc((int)cp, out);
		} else {
			fwrite(p, 1, len, out);
		}
		p += len;
		n -= len;
	}
}

/* The same for an attribute, where newlines and tabs must be character references. */
static void xml_attr(FILE *out, const char *s)
{
	struct tbuf b = {0};
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\n')
			tb_str(&b, "\x01n");
		else if (*p == '\t')
			tb_str(&b, "\x01t");
		else if (*p == '\r')
			tb_str(&b, "\x01r");
		else if (*p != '\x01') /* a byte of the text's own would pass for a mark */
			tb_add(&b, p, 1);
	}
	char *t = tb_take(&b);
	if (!t)
		return;
	/* Escape first, then put the character references back in (\x01 is dropped by
	 * xml_put, so it is free to mark them). */
	char *q = t;
	while (*q) {
		char *mark = strchr(q, '\x01');
		if (!mark) {
			xml_put(out, q);
			break;
		}
		*mark = '\0';
		xml_put(out, q);
		fputs(mark[1] == 'n' ? "&#10;" : mark[1] == 't' ? "&#9;" : "&#13;", out);
		q = mark + 2;
	}
	free(t);
}

static void junit_case(FILE *out, const struct lab_result *lr, const struct check_result *cr)
{
	char *name = NULL;
	if (asprintf(&name, "%s: %s", cr->check->id, cr->check->title ? cr->check->title : "") < 0)
		name = NULL;
	fputs("    <testcase classname=\"", out);
	xml_attr(out, lr->lab->name);
	fputs("\" name=\"", out);
	xml_attr(out, name ? name : cr->check->id);
	fputs("\" time=\"0\">\n", out);
	free(name);
	if (!cr->passed) {
		const char *msg = cr->message ? cr->message : "failed";
		const char *nl = strchr(msg, '\n');
		char *first = strndup(msg, nl ? (size_t)(nl - msg) : strlen(msg));
		fputs("      <failure type=\"", out);
		fputs(!lr->built ? "build" : cr->error ? "run" : "check", out);
		fputs("\" message=\"", out);
		xml_attr(out, first ? first : "failed");
		fputs("\">", out);
		xml_put(out, msg);
		fputs("</failure>\n", out);
		free(first);
	}
	char *output = lr->nruns ? rep_check_output(lr, cr, JUNIT_OUTPUT_MAX) : NULL;
	if (output && *output) {
		fputs("      <system-out>", out);
		xml_put(out, output);
		fputs("</system-out>\n", out);
	}
	free(output);
	fputs("    </testcase>\n", out);
}

static size_t failures(const struct lab_result *lr)
{
	size_t n = 0;
	for (size_t i = 0; i < lr->nchecks; i++)
		n += !lr->checks[i].passed;
	return n;
}

int report_junit(FILE *out, const struct grade_report *g, const struct report_opts *o)
{
	size_t tests = 0, failed = 0;
	(void)o;
	for (size_t i = 0; i < g->nlabs; i++) {
		tests += g->labs[i].nchecks;
		failed += failures(&g->labs[i]);
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"forklab\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		     "time=\"%.3f\">\n", tests, failed, g->seconds);
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *lr = &g->labs[i];
		fputs("  <testsuite name=\"", out);
		xml_attr(out, lr->lab->name);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" "
			     "time=\"%.3f\">\n", lr->nchecks, failures(lr), lr->seconds);
		if (g->note) {
			fputs("    <properties><property name=\"note\" value=\"", out);
			xml_attr(out, g->note);
			fputs("\"/></properties>\n", out);
		}
		for (size_t j = 0; j < lr->nchecks; j++)
			junit_case(out, lr, &lr->checks[j]);
		/* The compiler's whole message (each failure quotes only its first error). */
		if (lr->build_log) {
			fputs("    <system-err>", out);
			xml_put(out, lr->build_log);
			fputs("</system-err>\n", out);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return ferror(out) ? -1 : 0;
}
