/* test_pictures.c - the pictures of a run (record_pic.h: the HTML page and the DOT graph) and the
 * grade report made of them: one lane per process, a zombie span exactly where the record has
 * one, hostile strings kept as text (xmllint, Graphviz's dot), large runs folded and still
 * quick, the processes a verdict names highlighted, and pages rendered by a real browser
 * (headless Chromium), whose screenshots are kept in <build>/pictures/. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "record.h"
#include "record_build.h"
#include "record_pic.h"
#include "report.h"
#include "test_grade_fixture.h"
#include "testutil.h"
#include "trace.h"

TestSuite(pictures);

/* ---- helpers ---- */

/* What fn (record_html_page or record_to_dot) writes for r, as a string. */
static char *written(const struct record *r, int (*fn)(const struct record *, FILE *))
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	cr_assert_not_null(m);
	cr_assert_eq(fn(r, m), 0);
	cr_assert_eq(fclose(m), 0);
	cr_assert_eq(strlen(s), len, "a NUL byte in the output");
	return s;
}

static char *page_of(const struct record *r)
{
	return written(r, record_html_page);
}

static char *dot_of(const struct record *r)
{
	return written(r, record_to_dot);
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Lanes of processes in the markup, highlighted or not. */
static size_t count_lanes(const char *html)
{
	return count_str(html, "<g class=\"lane\"") + count_str(html, "<g class=\"lane hl\"");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The markup of lane i (process r->procs[i]) of the picture with id prefix id, malloc'd. */
static char *lane_markup(const char *html, const char *id, size_t i)
{
	char key[96];
	snprintf(key, sizeof(key), "id=\"%s-l-%zu\"", id, i);
	const char *at = strstr(html, key);
	cr_assert_not_null(at, "no lane %s", key);
	const char *start = at;
	while (start > html && strncmp(start, "<g ", 3) != 0)
		start--;
	const char *end = strstr(at, "</g>");
	cr_assert_not_null(end);
	return strndup(start, (size_t)(end - start));
}

static void assert_wellformed(const char *markup)
{
	int st;
	char *out = test_pipe_through("xmllint --noout", markup, &st);
	cr_assert_eq(st, 0, "xmllint: %s", out);
	free(out);
}

/* An XPath count over the page (its elements are in the XHTML and SVG namespaces). */
static long xpath_count(const char *markup, const char *expr)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "xmllint --xpath 'count(%s)'", expr);
	int st;
	char *out = test_pipe_through(cmd, markup, &st);
	cr_assert_eq(st, 0, "xmllint: %s", out);
	long n = strtol(out, NULL, 10);
	free(out);
	return n;
}

#define LANES "//*[local-name()=\"g\"][contains(concat(\" \",@class,\" \"),\" lane \")]"

/* The sum of the data-procs of the folded lanes. */
static size_t folded_procs(const char *html)
{
	size_t sum = 0;
	for (const char *p = strstr(html, "<g class=\"fold\""); p;
	     p = strstr(p + 1, "<g class=\"fold\"")) {
		const char *d = strstr(p, "data-procs=\"");
		cr_assert_not_null(d);
		sum += strtoul(d + 12, NULL, 10);
	}
	return sum;
}

/* Whether the record says p was a zombie for a while: ended, and reaped later or never. */
static bool has_zombie_span(const struct record *r, const struct rec_proc *p)
{
	if (!p->exited)
		return false;
	double end = p->reaped_by ? p->reaped_ms : (r->duration_ms > p->exited_ms ?
						    r->duration_ms : p->exited_ms);
	return end > p->exited_ms;
}

/* Every lane against the record: one per process, a zombie rect iff a zombie span. */
static void assert_lanes_match(const struct record *r, const char *html)
{
	cr_assert_eq(count_str(html, "<g class=\"lane\""), r->nprocs);
	cr_assert_eq(xpath_count(html, LANES), (long)r->nprocs);
	for (size_t i = 0; i < r->nprocs; i++) {
		char *lane = lane_markup(html, "run", i);
		bool rect = strstr(lane, "<rect class=\"zombie") != NULL;
		cr_assert_eq(rect, has_zombie_span(r, r->procs[i]),
			     "%s: zombie rect %d, zombie span in the record %d", r->procs[i]->name,
			     rect, has_zombie_span(r, r->procs[i]));
		free(lane);
	}
}

static struct record *trace(char *const *argv, int max_procs)
{
	struct trace_opts o;
	trace_opts_init(&o);
	o.timeout_s = 20;
	if (max_procs)
		o.max_procs = max_procs;
	o.argv = argv;
	struct record *r = NULL;
	char err[512] = "";
	cr_assert_eq(trace_run(&o, &r, err, sizeof(err)), 0, "trace_run: %s", err);
	cr_assert_eq(r->leftover, 0);
	return r;
}

