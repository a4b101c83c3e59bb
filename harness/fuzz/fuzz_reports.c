/* fuzz_reports.c - what a traced program controls, in every report format: its output, the
 * compiler's messages about its source, and so the verdicts that quote them. Whatever the bytes
 * (broken UTF-8, NULs, escape sequences, text imitating a report), each format must stay what
 * its consumer parses: JSON that parses, one TAP result line per check, one JUnit testcase per
 * check, Classroom's single base64 line, Autolab's scores as the last line, and a human report
 * with no control byte but the newline and the tab (nothing that moves the cursor back or
 * starts an escape sequence). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "record_build.h"
#include "report.h"
#include "test_grade_fixture.h"

/* Runs reporter name over the results into a malloc'd string. */
static char *render(const char *name, const struct grade_report *g)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	struct report_opts o = { .color = false };
	if (report_find(name)->fn(f, g, &o) < 0)
		abort();
	if (fclose(f) != 0)
		abort();
	return buf;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void must_parse_json(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, JSON_ALLOW_NUL, &e); /* \u0000 is valid JSON */
	if (!j) {
		fprintf(stderr, "not JSON: %s at %d:%d\n", e.text, e.line, e.column);
		abort();
	}
	json_decref(j);
}

static size_t tap_results(const char *s)
{
	size_t n = 0;
	for (const char *line = s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "ok ", 3) == 0 || strncmp(line, "not ok ", 7) == 0)
			n++;
	return n;
}

int fuzz_reports(const uint8_t *data, size_t size)
{
	size_t nlabs, nchecks = 0;
	struct lab_result *labs = fx_results(&nlabs);
	for (size_t i = 0; i < nlabs; i++)
		nchecks += labs[i].nchecks;
	/* The bytes as a program's own output and as what the compiler said. */
	struct record *r = labs[0].runs[0].rec;
	struct rec_proc *p = r->root;
	if (record_add_write(r, p, 1, data, size, 20.0, 100) < 0 ||
	    rec_buf_append(&r->out, data, size) < 0)
		abort();
	char *text = fuzz_string(data, size);
	free(labs[0].checks[1].message);
	labs[0].checks[1].message = strdup(text);
	free(labs[1].build_log);
	labs[1].build_log = strdup(text);
	if (!labs[0].checks[1].message || !labs[1].build_log)
		abort();
	struct grade_report g = { .labs = labs, .nlabs = nlabs, .seconds = 1.0 };

	char *s = render("json", &g);
	must_parse_json(s);
	free(s);
	s = render("gradescope", &g);
	must_parse_json(s);
	free(s);
	s = render("tap", &g);
	if (tap_results(s) != nchecks)
		abort();
	free(s);
	s = render("junit", &g);
	if (count(s, "<testcase ") != nchecks || count(s, "</testsuites>") != 1)
		abort();
	free(s);
	s = render("classroom", &g);
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
	    strcspn(s, "\n") || count(s, "\n") != 1)
		abort();
	free(s);
	s = render("autolab", &g);
	const char *last = strrchr(s, '\n');
	while (last && last > s && last[-1] != '\n')
		last--;
	if (!last || strncmp(last, "{\"scores\":", 10) != 0)
		abort();
	must_parse_json(last);
	free(s);
	s = render("human", &g);
	for (const char *c = s; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
			abort();
	free(s);

	free(text);
	fx_results_free(labs, nlabs);
	return 0;
}

FUZZ_ENTRY(fuzz_reports)
