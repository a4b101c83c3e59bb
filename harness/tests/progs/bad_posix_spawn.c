/* bad_posix_spawn.c - starts /bin/echo with posix_spawn (which glibc implements with clone3 or
 * clone(CLONE_VFORK)), then reaps it. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *argv[] = {"echo", "spawned", NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/echo", NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(stderr, "posix_spawn: %s\n", strerror(rc));
		return 1;
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
