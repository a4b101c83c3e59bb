/* bad_getpid_explosion.c - the getpid pitfall gone exponential: the child does not exit after
 * its work, so it runs the parent's loop and forks too; N rounds would make 2^N processes. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 40;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		if (pid == 0)
			printf("child %d: pid=%d\n", i, (int)getpid());
		/* the missing exit(0) in the child is the bug this program stands for */
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
