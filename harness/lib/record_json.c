/* record_json.c - the full record as JSON (jansson). Student output is arbitrary bytes: it is
 * made valid UTF-8 first (invalid sequences become U+FFFD), NULs kept via json_stringn. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "record.h"
#include "record_build.h"
#include "utf8.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
/* A time in ms, rounded to the microsecond: what the clock can tell, and no long tail of
 * binary digits ("0.507948", not "0.50794799999999996") once dumped with 15 digits. */
static json_t *ms_real(double ms)
{
	return json_real(round(ms * 1000.0) / 1000.0);
}

static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t min, cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; min = 0x80; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; min = 0x800; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; min = 0x10000; cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *utf8_sanitize(const char *data, size_t len, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)data;
	/* Worst case: every byte becomes the 3-byte U+FFFD. */
	char *out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq_len(s + i, len - i);
		if (k == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

json_t *utf8_json_string(const char *data, size_t len)
{
	size_t n;
	char *clean = utf8_sanitize(data ? data : "", data ? len : 0, &n);
	if (!clean)
		return NULL;
	json_t *j = json_stringn(clean, n);
	free(clean);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s ? utf8_json_string(s, strlen(s)) : json_null();
}

/* A pid field: a number, "forklab", or null (0). */
static json_t *pid_json(pid_t pid)
{
	if (pid == REC_FORKLAB)
		return json_string("forklab");
	if (pid == 0)
		return json_null();
	return json_integer(pid);
}

/* A descriptor snapshot as a JSON array of {fd, target, kind, end}. */
static json_t *rec_fdset_to_jansson(const struct rec_fdset *s)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->n; i++) {
		const struct rec_fd *f = &s->fds[i];
		json_t *o = json_object();
		json_object_set_new(o, "fd", json_integer(f->fd));
		json_object_set_new(o, "target", str_or_null(f->target));
		json_object_set_new(o, "kind", json_string(rec_fd_kind_name(f->kind)));
		json_object_set_new(o, "end", str_or_null(rec_fd_end_name(f->end)));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *exec_json(const struct rec_exec *e)
{
	json_t *o = json_object();
	json_t *argv = json_array();
	for (int i = 0; e->argv && e->argv[i]; i++)
		json_array_append_new(argv, str_or_null(e->argv[i]));
	json_object_set_new(o, "path", str_or_null(e->path));
	json_object_set_new(o, "argv", argv);
	json_object_set_new(o, "fds", rec_fdset_to_jansson(&e->fds));
	json_object_set_new(o, "ms", ms_real(e->ms));
	json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
	return o;
}

static json_t *exit_json(const struct rec_proc *p)
{
	if (!p->exited)
		return json_null();
	if (p->exit_signal > 0)
		return json_pack("{s:i}", "signal", p->exit_signal);
	return json_pack("{s:i}", "code", p->exit_code);
}

static json_t *ms_or_null(bool have, double ms)
{
	return have ? ms_real(ms) : json_null();
}

static json_t *proc_json(const struct rec_proc *p)
{
	json_t *o = json_object();
	json_t *execs = json_array(), *threads = json_array();
	for (size_t i = 0; i < p->nexecs; i++)
		json_array_append_new(execs, exec_json(&p->execs[i]));
	for (size_t i = 0; i < p->nthreads; i++)
		json_array_append_new(threads, ms_real(p->threads[i]));
	json_object_set_new(o, "pid", json_integer(p->pid));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "parent", p->parent ? json_integer(p->parent->pid) : json_null());
	json_object_set_new(o, "forked_ms", ms_real(p->forked_ms));
	json_object_set_new(o, "forked_seq", json_integer((json_int_t)p->forked_seq));
	json_object_set_new(o, "exec", execs);
	json_object_set_new(o, "exit", exit_json(p));
	json_object_set_new(o, "killed_by_forklab", json_boolean(p->killed_by_forklab));
	json_object_set_new(o, "exited_ms", ms_or_null(p->exited, p->exited_ms));
	json_object_set_new(o, "exited_seq", p->exited ? json_integer((json_int_t)p->exited_seq)
						      : json_null());
	json_object_set_new(o, "reaped_by", pid_json(p->reaped_by));
	json_object_set_new(o, "reaped_ms", ms_or_null(p->reaped_by != 0, p->reaped_ms));
	json_object_set_new(o, "reaped_seq", p->reaped_by ? json_integer((json_int_t)p->reaped_seq)
							   : json_null());
	json_object_set_new(o, "orphaned", json_boolean(p->orphaned));
	json_object_set_new(o, "adopted_by", pid_json(p->adopted_by));
	json_object_set_new(o, "threads", threads);
	json_object_set_new(o, "stdout", utf8_json_string(p->out.data, p->out.len));
	json_object_set_new(o, "stderr", utf8_json_string(p->err.data, p->err.len));
	json_object_set_new(o, "forks_denied", json_integer(p->forks_denied));
	json_object_set_new(o, "kills_denied", json_integer(p->kills_denied));
	json_object_set_new(o, "accepts", json_integer(p->accepts));
	if (p->end_fds.taken)
		json_object_set_new(o, "end_fds", rec_fdset_to_jansson(&p->end_fds));
	json_object_set_new(o, "stops", json_integer((json_int_t)p->stops));
	json_object_set_new(o, "all_writes_traced", json_boolean(p->all_writes_traced));
	if (p->private_dirty_kib >= 0)
		json_object_set_new(o, "private_dirty_kib", json_integer(p->private_dirty_kib));
	if (p->minflt >= 0)
		json_object_set_new(o, "minflt", json_integer(p->minflt));
	if (p->blocked_in)
		json_object_set_new(o, "blocked_in", json_string(p->blocked_in));
	if (p->wchan)
		json_object_set_new(o, "wchan", utf8_json_string(p->wchan, strlen(p->wchan)));
	return o;
}

