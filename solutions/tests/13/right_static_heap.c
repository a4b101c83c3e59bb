/* Lab 13, right: the heap is a static array (in .bss), filled before forking; bitmap mode
 * uses a bitmap on the worker's stack; smaps_rollup is read with fscanf() field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OBJECTS (32 * 1024 * 1024 / 64)

static struct {
	unsigned long head;
	unsigned long body[7];
} heap[OBJECTS];

static long smaps_private_dirty(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char key[64];
	long value, found = -1;
	if (!f)
		return -1;
	while (fscanf(f, "%63s", key) == 1) {
		if (strcmp(key, "Private_Dirty:") == 0 && fscanf(f, "%ld", &value) == 1)
			found = value;
	}
	fclose(f);
	return found;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long workers = argc == 3 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 3 || *end || workers < 1 || workers > 8 ||
	    (strcmp(argv[2], "bitmap") != 0 && strcmp(argv[2], "header") != 0)) {
		fprintf(stderr, "usage: prefork_gc WORKERS header|bitmap\n");
		return 2;
	}
	int bitmap = argv[2][0] == 'b';
	for (long k = 0; k < OBJECTS; k++) {
		heap[k].head = 2 * (unsigned long)k;
		memset(heap[k].body, (int)(k & 0x7f), sizeof heap[k].body);
	}
	fflush(stdout);
	for (long i = 0; i < workers; i++) {
		pid_t pid = fork();
		if (pid == -1) {
			perror("fork");
			return 1;
		}
		if (pid)
			continue;
		if (bitmap) {
			unsigned char bits[OBJECTS / 8];
			memset(bits, 0, sizeof bits);
			for (long k = 0; k < OBJECTS; k++)
				if (heap[k].head / 2 == (unsigned long)k)
					bits[k >> 3] |= (unsigned char)(1u << (k & 7));
		} else {
			for (long k = 0; k < OBJECTS; k++)
				heap[k].head |= 1;
		}
		printf("worker %ld: private_dirty_kib=%ld\n", i, smaps_private_dirty());
		exit(0);
	}
	int status, bad = 0;
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return bad;
}
