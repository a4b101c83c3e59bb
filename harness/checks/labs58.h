/* labs58.h - small questions shared by the checks of labs 05-08 (exec, descriptors, pipes,
 * servers): which process exec'd what, beyond the start of the lab program itself, and the lines
 * a process printed, compared with what was expected. */
#ifndef FORKLAB_LABS58_H
#define FORKLAB_LABS58_H

#include <stdbool.h>
#include <stddef.h>
#include "lab.h"

/* True when exec i of p is the tracer starting the lab program itself (the root's exec whose
 * arguments are the scenario's), rather than something the program exec'd. */
bool l58_is_start(const struct run *run, const struct rec_proc *p, size_t i);

/* The first exec by p that the program made itself (not its own start), or NULL. */
const struct rec_exec *l58_first_exec(const struct run *run, const struct rec_proc *p);

/* The first process whose own exec ran `name` (argv[0] or path ending in it), skipping the
 * start of the lab program; *ex gets that exec. NULL when nobody exec'd it. */
struct rec_proc *l58_execer(const struct run *run, const char *name, const struct rec_exec **ex);

/* Fails unless the run ended on its own (OUT_EXITED or OUT_SIGNALED): a timeout or a limit is
 * reported with the tracer's detail. Returns CHECK_PASS or CHECK_FAIL. */
int l58_ended(struct check_ctx *c, const struct run *run);

/* True when the lines p wrote on stream are exactly want[0..n). Otherwise false, and *got is a
 * malloc'd, quoted rendering of what p did write ("'a', 'b'" or "nothing"). */
bool l58_lines_are(const struct rec_proc *p, int stream, const char *const *want, size_t n,
		   char **got);
/* The same over the run's whole captured stream. */
bool l58_all_lines_are(const struct record *r, int stream, const char *const *want, size_t n,
		       char **got);

/* Scenario id's P printed exactly line on stdout (or, when elsewhere is given, elsewhere(r, line)
 * holds, e.g. the line went to a file instead) and exited with status. Otherwise the check
 * fails with a verdict ending in hint; a wrong status's verdict also gets status_note first.
 * Returns CHECK_PASS or CHECK_FAIL. */
int l58_parent_reports(struct check_ctx *c, const char *id, const char *line, int status,
		       bool (*elsewhere)(const struct record *r, const char *line),
		       const char *status_note, const char *hint);

/* A malloc'd, quoted, comma-separated rendering of argv ("'ls', '-l'"). */
char *l58_quote_argv(char *const *argv);

/* A malloc'd, printable rendering of len bytes of data, newlines as \n, cut after 120 bytes. */
char *l58_escape(const char *data, size_t len);

/* The mode bits a file created with 0666 gets under the grader's umask (0644 under 022). */
int l58_default_file_mode(void);

#endif
