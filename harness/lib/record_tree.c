/* record_tree.c - the student's view of a record: one line per process, drawn as a tree and
 * wrapped to fit the screen, then one summary line; on request each exec's descriptors 0-9
 * (pipes numbered) and a text timeline, one lane per process. */
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"

struct tree_style {
	const char *name, *dim, *bad, *good, *off;
};

struct tree {
	FILE *out;
	const struct record *r;
	const struct tree_opts *o;
	struct tree_style st;
	int width;
	unsigned long *pipes;     /* pipe inodes, numbered by first appearance (#1 = pipes[0]) */
	size_t npipes;
	unsigned long capture[3]; /* [1], [2]: the pipes forklab captures stdout and stderr on */
};

/* Columns s takes on a terminal: UTF-8 characters, colour sequences not counted. */
static int vis_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\033') {
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		if ((*p & 0xC0) != 0x80)
			w++;
	}
	return w;
}

/* ---- one process: its pieces, joined by ", " and wrapped ---- */

struct pieces {
	char *s[16];
	size_t n;
};

static void piece(struct pieces *pc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void piece(struct pieces *pc, const char *fmt, ...)
{
	if (pc->n >= sizeof pc->s / sizeof *pc->s)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&pc->s[pc->n], fmt, ap) >= 0)
		pc->n++;
	va_end(ap);
}

/* An argument as a shell would need it written: as it is when it holds only safe characters,
 * else in single quotes ('it'\''s'); control bytes shown as '?'. */
static void put_quoted(FILE *m, const char *a)
{
	bool plain = *a != '\0';
	for (const char *c = a; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			       "_@%+=:,./-", *c) != NULL;
	if (!plain)
		fputc('\'', m);
	for (const char *c = a; *c; c++) {
		if (*c == '\'' && !plain)
			fputs("'\\''", m);
		else
			fputc((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c, m);
	}
	if (!plain)
		fputc('\'', m);
}

#define ARGV_SHOWN 72 /* characters of an argv shown before " ..." */

/* "exec ls -l '/tmp/a b'": the last exec's argv, quoted, at most ~ARGV_SHOWN characters. */
static void exec_text(FILE *m, const struct rec_proc *p)
{
	const struct rec_exec *e = &p->execs[p->nexecs - 1];
	fputs(" exec", m);
	long start = ftell(m);
	for (int i = 0; e->argv && e->argv[i]; i++) {
		if (ftell(m) - start + (long)strlen(e->argv[i]) > ARGV_SHOWN) {
			fputs(" ...", m);
			break;
		}
		fputc(' ', m);
		put_quoted(m, e->argv[i]);
	}
	if (p->nexecs > 1)
		fprintf(m, " (%zu execs)", p->nexecs);
}

#define WROTE_SHOWN 32 /* characters of a written line shown in the tree */

/* The start of a written line, quoted: WROTE_SHOWN characters, counted as UTF-8 (a character
 * is never cut in two: "é" stays whole), control bytes as '?'. */
static void put_line_start(FILE *m, const char *s, size_t len)
{
	size_t i = 0, chars = 0;
	fputc('"', m);
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool continuation = (c & 0xc0) == 0x80;
		if (!continuation && chars++ == WROTE_SHOWN)
			break;
		fputc(c < 0x20 || c == 0x7f ? '?' : c, m);
	}
	fputs(i < len ? "...\"" : "\"", m);
}

/* What the process wrote on one stream: its one line, or how many and the first and last. */
static void wrote_piece(struct pieces *pc, const struct rec_buf *b, const char *where)
{
	if (b->len == 0)
		return;
	size_t lines = 0, first = 0, last = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == '\n' || i + 1 == b->len)
			lines++;
	while (first < b->len && b->data[first] != '\n')
		first++;
	size_t end = b->len;
	if (end > 0 && b->data[end - 1] == '\n')
		end--;
	last = end;
	while (last > 0 && b->data[last - 1] != '\n')
		last--;
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return;
	fputs("wrote ", m);
	if (lines > 1) {
		fprintf(m, "%zu lines, first ", lines);
		put_line_start(m, b->data, first);
		fputs(", last ", m);
		put_line_start(m, b->data + last, end - last);
	} else {
		put_line_start(m, b->data, first);
	}
	fputs(where, m);
	if (fclose(m) == 0 && pc->n < sizeof pc->s / sizeof *pc->s)
		pc->s[pc->n++] = s;
	else
		free(s);
}

