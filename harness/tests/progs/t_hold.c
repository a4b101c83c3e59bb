/* t_hold.c - a child that asks getppid() at once. `t_hold race`: the parent exits right after
 * the fork; the child prints "born to <pid saved before fork> getppid <its first getppid()>".
 * `t_hold wait`: the parent waits for the child, which exits 3; the parent exits 0 when it
 * got that status. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int wait_for_it = argc > 1 && strcmp(argv[1], "wait") == 0;
	pid_t me = getpid();
	if (fflush(stdout) == EOF)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		pid_t first = getppid();
		if (!wait_for_it && (printf("born to %d getppid %d\n", (int)me, (int)first) < 0 ||
				     fflush(stdout) == EOF))
			_exit(1);
		_exit(3);
	}
	if (!wait_for_it)
		return 0;
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 3 ? 0 : 1;
}
