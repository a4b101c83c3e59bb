/* report.h - the reporters: each formats the same result tree (one grade_lab() result per lab)
 * for one audience: a student's terminal, forklab's own JSON, Gradescope, JUnit, TAP, GitHub
 * Classroom, Autolab. Reporters only format; every number comes from the results. */
#ifndef FORKLAB_REPORT_H
#define FORKLAB_REPORT_H

#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include "grade.h"

/* Everything one `forklab grade` produced. */
struct grade_report {
	const struct lab_result *labs;
	size_t nlabs;
	double seconds;         /* wall time of the whole grading */
};

struct report_opts {
	bool color;             /* human: ANSI colours */
	bool show_hidden;       /* human, autolab: the hidden checks too (an instructor's report;
	                           a student's leaves them out) */
};

/* Writes the report to out. 0, or -1 when it could not be formatted or written. */
typedef int (*report_fn)(FILE *out, const struct grade_report *g, const struct report_opts *o);

struct reporter {
	const char *name;       /* the --format word */
	report_fn fn;
	const char *what;       /* one line for --help */
};

/* Every reporter, in --help order; ends with a {NULL} entry. */
extern const struct reporter reporters[];
const struct reporter *report_find(const char *name);

int report_human(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_json(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_gradescope(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_junit(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_tap(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_classroom(FILE *out, const struct grade_report *g, const struct report_opts *o);
int report_autolab(FILE *out, const struct grade_report *g, const struct report_opts *o);

/* report_load.c: the report `--format json` wrote (root), as a result tree to format again;
 * the checks and labs are the JSON's own. NULL with err set when root is not such a report.
 * Strings point into root, which it holds a reference to until report_loaded_free(). */
struct grade_report *report_load(json_t *root, char *err, size_t errlen);
void report_loaded_free(struct grade_report *g);

/* Totals over the report; true when every check of every lab passed. */
bool report_totals(const struct grade_report *g, int *score, int *max);
/* The same over one lab's checks that are not hidden; *nhidden and *hidden_max count the rest.
 * True when every check that is not hidden passed. */
bool report_visible_totals(const struct lab_result *lr, int *score, int *max, int *nhidden,
			   int *hidden_max);

#endif
