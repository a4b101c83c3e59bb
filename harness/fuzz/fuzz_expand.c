/* fuzz_expand.c - the checks' output templates ({P}, {P.1.2}, {ppid:P.1}...) expanded against a
 * small recorded run: any template text, broken braces and names of processes that do not
 * exist included. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "query.h"
#include "test_grade_fixture.h"

int fuzz_expand(const uint8_t *data, size_t size)
{
	static struct fx f;
	static int made;
	if (!made) {
		struct rec_proc *p = fx_new(&f, 4242);
		struct rec_proc *c = fx_fork(&f, p, 4243);
		struct rec_proc *g = fx_fork(&f, c, 4244);
		fx_write(&f, g, 1, "grandchild\n");
		fx_exit(&f, g, 0, 0);
		fx_reap(&f, g, c);
		fx_exit(&f, c, 3, 0);
		fx_reap(&f, c, p);
		fx_exit(&f, p, 0, 0);
		made = 1;
	}
	char *tmpl = fuzz_string(data, size);
	char *out = q_expand(f.r, tmpl);
	if (out && strlen(out) > 64 * (size + 1))
		abort(); /* expansion stays proportionate to the template */
	free(out);
	free(tmpl);
	return 0;
}

FUZZ_ENTRY(fuzz_expand)
