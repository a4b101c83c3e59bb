/* record_tree.c - the student's view of a record: one line per process, drawn as a tree, then
 * one summary line. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"

struct tree_style {
	const char *name, *dim, *bad, *good, *off;
};

/* What the process exec'd, shortened: the last exec's argv, at most ~60 characters. */
static void print_exec(FILE *out, const struct rec_proc *p)
{
	if (p->nexecs == 0)
		return;
	const struct rec_exec *e = &p->execs[p->nexecs - 1];
	size_t used = 0;
	fputs(" exec", out);
	for (int i = 0; e->argv && e->argv[i]; i++) {
		const char *a = e->argv[i];
		size_t n = strlen(a);
		if (used + n > 60) {
			fputs(" ...", out);
			break;
		}
		fputc(' ', out);
		for (size_t k = 0; k < n; k++)
			fputc((unsigned char)a[k] < 0x20 ? '?' : a[k], out);
		used += n + 1;
	}
	if (p->nexecs > 1)
		fprintf(out, " (%zu execs)", p->nexecs);
}

#define WROTE_SHOWN 32 /* characters of a written line shown in the tree */

/* What the process wrote on one captured stream, at a glance: its one line, or how many lines
 * and the first ("who printed what" is half of what lab 01 is about). */
static void print_wrote(FILE *out, const struct rec_buf *b, const char *where)
{
	if (b->len == 0)
		return;
	size_t lines = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == '\n' || i + 1 == b->len)
			lines++;
	size_t first = 0;
	while (first < b->len && b->data[first] != '\n')
		first++;
	fputs(", wrote ", out);
	if (lines > 1)
		fprintf(out, "%zu lines, first ", lines);
	fputc('"', out);
	for (size_t i = 0; i < first && i < WROTE_SHOWN; i++) {
		unsigned char c = (unsigned char)b->data[i];
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
	fputs(first > WROTE_SHOWN ? "...\"" : "\"", out);
	fputs(where, out);
}

static void print_end(FILE *out, const struct rec_proc *p, const struct tree_style *st)
{
	char sb[32];
	if (!p->exited) {
		fprintf(out, ", %sstill running%s", st->bad, st->off);
		return;
	}
	if (p->killed_by_forklab)
		fprintf(out, ", %skilled by forklab%s (%s)", st->bad, st->off,
			rec_signal_name(p->exit_signal, sb, sizeof(sb)));
	else if (p->exit_signal > 0)
		fprintf(out, ", %skilled by %s%s", st->bad, rec_signal_name(p->exit_signal, sb, sizeof(sb)),
			st->off);
	else
		fprintf(out, ", %sexited %d%s", p->exit_code ? st->bad : st->good, p->exit_code,
			st->off);
}

static void print_reap(FILE *out, const struct rec_proc *p, const struct tree_style *st)
{
	if (p->reaped_by == 0) {
		if (p->exited)
			fprintf(out, ", %snever reaped%s", st->bad, st->off);
		return;
	}
	double zombie = p->reaped_ms - p->exited_ms;
	if (zombie < 0)
		zombie = 0;
	if (p->reaped_by == REC_FORKLAB) {
		/* forklab reaps at once what it is the parent of; only an adopted zombie waited. */
		fputs(", reaped by forklab", out);
		if (zombie >= 0.05)
			fprintf(out, " after %.1f ms as a zombie", zombie);
		return;
	}
	if (p->reaper)
		fprintf(out, ", reaped by %s", p->reaper->name);
	else
		fprintf(out, ", reaped by pid %d", (int)p->reaped_by);
	fprintf(out, " after %.1f ms as a zombie", zombie);
}

static void print_orphan(FILE *out, const struct rec_proc *p, const struct tree_style *st)
{
	if (p->orphaned)
		fprintf(out, ", %sorphaned%s", st->bad, st->off);
	if (p->adopted_by == REC_FORKLAB)
		fputs(", adopted by forklab", out);
	else if (p->adopted_by > 0)
		fprintf(out, ", adopted by pid %d", (int)p->adopted_by);
	if (p->adopted_by && !p->orphaned)
		fputs(" as a zombie", out);
}

