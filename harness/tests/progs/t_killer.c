/* t_killer.c - aims signals outside its run; exits with one bit per call that was refused
 * with EPERM: 1 kill(getppid()), 2 kill(-1), 4 kill(1, 0), 8 a kill of its own child that was
 * refused (must not be). */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int bits = 0;
	if (kill(getppid(), SIGTERM) < 0 && errno == EPERM)
		bits |= 1;
	if (kill(-1, SIGKILL) < 0 && errno == EPERM)
		bits |= 2;
	if (kill(1, 0) < 0 && errno == EPERM)
		bits |= 4;
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (pid < 0 || kill(pid, SIGKILL) < 0)
		bits |= 8;
	waitpid(pid, NULL, 0);
	return bits;
}
