/* Lab 13, right: the heap is an array of 64-byte records allocated with mmap(); bitmap mode
 * keeps one mark byte per object in a side table; workers are forked and reaped one at a time;
 * smaps_rollup is read with getline(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBJ ((32u << 20) / 64)

struct obj {
	uint64_t hdr;
	uint64_t data[7];
};

static long dirty_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char *line = NULL;
	size_t cap = 0;
	long kib = -1;
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0)
		if (strncmp(line, "Private_Dirty:", 14) == 0)
			kib = strtol(line + 14, NULL, 10);
	free(line);
	fclose(f);
	return kib;
}

static void worker(int i, struct obj *heap, int side)
{
	if (side) {
		unsigned char *marks = malloc(NOBJ);
		if (!marks)
			_exit(1);
		memset(marks, 0, NOBJ);
		for (unsigned k = 0; k < NOBJ; k++)
			marks[k] = heap[k].data[0] == k;
		free(marks);
	} else {
		for (unsigned k = 0; k < NOBJ; k++)
			heap[k].hdr |= 1;
	}
	long kib = dirty_kib();
	if (kib < 0)
		_exit(1);
	printf("worker %d: private_dirty_kib=%ld\n", i, kib);
	exit(0);
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[1]) : 0;
	char digits[8];
	snprintf(digits, sizeof digits, "%d", n);
	if (argc != 3 || n < 1 || n > 8 || strcmp(digits, argv[1]) ||
	    (strcmp(argv[2], "header") && strcmp(argv[2], "bitmap"))) {
		fprintf(stderr, "usage: prefork_gc WORKERS header|bitmap\n");
		return 2;
	}
	int side = strcmp(argv[2], "bitmap") == 0;
	struct obj *heap = mmap(NULL, (size_t)NOBJ * sizeof *heap, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (heap == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (unsigned k = 0; k < NOBJ; k++) {
		heap[k].hdr = (uint64_t)k << 8;
		for (int f = 0; f < 7; f++)
			heap[k].data[f] = k + (unsigned)f;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			worker(i, heap, side);
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	return 0;
}
