/* t_writes.c - the parent and its child write lines in a fixed order (the parent waits for the
 * child in between): "p1", "c1" and "c2" on stderr, "p2". */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(2);
}

int main(void)
{
	say(1, "p1\n");
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		say(1, "c1\n");
		say(2, "c2\n");
		_exit(0);
	}
	if (waitpid(pid, NULL, 0) != pid)
		return 1;
	say(1, "p2\n");
	return 0;
}
