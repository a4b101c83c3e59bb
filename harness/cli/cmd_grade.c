/* cmd_grade.c - `forklab grade [options] [LAB...]`: build, run and check labs, then report in
 * the chosen format. Exit 0 when every check passed, 1 when one failed, 2 when forklab failed
 * or was misused. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "assignment.h"
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
		"(04-process-tree, process-tree) or a lab's directory (labs/04-process-tree/,\n"
		"'.' inside it); without LAB every lab is graded, or inside a lab's directory\n"
		"that lab. Run it from the top of the forklab tree, from labs/ or from inside a\n"
		"lab's directory; compiler messages name files from the current directory.\n"
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
		"  --note TEXT    a note shown above the report (human, autolab), in its\n"
		"                 summary (gradescope's output, json's note, a tap comment,\n"
		"                 a junit property); given again, one more line\n"
		"  --verbose      say on stderr what is built and run, lab by lab\n"
		"  --assignment FILE\n"
		"                 grade the labs, points and hidden checks FILE sets out (an\n"
		"                 INI file, see docs/instructors.md); default: $FORKLAB_ASSIGNMENT\n"
		"                 when set. A LAB must then be one of its labs\n"
		"  --batch DIR    grade every submission in DIR into a gradebook (forklab grade\n"
		"                 --batch --help says more)\n"
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
	char *note;             /* the --note lines joined by newlines, malloc'd; or NULL */
	struct assignment *asg; /* --assignment, or NULL */
	bool untraced, verbose, labs_given;
	char **specs;
	int nspecs;
};

/* --assignment (or $FORKLAB_ASSIGNMENT) when given: -1 to go on, or the exit status. */
static int load_assignment(const char *path, struct grade_args *a)
{
	char err[1024];
	if (!path || !*path)
		return -1;
	a->asg = assignment_load(path, err, sizeof err);
	if (!a->asg) {
		fprintf(stderr, "forklab: %s\n", err);
		return EXIT_TROUBLE;
	}
	return -1;
}

/* The labs of the assignment a LAB argument may name: for the unknown-lab message. */
static void list_assignment_labs(FILE *out, const struct assignment *asg)
{
	for (size_t i = 0; i < asg->nlabs; i++)
		fprintf(out, "%s%s", i ? ", " : "", asg->labs[i]->name);
}

/* Appends one --note (a line, or several) to a->note. 0, or -1 when memory ran out. */
static int add_note(struct grade_args *a, const char *text)
{
	char *joined = NULL;
	if (asprintf(&joined, "%s%s%s", a->note ? a->note : "", a->note ? "\n" : "", text) < 0)
		return -1;
	free(a->note);
	a->note = joined;
	return 0;
}

