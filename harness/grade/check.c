/* check.c - what a check function calls: its scenario's record, and the verdict it gives. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab.h"

/* Stores msg as the verdict unless one is already there (the first verdict wins). */
static void set_message(struct check_ctx *c, char *msg)
{
	if (c->message || !msg) {
		free(msg);
		return;
	}
	c->message = msg;
}

struct run *check_run_full(struct check_ctx *c, const char *scenario_id)
{
	char *msg = NULL;
	for (size_t i = 0; i < c->nruns; i++) {
		struct run *run = &c->runs[i];
		if (!run->sc || !scenario_id || strcmp(run->sc->id, scenario_id) != 0)
			continue;
		if (c->runs_used)
			c->runs_used[i] = 1;
		if (run->rec)
			return run;
		c->run_failed = true;
		if (asprintf(&msg, "the program did not run: %s",
			     run->error ? run->error : "no record") < 0)
			msg = NULL;
		set_message(c, msg);
		return NULL;
	}
	/* A check naming a scenario its lab does not have is a bug in the lab's table. */
	c->run_failed = true;
	if (asprintf(&msg, "forklab: lab %s has no scenario '%s' (a bug in the grader)",
		     c->lab ? c->lab->name : "?", scenario_id ? scenario_id : "(null)") < 0)
		msg = NULL;
	set_message(c, msg);
	return NULL;
}

struct record *check_run(struct check_ctx *c, const char *scenario_id)
{
	struct run *run = check_run_full(c, scenario_id);
	return run ? run->rec : NULL;
}

static void vcheck_fail(struct check_ctx *c, const char *section, const char *fmt, va_list ap)
{
	char *text = NULL, *msg = NULL;

	if (c->message)
		return;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	if (!text)
		return;
	if (section && *section) {
		if (asprintf(&msg, "%s (README: %s)", text, section) < 0)
			msg = NULL;
		free(text);
	} else {
		msg = text;
	}
	set_message(c, msg);
}

int check_fail(struct check_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcheck_fail(c, c->check ? c->check->section : NULL, fmt, ap);
	va_end(ap);
	return CHECK_FAIL;
}

int check_fail_in(struct check_ctx *c, const char *section, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcheck_fail(c, section ? section : c->check ? c->check->section : NULL, fmt, ap);
	va_end(ap);
	return CHECK_FAIL;
}
