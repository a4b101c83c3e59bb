/* t_zombie.c - every way a process can end up waiting for its end to be noticed, for the
 * pictures: P.1 exits at once and stays a zombie until P reaps it 200 ms later; P.2 execs echo,
 * exits, and is never reaped by P (forklab adopts and reaps the zombie once P is gone); P.3
 * outlives P: orphaned, adopted by forklab, it says so and exits. */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static pid_t fork_or_die(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		_exit(1);
	}
	return pid;
}

int main(void)
{
	printf("parent %d\n", (int)getpid());
	fflush(stdout);
	pid_t first = fork_or_die();
	if (first == 0) {
		printf("child 1 exits now\n");
		fflush(stdout);
		_exit(0);
	}
	if (fork_or_die() == 0) {
		execlp("echo", "echo", "child 2 exec'd echo", (char *)NULL);
		perror("execlp");
		_exit(127);
	}
	if (fork_or_die() == 0) {
		nap(350);
		printf("child 3: my parent is gone\n");
		fflush(stdout);
		_exit(0);
	}
	nap(200);
	if (waitpid(first, NULL, 0) != first) {
		perror("waitpid");
		return 1;
	}
	printf("parent reaped child 1, exits without waiting for the others\n");
	nap(50);
	return 0;
}