static void end_piece(struct pieces *pc, const struct rec_proc *p, const struct tree_style *st)
{
	char sb[32];
	if (!p->exited)
		piece(pc, "%sstill running%s", st->bad, st->off);
	else if (p->killed_by_forklab && p->blocked_in)  /* what kept it from ending */
		piece(pc, "%skilled by forklab%s (%s) while waiting in %s()", st->bad, st->off,
		      rec_signal_name(p->exit_signal, sb, sizeof sb), p->blocked_in);
	else if (p->killed_by_forklab)
		piece(pc, "%skilled by forklab%s (%s)", st->bad, st->off,
		      rec_signal_name(p->exit_signal, sb, sizeof sb));
	else if (p->exit_signal > 0)
		piece(pc, "%skilled by %s%s", st->bad, rec_signal_name(p->exit_signal, sb, sizeof sb),
		      st->off);
	else
		piece(pc, "%sexited %d%s", p->exit_code ? st->bad : st->good, p->exit_code, st->off);
}

/* "forklab (pid 4242)": the pid an orphan sees as its new parent. */
static void forklab_name(char *buf, size_t len, const struct tree_opts *o)
{
	if (o->forklab_pid > 0)
		snprintf(buf, len, "forklab (pid %d)", (int)o->forklab_pid);
	else
		snprintf(buf, len, "forklab");
}

/* "12.3" ms; under 1 ms to the microsecond ("0.042"), where --zombies shows most reaps. */
static void ms_text(char *buf, size_t len, double ms)
{
	snprintf(buf, len, ms >= 1 ? "%.1f" : "%.3f", ms);
}

/* "reaped by P", with the zombie time when it is worth a look (or with --zombies always, and
 * when the reap came): a parent slow to wait. A long one is marked in words, not only in red. */
static void reap_piece(struct pieces *pc, const struct rec_proc *p, const struct tree *t)
{
	const struct tree_style *st = &t->st;
	if (p->reaped_by == 0) {
		if (p->exited)
			piece(pc, "%snever reaped%s", st->bad, st->off);
		return;
	}
	double zombie = p->reaped_ms - p->exited_ms;
	if (zombie < 0)
		zombie = 0;
	bool is_long = zombie >= 10 * t->o->zombie_ms;
	char who[64], at[48] = "", after[96] = "", zt[32], rt[32];
	ms_text(zt, sizeof zt, zombie);
	ms_text(rt, sizeof rt, p->reaped_ms);
	if (t->o->zombies)
		snprintf(at, sizeof at, " at %s ms", rt);
	if (zombie >= t->o->zombie_ms || t->o->zombies)
		snprintf(after, sizeof after, " after %s ms as a %szombie%s%s", zt,
			 is_long ? st->bad : "", is_long ? " (long)" : "", is_long ? st->off : "");
	if (p->reaped_by == REC_FORKLAB)
		forklab_name(who, sizeof who, t->o);
	else if (p->reaper)
		snprintf(who, sizeof who, "%s", p->reaper->name);
	else
		snprintf(who, sizeof who, "pid %d", (int)p->reaped_by);
	piece(pc, "reaped by %s%s%s", who, at, after);
}

static void orphan_piece(struct pieces *pc, const struct rec_proc *p, const struct tree *t)
{
	if (!p->orphaned && !p->adopted_by)
		return;
	char who[64];
	if (p->adopted_by == REC_FORKLAB)
		forklab_name(who, sizeof who, t->o);
	else
		snprintf(who, sizeof who, "pid %d", (int)p->adopted_by);
	if (!p->orphaned) /* it had ended: a zombie, adopted only to be reaped */
		piece(pc, "adopted by %s as a zombie", who);
	else if (p->adopted_by != 0)
		piece(pc, "%sorphaned%s, adopted by %s", t->st.bad, t->st.off, who);
	else
		piece(pc, "%sorphaned%s", t->st.bad, t->st.off);
}

