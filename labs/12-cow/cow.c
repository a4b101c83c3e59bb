/* cow.c - lab 12: copy-on-write. The parent fills a buffer and forks; the child writes into a
 * share of its pages and counts the page faults that cost, one copied page per fault. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE_SIZE 4096L
#define PAGES_PER_MIB 256L

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "cow: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* The value the parent keeps in the first byte of page p. */
static unsigned char page_mark(long p)
{
	return (unsigned char)(p % 251 + 1);
}

/* The minor page faults this process has taken so far. */
static long minor_faults(void)
{
	/* TODO(lab12): ask getrusage() about this process (RUSAGE_SELF) and return its
	 * ru_minflt; die("getrusage") if the call fails */
	return 0;
}

/* Writes one byte into each of the first `pages` pages of buf. Each first write to a page
 * still shared with the parent faults, and the kernel copies that one page. */
static void write_pages(unsigned char *buf, long pages)
{
	/* TODO(lab12): write one byte into each of the first `pages` pages: page p starts at
	 * buf + p * PAGE_SIZE */
	(void)buf;
	(void)pages;
}

/* The child's work. Does not return. */
static void run_child(unsigned char *buf, long pages)
{
	long before = minor_faults();
	write_pages(buf, pages);
	long faults = minor_faults() - before;

	printf("child: wrote %ld pages, minor faults %ld\n", pages, faults);
	exit(0);
}

/* A number from the command line within [lo, hi], else -1. */
static long parse_number(const char *s, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < lo || n > hi)
		return -1;
	return n;
}

int main(int argc, char **argv)
{
	long mib = argc == 3 ? parse_number(argv[1], 1, 256) : -1;
	long percent = argc == 3 ? parse_number(argv[2], 0, 100) : -1;

	if (mib < 0 || percent < 0) {
		fprintf(stderr, "usage: cow MIB PERCENT   (MIB from 1 to 256, PERCENT from 0 to 100)\n");
		return 2;
	}
	long total = mib * PAGES_PER_MIB;
	long pages = total * percent / 100;
	unsigned char *buf = malloc((size_t)(total * PAGE_SIZE));
	if (!buf)
		die("malloc");
	for (long p = 0; p < total; p++)
		buf[p * PAGE_SIZE] = page_mark(p);

	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0)
		run_child(buf, pages);

	int status;
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cow: the child did not exit with status 0\n");
		return 1;
	}
	for (long p = 0; p < total; p++)
		if (buf[p * PAGE_SIZE] != page_mark(p)) {
			printf("parent: data changed at page %ld\n", p);
			return 1;
		}
	printf("parent: data unchanged\n");
	free(buf);
	return 0;
}
