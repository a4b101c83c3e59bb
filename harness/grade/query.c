/* query.c - the questions checks ask of a record (query.h). Everything here only reads the
 * record; the few results that outlive a call are malloc'd or in small rotating buffers. */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"
#include "report_util.h"

#define NROT 8
#define ROTLEN 512

/* A buffer from a ring of NROT, so a message can hold several results at once. */
static char *rot_buf(void)
{
	static __thread char bufs[NROT][ROTLEN];
	static __thread unsigned next;
	return bufs[next++ % NROT];
}

const char *q_label(const struct rec_proc *p)
{
	char *b = rot_buf();
	if (!p)
		snprintf(b, ROTLEN, "(no such process)");
	else
		snprintf(b, ROTLEN, "%s (pid %d)", p->name, (int)p->pid);
	return b;
}

size_t q_nprocs(const struct record *r)
{
	return r ? r->nprocs : 0;
}

size_t q_ndescendants(const struct rec_proc *p)
{
	size_t n = 0;
	if (!p)
		return 0;
	for (size_t i = 0; i < p->nchildren; i++)
		n += 1 + q_ndescendants(p->children[i]);
	return n;
}

/* ---- lines ---- */

/* A copy of [s, s+len) as a C string; NUL bytes become the two characters "\0" so that a line
 * with an embedded NUL never compares equal to the text before it. */
static char *line_dup(const char *s, size_t len)
{
	size_t nul = 0;
	for (size_t i = 0; i < len; i++)
		nul += s[i] == '\0';
	char *d = malloc(len + nul + 1), *o = d;
	if (!d)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			*o++ = '\\';
			*o++ = '0';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

/* Splits buf on '\n'. Returns the count (0 on an allocation failure, with *lines NULL). */
static size_t split_lines(const char *buf, size_t len, char ***lines, bool *unterminated)
{
	size_t n = 0, cap = 0, start = 0;
	char **v = NULL;
	if (unterminated)
		*unterminated = false;
	*lines = NULL;
	for (size_t i = 0; i <= len; i++) {
		bool end = i == len;
		if (!end && buf[i] != '\n')
			continue;
		if (end && i == start)
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv)
				goto fail;
			v = nv;
		}
		if (!(v[n] = line_dup(buf + start, i - start)))
			goto fail;
		n++;
		if (end && unterminated)
			*unterminated = true;
		start = i + 1;
	}
	*lines = v;
	return n;
fail:
	q_lines_free(v, n);
	return 0;
}

static const struct rec_buf *proc_stream(const struct rec_proc *p, int stream)
{
	return stream == 2 ? &p->err : &p->out;
}

size_t q_lines(const struct rec_proc *p, int stream, char ***lines, bool *unterminated)
{
	if (!p) {
		*lines = NULL;
		if (unterminated)
			*unterminated = false;
		return 0;
	}
	const struct rec_buf *b = proc_stream(p, stream);
	return split_lines(b->data, b->len, lines, unterminated);
}

size_t q_all_lines(const struct record *r, int stream, char ***lines, bool *unterminated)
{
	if (!r) {
		*lines = NULL;
		if (unterminated)
			*unterminated = false;
		return 0;
	}
	const struct rec_buf *b = stream == 2 ? &r->err : &r->out;
	return split_lines(b->data, b->len, lines, unterminated);
}

void q_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* True when [s, s+len) is exactly line (with NULs spelled "\0" as line_dup does). */
static bool line_equals(const char *s, size_t len, const char *line)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			if (line[0] != '\\' || line[1] != '0')
				return false;
			line += 2;
		} else if (*line++ != s[i]) {
			return false;
		}
	}
	return *line == '\0';
}

/* The seq of p's write on stream that holds byte off of p's buffer; 0 if none was recorded. */
static unsigned long write_seq_at(const struct record *r, const struct rec_proc *p, int stream,
				  size_t off)
{
	for (size_t i = 0; i < r->nwrites; i++) {
		const struct rec_write *w = &r->writes[i];
		if (w->proc == p && w->stream == stream && off >= w->off && off < w->off + w->len)
			return w->seq;
	}
	return 0;
}

/* Byte offset of the last byte of the first line equal to `line` that p wrote, or -1. */
static long line_last_byte(const struct rec_proc *p, int stream, const char *line)
{
	const struct rec_buf *b = proc_stream(p, stream);
	size_t start = 0;
	for (size_t i = 0; i <= b->len; i++) {
		bool end = i == b->len;
		if (!end && b->data[i] != '\n')
			continue;
		if (end && i == start)
			break;
		if (line_equals(b->data + start, i - start, line))
			return end ? (long)i - 1 : (long)i;
		start = i + 1;
	}
	return -1;
}

unsigned long q_line_seq(const struct record *r, const struct rec_proc *p, int stream,
			 const char *line)
{
	if (!r || !p || !line)
		return 0;
	long at = line_last_byte(p, stream, line);
	return at < 0 ? 0 : write_seq_at(r, p, stream, (size_t)at);
}

