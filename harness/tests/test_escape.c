/* test_escape.c - programs that try to get out of forklab's hold: past its filter, or at
 * forklab itself. Each runs through `forklab run` inside a pid namespace of its own
 * (build/progs/t_pidns), so that whatever escapes ends with the namespace instead of staying
 * on the machine, and t_pidns counts what was still alive once forklab had ended. */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

struct contained {
	int status;        /* forklab's exit status, or 128 + the signal that ended it */
	int survivors;     /* processes alive in the namespace after forklab ended */
	json_t *record;    /* forklab's --format json, or NULL */
	char *out, *err;
};

/* Runs `forklab run --format json --timeout 5 -- build/progs/PROG` contained. */
static void run_contained(struct contained *c, const char *prog)
{
	char *argv[] = { (char *)test_prog("t_pidns"), (char *)test_build_path("forklab"), "run",
			 "--format", "json", "--timeout", "5", "--", (char *)test_prog(prog), NULL };
	int st = test_run_capture(argv, &c->out, &c->err);
	cr_assert(WIFEXITED(st), "t_pidns itself died: %s", c->err);
	c->status = WEXITSTATUS(st);
	cr_assert_neq(c->status, 125, "could not make the namespace: %s", c->err);
	const char *s = strstr(c->err, "survivors: ");
	cr_assert_not_null(s, "t_pidns did not count survivors: %s", c->err);
	c->survivors = atoi(s + strlen("survivors: "));
	json_error_t je;
	c->record = json_loads(c->out, 0, &je);
}

static void contained_free(struct contained *c)
{
	json_decref(c->record);
	free(c->out);
	free(c->err);
}

/* The root's stdout in the record. */
static const char *root_stdout(const struct contained *c)
{
	cr_assert_not_null(c->record, "forklab printed no record (status %d): %s", c->status,
			   c->err);
	const char *s = json_string_value(json_object_get(c->record, "stdout"));
	cr_assert_not_null(s);
	return s;
}

/* A filter with a listener (SECCOMP_RET_USER_NOTIF outranks the tracer's stops) is refused, and
 * nothing outlives the run. */
Test(escape, seccomp_listener_refused, .timeout = 60)
{
	struct contained c;
	run_contained(&c, "bad_seccomp_listener");
	cr_assert_eq(c.survivors, 0, "%d process(es) outlived forklab: %s", c.survivors,
		     c.out);
	const char *out = root_stdout(&c);
	cr_assert(strstr(out, "listener refused: Operation not permitted") != NULL,
		  "the listener filter was installed: %s", out);
	cr_assert_eq(json_integer_value(json_object_get(c.record, "leftover")), 0);
	contained_free(&c);
}

/* Making forklab the owner of a descriptor, with SIGKILL as the signal it gets when the
 * descriptor is ready, is refused in every form; forklab lives to print its record. */
Test(escape, signal_by_descriptor_owner_refused, .timeout = 60)
{
	struct contained c;
	run_contained(&c, "bad_setown");
	cr_assert_lt(c.status, 128, "forklab was killed (status %d): %s", c.status, c.err);
	const char *out = root_stdout(&c);
	const char *calls[] = { "F_SETOWN: ", "F_SETOWN_EX: ", "FIOSETOWN: ", "F_SETSIG: " };
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++) {
		char want[64];
		snprintf(want, sizeof want, "%sOperation not permitted\n", calls[i]);
		cr_assert(strstr(out, want) != NULL, "%s was not refused: %s", calls[i], out);
	}
	cr_assert(strstr(out, "still here\n") != NULL, "%s", out);
	cr_assert_eq(c.survivors, 0);
	contained_free(&c);
}
