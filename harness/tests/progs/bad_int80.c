/* bad_int80.c - a 64-bit program that makes a 32-bit system call (int $0x80, where 2 is fork but
 * would read as open in the 64-bit table), the classic way around a seccomp filter that does not
 * check the architecture: it could fork past the process budget. forklab's filter kills it
 * (SIGSYS) instead. Prints what the call returned if it survives. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	long ret = 2; /* __NR_fork in the i386 table */
	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	if (ret == 0)
		_exit(0);
	if (ret > 0)
		waitpid((pid_t)ret, NULL, 0);
	printf("int80 fork returned %ld\n", ret);
	return 3;
}
