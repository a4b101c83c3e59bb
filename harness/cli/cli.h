/* cli.h - the subcommands of the forklab command. Each returns the process exit status. */
#ifndef FORKLAB_CLI_H
#define FORKLAB_CLI_H
int cmd_run(int argc, char **argv);    /* cmd_run.c */
int cmd_grade(int argc, char **argv);  /* cmd_grade.c */
#endif
