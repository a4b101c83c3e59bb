/* lab08.c - lab 08-forking-server: `server PORT`, an HTTP/1.0 server that forks per connection.
 * A driver plays the clients while the server runs (10 sequential requests, one of them by
 * curl, then 10 concurrent ones), then sends SIGTERM; the checks read its findings together
 * with the record: who forked and accepted, who was reaped when, how many descriptors the
 * parent held. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lab.h"
#include "labs58.h"
#include "query.h"

#define NSEQ 10             /* sequential requests; the last one is made by curl */
#define NCONC 10            /* concurrent requests */
#define NREQ (NSEQ + NCONC)
#define CURL_REQ (NSEQ - 1)
#define REPLY_MS 2000       /* how long a request may take until its body line */
#define EOF_GRACE_MS 200    /* then how long until the server closes the connection */
#define QUIET_MS 1200       /* between the last reply and SIGTERM */
#define MAX_ZOMBIE_MS 500.0

/* One request, as the client saw it. */
struct reply {
	bool answered;       /* a status line, headers and a body line came */
	bool closed;         /* and then end-of-file */
	char text[256];      /* what came, cut */
	size_t len;
	char error[96];      /* what went wrong, for the verdict */
};

/* What the driver leaves in run->driver_data (one block: lab_result_free() frees it). */
struct served {
	int port;                 /* 0: the server never said where it listens */
	struct reply req[NREQ];
	int curl_status;          /* curl's wait status; -1 when it could not run */
	char curl_error[96];
	bool sent_term;
	char error[160];          /* a problem that stopped the driver early */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A socket connecting to 127.0.0.1:port without blocking; -1 with rp->error on failure. */
static int open_conn(int port, struct reply *rp)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0) {
		snprintf(rp->error, sizeof rp->error, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
		snprintf(rp->error, sizeof rp->error, "connect: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* True once text holds the header's end and a complete body line. */
static bool has_body_line(const struct reply *rp)
{
	const char *end = memmem(rp->text, rp->len, "\r\n\r\n", 4);

	return end && memchr(end + 4, '\n', rp->len - (size_t)(end + 4 - rp->text)) != NULL;
}

/* One connection's progress in exchange(). */
struct conn {
	int fd;
	size_t sent;
	double answered_ms;
};

static const char request[] = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: forklab\r\n\r\n";

/* Moves c one step on: sends what is left of the request, or reads. Returns false when the
 * exchange is over (fd closed). */
static bool step(struct conn *c, struct reply *rp, short revents)
{
	ssize_t n;

	if (c->sent < sizeof request - 1) {
		if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
			return true;
		n = send(c->fd, request + c->sent, sizeof request - 1 - c->sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN) {
			snprintf(rp->error, sizeof rp->error, "sending the request: %s", strerror(errno));
			return false;
		}
		c->sent += n > 0 ? (size_t)n : 0;
		return true;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return true;
	char buf[512];
	n = recv(c->fd, buf, sizeof buf, 0);
	if (n < 0 && errno == EAGAIN)
		return true;
	if (n < 0) {
		snprintf(rp->error, sizeof rp->error, "reading the reply: %s", strerror(errno));
		return false;
	}
	if (n == 0) {
		rp->closed = true;
		return false;
	}
	size_t room = sizeof rp->text - 1 - rp->len;
	memcpy(rp->text + rp->len, buf, (size_t)n < room ? (size_t)n : room);
	rp->len += (size_t)n < room ? (size_t)n : room;
	rp->text[rp->len] = '\0';
	if (!rp->answered && has_body_line(rp)) {
		rp->answered = true;
		c->answered_ms = now_ms();
	}
	return true;
}

/* Makes n requests at once: all connected, then all sent, then all read until the server
 * closes or the time is up. */
static void exchange(int port, struct reply *rs, int n)
{
	struct conn cs[NCONC];
	struct pollfd pf[NCONC];
	double start = now_ms();

	for (int i = 0; i < n; i++)
		cs[i] = (struct conn){ .fd = open_conn(port, &rs[i]) };
	for (;;) {
		int live = 0;
		for (int i = 0; i < n; i++) {
			if (cs[i].fd < 0)
				continue;
			pf[live].fd = cs[i].fd;
			pf[live].events = cs[i].sent < sizeof request - 1 ? POLLOUT : POLLIN;
			pf[live].revents = 0;
			live++;
		}
		if (live == 0)
			return;
		poll(pf, (nfds_t)live, 50);
		double t = now_ms();
		for (int i = 0, k = 0; i < n; i++) {
			if (cs[i].fd < 0)
				continue;
			short rev = pf[k++].revents;
			bool go_on = step(&cs[i], &rs[i], rev);
			if (go_on && !rs[i].answered && t - start > REPLY_MS) {
				snprintf(rs[i].error, sizeof rs[i].error, "no complete reply within %d ms",
					 REPLY_MS);
				go_on = false;
			}
			if (go_on && rs[i].answered && t - cs[i].answered_ms > EOF_GRACE_MS) {
				snprintf(rs[i].error, sizeof rs[i].error, "the connection stayed open "
					 "after the reply");
				go_on = false;
			}
			if (!go_on) {
				close(cs[i].fd);
				cs[i].fd = -1;
			}
		}
	}
}

/* The tenth sequential request, made by curl; its body lands in rp->text. */
static void curl_request(struct trace_ctl *ctl, int port, struct served *s, struct reply *rp)
{
	char url[64];
	int out = memfd_create("forklab-curl", MFD_CLOEXEC);

	s->curl_status = -1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	char *argv[] = { "curl", "--silent", "--show-error", "--http1.0", "--max-time", "1.5", url,
			 NULL };
	if (out < 0) {
		snprintf(s->curl_error, sizeof s->curl_error, "memfd_create: %s", strerror(errno));
		return;
	}
	pid_t pid = trace_ctl_spawn(ctl, argv, out);
	if (pid < 0)
		snprintf(s->curl_error, sizeof s->curl_error, "curl could not be started");
	else if (trace_ctl_wait_helper(ctl, pid, 4.0, &s->curl_status) < 0)
		snprintf(s->curl_error, sizeof s->curl_error, "curl did not finish in time");
	ssize_t n = pread(out, rp->text, sizeof rp->text - 1, 0);
	rp->len = n > 0 ? (size_t)n : 0;
	rp->text[rp->len] = '\0';
	rp->answered = rp->closed = s->curl_status == 0;
	close(out);
}

static void pause_ms(double ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1e3),
			       .tv_nsec = (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The scenario's driver: the clients, then SIGTERM. */
static int drive(struct trace_ctl *ctl, void *arg)
{
	struct run *run = arg;
	struct served *s = calloc(1, sizeof *s);
	char line[128];

	if (s == NULL)
		return -1;
	run->driver_data = s;
	s->curl_status = -1;
	if (trace_ctl_wait_line(ctl, 1, "listening on ", 3.0, line, sizeof line) < 0 ||
	    sscanf(line, "listening on %d", &s->port) != 1 || s->port <= 0 || s->port > 65535) {
		s->port = 0;
		snprintf(s->error, sizeof s->error, "the server never printed 'listening on <port>' "
			 "(within 3 s, flushed)");
		s->sent_term = trace_ctl_signal_root(ctl, SIGTERM) == 0;
		return 0;
	}
	for (int i = 0; i < NSEQ && !trace_ctl_done(ctl); i++) {
		if (i == CURL_REQ)
			curl_request(ctl, s->port, s, &s->req[i]);
		else
			exchange(s->port, &s->req[i], 1);
	}
	if (!trace_ctl_done(ctl))
		exchange(s->port, &s->req[NSEQ], NCONC);
	pause_ms(QUIET_MS);
	s->sent_term = trace_ctl_signal_root(ctl, SIGTERM) == 0;
	return 0;
}

static const char *const args_serve[] = { "0", NULL };
static const char *const args_usage[] = { "http", NULL };

static const struct scenario scenarios[] = {
	{ .id = "serve", .args = args_serve, .driver = drive, .snap_fds = true, .timeout_s = 8,
	  .max_procs = 40 },
	{ .id = "usage", .args = args_usage, .timeout_s = 2 },
};

/* The driver's findings and the record of the serve scenario; NULL after failing the check. */
static struct served *served(struct check_ctx *c, struct record **rec)
{
	struct run *run = check_run_full(c, "serve");
	struct served *s;

	if (run == NULL)
		return NULL;
	if ((s = run->driver_data) == NULL) {
		check_fail(c, "the grader's client did not run (out of memory?)");
		return NULL;
	}
	*rec = run->rec;
	return s;
}

/* As served(), for the checks on how requests were served: those fail, rather than pass on
 * nothing, when the server never got a request or never forked for one. */
static struct served *served_some(struct check_ctx *c, struct record **rec)
{
	struct served *s = served(c, rec);

	if (s == NULL)
		return NULL;
	if (s->port == 0) {
		check_fail(c, "no request could be made: %s", s->error);
		return NULL;
	}
	if ((*rec)->root->nchildren == 0) {
		check_fail(c, "P never forked: each connection is served by a child of its own");
		return NULL;
	}
	return s;
}

/* The pid in the body "hello from <pid>\n", or -1. */
static long body_pid(const char *body)
{
	long pid;
	char nl;

	if (sscanf(body, "hello from %ld%c", &pid, &nl) != 2 || nl != '\n')
		return -1;
	return pid;
}

/* The body's pid must be a server process other than P, and not one named by an earlier
 * reply. Returns false after failing the check. */
static bool pid_ok(struct check_ctx *c, struct record *r, struct served *s, int i,
			     long pid)
{
	struct rec_proc *p = record_by_pid(r, (pid_t)pid);

	if (p == NULL || p == r->root) {
		check_fail(c, "reply %d said 'hello from %ld', but %s: the child must print its own "
			   "getpid()", i + 1, pid, p ? "that is P, the parent" :
			   "no process of the server has that pid");
		return false;
	}
	for (int k = 0; k < i; k++) {
		const char *b = s->req[k].text;
		const char *body = strstr(b, "\r\n\r\n");
		if (k != CURL_REQ && body)
			b = body + 4;
		if (body_pid(b) == pid) {
			check_fail(c, "replies %d and %d both came from %s: each connection gets its "
				   "own child", k + 1, i + 1, q_label(p));
			return false;
		}
	}
	return true;
}

static int check_listening(struct check_ctx *c)
{
	struct record *r;
	struct served *s = served(c, &r);
	char want[64];

	if (s == NULL)
		return CHECK_FAIL;
	if (s->port == 0)
		return check_fail(c, "%s", s->error);
	snprintf(want, sizeof want, "listening on %d", s->port);
	unsigned long seq = q_line_seq(r, r->root, 1, want);
	if (seq == 0)
		return check_fail(c, "'%s' was not printed by P", want);
	if (r->root->nchildren && seq > r->root->children[0]->forked_seq)
		return check_fail(c, "'%s' reached stdout only after P forked: fflush(stdout) "
				  "before the first accept", want);
	return CHECK_PASS;
}

static int check_bodies(struct check_ctx *c)
{
	struct record *r;
	struct served *s = served(c, &r);
	char want[256];

	if (s == NULL)
		return CHECK_FAIL;
	if (s->port == 0)
		return check_fail(c, "no request could be made: %s", s->error);
	for (int i = 0; i < NREQ; i++) {
		const struct reply *rp = &s->req[i];
		const char *kind = i < NSEQ ? "sequential" : "concurrent";
		if (i == CURL_REQ)
			continue;   /* judged by check_curl */
		if (!rp->answered || !rp->closed)
			return check_fail(c, "%s request %d: %s%s", kind, i + 1, rp->error[0] ?
					  rp->error : "no reply", rp->answered && !rp->closed ?
					  " (the reply came, but the connection was never closed: "
					  "does the parent close its copy after fork()?)" : "");
		const char *body = strstr(rp->text, "\r\n\r\n");
		long pid = body ? body_pid(body + 4) : -1;
		snprintf(want, sizeof want, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
			 "Connection: close\r\n\r\nhello from %ld\n", pid);
		if (pid < 0 || strcmp(rp->text, want) != 0) {
			char *got = l58_escape(rp->text, rp->len);
			check_fail(c, "%s request %d got '%s', not the reply the task gives "
				   "('HTTP/1.0 200 OK\\r\\n...\\r\\n\\r\\nhello from <pid>\\n')", kind,
				   i + 1, got ? got : "?");
			free(got);
			return CHECK_FAIL;
		}
		if (!pid_ok(c, r, s, i, pid))
			return CHECK_FAIL;
	}
	return CHECK_PASS;
}

static int check_curl(struct check_ctx *c)
{
	struct record *r;
	struct served *s = served(c, &r);
	const struct reply *rp;
	long pid;

	if (s == NULL)
		return CHECK_FAIL;
	if (s->port == 0)
		return check_fail(c, "no request could be made: %s", s->error);
	rp = &s->req[CURL_REQ];
	if (s->curl_error[0])
		return check_fail(c, "request %d, by curl: %s", CURL_REQ + 1, s->curl_error);
	if (!WIFEXITED(s->curl_status) || WEXITSTATUS(s->curl_status) != 0)
		return check_fail(c, "request %d, by curl, failed (curl's status %d%s)", CURL_REQ + 1,
				  WIFEXITED(s->curl_status) ? WEXITSTATUS(s->curl_status) : -1,
				  WIFEXITED(s->curl_status) && WEXITSTATUS(s->curl_status) == 28 ?
				  ": it timed out waiting for the connection to close" : "");
	if ((pid = body_pid(rp->text)) < 0) {
		char *got = l58_escape(rp->text, rp->len);
		check_fail(c, "curl got the body '%s', expected 'hello from <pid>\\n'",
			   got ? got : "?");
		free(got);
		return CHECK_FAIL;
	}
	return pid_ok(c, r, s, CURL_REQ, pid) ? CHECK_PASS : CHECK_FAIL;
}

static int check_only_parent(struct check_ctx *c)
{
	struct record *r;

	if (served_some(c, &r) == NULL)
		return CHECK_FAIL;
	for (size_t k = 1; k < r->nprocs; k++) {
		struct rec_proc *p = r->procs[k];
		if (p->nchildren == 0 && p->accepts == 0)
			continue;
		if (p->nchildren > 0)
			return check_fail(c, "%s forked %s: after serving its request it did not exit, "
					  "went back into the parent's accept loop, accepted %u "
					  "connection(s) and forked for them; the child must _exit() "
					  "once its request is served", q_label(p),
					  q_label(p->children[0]), p->accepts);
		return check_fail(c, "%s called accept() %u time(s): after serving its request it "
				  "went back into the parent's accept loop; the child must _exit() "
				  "once its request is served", q_label(p), p->accepts);
	}
	return CHECK_PASS;
}

static int check_alive(struct check_ctx *c)
{
	struct record *r;
	int most;

	if (served_some(c, &r) == NULL)
		return CHECK_FAIL;
	most = q_max_alive(r);
	/* One more than the server and one child per request in flight: the child of the last
	 * sequential request may still be on its way out when the concurrent ones arrive. */
	if (most > 1 + NCONC + 1)
		return check_fail(c, "%d processes were alive at once; at most %d should be (the "
				  "server, one child per request in flight, and one on its way "
				  "out): children that do not exit pile up", most, 1 + NCONC + 1);
	return CHECK_PASS;
}

/* The verdict for a child that P never reaped, by what happened to it instead. */
static int not_reaped(struct check_ctx *c, const struct rec_proc *p)
{
	if (!p->exited || p->killed_by_forklab)
		return check_fail(c, "%s was never reaped by P: it was still running when the run "
				  "was stopped", q_label(p));
	if (p->reaped_by == 0)
		return check_fail(c, "%s ended but no process ever collected its status: with "
				  "SIGCHLD set to SIG_IGN (or SA_NOCLDWAIT) the kernel discards ended "
				  "children by itself, but this lab asks the parent to reap each one "
				  "with waitpid()", q_label(p));
	return check_fail(c, "%s was reaped by %s, not by P: P must wait for its children "
			  "before it exits", q_label(p), p->reaped_by == REC_FORKLAB ? "forklab" :
			  "another process");
}

static int check_reaped(struct check_ctx *c)
{
	struct record *r;

	if (served_some(c, &r) == NULL)
		return CHECK_FAIL;
	for (size_t k = 1; k < r->nprocs; k++) {
		struct rec_proc *p = r->procs[k];
		double z = q_zombie_ms(p);
		if (p->reaper != r->root)
			return not_reaped(c, p);
		if (z > MAX_ZOMBIE_MS)
			return check_fail(c, "%s stayed a zombie for %.0f ms before P reaped it (at "
					  "most %.0f ms allowed): reap children as they finish, with a "
					  "SIGCHLD handler that calls waitpid(-1, &status, WNOHANG) in a "
					  "loop", q_label(p), z, MAX_ZOMBIE_MS);
	}
	return CHECK_PASS;
}

static int check_fds(struct check_ctx *c)
{
	struct record *r;
	struct rec_proc *root, *first = NULL, *worst = NULL;

	if (served_some(c, &r) == NULL)
		return CHECK_FAIL;
	root = r->root;
	for (size_t k = 0; k < root->nchildren; k++) {
		struct rec_proc *p = root->children[k];
		if (!p->parent_fds.taken)
			continue;
		if (first == NULL)
			first = p;
		else if (worst == NULL || p->parent_fds.n > worst->parent_fds.n)
			worst = p;
	}
	if (first == NULL)
		return check_fail(c, "the tracer took no descriptor snapshot when P forked");
	if (worst && worst->parent_fds.n > first->parent_fds.n)
		return check_fail(c, "P had %zu descriptors open when it forked %s and %zu when it "
				  "forked %s: after fork() the parent must close its copy of the "
				  "connection", first->parent_fds.n, q_label(first),
				  worst->parent_fds.n, q_label(worst));
	return CHECK_PASS;
}

static int check_shutdown(struct check_ctx *c)
{
	struct record *r;
	struct served *s = served(c, &r);
	char listen_line[64], *got = NULL;
	const char *want[2];

	if (s == NULL)
		return CHECK_FAIL;
	if (s->port == 0)
		return check_fail(c, "the server never got going: %s", s->error);
	if (!s->sent_term)
		return check_fail(c, "the grader could not send SIGTERM: the server had already "
				  "ended");
	if (q_run_problem(r))
		return check_fail(c, "after SIGTERM the server did not finish by itself: %s",
				  q_run_problem(r));
	for (size_t k = 1; k < r->nprocs; k++)
		if (!r->procs[k]->exited || r->procs[k]->exited_seq > r->root->exited_seq)
			return check_fail(c, "P exited before %s: on SIGTERM wait for every child "
					  "first", q_label(r->procs[k]));
	snprintf(listen_line, sizeof listen_line, "listening on %d", s->port);
	want[0] = listen_line;
	want[1] = "server: handled 20 requests";
	if (!l58_lines_are(r->root, 1, want, 2, &got)) {
		check_fail(c, "P should print '%s' and, on SIGTERM, '%s'; it printed %s", want[0],
			   want[1], got);
		free(got);
		return CHECK_FAIL;
	}
	if (q_status(r->root) != 0)
		return check_fail(c, "after SIGTERM P should exit 0, not %d", q_status(r->root));
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	struct record *r = check_run(c, "usage");

	if (r == NULL)
		return CHECK_FAIL;
	if (q_status(r->root) != 2 || r->nprocs > 1 || r->root->err.len == 0)
		return check_fail(c, "server http (not a port) should print a usage line on "
				  "stderr and exit 2; it exited with status %d", q_status(r->root));
	return CHECK_PASS;
}

static const struct check checks[] = {
	{ "listening", 1, "'listening on <port>' printed and flushed before accepting",
	  check_listening, "Task" },
	{ "bodies", 3, "19 requests (9 sequential, 10 concurrent) get 'hello from <child pid>'",
	  check_bodies, "Task" },
	{ "curl", 1, "a real client, curl, gets its reply too",
	  check_curl, "Task" },
	{ "only-parent", 3, "only the original process forks or accepts",
	  check_only_parent, "The child's job" },
	{ "alive-bound", 2, "at most 1 + requests in flight (+1 on its way out) alive at once",
	  check_alive, "The child's job" },
	{ "reaped", 2, "every child reaped by the parent, none a zombie over 500 ms",
	  check_reaped, "Reaping without blocking" },
	{ "fds-flat", 2, "the parent's open descriptors do not grow with requests",
	  check_fds, "The parent's job" },
	{ "shutdown", 2, "SIGTERM: children waited for, 'server: handled 20 requests', exit 0",
	  check_shutdown, "Stopping" },
	{ "usage", 1, "a bad PORT: usage line on stderr, exit 2",
	  check_usage, "Task" },
};

static const char *const sources[] = { "server.c", NULL };

/* The check about when the children were reaped: its verdict shows how to see every zombie
 * time, in a run where the student plays the clients. */
static const char *const zombie_checks[] = { "reaped", NULL };

/* For `forklab hint`: one more each time, from the idea to the detail, never the code. */
static const char *const hints[] = {
	"The parent only accepts and forks; each child serves one connection and ends. Read "
	"the tree of a run: who accepted, who forked?",
	"In serve_forever(): accept4(), fork(); the child calls serve(conn), closes it and "
	"_exit(0)s; the parent closes its copy of conn and counts.",
	"The SIGCHLD handler reaps without blocking: while (waitpid(-1, NULL, WNOHANG) > 0); "
	"several ended children may come with one signal.",
	"If a client hangs after its reply, some process still holds a copy of the "
	"connection: the parent must close its copy right after fork().",
	NULL,
};

const struct lab lab08 = {
	.number = 8,
	.name = "08-forking-server",
	.title = "A forking server",
	.program = "server",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
	.zombie_checks = zombie_checks,
	.zombie_run_note = "It waits for clients: from another terminal send it a few requests "
			   "(curl -s http://127.0.0.1:PORT/, with the port it prints), then stop it "
			   "with pkill -TERM -x server (or let the command's --timeout end the run).",
};
