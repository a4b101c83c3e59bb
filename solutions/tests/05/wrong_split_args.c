/* Lab 05, wrong: glues the arguments into one command line and splits it again on spaces, as
 * if it were a shell: "hello world" becomes two arguments and "" disappears. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[4096] = "", *words[256], *save;
	int n = 0, st;

	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		strncat(line, argv[i], sizeof line - strlen(line) - 2);
		strcat(line, " ");
	}
	for (char *w = strtok_r(line, " ", &save); w && n < 255; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	words[n] = NULL;
	pid_t pid = fork();
	if (pid < 0) {
		perror("run: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(words[0], words);
		int e = errno;
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("run: waitpid");
		return 1;
	}
	if (WIFSIGNALED(st)) {
		printf("run: %s killed by signal %d (SIG%s)\n", argv[1], WTERMSIG(st),
		       sigabbrev_np(WTERMSIG(st)));
		return 128 + WTERMSIG(st);
	}
	printf("run: %s exited with status %d\n", argv[1], WEXITSTATUS(st));
	return WEXITSTATUS(st);
}
