/* cmd_run.c - `forklab run [options] -- PROGRAM [ARG...]`: trace one program and show its
 * processes as a tree (default), the full record as JSON, a page of pictures (HTML) or a
 * Graphviz graph (DOT). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "record.h"
#include "record_pic.h"
#include "sandbox.h"
#include "trace.h"

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: forklab run [options] -- PROGRAM [ARG...]\n"
		"Runs PROGRAM under forklab's tracer and shows every process it created: who forked\n"
		"whom, what each exec'd, how each ended, who reaped it and after how long.\n"
		"\n"
		"options:\n"
		"  --timeout SECONDS   wall-clock limit for the whole run (default 10)\n"
		"  --cpu SECONDS       CPU time per process (default: the timeout)\n"
		"  --mem MIB           address space per process, in MiB (default 1024)\n"
		"  --max-procs N       processes alive at once; forks beyond fail with EAGAIN\n"
		"                      (default 64)\n"
		"  --max-output KIB    stdout+stderr together, in KiB; beyond it the run is stopped\n"
		"                      (default 1024)\n"
		"  --linger SECONDS    how long descendants may outlive PROGRAM (default: until the\n"
		"                      timeout)\n"
		"  --stdin FILE        PROGRAM's stdin (default /dev/null; /dev/stdin passes on\n"
		"                      forklab's own)\n"
		"  --hold-children MS  each new process starts only once its parent has died or\n"
		"                      waits for a child, or after MS milliseconds (at most 10000):\n"
		"                      a child racing with its parent's end loses every time (lab\n"
		"                      10's grader does it)\n"
		"  --merge-sigchld MS  a process's first SIGCHLD while other children of it run\n"
		"                      waits until one more has ended, or MS milliseconds (at most\n"
		"                      10000): two endings, one signal (lab 09's grader does it)\n"
		"  --all-cpus          let PROGRAM use every CPU (default: it shares forklab's CPU,\n"
		"                      which makes tracing several times cheaper)\n"
		"  --pty               PROGRAM's stdout is a pseudo-terminal, as in a terminal\n"
		"                      (stdio line-buffers it), still recorded\n"
		"  --memory            record every process's private dirty memory and minor\n"
		"                      page faults as it ends, shown in the tree (JSON:\n"
		"                      private_dirty_kib, minflt)\n"
		"  --format FORMAT     what to print (default tree):\n"
		"                        tree  the process tree as text\n"
		"                        json  the full record\n"
		"                        html  one self-contained page: the tree, a timeline with a\n"
		"                              lane per process (zombie and orphan spans, output),\n"
		"                              a table of every process\n"
		"                        dot   the tree as a Graphviz graph (dot -Tsvg)\n"
		"  --fds               in the tree, descriptors 0-9 at each exec (pipes numbered)\n"
		"  --timeline          after the tree, one lane per process, time across\n"
		"  --zombies           in the tree, every reaped process's zombie time and when it\n"
		"                      was reaped (default: only zombie times of 50 ms or more;\n"
		"                      from 500 ms they are marked (long))\n"
		"  --output FILE       write it to FILE instead of stdout\n"
		"  --help              show this help\n"
		"\n"
		"PROGRAM without a '/' is looked up in PATH. It runs in a fresh scratch directory with\n"
		"a small fixed environment; as root, forklab runs it as an unused uid (61000-61999).\n"
		"\n"
		"exit status: PROGRAM's own; 128+N when signal N killed it; 124 when a limit stopped\n"
		"the run (timeout, process budget, output, CPU, memory, linger) or forklab was\n"
		"interrupted; 125 when forklab itself failed or was misused.\n");
}

static int misuse(const char *fmt, const char *arg)
{
	fprintf(stderr, "forklab run: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try: forklab run --help)\n");
	return 125;
}

/* Parses a number of seconds in (0, 1e6]. */
static int parse_seconds(const char *s, double *out, bool allow_zero)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || (!allow_zero && v == 0) ||
	    v > 1e6)
		return -1;
	*out = v;
	return 0;
}

static int parse_count(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

enum run_format { FMT_TREE, FMT_JSON, FMT_HTML, FMT_DOT };

struct run_args {
	struct trace_opts o;
	enum run_format format;
	const char *output;
	char *program;   /* PROGRAM resolved through PATH */
	struct tree_opts tree;
};

enum { OPT_TIMEOUT = 256, OPT_CPU, OPT_MEM, OPT_PROCS, OPT_OUTPUT_KIB, OPT_LINGER, OPT_STDIN,
       OPT_FORMAT, OPT_OUTPUT, OPT_ALL_CPUS, OPT_PTY, OPT_MEMORY, OPT_HELP, OPT_FDS,
       OPT_TIMELINE, OPT_ZOMBIES, OPT_HOLD, OPT_MERGE };

static const struct option long_opts[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "max-procs", required_argument, NULL, OPT_PROCS },
	{ "max-output", required_argument, NULL, OPT_OUTPUT_KIB },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "stdin", required_argument, NULL, OPT_STDIN },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "all-cpus", no_argument, NULL, OPT_ALL_CPUS },
	{ "hold-children", required_argument, NULL, OPT_HOLD },
	{ "merge-sigchld", required_argument, NULL, OPT_MERGE },
	{ "pty", no_argument, NULL, OPT_PTY },
	{ "memory", no_argument, NULL, OPT_MEMORY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "fds", no_argument, NULL, OPT_FDS },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "zombies", no_argument, NULL, OPT_ZOMBIES },
	{ NULL, 0, NULL, 0 },
};

