/* record_html.c - a record as one self-contained HTML page: the process tree as boxes and lines,
 * a timeline with one lane per process (forked, exec'd, exited, a zombie until reaped, adopted
 * when orphaned, and what it printed, placed where it printed it), a table of every process and
 * the program's output. Inline SVG and CSS only: no script, no font or file from anywhere else;
 * hovering shows a process's details (SVG <title>), clicking a lane marks its row in the table
 * (CSS :target). The markup is also well-formed XML, so xmllint can check a page. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"
#include "record_pic.h"
#include "utf8.h"

/* Geometry, in px. */
#define LANE_H 26      /* one lane */
#define BAR_Y 13       /* the bar's top within its lane; output labels sit above it */
#define BAR_H 10
#define AXIS_H 30      /* the time axis above the lanes */
#define PLOT_W 900     /* the time axis' length */
#define INDENT 12      /* per tree level in the lanes' labels */
#define CHAR_W 6.6     /* a character of 11px text, for fitting labels */
#define LABEL_MAX 360  /* the label column's widest */
#define MARKS_MAX 100  /* output markers drawn per lane */
#define MARKS_TOTAL 2000 /* and in the whole picture */
#define NODE_W 112     /* a box of the tree drawing */
#define NODE_H 34
#define NODE_GAP 14
#define LEVEL_H 60
#define TREE_MAX_LEAVES 16 /* a wider tree is only drawn beside the lanes */
#define OUTPUT_SHOWN (64 * 1024) /* bytes of each stream shown under the picture */

static const char CSS[] =
	".forklab{font-family:sans-serif;font-size:14px;color:#222}\n"
	".forklab h2{font-size:17px;margin:18px 0 6px}\n"
	".forklab .scroll{overflow-x:auto;border:1px solid #ddd;background:#fff}\n"
	".forklab svg text{font-family:sans-serif;font-size:11px;fill:#222}\n"
	".forklab dl.outcome{display:grid;grid-template-columns:max-content auto;gap:2px 12px;"
	"margin:6px 0}\n"
	".forklab dl.outcome dt{font-weight:bold}.forklab dl.outcome dd{margin:0}\n"
	".forklab .good{color:#1a7f37}.forklab .bad{color:#c62828}\n"
	".forklab .legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0;font-size:13px}\n"
	".forklab .legend svg{vertical-align:middle;margin-right:4px}\n"
	".forklab rect.bg{fill:#fff}.forklab g.lane:nth-of-type(even) rect.bg{fill:#f6f8fa}\n"
	".forklab g.lane:hover rect.bg{fill:#e8f0fe}\n"
	".forklab g.hl rect.bg,.forklab g.hl:nth-of-type(even) rect.bg{fill:#fff1a8}\n"
	".forklab g.hl text.name{font-weight:bold}\n"
	".forklab rect.forked{fill:#9ecae1}.forklab rect.running{fill:#3182bd}\n"
	".forklab rect.zombie{fill:#8e6cb4}\n"
	".forklab rect.zombie.unreaped{fill:#8e6cb4;stroke:#c62828;stroke-width:1.5;"
	"stroke-dasharray:3 2}\n"
	".forklab rect.orphan{fill:none;stroke:#e6550d;stroke-width:2;stroke-dasharray:4 2}\n"
	".forklab path.adopt{fill:#e6550d}\n"
	".forklab line.exit{stroke:#222;stroke-width:2}.forklab line.exit.bad{stroke:#c62828}\n"
	".forklab path.exec{fill:#08306b}\n"
	".forklab circle.out1{fill:#1a7f37}.forklab circle.out2{fill:#c62828}\n"
	".forklab text.said{font-family:monospace;font-size:9px;fill:#1a5e2b;paint-order:stroke;"
	"stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
	".forklab text.said.err{fill:#c62828}\n"
	".forklab text.pid,.forklab tspan.pid{fill:#777}.forklab tspan.prog{fill:#08306b}\n"
	".forklab text.fold{font-style:italic;fill:#555}\n"
	".forklab line.grid{stroke:#e3e3e3}.forklab line.axis{stroke:#888}\n"
	".forklab text.tick{fill:#555;font-size:10px}\n"
	".forklab line.tree{stroke:#aaa}\n"
	".forklab g.links{pointer-events:none}\n"
	".forklab line.fork{stroke:#555;stroke-width:1}\n"
	".forklab line.reap{stroke:#8e6cb4;stroke-width:1.5;stroke-dasharray:4 2}\n"
	".forklab path.edge{fill:none;stroke:#888;stroke-width:1.5}\n"
	".forklab g.node rect{fill:#e8f5e9;stroke:#1a7f37;stroke-width:1.5;rx:5}\n"
	".forklab g.node.bad rect{fill:#fdecea;stroke:#c62828}\n"
	".forklab g.node.alive rect{fill:#fff8e1;stroke:#e6a100}\n"
	".forklab g.node.orphaned rect{stroke-dasharray:5 3}\n"
	".forklab g.node.hl rect{stroke:#e6a100;stroke-width:4}\n"
	".forklab table.procs{border-collapse:collapse;font-size:13px}\n"
	".forklab table.procs th,.forklab table.procs td{border:1px solid #ddd;padding:3px 6px;"
	"text-align:left;vertical-align:top}\n"
	".forklab table.procs th{background:#f0f0f0}\n"
	".forklab table.procs tr.hl td{background:#fff1a8}\n"
	".forklab table.procs tr:target td{background:#e8f0fe;outline:2px solid #3182bd}\n"
	".forklab table.procs tr.fold td{font-style:italic;color:#555}\n"
	".forklab code,.forklab pre{font-family:monospace;font-size:12px}\n"
	".forklab pre.out{background:#f6f8fa;border:1px solid #ddd;padding:6px;max-height:24em;"
	"overflow:auto;white-space:pre-wrap}\n"
	".forklab .note{color:#555;font-size:13px}\n";

const char *record_html_css(void)
{
	return CSS;
}

/* ---- text ---- */

void record_html_text(FILE *out, const char *data, size_t len, bool keep_nl)
{
	size_t n;
	char *s = utf8_sanitize(data ? data : "", data ? len : 0, &n);
	if (!s) {
		fputs("\xef\xbf\xbd", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': fputs("&amp;", out); continue;
		case '<': fputs("&lt;", out); continue;
		case '>': fputs("&gt;", out); continue;
		case '"': fputs("&quot;", out); continue;
		case '\'': fputs("&#39;", out); continue;
		case '\n':
			if (keep_nl) {
				fputc('\n', out);
				continue;
			}
			break;
		case 0xef:
			/* U+FFFE and U+FFFF are valid UTF-8 yet not allowed in XML. */
			if (i + 2 < n && (unsigned char)s[i + 1] == 0xbf &&
			    ((unsigned char)s[i + 2] == 0xbe || (unsigned char)s[i + 2] == 0xbf)) {
				fputs("\xef\xbf\xbd", out);
				i += 2;
				continue;
			}
			break;
		}
		if (c < 0x20 && c != '\t')
			fprintf(out, "&#%u;", 0x2400u + c); /* U+2400..241F: the control pictures */
		else if (c == 0x7f)
			fputs("&#9249;", out);              /* U+2421 */
		else
			fputc(c, out);
	}
	free(s);
}

