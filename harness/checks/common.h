/* common.h - verdict pieces that the checks of several labs share. */
#ifndef FORKLAB_CHECKS_COMMON_H
#define FORKLAB_CHECKS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include "lab.h"

/* True when some line appears more than once on stdout. */
bool common_has_repeated_line(const struct record *r);

/* A hint for verdicts on output, when some stdout line appears twice: the usual cause is a
 * stdio buffer copied by fork(). Empty otherwise. */
const char *common_repeat_hint(const struct record *r);

/* How many processes wrote line (a whole line on stdout), and their labels in creation order
 * in by ("P and P.1", "P, P.1 and P.2"). */
size_t common_line_writers(const struct record *r, const char *line, char *by, size_t len);

/* Why a line printed once appears once per process: ": it was still in the stdio buffer ...".
 * For a verdict that has named the line and its writers. */
const char *common_copied_buffer_why(void);

/* Each scenario in ids (shown[i] says how it was run, for the verdict) must print a usage line
 * on stderr, nothing on stdout, fork nothing and exit 2. */
int common_check_usage(struct check_ctx *c, const char *const *ids, const char *const *shown,
		       size_t n);

#endif