/* Parses argv. Returns -1 to go on, or the exit status to return now. */
static int parse_args(int argc, char **argv, struct grade_args *a)
{
	static const struct option longopts[] = {
		{"labs", required_argument, NULL, 'l'},
		{"bin", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"note", required_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"assignment", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		/* Not in --help: for `make bench`, which compares grading with and without tracing. */
		{"untraced", no_argument, NULL, 'U'},
		{NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	a->labs_dir = "labs";
	a->format = "human";
	const char *asg_path = getenv("FORKLAB_ASSIGNMENT");
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': a->labs_dir = optarg; a->labs_given = true; break;
		case 'b': a->bin = optarg; break;
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'A': asg_path = optarg; break;
		case 'U': a->untraced = true; break;
		case 'v': a->verbose = true; break;
		case 'n':
			if (add_note(a, optarg) < 0) {
				fprintf(stderr, "forklab: grade: out of memory\n");
				return EXIT_TROUBLE;
			}
			break;
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
	return load_assignment(asg_path, a);
}

/* Resolves the LAB arguments (none: all). Returns the count, or -1 after saying why. */
static int select_labs(const struct grade_args *a, const struct lab **sel)
{
	int n = 0;
	if (a->asg && a->nspecs == 0) {
		for (size_t i = 0; i < a->asg->nlabs; i++)
			sel[n++] = a->asg->labs[i];
		return n;
	}
	if (a->nspecs == 0) {
		for (size_t i = 0; labs_all[i]; i++)
			sel[n++] = labs_all[i];
		return n;
	}
	for (int i = 0; i < a->nspecs; i++) {
		const struct lab *lab = lab_lookup(a->specs[i]);
		if (lab && a->asg && !(lab = assignment_lab(a->asg, a->specs[i]))) {
			fprintf(stderr, "forklab: lab '%s' is not in %s (its labs: ", a->specs[i],
				a->asg->path);
			list_assignment_labs(stderr, a->asg);
			fprintf(stderr, ")\n");
			return -1;
		}
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
	char again[PATH_MAX];
	if (strcmp(a->format, "human") == 0 && !a->bin) {
		ro.labs_dir = a->labs_dir;
		snprintf(again, sizeof again, "%s grade ", program_invocation_name);
		ro.again = getenv("FORKLAB_MAKE") ? "make grade LAB=" : again;
	}
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

/* Grades what args selects, from where the labs are (NULL with --bin), and writes the report;
 * the exit status. */
static int grade(const struct grade_args *args, const struct labs_place *where)
{
	struct grade_args copy = *args;
	const struct grade_args *a = &copy;
	if (where) {
		copy.labs_dir = where->labs_dir;
		copy.specs = where->specs;
		copy.nspecs = where->nspecs;
	}
	int rc;
	size_t nall = 0;
	while (labs_all[nall])
		nall++;
	const struct lab **sel = calloc(nall + (size_t)a->nspecs + 1, sizeof *sel);
	struct lab_result *res = calloc(nall + (size_t)a->nspecs + 1, sizeof *res);
	if (!sel || !res) {
		fprintf(stderr, "forklab: grade: out of memory\n");
		free(sel);
		free(res);
		return EXIT_TROUBLE;
	}
	int n = where && where->here ? (sel[0] = where->here, 1) : select_labs(a, sel);
	struct stat st;
	if (n >= 0 && !a->bin && lstat(a->labs_dir, &st) == 0 && S_ISLNK(st.st_mode)) {
		fprintf(stderr, "forklab: grade: --labs %s is a symbolic link: give the directory "
				"itself\n", a->labs_dir);
		n = -1;
	} else if (n >= 0 && !a->bin && (stat(a->labs_dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "forklab: grade: no labs directory '%s' (run from the top of the "
				"forklab tree, or give --labs DIR)\n", a->labs_dir);
		n = -1;
	}
	if (n < 0) {
		free(sel);
		free(res);
		return EXIT_TROUBLE;
	}

	struct grade_opts go;
	grade_opts_init(&go);
	go.labs_dir = a->labs_dir;
	go.bin = a->bin;
	go.untraced = a->untraced;
	go.forklab = program_invocation_name;   /* as the student ran it: build/forklab */
	if (where && where->build_dir)
		go.build_dir = where->build_dir;
	double t0 = now_s();
	bool progress = isatty(STDERR_FILENO) && a->output == NULL && isatty(STDOUT_FILENO);
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
		if (a->verbose) {
			if (progress)
				fprintf(stderr, "\033[K");
			report_log_lab(stderr, &res[graded], a->bin != NULL);
		}
		graded++;
	}
	if (progress)
		fprintf(stderr, "\033[K");
	if (rc == EXIT_PASSED) {
		struct grade_report g = {.labs = res, .nlabs = (size_t)graded,
					 .seconds = now_s() - t0, .note = a->note};
		int score, max;
		bool all = report_totals(&g, &score, &max);
		/* A student's own labs (not --labs, not --bin): their progress, for forklab list. */
		if (where && !a->labs_given && progress_record(where->build_dir, res,
							       (size_t)graded) < 0)
			fprintf(stderr, "forklab: grade: cannot record progress: %s\n",
				strerror(errno));
		if (write_report(a, &g) < 0)
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

int cmd_grade(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--batch") == 0 || strncmp(argv[i], "--batch=", 8) == 0)
			return cmd_batch(argc, argv);
	struct grade_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0) {
		free(a.note);
		return rc;
	}
	struct labs_place where;
	if (a.bin) {
		rc = grade(&a, NULL);
	} else if (labs_place_find(a.labs_given, a.labs_dir, a.specs, a.nspecs, &where) < 0) {
		rc = EXIT_TROUBLE;
	} else {
		rc = grade(&a, &where);
		labs_place_free(&where);
	}
	free(a.note);
	assignment_free(a.asg);
	return rc;
}
