/* test_trace_cli.c - `forklab run` as a command: exit statuses (the program's, 128+n, 124,
 * 125), one-line errors on misuse, --help, JSON output, PATH lookup. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

/* Runs `forklab run ARGS...`; returns its exit status, its stdout and stderr in *out, *err. */
static int forklab_run(char **out, char **err, char *const *args)
{
	char *argv[32] = { (char *)test_build_path("forklab"), "run" };
	int n = 2;
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int st = test_run_capture(argv, out, err);
	cr_assert(WIFEXITED(st), "forklab died");
	return WEXITSTATUS(st);
}

#define FL(out, err, ...) forklab_run(out, err, (char *const[]){ __VA_ARGS__, NULL })

static void assert_one_line(const char *err)
{
	cr_assert_gt(strlen(err), 0, "nothing on stderr");
	cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
}

Test(cli, program_status_passes_through, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--", (char *)test_prog("t_exit"), "7"), 7);
	cr_assert(strstr(out, "exited 7"), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(FL(&out, &err, "--", (char *)test_prog("t_exit"), "segv"), 139);
	cr_assert(strstr(out, "killed by SIGSEGV"), "%s", out);
	free(out);
	free(err);
}

Test(cli, limit_is_124, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--timeout", "0.5", "--", (char *)test_prog("t_sleeper")),
		     124);
	cr_assert(strstr(out, "timeout"), "%s", out);
	cr_assert(strstr(out, "leftover 0"), "%s", out);
	free(out);
	free(err);
}

Test(cli, misuse_is_125_with_one_line, .timeout = 30)
{
	const char *bad[][3] = {
		{ "--timeout", "abc", "--" }, { "--timeout", "-1", "--" }, { "--max-procs", "0", "--" },
		{ "--mem", "12x", "--" }, { "--format", "xml", "--" }, { "--bogus", "--", "--" },
		{ "--linger", "nan", "--" }, { "--max-output", "", "--" },
		{ "--hold-children", "0", "--" }, { "--hold-children", "20000", "--" },
		{ "--merge-sigchld", "x", "--" }, { "--merge-sigchld", "-5", "--" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *out, *err;
		int st = FL(&out, &err, (char *)bad[i][0], (char *)bad[i][1], (char *)bad[i][2],
			    "/bin/true");
		cr_assert_eq(st, 125, "%s %s: status %d", bad[i][0], bad[i][1], st);
		assert_one_line(err);
		cr_assert_eq(strlen(out), 0, "nothing runs on misuse");
		free(out);
		free(err);
	}
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--timeout", "1"), 125);
	assert_one_line(err);
	free(out);
	free(err);
	cr_assert_eq(FL(&out, &err, "--", "no-such-program-anywhere"), 125);
	assert_one_line(err);
	cr_assert(strstr(err, "no-such-program-anywhere"), "%s", err);
	free(out);
	free(err);
}

Test(cli, help_lists_every_option, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--help"), 0);
	const char *opts[] = { "--timeout", "--max-procs", "--cpu", "--mem", "--max-output",
			       "--linger", "--stdin", "--format", "--output", "--help", "124",
			       "125", "default 10", "default 64", "--zombies", "--hold-children",
			       "--merge-sigchld" };
	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
		cr_assert(strstr(out, opts[i]), "--help does not mention %s", opts[i]);
	free(out);
	free(err);
}

/* --hold-children: the child's first getppid() names its adopter (forklab), not its parent,
 * which had died before the child could run. */
Test(cli, hold_children_lets_the_parent_end_first, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--hold-children", "2000", "--", (char *)test_prog("t_hold"),
			"race"), 0, "%s", err);
	int born = 0, first = 0;
	cr_assert_eq(sscanf(out, "born to %d getppid %d", &born, &first), 2, "%s", out);
	cr_assert_neq(first, born, "%s", out);
	cr_assert_not_null(strstr(out, "adopted by forklab"), "%s", out);
	free(out);
	free(err);
}

Test(cli, json_and_path_lookup, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--format", "json", "--", "echo", "hi"), 0);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "stdout")), "hi\n");
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "exited");
	json_t *p = json_array_get(json_object_get(j, "processes"), 0);
	const char *path = json_string_value(json_object_get(json_array_get(
		json_object_get(p, "exec"), 0), "path"));
	cr_assert(path && path[0] == '/' && strstr(path, "echo"), "resolved through PATH: %s",
		  path);
	json_decref(j);
	free(out);
	free(err);
}

/* Starts `forklab run ARGS...` with stdout and stderr both on one pipe, and stdin on in_fd (or
 * the test's own when -1); returns its pid and the pipe's read end in *rfd. */