static json_t *write_json(const struct rec_write *w)
{
	const struct rec_buf *b = w->stream == 2 ? &w->proc->err : &w->proc->out;
	json_t *o = json_object();
	json_object_set_new(o, "seq", json_integer((json_int_t)w->seq));
	json_object_set_new(o, "ms", ms_real(w->ms));
	json_object_set_new(o, "pid", json_integer(w->proc->pid));
	json_object_set_new(o, "name", json_string(w->proc->name));
	json_object_set_new(o, "stream", json_string(w->stream == 2 ? "stderr" : "stdout"));
	json_object_set_new(o, "text", utf8_json_string(b->data + w->off, w->len));
	return o;
}

json_t *record_to_jansson(const struct record *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_t *procs = json_array(), *writes = json_array();
	for (size_t i = 0; i < r->nprocs; i++)
		json_array_append_new(procs, proc_json(r->procs[i]));
	for (size_t i = 0; i < r->nwrites; i++)
		json_array_append_new(writes, write_json(&r->writes[i]));
	json_object_set_new(o, "outcome", json_string(outcome_name(r->outcome)));
	json_object_set_new(o, "status", json_integer(r->status));
	json_object_set_new(o, "root", json_integer(r->root_pid));
	json_object_set_new(o, "duration_ms", ms_real(r->duration_ms));
	json_object_set_new(o, "leftover", json_integer(r->leftover));
	json_object_set_new(o, "stdout", utf8_json_string(r->out.data, r->out.len));
	json_object_set_new(o, "stderr", utf8_json_string(r->err.data, r->err.len));
	json_object_set_new(o, "output_truncated", json_boolean(r->output_truncated));
	json_object_set_new(o, "detail", str_or_null(r->detail));
	json_object_set_new(o, "max_alive", json_integer(r->max_alive));
	json_object_set_new(o, "forks_denied", json_integer(r->forks_denied));
	json_object_set_new(o, "processes", procs);
	if (r->nfiles) {
		json_t *files = json_array();
		for (size_t i = 0; i < r->nfiles; i++)
			json_array_append_new(files, json_pack("{s:o,s:I,s:i,s:b}", "name",
				utf8_json_string(r->files[i].name, strlen(r->files[i].name)),
				"len", (json_int_t)r->files[i].len, "mode", r->files[i].mode, "truncated",
				r->files[i].truncated));
		json_object_set_new(o, "files", files);
	}
	json_object_set_new(o, "writes", writes);
	return o;
}

char *record_to_json(const struct record *r)
{
	json_t *j = record_to_jansson(r);
	if (!j)
		return NULL;
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(j);
	return s;
}
