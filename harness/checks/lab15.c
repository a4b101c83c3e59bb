/* lab15.c - lab 15-forkserver: `forkserver N` starts a fork server (fork + exec of its own
 * program with --server) before it creates any thread, then has the server fork N workers and
 * relay their statuses. Judged on the tree, on when the server exec'd against when the parent's
 * threads appeared, on the descriptors the server was started with, and on who reaped whom. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "labs58.h"
#include "query.h"

static const char *const args_4[] = { "4", NULL };
static const char *const args_1[] = { "1", NULL };
static const char *const args_none[] = { NULL };
static const char *const args_zero[] = { "0", NULL };
static const char *const args_21[] = { "21", NULL };
static const char *const args_garbage[] = { "3x", NULL };

static const struct scenario scenarios[] = {
	{ .id = "n4", .args = args_4, .timeout_s = 3, .max_procs = 16, .snap_fds = true },
	{ .id = "n1", .args = args_1, .timeout_s = 3, .max_procs = 16, .snap_fds = true },
	{ .id = "usage-none", .args = args_none, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-21", .args = args_21, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-garbage", .args = args_garbage, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; int n; } sized[] = { { "n4", 4 }, { "n1", 1 } };
#define NSIZED (sizeof sized / sizeof sized[0])

/* The server: P's first child. NULL (after failing the check) when P forked nothing. */
static struct rec_proc *server_of(struct check_ctx *c, const struct record *r, int n)
{
	if (r->root->nchildren == 0) {
		check_fail(c, "with N = %d, P forked nothing: start the fork server with fork() + "
			   "exec of /proc/self/exe --server", n);
		return NULL;
	}
	return r->root->children[0];
}

static int check_tree(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct rec_proc *srv;
		int n = sized[s].n;

		if (r == NULL || (srv = server_of(c, r, n)) == NULL)
			return CHECK_FAIL;
		if (r->root->nchildren > 1)
			return check_fail(c, "with N = %d, P forked %zu processes (%s, %s...): P forks "
					  "only the server; every worker must be forked by the server, "
					  "which has no threads", n, r->root->nchildren, q_label(srv),
					  q_label(r->root->children[1]));
		if (srv->nchildren != (size_t)n)
			return check_fail(c, "with N = %d, expected the server %s to fork %d workers; "
					  "it forked %zu", n, q_label(srv), n, srv->nchildren);
		for (size_t i = 0; i < srv->nchildren; i++) {
			const struct rec_proc *w = srv->children[i];
			if (w->nchildren || w->nexecs)
				return check_fail(c, "with N = %d, worker %s %s: a worker prints its line "
						  "and _exits, nothing else", n, q_label(w),
						  w->nchildren ? "forked" : "exec'd a program");
		}
	}
	return CHECK_PASS;
}

/* The server's argv is exactly {P's argv[0], "--server"}; empty when so, else why not. */
static bool server_argv_ok(const struct record *r, const struct rec_exec *e, char *why, size_t len)
{
	const struct rec_exec *mine = r->root->nexecs ? &r->root->execs[0] : NULL;
	const char *argv0 = mine && mine->argc > 0 ? mine->argv[0] : "";

	if (e->argc == 2 && strcmp(e->argv[0], argv0) == 0 && strcmp(e->argv[1], "--server") == 0)
		return true;
	char *got = l58_quote_argv(e->argv);
	snprintf(why, len, "its argv was %s, expected exactly '%s', '--server'", got ? got : "?",
		 argv0);
	free(got);
	return false;
}

static int check_server_exec(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct rec_proc *srv;
		int n = sized[s].n;
		char why[320];

		if (r == NULL || (srv = server_of(c, r, n)) == NULL)
			return CHECK_FAIL;
		if (srv->nexecs == 0)
			return check_fail(c, "with N = %d, the server %s never exec'd: a forked copy "
					  "of P carries P's whole state (and, forked later, its "
					  "threads' locks). Exec /proc/self/exe with --server so the "
					  "server starts clean", n, q_label(srv));
		const struct rec_exec *e = &srv->execs[0];
		if (!server_argv_ok(r, e, why, sizeof why))
			return check_fail(c, "with N = %d, the server %s exec'd %s, but %s", n,
					  q_label(srv), e->path, why);
		if (r->root->nthreads < 2)
			return check_fail(c, "with N = %d, P created %zu thread(s); the task asks for "
					  "two, started once the server has said it is ready", n,
					  r->root->nthreads);
		if (r->root->threads[0] < e->ms)
			return check_fail(c, "with N = %d, P created its first thread at %.1f ms, "
					  "before the server %s exec'd at %.1f ms: start the server "
					  "first and wait for its first message before starting any "
					  "thread", n, r->root->threads[0], q_label(srv), e->ms);
	}
	return CHECK_PASS;
}

