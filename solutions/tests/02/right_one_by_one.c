/* Lab 02, right: the parent waits for each child right after forking it (sequential, still N
 * children of the original process), with line-buffered stdio. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int count(int argc, char **argv)
{
	int n;
	char extra;

	if (argc != 2 || sscanf(argv[1], "%d%c", &n, &extra) != 1 || n < 1 || n > 20)
		return -1;
	return n;
}

int main(int argc, char **argv)
{
	int n = count(argc, argv);

	if (n < 0) {
		fputs("usage: spawn N (1..20)\n", stderr);
		exit(2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			printf("child %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			exit(i);
		}
		if (waitpid(pid, NULL, 0) != pid) {
			perror("waitpid");
			exit(1);
		}
	}
	printf("parent: reaped %d children\n", n);
	return 0;
}
