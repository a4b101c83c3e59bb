/* t_bytes.c - writes one byte at a time, forever, on stdout: correct, and slow under a tracer,
 * since every write to stdout is a stop. With "null", it first makes descriptor 1 /dev/null (as
 * dd of=/dev/null does), whose writes still stop once each. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "null") == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || close(fd) < 0)
			return 2;
	}
	for (;;)
		if (write(1, "b", 1) != 1)
			return 1;
}