struct rec_proc *q_line_writer(const struct record *r, int stream, const char *line)
{
	struct rec_proc *best = NULL;
	unsigned long best_seq = ULONG_MAX;
	if (!r || !line)
		return NULL;
	for (size_t i = 0; i < r->nprocs; i++) {
		struct rec_proc *p = r->procs[i];
		long at = line_last_byte(p, stream, line);
		if (at < 0)
			continue;
		/* Without recorded writes, creation order decides. */
		unsigned long seq = write_seq_at(r, p, stream, (size_t)at);
		if (!best || (seq && seq < best_seq)) {
			best = p;
			best_seq = seq ? seq : best_seq;
		}
	}
	return best;
}

/* ---- templates ---- */

/* True when [s, s+n) is a tree name: "P" then any number of ".<digits>". */
static bool is_tree_name(const char *s, size_t n)
{
	if (n == 0 || s[0] != 'P')
		return false;
	size_t i = 1;
	while (i < n) {
		if (s[i] != '.' || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
			return false;
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return true;
}

char *q_expand(const struct record *r, const char *tmpl)
{
	struct tbuf b = {0};
	const char *s = tmpl;
	if (!tmpl)
		return NULL;
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			tb_str(&b, s);
			break;
		}
		tb_add(&b, s, (size_t)(open - s));
		const char *in = open + 1;
		size_t n = (size_t)(close - in);
		bool ppid = n > 5 && memcmp(close - 5, ":ppid", 5) == 0;
		size_t namelen = ppid ? n - 5 : n;
		if (!is_tree_name(in, namelen)) {
			tb_add(&b, open, (size_t)(close - open + 1));
			s = close + 1;
			continue;
		}
		char name[64];
		if (namelen >= sizeof name)
			goto missing;
		memcpy(name, in, namelen);
		name[namelen] = '\0';
		const struct rec_proc *p = record_find(r, name);
		if (!p || (ppid && !p->parent))
			goto missing;
		tb_printf(&b, "%d", (int)(ppid ? p->parent->pid : p->pid));
		s = close + 1;
	}
	return tb_take(&b);
missing:
	free(b.s);
	return NULL;
}

/* Appends line in double quotes, shortened and with control bytes escaped, for a verdict. */
static void add_quoted(struct tbuf *b, const char *line)
{
	size_t n = strlen(line);
	tb_str(b, "\"");
	for (size_t i = 0; i < n && i < 100; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '"' || c == '\\')
			tb_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			tb_printf(b, "\\x%02x", c);
		else
			tb_add(b, (const char *)&c, 1);
	}
	if (n > 100)
		tb_str(b, "...");
	tb_str(b, "\"");
}

/* Appends "missing A, B" style lists, at most 4 items then "and N more". */
static void add_list(struct tbuf *b, const char *what, char **items, const bool *take, size_t n)
{
	size_t count = 0, shown = 0;
	for (size_t i = 0; i < n; i++)
		count += take[i];
	if (!count)
		return;
	if (b->len)
		tb_str(b, "; ");
	tb_str(b, what);
	for (size_t i = 0; i < n; i++) {
		if (!take[i])
			continue;
		if (shown == 4) {
			tb_printf(b, " and %zu more", count - shown);
			break;
		}
		tb_str(b, shown ? ", " : " ");
		add_quoted(b, items[i]);
		shown++;
	}
}

bool q_match_lines_any_order(const struct record *r, const char *const *templates, size_t n,
			     char **why)
{
	char **lines = NULL, **want = calloc(n ? n : 1, sizeof *want);
	bool unterminated = false, ok = false;
	size_t nl = 0;
	bool *want_missing = calloc(n ? n : 1, sizeof *want_missing);
	bool *line_extra = NULL;
	struct tbuf b = {0};

	if (why)
		*why = NULL;
	if (!want || !want_missing)
		goto out;
	nl = q_all_lines(r, 1, &lines, &unterminated);
	line_extra = calloc(nl ? nl : 1, sizeof *line_extra);
	if (!line_extra)
		goto out;
	for (size_t i = 0; i < nl; i++)
		line_extra[i] = true;
	for (size_t t = 0; t < n; t++) {
		want[t] = q_expand(r, templates[t]);
		if (!want[t]) {
			/* A named process that never existed: show the template itself. */
			want[t] = strdup(templates[t]);
			want_missing[t] = true;
			continue;
		}
		want_missing[t] = true;
		for (size_t i = 0; i < nl; i++) {
			if (!line_extra[i] || strcmp(lines[i], want[t]) != 0)
				continue;
			if (unterminated && i == nl - 1)
				continue;
			line_extra[i] = false;
			want_missing[t] = false;
			break;
		}
	}
	ok = true;
	for (size_t t = 0; t < n; t++)
		ok &= !want_missing[t];
	for (size_t i = 0; i < nl; i++)
		ok &= !line_extra[i];
	if (!ok && why) {
		add_list(&b, "missing", want, want_missing, n);
		add_list(&b, "unexpected", lines, line_extra, nl);
		if (unterminated)
			tb_printf(&b, "%sthe last line has no '\\n' at its end",
				  b.len ? "; " : "");
		*why = tb_take(&b);
	}
out:
	for (size_t t = 0; want && t < n; t++)
		free(want[t]);
	free(want);
	free(want_missing);
	free(line_extra);
	q_lines_free(lines, nl);
	return ok;
}

