/* test_fuzz_corpus.c - every input kept in harness/fuzz/corpus/ (the seeds, and each input that
 * once broke a target: regressions) replayed through its fuzz target, so that `make test` holds
 * what `make fuzz` found. fuzz_run_args is replayed by `make fuzz` only (it is built from the
 * command's own file). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "testutil.h"

/* Feeds every file of harness/fuzz/corpus/NAME to fn; returns how many. */
static size_t replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/harness/fuzz/corpus/%s", test_root_dir(), name);
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "opendir %s: %s", dir, strerror(errno));
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		cr_assert_geq(fd, 0, "open %s/%s", dir, e->d_name);
		struct stat st;
		cr_assert_eq(fstat(fd, &st), 0);
		char *data = test_slurp_fd(fd); /* (NUL bytes included: st_size says how many) */
		close(fd);
		cr_assert_eq(fn((const uint8_t *)data, (size_t)st.st_size), 0, "%s/%s", name,
			     e->d_name);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

Test(fuzz_corpus, reports)
{
	cr_assert_geq(replay("reports", fuzz_reports), 3);
}

Test(fuzz_corpus, expand)
{
	cr_assert_geq(replay("expand", fuzz_expand), 1);
}

Test(fuzz_corpus, procfs)
{
	cr_assert_geq(replay("procfs", fuzz_procfs), 4);
}