/* Writes lead, then the pieces joined by ", " (also before the first when comma_first),
 * wrapped before a piece that would pass the width; continuation lines start with cont. */
static void put_wrapped(struct tree *t, const char *lead, const char *cont,
			const struct pieces *pc, bool comma_first)
{
	int col = vis_width(lead), cw = vis_width(cont);
	fputs(lead, t->out);
	for (size_t i = 0; i < pc->n; i++) {
		int w = vis_width(pc->s[i]);
		bool comma = i > 0 || comma_first;
		/* a piece that others follow keeps a column for the comma a wrap would add */
		int room = t->width - (i + 1 < pc->n ? 1 : 0);
		if (col + (comma ? 2 : 0) + w > room && col > cw) {
			fprintf(t->out, "%s\n%s", comma ? "," : "", cont);
			col = cw;
		} else if (comma) {
			fputs(", ", t->out);
			col += 2;
		}
		fputs(pc->s[i], t->out);
		col += w;
	}
	fputc('\n', t->out);
}

/* ---- descriptors (--fds) ---- */

static int pipe_number(struct tree *t, unsigned long inode)
{
	for (size_t i = 0; i < t->npipes; i++)
		if (t->pipes[i] == inode)
			return (int)i + 1;
	unsigned long *np = realloc(t->pipes, (t->npipes + 1) * sizeof *np);
	if (!np)
		return 0;
	t->pipes = np;
	t->pipes[t->npipes++] = inode;
	return (int)t->npipes;
}

/* "0 ← pipe#1 read", "1 → out.txt", "2 → terminal". */
static void fd_text(FILE *m, struct tree *t, const struct rec_fd *f)
{
	int acc = f->flags >= 0 ? (f->flags & O_ACCMODE) : -1;
	const char *arrow = acc == O_RDONLY ? "←" : acc == O_WRONLY ? "→" : "↔";
	if (f->kind == 'p' && f->inode && (f->inode == t->capture[1] || f->inode == t->capture[2])) {
		fprintf(m, "%d → %s (to forklab)", f->fd, f->inode == t->capture[1] ? "stdout" :
			"stderr");
		return;
	}
	if (f->kind == 'p') {
		arrow = f->end == 'r' ? "←" : "→";
		fprintf(m, "%d %s pipe#%d %s", f->fd, arrow, pipe_number(t, f->inode),
			f->end == 'r' ? "read" : "write");
		return;
	}
	const char *what = f->target ? f->target : "?";
	if (f->kind == 't')
		what = "terminal";
	else if (f->kind == 's')
		what = "socket";
	else if (strncmp(what, "/tmp/forklab-", 13) == 0 && strchr(what + 13, '/'))
		what = strchr(what + 13, '/') + 1;     /* a file of the run's scratch directory */
	fprintf(m, "%d %s %s", f->fd, arrow, what);
}

/* Descriptors 0-9 of a set, as "fds: 0 ← ..., 1 → ..." pieces. */
static void fds_line(struct tree *t, const char *cont, const char *what,
		     const struct rec_fdset *s)
{
	struct pieces pc = { .n = 0 };
	char *lead = NULL;
	if (asprintf(&lead, "%s%s%s: ", cont, what, t->st.off) < 0)
		return;
	for (size_t i = 0; i < s->n && pc.n < 10; i++) {
		if (s->fds[i].fd > 9)
			break;
		char *txt = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&txt, &len);
		if (!m)
			break;
		fd_text(m, t, &s->fds[i]);
		if (fclose(m) == 0)
			pc.s[pc.n++] = txt;
		else
			free(txt);
	}
	if (pc.n == 0)
		pc.s[pc.n++] = strdup("none open");
	char *more = NULL;
	size_t extra = 0;
	for (size_t i = 0; i < s->n; i++)
		extra += s->fds[i].fd > 9;
	if (extra && asprintf(&more, "and %zu above 9", extra) >= 0)
		pc.s[pc.n++] = more;
	put_wrapped(t, lead, cont, &pc, false);
	for (size_t i = 0; i < pc.n; i++)
		free(pc.s[i]);
	free(lead);
}

