/* live.c - `forklab run` passes the program's output on while the program runs, stdout and stderr
 * in the order they were written, without ever blocking the tracer: a terminal or pipe that
 * cannot take more right now (a paused pager) only makes the output wait in memory (at most the
 * run's output cap), and the run's limits keep working. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

struct chunk {
	int stream;
	size_t len, off;
	char data[];
};

struct live {
	int fd[3];           /* where stream 1 and 2 go while the run lasts; -1: hold to the end */
	bool own[3];         /* fd[i] was opened here */
	bool broken[3];      /* its reader is gone (EPIPE) or it cannot be written: drop */
	char last_out;       /* the last byte passed on to stdout, 0 before any */
	struct chunk **q;    /* output not written yet, oldest first from head */
	size_t head, n, cap;
};

/* A descriptor for stream fd that never blocks, without changing fd's own flags (which other
 * processes sharing the terminal or pipe would see): a regular file as it is (writes to it do
 * not wait for a reader), a terminal or pipe opened anew through /proc with O_NONBLOCK. */
static void open_stream(struct live *l, int fd)
{
	struct stat st;
	l->fd[fd] = -1;
	if (fstat(fd, &st) < 0) {
		l->broken[fd] = true; /* closed: nowhere to write */
		return;
	}
	int fl = fcntl(fd, F_GETFL);
	if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || (fl >= 0 && (fl & O_NONBLOCK))) {
		l->fd[fd] = fd;
		return;
	}
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int nb = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (nb >= 0) {
		l->fd[fd] = nb;
		l->own[fd] = true;
	}
	/* else (a socket, say): held until the run is over, then written as before */
}

struct live *live_start(void)
{
	struct live *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	open_stream(l, 1);
	open_stream(l, 2);
	return l;
}

/* Writes queued output, oldest first, as far as it goes without blocking (or, when block is set,
 * all of it, to the original descriptors). Stops at the first chunk that must wait, so that the
 * order between stdout and stderr is kept. */
static void flush(struct live *l, bool block)
{
	while (l->head < l->n) {
		struct chunk *c = l->q[l->head];
		int fd = block ? c->stream : l->fd[c->stream];
		if (!l->broken[c->stream]) {
			if (fd < 0)
				return;
			ssize_t w = write(fd, c->data + c->off, c->len - c->off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == EAGAIN && block) {
				/* The original descriptor was non-blocking already: wait for room. */
				struct pollfd p = { .fd = fd, .events = POLLOUT };
				if (poll(&p, 1, -1) >= 0 || errno == EINTR)
					continue;
				l->broken[c->stream] = true;
			} else if (w < 0 && errno == EAGAIN) {
				return;
			}
			if (w < 0)
				l->broken[c->stream] = true;
			else if ((c->off += (size_t)w) < c->len)
				continue;
		}
		free(c);
		l->q[l->head++] = NULL;
	}
	l->head = l->n = 0;
}

/* Room for one more chunk at the queue's end, reusing the slots already written out. */
static bool make_room(struct live *l)
{
	if (l->head > 0 && l->head >= l->n / 2) {
		memmove(l->q, l->q + l->head, (l->n - l->head) * sizeof(*l->q));
		l->n -= l->head;
		l->head = 0;
	}
	if (l->n < l->cap)
		return true;
	size_t cap = l->cap ? l->cap * 2 : 64;
	struct chunk **q = realloc(l->q, cap * sizeof(*q));
	if (!q)
		return false;
	l->q = q;
	l->cap = cap;
	return true;
}

void live_output(int stream, const char *data, size_t len, void *arg)
{
	struct live *l = arg;
	if (stream < 1 || stream > 2 || l->broken[stream])
		return;
	struct chunk *c = make_room(l) ? malloc(sizeof(*c) + len) : NULL;
	if (!c)
		return; /* out of memory: this piece is only in the record */
	c->stream = stream;
	c->len = len;
	c->off = 0;
	memcpy(c->data, data, len);
	l->q[l->n++] = c;
	if (stream == 1 && len > 0)
		l->last_out = data[len - 1];
	flush(l, false);
}

bool live_finish(struct live *l)
{
	if (!l)
		return false;
	flush(l, true);
	bool open_line = l->last_out && l->last_out != '\n' && !l->broken[1];
	for (int fd = 1; fd <= 2; fd++)
		if (l->own[fd])
			close(l->fd[fd]);
	free(l->q);
	free(l);
	return open_line;
}
