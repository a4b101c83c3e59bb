/* where.c - where the labs are, seen from where the student stands: the top of the forklab
 * tree (labs/ beside it), the labs directory itself, or one lab's directory; and a LAB given as
 * a path, as tab completion writes it (labs/01-fork-return/). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The lab whose directory name is exactly the last component of path, or NULL. */
static const struct lab *lab_named(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	for (size_t i = 0; labs_all[i]; i++)
		if (strcmp(labs_all[i]->name, base) == 0)
			return labs_all[i];
	return NULL;
}

/* A LAB argument that is a path rather than a number or a name. */
static bool is_path(const char *spec)
{
	return strchr(spec, '/') || strcmp(spec, ".") == 0 || strcmp(spec, "..") == 0;
}

/* The directory part of path, without trailing slashes ("." when none); malloc'd. */
static char *parent_of(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return NULL;
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	char *slash = strrchr(p, '/');
	if (!slash) {
		free(p);
		return strdup(".");
	}
	if (slash == p)
		slash[1] = '\0';
	else
		*slash = '\0';
	return p;
}

void labs_place_free(struct labs_place *w)
{
	free(w->labs_dir);
	free(w->build_dir);
	for (int i = 0; i < w->nspecs; i++)
		free(w->specs[i]);
	free(w->specs);
	memset(w, 0, sizeof *w);
}

/* A lab path: "labs/01-fork-return", "." inside a lab, "../02-getpid-pitfall". Sets *lab and
 * *parent (malloc'd), or says why not. */
static int lab_from_path(const char *spec, const struct lab **lab, char **parent)
{
	char real[PATH_MAX];
	if (!realpath(spec, real)) {
		fprintf(stderr, "forklab: no lab directory '%s': %s\n", spec, strerror(errno));
		return -1;
	}
	if (!is_dir(real)) {
		fprintf(stderr, "forklab: '%s' is not a directory (name a lab's directory, or its "
				"number)\n", spec);
		return -1;
	}
	*lab = lab_named(real);
	if (!*lab) {
		fprintf(stderr, "forklab: '%s' is not a lab's directory (a lab's directory is named "
				"like 01-fork-return)\n", spec);
		return -1;
	}
	/* Relative paths stay relative (messages then name files as the student typed them). */
	*parent = spec[0] == '/' || strcmp(spec, ".") == 0 || strncmp(spec, "..", 2) == 0 ?
		  parent_of(real) : parent_of(spec);
	return *parent ? 0 : -1;
}

int labs_place_find(bool labs_given, const char *labs_dir, char *const *specs, int nspecs,
		    struct labs_place *w)
{
	memset(w, 0, sizeof *w);
	w->specs = calloc((size_t)nspecs + 1, sizeof *w->specs);
	if (!w->specs)
		goto nomem;
	char *from_paths = NULL;
	for (int i = 0; i < nspecs; i++) {
		const struct lab *lab = NULL;
		char *parent = NULL;
		if (!is_path(specs[i])) {
			w->specs[w->nspecs++] = strdup(specs[i]);
			if (!w->specs[w->nspecs - 1])
				goto nomem;
			continue;
		}
		if (lab_from_path(specs[i], &lab, &parent) < 0) {
			labs_place_free(w);
			free(from_paths);
			return -1;
		}
		if (from_paths && strcmp(from_paths, parent) != 0) {
			fprintf(stderr, "forklab: the labs named by path are in different directories "
					"(%s, %s): grade them one directory at a time\n",
				from_paths, parent);
			free(parent);
			free(from_paths);
			labs_place_free(w);
			return -1;
		}
		free(from_paths);
		from_paths = parent;
		w->specs[w->nspecs++] = strdup(lab->name);
		if (!w->specs[w->nspecs - 1])
			goto nomem;
	}
	char cwd[PATH_MAX];
	if (labs_given) {
		w->labs_dir = strdup(labs_dir);
	} else if (from_paths) {
		w->labs_dir = from_paths;
		from_paths = NULL;
	} else if (is_dir(labs_dir)) {
		w->labs_dir = strdup(labs_dir);
	} else if (getcwd(cwd, sizeof cwd) && lab_named(cwd)) {
		/* Inside a lab's directory: its labs are the parent, and without LAB it is this lab. */
		w->labs_dir = parent_of(cwd);
		if (nspecs == 0)
			w->here = lab_named(cwd);
	} else if (labs_all[0] && is_dir(labs_all[0]->name)) {
		w->labs_dir = strdup(".");      /* in the labs directory itself */
		if (!w->labs_dir)
			goto nomem;
	}
	free(from_paths);
	if (!w->labs_dir && !labs_given) {
		fprintf(stderr, "forklab: grade: no labs directory here (run from the top of the "
				"forklab tree or inside a lab's directory, or give --labs DIR)\n");
		labs_place_free(w);
		return -1;
	}
	if (!w->labs_dir)
		goto nomem;
	/* The build directory is the one at the top of the tree that holds the labs, as `make
	 * grade` uses: beside labs/, whichever directory the student is in. */
	if (!labs_given && strcmp(w->labs_dir, labs_dir) != 0) {
		char real[PATH_MAX];
		if (!realpath(w->labs_dir, real))
			goto nomem;
		char *top = parent_of(real);
		if (!top || asprintf(&w->build_dir, "%s/build", top) < 0) {
			free(top);
			w->build_dir = NULL;
			goto nomem;
		}
		free(top);
	}
	return 0;
nomem:
	fprintf(stderr, "forklab: out of memory\n");
	labs_place_free(w);
	return -1;
}