static void fds_of(struct tree *t, const struct rec_proc *p, const char *cont)
{
	for (size_t i = 0; i < p->nexecs; i++) {
		const struct rec_exec *e = &p->execs[i];
		char *what = NULL;
		const char *prog = e->argv && e->argv[0] ? e->argv[0] : e->path;
		const char *base = prog ? strrchr(prog, '/') : NULL;
		if (asprintf(&what, "%sat exec %s", t->st.dim, base ? base + 1 : prog ? prog : "?") < 0)
			return;
		fds_line(t, cont, what, &e->fds);
		free(what);
	}
	/* A run stopped by a limit: who still held what, e.g. the write end a reader waited on. */
	if (p->end_fds.taken && (!p->exited || p->killed_by_forklab)) {
		char *what = NULL;
		if (asprintf(&what, "%sheld when stopped", t->st.bad) < 0)
			return;
		fds_line(t, cont, what, &p->end_fds);
		free(what);
	}
}

/* ---- the tree ---- */

static void print_line(struct tree *t, const struct rec_proc *p, const char *prefix, bool last)
{
	const struct tree_style *st = &t->st;
	struct pieces pc = { .n = 0 };
	char *head = NULL, *execs = NULL;
	size_t elen = 0;
	if (p->nexecs) {
		FILE *m = open_memstream(&execs, &elen);
		if (m) {
			exec_text(m, p);
			fclose(m);
		}
	}
	if (asprintf(&head, "%s%s%s%s %s%d%s%s", p->depth > 0 ? prefix : "",
		     p->depth > 0 ? (last ? "└─ " : "├─ ") : "", st->name, p->name, st->dim,
		     (int)p->pid, st->off, execs ? execs : "") < 0)
		head = NULL;
	free(execs);
	wrote_piece(&pc, &p->out, "");
	wrote_piece(&pc, &p->err, " on stderr");
	end_piece(&pc, p, st);
	orphan_piece(&pc, p, t);
	reap_piece(&pc, p, t);
	if (p->nthreads)
		piece(&pc, "%zu thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
	if (t->o->memory && p->private_dirty_kib >= 0)
		piece(&pc, "%lld KiB private dirty, %lld minor fault%s", p->private_dirty_kib,
		      p->minflt, p->minflt == 1 ? "" : "s");
	if (p->forks_denied)
		piece(&pc, "%u fork%s denied", p->forks_denied, p->forks_denied == 1 ? "" : "s");
	/* Continuation lines keep the tree's lines: under this process, its children's bar. */
	char *cont = NULL;
	if (asprintf(&cont, "%s%s%s", p->depth > 0 ? prefix : "",
		     p->depth > 0 ? (last ? "   " : "│  ") : "", p->nchildren ? "│    " : "     ") < 0)
		cont = NULL;
	if (head && cont) {
		put_wrapped(t, head, cont, &pc, true);   /* the head is never split */
		if (t->o->fds)
			fds_of(t, p, cont);
	}
	for (size_t i = 0; i < pc.n; i++)
		free(pc.s[i]);
	free(head);
	free(cont);
}

/* Depth-first with an explicit prefix: deep chains must not overflow the C stack. */
static void print_subtree(struct tree *t, const struct rec_proc *root)
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
	print_line(t, root, prefix, true);
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
		print_line(t, c, prefix, last);
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

/* ---- the timeline (--timeline) ---- */

/* One lane per process, time across: '=' alive, 'z' a zombie (ended, not reaped yet), '|' an
 * exec. Lab 03's seq and par look different at a glance: a staircase, or lanes side by side. */
static void print_timeline(struct tree *t)
{
	const struct record *r = t->r;
	int label = 4;
	for (size_t i = 0; i < r->nprocs; i++) {
		int n = (int)strlen(r->procs[i]->name);
		if (n + 2 > label)
			label = n + 2;
	}
	int cols = t->width - label - 2;
	if (cols < 10 || r->nprocs == 0)
		return;
	double total = r->duration_ms > 0 ? r->duration_ms : 1;
	double step = total / cols;
	fprintf(t->out, "timeline: 0 to %.1f ms, one column = %.2f ms; '=' alive, 'z' zombie, "
		"'|' exec\n", total, step);
	char *lane = malloc((size_t)cols + 1);
	if (!lane)
		return;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		double end = p->exited ? p->exited_ms : total;
		double reaped = p->reaped_by ? p->reaped_ms : end;
		/* Each column shows the state at its middle; a process shorter than a column
		 * still gets one. */
		bool shown = false;
		for (int c = 0; c < cols; c++) {
			double a = c * step, b = (c + 1) * step, mid = (a + b) / 2;
			char ch = ' ';
			if (mid >= p->forked_ms && mid < end)
				ch = '=';
			else if (p->exited && mid >= end && mid < reaped)
				ch = 'z';
			for (size_t k = 0; k < p->nexecs; k++)
				if (p->execs[k].ms >= a && p->execs[k].ms < b)
					ch = '|';
			shown |= ch != ' ';
			lane[c] = ch;
		}
		int at = (int)(p->forked_ms / step);
		if (!shown && at >= 0 && at < cols)
			lane[at] = '=';
		int len = cols;
		while (len > 0 && lane[len - 1] == ' ')
			len--;
		lane[len] = '\0';
		fprintf(t->out, "%-*s%s\n", label, p->name, lane);
	}
	free(lane);
}