/* ---- hand-made records ---- */

/* P forks P.1 (which forks P.1.1), P.2 (execs echo, exits 1, never reaped) and P.3 (orphaned,
 * adopted by forklab). P.1.1 is reaped the moment it exits: no zombie span. */
static struct record *mixed_record(void)
{
	struct fx f;
	struct rec_proc *p = fx_new(&f, 100);
	fx_exec(&f, p, "/bin/prog", "x");
	struct rec_proc *c1 = fx_fork(&f, p, 101);
	struct rec_proc *c2 = fx_fork(&f, p, 102);
	struct rec_proc *c3 = fx_fork(&f, p, 103);
	struct rec_proc *g1 = fx_fork(&f, c1, 104);
	fx_exec(&f, c2, "/bin/echo", "hi");
	fx_write(&f, c1, 1, "child one\n");
	fx_write(&f, c2, 2, "oops\n");
	fx_exit(&f, g1, 0, 0);
	fx_reap(&f, g1, c1);
	g1->reaped_ms = g1->exited_ms;
	fx_exit(&f, c1, 0, 0);
	fx_reap(&f, c1, p);
	fx_exit(&f, c2, 1, 0);
	fx_exit(&f, p, 0, 0);
	fx_reap(&f, p, NULL);
	p->reaped_ms = p->exited_ms;
	c3->orphaned = true;
	c3->adopted_by = REC_FORKLAB;
	c3->orphaned_ms = p->exited_ms;
	fx_exit(&f, c3, 0, SIGTERM);
	fx_reap(&f, c3, NULL);
	f.r->duration_ms = f.ms + 1;
	return f.r;
}

Test(pictures, a_lane_per_process_and_a_zombie_rect_iff_a_zombie_span)
{
	struct record *r = mixed_record();
	char *html = page_of(r);
	assert_wellformed(html);
	assert_lanes_match(r, html);
	/* What each lane shows. */
	char *c2 = lane_markup(html, "run", 2);
	cr_assert_not_null(strstr(c2, "class=\"zombie unreaped\""), "P.2 was never reaped");
	cr_assert_not_null(strstr(c2, "<path class=\"exec\""), "P.2 exec'd");
	cr_assert_not_null(strstr(c2, "<line class=\"exit bad\""), "P.2 exited 1");
	cr_assert_not_null(strstr(c2, ">oops</text>"), "P.2's line is on its lane");
	char *c3 = lane_markup(html, "run", 3);
	cr_assert_not_null(strstr(c3, "<rect class=\"orphan\""));
	cr_assert_not_null(strstr(c3, "<path class=\"adopt\""));
	cr_assert_not_null(strstr(c3, "killed by SIGTERM"));
	char *c1 = lane_markup(html, "run", 1);
	cr_assert_not_null(strstr(c1, ">child one</text>"));
	cr_assert_null(strstr(c1, "unreaped"));
	/* 4 forks and 2 reaps by traced processes, each drawn once (plus the legend's). */
	cr_assert_eq(count_str(html, "<line class=\"fork\""), 4 + 1);
	cr_assert_eq(count_str(html, "<line class=\"reap\""), 2 + 1);
	cr_assert_eq(count_str(html, "<g class=\"node"), 5, "the tree's boxes");
	cr_assert_eq(count_str(html, "<tr id=\"run-d-"), 5, "the table's rows");
	free(c1);
	free(c2);
	free(c3);
	free(html);
	record_free(r);
}