/* --hold-children and --merge-sigchld: whole milliseconds from 1 to 10000; bad is the
 * message for anything else. */
static int take_ms(const char *bad, const char *arg, double *out)
{
	long n;
	if (parse_count(arg, 1, 10000, &n))
		return misuse(bad, arg);
	*out = (double)n;
	return 0;
}

/* One option into a; returns 0, or 125 after saying what was wrong. */
static int take_option(struct run_args *a, int c, const char *arg)
{
	long n;
	switch (c) {
	case OPT_TIMEOUT:
		return parse_seconds(arg, &a->o.timeout_s, false) ? misuse("bad --timeout '%s': "
			"give seconds, more than 0", arg) : 0;
	case OPT_CPU:
		return parse_seconds(arg, &a->o.cpu_s, false) ? misuse("bad --cpu '%s': give "
			"seconds, more than 0", arg) : 0;
	case OPT_LINGER:
		return parse_seconds(arg, &a->o.linger_s, true) ? misuse("bad --linger '%s': give "
			"seconds, 0 or more", arg) : 0;
	case OPT_MEM:
		if (parse_count(arg, 16, 1L << 22, &n))
			return misuse("bad --mem '%s': give MiB, from 16", arg);
		a->o.mem_mib = (size_t)n;
		return 0;
	case OPT_PROCS:
		if (parse_count(arg, 1, 100000, &n))
			return misuse("bad --max-procs '%s': give a count from 1 to 100000", arg);
		a->o.max_procs = (int)n;
		return 0;
	case OPT_OUTPUT_KIB:
		if (parse_count(arg, 1, 1L << 22, &n))
			return misuse("bad --max-output '%s': give KiB, from 1", arg);
		a->o.max_output_kib = (size_t)n;
		return 0;
	case OPT_PTY:
		a->o.stdout_pty = true;
		return 0;
	case OPT_MEMORY:
		a->o.mem_at_exit = true;
		a->tree.memory = true;
		return 0;
	case OPT_ALL_CPUS:
		a->o.all_cpus = true;
		return 0;
	case OPT_HOLD:
		return take_ms("bad --hold-children '%s': give milliseconds, from 1 to 10000", arg,
			       &a->o.hold_children_ms);
	case OPT_MERGE:
		return take_ms("bad --merge-sigchld '%s': give milliseconds, from 1 to 10000", arg,
			       &a->o.merge_sigchld_ms);
	case OPT_STDIN:
		if (access(arg, R_OK) < 0) {
			fprintf(stderr, "forklab run: cannot read --stdin %s: %s\n", arg,
				strerror(errno));
			return 125;
		}
		a->o.stdin_path = arg;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "tree"))
			a->format = FMT_TREE;
		else if (!strcmp(arg, "json"))
			a->format = FMT_JSON;
		else if (!strcmp(arg, "html"))
			a->format = FMT_HTML;
		else if (!strcmp(arg, "dot"))
			a->format = FMT_DOT;
		else
			return misuse("bad --format '%s': give tree, json, html or dot", arg);
		return 0;
	case OPT_OUTPUT:
		a->output = arg;
		return 0;
	case OPT_FDS:
		a->tree.fds = true;
		return 0;
	case OPT_TIMELINE:
		a->tree.timeline = true;
		return 0;
	case OPT_ZOMBIES:
		a->tree.zombies = true;
		return 0;
	}
	return misuse("%s", "unknown option");
}

/* Parses argv into a; returns -1 to go on, or the exit status to end with. */
static int parse_args(struct run_args *a, int argc, char **argv)
{
	opterr = 0;
	optind = 1;
	for (;;) {
		int idx = 0;
		int c = getopt_long(argc, argv, "+:", long_opts, &idx);
		if (c == -1)
			break;
		if (c == OPT_HELP) {
			run_usage(stdout);
			return 0;
		}
		if (c == ':')
			return misuse("option '%s' needs a value", argv[optind - 1]);
		if (c == '?')
			return misuse("unknown option '%s'", argv[optind - 1]);
		int rc = take_option(a, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc) {
		fprintf(stderr, "forklab run: no program given (usage: forklab run [options] -- "
			"PROGRAM [ARG...])\n");
		return 125;
	}
	a->program = sandbox_resolve(argv[optind], getenv("PATH"));
	if (!a->program) {
		fprintf(stderr, "forklab run: cannot execute %s: %s\n", argv[optind],
			errno == ENOENT ? "command not found" : strerror(errno));
		return 125;
	}
	return -1;
}

/* The program's last write (either stream) did not end its line. */
static bool last_write_open(const struct record *r)
{
	if (r->nwrites == 0)
		return false;
	const struct rec_write *w = &r->writes[r->nwrites - 1];
	const struct rec_buf *b = w->stream == 1 ? &w->proc->out : &w->proc->err;
	return w->len > 0 && w->off + w->len <= b->len && b->data[w->off + w->len - 1] != '\n';
}

/* Descriptors a and b are the same open file (as under 2>&1). */
static bool same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Writes the record to out (stdout, or the --output file opened before the run); with the tree,
 * the program's output first, unless it was passed on while the program ran (live; open_line:
 * it ended in the middle of a line, which the tree must not continue). */