void tree_opts_init(struct tree_opts *o)
{
	*o = (struct tree_opts){ .width = 100, .zombie_ms = 50 };
}

int record_print_tree_opts(const struct record *r, FILE *out, const struct tree_opts *o)
{
	struct tree t = { .out = out, .r = r, .o = o, .st = { "", "", "", "", "" },
			  .width = o->width > 40 ? o->width : 100 };
	if (o->color)
		t.st = (struct tree_style){ "\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[0m" };
	if (o->separator)
		fprintf(out, "%s── forklab: the processes of this run %.*s%s\n", t.st.dim,
			3 * 40, "────────────────────────────────────────",
			t.st.off);
	/* The program starts with forklab's capture pipes on 1 and 2: named so, not numbered. */
	if (r->root && r->root->nexecs)
		for (size_t i = 0; i < r->root->execs[0].fds.n; i++) {
			const struct rec_fd *f = &r->root->execs[0].fds.fds[i];
			if ((f->fd == 1 || f->fd == 2) && f->kind == 'p')
				t.capture[f->fd] = f->inode;
		}
	if (r->root)
		print_subtree(&t, r->root);
	/* A detail usually starts with the outcome's own name ("linger: P.1 ..."). */
	const char *name = outcome_name(r->outcome);
	size_t nlen = strlen(name);
	bool named = r->detail && strncmp(r->detail, name, nlen) == 0 && r->detail[nlen] == ':';
	struct pieces pc = { .n = 0 };
	piece(&pc, "%s%s%s%s%s (status %d)", r->outcome <= OUT_SIGNALED ? t.st.good : t.st.bad,
	      named ? r->detail : name, t.st.off, r->detail && !named ? ": " : "",
	      r->detail && !named ? r->detail : "", r->status);
	piece(&pc, "%zu process%s", r->nprocs, r->nprocs == 1 ? "" : "es");
	piece(&pc, "at most %d alive at once", r->max_alive);
	if (r->forks_denied)
		piece(&pc, "%u forks denied", r->forks_denied);
	if (r->output_truncated)
		piece(&pc, "output truncated");
	piece(&pc, "%sleftover %d%s", r->leftover ? t.st.bad : "", r->leftover,
	      r->leftover ? t.st.off : "");
	/* "<outcome> (status N); N processes, ...": the first join is "; ". */
	struct pieces rest = { .n = 0 };
	for (size_t i = 1; i < pc.n; i++)
		rest.s[rest.n++] = pc.s[i];
	char *lead = NULL;
	if (pc.n && asprintf(&lead, "%s; ", pc.s[0]) >= 0)
		put_wrapped(&t, lead, "  ", &rest, false);
	free(lead);
	for (size_t i = 0; i < pc.n; i++)
		free(pc.s[i]);
	if (o->timeline)
		print_timeline(&t);
	free(t.pipes);
	return ferror(out) ? -1 : 0;
}

int record_print_tree(const struct record *r, FILE *out, bool color)
{
	struct tree_opts o;
	tree_opts_init(&o);
	o.color = color;
	return record_print_tree_opts(r, out, &o);
}