/* A page must not need anything from elsewhere, nor run anything. */
Test(pictures, the_page_is_self_contained)
{
	struct record *r = mixed_record();
	char *html = page_of(r);
	cr_assert_eq(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
	for (const char *p = strstr(html, "http"); p; p = strstr(p + 1, "http"))
		cr_assert(p - html > 7 && strncmp(p - 7, "xmlns=\"", 7) == 0,
			  "a link to elsewhere: %.60s", p - 7);
	const char *banned[] = { "<script", "src=", "url(", "@import", "@font-face", "<link" };
	for (size_t i = 0; i < sizeof(banned) / sizeof(*banned); i++)
		cr_assert_null(strstr(html, banned[i]), "the page has %s", banned[i]);
	free(html);
	record_free(r);
}

static const char EVIL[] = "</title></text></svg><script>alert(1)</script><g class=\"lane\">"
			   "&amp; ' \" \xff\xfe \x1b[31m \xef\xbf\xbe \\N \\\" }; p0 -> p0;";

/* A record whose every string from the program is hostile (argv, output with a NUL, the
 * detail). */
static struct record *evil_record(void)
{
	struct fx f;
	struct rec_proc *p = fx_new(&f, 200);
	fx_exec(&f, p, EVIL, EVIL);
	struct rec_proc *c = fx_fork(&f, p, 201);
	fx_exec(&f, c, EVIL, EVIL);
	char out[sizeof(EVIL) + 8];
	memcpy(out, EVIL, sizeof(EVIL) - 1);
	memcpy(out + sizeof(EVIL) - 1, "\0end\n", 5);
	f.seq++;
	cr_assert_eq(record_add_write(f.r, c, 1, out, sizeof(EVIL) + 4, f.ms, f.seq), 0);
	cr_assert_eq(rec_buf_append(&f.r->out, out, sizeof(EVIL) + 4), 0);
	fx_write(&f, p, 2, EVIL);
	fx_exit(&f, c, 0, 0);
	fx_reap(&f, c, p);
	fx_exit(&f, p, 3, 0);
	fx_reap(&f, p, NULL);
	record_set_detail(f.r, "%s", EVIL);
	f.r->duration_ms = f.ms;
	return f.r;
}

static bool have(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

Test(pictures, hostile_strings_stay_text_in_html)
{
	struct record *r = evil_record();
	char *html = page_of(r);
	assert_wellformed(html);
	cr_assert_null(strstr(html, "<script"), "a program's text became markup");
	cr_assert_null(strchr(html, '\x1b'));
	cr_assert_null(strstr(html, "\xef\xbf\xbe"), "U+FFFE is not allowed in XML");
	assert_lanes_match(r, html);
	/* The text is all there, as text: the parser gives it back. */
	int st;
	char *title = test_pipe_through("xmllint --xpath 'string(//*[local-name()=\"g\"]"
					"[@data-name=\"P.1\"]/*[local-name()=\"title\"])'", html, &st);
	cr_assert_eq(st, 0, "%s", title);
	cr_assert_not_null(strstr(title, "</svg><script>alert(1)</script><g class=\"lane\">&amp; '"),
			   "%s", title);
	free(title);
	cr_assert_eq(xpath_count(html, "//*[local-name()=\"script\"]"), 0);
	free(html);
	record_free(r);
}

Test(pictures, hostile_strings_keep_dot_valid)
{
	struct record *r = evil_record();
	char *dot = dot_of(r);
	cr_assert_eq(strncmp(dot, "digraph forklab {\n", 18), 0);
	/* Every line's quotes close (an escaped quote is not one). */
	for (const char *line = dot; *line;) {
		const char *nl = strchr(line, '\n');
		cr_assert_not_null(nl);
		int quotes = 0;
		for (const char *c = line; c < nl; c++) {
			if (*c == '\\') {
				c++;
				continue;
			}
			quotes += *c == '"';
		}
		cr_assert_eq(quotes % 2, 0, "unbalanced: %.*s", (int)(nl - line), line);
		line = nl + 1;
	}
	cr_assert_eq(count_str(dot, "\n  p0 -> p0"), 0, "a program's text became a statement");
	if (!have("dot")) {
		free(dot);
		record_free(r);
		cr_skip_test("Graphviz's dot is not installed: only the quoting was checked "
			     "(make deps installs graphviz)");
	}
	int st;
	char *svg = test_pipe_through("dot -Tsvg", dot, &st);
	cr_assert_eq(st, 0, "dot: %s", svg);
	cr_assert_eq(count_str(svg, "class=\"node\""), r->nprocs, "%s", svg);
	cr_assert_eq(count_str(svg, "class=\"edge\""), r->nprocs - 1, "%s", svg);
	cr_assert_not_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(svg);
	free(dot);
	record_free(r);
}

/* ---- real runs ---- */

Test(pictures, real_runs_a_lane_per_process_and_zombies_where_they_were, .timeout = 60)
{
	const char *progs[] = { "tree_demo", "t_zombie" };
	for (size_t k = 0; k < 2; k++) {
		struct record *r = trace((char *const[]){ (char *)test_prog(progs[k]), NULL }, 0);
		char *html = page_of(r);
		assert_wellformed(html);
		assert_lanes_match(r, html);
		if (k == 1) {
			/* t_zombie: P.1 waits 200 ms for its reap, P.2 for forklab's. */
			for (size_t i = 1; i <= 2; i++) {
				char *lane = lane_markup(html, "run", i);
				cr_assert_not_null(strstr(lane, "<rect class=\"zombie\""), "%s",
						   r->procs[i]->name);
				free(lane);
			}
			char *lane = lane_markup(html, "run", 3);
			cr_assert_not_null(strstr(lane, "<path class=\"adopt\""), "P.3 was adopted");
			free(lane);
		}
		char *dot = dot_of(r);
		cr_assert_eq(count_str(dot, " -> "), r->nprocs - 1);
		free(dot);
		free(html);
		record_free(r);
	}
}

/* `forklab run --format html|dot`: the document alone on stdout or in --output. */
static char *sh(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	char *out = test_slurp_fd(fileno(p));
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

Test(pictures, cli_formats, .timeout = 60)
{
	char cmd[PATH_MAX * 3], path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/pictures-cli.html", test_build_dir());
	unlink(path);
	snprintf(cmd, sizeof(cmd), "%s run --format html --output %s -- %s 2>&1",
		 test_build_path("forklab"), path, test_prog("tree_demo"));
	int st;
	char *out = sh(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_str_eq(out, "", "nothing but the file: %s", out);
	free(out);
	int fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	char *html = test_slurp_fd(fd);
	close(fd);
	unlink(path);
	assert_wellformed(html);
	cr_assert_eq(count_str(html, "<g class=\"lane\""), 4);
	free(html);

	snprintf(cmd, sizeof(cmd), "%s run --format html -- %s", test_build_path("forklab"),
		 test_prog("tree_demo"));
	html = sh(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_eq(strncmp(html, "<!DOCTYPE html>", 15), 0, "the program's output came first");
	cr_assert_not_null(strstr(html, "grandchild says hi"));
	free(html);

	snprintf(cmd, sizeof(cmd), "%s run --format dot -- %s", test_build_path("forklab"),
		 test_prog("t_exit"));
	char *dot = sh(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_eq(strncmp(dot, "digraph forklab {", 17), 0, "%s", dot);
	cr_assert_eq(count_str(dot, "[label="), 1);
	free(dot);

	snprintf(cmd, sizeof(cmd), "%s run --format svg -- /bin/true 2>&1",
		 test_build_path("forklab"));
	out = sh(cmd, &st);
	cr_assert_eq(st, 125);
	cr_assert_not_null(strstr(out, "tree, json, html or dot"), "%s", out);
	free(out);
}

/* ---- large runs ---- */

enum shape { FANOUT, CHAIN, BUSHY };

/* n processes: all children of P, a chain, or each with up to 5 children (breadth first). */
static struct record *big_record(enum shape shape, size_t n)
{
	struct fx f;
	fx_new(&f, 1000);
	for (size_t i = 1; i < n; i++) {
		struct rec_proc *parent = shape == FANOUT ? f.r->procs[0] :
					  shape == CHAIN ? f.r->procs[i - 1] :
					  f.r->procs[(i - 1) / 5];
		struct rec_proc *c = fx_fork(&f, parent, (pid_t)(1000 + i));
		if (i % 3 == 0)
			fx_write(&f, c, 1, "hello\n");
	}
	for (size_t i = n; i-- > 1;) {
		struct rec_proc *c = f.r->procs[i];
		fx_exit(&f, c, 0, 0);
		fx_reap(&f, c, c->parent);
	}
	fx_exit(&f, f.r->procs[0], 0, 0);
	fx_reap(&f, f.r->procs[0], NULL);
	f.r->duration_ms = f.ms;
	return f.r;
}

Test(pictures, a_thousand_processes_fold_and_stay_quick, .timeout = 60)
{
	for (enum shape s = FANOUT; s <= BUSHY; s++) {
		struct record *r = big_record(s, 1000);
		/* The 700th process highlighted: it keeps a lane of its own. */
		bool *hl = calloc(r->nprocs, sizeof(*hl));
		cr_assert_not_null(hl);
		hl[700] = true;
		char *html = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&html, &len);
		cr_assert_not_null(m);
		double t0 = now_s();
		struct rec_pic_opts o = { .id = "big", .highlight = hl };
		cr_assert_eq(record_html_picture(r, m, &o), 0);
		cr_assert_eq(fclose(m), 0);
		double secs = now_s() - t0;
		cr_assert_lt(secs, 2.0, "shape %d took %.2f s", s, secs);
		cr_assert_lt(len, 1024 * 1024, "shape %d: %zu bytes", s, len);
		size_t lanes = count_lanes(html);
		size_t folds = count_str(html, "<g class=\"fold\"");
		cr_assert_gt(folds, 0, "shape %d: nothing folded", s);
		cr_assert_leq(lanes + folds, REC_PIC_MAX_LANES + 2, "shape %d", s);
		cr_assert_eq(lanes + folded_procs(html), r->nprocs, "shape %d: %zu lanes", s, lanes);
		cr_assert_not_null(strstr(html, "<g class=\"lane hl\" id=\"big-l-700\""),
				   "shape %d: the highlighted process was folded", s);
		cr_assert_eq(count_str(html, "<g class=\"node"), 0, "too many for boxes");
		char *page = NULL;
		cr_assert_geq(asprintf(&page, "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
				       "%s</body></html>", html), 0);
		assert_wellformed(page);
		free(page);
		free(html);
		free(hl);
		record_free(r);
	}
}

Test(pictures, a_real_thousand_process_run, .timeout = 90)
{
	struct record *r = trace((char *const[]){ (char *)test_prog("bad_zombies"), NULL }, 1100);
	cr_assert_eq(r->nprocs, 1001);
	double t0 = now_s();
	char *html = page_of(r);
	double secs = now_s() - t0;
	cr_assert_lt(secs, 2.0, "%.2f s", secs);
	assert_wellformed(html);
	size_t lanes = count_str(html, "<g class=\"lane\"");
	cr_assert_eq(lanes + folded_procs(html), 1001);
	cr_assert_leq(lanes, REC_PIC_MAX_LANES);
	cr_assert_gt(count_str(html, "<rect class=\"zombie"), 0);
	free(html);
	record_free(r);
}

/* ---- the grade report ---- */

Test(pictures, a_verdict_names_its_processes)
{
	struct fx f;
	struct rec_proc *p = fx_new(&f, 4242);
	struct rec_proc *c1 = fx_fork(&f, p, 4243);
	fx_fork(&f, c1, 4244);
	for (int i = 0; i < 9; i++)
		fx_fork(&f, p, 4250 + i);
	struct record *r = f.r;
	bool hl[12];
	size_t named;
	/* The ten children: P.1 ... P.10. */
	memset(hl, 0, sizeof(hl));
	cr_assert_eq(report_named_procs(r, "with 2 2, P.1 (pid 4243) exited without waiting for "
				       "P.1.1 (pid 4244); P.1.1 stayed a zombie", hl, &named), 2);
	cr_assert_eq(named, 2);
	cr_assert(hl[1] && hl[2]);
	cr_assert_not(hl[0], "P is not named");
	memset(hl, 0, sizeof(hl));
	cr_assert_eq(report_named_procs(r, "expected P to fork; P.10 forked. XP.2 and P.2x "
				       "P.1 (pid 999)", hl, &named), 0);
	cr_assert_eq(named, 2, "P and P.10");
	cr_assert(hl[0] && hl[11]);
	cr_assert_not(hl[1], "P.1 with another pid is another run's");
	cr_assert_not(hl[3], "XP.2 and P.2x are not names");
	memset(hl, 0, sizeof(hl));
	report_named_procs(r, "P.9.", hl, &named);
	cr_assert(hl[10] && named == 1, "a name at a sentence's end");
	record_free(r);
}

Test(pictures, grade_report_shows_failed_checks_with_their_runs)
{
	size_t nlabs;
	struct lab_result *labs = fx_results(&nlabs);
	struct grade_report g = { .labs = labs, .nlabs = nlabs, .seconds = 1.5 };
	char *html = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&html, &len);
	cr_assert_not_null(m);
	const struct reporter *rep = report_find("html");
	cr_assert_not_null(rep);
	cr_assert_eq(rep->fn(m, &g, &(struct report_opts){ 0 }), 0);
	cr_assert_eq(fclose(m), 0);
	assert_wellformed(html);
	cr_assert_null(strstr(html, "<script"));
	cr_assert_not_null(strstr(html, "forklab: 3/7 points"));
	/* The failed 'reaped' check: its verdict, and its run with P.1 (named) highlighted. */
	const char *sec = strstr(html, "data-check=\"reaped\"");
	cr_assert_not_null(sec);
	cr_assert_not_null(strstr(sec, "&lt;until&gt; forklab &amp; &quot;adopted&quot;"));
	cr_assert_not_null(strstr(sec, "<g class=\"lane hl\" id=\"l0-c1-run-l-1\""));
	cr_assert_not_null(strstr(sec, "<g class=\"lane\" id=\"l0-c1-run-l-0\""), "P not named");
	/* One picture: the failed check whose run did not happen has none, the passed none. */
	cr_assert_eq(count_str(html, "<div class=\"forklab\""), 1);
	cr_assert_not_null(strstr(html, "data-check=\"lines\"><h3>"));
	cr_assert_not_null(strstr(strstr(html, "data-check=\"lines\""), "No run to show"));
	cr_assert_not_null(strstr(html, "expected &#39;;&#39; before &#39;}&#39;"), "build log");
	cr_assert_eq(xpath_count(html, "//*[local-name()=\"tr\"][@class=\"fail\"]"), 3);
	cr_assert_eq(xpath_count(html, "//*[local-name()=\"tr\"][@class=\"pass\"]"), 1);
	free(html);
	fx_results_free(labs, nlabs);
}

/* ---- a real browser ---- */

/* chromium on PATH, or NULL. */
static const char *chromium(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("PATH");
	char *dirs = strdup(env ? env : "/usr/bin:/bin");
	cr_assert_not_null(dirs);
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/chromium", d);
		if (access(path, X_OK) == 0) {
			free(dirs);
			return path;
		}
	}
	free(dirs);
	return NULL;
}

/* Pids of processes whose command line mentions needle. */
static size_t procs_with(const char *needle, pid_t *pids, size_t max)
{
	size_t n = 0;
	DIR *d = opendir("/proc");
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0 || pid == getpid())
			continue;
		char path[64], buf[8192];
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		for (ssize_t i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[len] = '\0';
		if (strstr(buf, needle))
			pids[n++] = (pid_t)pid;
	}
	closedir(d);
	return n;
}

struct browser {
	const char *exe;
	char dir[PATH_MAX / 4];      /* <build>/pictures: pages, screenshots */
	char own[PATH_MAX / 4];      /* <build>/pictures/chromium-TAG: its profile and HOME, whose
	                                path every process it starts has on its command line */
};

/* Where one test's browser keeps its files. Skips the test when there is no chromium. */
static void browser_init(struct browser *b, const char *tag)
{
	b->exe = chromium();
	if (!b->exe)
		cr_skip_test("chromium is not installed: no page was checked in a browser (make "
			     "deps installs it)");
	cr_assert_lt(snprintf(b->dir, sizeof(b->dir), "%s/pictures", test_build_dir()),
		     (int)sizeof(b->dir));
	cr_assert_lt(snprintf(b->own, sizeof(b->own), "%s/chromium-%s", b->dir, tag),
		     (int)sizeof(b->own));
	cr_assert(mkdir(b->dir, 0755) == 0 || errno == EEXIST, "%s: %s", b->dir, strerror(errno));
	cr_assert(mkdir(b->own, 0700) == 0 || errno == EEXIST, "%s: %s", b->own, strerror(errno));
}

/* Runs chromium headless on file page, with --screenshot=png and --dump-dom into dom; in a
 * session of its own, with a private profile and HOME, no network. Fails the test unless it
 * exits 0 within 90 s and leaves no process behind. Returns the seconds it took. */
static double run_browser(const struct browser *b, const char *page, const char *png,
			  const char *dom)
{
	char url[PATH_MAX + 8], udd[PATH_MAX], home[PATH_MAX], log[PATH_MAX], shot[PATH_MAX + 16];
	snprintf(url, sizeof(url), "file://%s", page);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	snprintf(udd, sizeof(udd), "--user-data-dir=%s/profile", b->own);
	snprintf(home, sizeof(home), "%s/home", b->own);
	snprintf(log, sizeof(log), "%s/chromium.log", b->own);
	cr_assert(mkdir(home, 0700) == 0 || errno == EEXIST);
	char *argv[] = { (char *)b->exe, "--headless", "--no-sandbox", "--disable-gpu", udd,
			 "--no-first-run", "--no-default-browser-check", "--disable-extensions",
			 "--disable-sync", "--disable-background-networking",
			 "--disable-component-update", "--disable-default-apps", "--no-pings",
			 "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
			 "--hide-scrollbars", "--window-size=1400,1000", shot, "--dump-dom", url,
			 NULL };
	int fo = open(dom, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int fl = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	cr_assert(fo >= 0 && fl >= 0);
	unlink(png);
	double t0 = now_s();
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setsid() < 0 || dup2(fo, 1) < 0 || dup2(fl, 2) < 0 ||
		    setenv("HOME", home, 1) < 0 || setenv("XDG_CONFIG_HOME", home, 1) < 0 ||
		    setenv("XDG_CACHE_HOME", home, 1) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fo);
	close(fl);
	int st = 0;
	pid_t w = 0;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now_s() - t0 < 90)
		usleep(20 * 1000);
	double secs = now_s() - t0;
	if (w == 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	/* Whatever it started must be gone with it (its crash handler, in a session of its own,
	 * goes once it sees chromium gone). */
	pid_t left[64];
	size_t n = 0;
	for (int tries = 0; tries < 50 && (n = procs_with(b->own, left, 64)) > 0; tries++)
		usleep(100 * 1000);
	for (size_t i = 0; i < n; i++)
		kill(left[i], SIGKILL);
	kill(-pid, SIGKILL);
	/* A test process that traced a run is a child subreaper: what chromium left came to it. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	cr_assert_neq(w, 0, "chromium took more than 90 s on %s (see %s)", page, log);
	cr_assert_eq(n, 0, "chromium left %zu processes alive", n);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "chromium failed on %s (see %s)", page,
		  log);
	return secs;
}

/* Measures the page as the browser laid it out: a script added to a copy writes what it found
 * (lanes drawn, their sizes, each lane's zombie width, the axis' width) into a hidden element,
 * read back with --dump-dom. The page itself has no script. */
static const char PROBE[] =
	"<script>(function(){\n"
	"var r={lanes:0,visible:0,folded:0,hl:0,zombie:{},zombies:0};\n"
	"var ax=document.querySelector('svg.timeline line.axis');\n"
	"r.axis=ax?ax.getBoundingClientRect().width:0;\n"
	"document.querySelectorAll('svg.timeline g.lane').forEach(function(l){\n"
	" r.lanes++;var b=l.getBoundingClientRect();if(b.width>0&&b.height>0)r.visible++;\n"
	" if(l.classList.contains('hl'))r.hl++;var w=0;\n"
	" l.querySelectorAll('rect.zombie').forEach(function(z){w+=z.getBoundingClientRect().width;"
	"r.zombies++;});\n"
	" r.zombie[l.getAttribute('data-name')]=w;});\n"
	"document.querySelectorAll('svg.timeline g.fold').forEach(function(f){\n"
	" r.folded+=+f.getAttribute('data-procs');\n"
	" f.querySelectorAll('rect.zombie').forEach(function(){r.zombies++;});});\n"
	"var p=document.createElement('pre');p.id='probe';p.style.display='none';\n"
	"p.textContent=JSON.stringify(r);document.body.appendChild(p);})();</script>\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* Keeps the page as <build>/pictures/NAME.html, renders it in the browser (the screenshot
 * kept as NAME.png) and returns what the probe measured. */
static json_t *render(const struct browser *b, const char *name, const char *html)
{
	char page[PATH_MAX], probe[PATH_MAX], dom[PATH_MAX], png[PATH_MAX];
	snprintf(page, sizeof(page), "%s/%s.html", b->dir, name);
	snprintf(probe, sizeof(probe), "%s/%s-probe.html", b->dir, name);
	snprintf(dom, sizeof(dom), "%s/%s-probe.dom", b->dir, name);
	snprintf(png, sizeof(png), "%s/%s.png", b->dir, name);
	write_file(page, html);
	const char *body = strstr(html, "</body>");
	cr_assert_not_null(body);
	char *copy = NULL;
	cr_assert_geq(asprintf(&copy, "%.*s%s%s", (int)(body - html), html, PROBE, body), 0);
	write_file(probe, copy);
	free(copy);
	double secs = run_browser(b, probe, png, dom);
	cr_log_info("%s: %zu bytes, rendered in %.2f s", name, strlen(html), secs);
	struct stat st;
	cr_assert_eq(stat(png, &st), 0, "no screenshot %s", png);
	cr_assert_gt(st.st_size, 10000, "%s: %lld bytes", png, (long long)st.st_size);
	int fd = open(png, O_RDONLY);
	unsigned char sig[8];
	cr_assert_eq(read(fd, sig, 8), 8);
	close(fd);
	cr_assert_eq(memcmp(sig, "\x89PNG\r\n\x1a\n", 8), 0);
	fd = open(dom, O_RDONLY);
	cr_assert_geq(fd, 0);
	char *text = test_slurp_fd(fd);
	close(fd);
	const char *at = strstr(text, "<pre id=\"probe\" style=\"display: none;\">");
	cr_assert_not_null(at, "%s: the page did not render (%s)", name, dom);
	at = strchr(at, '>') + 1;
	const char *end = strstr(at, "</pre>");
	cr_assert_not_null(end);
	json_error_t e;
	json_t *j = json_loadb(at, (size_t)(end - at), 0, &e);
	cr_assert_not_null(j, "%s: %s", name, e.text);
	free(text);
	return j;
}

static double json_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "no %s", key);
	return json_number_value(v);
}

