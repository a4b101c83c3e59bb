/* cmd_grade.c - `forklab grade [options] [LAB...]`: build, run and check labs, then report in
 * the chosen format. Exit 0 when every check passed, 1 when one failed, 2 when forklab failed
 * or was misused. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"
#include "report.h"

enum { EXIT_PASSED = 0, EXIT_FAILED = 1, EXIT_TROUBLE = 2 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab grade [options] [LAB...]\n"
		"\n"
		"Builds each LAB from its sources, runs it under forklab's tracer in the lab's\n"
		"scenarios, and checks what its processes did. LAB is a number (4, 04) or a name\n"
		"(04-process-tree, process-tree); without LAB every lab is graded.\n"
		"\n"
		"options:\n"
		"  --labs DIR     the tree of lab sources to build (default: labs); e.g.\n"
		"                 --labs solutions grades the reference solutions\n"
		"  --bin PATH     grade this executable instead of building (exactly one LAB)\n"
		"  --format FMT   how to report (default: human):\n");
	for (size_t i = 0; reporters[i].name; i++)
		fprintf(out, "                   %-11s %s\n", reporters[i].name, reporters[i].what);
	fprintf(out,
		"  --output FILE  write the report to FILE instead of stdout\n"
		"  --help         this text\n"
		"\n"
		"Colour: the human report is coloured on a terminal unless NO_COLOR is set.\n"
		"Programs are built with: cc -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra\n"
		"(a copy is left in build/grade/<DIR>/<LAB>/); the compiler runs sandboxed like\n"
		"the program (as root: as the run uid; both confined to the system's files by\n"
		"Landlock). A compile error, a crash, a hang or a limit hit fails that lab's\n"
		"checks with the reason; the other labs are still graded.\n"
		"\n"
		"exit status:\n"
		"  0  every check of every selected lab passed\n"
		"  1  at least one check failed\n"
		"  2  forklab itself failed or was misused (one line on stderr says why)\n");
}

/* "01-fork-return, 02-getpid-pitfall, ...": for the unknown-lab message. */
static void list_labs(FILE *out)
{
	for (size_t i = 0; labs_all[i]; i++)
		fprintf(out, "%s%s", i ? ", " : "", labs_all[i]->name);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct grade_args {
	const char *labs_dir, *bin, *format, *output;
	bool untraced;
	char **specs;
	int nspecs;
};

/* Parses argv. Returns -1 to go on, or the exit status to return now. */
static int parse_args(int argc, char **argv, struct grade_args *a)
{
	static const struct option longopts[] = {
		{"labs", required_argument, NULL, 'l'},
		{"bin", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		/* Not in --help: for `make bench`, which compares grading with and without tracing. */
		{"untraced", no_argument, NULL, 'U'},
		{NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	a->labs_dir = "labs";
	a->format = "human";
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': a->labs_dir = optarg; break;
		case 'b': a->bin = optarg; break;
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'U': a->untraced = true; break;
		case 'h': usage(stdout); return EXIT_PASSED;
		default:
			fprintf(stderr, "forklab: grade: bad option '%s' (try: forklab grade --help)\n",
				argv[optind - 1]);
			return EXIT_TROUBLE;
		}
	}
	a->specs = argv + optind;
	a->nspecs = argc - optind;
	if (!report_find(a->format)) {
		fprintf(stderr, "forklab: grade: unknown format '%s' (formats:", a->format);
		for (size_t i = 0; reporters[i].name; i++)
			fprintf(stderr, "%s %s", i ? "," : "", reporters[i].name);
		fprintf(stderr, ")\n");
		return EXIT_TROUBLE;
	}
	if (a->bin && a->nspecs != 1) {
		fprintf(stderr, "forklab: grade: --bin grades one program: name exactly one LAB\n");
		return EXIT_TROUBLE;
	}
	return -1;
}

/* Resolves the LAB arguments (none: all). Returns the count, or -1 after saying why. */
static int select_labs(const struct grade_args *a, const struct lab **sel)
{
	int n = 0;
	if (a->nspecs == 0) {
		for (size_t i = 0; labs_all[i]; i++)
			sel[n++] = labs_all[i];
		return n;
	}
	for (int i = 0; i < a->nspecs; i++) {
		const struct lab *lab = lab_lookup(a->specs[i]);
		if (!lab) {
			fprintf(stderr, "forklab: no lab '%s' (labs: ", a->specs[i]);
			list_labs(stderr);
			fprintf(stderr, ")\n");
			return -1;
		}
		bool dup = false;
		for (int j = 0; j < n; j++)
			dup |= sel[j] == lab;
		if (!dup)
			sel[n++] = lab;
	}
	return n;
}

/* Writes the report to a->output (through a new file of its own, renamed when complete: see
 * outfile.c) or stdout. */
static int write_report(const struct grade_args *a, const struct grade_report *g)
{
	const struct reporter *rep = report_find(a->format);
	struct report_opts ro = {.color = false};
	if (!a->output) {
		ro.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
		if (rep->fn(stdout, g, &ro) < 0 || fflush(stdout) == EOF) {
			fprintf(stderr, "forklab: grade: cannot write the report: %s\n",
				strerror(errno));
			return -1;
		}
		return 0;
	}
	struct outfile of;
	FILE *f = outfile_open(&of, a->output);
	if (!f) {
		fprintf(stderr, "forklab: grade: %s: %s\n", a->output, strerror(errno));
		return -1;
	}
	int rc = rep->fn(f, g, &ro);
	if (outfile_commit(&of, rc == 0) < 0 || rc < 0) {
		fprintf(stderr, "forklab: grade: cannot write %s: %s\n", a->output, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_grade(int argc, char **argv)
{
	struct grade_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	size_t nall = 0;
	while (labs_all[nall])
		nall++;
	const struct lab **sel = calloc(nall + (size_t)a.nspecs + 1, sizeof *sel);
	struct lab_result *res = calloc(nall + (size_t)a.nspecs + 1, sizeof *res);
	if (!sel || !res) {
		fprintf(stderr, "forklab: grade: out of memory\n");
		free(sel);
		free(res);
		return EXIT_TROUBLE;
	}
	int n = select_labs(&a, sel);
	struct stat st;
	if (n >= 0 && !a.bin && lstat(a.labs_dir, &st) == 0 && S_ISLNK(st.st_mode)) {
		fprintf(stderr, "forklab: grade: --labs %s is a symbolic link: give the directory "
				"itself\n", a.labs_dir);
		n = -1;
	} else if (n >= 0 && !a.bin && (stat(a.labs_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "forklab: grade: no labs directory '%s' (run from the top of the "
				"forklab tree, or give --labs DIR)\n", a.labs_dir);
		n = -1;
	}
	if (n < 0) {
		free(sel);
		free(res);
		return EXIT_TROUBLE;
	}

	struct grade_opts go;
	grade_opts_init(&go);
	go.labs_dir = a.labs_dir;
	go.bin = a.bin;
	go.untraced = a.untraced;
	double t0 = now_s();
	bool progress = isatty(STDERR_FILENO) && a.output == NULL && isatty(STDOUT_FILENO);
	int graded = 0;
	rc = EXIT_PASSED;
	for (int i = 0; i < n; i++) {
		char err[512] = "";
		if (progress)
			fprintf(stderr, "grading %s...\r", sel[i]->name);
		if (grade_lab(sel[i], &go, &res[graded], err, sizeof err) < 0) {
			if (progress)
				fprintf(stderr, "\033[K");
			fprintf(stderr, "forklab: grade: %s: %s\n", sel[i]->name, err);
			rc = EXIT_TROUBLE;
			break;
		}
		graded++;
	}
	if (progress)
		fprintf(stderr, "\033[K");
	if (rc == EXIT_PASSED) {
		struct grade_report g = {.labs = res, .nlabs = (size_t)graded,
					 .seconds = now_s() - t0};
		int score, max;
		bool all = report_totals(&g, &score, &max);
		if (write_report(&a, &g) < 0)
			rc = EXIT_TROUBLE;
		else
			rc = all ? EXIT_PASSED : EXIT_FAILED;
	}
	for (int i = 0; i < graded; i++)
		lab_result_free(&res[i]);
	free(res);
	free(sel);
	return rc;
}
