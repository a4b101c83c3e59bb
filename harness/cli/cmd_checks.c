/* cmd_checks.c - `forklab checks [--assignment FILE] [LAB...]`: the checks that would be
 * graded, one line each, for scripts (make handout rewrites each lab's check table with it). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assignment.h"
#include "cli.h"
#include "grade.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab checks [--assignment FILE] [LAB...]\n"
		"\n"
		"Lists the checks forklab grade would grade, one a line, tab-separated:\n"
		"lab, check id, points, visible or hidden, title. Without LAB: every lab (or\n"
		"every lab of the assignment).\n"
		"\n"
		"options:\n"
		"  --assignment FILE  the labs, points and hidden checks of FILE (default:\n"
		"                     $FORKLAB_ASSIGNMENT when set)\n"
		"  --help             this text\n"
		"\n"
		"exit status: 0 listed; 2 a bad option, lab or assignment file (one line says why).\n");
}

static void list(const struct lab *lab)
{
	for (size_t i = 0; i < lab->nchecks; i++)
		printf("%s\t%s\t%d\t%s\t%s\n", lab->name, lab->checks[i].id, lab->checks[i].points,
		       lab->hidden && lab->hidden[i] ? "hidden" : "visible",
		       lab->checks[i].title ? lab->checks[i].title : "");
}

int cmd_checks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"assignment", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = getenv("FORKLAB_ASSIGNMENT");
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'A': path = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			fprintf(stderr, "forklab: checks: bad option '%s' (try: forklab checks "
				"--help)\n", argv[optind - 1]);
			return 2;
		}
	}
	struct assignment *a = NULL;
	char err[1024];
	if (path && *path && !(a = assignment_load(path, err, sizeof err))) {
		fprintf(stderr, "forklab: %s\n", err);
		return 2;
	}
	int rc = 0;
	for (int i = optind; i < argc && rc == 0; i++) {
		const struct lab *lab = a ? assignment_lab(a, argv[i]) : lab_lookup(argv[i]);
		if (!lab) {
			fprintf(stderr, "forklab: checks: no lab '%s'%s%s\n", argv[i],
				a ? " in " : "", a ? a->path : "");
			rc = 2;
		}
	}
	for (int i = optind; i < argc && rc == 0; i++)
		list(a ? assignment_lab(a, argv[i]) : lab_lookup(argv[i]));
	for (size_t i = 0; optind == argc && a && i < a->nlabs; i++)
		list(a->labs[i]);
	for (size_t i = 0; optind == argc && !a && labs_all[i]; i++)
		list(labs_all[i]);
	if (rc == 0 && fflush(stdout) == EOF)
		rc = 2;
	assignment_free(a);
	return rc;
}
