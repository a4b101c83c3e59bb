/* lab12.c - lab 12-cow: a child writes into PERCENT of the MIB MiB it shares with its parent.
 * Judged on the child's own figures (the pages it wrote, the faults it counted) against what
 * the tracer read of its memory at its exit (Private_Dirty: the pages it owns alone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "lab.h"
#include "query.h"

static const char *const args_64_50[] = { "64", "50", NULL };
static const char *const args_16_100[] = { "16", "100", NULL };
static const char *const args_64_0[] = { "64", "0", NULL };
static const char *const args_8_33[] = { "8", "33", NULL };
static const char *const args_zero[] = { "0", "50", NULL };
static const char *const args_big[] = { "257", "10", NULL };
static const char *const args_pct[] = { "8", "101", NULL };
static const char *const args_one[] = { "8", NULL };
static const char *const args_word[] = { "8x", "10", NULL };

static const struct scenario scenarios[] = {
	{ .id = "64-50", .args = args_64_50, .timeout_s = 20, .max_procs = 8,
	  .mem_at_exit = true },
	{ .id = "16-100", .args = args_16_100, .timeout_s = 20, .max_procs = 8,
	  .mem_at_exit = true },
	{ .id = "64-0", .args = args_64_0, .timeout_s = 20, .max_procs = 8,
	  .mem_at_exit = true },
	{ .id = "8-33", .args = args_8_33, .timeout_s = 20, .max_procs = 8,
	  .mem_at_exit = true },
	{ .id = "usage-zero", .args = args_zero, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-257", .args = args_big, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-101", .args = args_pct, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-one", .args = args_one, .timeout_s = 2, .max_procs = 4 },
	{ .id = "usage-word", .args = args_word, .timeout_s = 2, .max_procs = 4 },
};

static const struct { const char *id; const char *shown; long mib, percent; } sized[] = {
	{ "64-50", "\"cow 64 50\"", 64, 50 },
	{ "16-100", "\"cow 16 100\"", 16, 100 },
	{ "64-0", "\"cow 64 0\"", 64, 0 },
	{ "8-33", "\"cow 8 33\"", 8, 33 },
};
#define NSIZED (sizeof sized / sizeof sized[0])

/* What the child said: its line's two numbers. */
struct said {
	const struct rec_proc *child;
	long pages, faults;
};

/* The pages the child must write: floor(MIB * 256 * PERCENT / 100). */
static long want_pages(size_t s)
{
	return sized[s].mib * 256 * sized[s].percent / 100;
}

/* Finds P's one child and the numbers on its line. Fails the check (CHECK_FAIL) when there is
 * no child or no well-formed line. */
static int child_said(struct check_ctx *c, const struct record *r, size_t s, struct said *out)
{
	char **lines;
	bool unterminated;

	if (r->root->nchildren == 0)
		return check_fail(c, "with %s expected P to fork a child; it forked none",
				  sized[s].shown);
	out->child = r->root->children[0];
	size_t n = q_lines(out->child, 1, &lines, &unterminated);
	bool ok = false;
	for (size_t k = 0; k < n && !ok; k++) {
		int used = 0;
		ok = sscanf(lines[k], "child: wrote %ld pages, minor faults %ld%n", &out->pages,
			    &out->faults, &used) == 2 && lines[k][used] == '\0';
	}
	q_lines_free(lines, n);
	if (!ok)
		return check_fail(c, "with %s expected %s to print \"child: wrote <pages> pages, "
				  "minor faults <faults>\"; it did not", sized[s].shown,
				  q_label(out->child));
	return CHECK_PASS;
}

/* The child's private dirty memory at its exit, or a failed check when the tracer has none. */
static int child_dirty(struct check_ctx *c, const struct said *said, size_t s, long long *kib)
{
	*kib = said->child->private_dirty_kib;
	if (*kib < 0)
		return check_fail(c, "with %s forklab could not read %s's memory as it ended (did "
				  "it end by itself, with exit()?)", sized[s].shown,
				  q_label(said->child));
	return CHECK_PASS;
}

