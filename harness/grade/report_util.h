/* report_util.h - what the reporters (and query.c's templates) share: a growing text buffer,
 * UTF-8 clean-up, base64, and the program's output of the scenarios a check read. Internal to
 * harness/grade. */
#ifndef FORKLAB_REPORT_UTIL_H
#define FORKLAB_REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include "grade.h"

struct tbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void tb_add(struct tbuf *b, const char *s, size_t n);
void tb_str(struct tbuf *b, const char *s);
void tb_printf(struct tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (never NULL unless memory ran out: then NULL and the buffer is freed). */
char *tb_take(struct tbuf *b);

/* A malloc'd copy of data[0..len) as valid UTF-8 without NULs: invalid bytes become U+FFFD,
 * NUL becomes "\0" spelled out. */
char *rep_utf8(const char *data, size_t len);

/* base64 (RFC 4648, with padding) of data[0..len), malloc'd. */
char *rep_base64(const char *data, size_t len);

/* What the program printed in the scenarios a check read (all of the lab's when the check read
 * none): per scenario its command line, then stdout and stderr, each cut at max bytes. */
char *rep_check_output(const struct lab_result *lr, const struct check_result *cr, size_t max);

/* Appends arg, in single quotes when the shell would split or expand it. */
void rep_shell_word(struct tbuf *b, const char *arg);

/* "2 2" style: the scenario's arguments joined by spaces, shell-quoted where needed. */
void rep_args(struct tbuf *b, const struct scenario *sc);

/* The check's name in flat formats: "91-demo-tree shape: the exact shape of the tree". */
char *rep_test_name(const struct lab_result *lr, const struct check_result *cr);

#endif
