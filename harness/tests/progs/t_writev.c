/* t_writev.c - writes through writev (three pieces, one call) to stdout and pwritev2 (offset -1,
 * as on a pipe) to stderr, then a plain write through a dup of stdout. */
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	struct iovec v[3] = { { "one ", 4 }, { "two ", 4 }, { "three\n", 6 } };
	if (writev(1, v, 3) != 14)
		return 1;
	struct iovec e[2] = { { "err", 3 }, { "or\n", 3 } };
	if (pwritev2(2, e, 2, -1, 0) != 6)
		return 2;
	int d = dup(1);
	if (d < 0 || write(d, "dup\n", 4) != 4)
		return 3;
	return 0;
}
