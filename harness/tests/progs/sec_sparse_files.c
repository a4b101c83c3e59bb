/* sec_sparse_files.c - `sec_sparse_files N MIB`: makes N sparse files of MIB MiB each in its cwd
 * (f0, f1, ...): nothing on disk, but N * MIB MiB for whoever reads them all. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int n = atoi(argv[1]);
	off_t size = (off_t)atoi(argv[2]) << 20;
	for (int i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "f%d", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || ftruncate(fd, size) < 0 || close(fd) < 0) {
			perror(name);
			return 1;
		}
	}
	return 0;
}
