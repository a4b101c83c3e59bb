/* prefork_gc.c - lab 13: a parent builds a heap of small objects and forks workers that share
 * it; each worker runs a garbage collector's mark pass over every object. Where the mark bits
 * live decides whether the heap stays shared or every worker copies all of it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAP_BYTES (32L << 20)                  /* 32 MiB */
#define NOBJECTS (HEAP_BYTES / (long)sizeof(struct object))
#define MARK_BIT 1UL
#define BITS_PER_WORD (8 * (long)sizeof(unsigned long))

/* One heap object: 64 bytes, a header word (its mark bit and its number) and its fields. */
struct object {
	unsigned long header;
	unsigned long fields[7];
};

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "prefork_gc: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* Allocates the heap and fills every object, so all its pages exist before the fork. */
static struct object *build_heap(void)
{
	struct object *heap = malloc(HEAP_BYTES);
	if (!heap)
		die("malloc");
	for (long i = 0; i < NOBJECTS; i++) {
		heap[i].header = (unsigned long)i << 1;
		for (int f = 0; f < 7; f++)
			heap[i].fields[f] = (unsigned long)(i * 7 + f);
	}
	return heap;
}

/* Mark pass, header mode: sets the mark bit inside every object. Every write lands in a heap
 * page shared with the parent, so every page is copied. */
static void mark_in_headers(struct object *heap)
{
	for (long i = 0; i < NOBJECTS; i++)
		heap[i].header |= MARK_BIT;
}

/* Mark pass, bitmap mode: one bit per object in a bitmap this worker allocates after the
 * fork. The heap is only read, so its pages stay shared. Returns how many objects were marked. */
static long mark_in_bitmap(const struct object *heap)
{
	/* TODO(lab13): calloc() a bitmap of NOBJECTS bits (unsigned long words), set bit i for
	 * each object i whose header holds its number (header >> 1 == i), free the bitmap and
	 * return how many objects were marked. Read the heap; never write into it. Until then
	 * the starter marks in the headers, as header mode does: */
	mark_in_headers((struct object *)heap);
	return NOBJECTS;
}

/* This process's private dirty memory in KiB, from /proc/self/smaps_rollup. */
static long private_dirty_kib(void)
{
	/* TODO(lab13): open /proc/self/smaps_rollup, find the line "Private_Dirty: <n> kB" and
	 * return n; die("fopen ...") if it cannot be opened, and exit 1 with a message on stderr
	 * if the line is missing */
	return 0;
}

/* Worker i: one mark pass, then its report. Does not return. */
static void run_worker(int i, struct object *heap, int bitmap_mode)
{
	if (bitmap_mode)
		mark_in_bitmap(heap);
	else
		mark_in_headers(heap);
	printf("worker %d: private_dirty_kib=%ld\n", i, private_dirty_kib());
	exit(0);
}

/* The worker count from the command line: a whole number from 1 to 8, else -1. */
static int parse_workers(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 8)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	int workers = argc == 3 ? parse_workers(argv[1]) : -1;
	int bitmap_mode = argc == 3 && strcmp(argv[2], "bitmap") == 0;

	if (workers < 0 || (!bitmap_mode && strcmp(argv[2], "header") != 0)) {
		fprintf(stderr, "usage: prefork_gc WORKERS header|bitmap   (WORKERS from 1 to 8)\n");
		return 2;
	}
	struct object *heap = build_heap();
	if (fflush(stdout) == EOF)
		die("fflush");
	for (int i = 0; i < workers; i++) {
		pid_t pid = fork();
		if (pid == -1)
			die("fork");
		if (pid == 0)
			run_worker(i, heap, bitmap_mode);
	}
	for (int i = 0; i < workers; i++) {
		int status;
		if (wait(&status) == -1)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "prefork_gc: a worker did not exit with status 0\n");
			return 1;
		}
	}
	return 0;
}
