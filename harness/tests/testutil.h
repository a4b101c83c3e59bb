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

/* Runs "cmd FILE" (through the shell) with text in a temporary FILE; returns its output, stdout
 * and stderr, without trailing newlines (malloc'd), and *status its exit status (-1: it did not
 * exit). */
char *test_pipe_through(const char *cmd, const char *text, int *status);

#endif
