/* t_cat.c - copies stdin to stdout (or the file named in argv[1]); for stdin and staging. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int in = argc > 1 ? open(argv[1], O_RDONLY) : 0;
	if (in < 0) {
		perror(argv[1]);
		return 1;
	}
	char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 1;
	return n < 0;
}
