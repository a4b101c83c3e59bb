/* bad_big_file.c - writes a file of N MiB (argv[1], default 100) in its working directory, in
 * 64 KiB writes, without looking at errors: the file-size limit must stop it (SIGXFSZ). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 100;
	static char buf[65536];
	memset(buf, 'x', sizeof buf);
	int fd = open("big.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	for (long i = 0; i < mib * 16; i++)
		if (write(fd, buf, sizeof buf) < 0)
			break;
	printf("wrote %ld MiB\n", mib);
	return 0;
}