/* ---- reaping and lifetimes ---- */

bool q_reaped_by_parent(const struct rec_proc *p)
{
	return p && p->parent && p->reaped_by != 0 && p->reaped_by != REC_FORKLAB &&
	       p->reaped_by == p->parent->pid;
}

double q_zombie_ms(const struct rec_proc *p)
{
	if (!p || !p->exited || p->reaped_by == 0)
		return -1;
	return p->reaped_ms - p->exited_ms;
}

struct ev {
	unsigned long seq;
	int delta;
};

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	/* At the same seq an exit counts before a fork, so a tie never inflates the count. */
	return x->delta - y->delta;
}

/* Most processes of procs[0..n) alive at once: each is alive from its fork to its exit
 * (to the end of the run if it never exited). */
static int max_alive(struct rec_proc *const *procs, size_t n)
{
	struct ev *ev = malloc((2 * n + 1) * sizeof *ev);
	size_t ne = 0;
	int cur = 0, best = 0;
	if (!ev)
		return -1;
	for (size_t i = 0; i < n; i++) {
		ev[ne++] = (struct ev){procs[i]->forked_seq, +1};
		if (procs[i]->exited)
			ev[ne++] = (struct ev){procs[i]->exited_seq, -1};
	}
	qsort(ev, ne, sizeof *ev, ev_cmp);
	for (size_t i = 0; i < ne; i++) {
		cur += ev[i].delta;
		if (cur > best)
			best = cur;
	}
	free(ev);
	return best;
}

int q_max_alive_children(const struct rec_proc *p)
{
	return p ? max_alive(p->children, p->nchildren) : 0;
}

int q_max_alive(const struct record *r)
{
	return r ? max_alive(r->procs, r->nprocs) : 0;
}

int q_status(const struct rec_proc *p)
{
	if (!p || !p->exited)
		return -1;
	return p->exit_signal > 0 ? 128 + p->exit_signal : p->exit_code;
}

const char *q_signame(int sig)
{
	char *b = rot_buf();
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;
	if (abbrev)
		snprintf(b, ROTLEN, "SIG%s", abbrev);
	else
		snprintf(b, ROTLEN, "signal %d", sig);
	return b;
}

/* ---- descriptors and execs ---- */

const struct rec_fd *q_fd(const struct rec_fdset *s, int fd)
{
	if (!s || !s->taken)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

size_t q_count_pipe_ends_except(const struct rec_fdset *s, const int *except, size_t n)
{
	size_t count = 0;
	if (!s || !s->taken)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		bool skip = false;
		if (s->fds[i].kind != 'p')
			continue;
		for (size_t j = 0; j < n; j++)
			skip |= except[j] == s->fds[i].fd;
		count += !skip;
	}
	return count;
}

size_t q_count_pipe_ends(const struct rec_fdset *s)
{
	return q_count_pipe_ends_except(s, NULL, 0);
}

/* True when s is name or ends with "/name". */
static bool names_file(const char *s, const char *name)
{
	size_t ls, ln;
	if (!s || !name)
		return false;
	ls = strlen(s);
	ln = strlen(name);
	if (ls == ln)
		return strcmp(s, name) == 0;
	return ls > ln && s[ls - ln - 1] == '/' && strcmp(s + ls - ln, name) == 0;
}

const struct rec_exec *q_exec_named(const struct rec_proc *p, const char *name)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->nexecs; i++) {
		const struct rec_exec *e = &p->execs[i];
		if (names_file(e->path, name) || (e->argv && names_file(e->argv[0], name)))
			return e;
	}
	return NULL;
}

/* ---- how the run ended ---- */

const char *q_run_problem(const struct record *r)
{
	static const char *const what[] = {
		[OUT_TIMEOUT] = "it ran into the time limit and forklab stopped it",
		[OUT_PROC_LIMIT] = "it kept creating processes beyond the limit (a fork explosion) "
				   "and forklab stopped it",
		[OUT_OUTPUT_LIMIT] = "it wrote more output than allowed and forklab stopped it",
		[OUT_CPU_LIMIT] = "a process used up its CPU time",
		[OUT_MEM_LIMIT] = "a process ran out of memory (the memory limit)",
		[OUT_LINGER] = "processes outlived the first one for too long and forklab stopped them",
		[OUT_INTERRUPTED] = "forklab was interrupted while it ran",
	};
	if (!r || r->outcome == OUT_EXITED || r->outcome == OUT_SIGNALED)
		return NULL;
	char *b = rot_buf();
	const char *w = (size_t)r->outcome < sizeof what / sizeof what[0] && what[r->outcome]
				? what[r->outcome]
				: "the run was stopped";
	if (r->detail && *r->detail)
		snprintf(b, ROTLEN, "%s (%s)", w, r->detail);
	else
		snprintf(b, ROTLEN, "%s", w);
	return b;
}
