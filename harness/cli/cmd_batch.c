/* cmd_batch.c - `forklab grade --batch DIR`: every submission in DIR graded, N at a time, each by
 * harness/tools/grade-submission.sh (the script the platforms' autograders run, so a folder or
 * an archive is taken as they take it) in a process group of its own, into OUT/NAME/report.json
 * and OUT/NAME/report.txt, then one CSV gradebook, OUT/gradebook.csv. A submission that cannot
 * be graded (no labs in it, an archive too large, grading that outlasts --timeout) is a row with
 * the reason; the batch goes on. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "assignment.h"
#include "cli.h"
#include "grade.h"
#include "grade_int.h"   /* grade_asprintf */
#include "report.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: forklab grade --batch DIR [options] [LAB...]\n"
		"\n"
		"Grades every submission in DIR: each folder, and each .tar, .tar.gz, .tgz or\n"
		"    .zip file (a student's repository, lab folders, or one lab's files), is one\n"
		"    student, named after it; with one LAB, a lone C file is that lab's source.\n"
		"    Each is graded as `forklab grade` grades one, in its own sandbox, and\n"
		"    written to OUT/NAME/report.json and OUT/NAME/report.txt (hidden checks\n"
		"    included: these are the instructor's); then OUT/gradebook.csv: a row per\n"
		"    student, a column per check and per lab, total, max and a note. A\n"
		"    submission that cannot be graded is a row with the reason in its note.\n"
		"\n"
		"options:\n"
		"  -j, --jobs N        grade N submissions at a time (default: 1)\n"
		"  --assignment FILE   the labs, points and hidden checks of FILE (default:\n"
		"                      $FORKLAB_ASSIGNMENT when set)\n"
		"  --output OUT        the output folder (default: grades)\n"
		"  --resume            keep the students OUT already has a report of\n"
		"  --timeout S         stop grading one submission after S seconds (default 900)\n"
		"  --help              this text\n"
		"\n"
		"On a terminal, a progress line on stderr: done/total, not graded, time left.\n"
		"Runs harness/tools/grade-submission.sh from the checkout forklab was built in.\n"
		"\n"
		"Ctrl-C (SIGINT), SIGTERM or SIGHUP stops every grading under way and leaves\n"
		"nothing running; the students graded so far keep their reports (--resume).\n"
		"\n"
		"exit status: 0 the gradebook was written (whatever the scores); 2 it could not\n"
		"be, or the batch was stopped (one line on stderr says why).\n");
}

struct student {
	char *name, *path;           /* the row's name; the submission, absolute */
	char *dir;                   /* OUT/NAME */
	pid_t pid;                   /* while it is graded */
	int cpu;                     /* the CPU it is graded on (-jN, N > 1), or -1 */
	double started;
	bool done;
	bool resumed;                /* its report is from an earlier run (--resume) */
	json_t *report;              /* its report.json, or NULL */
	char *note;                  /* why there is no report */
};

struct batch {
	const char *dir, *out_arg;
	char *out;                   /* OUT, absolute */
	char *script, *build;        /* grade-submission.sh; the directory forklab is in */
	char *asg_path;              /* absolute, or NULL */
	struct assignment *asg;
	const struct lab **labs;
	size_t nlabs;
	int jobs;
	double timeout;
	bool resume;
	cpu_set_t cpus;              /* the CPUs forklab may use, as it started */
	int ncpus;                   /* how many (0: affinity unknown, no CPU given out) */
	struct student *st;
	size_t n;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -1;
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	int rc = mkdir(copy, 0755) < 0 && errno != EEXIST ? -1 : 0;
	free(copy);
	return rc;
}

