/* testutil.h - where the tests find what they run: the build directory holding the test binary
 * (make B=...; the forklab command, progs/, labprogs/ and helpers/ are there) and the checkout
 * above it (labs/, solutions/, harness/). */
#ifndef FORKLAB_TESTUTIL_H
#define FORKLAB_TESTUTIL_H

#include <sys/types.h>

/* Both fail the test when /proc/self/exe cannot be read. */
const char *test_build_dir(void);
const char *test_root_dir(void);

/* In the students' repository `make handout` writes there is no solutions/: a test that needs
 * the reference solutions (or the lab programs made from them) is skipped there, saying so. */
void test_need_solutions(void);

/* "<build dir>/<name>", in one of 8 static buffers used in turn. */
const char *test_build_path(const char *name);

/* "<build dir>/progs/<name>", a test program, which must have been built. */
const char *test_prog(const char *name);

/* Everything fd has from where it stands to end-of-file, as a malloc'd string. */
char *test_slurp_fd(int fd);

/* Runs argv[0] (a path) with stdout and stderr captured into *out and *err (malloc'd);
 * returns its wait status. */
int test_run_capture(char *const argv[], char **out, char **err);

/* Runs "cmd FILE" (a shell command line) with text in FILE; returns what it printed on stdout
 * and stderr, trailing newlines cut (malloc'd), and its exit status in *status. */
char *test_pipe_through(const char *cmd, const char *text, int *status);

/* A command's exit status (128 + signal when killed) and what it wrote, malloc'd. */
struct test_cmd {
	int status;
	char *out, *err;
};

/* Runs argv (argv[0] a path) in dir, stdin from /dev/null, stdout and stderr captured. */
struct test_cmd test_command(const char *const *argv, const char *dir);
void test_cmd_free(struct test_cmd *r);

/* Starts argv (argv[0] a path) in dir as the leader of a process group of its own, stdin from
 * /dev/null, stdout and stderr on a new pseudo-terminal: isatty() is true there, and as it is
 * not the program's controlling terminal no signal comes from it. *master is the terminal's
 * other side (close-on-exec), to read what the program writes. Returns its pid. */
pid_t test_spawn_on_pty(const char *const *argv, const char *dir, int *master);

/* Reads master until nothing holds the terminal any more, closes it and reaps pid: returns what
 * was read (malloc'd; the terminal turns each "\n" into "\r\n") and pid's exit status (128 +
 * signal when killed) in *status. Past limit seconds the test fails, pid's group killed. */
char *test_pty_drain(int master, pid_t pid, double limit, int *status);

/* Runs a shell command line (printf-style) in dir; the test fails unless it succeeds. */
void test_shell(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A lab number no lab has: one above the highest (labs are added; never assume one absent). */
int test_unused_lab_number(void);

#endif
