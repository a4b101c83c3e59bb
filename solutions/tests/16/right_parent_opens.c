/* Lab 16, right: a different shell. Metacharacters are padded with blanks and the line split
 * with strtok_r; redirection files are opened by the shell before it forks (close-on-exec) and
 * only dup2'd in the child; pipes are plain pipe() and every child closes all of them itself;
 * the foreground pipeline is collected with wait() until all its pids are in, and background
 * jobs that wait() returns meanwhile are reported when the next line is read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXW 64

static int status_of_last;
static pid_t bg[64];            /* background pids; negative: not to be reported */
static int nbg;
static int done_pid[64], done_status[64], ndone;   /* reaped while waiting, not yet reported */

static int status_code(int st)
{
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void collect_background(void)
{
	for (int i = 0; i < ndone; i++)
		printf("[%d] done %d\n", done_pid[i], done_status[i]);
	ndone = 0;
	for (int i = 0; i < nbg;) {
		int st;
		pid_t want = bg[i] < 0 ? -bg[i] : bg[i];
		pid_t r = waitpid(want, &st, WNOHANG);
		if (r == want) {
			if (bg[i] > 0)
				printf("[%d] done %d\n", (int)r, status_code(st));
			bg[i] = bg[--nbg];
		} else {
			i++;
		}
	}
	fflush(stdout);
}

/* One line: returns after running it. */
static void run(char *line)
{
	char padded[4096], *w[MAXW], *save;
	size_t o = 0;
	int n = 0;
	for (char *p = line; *p && o + 4 < sizeof padded; p++) {
		if (strchr("|<>&", *p)) {
			padded[o++] = ' ';
			padded[o++] = *p;
			padded[o++] = ' ';
		} else {
			padded[o++] = *p;
		}
	}
	padded[o] = 0;
	for (char *t = strtok_r(padded, " \t\n", &save); t && n < MAXW - 1;
	     t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	if (n == 0)
		return;
	int background = strcmp(w[n - 1], "&") == 0;
	if (background)
		n--;
	w[n] = NULL;
	if (!background && strcmp(w[0], "exit") == 0)
		exit(n > 1 ? atoi(w[1]) : status_of_last);
	if (!background && strcmp(w[0], "cd") == 0) {
		status_of_last = n == 2 && chdir(w[1]) == 0 ? 0 : 1;
		if (status_of_last)
			fprintf(stderr, "minish: cd: %s: %s\n", n == 2 ? w[1] : "", strerror(errno));
		return;
	}

	/* Split into commands at "|", opening each command's files now. */
	char **argvs[16];
	int fin[16], fout[16], ncmd = 0, start = 0;
	for (int i = 0; i <= n; i++) {
		if (i < n && strcmp(w[i], "|") != 0)
			continue;
		int a = start, len = 0;
		fin[ncmd] = fout[ncmd] = -1;
		argvs[ncmd] = &w[start];
		for (int k = start; k < i; k++) {
			if ((!strcmp(w[k], "<") || !strcmp(w[k], ">")) && k + 1 < i) {
				int in = w[k][0] == '<';
				int fd = open(w[k + 1], in ? O_RDONLY | O_CLOEXEC :
					      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
				if (fd < 0) {
					fprintf(stderr, "minish: %s: %s\n", w[k + 1], strerror(errno));
					status_of_last = 1;
					return;
				}
				*(in ? &fin[ncmd] : &fout[ncmd]) = fd;
				k++;
			} else {
				w[a + len++] = w[k];
			}
		}
		w[a + len] = NULL;
		ncmd++;
		start = i + 1;
	}

	int pipes[16][2], npipes = ncmd - 1;
	pid_t pids[16];
	for (int k = 0; k < npipes; k++)
		if (pipe(pipes[k]) < 0) {
			perror("minish: pipe");
			exit(1);
		}
	fflush(stdout);
	for (int k = 0; k < ncmd; k++) {
		pids[k] = fork();
		if (pids[k] < 0) {
			perror("minish: fork");
			exit(1);
		}
		if (pids[k] == 0) {
			if (k > 0)
				dup2(pipes[k - 1][0], 0);
			if (k < npipes)
				dup2(pipes[k][1], 1);
			for (int j = 0; j < npipes; j++) {
				close(pipes[j][0]);
				close(pipes[j][1]);
			}
			if (fin[k] >= 0)
				dup2(fin[k], 0);
			if (fout[k] >= 0)
				dup2(fout[k], 1);
			execvp(argvs[k][0], argvs[k]);
			if (errno == ENOENT)
				fprintf(stderr, "minish: %s: command not found\n", argvs[k][0]);
			else
				perror("minish: exec");
			_exit(errno == ENOENT ? 127 : 126);
		}
	}
	for (int j = 0; j < npipes; j++) {
		close(pipes[j][0]);
		close(pipes[j][1]);
	}
	for (int k = 0; k < ncmd; k++) {
		if (fin[k] >= 0)
			close(fin[k]);
		if (fout[k] >= 0)
			close(fout[k]);
	}
	if (background) {
		for (int k = 0; k < ncmd; k++)
			bg[nbg++] = pids[k];
		printf("[%d]\n", (int)pids[ncmd - 1]);
		fflush(stdout);
		/* Only the last one is reported: the others are dropped when they end. */
		for (int k = 0; k < ncmd - 1; k++)
			bg[nbg - ncmd + k] = -pids[k];
		status_of_last = 0;
		return;
	}
	int left = ncmd;
	while (left > 0) {
		int st;
		pid_t r = waitpid(-1, &st, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("minish: wait");
			exit(1);
		}
		for (int k = 0; k < ncmd; k++)
			if (pids[k] == r) {
				left--;
				if (k == ncmd - 1)
					status_of_last = status_code(st);
			}
		for (int i = 0; i < nbg; i++)
			if (bg[i] == r || bg[i] == -r) {
				if (bg[i] == r) {
					done_pid[ndone] = r;
					done_status[ndone++] = status_code(st);
				}
				bg[i] = bg[--nbg];
				break;
			}
	}
}

int main(void)
{
	char line[2048];
	int tty = isatty(STDIN_FILENO);
	for (;;) {
		if (tty) {
			fputs("$ ", stdout);
			fflush(stdout);
		}
		if (!fgets(line, sizeof line, stdin))
			break;
		collect_background();
		run(line);
	}
	collect_background();
	return status_of_last;
}
