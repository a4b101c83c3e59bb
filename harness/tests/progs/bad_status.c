/* bad_status.c - ends in a way whose status is easy to misread. argv[1] chooses:
 *   exit256  exit(256): only the low 8 bits survive, so the status is 0
 *   segv     a write through a null pointer: killed by SIGSEGV
 *   abort    abort(): killed by SIGABRT
 * No core file may be written (forklab sets the core size limit to 0). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "exit256";

	if (strcmp(mode, "exit256") == 0)
		exit(256);
	if (strcmp(mode, "segv") == 0) {
		volatile int *p = NULL;
		*p = 1;
		return 1;
	}
	if (strcmp(mode, "abort") == 0)
		abort();
	fprintf(stderr, "usage: bad_status exit256|segv|abort\n");
	return 2;
}
