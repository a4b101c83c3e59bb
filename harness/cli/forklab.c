/* forklab.c - the command: `forklab run` traces one program, `forklab grade` grades labs (one
 * student's, or a class's with --batch), `forklab gradebook` merges reports, `forklab checks`
 * lists what is graded. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "lab.h"

/* forklab's version: the course's and the grader's together. */
#define FORKLAB_VERSION "0.9"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab run [options] -- PROGRAM [ARG...]   trace a program, show its processes\n"
		"       forklab grade [options] [LAB...]            build, run and grade labs\n"
		"       forklab list                                every lab, your scores, the next one\n"
		"       forklab hint [LAB]                          one more hint for a lab\n"
		"       forklab reset [--yes] LAB                   put a lab's starter back\n"
		"       forklab watch [LAB]                         regrade a lab each time you save\n"
		"       forklab grade --batch DIR [options] [LAB...] grade a class into a gradebook\n"
		"       forklab gradebook [--output FILE] DIR        merge JSON reports into a CSV\n"
		"       forklab checks [--assignment FILE] [LAB...]  list the checks graded\n"
		"       forklab COMMAND --help                      the options of a command\n"
		"       forklab --version                           forklab's version and its labs\n");
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
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "status") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "hint") == 0)
		return cmd_hint(argc - 1, argv + 1);
	if (strcmp(argv[1], "reset") == 0)
		return cmd_reset(argc - 1, argv + 1);
	if (strcmp(argv[1], "watch") == 0)
		return cmd_watch(argc - 1, argv + 1);
	if (strcmp(argv[1], "gradebook") == 0)
		return cmd_gradebook(argc - 1, argv + 1);
	if (strcmp(argv[1], "checks") == 0)
		return cmd_checks(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		size_t n = 0;
		while (labs_all[n])
			n++;
		printf("forklab %s (%zu labs, %s to %s)\n", FORKLAB_VERSION, n,
		       n ? labs_all[0]->name : "-", n ? labs_all[n - 1]->name : "-");
		return 0;
	}
	fprintf(stderr, "forklab: unknown command '%s' (try: forklab --help)\n", argv[1]);
	return 125;
}