/* The browser's zombie widths against the record's zombie times. */
static void assert_zombie_widths(const struct record *r, json_t *j)
{
	double t_end = r->duration_ms;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		if (p->exited && p->exited_ms > t_end)
			t_end = p->exited_ms;
		if (p->reaped_by && p->reaped_ms > t_end)
			t_end = p->reaped_ms;
	}
	double axis = json_num(j, "axis");
	cr_assert_gt(axis, 500, "the axis is %.0f px", axis);
	json_t *z = json_object_get(j, "zombie");
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct rec_proc *p = r->procs[i];
		double want = 0;
		if (has_zombie_span(r, p))
			want = ((p->reaped_by ? p->reaped_ms : t_end) - p->exited_ms) / t_end * axis;
		double got = json_num(z, p->name);
		cr_assert(got > want - 1.5 && got < want + 1.5, "%s: zombie %.1f px drawn, %.1f px "
			  "in the record", p->name, got, want);
	}
}

Test(pictures, chromium_renders_lab_runs, .timeout = 300)
{
	struct browser b;
	browser_init(&b, "runs");

	/* Lab 04's tree, 2 children with 2 children each, and a program that leaves zombies. */
	struct record *lab04 = trace((char *const[]){
		(char *)test_build_path("labprogs/04/right_recursive"), "2", "2", NULL }, 0);
	struct record *zomb = trace((char *const[]){ (char *)test_prog("t_zombie"), NULL }, 0);
	struct { const char *name; struct record *r; } runs[] = {
		{ "lab04-tree", lab04 }, { "zombies", zomb },
	};
	for (size_t k = 0; k < 2; k++) {
		char *html = page_of(runs[k].r);
		json_t *j = render(&b, runs[k].name, html);
		cr_assert_eq(json_num(j, "lanes"), (double)runs[k].r->nprocs, "%s", runs[k].name);
		cr_assert_eq(json_num(j, "visible"), (double)runs[k].r->nprocs);
		cr_assert_eq(json_num(j, "folded"), 0);
		assert_zombie_widths(runs[k].r, j);
		/* t_zombie's P.1 was a zombie for 200 ms of a ~400 ms run: a span one sees. */
		if (runs[k].r == zomb)
			cr_assert_gt(json_num(json_object_get(j, "zombie"), "P.1"),
				     0.25 * json_num(j, "axis"));
		json_decref(j);
		free(html);
	}
	cr_assert_eq(lab04->nprocs, 7);
	record_free(lab04);
	record_free(zomb);

	/* A thousand processes: still a page the browser lays out, lanes folded. */
	struct record *big = trace((char *const[]){ (char *)test_prog("bad_zombies"), NULL }, 1100);
	char *html = page_of(big);
	json_t *j = render(&b, "zombies1000", html);
	cr_assert_eq(json_num(j, "lanes") + json_num(j, "folded"), 1001);
	cr_assert_leq(json_num(j, "lanes"), REC_PIC_MAX_LANES);
	cr_assert_eq(json_num(j, "visible"), json_num(j, "lanes"));
	cr_assert_gt(json_num(j, "zombies"), 0);
	json_decref(j);
	free(html);
	record_free(big);
}

