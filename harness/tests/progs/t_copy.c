/* t_copy.c - fills stdout and stderr without a write call: sendfile from a file (at its position
 * and at an offset), splice from a file and from a pipe, tee, vmsplice; a child does a sendfile
 * too. Then asks for io_uring and Linux AIO, which forklab refuses (exit code 10 + what it saw). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int file_with(const char *text)
{
	int fd = memfd_create("t_copy", 0);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	return fd;
}

int main(void)
{
	int f = file_with("from a file\nskip|at an offset\n");
	if (f < 0 || sendfile(1, f, NULL, 12) != 12)  /* "from a file\n", position moves */
		return 1;
	off_t off = 17;
	if (sendfile(2, f, &off, 13) != 13)           /* "at an offset\n" to stderr */
		return 2;
	loff_t in_off = 0;
	if (splice(f, &in_off, 1, NULL, 5, 0) != 5)   /* "from " */
		return 3;
	int p[2];
	if (pipe(p) < 0 || write(p[1], "piped\n", 6) != 6)
		return 4;
	if (tee(p[0], 1, 6, 0) != 6)                  /* "piped\n", still in p */
		return 5;
	if (splice(p[0], NULL, 1, NULL, 6, 0) != 6)   /* "piped\n" again, now consumed */
		return 6;
	struct iovec v[2] = { { "vm", 2 }, { "splice\n", 7 } };
	if (vmsplice(1, v, 2, 0) != 9)
		return 7;
	pid_t c = fork();
	if (c == 0) {
		off_t o = 0;
		_exit(sendfile(1, f, &o, 5) == 5 ? 0 : 1); /* "from " by the child */
	}
	int st;
	if (c < 0 || waitpid(c, &st, 0) != c || st != 0)
		return 8;
	long u = syscall(SYS_io_uring_setup, 4, &(char[120]){ 0 });
	int uerr = errno;
	unsigned long ctx = 0;
	long a = syscall(SYS_io_setup, 4, &ctx);
	int aerr = errno;
	printf("io_uring %ld %s, aio %ld %s\n", u, strerrorname_np(uerr), a, strerrorname_np(aerr));
	return 10;
}
