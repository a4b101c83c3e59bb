/* gradebook.c - a class's reports as one CSV gradebook: a row per student, a column per check
 * and per lab, the total, the maximum and a note (why a submission could not be graded, a lab
 * that did not build, a run forklab had to stop). `forklab gradebook DIR` merges the JSON
 * reports in DIR; batch grading (cmd_batch.c) writes its gradebook with the same code. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"
#include "report.h"

static int add_col(char ***cols, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*cols)[i], name) == 0)
			return 0;
	char **more = realloc(*cols, (*n + 1) * sizeof *more);
	char *copy = strdup(name);
	if (!more || !copy) {
		free(copy);
		if (more)
			*cols = more;
		return -1;
	}
	*cols = more;
	(*cols)[(*n)++] = copy;
	return 0;
}

/* A check's column: "01-fork-return/one-fork". */
static int add_check_col(struct gb_cols *c, const char *lab, const char *check)
{
	char *name = NULL;
	if (asprintf(&name, "%s/%s", lab, check) < 0)
		return -1;
	int rc = add_col(&c->check, &c->ncheck, name);
	free(name);
	return rc;
}

int gb_cols_add_lab(struct gb_cols *c, const struct lab *lab)
{
	if (add_col(&c->lab, &c->nlab, lab->name) < 0)
		return -1;
	for (size_t i = 0; i < lab->nchecks; i++)
		if (add_check_col(c, lab->name, lab->checks[i].id) < 0)
			return -1;
	return 0;
}

int gb_cols_add_report(struct gb_cols *c, json_t *report)
{
	json_t *labs = json_object_get(report, "labs");
	for (size_t i = 0; i < json_array_size(labs); i++) {
		json_t *lab = json_array_get(labs, i), *checks = json_object_get(lab, "checks");
		const char *name = json_string_value(json_object_get(lab, "name"));
		if (!name)
			continue;
		if (add_col(&c->lab, &c->nlab, name) < 0)
			return -1;
		for (size_t k = 0; k < json_array_size(checks); k++) {
			const char *id = json_string_value(
				json_object_get(json_array_get(checks, k), "id"));
			if (id && add_check_col(c, name, id) < 0)
				return -1;
		}
	}
	return 0;
}

void gb_cols_free(struct gb_cols *c)
{
	for (size_t i = 0; i < c->nlab; i++)
		free(c->lab[i]);
	for (size_t i = 0; i < c->ncheck; i++)
		free(c->check[i]);
	free(c->lab);
	free(c->check);
	memset(c, 0, sizeof *c);
}

/* One CSV field: quoted when it must be, and a leading = + - @ defused (a spreadsheet would
 * take it for a formula: a folder name is the student's choice). */
static void field(FILE *out, const char *s)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s && strchr("=+-@", *s));
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (*s && strchr("=+-@", *s))
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static json_t *find_lab(json_t *report, const char *name)
{
	json_t *labs = json_object_get(report, "labs");
	for (size_t i = 0; i < json_array_size(labs); i++) {
		json_t *lab = json_array_get(labs, i);
		const char *n = json_string_value(json_object_get(lab, "name"));
		if (n && strcmp(n, name) == 0)
			return lab;
	}
	return NULL;
}

/* The score of "lab/check" in report, or NULL. */
static json_t *check_score(json_t *report, const char *col)
{
	const char *slash = strchr(col, '/');
	char *lab = slash ? strndup(col, (size_t)(slash - col)) : NULL;
	json_t *lj = lab ? find_lab(report, lab) : NULL, *checks = json_object_get(lj, "checks");
	free(lab);
	for (size_t i = 0; lj && i < json_array_size(checks); i++) {
		json_t *c = json_array_get(checks, i);
		const char *id = json_string_value(json_object_get(c, "id"));
		if (id && strcmp(id, slash + 1) == 0)
			return json_object_get(c, "score");
	}
	return NULL;
}

static void number_field(FILE *out, json_t *n)
{
	if (json_is_integer(n))
		fprintf(out, "%lld", (long long)json_integer_value(n));
}

char *gb_report_note(json_t *report)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return NULL;
	json_t *labs = json_object_get(report, "labs");
	const char *sep = "";
	for (size_t i = 0; i < json_array_size(labs); i++) {
		json_t *lab = json_array_get(labs, i), *runs = json_object_get(lab, "runs");
		const char *name = json_string_value(json_object_get(lab, "name"));
		if (json_array_size(json_object_get(lab, "checks")) &&
		    json_is_false(json_object_get(lab, "built"))) {
			fprintf(m, "%s%s did not build", sep, name ? name : "?");
			sep = "; ";
			continue;
		}
		for (size_t k = 0; k < json_array_size(runs); k++) {
			json_t *run = json_array_get(runs, k);
			const char *outcome = json_string_value(
				json_object_get(json_object_get(run, "record"), "outcome"));
			if (outcome && strcmp(outcome, "exited") && strcmp(outcome, "signaled")) {
				fprintf(m, "%s%s: scenario %s stopped (%s)", sep, name ? name : "?",
					json_string_value(json_object_get(run, "scenario")), outcome);
				sep = "; ";
			}
		}
	}
	if (fclose(m) == EOF) {
		free(s);
		return NULL;
	}
	return s;
}

