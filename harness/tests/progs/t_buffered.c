/* t_buffered.c - prints whether its stdout is a terminal, then forks; both processes end with
 * exit(), which flushes what stdio still holds. On a pipe the line is still in the buffer the
 * child copied, so it comes out twice; on a terminal stdio flushed it at the newline. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	printf("tty=%d\n", isatty(1));
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0)
		waitpid(pid, NULL, 0);
	exit(0);
}