static int check_reaped(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct rec_proc *srv;
		int n = sized[s].n;

		if (r == NULL || (srv = server_of(c, r, n)) == NULL)
			return CHECK_FAIL;
		for (size_t i = 0; i < srv->nchildren; i++)
			if (srv->children[i]->reaper != srv)
				return check_fail(c, "with N = %d, worker %s was not reaped by the "
						  "server %s: the server waits for each worker and "
						  "sends its status back", n,
						  q_label(srv->children[i]), q_label(srv));
		if (srv->reaper != r->root)
			return check_fail(c, "with N = %d, the server %s was not reaped by P: close "
					  "the channel (the server then sees end-of-file and exits) "
					  "and waitpid() for it", n, q_label(srv));
	}
	return CHECK_PASS;
}

static int check_relayed(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct rec_proc *srv;
		int n = sized[s].n;
		char *want[24], *got = NULL, line[96];

		if (r == NULL || (srv = server_of(c, r, n)) == NULL)
			return CHECK_FAIL;
		for (size_t i = 0; i < srv->nchildren; i++) {
			const struct rec_proc *w = srv->children[i];
			const char *l = line;
			snprintf(line, sizeof line, "worker %zu: pid=%d ppid=%d", i, (int)w->pid,
				 (int)srv->pid);
			if (!l58_lines_are(w, 1, &l, 1, &got)) {
				check_fail(c, "with N = %d, worker %s should print exactly '%s'; it "
					   "printed %s%s", n, q_label(w), line, got,
					   common_repeat_hint(r));
				free(got);
				return CHECK_FAIL;
			}
			if (q_status(w) != (int)i)
				return check_fail(c, "with N = %d, worker %s should exit with status "
						  "%zu; it ended with %d", n, q_label(w), i,
						  q_status(w));
		}
		size_t k = 0;
		for (int i = 0; i < n; i++)
			if (asprintf(&want[k++], "worker %d exited with status %d", i, i) < 0)
				want[--k] = NULL;
		if (asprintf(&want[k++], "all %d workers done", n) < 0)
			want[--k] = NULL;
		bool ok = l58_lines_are(r->root, 1, (const char *const *)want, k, &got);
		for (size_t i = 0; i < k; i++)
			free(want[i]);
		if (!ok) {
			check_fail(c, "with N = %d, P should print 'worker <i> exited with status <i>' "
				   "for i = 0..%d, as the server reports each status, then 'all %d "
				   "workers done'; it printed %s", n, n - 1, n, got);
			free(got);
			return CHECK_FAIL;
		}
	}
	return CHECK_PASS;
}

/* The inode of a channel end in a snapshot entry (socket or pipe), else 0. */
static unsigned long channel_inode(const struct rec_fd *fd)
{
	return (fd->kind == 's' || fd->kind == 'p') ? fd->inode : 0;
}

/* True when inode (not 0) is among the sockets and pipes of set above fd 2 (the standard
 * descriptors, e.g. forklab's capture pipes, are nobody's channel). */
static bool in_set(const struct rec_fdset *set, unsigned long inode)
{
	if (inode == 0)
		return false;
	for (size_t i = 0; set->taken && i < set->n; i++)
		if (set->fds[i].fd > 2 && channel_inode(&set->fds[i]) == inode)
			return true;
	return false;
}

/* Did the server start with both ends of the channel: two different sockets that P held when it
 * forked the server (one of them P's own end), or both ends of one pipe? Then buf names them. */
