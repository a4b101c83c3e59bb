/* record.c - the process-tree model of a run: building it (record_build.h), naming processes
 * by their place in the tree, looking them up, and freeing it. No ptrace here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUT_EXITED: return "exited";
	case OUT_SIGNALED: return "signaled";
	case OUT_TIMEOUT: return "timeout";
	case OUT_PROC_LIMIT: return "proc-limit";
	case OUT_OUTPUT_LIMIT: return "output-limit";
	case OUT_CPU_LIMIT: return "cpu-limit";
	case OUT_MEM_LIMIT: return "mem-limit";
	case OUT_LINGER: return "linger";
	case OUT_INTERRUPTED: return "interrupted";
	}
	return "unknown";
}

struct record *record_new(void)
{
	return calloc(1, sizeof(struct record));
}

/* Grows *arr (of *n elements of size sz) so one more fits; doubles the capacity. */
static int grow(void *arrp, size_t n, size_t *cap, size_t sz)
{
	void **arr = arrp;
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = realloc(*arr, ncap * sz);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Capacities are not part of the public structs: they are powers of two from 8 on, so they
 * can be derived from the count. */
static size_t cap_of(size_t n)
{
	size_t c = 8;
	if (n == 0)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

static void name_child(struct rec_proc *p, const struct rec_proc *parent)
{
	if (!parent) {
		strcpy(p->name, "P");
		return;
	}
	char buf[96];
	snprintf(buf, sizeof(buf), "%s.%d", parent->name, p->index);
	size_t len = strlen(buf);
	if (len < sizeof(p->name)) {
		memcpy(p->name, buf, len + 1);
		return;
	}
	/* Very deep chains keep the end of their path, which tells siblings apart. */
	const char *tail = buf + len - (sizeof(p->name) - 5);
	snprintf(p->name, sizeof(p->name), "P...%s", tail);
}

struct rec_proc *record_add_proc(struct record *r, struct rec_proc *parent, pid_t pid,
				 double ms, unsigned long seq)
{
	struct rec_proc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	size_t cap = cap_of(r->nprocs);
	if (grow(&r->procs, r->nprocs, &cap, sizeof(*r->procs)) < 0)
		goto fail;
	if (parent) {
		size_t ccap = cap_of(parent->nchildren);
		if (grow(&parent->children, parent->nchildren, &ccap, sizeof(*parent->children)) < 0)
			goto fail;
		parent->children[parent->nchildren++] = p;
		p->index = (int)parent->nchildren;
		p->depth = parent->depth + 1;
	}
	p->pid = pid;
	p->parent = parent;
	p->private_dirty_kib = -1;
	p->minflt = -1;
	p->forked_ms = ms;
	p->forked_seq = seq;
	name_child(p, parent);
	r->procs[r->nprocs++] = p;
	if (!parent) {
		r->root = p;
		r->root_pid = pid;
	}
	return p;
fail:
	free(p);
	return NULL;
}

struct rec_exec *record_add_exec(struct rec_proc *p, double ms, unsigned long seq, char *path,
				 char **argv, int argc, struct rec_fdset *fds)
{
	size_t cap = cap_of(p->nexecs);
	if (grow(&p->execs, p->nexecs, &cap, sizeof(*p->execs)) < 0)
		return NULL;
	struct rec_exec *e = &p->execs[p->nexecs++];
	memset(e, 0, sizeof(*e));
	e->ms = ms;
	e->seq = seq;
	e->path = path;
	e->argv = argv;
	e->argc = argc;
	if (fds) {
		e->fds = *fds;
		memset(fds, 0, sizeof(*fds));
	}
	return e;
}

int rec_buf_append(struct rec_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		char *d = realloc(b->data, ncap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0'; /* handy for string searches; not counted in len */
	return 0;
}

void rec_buf_free(struct rec_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int record_add_write(struct record *r, struct rec_proc *p, int stream, const void *data,
		     size_t len, double ms, unsigned long seq)
{
	struct rec_buf *b = stream == 2 ? &p->err : &p->out;
	size_t off = b->len;
	if (rec_buf_append(b, data, len) < 0)
		return -1;
	size_t cap = cap_of(r->nwrites);
	if (grow(&r->writes, r->nwrites, &cap, sizeof(*r->writes)) < 0)
		return -1;
	r->writes[r->nwrites++] = (struct rec_write){
		.seq = seq, .ms = ms, .proc = p, .stream = stream, .off = off, .len = len,
	};
	return 0;
}

int record_add_thread(struct rec_proc *p, double ms)
{
	size_t cap = cap_of(p->nthreads);
	if (grow(&p->threads, p->nthreads, &cap, sizeof(*p->threads)) < 0)
		return -1;
	p->threads[p->nthreads++] = ms;
	return 0;
}

void rec_fdset_free(struct rec_fdset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->fds[i].target);
	free(s->fds);
	memset(s, 0, sizeof(*s));
}

void record_vset_detail(struct record *r, const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	free(r->detail);
	r->detail = s;
}

void record_set_detail(struct record *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record_vset_detail(r, fmt, ap);
	va_end(ap);
}

const char *rec_fd_kind_name(char kind)
{
	switch (kind) {
	case 'f': return "file";
	case 'p': return "pipe";
	case 's': return "socket";
	case 't': return "tty";
	case 'n': return "null";
	default: return "other";
	}
}

const char *rec_fd_end_name(char end)
{
	return end == 'r' ? "read" : end == 'w' ? "write" : NULL;
}

const char *rec_signal_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

int rec_proc_status(const struct rec_proc *p)
{
	if (!p || !p->exited)
		return -1;
	return p->exit_signal > 0 ? 128 + p->exit_signal : p->exit_code;
}

struct rec_proc *record_find(const struct record *r, const char *name)
{
	if (!r || !name)
		return NULL;
	for (size_t i = 0; i < r->nprocs; i++)
		if (strcmp(r->procs[i]->name, name) == 0)
			return r->procs[i];
	return NULL;
}

const struct rec_file *record_file(const struct record *r, const char *name)
{
	for (size_t i = 0; r && name && i < r->nfiles; i++)
		if (strcmp(r->files[i].name, name) == 0)
			return &r->files[i];
	return NULL;
}

/* A pid can be reused within a long run: the latest process that had it wins. */
struct rec_proc *record_by_pid(const struct record *r, pid_t pid)
{
	if (!r)
		return NULL;
	for (size_t i = r->nprocs; i-- > 0;)
		if (r->procs[i]->pid == pid)
			return r->procs[i];
	return NULL;
}

static void exec_free(struct rec_exec *e)
{
	free(e->path);
	if (e->argv)
		for (int i = 0; e->argv[i]; i++)
			free(e->argv[i]);
	free(e->argv);
	rec_fdset_free(&e->fds);
}

static void proc_free(struct rec_proc *p)
{
	for (size_t i = 0; i < p->nexecs; i++)
		exec_free(&p->execs[i]);
	free(p->execs);
	free(p->children);
	free(p->threads);
	free(p->blocked_in);
	free(p->wchan);
	rec_buf_free(&p->out);
	rec_buf_free(&p->err);
	rec_fdset_free(&p->parent_fds);
	rec_fdset_free(&p->reaper_fds);
	rec_fdset_free(&p->end_fds);
	free(p);
}

void record_free(struct record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nprocs; i++)
		proc_free(r->procs[i]);
	free(r->procs);
	free(r->writes);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].name);
		free(r->files[i].data);
	}
	free(r->files);
	free(r->detail);
	rec_buf_free(&r->out);
	rec_buf_free(&r->err);
	free(r);
}
