/* exit_with - a grader helper: exits with the status given as its only argument (0-255), so a
 * lab can be checked on how it reports an exit status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char *end;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: exit_with STATUS\n");
		return 2;
	}
	n = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || n < 0 || n > 255) {
		fprintf(stderr, "exit_with: bad status '%s' (0-255)\n", argv[1]);
		return 2;
	}
	return (int)n;
}