static int check_child_line(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct said said;
		if (!r || child_said(c, r, s, &said))
			return CHECK_FAIL;
		if (said.pages != want_pages(s))
			return check_fail(c, "with %s expected the child to write %ld pages (%ld MiB "
					  "is %ld pages of 4 KiB, and %ld%% of that rounded down); it "
					  "says %ld. Multiply before dividing: MIB * 256 * PERCENT / 100 "
					  "in integers", sized[s].shown, want_pages(s), sized[s].mib,
					  sized[s].mib * 256, sized[s].percent, said.pages);
	}
	return CHECK_PASS;
}

static int check_faults(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct said said;
		if (!r || child_said(c, r, s, &said))
			return CHECK_FAIL;
		long lo = said.pages, hi = said.pages + said.pages / 10 + 64;
		if (said.faults >= lo && said.faults <= hi)
			continue;
		long long kib = said.child->private_dirty_kib;
		if (said.faults < lo && kib >= 0 && kib < said.pages * 4)
			return check_fail(c, "with %s, %s says it wrote %ld pages and took %ld minor "
					  "faults, but it ended owning only %lld KiB of memory of its "
					  "own: it did not write into %ld different pages. Write one "
					  "byte at the start of each page (buf + p * 4096)",
					  sized[s].shown, q_label(said.child), said.pages,
					  said.faults, kib, said.pages);
		if (said.faults < lo)
			return check_fail(c, "with %s, %s says it took %ld minor faults writing %ld "
					  "pages; expected from %ld to %ld. The first write to each "
					  "page still shared with P faults once (the kernel copies the "
					  "page): count them with getrusage(RUSAGE_SELF) just before and "
					  "just after the writes", sized[s].shown, q_label(said.child),
					  said.faults, said.pages, lo, hi);
		return check_fail(c, "with %s, %s says it took %ld minor faults writing %ld pages; "
				  "expected at most %ld. Each fault copied a page: it wrote into "
				  "more pages than it was asked to", sized[s].shown,
				  q_label(said.child), said.faults, said.pages, hi);
	}
	return CHECK_PASS;
}

static int check_copied(struct check_ctx *c)
{
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		struct said said;
		long long kib;
		if (!r || child_said(c, r, s, &said) || child_dirty(c, &said, s, &kib))
			return CHECK_FAIL;
		long long lo = (long long)said.faults * 4, hi = lo + 1024;
		if (kib >= lo && kib <= hi)
			continue;
		return check_fail(c, "with %s, %s reported %ld minor faults, so it should own from "
				  "%lld to %lld KiB of memory alone (4 KiB per copied page, and up to "
				  "1 MiB of its own stack and buffers); forklab measured %lld KiB "
				  "(Private_Dirty) as it ended. Its fault count does not describe "
				  "its own writes: measure this process (RUSAGE_SELF), around the "
				  "writes only", sized[s].shown, q_label(said.child), said.faults, lo,
				  hi, kib);
	}
	return CHECK_PASS;
}

static int check_shared_at_zero(struct check_ctx *c)
{
	size_t s = 2;   /* "64-0" */
	struct record *r = check_run(c, sized[s].id);
	struct said said;
	long long kib;
	if (!r || child_said(c, r, s, &said) || child_dirty(c, &said, s, &kib))
		return CHECK_FAIL;
	if (kib > 1024)
		return check_fail(c, "with %s the child should write nothing and share all %ld MiB "
				  "with P; forklab measured %lld KiB of memory %s owned alone as it "
				  "ended (Private_Dirty), more than 1 MiB. Write only the first "
				  "`pages` pages: any other write copies a page", sized[s].shown,
				  sized[s].mib, kib, q_label(said.child));
	return CHECK_PASS;
}