static void esc(FILE *out, const char *s)
{
	record_html_text(out, s, s ? strlen(s) : 0, false);
}

/* Writes the argv of an exec joined by spaces, at most max bytes of it (0: all). */
static void esc_argv(FILE *out, const struct rec_exec *e, size_t max)
{
	size_t used = 0;
	for (int i = 0; e->argv && e->argv[i]; i++) {
		size_t n = strlen(e->argv[i]);
		if (i)
			fputc(' ', out);
		if (max && used + n > max) {
			record_html_text(out, e->argv[i], max > used ? max - used : 0, false);
			fputs("\xe2\x80\xa6", out);
			return;
		}
		record_html_text(out, e->argv[i], n, false);
		used += n + 1;
	}
}

/* The last path component of the last exec's argv[0] (or path), for a lane's label. */
static const char *prog_name(const struct rec_proc *p)
{
	if (p->nexecs == 0)
		return NULL;
	const struct rec_exec *e = &p->execs[p->nexecs - 1];
	const char *s = e->argv && e->argv[0] ? e->argv[0] : e->path;
	if (!s)
		return NULL;
	const char *slash = strrchr(s, '/');
	return slash && slash[1] ? slash + 1 : s;
}

static void put_ms(FILE *out, double ms)
{
	if (ms >= 1000)
		fprintf(out, "%.3f s", ms / 1000);
	else
		fprintf(out, "%.2f ms", ms);
}

static void put_signal(FILE *out, int sig)
{
	char buf[32];
	fputs(rec_signal_name(sig, buf, sizeof(buf)), out);
}

/* ---- the model of a picture ---- */

struct addr_idx {
	const struct rec_proc *p;
	size_t i;
};

struct lane {
	size_t first, count;  /* positions in pic.order */
	bool folded;          /* several processes drawn as one lane */
};

struct pic {
	const struct record *r;
	const char *id;
	const bool *hl;
	size_t n;
	struct addr_idx *map;   /* r->procs by address: a process's index */
	size_t *order;          /* DFS order: indices into r->procs */
	size_t *lane_of;        /* per process index: its lane */
	struct lane *lanes;
	size_t nlanes;
	size_t **marks;         /* per lane: indices into r->writes (at most MARKS_MAX) */
	size_t *nmarks, *nwrites;
	double t_end;           /* the axis' end, ms */
	double label_w;         /* the label column's width */
	bool folding;           /* some lane is folded */
};

static int cmp_addr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct addr_idx *)a)->p;
	uintptr_t y = (uintptr_t)((const struct addr_idx *)b)->p;
	return x < y ? -1 : x > y;
}

/* The index of p in r->procs, or n when it is not one of them. */
static size_t index_of(const struct pic *g, const struct rec_proc *p)
{
	if (!p)
		return g->n;
	struct addr_idx key = { p, 0 };
	const struct addr_idx *hit = bsearch(&key, g->map, g->n, sizeof(*g->map), cmp_addr);
	return hit ? hit->i : g->n;
}

static void pic_free(struct pic *g)
{
	for (size_t i = 0; g->marks && i < g->nlanes; i++)
		free(g->marks[i]);
	free(g->marks);
	free(g->nmarks);
	free(g->nwrites);
	free(g->map);
	free(g->order);
	free(g->lane_of);
	free(g->lanes);
}

/* Depth-first order from the root, children in creation order, with an explicit stack (a chain
 * of thousands must not overflow the C stack). Processes not reached come last. */
static int dfs_order(struct pic *g, bool *seen)
{
	size_t k = 0, depth = 0, cap = 64;
	struct frame { const struct rec_proc *p; size_t next; } *st = malloc(cap * sizeof(*st));
	if (!st)
		return -1;
	const struct rec_proc *root = g->r->root ? g->r->root : g->r->procs[0];
	size_t ri = index_of(g, root);
	if (ri < g->n) {
		g->order[k++] = ri;
		seen[ri] = true;
		st[depth++] = (struct frame){ root, 0 };
	}
	while (depth > 0) {
		struct frame *f = &st[depth - 1];
		if (f->next >= f->p->nchildren) {
			depth--;
			continue;
		}
		const struct rec_proc *c = f->p->children[f->next++];
		size_t ci = index_of(g, c);
		if (ci >= g->n || seen[ci])
			continue;
		seen[ci] = true;
		g->order[k++] = ci;
		if (depth == cap) {
			struct frame *ns = realloc(st, cap * 2 * sizeof(*st));
			if (!ns) {
				free(st);
				return -1;
			}
			st = ns;
			cap *= 2;
		}
		st[depth++] = (struct frame){ c, 0 };
	}
	free(st);
	for (size_t i = 0; i < g->n; i++)
		if (!seen[i])
			g->order[k++] = i;
	return 0;
}

#define FANOUT_KEEP 3 /* children shown at each end of a folded fan-out */

/* Which processes get a lane of their own (hidden[i] false); the rest are folded. Only when
 * there are more than REC_PIC_MAX_LANES: first the middle children of every large fan-out
 * (but not a subtree that holds a highlighted process), then whatever would come after the
 * last lane. Highlighted processes and the root always keep their lanes. */