/* The checkout forklab was built in: grade-submission.sh is its harness/tools/. */
static int find_script(struct batch *b)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, "forklab: grade --batch: cannot read /proc/self/exe: %s\n",
			strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	b->build = strdup(exe);
	b->script = grade_asprintf("%s/../harness/tools/grade-submission.sh", exe);
	if (!b->build || !b->script)
		return -1;
	if (access(b->script, R_OK) < 0) {
		fprintf(stderr, "forklab: grade --batch: %s: %s (batch grading runs the forklab "
			"built in a checkout)\n", b->script, strerror(errno));
		return -1;
	}
	return 0;
}

/* A submission's name: the entry's, less an archive's extension. */
static char *student_name(const char *entry)
{
	static const char *const ext[] = {".tar.gz", ".tgz", ".tar", ".zip", ".c", NULL};
	size_t len = strlen(entry);
	for (size_t i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (len > e && strcmp(entry + len - e, ext[i]) == 0)
			return strndup(entry, len - e);
	}
	return strdup(entry);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct student *)x)->name, ((const struct student *)y)->name);
}

static int scan(struct batch *b)
{
	DIR *d = opendir(b->dir);
	char abs[PATH_MAX];
	if (!d || !realpath(b->dir, abs)) {
		fprintf(stderr, "forklab: grade --batch: %s: %s\n", b->dir, strerror(errno));
		if (d)
			closedir(d);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct student *more = realloc(b->st, (b->n + 1) * sizeof *more);
		if (!more) {
			rc = -1;
			break;
		}
		b->st = more;
		struct student *s = &b->st[b->n++];
		memset(s, 0, sizeof *s);
		s->name = student_name(e->d_name);
		s->path = grade_asprintf("%s/%s", abs, e->d_name);
		if (s->path && strcmp(s->path, b->out) == 0) {   /* OUT inside DIR */
			free(s->name);
			free(s->path);
			b->n--;
			continue;
		}
		s->dir = s->name ? grade_asprintf("%s/%s", b->out, s->name) : NULL;
		if (!s->name || !s->path || !s->dir) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	if (rc < 0) {
		fprintf(stderr, "forklab: grade --batch: out of memory\n");
		return -1;
	}
	if (b->n == 0) {
		fprintf(stderr, "forklab: grade --batch: %s holds no submission\n", b->dir);
		return -1;
	}
	qsort(b->st, b->n, sizeof *b->st, by_name);
	for (size_t i = 1; i < b->n; i++)
		if (strcmp(b->st[i].name, b->st[i - 1].name) == 0) {
			fprintf(stderr, "forklab: grade --batch: two submissions are named %s (%s and "
				"%s)\n", b->st[i].name, b->st[i - 1].path, b->st[i].path);
			return -1;
		}
	return 0;
}

/* The environment of one grading: ours, with the forklab to run, where it builds, and the
 * assignment. NULL when memory ran out. */
static char **grading_env(const struct batch *b, const char *build_dir)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 4, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "FORKLAB_BUILD=", 14) &&
		    strncmp(environ[i], "FORKLAB_GRADE_BUILD=", 20) &&
		    strncmp(environ[i], "FORKLAB_ASSIGNMENT=", 19))
			env[k++] = environ[i];
	env[k++] = grade_asprintf("FORKLAB_BUILD=%s", b->build);
	env[k++] = grade_asprintf("FORKLAB_GRADE_BUILD=%s", build_dir);
	env[k++] = grade_asprintf("FORKLAB_ASSIGNMENT=%s", b->asg_path ? b->asg_path : "");
	if (!env[k - 1] || !env[k - 2] || !env[k - 3]) {
		for (size_t i = k - 3; i < k; i++)
			free(env[i]);
		free(env);
		return NULL;
	}
	return env;
}

static void env_free(char **env)
{
	size_t n = 0;
	while (env[n])
		n++;
	for (size_t i = n - 3; i < n; i++)
		free(env[i]);
	free(env);
}

/* Starts grading s: grade-submission.sh SUB json OUT/NAME/report.json LAB..., its output in
 * OUT/NAME/log. 0, or -1 when it could not be started (s->note says why). */
