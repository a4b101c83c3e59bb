/* report.h - the reporters: each formats the same result tree (one grade_lab() result per lab)
 * for one audience: a student's terminal, forklab's own JSON, Gradescope, JUnit, TAP, GitHub
 * Classroom, Autolab, a page of pictures (HTML). Reporters only format; every number comes
 * from the results. */
#ifndef FORKLAB_REPORT_H
#define FORKLAB_REPORT_H

#include <stdbool.h>
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
int report_html(FILE *out, const struct grade_report *g, const struct report_opts *o);

/* The processes a verdict names, by tree name ("P", "P.1.2", or as q_label() writes them,
 * "P.1 (pid 4243)"), marked in hl (r->nprocs flags, r->procs order); a name followed by a pid
 * that is not its own is not taken. *named (may be NULL): how many were newly marked. Returns
 * how many names came with their own pid (which tells the run a verdict is about). */
size_t report_named_procs(const struct record *r, const char *msg, bool *hl, size_t *named);

/* Totals over the report; true when every check of every lab passed. */
bool report_totals(const struct grade_report *g, int *score, int *max);

#endif
