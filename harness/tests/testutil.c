/* testutil.c - where the tests find what they run (see testutil.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

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

/* Runs "cmd FILE" with text in FILE; returns its output (stdout and stderr), *status its exit
 * status. */
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