static int start(struct batch *b, struct student *s)
{
	char *build_dir = grade_asprintf("%s/.build/%s", b->out, s->name);
	char *json = grade_asprintf("%s/report.json", s->dir), *log = grade_asprintf("%s/log", s->dir);
	char **argv = calloc(b->nlabs + 6, sizeof *argv), **env = NULL;
	int rc = -1;
	if (!build_dir || !json || !log || !argv || !(env = grading_env(b, build_dir))) {
		s->note = strdup("forklab ran out of memory");
		goto out;
	}
	unlink(json);
	size_t k = 0;
	argv[k++] = "/bin/sh";
	argv[k++] = b->script;
	argv[k++] = s->path;
	argv[k++] = "json";
	argv[k++] = json;
	for (size_t i = 0; i < b->nlabs; i++)
		argv[k++] = (char *)b->labs[i]->name;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		s->note = strdup("forklab ran out of memory");
		goto out;
	}
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&attr, 0);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* Each of the N gradings at once on a CPU of its own, inherited from forklab's affinity
	 * set for the spawn: the tracer keeps a program on the CPU it runs on, and two gradings
	 * that happen to start on one CPU would otherwise share it for a whole run. */
	bool pinned = false;
	if (s->cpu >= 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(s->cpu, &one);
		pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	}
	int err = posix_spawn(&s->pid, argv[0], &fa, &attr, argv, env);
	if (pinned && sched_setaffinity(0, sizeof(b->cpus), &b->cpus) < 0)
		fprintf(stderr, "forklab: grade --batch: cannot restore the CPU affinity: %s\n",
			strerror(errno));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		s->note = grade_asprintf("forklab could not start %s: %s", b->script, strerror(err));
		s->pid = 0;
		goto out;
	}
	s->started = now_s();
	rc = 0;
out:
	if (env)
		env_free(env);
	free(argv);
	free(build_dir);
	free(json);
	free(log);
	return rc;
}

/* The last line of OUT/NAME/log that says something: why grading failed. */
static char *last_log_line(const struct student *s)
{
	char *path = grade_asprintf("%s/log", s->dir), line[1024], *last = NULL;
	FILE *f = path ? fopen(path, "r") : NULL;
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		free(last);
		last = strdup(line);
	}
	if (f)
		fclose(f);
	free(path);
	return last;
}

