/* testutil.h - where the tests find what they run: the build directory holding the test binary
 * (make B=...; the forklab command, progs/, labprogs/ and helpers/ are there) and the checkout
 * above it (labs/, solutions/, harness/). */
#ifndef FORKLAB_TESTUTIL_H
#define FORKLAB_TESTUTIL_H

/* Both fail the test when /proc/self/exe cannot be read. */
const char *test_build_dir(void);
const char *test_root_dir(void);

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

/* A command's exit status (128+N for signal N) and what it wrote. */
struct test_cmd {
	int status;
	char *out, *err;
};

/* Runs argv (argv[0] a path) in dir, stdin /dev/null, stdout and stderr captured. */
struct test_cmd test_command(const char *const *argv, const char *dir);
void test_cmd_free(struct test_cmd *r);

#endif