Test(pictures, chromium_renders_a_grade_report, .timeout = 300)
{
	struct browser b;
	browser_init(&b, "grade");
	/* Lab 04 graded on a program that leaves its grandchildren to forklab. */
	struct grade_opts go;
	grade_opts_init(&go);
	go.bin = test_build_path("labprogs/04/wrong_no_grandchild_wait");
	char builddir[PATH_MAX];
	snprintf(builddir, sizeof(builddir), "%s/test-labs", test_build_dir());
	go.build_dir = builddir;
	struct lab_result lr;
	char err[512] = "";
	cr_assert_eq(grade_lab(lab_lookup("04"), &go, &lr, err, sizeof(err)), 0, "%s", err);
	struct grade_report g = { .labs = &lr, .nlabs = 1, .seconds = 1 };
	char *html = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&html, &len);
	cr_assert_not_null(m);
	cr_assert_eq(report_html(m, &g, NULL), 0);
	cr_assert_eq(fclose(m), 0);
	assert_wellformed(html);
	json_t *j = render(&b, "grade04", html);
	size_t failed = 0;
	for (size_t i = 0; i < lr.nchecks; i++)
		failed += !lr.checks[i].passed;
	cr_assert_gt(failed, 0);
	/* Each failed check's run is drawn, every lane of it, with its named processes marked. */
	cr_assert_eq(count_str(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\""),
		     failed);
	cr_assert_geq(json_num(j, "lanes"), 7.0 * (double)failed);
	cr_assert_eq(json_num(j, "lanes"), (double)count_lanes(html));
	cr_assert_eq(json_num(j, "visible"), json_num(j, "lanes"));
	cr_assert_eq(json_num(j, "hl"), (double)count_str(html, "<g class=\"lane hl\""));
	cr_assert_gt(json_num(j, "hl"), 0);
	json_decref(j);
	free(html);
	lab_result_free(&lr);
}
