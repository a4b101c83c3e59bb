/* bad_read_stdin.c - reads stdin to the end, which blocks forever on a terminal or an open pipe;
 * under forklab stdin is /dev/null (or the given input), so it ends. Prints the byte count. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[4096];
	size_t total = 0;
	for (;;) {
		ssize_t n = read(0, buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return 1;
		}
		total += (size_t)n;
	}
	printf("read %zu bytes\n", total);
	return 0;
}
