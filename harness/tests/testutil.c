/* testutil.c - where the tests find what they run, and running commands (see testutil.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lab.h"
#include "testutil.h"

extern char **environ;

static char build[PATH_MAX / 2], root[PATH_MAX / 2];

/* Half of PATH_MAX each, so that a directory plus a name always fits a PATH_MAX buffer. */
static void find_dirs(void)
{
	if (build[0])
		return;
	ssize_t n = readlink("/proc/self/exe", build, sizeof build - 1);
	cr_assert(n > 0, "cannot read /proc/self/exe");
	build[n] = '\0';
	*strrchr(build, '/') = '\0';
	snprintf(root, sizeof root, "%s", build);
	char *slash = strrchr(root, '/');
	if (slash == root)
		root[1] = '\0';
	else if (slash)
		*slash = '\0';
}

const char *test_build_dir(void)
{
	find_dirs();
	return build;
}

const char *test_root_dir(void)
{
	find_dirs();
	return root;
}

const char *test_build_path(const char *name)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, PATH_MAX, "%s/%s", test_build_dir(), name);
	return p;
}

const char *test_prog(const char *name)
{
	char rel[PATH_MAX / 4];
	snprintf(rel, sizeof rel, "progs/%s", name);
	const char *p = test_build_path(rel);
	cr_assert_eq(access(p, X_OK), 0, "%s is not built", p);
	return p;
}

char *test_slurp_fd(int fd)
{
	size_t len = 0, cap = 65536;
	char *s = malloc(cap);
	cr_assert_not_null(s);
	for (;;) {
		if (len + 1 == cap) {
			cap *= 2;
			s = realloc(s, cap);
			cr_assert_not_null(s);
		}
		ssize_t n = read(fd, s + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		cr_assert_geq(n, 0, "read: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	s[len] = '\0';
	return s;
}

int test_run_capture(char *const argv[], char **out, char **err)
{
	char outp[] = "/tmp/forklab-test-out-XXXXXX", errp[] = "/tmp/forklab-test-err-XXXXXX";
	int fo = mkstemp(outp), fe = mkstemp(errp);
	cr_assert(fo >= 0 && fe >= 0, "mkstemp: %s", strerror(errno));
	unlink(outp);
	unlink(errp);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	lseek(fo, 0, SEEK_SET);
	lseek(fe, 0, SEEK_SET);
	*out = test_slurp_fd(fo);
	*err = test_slurp_fd(fe);
	close(fo);
	close(fe);
	return st;
}

char *test_pipe_through(const char *cmd, const char *text, int *status)
{
	char in[] = "/tmp/forklab-report-XXXXXX";
	int fd = mkstemp(in);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char *full = NULL;
	cr_assert_geq(asprintf(&full, "%s %s 2>&1", cmd, in), 0);
	FILE *p = popen(full, "r");
	cr_assert_not_null(p);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	int c;
	while ((c = fgetc(p)) != EOF)
		fputc(c, m);
	fclose(m);
	while (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	unlink(in);
	free(full);
	return out;
}


struct test_cmd test_command(const char *const *argv, const char *dir)
{
	char outp[] = "/tmp/forklab-cli-out-XXXXXX", errp[] = "/tmp/forklab-cli-err-XXXXXX";
	int ofd = mkstemp(outp), efd = mkstemp(errp);
	cr_assert(ofd >= 0 && efd >= 0);
	unlink(outp);
	unlink(errp);
	posix_spawn_file_actions_t fa;
	cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(rc, 0, "cannot run %s: %s", argv[0], strerror(rc));
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(lseek(ofd, 0, SEEK_SET) == 0 && lseek(efd, 0, SEEK_SET) == 0);
	struct test_cmd r = {
		.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
		.out = test_slurp_fd(ofd), .err = test_slurp_fd(efd),
	};
	close(ofd);
	close(efd);
	return r;
}

void test_cmd_free(struct test_cmd *r)
{
	free(r->out);
	free(r->err);
}

pid_t test_spawn_on_pty(const char *const *argv, const char *dir, int *master)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	cr_assert_geq(*master, 0, "posix_openpt: %s", strerror(errno));
	cr_assert(grantpt(*master) == 0 && unlockpt(*master) == 0, "grantpt: %s", strerror(errno));
	const char *pts = ptsname(*master);
	cr_assert_not_null(pts, "ptsname: %s", strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
	cr_assert_eq(posix_spawnattr_init(&at), 0);
	cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 1, pts, O_WRONLY | O_NOCTTY, 0), 0);
	cr_assert_eq(posix_spawn_file_actions_adddup2(&fa, 1, 2), 0);
	cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0), 0);
	cr_assert_eq(posix_spawn_file_actions_addchdir_np(&fa, dir), 0);
	cr_assert_eq(posix_spawnattr_setpgroup(&at, 0), 0);
	cr_assert_eq(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP), 0);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, &at, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	cr_assert_eq(rc, 0, "cannot run %s: %s", argv[0], strerror(rc));
	return pid;
}

static double monotonic_s(void)
{
	struct timespec ts;
	cr_assert_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *test_pty_drain(int master, pid_t pid, double limit, int *status)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	cr_assert_not_null(m);
	double end = monotonic_s() + limit;
	for (;;) {
		int ms = (int)((end - monotonic_s()) * 1000);
		if (ms <= 0) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
			fclose(m);
			cr_assert_fail("pid %d still ran (or held its terminal) after %.0f s:\n%s",
				       (int)pid, limit, out);
		}
		struct pollfd p = { .fd = master, .events = POLLIN };
		int n = poll(&p, 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		cr_assert_geq(n, 0, "poll: %s", strerror(errno));
		if (n == 0)
			continue;
		char buf[4096];
		ssize_t r = read(master, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {      /* EIO: the last holder of the terminal's side closed it */
			cr_assert(r == 0 || errno == EIO, "read: %s", strerror(errno));
			break;
		}
		cr_assert_eq(fwrite(buf, 1, (size_t)r, m), (size_t)r);
	}
	cr_assert_eq(fclose(m), 0);
	cr_assert_eq(close(master), 0);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid, "waitpid: %s", strerror(errno));
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

void test_shell(const char *dir, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	cr_assert_geq(vasprintf(&line, fmt, ap), 0);
	va_end(ap);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", "-c", line, NULL}, dir);
	cr_assert_eq(r.status, 0, "%s: %s%s", line, r.out, r.err);
	test_cmd_free(&r);
	free(line);
}

int test_unused_lab_number(void)
{
	int max = 0;
	for (size_t i = 0; labs_all[i]; i++)
		if (labs_all[i]->number > max)
			max = labs_all[i]->number;
	return max + 1;
}

void test_need_solutions(void)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/solutions", test_root_dir());
	if (access(path, F_OK) < 0)
		cr_skip_test("no solutions/ in this tree (a students' repository)");
}
