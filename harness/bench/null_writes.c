/* null_writes.c - benchmark workload (c'): one process making N (default 200,000) rounds of a
 * cheap system call (getppid, through syscall()) and a one-byte write to /dev/null, opened on a
 * descriptor of its own. No write can reach stdout: under forklab none should stop. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200000;
	long sum = 0;
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("/dev/null");
		return 2;
	}
	for (long i = 0; i < rounds; i++)
		sum += syscall(SYS_getppid) + write(fd, "x", 1);
	return sum == 0;
}
