/* t_blocked.c - a child that reads a pipe nobody will ever write to (its parent kept the write
 * end), and a parent that waits for it: both block until forklab's timeout. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char c;
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
