/* t_fds.c - opens a file, a pipe and a close-on-exec file, then execs itself with "after" so
 * the tracer records what survived the exec: 3 file, 4 pipe read end, 5 pipe write end. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after") == 0)
		return 0;
	int f = open("data.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int p[2];
	if (f != 3 || pipe(p) < 0 || p[0] != 4 || p[1] != 5) {
		perror("setup");
		return 1;
	}
	if (open("/dev/null", O_RDONLY | O_CLOEXEC) != 6) {
		perror("open cloexec");
		return 1;
	}
	execl("/proc/self/exe", "t_fds", "after", (char *)NULL);
	perror("execl");
	return 127;
}
