/* cmd_run.c - placeholder until the run command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "forklab: 'run' is not built yet\n");
	return 125;
}
