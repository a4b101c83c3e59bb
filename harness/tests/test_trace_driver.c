/* test_trace_driver.c - the driver API: a thread that waits for the program's output lines as
 * they come, signals it, and runs a helper program outside the traced tree. */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "record.h"
#include "testutil.h"
#include "trace.h"

struct drive {
	char ready[128];
	int wait_rc, signal_rc, helper_rc, helper_status, never_rc;
	char helper_out[64];
	double waited_ms;
};

/* Waits for "ready", runs echo as a helper, then asks the program to stop with SIGTERM. */
static int drive_ready(struct trace_ctl *c, void *arg)
{
	struct drive *d = arg;
	d->wait_rc = trace_ctl_wait_line(c, 1, "ready", 3, d->ready, sizeof(d->ready));
	int p[2];
	if (pipe(p) == 0) {
		pid_t pid = trace_ctl_spawn(c, (char *const[]){ "echo", "helper", NULL }, p[1]);
		close(p[1]);
		d->helper_rc = pid > 0 ? trace_ctl_wait_helper(c, pid, 3, &d->helper_status) : -2;
		ssize_t n = read(p[0], d->helper_out, sizeof(d->helper_out) - 1);
		d->helper_out[n > 0 ? n : 0] = '\0';
		close(p[0]);
	}
	d->signal_rc = trace_ctl_signal_root(c, SIGTERM);
	/* A line that never comes: fails once the run is over, not at its 3 s timeout. */
	d->never_rc = trace_ctl_wait_line(c, 1, "never printed", 3, NULL, 0);
	d->waited_ms = trace_ctl_now_ms(c);
	return 0;
}

Test(driver, waits_for_a_line_signals_and_spawns, .timeout = 30)
{
	struct drive d = { .helper_rc = -3 };
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 5;
	o.argv = (char *const[]){ (char *)test_prog("t_ready"), NULL };
	o.driver = drive_ready;
	o.driver_arg = &d;
	struct record *r = NULL;
	char err[256];
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(d.wait_rc, 0);
	char want[64];
	snprintf(want, sizeof(want), "ready %d", (int)r->root_pid);
	cr_assert_str_eq(d.ready, want);
	cr_assert_eq(d.helper_rc, 0);
	cr_assert(WIFEXITED(d.helper_status) && WEXITSTATUS(d.helper_status) == 0);
	cr_assert_str_eq(d.helper_out, "helper\n");
	cr_assert_eq(d.signal_rc, 0);
	cr_assert_eq(d.never_rc, -1);
	cr_assert_eq(r->outcome, OUT_EXITED);
	cr_assert_eq(r->status, 0);
	cr_assert(strstr(r->out.data, "bye\n"), "%s", r->out.data);
	cr_assert_eq(r->nprocs, 1, "the helper is not part of the traced tree");
	cr_assert_eq(r->leftover, 0);
	record_free(r);
}

static int drive_forever(struct trace_ctl *c, void *arg)
{
	(void)arg;
	/* Does not signal: the run ends at the timeout, which must make this call fail fast. */
	while (trace_ctl_wait_line(c, 1, "never", 10, NULL, 0) == 0)
		;
	return 0;
}

Test(driver, timeout_ends_a_stuck_driver, .timeout = 30)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 1;
	o.argv = (char *const[]){ (char *)test_prog("t_ready"), NULL };
	o.driver = drive_forever;
	struct record *r = NULL;
	char err[256];
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r->outcome, OUT_TIMEOUT);
	cr_assert_eq(r->leftover, 0);
	record_free(r);
}