static bool both_ends(const struct rec_proc *srv, char *buf, size_t len)
{
	const struct rec_fdset *at = &srv->execs[0].fds, *parent = &srv->parent_fds;

	for (size_t i = 0; at->taken && i < at->n; i++) {
		const struct rec_fd *a = &at->fds[i];
		unsigned long ino = channel_inode(a);
		if (ino == 0 || !in_set(parent, ino))
			continue;
		for (size_t k = i + 1; k < at->n; k++) {
			const struct rec_fd *b = &at->fds[k];
			bool pair = a->kind == 's' ? b->kind == 's' && b->inode != ino &&
						     in_set(parent, b->inode)
						   : b->kind == 'p' && b->inode == ino && b->end != a->end;
			if (pair) {
				snprintf(buf, len, "fd %d (%s) and fd %d (%s)", a->fd, a->target,
					 b->fd, b->target);
				return true;
			}
		}
	}
	return false;
}

static int check_eof(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct rec_proc *srv;
		int n = sized[s].n;

		if (r == NULL || (srv = server_of(c, r, n)) == NULL)
			return CHECK_FAIL;
		char ends[300];
		bool hung = q_run_problem(r) != NULL;
		if (srv->nexecs && both_ends(srv, ends, sizeof ends))
			return check_fail(c, "with N = %d, the server %s started with the parent's "
					  "end of the channel too: it held both ends, %s. The parent's "
					  "end was not close-on-exec, so exec kept it. %sGive the server "
					  "its own end only (SOCK_CLOEXEC / O_CLOEXEC on the parent's)",
					  n, q_label(srv), ends, hung ? "While the server holds it, "
					  "closing it in P never gives the server end-of-file: the run "
					  "hung. " : "");
		if (hung) {
			const struct rec_proc *p = r->root;
			for (size_t i = 0; p->end_fds.taken && i < p->end_fds.n; i++)
				if (p->end_fds.fds[i].fd > 2 &&
				    in_set(&srv->parent_fds, channel_inode(&p->end_fds.fds[i])) &&
				    (!srv->exited || srv->killed_by_forklab))
					return check_fail(c, "with N = %d the run hung: P still held the "
							  "channel (fd %d, %s) while the server %s waited "
							  "for end-of-file%s%s. Close P's end before "
							  "waiting for the server", n,
							  p->end_fds.fds[i].fd, p->end_fds.fds[i].target,
							  q_label(srv), srv->blocked_in ? " in " : "",
							  srv->blocked_in ? srv->blocked_in : "");
			return check_fail(c, "with N = %d %s", n, q_run_problem(r));
		}
		if (q_status(srv) != 0)
			return check_fail(c, "with N = %d, the server %s ended with status %d: at "
					  "end-of-file on the channel it exits 0", n, q_label(srv),
					  q_status(srv));
		if (q_status(r->root) != 0)
			return check_fail(c, "with N = %d, P exited with status %d, expected 0 once "
					  "the server has ended", n, q_status(r->root));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-none", "usage-zero", "usage-21",
					   "usage-garbage" };
	static const char *const shown[] = { "no argument", "\"0\"", "\"21\"", "\"3x\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "tree", 2, "P → server → N workers; P forks only the server", check_tree,
	  "Task" },
	{ "server-exec", 2, "the server exec'd P's program with --server before P's threads",
	  check_server_exec, "A clean helper" },
	{ "reaped", 1, "workers reaped by the server, the server by P", check_reaped, "Task" },
	{ "relayed", 2, "each worker's line, and its status relayed to P's lines", check_relayed,
	  "Task" },
	{ "eof", 2, "the server gets only its end, and exits at end-of-file", check_eof,
	  "The channel" },
	{ "usage", 1, "N outside 1..20, garbage or missing: usage on stderr, exit 2", check_usage,
	  "Task" },
};

static const char *const sources[] = { "forkserver.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"Start the helper before the program has any thread: fork() while there is one thread, "
	"then exec your own program (/proc/self/exe) in the child, so the server starts clean.",
	"Hand the server its end of a socketpair (or pipes) as an inherited descriptor, and "
	"close every end that is not yours, in both processes: close-on-exec for the parent's "
	"end.",
	"The server forks the workers and reaps them; end-of-file on the channel tells it to "
	"exit, so the parent closes its end before it waits for the server.",
	NULL,
};

static const char *const zombie_checks[] = { "reaped", NULL };

const struct lab lab15 = {
	.number = 15,
	.name = "15-forkserver",
	.title = "A fork server",
	.program = "forkserver",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
	.zombie_checks = zombie_checks,
};
