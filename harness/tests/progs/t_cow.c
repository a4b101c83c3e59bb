/* t_cow.c - copy-on-write made visible: allocates MIB MiB (argv[1], default 8) and writes
 * every page, forks; the child writes one byte in PERCENT % (argv[2], default 50) of the pages
 * and exits, so only those pages become its own. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 8;
	int percent = argc > 2 ? atoi(argv[2]) : 50;
	size_t len = mib << 20, pages = len / 4096;
	char *buf = malloc(len);
	if (!buf)
		return 1;
	for (size_t i = 0; i < len; i += 4096)
		buf[i] = 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (size_t i = 0; i < pages * (size_t)percent / 100; i++)
			buf[i * 4096] = 2;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return buf[0] == 1 ? 0 : 1;
}
