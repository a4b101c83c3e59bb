/* report_load.c - a report `forklab grade --format json` wrote, read back into a result tree the
 * reporters format: batch grading writes each student's human report from it. The checks and
 * labs come from the JSON (their ids, titles, points, verdicts), not from labs_all[]; the runs'
 * records are not read back. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

struct loaded {
	struct grade_report g;
	struct lab *labs;
	struct lab_result *results;
	size_t nlabs;
	json_t *root;                  /* every string points into it */
};

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int num(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

static bool flag(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

void report_loaded_free(struct grade_report *g)
{
	struct loaded *l = (struct loaded *)g;
	if (!l)
		return;
	for (size_t i = 0; i < l->nlabs; i++) {
		free((void *)l->labs[i].checks);
		free(l->results[i].checks);
	}
	free(l->labs);
	free(l->results);
	json_decref(l->root);
	free(l);
}

struct grade_report *report_load(json_t *root, char *err, size_t errlen)
{
	json_t *labs = json_object_get(root, "labs");
	if (!json_is_object(root) || json_integer_value(json_object_get(root, "forklab")) != 1 ||
	    !json_is_array(labs)) {
		snprintf(err, errlen, "not a report of forklab grade --format json");
		return NULL;
	}
	struct loaded *l = calloc(1, sizeof *l);
	size_t n = json_array_size(labs);
	if (!l || !(l->labs = calloc(n + 1, sizeof *l->labs)) ||
	    !(l->results = calloc(n + 1, sizeof *l->results))) {
		if (l) {
			free(l->labs);
			free(l);
		}
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->root = json_incref(root);
	l->g.labs = l->results;
	l->g.seconds = json_number_value(json_object_get(root, "seconds"));
	for (size_t i = 0; i < n; i++) {
		json_t *lj = json_array_get(labs, i), *checks = json_object_get(lj, "checks");
		size_t nc = json_array_size(checks);
		struct lab *lab = &l->labs[i];
		struct lab_result *lr = &l->results[i];
		struct check *ck = calloc(nc + 1, sizeof *ck);
		lr->checks = calloc(nc + 1, sizeof *lr->checks);
		l->nlabs++;
		if (!ck || !lr->checks) {
			free(ck);
			report_loaded_free(&l->g);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		lab->number = num(lj, "number");
		lab->name = str(lj, "name") ? str(lj, "name") : "?";
		lab->title = str(lj, "title");
		lab->checks = ck;
		lab->nchecks = nc;
		lr->lab = lab;
		lr->built = flag(lj, "built");
		lr->build_log = (char *)str(lj, "build_log");
		lr->score = num(lj, "score");
		lr->max = num(lj, "max");
		lr->seconds = json_number_value(json_object_get(lj, "seconds"));
		lr->nchecks = nc;
		for (size_t k = 0; k < nc; k++) {
			json_t *cj = json_array_get(checks, k);
			ck[k] = (struct check){.id = str(cj, "id") ? str(cj, "id") : "?",
					       .points = num(cj, "points"), .title = str(cj, "title"),
					       .section = str(cj, "section")};
			lr->checks[k] = (struct check_result){
				.check = &ck[k], .passed = flag(cj, "passed"), .score = num(cj, "score"),
				.message = (char *)str(cj, "message"), .error = flag(cj, "error"),
				.hidden = flag(cj, "hidden")};
		}
	}
	l->g.nlabs = l->nlabs;
	return &l->g;
}