/* Removes a directory tree (the grading's private build directory). */
static void remove_tree(const char *path)
{
	char *argv[] = {"rm", "-rf", "--", (char *)path, NULL};
	pid_t pid;
	if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

/* Reads OUT/NAME/report.json and writes the instructor's human report beside it. */
static void take_report(struct student *s)
{
	char *json = grade_asprintf("%s/report.json", s->dir);
	char *txt = grade_asprintf("%s/report.txt", s->dir);
	char err[256] = "";
	json_error_t je;
	json_t *rep = json ? json_load_file(json, 0, &je) : NULL;
	struct grade_report *g = rep ? report_load(rep, err, sizeof err) : NULL;
	if (!g) {
		free(s->note);
		s->note = grade_asprintf("no report: %s", rep ? err : je.text);
		json_decref(rep);
		goto out;
	}
	struct report_opts ro = {.show_hidden = true};
	FILE *f = txt ? fopen(txt, "w") : NULL;
	int rc = f ? report_human(f, g, &ro) : -1;
	if (f && fclose(f) == EOF)
		rc = -1;
	if (rc < 0) {
		s->note = grade_asprintf("cannot write %s: %s", txt ? txt : "report.txt", strerror(errno));
		json_decref(rep);
	} else {
		s->report = rep;
	}
	report_loaded_free(g);
out:
	free(json);
	free(txt);
}

static void finish(struct batch *b, struct student *s, int status, bool timed_out)
{
	s->done = true;
	s->pid = 0;
	char *build_dir = grade_asprintf("%s/.build/%s", b->out, s->name);
	if (build_dir)
		remove_tree(build_dir);
	free(build_dir);
	if (timed_out) {
		s->note = grade_asprintf("grading took longer than %.0f s and was stopped", b->timeout);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		take_report(s);
		return;
	}
	char *why = last_log_line(s);
	s->note = why ? why : WIFSIGNALED(status) ? grade_asprintf("grading was killed by signal %d",
							      WTERMSIG(status))
						   : strdup("grading failed without saying why");
}

/* Resume: a student whose report.json and report.txt are there is done. */
static bool already_graded(struct student *s)
{
	char *txt = grade_asprintf("%s/report.txt", s->dir);
	bool there = txt && access(txt, F_OK) == 0;
	free(txt);
	if (!there)
		return false;
	take_report(s);
	if (s->report) {
		s->done = true;
		s->resumed = true;
		return true;
	}
	free(s->note);
	s->note = NULL;
	return false;
}

/* On a terminal, the progress line: done/total (those kept by --resume included), not graded,
 * and the time left, from the time this run took per student it graded (none yet: no guess). */
static void progress(const struct batch *b, double t0, bool tty)
{
	if (!tty)
		return;
	size_t done = 0, failed = 0, graded_now = 0;
	for (size_t i = 0; i < b->n; i++) {
		done += b->st[i].done;
		failed += b->st[i].done && !b->st[i].report;
		graded_now += b->st[i].done && !b->st[i].resumed;
	}
	double spent = now_s() - t0;
	fprintf(stderr, "\rgrading: %zu/%zu done, %zu not graded", done, b->n, failed);
	if (graded_now > 0 && done < b->n) {
		long left = (long)(spent / (double)graded_now * (double)(b->n - done) + 0.5);
		fprintf(stderr, ", about %ld:%02ld left", left / 60, left % 60);
	}
	fprintf(stderr, "\033[K");
}

/* The CPU for a new grading: with more than one at a time, the allowed CPU that the fewest
 * running gradings have (-1: none given out). */
static int pick_cpu(const struct batch *b)
{
	if (b->jobs < 2 || b->ncpus < 2)
		return -1;
	int best = -1, best_n = INT_MAX;
	for (int c = 0, seen = 0; c < CPU_SETSIZE && seen < b->ncpus; c++) {
		if (!CPU_ISSET(c, &b->cpus))
			continue;
		seen++;
		int n = 0;
		for (size_t i = 0; i < b->n; i++)
			n += b->st[i].pid > 0 && b->st[i].cpu == c;
		if (n < best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

static volatile sig_atomic_t stop_signal;   /* SIGINT, SIGTERM or SIGHUP came: stop */

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* Catches the signals that stop a batch (no SA_RESTART: the loop's sleep ends at once). The
 * gradings get the default dispositions back: posix_spawn resets caught signals. */
static int catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigemptyset(&sa.sa_mask);
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			fprintf(stderr, "forklab: grade --batch: sigaction: %s\n", strerror(errno));
			return -1;
		}
	return 0;
}

/* Stops the gradings under way: SIGTERM to each one's process group (forklab grade ends its
 * run, sweeping what the program left), SIGKILL to the groups still there 3 s later, and
 * reaps them all. */
static void stop_gradings(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->st[i].pid > 0)
			kill(-b->st[i].pid, SIGTERM);
	double until = now_s() + 3;
	for (size_t i = 0; i < b->n; i++) {
		struct student *s = &b->st[i];
		while (s->pid > 0) {
			pid_t r = waitpid(s->pid, NULL, WNOHANG);
			if (r == s->pid || (r < 0 && errno != EINTR))
				break;
			if (now_s() >= until) {
				kill(-s->pid, SIGKILL);
				while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
					;
				break;
			}
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (s->pid > 0)
			kill(-s->pid, SIGKILL);   /* whatever of its group is left */
		s->pid = 0;
	}
}

static int run_all(struct batch *b)
{
	bool tty = isatty(STDERR_FILENO);
	double t0 = now_s(), shown = 0;
	size_t next = 0, running = 0;
	b->ncpus = sched_getaffinity(0, sizeof(b->cpus), &b->cpus) == 0 ? CPU_COUNT(&b->cpus) : 0;
	if (catch_stop_signals() < 0)
		return -1;
	for (;;) {
		if (stop_signal) {
			stop_gradings(b);
			size_t done = 0;
			for (size_t i = 0; i < b->n; i++)
				done += b->st[i].done;
			if (tty)
				fprintf(stderr, "\n");
			fprintf(stderr, "forklab: grade --batch: stopped by %s with %zu of %zu students "
				"graded; nothing is left running (--resume goes on from there)\n",
				stop_signal == SIGINT ? "SIGINT" : stop_signal == SIGTERM ? "SIGTERM"
				: "SIGHUP", done, b->n);
			return -1;
		}
		while (running < (size_t)b->jobs && next < b->n) {
			struct student *s = &b->st[next++];
			if (s->done)
				continue;
			s->cpu = pick_cpu(b);
			if (mkdir_p(s->dir) < 0) {
				s->note = grade_asprintf("cannot make %s: %s", s->dir, strerror(errno));
				s->done = true;
				continue;
			}
			if (start(b, s) < 0)
				s->done = true;
			else
				running++;
		}
		if (running == 0)
			break;
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno != EINTR) {
			fprintf(stderr, "forklab: grade --batch: waitpid: %s\n", strerror(errno));
			return -1;
		}
		for (size_t i = 0; pid > 0 && i < b->n; i++)
			if (b->st[i].pid == pid) {
				finish(b, &b->st[i], status, false);
				running--;
			}
		double now = now_s();
		for (size_t i = 0; i < b->n; i++) {
			struct student *s = &b->st[i];
			if (!s->pid || now - s->started < b->timeout)
				continue;
			kill(-s->pid, SIGKILL);
			while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
				;
			finish(b, s, status, true);
			running--;
		}
		if (now - shown >= 0.5) {
			progress(b, t0, tty);
			shown = now;
		}
		if (pid <= 0) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	progress(b, t0, tty);
	if (tty)
		fprintf(stderr, "\n");
	return 0;
}

static int write_gradebook(const struct batch *b)
{
	struct gb_cols cols = {0};
	struct gb_row *rows = calloc(b->n + 1, sizeof *rows);
	char *path = grade_asprintf("%s/gradebook.csv", b->out);
	int rc = rows && path ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < b->nlabs; i++)
		rc = gb_cols_add_lab(&cols, b->labs[i]);
	for (size_t i = 0; rc == 0 && i < b->n; i++)
		rows[i] = (struct gb_row){b->st[i].name, b->st[i].report, b->st[i].note};
	if (rc == 0)
		rc = gb_write_file(path, &cols, rows, b->n);
	if (rc < 0)
		fprintf(stderr, "forklab: grade --batch: cannot write %s: %s\n",
			path ? path : "the gradebook", strerror(errno));
	else
		fprintf(stderr, "forklab: %s\n", path);
	gb_cols_free(&cols);
	free(rows);
	free(path);
	return rc;
}

/* The labs graded: LAB arguments, else the assignment's, else every lab. -1 after saying. */
static int select_labs(struct batch *b, char **specs, int nspecs)
{
	size_t nall = 0;
	while (labs_all[nall])
		nall++;
	b->labs = calloc(nall + (size_t)nspecs + 1, sizeof *b->labs);
	if (!b->labs)
		return -1;
	if (nspecs == 0 && b->asg) {
		for (size_t i = 0; i < b->asg->nlabs; i++)
			b->labs[b->nlabs++] = b->asg->labs[i];
		return 0;
	}
	if (nspecs == 0) {
		for (size_t i = 0; i < nall; i++)
			b->labs[b->nlabs++] = labs_all[i];
		return 0;
	}
	for (int i = 0; i < nspecs; i++) {
		const struct lab *lab = b->asg ? assignment_lab(b->asg, specs[i]) : lab_lookup(specs[i]);
		if (!lab) {
			fprintf(stderr, "forklab: grade --batch: no lab '%s'%s%s\n", specs[i],
				b->asg ? " in " : "", b->asg ? b->asg->path : "");
			return -1;
		}
		b->labs[b->nlabs++] = lab;
	}
	return 0;
}

static int parse(int argc, char **argv, struct batch *b, const char **asg)
{
	static const struct option longopts[] = {
		{"batch", required_argument, NULL, 'B'},
		{"jobs", required_argument, NULL, 'j'},
		{"assignment", required_argument, NULL, 'A'},
		{"output", required_argument, NULL, 'o'},
		{"resume", no_argument, NULL, 'r'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	/* "grade --batch --help" asks for this text: getopt would take --help as the DIR. */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'B': b->dir = optarg; break;
		case 'A': *asg = optarg; break;
		case 'o': b->out_arg = optarg; break;
		case 'r': b->resume = true; break;
		case 'j':
			b->jobs = (int)strtol(optarg, &end, 10);
			if (*end || b->jobs < 1 || b->jobs > 256) {
				fprintf(stderr, "forklab: grade --batch: -j takes a number from 1 to "
					"256, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			b->timeout = strtod(optarg, &end);
			if (*end || !(b->timeout >= 1)) {
				fprintf(stderr, "forklab: grade --batch: --timeout takes seconds (at "
					"least 1), not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default:
			fprintf(stderr, "forklab: grade --batch: bad option '%s' (try: forklab grade "
				"--batch --help)\n", argv[optind - 1]);
			return 2;
		}
	}
	return -1;
}

int cmd_batch(int argc, char **argv)
{
	struct batch b = {.out_arg = "grades", .jobs = 1, .timeout = 900};
	const char *asg = getenv("FORKLAB_ASSIGNMENT");
	int rc = parse(argc, argv, &b, &asg);
	if (rc >= 0)
		return rc;
	rc = 2;
	char err[1024], abs[PATH_MAX];
	if (asg && *asg) {
		if (!(b.asg = assignment_load(asg, err, sizeof err))) {
			fprintf(stderr, "forklab: %s\n", err);
			goto out;
		}
		if (!realpath(asg, abs) || !(b.asg_path = strdup(abs)))
			goto out;
	}
	if (select_labs(&b, argv + optind, argc - optind) < 0 || find_script(&b) < 0)
		goto out;
	if (mkdir_p(b.out_arg) < 0 || !realpath(b.out_arg, abs) || !(b.out = strdup(abs))) {
		fprintf(stderr, "forklab: grade --batch: %s: %s\n", b.out_arg, strerror(errno));
		goto out;
	}
	if (scan(&b) < 0)
		goto out;
	for (size_t i = 0; b.resume && i < b.n; i++)
		already_graded(&b.st[i]);
	if (run_all(&b) < 0 || write_gradebook(&b) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < b.n; i++) {
		if (b.st[i].pid > 0) {
			kill(-b.st[i].pid, SIGKILL);
			waitpid(b.st[i].pid, NULL, 0);
		}
		free(b.st[i].name);
		free(b.st[i].path);
		free(b.st[i].dir);
		free(b.st[i].note);
		json_decref(b.st[i].report);
	}
	if (b.out) {
		char *bd = grade_asprintf("%s/.build", b.out);
		if (bd)
			rmdir(bd);
		free(bd);
	}
	free(b.st);
	free(b.labs);
	free(b.out);
	free(b.script);
	free(b.build);
	free(b.asg_path);
	assignment_free(b.asg);
	return rc;
}
