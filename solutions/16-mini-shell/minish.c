/* minish.c - lab 16: a small shell. Reads command lines, runs programs in children, connects
 * pipelines, redirects, runs jobs in the background and reaps them, and keeps the status of
 * what ran last. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 64        /* words on one line */
#define MAX_CMDS 16         /* commands in one pipeline */
#define MAX_JOBS 64         /* background processes not yet reaped */

/* One command of a pipeline: its words and its own redirections (NULL when none). */
struct cmd {
	char *argv[MAX_WORDS + 1];
	int argc;
	const char *in, *out;
};

/* One parsed line: a pipeline of ncmds commands, maybe in the background. */
struct line {
	struct cmd cmds[MAX_CMDS];
	int ncmds;
	bool background;
};

/* A background process: reported when it ends if it was the last command of its line. */
struct job {
	pid_t pid;
	bool report;
};

static struct job jobs[MAX_JOBS];
static int njobs;
static int last_status;

/* Reports the call that failed in the shell itself and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "minish: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* ---- reading a line ---- */

/* Splits s in place into words: blanks separate, and each of | < > & is a word of its own.
 * The separators need a byte of their own, so a copy is made into buf (twice s's length).
 * Returns the number of words, or -1 when there are too many. */
static int split_words(const char *s, char *buf, char **words)
{
	int n = 0;
	char *o = buf;

	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			s++;
			continue;
		}
		if (n == MAX_WORDS)
			return -1;
		words[n++] = o;
		if (strchr("|<>&", *s)) {
			*o++ = *s++;
		} else {
			while (*s && !strchr(" \t\n|<>&", *s))
				*o++ = *s++;
		}
		*o++ = '\0';
	}
	return n;
}

/* Builds l from words[0..n). Returns 0, or -1 (after saying why) on a syntax error. */
static int parse_line(char **words, int n, struct line *l)
{
	memset(l, 0, sizeof *l);
	if (n > 0 && strcmp(words[n - 1], "&") == 0) {
		l->background = true;
		n--;
	}
	struct cmd *c = &l->cmds[0];
	l->ncmds = 1;
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		if (strcmp(w, "|") == 0) {
			if (c->argc == 0 || l->ncmds == MAX_CMDS)
				goto bad;
			c = &l->cmds[l->ncmds++];
		} else if (strcmp(w, "<") == 0 || strcmp(w, ">") == 0) {
			if (i + 1 == n || strchr("|<>&", words[i + 1][0]))
				goto bad;
			*(w[0] == '<' ? &c->in : &c->out) = words[++i];
		} else if (strcmp(w, "&") == 0) {
			goto bad;
		} else {
			c->argv[c->argc++] = words[i];
		}
	}
	if (c->argc == 0 && (l->ncmds > 1 || l->background || c->in || c->out))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "minish: syntax error\n");
	return -1;
}

/* ---- running commands ---- */

