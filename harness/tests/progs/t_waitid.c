/* t_waitid.c - reaps with waitid(): first a look with WNOWAIT (not a reap), then the real one.
 * The child exits 4; the parent exits with what waitid reported. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(4);
	siginfo_t si;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 || si.si_pid != pid)
		return 10;
	if (write(1, "peeked\n", 7) != 7)
		return 11;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED) < 0 || si.si_pid != pid)
		return 12;
	return si.si_code == CLD_EXITED ? si.si_status : 13;
}
