/* bad_malloc8g.c - asks for 8 GiB and touches every page of it. Under the memory limit the
 * allocation fails: it says so on stderr and exits 1. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	size_t size = (size_t)8 << 30;
	char *p = malloc(size);
	if (p == NULL) {
		fprintf(stderr, "malloc(8 GiB) failed\n");
		return 1;
	}
	for (size_t i = 0; i < size; i += 4096)
		p[i] = 1;
	printf("touched 8 GiB\n");
	free(p);
	return 0;
}
