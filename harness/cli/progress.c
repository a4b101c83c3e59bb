/* progress.c - a student's progress, kept in a small text file in the build directory
 * (build/progress): per lab the last and best score of `forklab grade`, and how many hints
 * `forklab hint` has shown. One line per lab that has any:
 *
 *     <lab name> <last> <best> <max> <hints>
 *
 * (-1 for a score not known yet). The file is rewritten whole and renamed into place;
 * FORKLAB_PROGRESS, when set, names another file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"

size_t progress_nlabs(void)
{
	size_t n = 0;
	while (labs_all[n])
		n++;
	return n;
}

/* FORKLAB_PROGRESS names another file (for tests that grade a student's labs/). */
static char *progress_path(const char *build_dir)
{
	char *path = NULL;
	const char *env = getenv("FORKLAB_PROGRESS");
	if (env && *env)
		return strdup(env);
	if (asprintf(&path, "%s/progress", build_dir ? build_dir : "build") < 0)
		return NULL;
	return path;
}

struct progress *progress_load(const char *build_dir)
{
	size_t n = progress_nlabs();
	struct progress *p = calloc(n + 1, sizeof *p);
	char *path = progress_path(build_dir);
	if (!p || !path) {
		free(p);
		free(path);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (struct progress){ .last = -1, .best = -1, .max = -1 };
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return p;      /* nothing graded yet (or unreadable: the same to a student) */
	char name[128];
	int last, best, max, hints;
	while (fscanf(f, "%127s %d %d %d %d", name, &last, &best, &max, &hints) == 5) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(labs_all[i]->name, name) == 0)
				p[i] = (struct progress){ last, best, max, hints < 0 ? 0 : hints };
	}
	fclose(f);
	return p;
}

int cli_write_file(const char *path, const char *data, size_t len)
{
	struct outfile of;
	FILE *f = outfile_open(&of, path);
	if (!f)
		return -1;
	bool whole = fwrite(data, 1, len, f) == len;
	int e = errno;
	if (outfile_commit(&of, whole) < 0)
		return -1;
	if (!whole) {
		errno = e ? e : EIO;
		return -1;
	}
	return 0;
}

int progress_save(const char *build_dir, const struct progress *p)
{
	char *path = progress_path(build_dir), *text = NULL;
	size_t len = 0;
	FILE *m = path ? open_memstream(&text, &len) : NULL;
	if (!m) {
		free(path);
		return -1;
	}
	for (size_t i = 0; labs_all[i]; i++)
		if (p[i].max >= 0 || p[i].hints > 0)
			fprintf(m, "%s %d %d %d %d\n", labs_all[i]->name, p[i].last, p[i].best,
				p[i].max, p[i].hints);
	int rc = fclose(m) == EOF ? -1 : 0;
	/* A fresh clone has no build directory before its first build. */
	if (rc == 0 && !getenv("FORKLAB_PROGRESS") &&
	    mkdir(build_dir ? build_dir : "build", 0755) < 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0)
		rc = cli_write_file(path, text, len);
	free(text);
	free(path);
	return rc;
}

int progress_record(const char *build_dir, const struct lab_result *res, size_t n)
{
	struct progress *p = progress_load(build_dir);
	if (!p)
		return -1;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; labs_all[i]; i++) {
			if (labs_all[i] != res[k].lab)
				continue;
			p[i].last = res[k].score;
			p[i].max = res[k].max;
			if (res[k].score > p[i].best)
				p[i].best = res[k].score;
		}
	int rc = progress_save(build_dir, p);
	free(p);
	return rc;
}

bool progress_done(const struct progress *p)
{
	return p->max > 0 && p->best == p->max;
}

size_t progress_next(const struct progress *p)
{
	size_t i = 0;
	while (labs_all[i] && (labs_all[i]->nchecks == 0 || progress_done(&p[i])))
		i++;
	return i;
}
