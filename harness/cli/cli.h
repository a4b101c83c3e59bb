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

/* where.c: the labs as seen from the current directory. LAB arguments given as paths
 * (labs/01-fork-return, ".", ../02-getpid-pitfall) become lab names and their parent the labs
 * directory; without --labs and without labs/ here, a lab's directory or the labs directory
 * itself is recognised. */
struct lab;
struct labs_place {
	char *labs_dir;        /* where the labs are */
	char *build_dir;       /* NULL: the default (build); else the one beside the labs */
	char **specs;          /* the LAB arguments, paths replaced by lab names */
	int nspecs;
	const struct lab *here; /* no LAB given, inside this lab's directory: grade it alone */
};
int labs_place_find(bool labs_given, const char *labs_dir, char *const *specs, int nspecs,
		    struct labs_place *w);   /* 0, or -1 after one line on stderr */
void labs_place_free(struct labs_place *w);
#endif
