/* assignment.c - reading an assignment file (assignment.h) with inih, and making the copies of
 * the labs it grades. Every mistake in the file is one line naming the file, the line and the
 * key; a file with a mistake loads nothing. */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assignment.h"
#include "grade.h"

/* What one [lab X] section asks of its lab. */
struct edit {
	const struct lab *lab;
	int section;                 /* which section header it came from (see struct parse) */
	int line;                    /* the line of its first key */
	int weight, weight_line;     /* 0: not given */
	int *points;                 /* per check: -1 unchanged */
	unsigned char *skip, *hidden;
	int skip_line, hidden_line;
};

/* A key already seen: "section\nkey" and its line. */
struct seen {
	char *key;
	int line;
};

struct parse {
	const char *path;
	FILE *f;
	int line;                    /* lines read so far: the line inih is parsing */
	int section;                 /* section headers read so far */
	int long_line;               /* the first line longer than inih reads, or 0 */
	char *err;
	size_t errlen;
	bool failed;
	const struct lab **labs;     /* [assignment] labs */
	size_t nlabs;
	int labs_line, assignment_section;
	struct edit *edits;
	size_t nedits;
	struct seen *seen;
	size_t nseen;
};

/* The first error wins; returns 0, which stops inih. */
__attribute__((format(printf, 3, 4)))
static int fail(struct parse *p, int line, const char *fmt, ...)
{
	if (p->failed)
		return 0;
	p->failed = true;
	int n = line > 0 ? snprintf(p->err, p->errlen, "%s:%d: ", p->path, line)
			 : snprintf(p->err, p->errlen, "%s: ", p->path);
	if (n < 0 || (size_t)n >= p->errlen)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

/* inih's reader: fgets, counting lines and section headers. inih parses the line it was just
 * given before it asks for the next one, so p->line is the line a handler call comes from. */
static char *reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	if (!fgets(str, num, p->f))
		return NULL;
	size_t len = strlen(str);
	if (len > 0 && str[len - 1] != '\n' && !feof(p->f) && !p->long_line)
		p->long_line = p->line + 1;
	if (len > 0 && str[len - 1] == '\n')
		p->line++;
	const char *s = str + strspn(str, " \t");
	if (*s == '[')
		p->section++;
	return str;
}

