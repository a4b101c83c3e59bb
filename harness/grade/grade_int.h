/* grade_int.h - the grader's inside, shared by grade.c and build.c. Not for users of grade.h. */
#ifndef FORKLAB_GRADE_INT_H
#define FORKLAB_GRADE_INT_H

#include <stddef.h>
#include "grade.h"

/* Formats one line into err (when err is not NULL). */
void grade_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A malloc'd formatted string, or NULL. */
char *grade_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* build.c. Builds the lab from o->labs_dir into a private directory (out->workdir; the program
 * open in out->exe_fd) and leaves a copy at build_dir/grade/<labs>/<lab>/<program> (out->bin): a
 * missing file, a linked lab directory or a compile error is recorded in out (built = false);
 * -1 only when forklab failed (message in err). */
int grade_build_lab(const struct lab *lab, const struct grade_opts *o, struct lab_result *out,
		    char *err, size_t errlen);
/* Takes --bin: the program must exist and be executable (it is opened then, into out->exe_fd);
 * otherwise that is the build verdict. -1 only when out of memory. */
int grade_take_bin(const char *path, struct lab_result *out);

#endif
