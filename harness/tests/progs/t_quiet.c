/* t_quiet.c - N (default 1,000,000) one-byte writes to /dev/null and N more into a pipe of its
 * own (each read back), then one line to stdout: none of those writes can reach a captured
 * pipe, so under forklab they must cost no stop. Usage: t_quiet [N] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int null = open("/dev/null", O_WRONLY);
	int p[2];
	if (null < 0 || pipe(p) < 0) {
		perror("t_quiet");
		return 2;
	}
	char c = 'x';
	for (long i = 0; i < n; i++)
		if (write(null, &c, 1) != 1 || write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) {
			perror("t_quiet");
			return 2;
		}
	printf("done %ld\n", n);
	return 0;
}
