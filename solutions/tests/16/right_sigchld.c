/* Lab 16, right: background jobs are reaped by a SIGCHLD handler as soon as they end (it only
 * waits for the pids in the job table, with WNOHANG, so it never steals a foreground child) and
 * reported by the main loop after the next line is read. Commands run through a recursive
 * function that forks the last command of a pipeline first. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NJOB 32

static volatile sig_atomic_t job_pid[NJOB], job_status[NJOB], job_done[NJOB];
static int job_report[NJOB];   /* only a line's last command is reported */
static int status;

static void on_chld(int sig)
{
	int saved = errno, st;
	(void)sig;
	for (int i = 0; i < NJOB; i++)
		if (job_pid[i] > 0 && !job_done[i] && waitpid(job_pid[i], &st, WNOHANG) == job_pid[i]) {
			job_status[i] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			job_done[i] = 1;
		}
	errno = saved;
}

static void report_jobs(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, &old);
	for (int i = 0; i < NJOB; i++)
		if (job_pid[i] > 0 && job_done[i]) {
			if (job_report[i])
				printf("[%d] done %d\n", (int)job_pid[i], (int)job_status[i]);
			job_pid[i] = 0;
			job_done[i] = 0;
		}
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void add_job(pid_t pid, int report)
{
	for (int i = 0; i < NJOB; i++)
		if (job_pid[i] == 0) {
			job_done[i] = 0;
			job_report[i] = report;
			job_pid[i] = pid;
			return;
		}
}

/* Forks words[0..n) as a pipeline whose last command writes to out; each command's stdin is a
 * new pipe fed by the commands before it. Fills pids[] left to right; returns the count. */
static int spawn(char **w, int n, int out, pid_t *pids)
{
	int bar = -1;
	for (int i = n - 1; i >= 0; i--)
		if (!strcmp(w[i], "|")) {
			bar = i;
			break;
		}
	int in = -1, p[2], count = 0;
	if (bar >= 0) {
		if (pipe2(p, O_CLOEXEC)) {
			perror("minish: pipe2");
			exit(1);
		}
		count = spawn(w, bar, p[1], pids);
		close(p[1]);
		in = p[0];
	}
	char **cmd = w + bar + 1;
	int len = n - bar - 1;
	const char *rin = NULL, *rout = NULL;
	char *argv[64];
	int argc = 0;
	for (int i = 0; i < len; i++) {
		if ((!strcmp(cmd[i], "<") || !strcmp(cmd[i], ">")) && i + 1 < len) {
			*(cmd[i][0] == '<' ? &rin : &rout) = cmd[i + 1];
			i++;
		} else
			argv[argc++] = cmd[i];
	}
	argv[argc] = NULL;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("minish: fork");
		exit(1);
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0)
			dup2(out, 1);
		if (rin || rout) {
			int fd = rin ? open(rin, O_RDONLY | O_CLOEXEC) : -1;
			if (rin && (fd < 0 || dup2(fd, 0) < 0)) {
				fprintf(stderr, "minish: %s: %s\n", rin, strerror(errno));
				_exit(1);
			}
			fd = rout ? open(rout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
			if (rout && (fd < 0 || dup2(fd, 1) < 0)) {
				fprintf(stderr, "minish: %s: %s\n", rout, strerror(errno));
				_exit(1);
			}
		}
		execvp(argv[0], argv);
		int e = errno;
		fprintf(stderr, e == ENOENT ? "minish: %s: command not found\n" : "minish: %s: cannot run\n",
			argv[0]);
		_exit(e == ENOENT ? 127 : 126);
	}
	if (in >= 0)
		close(in);
	pids[count] = pid;
	return count + 1;
}

static void line(char *text)
{
	char buf[4096], *w[64];
	int n = 0;
	size_t o = 0;
	for (char *p = text; *p && o + 2 < sizeof buf && n < 63;) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p++;
			continue;
		}
		w[n++] = buf + o;
		if (strchr("|<>&", *p))
			buf[o++] = *p++;
		else
			while (*p && !strchr(" \t\n|<>&", *p) && o + 2 < sizeof buf)
				buf[o++] = *p++;
		buf[o++] = 0;
	}
	if (n == 0)
		return;
	int bgd = !strcmp(w[n - 1], "&");
	n -= bgd;
	if (!bgd && !strcmp(w[0], "cd")) {
		status = n != 2 || chdir(w[1]) != 0;
		if (status)
			fprintf(stderr, "minish: cd: cannot change directory\n");
		return;
	}
	if (!bgd && !strcmp(w[0], "exit"))
		exit(n > 1 ? atoi(w[1]) : status);
	pid_t pids[32];
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, &old);
	int cnt = spawn(w, n, -1, pids);
	if (bgd) {
		for (int i = 0; i < cnt; i++)
			add_job(pids[i], i == cnt - 1);
		printf("[%d]\n", (int)pids[cnt - 1]);
		status = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (int i = 0; !bgd && i < cnt; i++) {
		int st;
		while (waitpid(pids[i], &st, 0) < 0)
			if (errno != EINTR) {
				perror("minish: waitpid");
				exit(1);
			}
		if (i == cnt - 1)
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL)) {
		perror("minish: sigaction");
		return 1;
	}
	char *text = NULL;
	size_t cap = 0;
	int tty = isatty(0);
	while ((tty ? (printf("$ "), fflush(stdout)) : 0), getline(&text, &cap, stdin) >= 0) {
		report_jobs();
		line(text);
	}
	report_jobs();
	free(text);
	return status;
}
