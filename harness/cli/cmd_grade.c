/* cmd_grade.c - placeholder until the grade command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_grade(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "forklab: 'grade' is not built yet\n");
	return 125;
}
