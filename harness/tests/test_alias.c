/* test_alias.c - writes that cannot reach the captured stdout or stderr cost no stop, and
 * writes that can are attributed to the process that made them, in order, through every way a
 * program can get a second descriptor on a captured pipe (progs/t_alias.c). On x86_64 the base
 * filter stops only writes to descriptors 1 and 2; a process that made such an alias gets the
 * every-write filter (all_writes_traced), and so do its children. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include "record.h"
#include "seccomp_filter.h"
#include "testutil.h"
#include "trace.h"

static struct record *run(const char *prog, const char *arg)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 20;
	char *argv[] = { (char *)test_prog(prog), (char *)arg, NULL };
	o.argv = argv;
	struct record *r = NULL;
	char err[512] = "";
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), 0, "trace_run: %s", err);
	cr_assert_eq(r->leftover, 0, "processes left behind");
	return r;
}

struct want {
	const char *proc;
	int stream;
	const char *text;
};

/* The record's writes are exactly want[], in order, each by its process and on its stream; the
 * processes named in traced[] have all_writes_traced (on x86_64, where it applies). */
static void expect(const char *mode, const struct want *want, size_t n, const char *const *traced)
{
	struct record *r = run("t_alias", mode);
	cr_assert_eq(r->status, 0, "%s: status %d, stderr %.*s", mode, r->status, (int)r->err.len,
		     r->err.data);
	cr_assert_eq(r->nwrites, n, "%s: %zu writes recorded, want %zu (stdout '%.*s')", mode,
		     r->nwrites, n, (int)r->out.len, r->out.data);
	for (size_t i = 0; i < n; i++) {
		const struct rec_write *w = &r->writes[i];
		const struct rec_buf *b = w->stream == 2 ? &w->proc->err : &w->proc->out;
		cr_assert_str_eq(w->proc->name, want[i].proc, "%s: write %zu by %s", mode, i,
				 w->proc->name);
		cr_assert_eq(w->stream, want[i].stream, "%s: write %zu stream", mode, i);
		cr_assert_eq(w->len, strlen(want[i].text), "%s: write %zu: '%.*s'", mode, i,
			     (int)w->len, b->data + w->off);
		cr_assert_eq(memcmp(b->data + w->off, want[i].text, w->len), 0, "%s: write %zu",
			     mode, i);
	}
#ifdef FILTER_FD_WRITES
	for (size_t i = 0; traced && traced[i]; i++) {
		struct rec_proc *p = record_find(r, traced[i]);
		cr_assert_not_null(p, "%s: no %s", mode, traced[i]);
		cr_assert(p->all_writes_traced, "%s: %s made an alias but its writes were not all "
			  "traced", mode, traced[i]);
	}
#else
	(void)traced;
#endif
	record_free(r);
}

#define EXPECT(mode, traced, ...) \
	expect(mode, (const struct want[]){ __VA_ARGS__ }, \
	       sizeof((const struct want[]){ __VA_ARGS__ }) / sizeof(struct want), traced)

static const char *const just_p[] = { "P", NULL };

Test(alias, dup_dup2_dup3_fcntl, .timeout = 60)
{
	EXPECT("dup", just_p, { "P", 1, "dup\n" });
	EXPECT("dup2", just_p, { "P", 1, "dup2\n" });
	EXPECT("dup3", just_p, { "P", 2, "dup3 to stderr\n" });
	EXPECT("fcntl", just_p, { "P", 1, "fcntl\n" });
}

Test(alias, reopened_through_a_path, .timeout = 60)
{
	EXPECT("devstdout", just_p, { "P", 1, "devstdout\n" });
	EXPECT("procfd", just_p, { "P", 2, "procfd\n" });
	EXPECT("symlink", just_p, { "P", 1, "symlink\n" });
}

Test(alias, received_or_taken_from_a_process, .timeout = 60)
{
	EXPECT("scm", just_p, { "P", 1, "scm\n" });
	EXPECT("pidfd", just_p, { "P", 1, "pidfd\n" });
}

Test(alias, threads_and_shared_descriptor_tables, .timeout = 60)
{
	EXPECT("thread", just_p, { "P", 1, "thread\n" }, { "P", 1, "main\n" });
	EXPECT("clonefiles", ((const char *const[]){ "P", "P.1", NULL }),
	       { "P.1", 1, "clone child\n" }, { "P", 1, "clone parent\n" });
}

Test(alias, across_fork_and_exec_and_in_order, .timeout = 60)
{
	EXPECT("exec", ((const char *const[]){ "P", "P.1", NULL }),
	       { "P.1", 1, "exec\n" }, { "P", 1, "after exec\n" });
	EXPECT("order", ((const char *const[]){ "P", "P.1", NULL }),
	       { "P", 1, "parent\n" }, { "P.1", 1, "child\n" }, { "P", 1, "parent\n" },
	       { "P.1", 1, "child\n" }, { "P", 1, "parent\n" }, { "P.1", 1, "child\n" });
}

Test(alias, copies_into_an_alias, .timeout = 60)
{
	EXPECT("copy", just_p, { "P", 1, "vmsplice\n" }, { "P", 1, "splice\n" },
	       { "P", 1, "sendfile\n" });
}

/* Saving stdout, sending it to /dev/null and putting it back: only what reached the pipe. */
Test(alias, stdout_saved_and_restored, .timeout = 60)
{
	EXPECT("saverestore", just_p, { "P", 1, "restored\n" });
}

/* 1,000,000 one-byte writes to /dev/null and 1,000,000 into the program's own pipe: as many
 * stops as with ten of each (on x86_64), and a handful in all; the record says how many, in
 * the JSON too. */
Test(alias, writes_that_cannot_reach_stdout_cost_no_stop, .timeout = 120)
{
	struct record *few = run("t_quiet", "10");
	struct record *many = run("t_quiet", "1000000");
	cr_assert_eq(many->status, 0);
	cr_assert_str_eq(many->out.data, "done 1000000\n");
	cr_assert_eq(many->nwrites, 1);
	cr_assert_eq(many->writes[0].proc, many->root);
	unsigned long n = many->root->stops;
	cr_assert_gt(n, 0, "stops are counted");
#ifdef FILTER_FD_WRITES
	cr_assert_leq(n, 10, "%lu stops for writes that cannot reach stdout", n);
	cr_assert_eq(n, few->root->stops, "%lu stops for 1,000,000 writes, %lu for 10", n,
		     few->root->stops);
	cr_assert_not(many->root->all_writes_traced);
#else
	cr_assert_geq(n, 2000000, "every write stops on this architecture");
#endif
	char *json = record_to_json(many);
	cr_assert_not_null(json);
	json_error_t e;
	json_t *j = json_loads(json, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	json_t *p0 = json_array_get(json_object_get(j, "processes"), 0);
	cr_assert_eq((unsigned long)json_integer_value(json_object_get(p0, "stops")), n, "%s", json);
	cr_assert(json_is_boolean(json_object_get(p0, "all_writes_traced")));
	json_decref(j);
	free(json);
	record_free(few);
	record_free(many);
}
