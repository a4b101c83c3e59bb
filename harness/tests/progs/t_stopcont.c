/* t_stopcont.c - stops its child with SIGSTOP (and sees it stopped with WUNTRACED), continues
 * it, then ends it with SIGTERM and reaps it. Exits 0 when every report was as expected. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (;;)
			pause();
	}
	int st;
	if (kill(pid, SIGSTOP) < 0 || waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st))
		return 2;
	if (kill(pid, SIGCONT) < 0 || waitpid(pid, &st, WCONTINUED) != pid || !WIFCONTINUED(st))
		return 3;
	if (kill(pid, SIGTERM) < 0 || waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st))
		return 4;
	return WTERMSIG(st) == SIGTERM ? 0 : 5;
}
