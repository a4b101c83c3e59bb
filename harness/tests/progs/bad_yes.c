/* bad_yes.c - like yes(1): writes "y" lines as fast as it can, forever, on stdout, or on stderr
 * when argv[1] is "err". Stops only when a write fails. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc > 1 && strcmp(argv[1], "err") == 0 ? 2 : 1;
	char buf[8192];

	for (size_t i = 0; i < sizeof buf; i += 2)
		memcpy(buf + i, "y\n", 2);
	for (;;) {
		if (write(fd, buf, sizeof buf) < 0)
			return 1;
	}
}