static int choose_folds(struct pic *g, bool *hidden)
{
	size_t n = g->n;
	memset(hidden, 0, n * sizeof(*hidden));
	if (n <= REC_PIC_MAX_LANES)
		return 0;
	bool *keep = calloc(n, sizeof(*keep)), *holds = calloc(n, sizeof(*holds));
	size_t *pos = malloc(n * sizeof(*pos)), *size = malloc(n * sizeof(*size));
	if (!keep || !holds || !pos || !size) {
		free(keep);
		free(holds);
		free(pos);
		free(size);
		return -1;
	}
	keep[g->order[0]] = true;
	for (size_t i = 0; g->hl && i < n; i++) {
		keep[i] |= g->hl[i];
		for (const struct rec_proc *p = g->hl[i] ? g->r->procs[i] : NULL; p; p = p->parent) {
			size_t k = index_of(g, p);
			if (k >= n || holds[k])
				break;
			holds[k] = true;
		}
	}
	for (size_t k = 0; k < n; k++) {
		pos[g->order[k]] = k;
		size[k] = 1;
	}
	/* Subtree sizes, children before parents (reverse DFS order). */
	for (size_t k = n; k-- > 0;) {
		const struct rec_proc *p = g->r->procs[g->order[k]];
		size_t pi = index_of(g, p->parent);
		if (pi < n)
			size[pi] += size[g->order[k]];
	}
	for (size_t k = 0; k < n; k++) {
		const struct rec_proc *p = g->r->procs[g->order[k]];
		if (hidden[g->order[k]] || p->nchildren <= 2 * FANOUT_KEEP + 1)
			continue;
		for (size_t c = FANOUT_KEEP; c + FANOUT_KEEP < p->nchildren; c++) {
			size_t ci = index_of(g, p->children[c]);
			if (ci >= n || holds[ci])
				continue;
			for (size_t j = pos[ci]; j < pos[ci] + size[ci] && j < n; j++)
				hidden[g->order[j]] = true;
		}
	}
	size_t lanes = 0;
	bool in_fold = false;
	for (size_t k = 0; k < n; k++) {
		size_t i = g->order[k];
		if (!hidden[i] && !keep[i] && lanes >= REC_PIC_MAX_LANES - 1)
			hidden[i] = true;
		if (!hidden[i] || !in_fold)
			lanes++;
		in_fold = hidden[i];
	}
	free(keep);
	free(holds);
	free(pos);
	free(size);
	return 0;
}

static double max_d(double a, double b)
{
	return a > b ? a : b;
}

/* The end of the axis: the run's duration, or a later event should the clocks disagree. */
static double axis_end(const struct record *r)
{
	double t = r->duration_ms;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		t = max_d(t, p->forked_ms);
		if (p->exited)
			t = max_d(t, p->exited_ms);
		if (p->reaped_by)
			t = max_d(t, p->reaped_ms);
		if (p->orphaned)
			t = max_d(t, p->orphaned_ms);
		for (size_t e = 0; e < p->nexecs; e++)
			t = max_d(t, p->execs[e].ms);
	}
	for (size_t w = 0; w < r->nwrites; w++)
		t = max_d(t, r->writes[w].ms);
	return t > 0 && isfinite(t) ? t : 1;
}

static size_t ndigits(long v)
{
	size_t d = v < 0 ? 2 : 1;
	for (v = labs(v); v >= 10; v /= 10)
		d++;
	return d;
}

/* Where a lane's label starts: indented by its depth, up to a point (a chain of a thousand
 * would push labels off the column). */
#define INDENT_LEVELS 16

static double label_x(int depth)
{
	return 8 + (depth < INDENT_LEVELS ? depth : INDENT_LEVELS) * INDENT;
}

static int pic_build(struct pic *g, const struct record *r, const struct rec_pic_opts *o)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->n = r->nprocs;
	g->id = o && o->id && *o->id ? o->id : "run";
	g->hl = o ? o->highlight : NULL;
	g->t_end = axis_end(r);
	if (g->n == 0)
		return 0;
	bool *flags = calloc(g->n, sizeof(*flags));
	g->map = malloc(g->n * sizeof(*g->map));
	g->order = malloc(g->n * sizeof(*g->order));
	g->lane_of = malloc(g->n * sizeof(*g->lane_of));
	g->lanes = malloc(g->n * sizeof(*g->lanes));
	if (!flags || !g->map || !g->order || !g->lane_of || !g->lanes)
		goto fail;
	for (size_t i = 0; i < g->n; i++)
		g->map[i] = (struct addr_idx){ r->procs[i], i };
	qsort(g->map, g->n, sizeof(*g->map), cmp_addr);
	if (dfs_order(g, flags) < 0 || choose_folds(g, flags) < 0)
		goto fail;
	/* flags now says which processes are folded. */
	for (size_t k = 0; k < g->n; k++) {
		size_t i = g->order[k];
		struct lane *last = g->nlanes ? &g->lanes[g->nlanes - 1] : NULL;
		if (flags[i] && last && last->folded) {
			last->count++;
		} else {
			g->lanes[g->nlanes++] = (struct lane){ k, 1, flags[i] };
			g->folding |= flags[i];
		}
		g->lane_of[i] = g->nlanes - 1;
	}
	g->marks = calloc(g->nlanes, sizeof(*g->marks));
	g->nmarks = calloc(g->nlanes, sizeof(*g->nmarks));
	g->nwrites = calloc(g->nlanes, sizeof(*g->nwrites));
	if (!g->marks || !g->nmarks || !g->nwrites)
		goto fail;
	for (size_t w = 0, marks = 0; w < r->nwrites && marks < MARKS_TOTAL; w++) {
		size_t i = index_of(g, r->writes[w].proc);
		if (i >= g->n)
			continue;
		size_t l = g->lane_of[i];
		g->nwrites[l]++;
		if (g->lanes[l].folded || g->nmarks[l] >= MARKS_MAX)
			continue;
		if (!g->marks[l] && !(g->marks[l] = malloc(MARKS_MAX * sizeof(size_t))))
			goto fail;
		g->marks[l][g->nmarks[l]++] = w;
		marks++;
	}
	/* The label column: as wide as its widest label, within limits. */
	double w = 140;
	for (size_t l = 0; l < g->nlanes; l++) {
		const struct rec_proc *p = r->procs[g->order[g->lanes[l].first]];
		const char *prog = prog_name(p);
		size_t chars = g->lanes[l].folded ? 34 :
			strlen(p->name) + 1 + ndigits(p->pid) + (prog ? 1 + strlen(prog) : 0);
		if (chars > 40)
			chars = 40;
		w = max_d(w, label_x(p->depth) + (double)chars * CHAR_W + 8);
	}
	g->label_w = w > LABEL_MAX ? LABEL_MAX : w;
	free(flags);
	return 0;
fail:
	free(flags);
	pic_free(g);
	return -1;
}

static double xt(const struct pic *g, double ms)
{
	if (!(ms > 0))
		ms = 0;
	if (ms > g->t_end)
		ms = g->t_end;
	return g->label_w + 10 + ms / g->t_end * PLOT_W;
}

static double lane_y(size_t l)
{
	return AXIS_H + (double)l * LANE_H;
}

static double svg_width(const struct pic *g)
{
	return g->label_w + 10 + PLOT_W + 40;
}

/* ---- what a process did, in words (tooltips and the table) ---- */

static bool zombie_span(const struct record *r, const struct rec_proc *p, double *from,
			double *to)
{
	if (!p->exited)
		return false;
	double end = p->reaped_by ? p->reaped_ms : max_d(r->duration_ms, p->exited_ms);
	*from = p->exited_ms;
	*to = end;
	return end > p->exited_ms;
}

