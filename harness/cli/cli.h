/* cli.h - the subcommands of the forklab command. Each returns the process exit status. */
#ifndef FORKLAB_CLI_H
#define FORKLAB_CLI_H
int cmd_run(int argc, char **argv);    /* cmd_run.c */
int cmd_grade(int argc, char **argv);  /* cmd_grade.c */

/* live.c: `forklab run` passing the program's output on as it arrives (a trace_opts on_output
 * callback that never blocks). live_finish writes what is still held, frees it, and says
 * whether stdout was left in the middle of a line. */
#include <stdbool.h>
#include <stddef.h>
struct live;
struct live *live_start(void);
void live_output(int stream, const char *data, size_t len, void *arg);
bool live_finish(struct live *l);

/* outfile.c: an --output FILE, written as a new file (mode 0644) under a random name beside
 * FILE and renamed over FILE once complete; a FILE that is a terminal, pipe or other device
 * (/dev/stdout) is written as it is. outfile_open returns the stream, or NULL with
 * errno. outfile_commit closes it and renames it (keep) or removes it (!keep): 0, or -1 with
 * errno (nothing renamed, the temporary removed). */
#include <stdio.h>
struct outfile {
	const char *path;
	char *tmp;
	FILE *f;
};
FILE *outfile_open(struct outfile *o, const char *path);
int outfile_commit(struct outfile *o, bool keep);
#endif
