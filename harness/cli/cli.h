/* cli.h - the subcommands of the forklab command. Each returns the process exit status. */
#ifndef FORKLAB_CLI_H
#define FORKLAB_CLI_H
int cmd_run(int argc, char **argv);    /* cmd_run.c */
int cmd_grade(int argc, char **argv);  /* cmd_grade.c */
int cmd_list(int argc, char **argv);   /* student.c: also `forklab status` */
int cmd_hint(int argc, char **argv);   /* student.c */
int cmd_reset(int argc, char **argv);  /* student.c */
int cmd_watch(int argc, char **argv);  /* watch.c */
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

/* outfile.c: an --output FILE, written as a new file (mode 0644) under a random name beside
 * FILE and renamed over FILE once complete; a FILE that is a terminal, pipe or other device
 * (/dev/stdout) is written as it is. outfile_open returns the stream, or NULL with
 * errno. outfile_commit closes it and renames it (keep) or removes it (!keep): 0, or -1 with
 * errno (nothing renamed, the temporary removed). */
#include <stdio.h>
struct outfile {
	const char *path;
	char *tmp;
	FILE *f;
};
FILE *outfile_open(struct outfile *o, const char *path);
int outfile_commit(struct outfile *o, bool keep);

/* where.c: the labs as seen from the current directory. LAB arguments given as paths
 * (labs/01-fork-return, ".", ../02-getpid-pitfall) become lab names and their parent the labs
 * directory; without --labs and without labs/ here, a lab's directory or the labs directory
 * itself is recognised. */
struct lab;
struct labs_place {
	char *labs_dir;        /* where the labs are */
	char *build_dir;       /* NULL: the default (build); else the one beside the labs */
	char **specs;          /* the LAB arguments, paths replaced by lab names */
	int nspecs;
	const struct lab *here; /* no LAB given, inside this lab's directory: grade it alone */
};
int labs_place_find(bool labs_given, const char *labs_dir, char *const *specs, int nspecs,
		    struct labs_place *w);   /* 0, or -1 after one line on stderr */
void labs_place_free(struct labs_place *w);

/* student.c: the labs from here and the one lab named by specs (at most one; none: the lab
 * whose directory this is, or NULL in *lab). 0, or -1 after one line on stderr. */
int student_where(char *const *specs, int nspecs, struct labs_place *w, const struct lab **lab);

/* progress.c: a student's scores and hints, in <build dir>/progress. Arrays are indexed like
 * labs_all[]. */
struct lab_result;
struct progress {
	int last, best, max;   /* -1: never graded */
	int hints;             /* hints shown so far */
};
size_t progress_nlabs(void);
struct progress *progress_load(const char *build_dir);   /* malloc'd; NULL: out of memory */
int progress_save(const char *build_dir, const struct progress *p);   /* 0 or -1 (errno) */
/* Records the results of a grading (last and best scores). 0 or -1. */
int progress_record(const char *build_dir, const struct lab_result *res, size_t n);
bool progress_done(const struct progress *p);
size_t progress_next(const struct progress *p);   /* first lab not done; nlabs when none */
/* Writes path whole, as outfile.c writes an --output FILE. 0, or -1 (errno). */
int cli_write_file(const char *path, const char *data, size_t len);
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