static void put_name(FILE *out, const struct rec_proc *p)
{
	esc(out, p->name);
	fprintf(out, " (pid %d)", (int)p->pid);
}

static void put_reaper(FILE *out, const struct rec_proc *p)
{
	if (p->reaped_by == REC_FORKLAB)
		fputs("forklab", out);
	else if (p->reaper)
		esc(out, p->reaper->name);
	else
		fprintf(out, "pid %d", (int)p->reaped_by);
}

static void put_end(FILE *out, const struct rec_proc *p)
{
	if (!p->exited) {
		fputs("still running when the run ended", out);
		return;
	}
	if (p->killed_by_forklab) {
		fputs("killed by forklab (", out);
		put_signal(out, p->exit_signal);
		fputc(')', out);
	} else if (p->exit_signal > 0) {
		fputs("killed by ", out);
		put_signal(out, p->exit_signal);
	} else {
		fprintf(out, "exited %d", p->exit_code);
	}
	fputs(" at ", out);
	put_ms(out, p->exited_ms);
}

static void put_reap(FILE *out, const struct record *r, const struct rec_proc *p)
{
	double from, to;
	if (!p->exited)
		return;
	if (p->reaped_by == 0) {
		fputs("never reaped: a zombie", out);
		if (zombie_span(r, p, &from, &to)) {
			fputs(" for ", out);
			put_ms(out, to - from);
		}
		fputs(" until the run ended", out);
		return;
	}
	fputs("a zombie for ", out);
	put_ms(out, zombie_span(r, p, &from, &to) ? to - from : 0);
	fputs(", reaped by ", out);
	put_reaper(out, p);
	fputs(" at ", out);
	put_ms(out, p->reaped_ms);
}

static void put_orphan(FILE *out, const struct rec_proc *p)
{
	if (!p->orphaned) {
		/* the record's word for it: a zombie whose parent ended is adopted, not orphaned */
		fputs("its parent ended while it was a zombie; adopted by ", out);
	} else {
		fputs("orphaned at ", out);
		put_ms(out, p->orphaned_ms);
		fputs(" (its parent ended while it ran), adopted by ", out);
	}
	if (p->adopted_by == REC_FORKLAB)
		fputs("forklab", out);
	else if (p->adopted_by > 0)
		fprintf(out, "pid %d", (int)p->adopted_by);
	else
		fputs("nobody seen", out);
}

static size_t count_lines(const struct rec_buf *b)
{
	size_t lines = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == '\n' || i + 1 == b->len)
			lines++;
	return lines;
}

static void put_wrote(FILE *out, const struct rec_buf *b, const char *stream)
{
	size_t lines = count_lines(b);
	fprintf(out, "wrote %zu line%s (%zu bytes) on %s", lines, lines == 1 ? "" : "s", b->len,
		stream);
}

/* Everything about p in plain text lines (a tooltip). */
static void put_summary(FILE *out, const struct record *r, const struct rec_proc *p)
{
	put_name(out, p);
	if (p->parent) {
		fprintf(out, ", child %d of ", p->index);
		esc(out, p->parent->name);
	}
	fputs("\nforked at ", out);
	put_ms(out, p->forked_ms);
	for (size_t e = 0; e < p->nexecs; e++) {
		fputs("\nexec'd ", out);
		esc_argv(out, &p->execs[e], 200);
		fputs(" at ", out);
		put_ms(out, p->execs[e].ms);
	}
	if (p->nexecs == 0 && p->parent)
		fputs("\nno exec: it ran its parent's program", out);
	if (p->nthreads)
		fprintf(out, "\n%zu thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
	if (p->out.len) {
		fputc('\n', out);
		put_wrote(out, &p->out, "stdout");
	}
	if (p->err.len) {
		fputc('\n', out);
		put_wrote(out, &p->err, "stderr");
	}
	fputc('\n', out);
	put_end(out, p);
	if (p->orphaned || p->adopted_by) {
		fputc('\n', out);
		put_orphan(out, p);
	}
	if (p->exited) {
		fputc('\n', out);
		put_reap(out, r, p);
	}
	if (p->forks_denied)
		fprintf(out, "\n%u fork%s refused by the process budget", p->forks_denied,
			p->forks_denied == 1 ? "" : "s");
}

/* ---- the tree as boxes ---- */

static size_t count_leaves(const struct record *r)
{
	size_t leaves = 0;
	for (size_t i = 0; i < r->nprocs; i++)
		leaves += r->procs[i]->nchildren == 0;
	return leaves;
}

static bool tree_drawable(const struct pic *g)
{
	return g->n > 0 && g->n <= REC_PIC_MAX_TREE && !g->folding &&
	       count_leaves(g->r) <= TREE_MAX_LEAVES;
}

static const char *end_class(const struct rec_proc *p)
{
	if (!p->exited)
		return "alive";
	return p->exit_signal > 0 || p->exit_code != 0 ? "bad" : "ok";
}

static bool hl_of(const struct pic *g, size_t i)
{
	return g->hl && i < g->n && g->hl[i];
}

static int draw_tree(FILE *out, const struct pic *g)
{
	const struct record *r = g->r;
	double *cx = calloc(g->n, sizeof(*cx));
	if (!cx)
		return -1;
	double slot = 0;
	int maxdepth = 0;
	for (size_t k = 0; k < g->n; k++) {
		const struct rec_proc *p = r->procs[g->order[k]];
		if (p->nchildren == 0)
			cx[g->order[k]] = NODE_GAP + slot++ * (NODE_W + NODE_GAP) + NODE_W / 2.0;
		if (p->depth > maxdepth)
			maxdepth = p->depth;
	}
	for (size_t k = g->n; k-- > 0;) {
		const struct rec_proc *p = r->procs[g->order[k]];
		if (p->nchildren == 0)
			continue;
		size_t a = index_of(g, p->children[0]), b = index_of(g, p->children[p->nchildren - 1]);
		if (a < g->n && b < g->n)
			cx[g->order[k]] = (cx[a] + cx[b]) / 2;
	}
	double w = NODE_GAP + slot * (NODE_W + NODE_GAP), h = 20 + maxdepth * LEVEL_H + NODE_H;
	fprintf(out, "<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
		"class=\"tree\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		w, h, w, h);
	for (size_t i = 0; i < g->n; i++) {
		const struct rec_proc *p = r->procs[i];
		size_t pi = index_of(g, p->parent);
		if (pi >= g->n)
			continue;
		double x1 = cx[pi], y1 = 10 + p->parent->depth * LEVEL_H + NODE_H;
		double x2 = cx[i], y2 = 10 + p->depth * LEVEL_H, ym = (y1 + y2) / 2;
		fprintf(out, "<path class=\"edge\" d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f\"/>\n",
			x1, y1, x1, ym, x2, ym, x2, y2);
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct rec_proc *p = r->procs[i];
		double x = cx[i] - NODE_W / 2.0, y = 10 + p->depth * LEVEL_H;
		fprintf(out, "<g class=\"node %s%s%s\" data-name=\"", end_class(p),
			p->orphaned ? " orphaned" : "", hl_of(g, i) ? " hl" : "");
		esc(out, p->name);
		fputs("\"><title>", out);
		put_summary(out, r, p);
		fprintf(out, "</title><a href=\"#%s-d-%zu\"><rect x=\"%.1f\" y=\"%.1f\" "
			"width=\"%d\" height=\"%d\" rx=\"5\"/>", g->id, i, x, y, NODE_W, NODE_H);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			"font-weight=\"bold\">", cx[i], y + 14);
		esc(out, p->name);
		fprintf(out, "</text><text class=\"pid\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\">%d \xc2\xb7 ", cx[i], y + 28, (int)p->pid);
		if (!p->exited)
			fputs("running", out);
		else if (p->exit_signal > 0)
			put_signal(out, p->exit_signal);
		else
			fprintf(out, "exit %d", p->exit_code);
		fputs("</text></a></g>\n", out);
	}
	fputs("</svg></div>\n", out);
	free(cx);
	return 0;
}

/* ---- the timeline ---- */

/* A round step for about 8 ticks over t_end ms. */
static double tick_step(double t_end, int *decimals)
{
	double raw = t_end / 8, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
	double unit = step >= 1000 ? step / 1000 : step;
	*decimals = unit >= 1 ? 0 : (int)ceil(-log10(unit) - 1e-9);
	return step;
}

static void draw_axis(FILE *out, const struct pic *g, double height)
{
	int dec;
	double step = tick_step(g->t_end, &dec);
	bool secs = step >= 1000;
	fprintf(out, "<g class=\"axis\"><line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		"y2=\"%d\"/>\n", xt(g, 0), AXIS_H - 4, xt(g, g->t_end), AXIS_H - 4);
	for (int k = 0; k * step <= g->t_end * (1 + 1e-9) && k <= 100; k++) {
		double t = k * step, x = xt(g, t);
		fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>",
			x, AXIS_H - 8, x, height);
		fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"%.*f %s</text>\n", x, AXIS_H - 12, dec, secs ? t / 1000 : t,
			secs ? "s" : "ms");
	}
	fputs("</g>\n", out);
}

