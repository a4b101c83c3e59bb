/* t_spawn.c - `t_spawn vfork`: vfork + exec echo; `t_spawn spawn`: posix_spawn echo. Either way
 * the child is waited for. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char *args[] = { "echo", "spawned", NULL };
	pid_t pid;
	if (argc > 1 && strcmp(argv[1], "vfork") == 0) {
		pid = vfork();
		if (pid == 0) {
			execv("/bin/echo", args);
			_exit(127);
		}
	} else if (posix_spawn(&pid, "/bin/echo", NULL, NULL, args, environ) != 0) {
		pid = -1;
	}
	if (pid < 0) {
		perror("spawn");
		return 1;
	}
	int st;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
