/* record_dot.c - the process tree as Graphviz DOT: one box per process (tree name, pid, what it
 * exec'd, how it ended, who reaped it), an edge from each creator to each child, and a dashed
 * one from a reaper that was not the creator. Strings from the program are escaped so that any
 * bytes still make one valid graph. */
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"
#include "record_pic.h"
#include "utf8.h"

#define ARGV_SHOWN 60   /* bytes of an argv shown in a box */

/* Writes data[0..len) for the inside of a DOT quoted string: valid UTF-8, '"' and '\' escaped,
 * control bytes (a newline too) as '?'. */
static void dot_text(FILE *out, const char *data, size_t len)
{
	size_t n;
	char *s = utf8_sanitize(data ? data : "", data ? len : 0, &n);
	if (!s) {
		fputc('?', out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fputc('\\', out);
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
	free(s);
}

static void dot_str(FILE *out, const char *s)
{
	dot_text(out, s, s ? strlen(s) : 0);
}

static void dot_exec(FILE *out, const struct rec_proc *p)
{
	const struct rec_exec *e = &p->execs[p->nexecs - 1];
	size_t used = 0;
	fputs("\\nexec", out);
	for (int i = 0; e->argv && e->argv[i]; i++) {
		size_t n = strlen(e->argv[i]);
		if (used + n > ARGV_SHOWN) {
			fputs(" ...", out);
			break;
		}
		fputc(' ', out);
		dot_text(out, e->argv[i], n);
		used += n + 1;
	}
	if (p->nexecs > 1)
		fprintf(out, " (%zu execs)", p->nexecs);
}

static void dot_end(FILE *out, const struct rec_proc *p)
{
	fputs("\\n", out);
	if (!p->exited) {
		fputs("still running", out);
		return;
	}
	if (p->killed_by_forklab)
		fputs("killed by forklab (", out);
	else if (p->exit_signal > 0)
		fputs("killed by ", out);
	char sb[32];
	if (p->exit_signal > 0)
		fputs(rec_signal_name(p->exit_signal, sb, sizeof(sb)), out);
	else
		fprintf(out, "exited %d", p->exit_code);
	if (p->killed_by_forklab)
		fputc(')', out);
	if (p->reaped_by == 0)
		fputs(", never reaped", out);
	else if (p->reaped_by == REC_FORKLAB)
		fputs(", reaped by forklab", out);
	else if (p->reaper)
		fprintf(out, ", reaped by %s", p->reaper->name);
	else
		fprintf(out, ", reaped by pid %d", (int)p->reaped_by);
	if (p->reaped_by && p->reaped_ms - p->exited_ms >= 0.005)
		fprintf(out, "\\nzombie %.2f ms", p->reaped_ms - p->exited_ms);
}

int record_to_dot(const struct record *r, FILE *out)
{
	const char *name = outcome_name(r->outcome);
	fputs("digraph forklab {\n"
	      "  graph [rankdir=TB, labelloc=b, fontname=\"sans-serif\", label=\"", out);
	if (r->root && r->root->nexecs && r->root->execs[0].argv && r->root->execs[0].argv[0]) {
		dot_str(out, r->root->execs[0].argv[0]);
		fputs(": ", out);
	}
	fputs(name, out);
	if (r->detail) {
		fputs(": ", out);
		dot_str(out, r->detail);
	}
	fprintf(out, " (status %d), %zu process%s\"];\n", r->status, r->nprocs,
		r->nprocs == 1 ? "" : "es");
	fputs("  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\", "
	      "fontsize=10, fillcolor=\"#e8f5e9\", color=\"#1a7f37\"];\n"
	      "  edge [color=\"#888888\"];\n", out);
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		fprintf(out, "  p%d [label=\"", (int)i);
		dot_str(out, p->name);
		fprintf(out, "  %d", (int)p->pid);
		if (p->nexecs)
			dot_exec(out, p);
		dot_end(out, p);
		if (p->orphaned)
			fputs("\\norphaned, adopted", out);
		fputc('"', out);
		bool bad = p->exited && (p->exit_signal > 0 || p->exit_code != 0);
		if (!p->exited)
			fputs(", fillcolor=\"#fff8e1\", color=\"#e6a100\"", out);
		else if (bad)
			fputs(", fillcolor=\"#fdecea\", color=\"#c62828\"", out);
		if (p->orphaned)
			fputs(", style=\"rounded,filled,dashed\"", out);
		fputs("];\n", out);
	}
	/* Edges by index: the record's own pointers say who is who. */
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		for (size_t c = 0; c < p->nchildren; c++)
			for (size_t k = i + 1; k < r->nprocs; k++)
				if (r->procs[k] == p->children[c]) {
					fprintf(out, "  p%zu -> p%zu;\n", i, k);
					break;
				}
	}
	for (size_t k = 0; k < r->nprocs; k++) {
		const struct rec_proc *p = r->procs[k];
		if (!p->reaper || p->reaper == p->parent)
			continue;
		for (size_t i = 0; i < r->nprocs; i++)
			if (r->procs[i] == p->reaper) {
				fprintf(out, "  p%zu -> p%zu [style=dashed, color=\"#8e6cb4\", "
					"constraint=false, label=\"reaped\", fontsize=9];\n", i, k);
				break;
			}
	}
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}
