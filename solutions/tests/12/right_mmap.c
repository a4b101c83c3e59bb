/* Lab 12, right: the buffer is an anonymous mmap() filled with memset(); the child counts
 * faults with RUSAGE_THREAD (it has one thread) and flips a byte per page with a pointer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long faults(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_THREAD, &ru) != 0) {
		perror("getrusage");
		_exit(1);
	}
	return ru.ru_minflt;
}

static int number(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *out >= lo && *out <= hi;
}

int main(int argc, char **argv)
{
	long mib, percent;
	if (argc != 3 || !number(argv[1], 1, 256, &mib) || !number(argv[2], 0, 100, &percent)) {
		fputs("usage: cow MIB PERCENT\n", stderr);
		return 2;
	}
	size_t size = (size_t)mib << 20;
	unsigned long long pages = (unsigned long long)mib * 256 * (unsigned long long)percent / 100;
	char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(buf, 'p', size);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		long before = faults();
		for (char *q = buf; q < buf + pages * 4096; q += 4096)
			*q = 'c';
		long after = faults();
		printf("child: wrote %llu pages, minor faults %ld\n", pages, after - before);
		exit(0);
	}
	int status;
	if (wait(&status) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	for (size_t i = 0; i < size; i += 4096)
		if (buf[i] != 'p') {
			puts("parent: data changed");
			return 1;
		}
	puts("parent: data unchanged");
	return 0;
}
