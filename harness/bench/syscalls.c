/* syscalls.c - benchmark workload (c): one process making N (default 200,000) cheap system calls
 * (getppid, through syscall() so that libc cannot answer from a cache). */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 200000;
	long sum = 0;

	for (long i = 0; i < calls; i++)
		sum += syscall(SYS_getppid);
	return sum == 0;
}