static void print_line(FILE *out, const struct rec_proc *p, const char *prefix, bool last,
		       const struct tree_style *st)
{
	if (p->depth > 0)
		fprintf(out, "%s%s", prefix, last ? "└─ " : "├─ ");
	fprintf(out, "%s%s%s %s%d%s", st->name, p->name, st->off, st->dim, (int)p->pid, st->off);
	print_exec(out, p);
	print_wrote(out, &p->out, "");
	print_wrote(out, &p->err, " on stderr");
	print_end(out, p, st);
	print_orphan(out, p, st);
	print_reap(out, p, st);
	if (p->nthreads)
		fprintf(out, ", %zu thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
	if (p->forks_denied)
		fprintf(out, ", %u fork%s denied", p->forks_denied, p->forks_denied == 1 ? "" : "s");
	fputc('\n', out);
}

/* Depth-first with an explicit prefix: deep chains must not overflow the C stack. */
static void print_subtree(FILE *out, const struct rec_proc *root, const struct tree_style *st)
{
	struct frame { const struct rec_proc *p; size_t next; size_t plen; };
	size_t cap = 64, n = 0;
	struct frame *stack = malloc(cap * sizeof(*stack));
	size_t pcap = 256;
	char *prefix = malloc(pcap);
	if (!stack || !prefix) {
		free(stack);
		free(prefix);
		return;
	}
	prefix[0] = '\0';
	print_line(out, root, prefix, true, st);
	stack[n++] = (struct frame){ root, 0, 0 };
	while (n > 0) {
		struct frame *f = &stack[n - 1];
		if (f->next >= f->p->nchildren) {
			prefix[f->plen] = '\0';
			n--;
			continue;
		}
		const struct rec_proc *c = f->p->children[f->next++];
		bool last = f->next == f->p->nchildren;
		size_t plen = strlen(prefix);
		print_line(out, c, prefix, last, st);
		const char *seg = last ? "   " : "│  ";
		if (plen + strlen(seg) + 1 > pcap) {
			char *np = realloc(prefix, pcap * 2);
			if (!np)
				break;
			prefix = np;
			pcap *= 2;
		}
		if (n == cap) {
			struct frame *ns = realloc(stack, cap * 2 * sizeof(*stack));
			if (!ns)
				break;
			stack = ns;
			cap *= 2;
		}
		strcat(prefix, seg);
		stack[n++] = (struct frame){ c, 0, plen };
	}
	free(stack);
	free(prefix);
}

int record_print_tree(const struct record *r, FILE *out, bool color)
{
	struct tree_style st = { "", "", "", "", "" };
	if (color) {
		st.name = "\033[1m";
		st.dim = "\033[2m";
		st.bad = "\033[31m";
		st.good = "\033[32m";
		st.off = "\033[0m";
	}
	if (r->root)
		print_subtree(out, r->root, &st);
	/* A detail usually starts with the outcome's own name ("linger: P.1 ..."). */
	const char *name = outcome_name(r->outcome);
	size_t nlen = strlen(name);
	bool named = r->detail && strncmp(r->detail, name, nlen) == 0 && r->detail[nlen] == ':';
	fprintf(out, "%s%s%s", r->outcome <= OUT_SIGNALED ? st.good : st.bad,
		named ? r->detail : name, st.off);
	if (r->detail && !named)
		fprintf(out, ": %s", r->detail);
	fprintf(out, " (status %d); %zu process%s, at most %d alive at once", r->status, r->nprocs,
		r->nprocs == 1 ? "" : "es", r->max_alive);
	if (r->forks_denied)
		fprintf(out, ", %u forks denied", r->forks_denied);
	if (r->output_truncated)
		fputs(", output truncated", out);
	fprintf(out, ", %sleftover %d%s\n", r->leftover ? st.bad : "", r->leftover,
		r->leftover ? st.off : "");
	return ferror(out) ? -1 : 0;
}
