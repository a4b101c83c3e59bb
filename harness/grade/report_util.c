/* report_util.c - buffers, UTF-8 clean-up, base64 and program output for the reporters. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_util.h"

void tb_add(struct tbuf *b, const char *s, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void tb_str(struct tbuf *b, const char *s)
{
	if (s)
		tb_add(b, s, strlen(s));
}

void tb_printf(struct tbuf *b, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	tb_add(b, s, (size_t)n);
	free(s);
}

char *tb_take(struct tbuf *b)
{
	if (b->oom) {
		free(b->s);
		memset(b, 0, sizeof *b);
		return NULL;
	}
	char *s = b->s ? b->s : strdup("");
	memset(b, 0, sizeof *b);
	return s;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *rep_utf8(const char *data, size_t len)
{
	struct tbuf b = {0};
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	tb_add(&b, "", 0);
	while (i < len) {
		size_t n = utf8_seq(s + i, len - i);
		if (n == 0) {
			tb_str(&b, "\xef\xbf\xbd");
			i++;
		} else if (s[i] == 0) {
			tb_str(&b, "\\0");
			i++;
		} else {
			tb_add(&b, data + i, n);
			i += n;
		}
	}
	return tb_take(&b);
}

char *rep_base64(const char *data, size_t len)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)data;
	char *out = malloc(4 * ((len + 2) / 3) + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		*o++ = al[v >> 18 & 63];
		*o++ = al[v >> 12 & 63];
		*o++ = i + 1 < len ? al[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? al[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

void rep_shell_word(struct tbuf *b, const char *arg)
{
	bool plain = *arg != '\0';
	for (const char *p = arg; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			       "-_./=:,+%@", *p) != NULL;
	if (plain) {
		tb_str(b, arg);
		return;
	}
	tb_str(b, "'");
	for (const char *p = arg; *p; p++) {
		if (*p == '\'')
			tb_str(b, "'\\''");
		else
			tb_add(b, p, 1);
	}
	tb_str(b, "'");
}

void rep_args(struct tbuf *b, const struct scenario *sc)
{
	for (size_t i = 0; sc && sc->args && sc->args[i]; i++) {
		if (i)
			tb_str(b, " ");
		rep_shell_word(b, sc->args[i]);
	}
}

static void add_stream(struct tbuf *b, const char *what, const struct rec_buf *buf, size_t max)
{
	if (!buf->len)
		return;
	size_t n = buf->len < max ? buf->len : max;
	tb_printf(b, "--- %s ---\n", what);
	tb_add(b, buf->data, n);
	if (n && buf->data[n - 1] != '\n')
		tb_str(b, "\n");
	if (n < buf->len)
		tb_printf(b, "[... %zu more bytes]\n", buf->len - n);
}

char *rep_check_output(const struct lab_result *lr, const struct check_result *cr, size_t max)
{
	struct tbuf b = {0};
	bool any = false;
	for (size_t i = 0; cr && cr->runs_used && i < lr->nruns; i++)
		any |= cr->runs_used[i] != 0;
	tb_add(&b, "", 0);
	for (size_t i = 0; i < lr->nruns; i++) {
		const struct run *run = &lr->runs[i];
		if (any && !cr->runs_used[i])
			continue;
		tb_printf(&b, "$ %s", lr->lab && lr->lab->program ? lr->lab->program : "program");
		if (run->sc && run->sc->args && run->sc->args[0])
			tb_str(&b, " ");
		rep_args(&b, run->sc);
		tb_printf(&b, "   (scenario %s)\n", run->sc ? run->sc->id : "?");
		if (!run->rec) {
			tb_printf(&b, "did not run: %s\n", run->error ? run->error : "?");
			continue;
		}
		add_stream(&b, "stdout", &run->rec->out, max);
		add_stream(&b, "stderr", &run->rec->err, max);
	}
	size_t rawlen = b.len;
	char *raw = tb_take(&b);
	if (!raw)
		return NULL;
	char *clean = rep_utf8(raw, rawlen);
	free(raw);
	return clean;
}

char *rep_test_name(const struct lab_result *lr, const struct check_result *cr)
{
	char *s = NULL;
	if (asprintf(&s, "%s %s: %s", lr->lab->name, cr->check->id,
		     cr->check->title ? cr->check->title : "") < 0)
		return NULL;
	return s;
}
