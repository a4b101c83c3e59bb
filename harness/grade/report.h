/* report.h - the reporters: each formats the same result tree (one grade_lab() result per lab)
 * for one audience: a student's terminal, forklab's own JSON, Gradescope, JUnit, TAP, GitHub
 * Classroom, Autolab, a page of pictures (HTML). Reporters only format; every number comes
 * from the results. */
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
	const char *note;       /* forklab grade --note: shown with the report, or NULL */
};

struct report_opts {
	bool color;             /* human: ANSI colours */
	const char *labs_dir;   /* human: when set (a student's `forklab grade`), the report closes
	                           with what the score means and the lab to do next, whose handout
	                           is under labs_dir */
	const char *again;      /* with labs_dir: the command that grades one lab, to which its
	                           number is appended ("make grade LAB=", "build/forklab grade ") */
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
int report_html(FILE *out, const struct grade_report *g, const struct report_opts *o);

/* The processes a verdict names, by tree name ("P", "P.1.2", or as q_label() writes them,
 * "P.1 (pid 4243)"), marked in hl (r->nprocs flags, r->procs order); a name followed by a pid
 * that is not its own is not taken. *named (may be NULL): how many were newly marked. Returns
 * how many names came with their own pid (which tells the run a verdict is about). */
size_t report_named_procs(const struct record *r, const char *msg, bool *hl, size_t *named);

/* forklab grade --verbose: what was built (taken, when prebuilt) and run for one lab, and its
 * score, a line each. */
void report_log_lab(FILE *out, const struct lab_result *lr, bool prebuilt);

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
