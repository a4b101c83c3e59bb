/* bad_sigstop_self.c - a child that stops itself with SIGSTOP, over and over; its parent waits
 * for it forever. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		for (;;)
			raise(SIGSTOP);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
