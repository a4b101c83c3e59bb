/* t_alloc.c - `t_alloc CHUNK`: mallocs CHUNK bytes at a time (touching each block) until malloc
 * fails, then prints how far it got and exits 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096, total = 0;
	if (chunk == 0)
		return 2;
	for (;;) {
		char *p = malloc(chunk);
		if (!p) {
			printf("malloc failed after %zu MiB\n", total >> 20);
			return 3;
		}
		memset(p, 1, chunk < 4096 ? chunk : 4096);
		total += chunk;
	}
}