/* The shell's way of telling how a child ended: its exit code, or 128 + the signal. */
static int decode(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Puts file on descriptor fd (0 for <, 1 for >). Returns -1 after saying why. */
static int redirect(const char *file, int fd)
{
	int flags = fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
	int f = open(file, flags | O_CLOEXEC, 0644);

	if (f == -1 || dup2(f, fd) == -1) {
		fprintf(stderr, "minish: %s: %s\n", file, strerror(errno));
		return -1;
	}
	close(f);
	return 0;
}

/* In the child: wires stdin/stdout to in/out (-1: keep the shell's), applies the command's
 * own redirections and execs it. Every other descriptor the shell holds is close-on-exec.
 * Does not return: a failed exec ends the child with 127 (not found) or 126. */
static void run_child(const struct cmd *c, int in, int out)
{
	if ((in != -1 && dup2(in, 0) == -1) || (out != -1 && dup2(out, 1) == -1)) {
		perror("minish: dup2");
		_exit(1);
	}
	if ((c->in && redirect(c->in, 0) == -1) || (c->out && redirect(c->out, 1) == -1))
		_exit(1);
	execvp(c->argv[0], c->argv);
	if (errno == ENOENT)
		fprintf(stderr, "minish: %s: command not found\n", c->argv[0]);
	else
		fprintf(stderr, "minish: %s: %s\n", c->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static void add_job(pid_t pid, bool report)
{
	if (njobs == MAX_JOBS) {
		errno = EAGAIN;
		die("too many background jobs");
	}
	jobs[njobs].pid = pid;
	jobs[njobs].report = report;
	njobs++;
}

/* Reaps every background process that has ended, without blocking, and reports the ones that
 * ended a line: "[<pid>] done <status>". */
static void reap_finished_jobs(void)
{
	int status;
	pid_t pid;

	while (njobs > 0 && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int k = 0; k < njobs; k++) {
			if (jobs[k].pid != pid)
				continue;
			if (jobs[k].report)
				printf("[%d] done %d\n", (int)pid, decode(status));
			jobs[k] = jobs[--njobs];
			break;
		}
	}
	if (fflush(stdout) == EOF)
		die("fflush");
}

/* Forks one child per command, each one's stdout piped into the next one's stdin. Then waits
 * for all of them (the status is the last one's), or, in the background, prints the last
 * one's pid and goes on. */
static void run_pipeline(const struct line *l)
{
	pid_t pids[MAX_CMDS];
	int prev = -1;

	for (int k = 0; k < l->ncmds; k++) {
		int p[2] = { -1, -1 };
		if (k + 1 < l->ncmds && pipe2(p, O_CLOEXEC) == -1)
			die("pipe2");
		if (fflush(stdout) == EOF)
			die("fflush");
		pids[k] = fork();
		if (pids[k] == -1)
			die("fork");
		if (pids[k] == 0)
			run_child(&l->cmds[k], prev, p[1]);
		if ((prev != -1 && close(prev) == -1) || (p[1] != -1 && close(p[1]) == -1))
			die("close");
		prev = p[0];
	}
	if (l->background) {
		for (int k = 0; k < l->ncmds; k++)
			add_job(pids[k], k + 1 == l->ncmds);
		printf("[%d]\n", (int)pids[l->ncmds - 1]);
		last_status = 0;
		return;
	}
	for (int k = 0; k < l->ncmds; k++) {
		int status;
		while (waitpid(pids[k], &status, 0) == -1)
			if (errno != EINTR)
				die("waitpid");
		if (k + 1 == l->ncmds)
			last_status = decode(status);
	}
}

/* cd and exit run in the shell itself: a child could not change the shell's directory or end
 * it. Returns true when c was a builtin. */
static bool run_builtin(const struct cmd *c, bool alone)
{
	if (!alone)
		return false;
	if (strcmp(c->argv[0], "cd") == 0) {
		if (c->argc != 2) {
			fprintf(stderr, "minish: cd: usage: cd DIR\n");
			last_status = 1;
		} else if (chdir(c->argv[1]) == -1) {
			fprintf(stderr, "minish: cd: %s: %s\n", c->argv[1], strerror(errno));
			last_status = 1;
		} else {
			last_status = 0;
		}
		return true;
	}
	if (strcmp(c->argv[0], "exit") == 0) {
		char *end;
		long n = c->argc > 1 ? strtol(c->argv[1], &end, 10) : last_status;
		if (c->argc > 2 || (c->argc == 2 && (*end || end == c->argv[1]))) {
			fprintf(stderr, "minish: exit: usage: exit [N]\n");
			last_status = 1;
			return true;
		}
		exit((int)(n & 0xff));
	}
	return false;
}

static void run_line(char *text)
{
	char *words[MAX_WORDS], *buf = malloc(2 * strlen(text) + 2);
	struct line l;

	if (buf == NULL)
		die("malloc");
	int n = split_words(text, buf, words);
	if (n < 0) {
		fprintf(stderr, "minish: line too long\n");
		last_status = 2;
	} else if (n > 0 && parse_line(words, n, &l) == -1) {
		last_status = 2;
	} else if (n > 0 && l.cmds[0].argc > 0 &&
		   !run_builtin(&l.cmds[0], l.ncmds == 1 && !l.background)) {
		run_pipeline(&l);
	}
	free(buf);
}

int main(void)
{
	bool interactive = isatty(0);
	char *text = NULL;
	size_t cap = 0;

	for (;;) {
		if (interactive) {
			printf("$ ");
			if (fflush(stdout) == EOF)
				die("fflush");
		}
		errno = 0;
		if (getline(&text, &cap, stdin) == -1) {
			if (errno)
				die("getline");
			break;
		}
		reap_finished_jobs();
		run_line(text);
	}
	reap_finished_jobs();
	free(text);
	return last_status;
}
