/* cli.h - the subcommands of the forklab command. Each returns the process exit status. */
#ifndef FORKLAB_CLI_H
#define FORKLAB_CLI_H
int cmd_run(int argc, char **argv);    /* cmd_run.c */
int cmd_grade(int argc, char **argv);  /* cmd_grade.c */
int cmd_batch(int argc, char **argv);  /* cmd_batch.c: forklab grade --batch */
int cmd_gradebook(int argc, char **argv);  /* gradebook.c */
int cmd_checks(int argc, char **argv); /* cmd_checks.c */

/* live.c: `forklab run` passing the program's output on as it arrives (a trace_opts on_output
 * callback that never blocks). live_finish writes what is still held, frees it, and says
 * whether stdout was left in the middle of a line. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
struct live;
struct live *live_start(void);
void live_output(int stream, const char *data, size_t len, void *arg);
bool live_finish(struct live *l);

/* gradebook.c: the CSV gradebook of a class, a row per student (struct gb_row: the student's
 * JSON report, or NULL and a note saying why there is none). */
#include <jansson.h>
#include "lab.h"
struct gb_cols {
	char **lab, **check;     /* "01-fork-return"; "01-fork-return/one-fork" */
	size_t nlab, ncheck;
};
struct gb_row {
	const char *student;
	json_t *report;
	const char *note;
};
int gb_cols_add_lab(struct gb_cols *c, const struct lab *lab);
int gb_cols_add_report(struct gb_cols *c, json_t *report);
void gb_cols_free(struct gb_cols *c);
/* What the gradebook's note says of a report: labs that did not build, runs stopped. */
char *gb_report_note(json_t *report);
int gb_write(FILE *out, const struct gb_cols *c, const struct gb_row *rows, size_t n);
/* Into path, through a temporary file renamed when complete. 0, or -1 with errno. */
int gb_write_file(const char *path, const struct gb_cols *c, const struct gb_row *rows,
		  size_t n);
#endif