static int check_parent(struct check_ctx *c)
{
	static const char *const want = "parent: data unchanged";
	for (size_t s = 0; s < NSIZED; s++) {
		struct record *r = check_run(c, sized[s].id);
		if (!r)
			return CHECK_FAIL;
		const char *problem = q_run_problem(r);
		if (problem)
			return check_fail(c, "with %s the run did not finish by itself: %s",
					  sized[s].shown, problem);
		if (r->root->nchildren != 1)
			return check_fail(c, "with %s expected P to fork exactly one child; it forked "
					  "%zu", sized[s].shown, r->root->nchildren);
		const struct rec_proc *child = r->root->children[0];
		if (child->nchildren)
			return check_fail(c, "with %s expected the child to fork nothing; %s forked "
					  "%s", sized[s].shown, q_label(child),
					  q_label(child->children[0]));
		if (!q_reaped_by_parent(child) || q_status(child) != 0)
			return check_fail(c, "with %s expected P to reap %s, which exits 0; it ended "
					  "with %d and was %s", sized[s].shown, q_label(child),
					  q_status(child),
					  q_reaped_by_parent(child) ? "reaped by P" : "not reaped by P");
		char **lines;
		bool unterminated;
		size_t n = q_lines(r->root, 1, &lines, &unterminated);
		bool ok = n == 1 && strcmp(lines[0], want) == 0 && !unterminated;
		q_lines_free(lines, n);
		if (!ok || q_status(r->root) != 0)
			return check_fail(c, "with %s expected P to print only \"%s\" and exit 0; it "
					  "printed %zu lines and ended with %d", sized[s].shown, want, n,
					  q_status(r->root));
	}
	return CHECK_PASS;
}

static int check_usage(struct check_ctx *c)
{
	static const char *const ids[] = { "usage-zero", "usage-257", "usage-101", "usage-one",
					   "usage-word" };
	static const char *const shown[] = { "\"0 50\"", "\"257 10\"", "\"8 101\"", "\"8\"",
					     "\"8x 10\"" };
	return common_check_usage(c, ids, shown, sizeof ids / sizeof ids[0]);
}

static const struct check checks[] = {
	{ "child-line", 1, "the child writes floor(MIB * 256 * PERCENT / 100) pages and says so",
	  check_child_line, "Task" },
	{ "faults", 3, "the child's minor faults: from pages to pages * 1.1 + 64", check_faults,
	  "Counting the copies" },
	{ "copied", 2, "the child's own memory at exit matches its faults (4 KiB each, + 1 MiB)",
	  check_copied, "Counting the copies" },
	{ "shared-at-zero", 2, "with PERCENT 0 the child copies at most 1 MiB",
	  check_shared_at_zero, "Copy-on-write" },
	{ "parent", 1, "P reaps its one child and prints \"parent: data unchanged\"",
	  check_parent, "Task" },
	{ "usage", 1, "MIB outside 1..256, PERCENT outside 0..100, or not two numbers: usage, "
	  "exit 2", check_usage, "Task" },
};

static const char *const sources[] = { "cow.c", NULL };

/* For `forklab hint`: from the idea to the detail, never the solution. */
static const char *const hints[] = {
	"After fork() parent and child share every page until one of them writes it; the first "
	"write to a shared page makes the writer's own copy, a minor page fault.",
	"Write one byte into each of the pages you must touch: a page is 4096 bytes, so step "
	"through the buffer 4096 bytes at a time, not byte by byte.",
	"getrusage(RUSAGE_SELF) in the child, before and after the writes: ru_minflt counts the "
	"faults; the difference is what the copies cost.",
	NULL,
};

const struct lab lab12 = {
	.number = 12,
	.name = "12-cow",
	.title = "Copy-on-write",
	.program = "cow",
	.sources = sources,
	.scenarios = scenarios,
	.nscenarios = sizeof scenarios / sizeof scenarios[0],
	.checks = checks,
	.nchecks = sizeof checks / sizeof checks[0],
	.hints = hints,
};
