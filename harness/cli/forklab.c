/* forklab.c - the command: `forklab run` traces one program, `forklab grade` grades labs (one
 * student's, or a class's with --batch), `forklab gradebook` merges reports, `forklab checks`
 * lists what is graded. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab run [options] -- PROGRAM [ARG...]   trace a program, show its processes\n"
		"       forklab grade [options] [LAB...]            build, run and grade labs\n"
		"       forklab grade --batch DIR [options] [LAB...] grade a class into a gradebook\n"
		"       forklab gradebook [--output FILE] DIR        merge JSON reports into a CSV\n"
		"       forklab checks [--assignment FILE] [LAB...]  list the checks graded\n"
		"       forklab COMMAND --help                      the options of a command\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "grade") == 0)
		return cmd_grade(argc - 1, argv + 1);
	if (strcmp(argv[1], "gradebook") == 0)
		return cmd_gradebook(argc - 1, argv + 1);
	if (strcmp(argv[1], "checks") == 0)
		return cmd_checks(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "forklab: unknown command '%s' (try: forklab --help)\n", argv[1]);
	return 125;
}
