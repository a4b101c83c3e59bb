/* common.c - verdict pieces that the checks of several labs share. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "common.h"
#include "query.h"

bool common_has_repeated_line(const struct record *r)
{
	char **lines;
	bool unterminated, repeated = false;
	size_t n = q_all_lines(r, 1, &lines, &unterminated);

	for (size_t i = 0; i < n && !repeated; i++)
		for (size_t k = i + 1; k < n && !repeated; k++)
			repeated = strcmp(lines[i], lines[k]) == 0;
	q_lines_free(lines, n);
	return repeated;
}

const char *common_repeat_hint(const struct record *r)
{
	return common_has_repeated_line(r)
		       ? ". A line printed twice usually sat in the stdio buffer when fork() copied "
			 "the process: fflush(stdout) before fork()"
		       : "";
}

size_t common_line_writers(const struct record *r, const char *line, char *by, size_t len)
{
	size_t count = 0;
	const struct rec_proc *last = NULL;
	by[0] = '\0';
	for (size_t i = 0; i < r->nprocs; i++) {
		char **lines;
		bool unterminated, wrote = false;
		size_t n = q_lines(r->procs[i], 1, &lines, &unterminated);
		for (size_t k = 0; k < n && !wrote; k++)
			wrote = strcmp(lines[k], line) == 0;
		q_lines_free(lines, n);
		if (!wrote)
			continue;
		/* "A", "A and B", "A, B and C": the previous one is written when the next comes. */
		if (last) {
			size_t used = strlen(by);
			snprintf(by + used, len - used, "%s%s", count > 1 ? ", " : "",
				 q_label(last));
		}
		last = r->procs[i];
		count++;
	}
	if (last) {
		size_t used = strlen(by);
		snprintf(by + used, len - used, "%s%s", count > 1 ? " and " : "", q_label(last));
	}
	return count;
}

const char *common_copied_buffer_why(void)
{
	return ": it was printed once, before fork(), and was still in the stdio buffer (stdout is "
	       "a pipe here, so printf() keeps lines until the buffer is flushed); fork() copied "
	       "the buffer into the child, and each process wrote its copy when it flushed at exit. "
	       "Call fflush(stdout) before fork()";
}

int common_check_usage(struct check_ctx *c, const char *const *ids, const char *const *shown,
		       size_t n)
{
	for (size_t s = 0; s < n; s++) {
		struct record *r = check_run(c, ids[s]);
		if (!r)
			return CHECK_FAIL;
		if (q_status(r->root) != 2 || r->err.len == 0 || r->out.len != 0 ||
		    r->root->nchildren != 0)
			return check_fail(c, "with %s expected a usage line on stderr, nothing on "
					  "stdout, no fork and exit status 2; got status %d, %zu bytes "
					  "on stderr, %zu on stdout, %zu children", shown[s],
					  q_status(r->root), r->err.len, r->out.len, r->root->nchildren);
	}
	return CHECK_PASS;
}
