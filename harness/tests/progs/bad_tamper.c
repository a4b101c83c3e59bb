/* bad_tamper.c - reaches for forklab itself through /proc: opens its parent's (forklab's) memory
 * for writing, and lists its parent's open descriptors. Either would let a program forge or
 * steal what forklab records. Prints what each attempt gave; exits 0. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char path[64];
	pid_t parent = getppid();

	snprintf(path, sizeof path, "/proc/%d/mem", (int)parent);
	int fd = open(path, O_RDWR);
	printf("mem: %s\n", fd >= 0 ? "opened" : strerror(errno));
	if (fd >= 0)
		close(fd);

	snprintf(path, sizeof path, "/proc/%d/fd", (int)parent);
	DIR *d = opendir(path);
	printf("fds: %s\n", d ? "listed" : strerror(errno));
	if (d)
		closedir(d);
	return 0;
}
