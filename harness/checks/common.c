/* common.c - verdict pieces that the checks of several labs share. */
#include <stdbool.h>
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