int gb_write(FILE *out, const struct gb_cols *c, const struct gb_row *rows, size_t n)
{
	fputs("student", out);
	for (size_t i = 0; i < c->ncheck; i++) {
		fputc(',', out);
		field(out, c->check[i]);
	}
	for (size_t i = 0; i < c->nlab; i++) {
		fputc(',', out);
		field(out, c->lab[i]);
	}
	fputs(",total,max,note\n", out);
	for (size_t r = 0; r < n; r++) {
		json_t *rep = rows[r].report;
		field(out, rows[r].student);
		for (size_t i = 0; i < c->ncheck; i++) {
			fputc(',', out);
			number_field(out, rep ? check_score(rep, c->check[i]) : NULL);
		}
		for (size_t i = 0; i < c->nlab; i++) {
			fputc(',', out);
			number_field(out, json_object_get(find_lab(rep, c->lab[i]), "score"));
		}
		fputc(',', out);
		if (rep)
			number_field(out, json_object_get(rep, "score"));
		else
			fputc('0', out);
		fputc(',', out);
		number_field(out, json_object_get(rep, "max"));
		fputc(',', out);
		char *note = rows[r].note ? NULL : rep ? gb_report_note(rep) : NULL;
		field(out, rows[r].note ? rows[r].note : note);
		free(note);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

int gb_write_file(const char *path, const struct gb_cols *c, const struct gb_row *rows,
		  size_t n)
{
	char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmp%d", path, (int)getpid()) < 0)
		return -1;
	FILE *f = fopen(tmp, "w");
	int rc = f ? gb_write(f, c, rows, n) : -1;
	if (f && fclose(f) == EOF)
		rc = -1;
	int saved = errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	else
		saved = errno;
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

/* ---- forklab gradebook DIR ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab gradebook [--output FILE] DIR\n"
		"\n"
		"Merges the reports of `forklab grade --format json` in DIR into one CSV\n"
		"gradebook: DIR/NAME/report.json (as forklab grade --batch writes them) or\n"
		"DIR/NAME.json (one per student, e.g. fetched from each student's CI run). A row\n"
		"per student (NAME), a column per check (LAB/CHECK) and per lab, then total, max\n"
		"and a note: a lab that did not build, a run forklab had to stop.\n"
		"\n"
		"options:\n"
		"  --output FILE  write the CSV to FILE (whole, then renamed) instead of stdout\n"
		"  --help         this text\n"
		"\n"
		"exit status: 0 the gradebook was written; 2 it could not be (one line says why:\n"
		"no DIR, a file that is not a forklab JSON report).\n");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct gb_row *)a)->student, ((const struct gb_row *)b)->student);
}

int cmd_gradebook(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			fprintf(stderr, "forklab: gradebook: bad option '%s' (try: forklab gradebook "
				"--help)\n", argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "forklab: gradebook: name one directory (try: forklab gradebook "
			"--help)\n");
		return 2;
	}
	const char *dir = argv[optind];
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "forklab: gradebook: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	struct gb_row *rows = NULL;
	size_t n = 0;
	struct gb_cols cols = {0};
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = NULL, *name = strdup(e->d_name);
		size_t len = name ? strlen(name) : 0;
		struct stat st;
		if (!name || asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
			free(name);
			rc = -1;
			break;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(path);
			path = NULL;
			if (asprintf(&path, "%s/%s/report.json", dir, e->d_name) < 0)
				path = NULL;
			if (path && access(path, F_OK) < 0) {
				free(path);
				free(name);
				continue;   /* a folder without a report: not a student's */
			}
		} else if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
			name[len - 5] = '\0';
		} else {
			free(path);
			free(name);
			continue;
		}
		json_error_t je;
		json_t *rep = path ? json_load_file(path, 0, &je) : NULL;
		char err[256];
		struct grade_report *g = rep ? report_load(rep, err, sizeof err) : NULL;
		if (!g) {
			fprintf(stderr, "forklab: gradebook: %s: %s\n", path ? path : dir,
				rep ? err : je.text);
			json_decref(rep);
			free(path);
			free(name);
			rc = 2;
			break;
		}
		report_loaded_free(g);
		free(path);
		struct gb_row *more = realloc(rows, (n + 1) * sizeof *more);
		if (!more || gb_cols_add_report(&cols, rep) < 0) {
			if (more)
				rows = more;
			json_decref(rep);
			free(name);
			rc = -1;
			break;
		}
		rows = more;
		rows[n++] = (struct gb_row){.student = name, .report = rep};
	}
	closedir(d);
	if (rc == 0 && n == 0) {
		fprintf(stderr, "forklab: gradebook: %s holds no report (NAME/report.json or "
			"NAME.json)\n", dir);
		rc = 2;
	}
	if (rc == 0) {
		qsort(rows, n, sizeof *rows, by_name);
		if (output ? gb_write_file(output, &cols, rows, n) < 0
			   : gb_write(stdout, &cols, rows, n) < 0 || fflush(stdout) == EOF) {
			fprintf(stderr, "forklab: gradebook: cannot write %s: %s\n",
				output ? output : "the gradebook", strerror(errno));
			rc = 2;
		}
	} else if (rc < 0) {
		fprintf(stderr, "forklab: gradebook: out of memory\n");
		rc = 2;
	}
	for (size_t i = 0; i < n; i++) {
		free((char *)rows[i].student);
		json_decref(rows[i].report);
	}
	free(rows);
	gb_cols_free(&cols);
	return rc;
}