/* "one-fork, child-line, ..." into buf: for the unknown-check message. */
static const char *check_ids(const struct lab *lab, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < lab->nchecks && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", lab->checks[i].id);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

static const char *lab_names(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; labs_all[i] && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", labs_all[i]->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* A whole number in [lo, hi], or -1. */
static long number(const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -1;
	return v;
}

static int check_index(const struct lab *lab, const char *id)
{
	for (size_t i = 0; i < lab->nchecks; i++)
		if (strcmp(lab->checks[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Marks each check named in the space-separated list. 1, or 0 after fail(). */
static int mark_checks(struct parse *p, const struct lab *lab, const char *key, const char *list,
		       unsigned char *flags)
{
	char *copy = strdup(list), *save = NULL, ids[1024];
	if (!copy)
		return fail(p, p->line, "%s: out of memory", key);
	int n = 0;
	for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save), n++) {
		int k = check_index(lab, t);
		if (k < 0) {
			fail(p, p->line, "%s: lab %s has no check '%s' (checks: %s)", key, lab->name,
			     t, check_ids(lab, ids, sizeof ids));
			free(copy);
			return 0;
		}
		flags[k] = 1;
	}
	free(copy);
	if (n == 0)
		return fail(p, p->line, "%s: names no check", key);
	return 1;
}

static struct edit *edit_for(struct parse *p, const struct lab *lab, const char *section)
{
	for (size_t i = 0; i < p->nedits; i++) {
		if (p->edits[i].lab != lab)
			continue;
		if (p->edits[i].section != p->section) {
			fail(p, p->line, "[%s]: lab %s has a section already (line %d)", section,
			     lab->name, p->edits[i].line);
			return NULL;
		}
		return &p->edits[i];
	}
	struct edit *more = realloc(p->edits, (p->nedits + 1) * sizeof *more);
	if (!more) {
		fail(p, p->line, "[%s]: out of memory", section);
		return NULL;
	}
	p->edits = more;
	struct edit *e = &p->edits[p->nedits];
	memset(e, 0, sizeof *e);
	e->lab = lab;
	e->section = p->section;
	e->line = p->line;
	e->points = malloc((lab->nchecks + 1) * sizeof *e->points);
	e->skip = calloc(lab->nchecks + 1, 1);
	e->hidden = calloc(lab->nchecks + 1, 1);
	p->nedits++;
	if (!e->points || !e->skip || !e->hidden) {
		fail(p, p->line, "[%s]: out of memory", section);
		return NULL;
	}
	for (size_t i = 0; i < lab->nchecks; i++)
		e->points[i] = -1;
	return e;
}

static int assignment_key(struct parse *p, const char *key, const char *value)
{
	char names[1024];
	if (strcmp(key, "labs") != 0)
		return fail(p, p->line, "%s: unknown key in [assignment] (keys: labs)", key);
	if (p->labs && p->assignment_section != p->section)
		return fail(p, p->line, "[assignment]: given twice (labs on line %d)", p->labs_line);
	char *copy = strdup(value), *save = NULL;
	size_t cap = 0;
	for (size_t i = 0; labs_all[i]; i++)
		cap++;
	p->labs = calloc(cap + 1, sizeof *p->labs);
	if (!copy || !p->labs) {
		free(copy);
		return fail(p, p->line, "labs: out of memory");
	}
	p->labs_line = p->line;
	p->assignment_section = p->section;
	for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		const struct lab *lab = lab_lookup(t);
		bool dup = false;
		for (size_t i = 0; lab && i < p->nlabs; i++)
			dup |= p->labs[i] == lab;
		if (!lab || dup) {
			if (!lab)
				fail(p, p->line, "labs: no lab '%s' (labs: %s)", t,
				     lab_names(names, sizeof names));
			else
				fail(p, p->line, "labs: lab %s is named twice", lab->name);
			free(copy);
			return 0;
		}
		p->labs[p->nlabs++] = lab;
	}
	free(copy);
	if (p->nlabs == 0)
		return fail(p, p->line, "labs: names no lab");
	return 1;
}

static int lab_key(struct parse *p, const char *section, const char *key, const char *value)
{
	char names[1024];
	const char *spec = section + 3 + strspn(section + 3, " \t");
	const struct lab *lab = lab_lookup(spec);
	if (!lab)
		return fail(p, p->line, "[%s]: no lab '%s' (labs: %s)", section, spec,
			    lab_names(names, sizeof names));
	struct edit *e = edit_for(p, lab, section);
	if (!e)
		return 0;
	if (strcmp(key, "weight") == 0) {
		long w = number(value, 1, 10000);
		if (w < 0)
			return fail(p, p->line, "weight: '%s' is not a whole number from 1 to 10000",
				    value);
		e->weight = (int)w;
		e->weight_line = p->line;
	} else if (strncmp(key, "points.", 7) == 0) {
		int k = check_index(lab, key + 7);
		if (k < 0)
			return fail(p, p->line, "%s: lab %s has no check '%s' (checks: %s)", key,
				    lab->name, key + 7, check_ids(lab, names, sizeof names));
		long v = number(value, 0, 1000);
		if (v < 0)
			return fail(p, p->line, "%s: '%s' is not a whole number from 0 to 1000", key,
				    value);
		e->points[k] = (int)v;
	} else if (strcmp(key, "skip") == 0) {
		e->skip_line = p->line;
		return mark_checks(p, lab, key, value, e->skip);
	} else if (strcmp(key, "hidden") == 0) {
		e->hidden_line = p->line;
		return mark_checks(p, lab, key, value, e->hidden);
	} else {
		return fail(p, p->line, "%s: unknown key in [%s] (keys: weight, points.CHECK, skip, "
			    "hidden)", key, section);
	}
	return 1;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;
	if (p->failed)
		return 0;
	if (!*section)
		return fail(p, p->line, "%s: outside any section (the file starts with "
			    "[assignment])", key);
	/* The same key twice in a section (the section header read last is this key's). */
	char *id = NULL;
	if (asprintf(&id, "%d\n%s", p->section, key) < 0)
		return fail(p, p->line, "%s: out of memory", key);
	for (size_t i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i].key, id) == 0) {
			free(id);
			return fail(p, p->line, "%s: given twice in [%s] (first on line %d)", key,
				    section, p->seen[i].line);
		}
	struct seen *more = realloc(p->seen, (p->nseen + 1) * sizeof *more);
	if (!more) {
		free(id);
		return fail(p, p->line, "%s: out of memory", key);
	}
	p->seen = more;
	p->seen[p->nseen++] = (struct seen){id, p->line};
	if (strcmp(section, "assignment") == 0)
		return assignment_key(p, key, value);
	if (strncmp(section, "lab", 3) == 0 && (section[3] == ' ' || section[3] == '\t'))
		return lab_key(p, section, key, value);
	return fail(p, p->line, "[%s]: unknown section (sections: [assignment], [lab NN])",
		    section);
}

/* What the file asks, checked as a whole once every line is read. */
static void check_whole(struct parse *p)
{
	if (p->failed)
		return;
	if (!p->labs) {
		fail(p, 0, "no 'labs = ...' in an [assignment] section: the assignment grades "
		     "nothing");
		return;
	}
	for (size_t i = 0; i < p->nedits && !p->failed; i++) {
		struct edit *e = &p->edits[i];
		bool listed = false, any = false;
		int total = 0;
		for (size_t k = 0; k < p->nlabs; k++)
			listed |= p->labs[k] == e->lab;
		for (size_t k = 0; k < e->lab->nchecks; k++) {
			if (e->skip[k] && e->hidden[k]) {
				fail(p, e->hidden_line, "hidden: check '%s' is skipped too",
				     e->lab->checks[k].id);
				return;
			}
			if (!e->skip[k]) {
				any = true;
				total += e->points[k] >= 0 ? e->points[k] : e->lab->checks[k].points;
			}
		}
		if (!listed)
			fail(p, e->line, "[lab %02d]: lab %s is not in labs (line %d)",
			     e->lab->number, e->lab->name, p->labs_line);
		else if (!any)
			fail(p, e->skip_line, "skip: leaves lab %s no check", e->lab->name);
		else if (e->weight && total == 0)
			fail(p, e->weight_line, "weight: lab %s's checks have no points to scale",
			     e->lab->name);
	}
}

/* The lab as the assignment grades it (e may be NULL: unchanged). 0, or -1 out of memory. */
static int make_copy(const struct lab *lab, const struct edit *e, struct lab *out)
{
	struct check *checks = calloc(lab->nchecks + 1, sizeof *checks);
	unsigned char *hidden = calloc(lab->nchecks + 1, 1);
	long *share = calloc(lab->nchecks + 1, sizeof *share);
	if (!checks || !hidden || !share) {
		free(checks);
		free(hidden);
		free(share);
		return -1;
	}
	size_t n = 0;
	long total = 0;
	for (size_t k = 0; k < lab->nchecks; k++) {
		if (e && e->skip[k])
			continue;
		checks[n] = lab->checks[k];
		if (e && e->points[k] >= 0)
			checks[n].points = e->points[k];
		hidden[n] = e && e->hidden[k];
		total += checks[n].points;
		n++;
	}
	/* weight: each check's share of it, rounded down, and what rounding lost handed out one
	 * point at a time to the largest remainders (the first in the table on a tie), so the
	 * points add up to the weight exactly. */
	if (e && e->weight && total > 0) {
		long given = 0, w = e->weight;
		for (size_t k = 0; k < n; k++) {
			share[k] = (long)checks[k].points * w % total;
			checks[k].points = (int)((long)checks[k].points * w / total);
			given += checks[k].points;
		}
		for (; given < w; given++) {
			size_t best = 0;
			for (size_t k = 1; k < n; k++)
				if (share[k] > share[best])
					best = k;
			checks[best].points++;
			share[best] = -1;
		}
	}
	free(share);
	*out = *lab;
	out->checks = checks;
	out->nchecks = n;
	out->hidden = hidden;
	return 0;
}

static void parse_free(struct parse *p)
{
	for (size_t i = 0; i < p->nedits; i++) {
		free(p->edits[i].points);
		free(p->edits[i].skip);
		free(p->edits[i].hidden);
	}
	free(p->edits);
	for (size_t i = 0; i < p->nseen; i++)
		free(p->seen[i].key);
	free(p->seen);
	free(p->labs);
}

struct assignment *assignment_load(const char *path, char *err, size_t errlen)
{
	struct parse p = {.path = path, .err = err, .errlen = errlen};
	struct assignment *a = NULL;
	p.f = fopen(path, "r");
	if (!p.f) {
		fail(&p, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	ini_stop_on_first_error = true;
	ini_allow_multiline = false;   /* an indented line is a mistake, not more of a value */
	int rc = ini_parse_stream(reader, &p, handler, &p);
	if (ferror(p.f))
		fail(&p, 0, "cannot read: %s", strerror(errno));
	fclose(p.f);
	if (p.long_line && (rc == 0 || rc >= p.long_line))
		fail(&p, p.long_line, "the line is longer than %d characters", ini_max_line - 3);
	else if (rc > 0)
		fail(&p, rc, "not a '[section]' or 'key = value' line");
	else if (rc < 0)
		fail(&p, 0, "cannot parse (out of memory)");
	check_whole(&p);
	if (p.failed)
		goto out;
	a = calloc(1, sizeof *a);
	if (!a || !(a->path = strdup(path)) ||
	    !(a->labs = calloc(p.nlabs + 1, sizeof *a->labs)) ||
	    !(a->copies = calloc(p.nlabs + 1, sizeof *a->copies))) {
		fail(&p, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p.nlabs; i++) {
		const struct edit *e = NULL;
		for (size_t k = 0; k < p.nedits; k++)
			if (p.edits[k].lab == p.labs[i])
				e = &p.edits[k];
		if (make_copy(p.labs[i], e, &a->copies[i]) < 0) {
			fail(&p, 0, "out of memory");
			goto out;
		}
		a->labs[i] = &a->copies[i];
		a->nlabs++;
	}
out:
	parse_free(&p);
	if (p.failed) {
		assignment_free(a);
		return NULL;
	}
	return a;
}

void assignment_free(struct assignment *a)
{
	if (!a)
		return;
	for (size_t i = 0; a->copies && i < a->nlabs; i++) {
		free((void *)a->copies[i].checks);
		free((void *)a->copies[i].hidden);
	}
	free(a->copies);
	free(a->labs);
	free(a->path);
	free(a);
}

const struct lab *assignment_lab(const struct assignment *a, const char *spec)
{
	const struct lab *lab = lab_lookup(spec);
	for (size_t i = 0; lab && i < a->nlabs; i++)
		if (a->labs[i]->number == lab->number)
			return a->labs[i];
	return NULL;
}
