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
	/* TODO(lab16): apply the command's own redirections, c->in on fd 0 and c->out on fd 1,
	 * with redirect(); when one fails the child ends with status 1 */
	(void)redirect;
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
	/* TODO(lab16): while background jobs are left, reap with waitpid(-1, &status, WNOHANG)
	 * until it returns 0; drop each reaped pid from jobs[] and print the report line for the
	 * ones marked report */
}

/* Forks one child per command, each one's stdout piped into the next one's stdin. Then waits
 * for all of them (the status is the last one's), or, in the background, prints the last
 * one's pid and goes on. */
static void run_pipeline(const struct line *l)
{
	/* TODO(lab16): join the commands with pipes (pipe2() with O_CLOEXEC between each pair;
	 * run_child() gets the previous pipe's read end and the next one's write end, and the
	 * shell closes both once the child is forked), fork them all before waiting for any,
	 * then wait for each. For a background line, add_job() each pid (report only the last),
	 * print "[<last pid>]", set the status to 0 and do not wait. Until then each command
	 * runs alone, one after the other, and & is ignored. */
	(void)add_job;
	for (int k = 0; k < l->ncmds; k++) {
		int status;
		if (fflush(stdout) == EOF)
			die("fflush");
		pid_t pid = fork();
		if (pid == -1)
			die("fork");
		if (pid == 0)
			run_child(&l->cmds[k], -1, -1);
		while (waitpid(pid, &status, 0) == -1)
			if (errno != EINTR)
				die("waitpid");
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
