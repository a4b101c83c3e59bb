/* labs58.c - questions shared by the checks of labs 05-08 (see labs58.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "labs58.h"
#include "query.h"

bool l58_is_start(const struct run *run, const struct rec_proc *p, size_t i)
{
	const struct rec_exec *e = &p->execs[i];
	size_t nargs = 0;

	if (p->parent != NULL || i != 0)
		return false;
	while (run->sc->args && run->sc->args[nargs])
		nargs++;
	if (e->argc != (int)nargs + 1)
		return false;
	for (size_t k = 0; k < nargs; k++)
		if (strcmp(e->argv[k + 1], run->sc->args[k]) != 0)
			return false;
	return true;
}

const struct rec_exec *l58_first_exec(const struct run *run, const struct rec_proc *p)
{
	for (size_t i = 0; i < p->nexecs; i++)
		if (!l58_is_start(run, p, i))
			return &p->execs[i];
	return NULL;
}

/* True when s is name or ends with "/name". */
static bool names(const char *s, const char *name)
{
	size_t ls, ln;

	if (s == NULL)
		return false;
	ls = strlen(s);
	ln = strlen(name);
	if (ls < ln || strcmp(s + ls - ln, name) != 0)
		return false;
	return ls == ln || s[ls - ln - 1] == '/';
}

struct rec_proc *l58_execer(const struct run *run, const char *name, const struct rec_exec **ex)
{
	const struct record *r = run->rec;

	for (size_t k = 0; r && k < r->nprocs; k++) {
		struct rec_proc *p = r->procs[k];
		for (size_t i = 0; i < p->nexecs; i++) {
			const struct rec_exec *e = &p->execs[i];
			if (l58_is_start(run, p, i))
				continue;
			if (names(e->path, name) || (e->argc > 0 && names(e->argv[0], name))) {
				if (ex)
					*ex = e;
				return p;
			}
		}
	}
	return NULL;
}

int l58_ended(struct check_ctx *c, const struct run *run)
{
	const struct record *r = run->rec;

	if (r == NULL)
		return CHECK_FAIL;
	if (q_run_problem(r) == NULL)
		return CHECK_PASS;
	return check_fail(c, "in scenario '%s' %s", run->sc->id, q_run_problem(r));
}

/* Appends "'line'" to a growing, comma-separated buffer. */
static void quote_into(char **buf, size_t *len, const char *s)
{
	size_t need = strlen(s) + 5;
	char *nb = realloc(*buf, *len + need);

	if (nb == NULL)
		return;
	*buf = nb;
	*len += (size_t)sprintf(nb + *len, "%s'%s'", *len ? ", " : "", s);
}

static char *render(char **lines, size_t n, bool unterminated)
{
	char *buf = NULL;
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		quote_into(&buf, &len, lines[i]);
	if (buf && unterminated)
		quote_into(&buf, &len, "(last line without a newline)");
	return buf ? buf : strdup("nothing");
}

static bool same(char **lines, size_t n, bool unterminated, const char *const *want, size_t nwant,
		 char **got)
{
	bool ok = !unterminated && n == nwant;

	for (size_t i = 0; ok && i < n; i++)
		ok = strcmp(lines[i], want[i]) == 0;
	if (!ok && got)
		*got = render(lines, n, unterminated);
	q_lines_free(lines, n);
	return ok;
}

bool l58_lines_are(const struct rec_proc *p, int stream, const char *const *want, size_t n,
		   char **got)
{
	char **lines = NULL;
	bool unterminated = false;
	size_t nl = q_lines(p, stream, &lines, &unterminated);

	return same(lines, nl, unterminated, want, n, got);
}

bool l58_all_lines_are(const struct record *r, int stream, const char *const *want, size_t n,
		       char **got)
{
	char **lines = NULL;
	bool unterminated = false;
	size_t nl = q_all_lines(r, stream, &lines, &unterminated);

	return same(lines, nl, unterminated, want, n, got);
}

char *l58_quote_argv(char *const *argv)
{
	char *buf = NULL;
	size_t len = 0;

	for (size_t i = 0; argv && argv[i]; i++)
		quote_into(&buf, &len, argv[i]);
	return buf ? buf : strdup("(empty)");
}

int l58_default_file_mode(void)
{
	/* umask() can only be read by setting it; put it straight back. */
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~(int)mask;
}

char *l58_escape(const char *data, size_t len)
{
	size_t max = len > 120 ? 120 : len;
	char *out = malloc(max * 4 + 8), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < max; i++) {
		unsigned char ch = (unsigned char)data[i];
		if (ch == '\n')
			o += sprintf(o, "\\n");
		else if (ch < 32 || ch >= 127)
			o += sprintf(o, "\\x%02x", ch);
		else
			*o++ = (char)ch;
	}
	strcpy(o, len > max ? "..." : "");
	return out;
}

int l58_parent_reports(struct check_ctx *c, const char *id, const char *line, int status,
		       bool (*elsewhere)(const struct record *r, const char *line),
		       const char *status_note, const char *hint)
{
	struct record *r = check_run(c, id);
	char *got = NULL;

	if (r == NULL)
		return CHECK_FAIL;
	if (!(elsewhere && elsewhere(r, line)) && !l58_lines_are(r->root, 1, &line, 1, &got)) {
		check_fail(c, "in scenario '%s' P should print exactly '%s' but printed %s%s", id,
			   line, got, hint);
		free(got);
		return CHECK_FAIL;
	}
	if (q_status(r->root) != status)
		return check_fail(c, "in scenario '%s' P exited with status %d, expected %d%s%s", id,
				  q_status(r->root), status, status_note, hint);
	return CHECK_PASS;
}
