/* Lab 12, right: a buffer of longs written with page-sized strides from the end backwards; the
 * child's figures are measured with getrusage(RUSAGE_SELF) and printed with one write(). The
 * parent compares a checksum taken before the fork. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define LONGS_PER_PAGE (4096 / sizeof(long))

static long self_minflt(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

static unsigned long checksum(const long *buf, size_t npages)
{
	unsigned long sum = 0;
	for (size_t p = 0; p < npages; p++)
		sum = sum * 31 + (unsigned long)buf[p * LONGS_PER_PAGE];
	return sum;
}

int main(int argc, char **argv)
{
	int mib = 0, percent = -1, u1 = 0, u2 = 0;
	if (argc != 3 || sscanf(argv[1], "%d%n", &mib, &u1) != 1 || argv[1][u1] ||
	    sscanf(argv[2], "%d%n", &percent, &u2) != 1 || argv[2][u2] || mib < 1 || mib > 256 ||
	    percent < 0 || percent > 100) {
		fprintf(stderr, "usage: cow MIB PERCENT\n");
		return 2;
	}
	size_t npages = (size_t)mib * 256, pages = npages * (size_t)percent / 100;
	long *buf = calloc(npages, 4096);
	if (!buf) {
		perror("calloc");
		return 1;
	}
	for (size_t p = npages; p-- > 0;)
		buf[p * LONGS_PER_PAGE] = (long)p * 3 + 1;
	unsigned long sum = checksum(buf, npages);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		long before = self_minflt();
		for (size_t p = pages; p-- > 0;)
			buf[p * LONGS_PER_PAGE] = -1;
		long after = self_minflt();
		char line[96];
		int len = snprintf(line, sizeof line, "child: wrote %zu pages, minor faults %ld\n",
				   pages, after - before);
		_exit(write(1, line, (size_t)len) == len && before >= 0 ? 0 : 1);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return 1;
	printf("parent: data %s\n", checksum(buf, npages) == sum ? "unchanged" : "changed");
	return checksum(buf, npages) == sum ? 0 : 1;
}
