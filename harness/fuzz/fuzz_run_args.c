/* fuzz_run_args.c - `forklab run`'s command line: any words (NUL-separated in the input) as
 * options and limits. Parsing either goes on to a program or ends with a status (0 for --help,
 * 125 for misuse); it never crashes and never leaks. Built by `make fuzz` only: it includes
 * cmd_run.c to reach its static parser (fuzz.sh closes its stdout and stderr: -close_fd_mask). */
#include "../cli/cmd_run.c"
#include "fuzz.h"

int fuzz_run_args(const uint8_t *data, size_t size);

int fuzz_run_args(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char *argv[66] = { "run" };
	int argc = 1;
	for (char *w = s; argc < 64 && w <= s + size; w += strlen(w) + 1)
		argv[argc++] = w;
	argv[argc] = NULL;
	struct run_args a;
	memset(&a, 0, sizeof a);
	trace_opts_init(&a.o);
	int rc = parse_args(&a, argc, argv);
	if (rc != -1 && rc != 0 && rc != 125)
		abort();
	if (rc == -1 && !a.program)
		abort();
	free(a.program);
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_run_args)