static pid_t forklab_start(int *rfd, int in_fd, char *const *args)
{
	char *argv[32] = { (char *)test_build_path("forklab"), "run" };
	int n = 2;
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int p[2];
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0 || (in_fd >= 0 && dup2(in_fd, 0) < 0))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* Runs `forklab run ARGS...` to its end (stdin on in_fd, or the test's own when -1); it must exit
 * 0. Returns what it printed, stdout and stderr together. */
static char *forklab_all(int in_fd, char *const *args)
{
	int fd;
	pid_t pid = forklab_start(&fd, in_fd, args);
	char *all = test_slurp_fd(fd);
	close(fd);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x: %s", st, all);
	return all;
}

/* With the tree, the program's output is passed on while the program runs, not held to the
 * end: "ready" arrives while forklab is still running. */
Test(cli, output_passed_on_while_the_program_runs, .timeout = 60)
{
	int fd;
	pid_t pid = forklab_start(&fd, -1, (char *const[]){ "--timeout", "30", "--",
							(char *)test_prog("t_ready"), NULL });
	char buf[4096];
	size_t len = 0;
	bool ready = false;
	while (!ready && len < sizeof(buf) - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = poll(&pfd, 1, 15000) == 1 ? read(fd, buf + len, sizeof(buf) - 1 - len) : 0;
		if (n <= 0)
			break;
		len += (size_t)n;
		ready = memmem(buf, len, "ready", 5) != NULL;
	}
	/* Whatever was seen, stop forklab before asserting: nothing may outlive the test. */
	int st;
	bool running = waitpid(pid, &st, WNOHANG) == 0;
	if (running)
		cr_assert_eq(kill(pid, SIGTERM), 0);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(ready, "no \"ready\" within 15 s while the program ran: %.*s", (int)len, buf);
	cr_assert(running, "forklab had already ended");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 124, "status %#x", st);
	char *rest = test_slurp_fd(fd);
	close(fd);
	cr_assert(strstr(rest, "interrupted") && strstr(rest, "leftover 0"), "%.*s%s", (int)len,
		  buf, rest);
	free(rest);
}

/* The line that sets the tree apart from the program's output. */
#define SEP "── forklab: the processes of this run "

/* stdout and stderr passed on in the order the processes wrote them (t_writes: P, its child to
 * stdout, the child to stderr, P again), then the tree. */
Test(cli, stdout_and_stderr_in_the_order_written, .timeout = 30)
{
	char *all = forklab_all(-1, (char *const[]){ "--", (char *)test_prog("t_writes"),
						      NULL });
	cr_assert_eq(strncmp(all, "p1\nc1\nc2\np2\n" SEP, 12 + strlen(SEP)), 0, "%s", all);
	free(all);
}

/* --stdin /dev/stdin hands forklab's own stdin (here a pipe) to the program. */
Test(cli, stdin_passed_on_from_forklab, .timeout = 30)
{
	int in[2];
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	cr_assert_eq(write(in[1], "typed\n", 6), 6);
	cr_assert_eq(close(in[1]), 0);
	char *all = forklab_all(in[0], (char *const[]){ "--stdin", "/dev/stdin", "--", "/bin/cat",
							 NULL });
	close(in[0]);
	cr_assert_eq(strncmp(all, "typed\n" SEP, 6 + strlen(SEP)), 0, "%s", all);
	free(all);
}

/* Output that ends in the middle of a line is ended before the tree starts. */
Test(cli, tree_starts_on_a_line_of_its_own, .timeout = 30)
{
	char *all = forklab_all(-1, (char *const[]){ "--", "/usr/bin/printf", "partial", NULL });
	cr_assert_eq(strncmp(all, "partial\n" SEP, 8 + strlen(SEP)), 0, "%s", all);
	free(all);
}

/* --memory puts each process's memory as it ended in the tree: t_cow's child wrote half of its
 * 16 MiB (2048 pages), so its private dirty memory is at least 8 MiB; without the option the
 * tree has no memory figures (the record may still hold them for big mappings). */
Test(cli, memory_figures_in_the_tree, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--memory", "--", (char *)test_prog("t_cow"), "16", "50"), 0,
		     "%s", err);
	const char *c = strstr(out, "P.1 ");
	cr_assert_not_null(c, "%s", out);
	long long kib = -1, flt = -1;
	const char *m = strstr(c, " KiB private dirty, ");
	cr_assert_not_null(m, "no memory figures for P.1:\n%s", out);
	while (m > c && m[-1] >= '0' && m[-1] <= '9')
		m--;
	cr_assert_eq(sscanf(m, "%lld KiB private dirty, %lld minor fault", &kib, &flt), 2, "%s",
		     out);
	cr_assert_geq(kib, 8192, "%s", out);
	cr_assert_geq(flt, 2048, "%s", out);
	int shown = 0;   /* P and P.1 */
	for (const char *q = out; (q = strstr(q, " KiB private dirty, ")); q++)
		shown++;
	cr_assert_eq(shown, 2, "%s", out);
	free(out);
	free(err);
	cr_assert_eq(FL(&out, &err, "--", (char *)test_prog("t_cow"), "16", "50"), 0, "%s", err);
	cr_assert_null(strstr(out, "private dirty"), "%s", out);
	free(out);
	free(err);
}

/* A run stopped by its timeout: each process still alive is named with the call it waited in
 * (t_blocked's child in read(), its parent in wait4()). */
Test(cli, stopped_processes_say_what_they_waited_in, .timeout = 30)
{
	char *out, *err;
	cr_assert_eq(FL(&out, &err, "--timeout", "0.5", "--", (char *)test_prog("t_blocked")), 124,
		     "%s", err);
	cr_assert_not_null(strstr(out, "killed by forklab (SIGKILL) while waiting in read()"), "%s",
			   out);
	cr_assert_not_null(strstr(out, "killed by forklab (SIGKILL) while waiting in wait4()"), "%s",
			   out);
	free(out);
	free(err);
}