/* The tree beside the lanes: from each parent's label down to its children's. */
static void draw_tree_lines(FILE *out, const struct pic *g)
{
	fputs("<g class=\"treelines\">", out);
	for (size_t l = 0; l < g->nlanes; l++) {
		const struct rec_proc *p = g->r->procs[g->order[g->lanes[l].first]];
		size_t pi = index_of(g, p->parent);
		if (pi >= g->n || g->lanes[g->lane_of[pi]].folded)
			continue;
		double x = label_x(p->parent->depth) + 3, y0 = lane_y(g->lane_of[pi]) + 20;
		double y1 = lane_y(l) + LANE_H / 2.0, x1 = label_x(p->depth) - 1;
		if (x1 <= x)
			continue;
		fprintf(out, "<line class=\"tree\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			"<line class=\"tree\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			x, y0, x, y1, x, y1, x1, y1);
	}
	fputs("</g>\n", out);
}

static void rect(FILE *out, const char *cls, double x0, double x1, double y, double h)
{
	double w = x1 - x0;
	fprintf(out, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"/>",
		cls, x0, y, w > 0 ? w : 0, h);
}

/* Up to max bytes of the first line of s[0..len), cut on a character boundary. */
static size_t first_line(const char *s, size_t len, size_t max, bool *cut)
{
	size_t n = 0;
	while (n < len && s[n] != '\n')
		n++;
	*cut = n > max || n < len - (len && s[len - 1] == '\n');
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

#define SAID_MAX 40    /* bytes of a write shown as a label on its lane */
#define SAID_CHAR_W 5.5

static void draw_marks(FILE *out, const struct pic *g, size_t l, double y)
{
	double last_end = -1, right = xt(g, g->t_end) + 30;
	for (size_t m = 0; m < g->nmarks[l]; m++) {
		const struct rec_write *w = &g->r->writes[g->marks[l][m]];
		const struct rec_buf *b = w->stream == 2 ? &w->proc->err : &w->proc->out;
		if (!b->data || w->off + w->len > b->len)
			continue;
		const char *s = b->data + w->off;
		double x = xt(g, w->ms);
		fprintf(out, "<circle class=\"out%d\" cx=\"%.2f\" cy=\"%.1f\" r=\"3\"><title>",
			w->stream == 2 ? 2 : 1, x, y + BAR_Y + BAR_H / 2.0);
		fprintf(out, "at ");
		put_ms(out, w->ms);
		fprintf(out, " on %s:\n", w->stream == 2 ? "stderr" : "stdout");
		record_html_text(out, s, w->len > 240 ? 240 : w->len, true);
		if (w->len > 240)
			fputs("\xe2\x80\xa6", out);
		fputs("</title></circle>", out);
		bool cut;
		size_t n = first_line(s, w->len, SAID_MAX, &cut);
		double width = (double)(utf8_chars(s, n) + cut) * SAID_CHAR_W;
		double x0 = x + 2;
		if (x0 + width > right)
			x0 = x - 2 - width; /* no room after the marker: before it */
		if (n == 0 || x0 < last_end + 6 || x0 < g->label_w + 10)
			continue;
		fprintf(out, "<text class=\"said%s\" x=\"%.2f\" y=\"%.1f\">",
			w->stream == 2 ? " err" : "", x0, y + BAR_Y - 2);
		record_html_text(out, s, n, false);
		if (cut)
			fputs("\xe2\x80\xa6", out);
		fputs("</text>", out);
		last_end = x0 + width;
	}
}

static void draw_proc_lane(FILE *out, const struct pic *g, size_t l)
{
	const struct record *r = g->r;
	size_t i = g->order[g->lanes[l].first];
	const struct rec_proc *p = r->procs[i];
	double y = lane_y(l), by = y + BAR_Y;
	fprintf(out, "<g class=\"lane%s\" id=\"%s-l-%zu\" data-name=\"", hl_of(g, i) ? " hl" : "",
		g->id, i);
	esc(out, p->name);
	fprintf(out, "\" data-pid=\"%d\"><title>", (int)p->pid);
	put_summary(out, r, p);
	if (g->nwrites[l] > g->nmarks[l])
		fprintf(out, "\n(%zu of its %zu writes are marked on its lane)", g->nmarks[l],
			g->nwrites[l]);
	fprintf(out, "</title><a href=\"#%s-d-%zu\">", g->id, i);
	fprintf(out, "<rect class=\"bg\" x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>", y,
		svg_width(g), LANE_H);
	/* The label, cut from the left when the column is too narrow for it. */
	double lx = label_x(p->depth);
	size_t room = (size_t)((g->label_w - lx - 4) / CHAR_W);
	const char *name = p->name;
	size_t nlen = strlen(name);
	fprintf(out, "<text class=\"name\" x=\"%.1f\" y=\"%.1f\">", lx, y + 17);
	if (nlen > room && room > 1) {
		fputs("\xe2\x80\xa6", out);
		esc(out, name + nlen - (room - 1));
	} else {
		esc(out, name);
	}
	size_t used = nlen + 1 + ndigits(p->pid);
	fprintf(out, " <tspan class=\"pid\">%d</tspan>", (int)p->pid);
	const char *prog = prog_name(p);
	if (prog && used + 2 < room) {
		size_t plen = strlen(prog), fit = room - used - 1;
		fputs(" <tspan class=\"prog\">", out);
		record_html_text(out, prog, plen > fit ? fit : plen, false);
		fputs("</tspan>", out);
	}
	fputs("</text>", out);
	/* Its life: the parent's program until the first exec, then each exec'd program. */
	double end = p->exited ? p->exited_ms : g->t_end;
	double from = p->forked_ms;
	for (size_t e = 0; e <= p->nexecs; e++) {
		double to = e < p->nexecs ? p->execs[e].ms : end;
		rect(out, e == 0 ? "bar forked" : "bar running", xt(g, from), xt(g, to), by, BAR_H);
		if (e < p->nexecs)
			from = to;
	}
	for (size_t e = 0; e < p->nexecs; e++) {
		double x = xt(g, p->execs[e].ms);
		fprintf(out, "<path class=\"exec\" d=\"M%.2f %.1fl4 5l-4 5l-4 -5z\"><title>exec'd ",
			x, by);
		esc_argv(out, &p->execs[e], 200);
		fputs(" at ", out);
		put_ms(out, p->execs[e].ms);
		fputs("</title></path>", out);
	}
	if (p->orphaned) {
		rect(out, "orphan", xt(g, p->orphaned_ms), xt(g, end), by, BAR_H);
		fprintf(out, "<path class=\"adopt\" d=\"M%.2f %.1fl-5 -6h10z\"><title>",
			xt(g, p->orphaned_ms), by);
		put_orphan(out, p);
		fputs("</title></path>", out);
	}
	double z0, z1;
	if (zombie_span(r, p, &z0, &z1)) {
		fprintf(out, "<rect class=\"zombie%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
			"height=\"%d\"><title>", p->reaped_by ? "" : " unreaped", xt(g, z0), by,
			xt(g, z1) - xt(g, z0), BAR_H);
		put_reap(out, r, p);
		fputs("</title></rect>", out);
	}
	if (p->exited)
		fprintf(out, "<line class=\"exit%s\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" "
			"y2=\"%.1f\"/>", strcmp(end_class(p), "bad") ? "" : " bad", xt(g, end),
			by - 3, xt(g, end), by + BAR_H + 3);
	draw_marks(out, g, l, y);
	fputs("</a></g>\n", out);
}

struct span {
	double a, b;
};

static int cmp_span(const void *x, const void *y)
{
	double a = ((const struct span *)x)->a, b = ((const struct span *)y)->a;
	return a < b ? -1 : a > b;
}

/* Draws the union of spans[0..n) (sorted here), merging what is less than a pixel apart. */
static void draw_union(FILE *out, const struct pic *g, struct span *s, size_t n,
		       const char *cls, double y, double h)
{
	qsort(s, n, sizeof(*s), cmp_span);
	double px = g->t_end / PLOT_W;
	for (size_t k = 0; k < n;) {
		double a = s[k].a, b = s[k].b;
		for (k++; k < n && s[k].a <= b + px; k++)
			b = max_d(b, s[k].b);
		rect(out, cls, xt(g, a), xt(g, b), y, h);
	}
}

/* Tallies of a run of processes, for a folded lane and its row in the table. */
struct tally {
	size_t ok, failed, running, by_parent, by_forklab, never, orphans;
	double zombie_max;
};

static void tally(const struct pic *g, const struct lane *ln, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t k = ln->first; k < ln->first + ln->count; k++) {
		const struct rec_proc *p = g->r->procs[g->order[k]];
		double a, b;
		if (!p->exited)
			t->running++;
		else if (p->exit_signal > 0 || p->exit_code != 0)
			t->failed++;
		else
			t->ok++;
		if (p->exited && p->reaped_by == 0)
			t->never++;
		else if (p->reaped_by == REC_FORKLAB)
			t->by_forklab++;
		else if (p->reaper && p->reaper == p->parent)
			t->by_parent++;
		t->orphans += p->orphaned;
		if (zombie_span(g->r, p, &a, &b))
			t->zombie_max = max_d(t->zombie_max, b - a);
	}
}

static void put_tally(FILE *out, const struct tally *t)
{
	fprintf(out, "%zu exited 0, %zu with another status, %zu still running; reaped by their "
		"parent: %zu, by forklab: %zu, never: %zu; orphaned: %zu; longest zombie: ",
		t->ok, t->failed, t->running, t->by_parent, t->by_forklab, t->never, t->orphans);
	put_ms(out, t->zombie_max);
}

static void put_fold_name(FILE *out, const struct pic *g, const struct lane *ln)
{
	fprintf(out, "%zu processes folded: ", ln->count);
	esc(out, g->r->procs[g->order[ln->first]]->name);
	if (ln->count > 1) {
		fputs(" \xe2\x80\xa6 ", out);
		esc(out, g->r->procs[g->order[ln->first + ln->count - 1]]->name);
	}
}

static int draw_fold_lane(FILE *out, const struct pic *g, size_t l)
{
	const struct lane *ln = &g->lanes[l];
	const struct rec_proc *first = g->r->procs[g->order[ln->first]];
	double y = lane_y(l), by = y + BAR_Y;
	struct tally t;
	tally(g, ln, &t);
	fprintf(out, "<g class=\"fold\" id=\"%s-f-%zu\" data-procs=\"%zu\"><title>", g->id, l,
		ln->count);
	put_fold_name(out, g, ln);
	fputc('\n', out);
	put_tally(out, &t);
	fprintf(out, "</title><a href=\"#%s-fd-%zu\">", g->id, l);
	fprintf(out, "<rect class=\"bg\" x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>", y,
		svg_width(g), LANE_H);
	fprintf(out, "<text class=\"fold\" x=\"%.1f\" y=\"%.1f\">\xe2\x8b\xaf %zu processes "
		"(", label_x(first->depth), y + 17, ln->count);
	esc(out, first->name);
	fputs(ln->count > 1 ? " \xe2\x80\xa6)" : ")", out);
	fputs("</text>", out);
	struct span *life = malloc(ln->count * sizeof(*life));
	struct span *zomb = malloc(ln->count * sizeof(*zomb));
	if (!life || !zomb) {
		free(life);
		free(zomb);
		return -1;
	}
	size_t nz = 0;
	for (size_t k = 0; k < ln->count; k++) {
		const struct rec_proc *p = g->r->procs[g->order[ln->first + k]];
		life[k] = (struct span){ p->forked_ms, p->exited ? p->exited_ms : g->t_end };
		if (zombie_span(g->r, p, &zomb[nz].a, &zomb[nz].b))
			nz++;
	}
	draw_union(out, g, life, ln->count, "bar forked", by, BAR_H / 2.0);
	if (nz)
		draw_union(out, g, zomb, nz, "zombie", by + BAR_H / 2.0, BAR_H / 2.0);
	free(life);
	free(zomb);
	fputs("</a></g>\n", out);
	return 0;
}

/* Fork arrows from creator to child, and reap lines from a zombie to its reaper, between lanes
 * that both are drawn. */
static void draw_links(FILE *out, const struct pic *g)
{
	fputs("<g class=\"links\">", out);
	for (size_t l = 0; l < g->nlanes; l++) {
		if (g->lanes[l].folded)
			continue;
		const struct rec_proc *p = g->r->procs[g->order[g->lanes[l].first]];
		double cy = lane_y(l) + BAR_Y;
		size_t pi = index_of(g, p->parent);
		if (pi < g->n && !g->lanes[g->lane_of[pi]].folded) {
			double py = lane_y(g->lane_of[pi]) + BAR_Y + BAR_H, x = xt(g, p->forked_ms);
			fprintf(out, "<line class=\"fork\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" "
				"y2=\"%.1f\"/><path class=\"exec\" d=\"M%.2f %.1fl-3 -5h6z\"/>",
				x, py, x, cy, x, cy);
		}
		size_t ri = index_of(g, p->reaper);
		if (p->reaped_by > 0 && ri < g->n && !g->lanes[g->lane_of[ri]].folded) {
			double x = xt(g, p->reaped_ms), ry = lane_y(g->lane_of[ri]) + BAR_Y + BAR_H / 2.0;
			fprintf(out, "<line class=\"reap\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" "
				"y2=\"%.1f\"/>", x, cy + BAR_H / 2.0, x, ry);
		}
	}
	fputs("</g>\n", out);
}

static void legend_item(FILE *out, const char *shape, const char *text)
{
	fprintf(out, "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"12\">"
		"%s</svg>%s</span>\n", shape, text);
}

static void draw_legend(FILE *out)
{
	fputs("<div class=\"legend\">\n", out);
	legend_item(out, "<rect class=\"forked\" x=\"1\" y=\"1\" width=\"20\" height=\"10\"/>",
		    "forked: runs its parent's program");
	legend_item(out, "<rect class=\"running\" x=\"1\" y=\"1\" width=\"20\" height=\"10\"/>"
		    "<path class=\"exec\" d=\"M5 1l4 5l-4 5l-4 -5z\"/>",
		    "exec'd: runs the program it exec'd");
	legend_item(out, "<line class=\"exit\" x1=\"11\" y1=\"0\" x2=\"11\" y2=\"12\"/>",
		    "exit (red: a failure or a signal)");
	legend_item(out, "<rect class=\"zombie\" x=\"1\" y=\"1\" width=\"20\" height=\"10\"/>",
		    "zombie: ended, not yet reaped");
	legend_item(out, "<rect class=\"zombie unreaped\" x=\"1\" y=\"1\" width=\"20\" "
		    "height=\"10\"/>", "a zombie nobody reaped");
	legend_item(out, "<rect class=\"orphan\" x=\"1\" y=\"1\" width=\"20\" height=\"10\"/>"
		    "<path class=\"adopt\" d=\"M6 7l-5 -6h10z\"/>", "orphaned, adopted");
	legend_item(out, "<circle class=\"out1\" cx=\"6\" cy=\"6\" r=\"3\"/>"
		    "<circle class=\"out2\" cx=\"16\" cy=\"6\" r=\"3\"/>",
		    "wrote on stdout / stderr");
	legend_item(out, "<line class=\"fork\" x1=\"11\" y1=\"0\" x2=\"11\" y2=\"12\"/>",
		    "fork");
	legend_item(out, "<line class=\"reap\" x1=\"11\" y1=\"0\" x2=\"11\" y2=\"12\"/>",
		    "reap (wait)");
	fputs("</div>\n", out);
}

static int draw_timeline(FILE *out, const struct pic *g)
{
	double h = lane_y(g->nlanes) + 6, w = svg_width(g);
	draw_legend(out);
	fprintf(out, "<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
		"class=\"timeline\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"data-lanes=\"%zu\">\n", w, h, w, h, g->nlanes);
	fprintf(out, "<text x=\"8\" y=\"%d\" font-weight=\"bold\">process</text>\n", AXIS_H - 12);
	fputs("<g class=\"lanes\">\n", out);
	for (size_t l = 0; l < g->nlanes; l++) {
		if (!g->lanes[l].folded)
			draw_proc_lane(out, g, l);
		else if (draw_fold_lane(out, g, l) < 0)
			return -1;
	}
	fputs("</g>\n", out);
	draw_axis(out, g, h);
	draw_tree_lines(out, g);
	draw_links(out, g);
	fputs("</svg></div>\n", out);
	if (g->folding)
		fprintf(out, "<p class=\"note\">%zu processes: the middle children of large "
			"fan-outs and the processes after the first %d lanes are folded, each run of "
			"them drawn as one lane (their lives above, their zombie time below). "
			"<code>forklab run --format json</code> has every one.</p>\n", g->n,
			REC_PIC_MAX_LANES);
	return 0;
}

/* ---- the table and the outcome ---- */

static void put_fds(FILE *out, const struct rec_fdset *s)
{
	if (!s->taken) {
		fputs("(no snapshot)", out);
		return;
	}
	for (size_t k = 0; k < s->n; k++) {
		const struct rec_fd *f = &s->fds[k];
		fprintf(out, "%s<code>%d</code>\xc2\xa0", k ? "<br/>" : "", f->fd);
		esc(out, f->target);
		if (f->end)
			fprintf(out, " (%s end)", rec_fd_end_name(f->end));
	}
	if (s->n == 0)
		fputs("(none)", out);
}

static void proc_row(FILE *out, const struct pic *g, size_t i)
{
	const struct rec_proc *p = g->r->procs[i];
	fprintf(out, "<tr id=\"%s-d-%zu\"%s><td><a href=\"#%s-l-%zu\">", g->id, i,
		hl_of(g, i) ? " class=\"hl\"" : "", g->id, i);
	esc(out, p->name);
	fprintf(out, "</a></td><td>%d</td><td>", (int)p->pid);
	if (p->parent)
		esc(out, p->parent->name);
	else
		fputs("forklab", out);
	fputs("</td><td>", out);
	for (size_t e = 0; e < p->nexecs; e++) {
		fputs(e ? "<br/><code>" : "<code>", out);
		esc_argv(out, &p->execs[e], 300);
		fputs("</code>", out);
	}
	if (p->nexecs == 0)
		fputs("(its parent's)", out);
	fputs("</td><td>", out);
	put_end(out, p);
	if (p->orphaned || p->adopted_by) {
		fputs("; ", out);
		put_orphan(out, p);
	}
	fputs("</td><td>", out);
	put_reap(out, g->r, p);
	fputs("</td><td>", out);
	if (p->out.len)
		put_wrote(out, &p->out, "stdout");
	if (p->err.len) {
		if (p->out.len)
			fputs("<br/>", out);
		put_wrote(out, &p->err, "stderr");
	}
	fputs("</td><td>", out);
	for (size_t e = 0; e < p->nexecs; e++) {
		if (e)
			fputs("<br/>then:<br/>", out);
		put_fds(out, &p->execs[e].fds);
	}
	fputs("</td></tr>\n", out);
}

static void draw_table(FILE *out, const struct pic *g)
{
	fputs("<table class=\"procs\"><thead><tr><th>process</th><th>pid</th><th>created by</th>"
	      "<th>program (argv of each exec)</th><th>ended</th><th>reaped</th><th>printed</th>"
	      "<th>descriptors at exec</th></tr></thead><tbody>\n", out);
	for (size_t l = 0; l < g->nlanes; l++) {
		const struct lane *ln = &g->lanes[l];
		if (!ln->folded) {
			proc_row(out, g, g->order[ln->first]);
			continue;
		}
		struct tally t;
		tally(g, ln, &t);
		fprintf(out, "<tr class=\"fold\" id=\"%s-fd-%zu\"><td colspan=\"8\">", g->id, l);
		put_fold_name(out, g, ln);
		fputs(" \xe2\x80\x94 ", out);
		put_tally(out, &t);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void put_outcome(FILE *out, const struct record *r)
{
	const char *name = outcome_name(r->outcome);
	fputs("<dl class=\"outcome\">", out);
	if (r->root && r->root->nexecs) {
		fputs("<dt>program</dt><dd><code>", out);
		esc_argv(out, &r->root->execs[0], 400);
		fputs("</code></dd>", out);
	}
	fprintf(out, "<dt>outcome</dt><dd class=\"%s\" data-outcome=\"%s\">%s",
		r->outcome <= OUT_SIGNALED ? "good" : "bad", name, name);
	if (r->detail) {
		fputs(": ", out);
		esc(out, r->detail);
	}
	fprintf(out, "</dd><dt>status</dt><dd>%d</dd><dt>duration</dt><dd>", r->status);
	put_ms(out, r->duration_ms);
	fprintf(out, "</dd><dt>processes</dt><dd data-procs=\"%zu\">%zu, at most %d alive at "
		"once</dd>", r->nprocs, r->nprocs, r->max_alive);
	if (r->forks_denied)
		fprintf(out, "<dt>forks refused</dt><dd>%u</dd>", r->forks_denied);
	if (r->output_truncated)
		fputs("<dt>output</dt><dd class=\"bad\">cut at the output limit</dd>", out);
	fprintf(out, "<dt>left alive</dt><dd class=\"%s\">%d</dd></dl>\n",
		r->leftover ? "bad" : "good", r->leftover);
}

static void put_stream(FILE *out, const char *what, const struct rec_buf *b)
{
	if (b->len == 0)
		return;
	fprintf(out, "<h2>%s</h2><pre class=\"out\">", what);
	record_html_text(out, b->data, b->len > OUTPUT_SHOWN ? OUTPUT_SHOWN : b->len, true);
	fputs("</pre>\n", out);
	if (b->len > OUTPUT_SHOWN)
		fprintf(out, "<p class=\"note\">(the first %d KiB of %zu bytes)</p>\n",
			OUTPUT_SHOWN / 1024, b->len);
}

int record_html_picture(const struct record *r, FILE *out, const struct rec_pic_opts *o)
{
	struct pic g;
	if (pic_build(&g, r, o) < 0)
		return -1;
	int rc = 0;
	fprintf(out, "<div class=\"forklab\" id=\"%s\">\n", g.id);
	put_outcome(out, r);
	if (g.n == 0) {
		fputs("<p class=\"note\">No process was recorded.</p>\n", out);
	} else {
		fputs("<h2>Process tree</h2>\n", out);
		if (tree_drawable(&g))
			rc = draw_tree(out, &g);
		else
			fputs("<p class=\"note\">Too many processes to draw as boxes: the timeline's "
			      "labels show the tree.</p>\n", out);
		fputs("<h2>Timeline</h2>\n", out);
		if (rc == 0)
			rc = draw_timeline(out, &g);
		fputs("<h2>Processes</h2>\n", out);
		if (rc == 0)
			draw_table(out, &g);
	}
	if (o && o->output) {
		put_stream(out, "Output (stdout)", &r->out);
		put_stream(out, "Output (stderr)", &r->err);
	}
	fputs("</div>\n", out);
	pic_free(&g);
	return rc < 0 || ferror(out) ? -1 : 0;
}

int record_html_page(const struct record *r, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
	      "<head><meta charset=\"utf-8\"/>\n<title>forklab run", out);
	if (r->root && r->root->nexecs) {
		fputs(": ", out);
		esc_argv(out, &r->root->execs[0], 120);
	}
	fprintf(out, "</title>\n<style>\nbody{margin:16px;background:#fff}\n%s</style></head>\n"
		"<body>\n", CSS);
	struct rec_pic_opts o = { .id = "run", .highlight = NULL, .output = true };
	int rc = record_html_picture(r, out, &o);
	fputs("<p class=\"note\">Made by forklab run --format html. Hover over a process for its "
	      "details; click it to find its row in the table.</p>\n</body></html>\n", out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
