/* bad_close_std.c - closes stdout and stderr, so a tracer that ends the run on end-of-file of its
 * capture pipes would stop watching; then forks and reaps 100 children that exit at once. fd 1 is
 * then reused for a file, whose contents must not count as the program's stdout. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (close(1) < 0 || close(2) < 0)
		return 1;
	for (int i = 0; i < 100; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0)
			_exit(i % 7);
		if (waitpid(pid, NULL, 0) != pid)
			return 3;
	}
	int fd = open("not-stdout.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd != 1)
		return 4;
	if (write(1, "into a file\n", 12) != 12)
		return 5;
	return 0;
}
