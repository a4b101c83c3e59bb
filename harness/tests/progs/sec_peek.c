/* sec_peek.c - tries to read each path it is given (a file: open and read a byte; a directory:
 * list it) and prints "PATH: ok" or "PATH: <why not>", one line each. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int err = 0;
		DIR *d = opendir(argv[i]);
		if (d) {
			errno = 0;
			if (!readdir(d) && errno)
				err = errno;
			closedir(d);
		} else if (errno == ENOTDIR) {
			char c;
			int fd = open(argv[i], O_RDONLY);
			if (fd < 0 || read(fd, &c, 1) < 0)
				err = errno;
			if (fd >= 0)
				close(fd);
		} else {
			err = errno;
		}
		printf("%s: %s\n", argv[i], err ? strerror(err) : "ok");
	}
	return 0;
}