static int print_record(const struct run_args *a, const struct record *r, FILE *out, bool live,
			bool open_line)
{
	int rc = 0;
	if (a->format == FMT_JSON) {
		char *s = record_to_json(r);
		if (!s || fprintf(out, "%s\n", s) < 0)
			rc = -1;
		free(s);
	} else if (a->format == FMT_HTML) {
		rc = record_html_page(r, out);
	} else if (a->format == FMT_DOT) {
		rc = record_to_dot(r, out);
	} else {
		/* What the program printed comes first, as it would have appeared. */
		if (!a->output && !live) {
			fwrite(r->out.data ? r->out.data : "", 1, r->out.len, stdout);
			fwrite(r->err.data ? r->err.data : "", 1, r->err.len, stderr);
			fflush(stderr);
			open_line = r->out.len > 0 && r->out.data[r->out.len - 1] != '\n';
		}
		if (open_line && !a->output)
			fputc('\n', stdout);
		else if (!a->output && last_write_open(r) && same_file(STDOUT_FILENO, STDERR_FILENO))
			fputc('\n', stdout);   /* 2>&1: stderr's last line, unfinished, came last */
		struct tree_opts to = a->tree;
		to.color = !a->output && isatty(fileno(out)) && !getenv("NO_COLOR");
		to.separator = true;
		to.forklab_pid = getpid();
		rc = record_print_tree_opts(r, out, &to);
	}
	if (fflush(out) != 0 || ferror(out))
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "forklab run: cannot write the record: %s\n", strerror(errno));
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .format = FMT_TREE };
	trace_opts_init(&a.o);
	tree_opts_init(&a.tree);
	int rc = parse_args(&a, argc, argv);
	if (rc >= 0)
		return rc;
	char **prog_argv = argv + optind;
	char **run_argv = calloc((size_t)(argc - optind) + 1, sizeof(char *));
	if (!run_argv) {
		fprintf(stderr, "forklab run: out of memory\n");
		free(a.program);
		return 125;
	}
	for (int i = 0; i < argc - optind; i++)
		run_argv[i] = prog_argv[i];
	run_argv[0] = a.program;
	a.o.argv = run_argv;
	char err[512];
	struct record *r = NULL;
	/* Open --output first: a bad path is misuse, found before the program runs. */
	FILE *out = stdout;
	struct outfile of;
	if (a.output && !(out = outfile_open(&of, a.output))) {
		fprintf(stderr, "forklab run: cannot write %s: %s\n", a.output, strerror(errno));
		free(run_argv);
		free(a.program);
		return 125;
	}
	if (!trace_supported(err, sizeof(err))) {
		fprintf(stderr, "forklab: cannot trace here: %s\n", err);
		rc = 125;
	} else {
		/* The tree comes after the program's output, which is passed on as it arrives (the
		 * other formats are documents of their own on stdout). A reader that goes away
		 * (`| head`) must not kill forklab mid-run: SIGPIPE is ignored until the run is over
		 * (the program gets the default back before its exec). */
		struct live *live = a.format == FMT_TREE && !a.output ? live_start() : NULL;
		a.o.on_output = live ? live_output : NULL;
		a.o.on_output_arg = live;
		struct sigaction ign = { .sa_handler = SIG_IGN }, pipe_sa;
		bool ignored = sigaction(SIGPIPE, &ign, &pipe_sa) == 0;
		int run = trace_run(&a.o, &r, err, sizeof(err));
		bool open_line = live_finish(live);
		if (ignored)
			sigaction(SIGPIPE, &pipe_sa, NULL);
		if (run < 0) {
			fprintf(stderr, "forklab run: %s\n", err);
			rc = 125;
		} else {
			rc = print_record(&a, r, out, live != NULL, open_line) < 0 ? 125 :
									       r->status;
			record_free(r);
		}
	}
	if (out != stdout && outfile_commit(&of, rc != 125) < 0 && rc != 125) {
		fprintf(stderr, "forklab run: cannot write %s: %s\n", a.output, strerror(errno));
		rc = 125;
	}
	free(run_argv);
	free(a.program);
	return rc;
}
