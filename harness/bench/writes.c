/* writes.c - benchmark workload (d): one process making N (default 20,000) small writes to
 * stdout, one line each, as a program that prints line by line without stdio's buffer does.
 * Under forklab each is a captured write: stopped, read and attributed. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long writes = argc > 1 ? atol(argv[1]) : 20000;

	for (long i = 0; i < writes; i++)
		if (write(1, "line\n", 5) != 5)
			return 1;
	return 0;
}
