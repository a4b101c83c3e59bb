/* grade.h - grading: build a lab, run its scenarios under the tracer, evaluate its checks, and
 * keep everything in one result tree that the reporters (report.h) format. */
#ifndef FORKLAB_GRADE_H
#define FORKLAB_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include "lab.h"

struct check_result {
	const struct check *check;
	bool passed;
	int score;            /* check->points when passed, else 0 */
	char *message;        /* the verdict when failed (teaching text), else NULL */
	bool error;           /* failed because the lab did not build or a run did not happen,
	                         not on the program's behaviour */
	unsigned char *runs_used; /* lab_result.nruns flags: the scenarios the check read */
	bool hidden;          /* graded, but shown to the student only after the deadline */
};

struct lab_result {
	const struct lab *lab;
	bool built;           /* false: build_log says why (compiler output, missing file) */
	char *build_log;
	char *bin;            /* the executable that was graded (built: a copy left for the
	                         student at build/grade/<DIR>/<lab>/<program>) */
	int exe_fd;           /* when > 2: what is run, an O_PATH descriptor of that executable
	                         (built: in workdir) */
	char *workdir;        /* the build's private directory, removed by lab_result_free */
	struct run *runs;     /* one per scenario */
	size_t nruns;
	struct check_result *checks;
	size_t nchecks;
	int score, max;
	double seconds;       /* wall time spent on this lab */
};

struct grade_opts {
	const char *labs_dir;     /* tree of lab sources; default "labs" */
	const char *bin;          /* grade this executable instead of building (one lab), or NULL */
	const char *build_dir;    /* default "build" */
	const char *helpers_dir;  /* grader helper programs; default: "helpers" beside the running
	                             executable, else ../lib/forklab/helpers (installed) */
	bool untraced;            /* run the scenarios without the tracer (trace_opts.untraced),
	                             to measure what tracing costs; the checks then fail */
	const char *forklab;      /* the forklab command as the student runs it ("build/forklab"),
	                             in the command a verdict suggests; default "forklab" */
};

void grade_opts_init(struct grade_opts *o);

/* Finds a lab by "4", "04", "04-process-tree" or "process-tree"; NULL if none. */
const struct lab *lab_lookup(const char *spec);

/* The lab's directory under labs_dir as a path from the current directory, ending in '/' ("" in
 * the lab's own directory): "labs/03-wait-modes/", "../02-getpid-pitfall/". malloc'd, or NULL. */
char *lab_dir_from_here(const struct lab *lab, const char *labs_dir);

/* Builds (unless o->bin), runs and checks one lab. A compile error or a crash is a result, not a
 * failure: returns -1 only when forklab itself could not work (message in err). */
int grade_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
	      char *err, size_t errlen);
void lab_result_free(struct lab_result *r);

/* The ids of the failed checks, comma-separated in table order ("" when all passed); malloc'd.
 * For tests that assert exactly which checks a program fails. */
char *lab_result_failed_ids(const struct lab_result *r);

#endif
