/* test_security_fs.c - what a hostile student cannot do to the machine's files through forklab,
 * as root or as an ordinary user: redirect the scratch directory's removal through a swapped
 * link, have a directory planted in /tmp removed, get a linked lab directory graded, make
 * --output write through a planted name or hang on a FIFO, swap programs between two graders,
 * exhaust the grader's memory with sparse files, or #include the grader's checkout. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "grade.h"
#include "record.h"
#include "testutil.h"
#include "trace.h"

/* A shell command line that must succeed. */
static void sh(const char *fmt, ...)
{
	char line[4 * PATH_MAX + 512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	struct test_cmd r = test_command((const char *[]){"/bin/sh", "-c", line, NULL}, "/");
	cr_assert_eq(r.status, 0, "%s: %s%s", line, r.out, r.err);
	test_cmd_free(&r);
}

static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	char *s = test_slurp_fd(fd);
	close(fd);
	return s;
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(close(fd), 0);
}

/* A directory of the test's own (mode 0755) holding victim, a file of mode 0600: what a hostile
 * program aims at. */
struct victim {
	char dir[64];
	char file[128];
};

static void victim_make(struct victim *v)
{
	snprintf(v->dir, sizeof v->dir, "/tmp/forklab-victim-XXXXXX");
	cr_assert_not_null(mkdtemp(v->dir));
	cr_assert_eq(chmod(v->dir, 0755), 0);
	snprintf(v->file, sizeof v->file, "%s/victim", v->dir);
	write_text(v->file, "the victim's own bytes\n");
	cr_assert_eq(chmod(v->file, 0600), 0);
}

static void victim_assert_intact(const struct victim *v, const char *when)
{
	struct stat st;
	cr_assert_eq(lstat(v->dir, &st), 0, "%s: %s is gone", when, v->dir);
	cr_assert_eq(st.st_mode & 07777, 0755, "%s: %s is now mode %o", when, v->dir,
		     st.st_mode & 07777);
	cr_assert_eq(lstat(v->file, &st), 0, "%s: %s was removed", when, v->file);
	cr_assert(S_ISREG(st.st_mode), "%s: %s is no longer a file", when, v->file);
	cr_assert_eq(st.st_mode & 07777, 0600, "%s: %s is now mode %o", when, v->file,
		     st.st_mode & 07777);
	cr_assert_eq(st.st_uid, geteuid(), "%s: %s changed owner", when, v->file);
	char *s = slurp(v->file);
	cr_assert_str_eq(s, "the victim's own bytes\n", "%s: %s was written", when, v->file);
	free(s);
}

/* Waits for pid, a process that must end within 90 s (a FIFO opened for writing would block it
 * for ever): its exit status, or -1 after killing and reaping it. */
static int wait_bounded(pid_t pid)
{
	int st = 0;
	for (int i = 0; i < 900; i++) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		cr_assert_geq(w, 0);
		if (w == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(100 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Starts build/forklab with args (no stdin, output to /dev/null) once a byte can be read from
 * go (when go >= 0): the pid. */
static pid_t forklab_start(const char *const *args, int go)
{
	static char exe[PATH_MAX + 16];
	const char *argv[16];
	size_t n = 0;
	snprintf(exe, sizeof exe, "%s/forklab", test_build_dir());
	argv[n++] = exe;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char c;
		int null = open("/dev/null", O_RDWR);
		if ((go >= 0 && read(go, &c, 1) != 1) || null < 0 || dup2(null, 0) < 0 ||
		    dup2(null, 1) < 0 || dup2(null, 2) < 0 || chdir(test_root_dir()) < 0)
			_exit(127);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* ---- finding 2: the scratch directory's removal ---- */

/* A swapper racing the removal: a thread of this test process, so that the sweep that ends every
 * run (it kills whatever the run left, sec_swap_dirs's own swapper included) cannot stop it. It
 * waits for the scratch directory's name (the program's first line, seen through on_output), then
 * swaps d and l in it (renameat2 RENAME_EXCHANGE) until told to stop, putting the link back when
 * it is removed: a removal by path then finds the victim where d was. */
struct swapper {
	char line[512];
	size_t len;
	const char *outside;
	volatile int dirfd;     /* the scratch directory, once known; -1 before */
	volatile int stop;
};

static void swapper_output(int stream, const char *data, size_t len, void *arg)
{
	struct swapper *sw = arg;
	if (stream != 1 || sw->dirfd >= 0)
		return;
	size_t n = len < sizeof sw->line - 1 - sw->len ? len : sizeof sw->line - 1 - sw->len;
	memcpy(sw->line + sw->len, data, n);
	sw->len += n;
	sw->line[sw->len] = '\0';
	char *nl = strchr(sw->line, '\n');
	if (nl) {
		*nl = '\0';
		sw->dirfd = open(sw->line, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
}

static void *swapper_main(void *arg)
{
	struct swapper *sw = arg;
	while (sw->dirfd < 0 && !sw->stop)
		usleep(1000);
	int d = sw->dirfd;
	while (d >= 0 && !sw->stop)
		for (int i = 0; i < 1000; i++)
			if (syscall(SYS_renameat2, d, "d", d, "l", RENAME_EXCHANGE) < 0 &&
			    errno == ENOENT && symlinkat(sw->outside, d, "d") < 0)
				symlinkat(sw->outside, d, "l");
	return NULL;
}

/* The run leaves d/ and a link l to the victim's directory in its scratch directory, and a
 * swapper (here a thread of the test, on another CPU than forklab's, which it keeps the program
 * on) exchanges them while forklab removes the scratch directory. The victim's file keeps its
 * mode and stays; the scratch directory goes. (A removal by path loses this race about one time
 * in four: 30 runs.) */
Test(sec_fs, removal_never_follows_a_swapped_link, .timeout = 120)
{
	struct victim v;
	victim_make(&v);
	for (int i = 0; i < 30; i++) {
		struct swapper sw = { .outside = v.dir, .dirfd = -1 };
		pthread_t th;
		cr_assert_eq(pthread_create(&th, NULL, swapper_main, &sw), 0);
		struct trace_opts o;
		struct record *r = NULL;
		char err[512] = "";
		char *argv[] = { (char *)test_prog("sec_swap_dirs"), v.dir, "victim", "5", NULL };
		trace_opts_init(&o);
		o.argv = argv;
		o.untraced = true;
		o.timeout_s = 5;
		o.on_output = swapper_output;
		o.on_output_arg = &sw;
		int rc = trace_run(&o, &r, err, sizeof err);
		sw.stop = 1;
		cr_assert_eq(pthread_join(th, NULL), 0);
		cr_assert_eq(rc, 0, "%s", err);
		char dir[256] = "";
		int pid = 0;
		cr_assert_eq(r->status, 0, "sec_swap_dirs failed: %.*s", (int)r->err.len,
			     r->err.data);
		cr_assert_eq(sscanf(r->out.data ? r->out.data : "", "%255s %d", dir, &pid), 2);
		cr_assert_geq(sw.dirfd, 0, "the swapper never learnt the scratch directory");
		close(sw.dirfd);
		record_free(r);
		victim_assert_intact(&v, "after a removal raced by a swapper");
		struct stat st;
		cr_assert(strncmp(dir, "/tmp/forklab-", 13) == 0, "the program printed '%s'", dir);
		if (lstat(dir, &st) == 0) /* what the swapper put back after the removal */
			sh("rm -rf '%s'", dir);
	}
	sh("rm -rf '%s'", v.dir);
}

/* A directory named like a scratch directory that forklab did not make (here one the test
 * planted, old, and - as root - owned by another user) is left alone, whatever its age. */
Test(sec_fs, a_planted_scratch_directory_is_left_alone, .timeout = 30)
{
	char mine[] = "/tmp/forklab-XXXXXX", other[] = "/tmp/forklab-XXXXXX";
	char *dirs[] = { mine, geteuid() == 0 ? other : NULL };
	struct timespec old[2] = { { time(NULL) - 7200, 0 }, { time(NULL) - 7200, 0 } };
	for (size_t i = 0; i < 2 && dirs[i]; i++) {
		char file[64];
		cr_assert_not_null(mkdtemp(dirs[i]));
		snprintf(file, sizeof file, "%s/keep", dirs[i]);
		write_text(file, "planted\n");
		if (dirs[i] == other)
			cr_assert(chown(file, 65534, 65534) == 0 && chown(other, 65534, 65534) == 0);
		cr_assert_eq(utimensat(AT_FDCWD, dirs[i], old, 0), 0);
	}
	struct trace_opts o;
	struct record *r = NULL;
	char err[512] = "";
	char *argv[] = { (char *)test_prog("t_exit"), NULL };
	trace_opts_init(&o);
	o.argv = argv;
	cr_assert_eq(trace_run(&o, &r, err, sizeof err), 0, "%s", err);
	record_free(r);
	for (size_t i = 0; i < 2 && dirs[i]; i++) {
		char file[64];
		struct stat st;
		snprintf(file, sizeof file, "%s/keep", dirs[i]);
		cr_assert_eq(stat(file, &st), 0, "forklab removed %s, which it did not make (%s)", file,
			     strerror(errno));
		sh("rm -rf '%s'", dirs[i]);
	}
}

/* The janitor still does its job: the scratch directory of a forklab killed with SIGKILL (its
 * note left unlocked) is removed by the next forklab of the same user, note and all. */
Test(sec_fs, a_killed_runs_scratch_directory_is_removed_later, .timeout = 60)
{
	char notes[64], note[128];
	snprintf(notes, sizeof notes, "/tmp/.forklab-scratch-%u", (unsigned)geteuid());
	/* forklab run of a program that prints its cwd, then sleeps: forklab passes the line on. */
	int out[2];
	cr_assert_eq(pipe(out), 0);
	char exe[PATH_MAX + 16];
	snprintf(exe, sizeof exe, "%s/forklab", test_build_dir());
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (dup2(out[1], 1) < 0)
			_exit(127);
		execl(exe, exe, "run", "--timeout", "30", "--", "/bin/sh", "-c", "pwd; exec sleep 30",
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char cwd[64] = "";
	FILE *f = fdopen(out[0], "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(cwd, sizeof cwd, f), "forklab run printed nothing");
	fclose(f);
	cwd[strcspn(cwd, "\n")] = '\0';
	cr_assert(strncmp(cwd, "/tmp/forklab-", 13) == 0 && strlen(cwd) == 19, "cwd '%s'", cwd);
	snprintf(note, sizeof note, "%s/%s", notes, cwd + 13);
	struct stat st;
	cr_assert_eq(stat(note, &st), 0, "no note %s for the run", note);
	cr_assert_eq(kill(pid, SIGKILL), 0);
	cr_assert_eq(wait_bounded(pid), 128 + SIGKILL);
	/* The program died with its tracer (PTRACE_O_EXITKILL); its directory stayed. */
	struct trace_opts o;
	struct record *r = NULL;
	char err[512] = "";
	char *argv[] = { (char *)test_prog("t_exit"), NULL };
	trace_opts_init(&o);
	o.argv = argv;
	cr_assert_eq(trace_run(&o, &r, err, sizeof err), 0, "%s", err);
	record_free(r);
	cr_assert_neq(lstat(cwd, &st), 0, "%s, a killed run's, is still there", cwd);
	cr_assert_neq(lstat(note, &st), 0, "its note %s is still there", note);
}

/* ---- finding 3: a linked lab directory ---- */

static const struct lab *lab01(void)
{
	const struct lab *lab = lab_lookup("01");
	cr_assert(lab && lab->nchecks > 0);
	return lab;
}

/* labs/01-fork-return -> <checkout>/solutions/01-fork-return, graded: refused, never the
 * solution's score; labs itself a link: the same. */
Test(sec_fs, a_linked_lab_directory_is_refused, .timeout = 60)
{
	char tmp[] = "/tmp/forklab-sec-XXXXXX", labs[128], link[192], sol[PATH_MAX + 64];
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(labs, sizeof labs, "%s/labs", tmp);
	snprintf(link, sizeof link, "%s/01-fork-return", labs);
	snprintf(sol, sizeof sol, "%s/solutions/01-fork-return", test_root_dir());
	cr_assert_eq(mkdir(labs, 0755), 0);
	cr_assert_eq(symlink(sol, link), 0);
	struct grade_opts o;
	struct lab_result r;
	char err[512] = "", build[128];
	snprintf(build, sizeof build, "%s/build", tmp);
	grade_opts_init(&o);
	o.labs_dir = labs;
	o.build_dir = build;
	cr_assert_eq(grade_lab(lab01(), &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built, "the linked solution was built");
	cr_assert_eq(r.score, 0);
	cr_assert_not_null(strstr(r.build_log, "symbolic link"), "%s", r.build_log);
	lab_result_free(&r);
	/* The whole labs directory a link to solutions/ */
	char labs2[128], sols[PATH_MAX + 32];
	snprintf(labs2, sizeof labs2, "%s/labs2", tmp);
	snprintf(sols, sizeof sols, "%s/solutions", test_root_dir());
	cr_assert_eq(symlink(sols, labs2), 0);
	o.labs_dir = labs2;
	cr_assert_eq(grade_lab(lab01(), &o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_not(r.built, "the linked solutions were built");
	cr_assert_eq(r.score, 0);
	lab_result_free(&r);
	sh("rm -rf '%s'", tmp);
}

/* Runs grade-submission.sh on sub for lab 01 (json into out). */
static struct test_cmd grade_submission(const char *sub, const char *out)
{
	char script[PATH_MAX + 64], env[PATH_MAX + 32];
	snprintf(script, sizeof script, "%s/harness/tools/grade-submission.sh", test_root_dir());
	snprintf(env, sizeof env, "FORKLAB_BUILD=%s", test_build_dir());
	return test_command((const char *[]){"/usr/bin/env", env, "/bin/sh", script, sub, "json",
					      out, "01-fork-return", NULL}, "/tmp");
}

/* The score in grade-submission.sh's json report, or -1 when there is none. */
static int report_score(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	if (!j)
		return -1;
	json_t *lab = json_array_get(json_object_get(j, "labs"), 0);
	int score = (int)json_integer_value(json_object_get(lab, "score"));
	json_decref(j);
	return score;
}

/* Archives holding a link (a tar and a zip with a symbolic link to the reference solution, a
 * tar with a hard link) are refused with one line saying so, and never score. */
Test(sec_fs, submission_archives_with_links_are_refused, .timeout = 120)
{
	char tmp[] = "/tmp/forklab-sec-XXXXXX", out[128];
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(out, sizeof out, "%s/report.json", tmp);
	sh("cd '%s' && mkdir -p s/labs && ln -s '%s/solutions/01-fork-return' "
	   "s/labs/01-fork-return && tar -C s -cf sym.tar labs && (cd s && zip -q -y -r ../sym.zip "
	   "labs) && mkdir -p h/labs/01-fork-return && cp '%s/solutions/01-fork-return/"
	   "fork_return.c' h/labs/01-fork-return/ && ln h/labs/01-fork-return/fork_return.c "
	   "h/labs/01-fork-return/copy.c && tar -C h -cf hard.tar labs", tmp, test_root_dir(),
	   test_root_dir());
	const char *archives[] = { "sym.tar", "sym.zip", "hard.tar" };
	for (size_t i = 0; i < 3; i++) {
		char sub[192];
		snprintf(sub, sizeof sub, "%s/%s", tmp, archives[i]);
		unlink(out);
		struct test_cmd r = grade_submission(sub, out);
		cr_assert_eq(report_score(out), -1, "%s was graded: score %d", archives[i],
			     report_score(out));
		cr_assert_eq(r.status, 2, "%s: status %d: %s", archives[i], r.status, r.err);
		cr_assert_not_null(strstr(r.err, "link"), "%s: %s", archives[i], r.err);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "%s: %s", archives[i],
			     r.err);
		test_cmd_free(&r);
	}
	sh("rm -rf '%s'", tmp);
}

/* ---- finding 6: --output ---- */

/* What a program could plant beside an --output file in a directory it can write: a FIFO and
 * links to the victim at the name the old code used (<out>.tmp<pid>, the pid being the one the
 * forklab command will have), and at other names one could guess. */
static void plant(const char *out, const struct victim *v, bool fifo_at_pid_name, pid_t pid)
{
	char name[256];
	snprintf(name, sizeof name, "%s.tmp%d", out, (int)pid);
	if (fifo_at_pid_name)
		cr_assert_eq(mkfifo(name, 0666), 0);
	else
		cr_assert_eq(symlink(v->file, name), 0);
	const char *guesses[] = { "%s.tmp", "%s~", "%s.new" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(name, sizeof name, guesses[i], out);
		cr_assert(symlink(v->file, name) == 0 || errno == EEXIST);
	}
}

/* `forklab grade --output` with a FIFO, then links, planted at its temporary's old name (the
 * pid is known: the test forks the process that becomes forklab, plants, then execs) and at
 * guessed names: it never hangs, never writes through a link, and the report is a new regular
 * file of mode 0644. */
Test(sec_fs, grade_output_never_opens_a_planted_name, .timeout = 240)
{
	struct victim v;
	victim_make(&v);
	char dir[] = "/tmp/forklab-out-XXXXXX", out[128];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 01777), 0);
	snprintf(out, sizeof out, "%s/report.json", dir);
	for (int fifo = 1; fifo >= 0; fifo--) {
		/* The process that becomes forklab waits until its pid's names are planted. */
		int fds[2];
		cr_assert_eq(pipe(fds), 0);
		pid_t pid = forklab_start((const char *[]){"grade", "--bin", "/bin/true", "--format",
							    "json", "--output", out, "01", NULL},
					  fds[0]);
		close(fds[0]);
		plant(out, &v, fifo, pid);
		cr_assert_eq(write(fds[1], "x", 1), 1);
		close(fds[1]);
		int status = wait_bounded(pid);
		if (status < 0) {
			char name[256];
			snprintf(name, sizeof name, "%s.tmp%d", out, (int)pid);
			unlink(name); /* the FIFO, so that rm -rf below does not meet it open */
		}
		cr_assert_geq(status, 0, "forklab grade --output hung on a planted %s",
			      fifo ? "FIFO" : "link");
		cr_assert_eq(status, 1, "forklab grade (true graded as lab 01): status %d", status);
		victim_assert_intact(&v, fifo ? "grade --output beside a FIFO" :
				     "grade --output beside links");
		struct stat st2;
		cr_assert_eq(lstat(out, &st2), 0);
		cr_assert(S_ISREG(st2.st_mode), "the report is not a regular file");
		cr_assert_eq(st2.st_mode & 07777, 0644, "the report has mode %o", st2.st_mode & 07777);
		cr_assert_eq(st2.st_uid, geteuid());
		cr_assert_geq(report_score(out), 0, "the report is not the json report");
		sh("cd '%s' && rm -f report.json*", dir);
	}
	sh("rm -rf '%s' '%s'", dir, v.dir);
}

/* `forklab run --output FILE` where FILE is a link planted to the victim: the record replaces
 * the link, it is not written through it. */
Test(sec_fs, run_output_never_writes_through_a_link, .timeout = 60)
{
	struct victim v;
	victim_make(&v);
	char dir[] = "/tmp/forklab-out-XXXXXX", out[128];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(out, sizeof out, "%s/record.json", dir);
	cr_assert_eq(symlink(v.file, out), 0);
	plant(out, &v, true, getpid());
	int status = wait_bounded(forklab_start((const char *[]){"run", "--format", "json",
								  "--output", out, "--",
								  "/bin/true", NULL}, -1));
	cr_assert_eq(status, 0, "forklab run --output: status %d", status);
	victim_assert_intact(&v, "run --output at a link");
	struct stat st;
	cr_assert_eq(lstat(out, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "the record is not a regular file");
	sh("rm -rf '%s' '%s'", dir, v.dir);
}

/* ---- finding 7: two graders at once ---- */

/* A solution and a starter of lab 03 (seven scenarios, each starting the program afresh, about a
 * second in all) in two trees of the same name (y/L/03-wait-modes and x/L/03-wait-modes) graded
 * at the same
 * time, the starter started a little later each round so that its build ends while the
 * solution's scenarios run: each gets the score it gets alone. */
Test(sec_fs, two_graders_of_the_same_labs_name, .timeout = 300)
{
	const struct lab *lab = lab_lookup("03");
	cr_assert(lab && lab->nchecks > 0);
	char tmp[] = "/tmp/forklab-sec-XXXXXX", base[64];
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(base, sizeof base, "sec-labs-%d", (int)getpid());
	sh("cd '%s' && mkdir -p x/%s y/%s && cp -r '%s/labs/%s' x/%s/ && cp -r '%s/solutions/%s' "
	   "y/%s/", tmp, base, base, test_root_dir(), lab->name, base, test_root_dir(), lab->name,
	   base);
	const char *who[2] = { "y", "x" };
	int full = 0;
	for (size_t i = 0; i < lab->nchecks; i++)
		full += lab->checks[i].points;
	for (int round = 0; round < 4; round++) {
		pid_t pids[2];
		char outs[2][192];
		for (int k = 0; k < 2; k++) {
			char labs[192];
			snprintf(labs, sizeof labs, "%s/%s/%s", tmp, who[k], base);
			snprintf(outs[k], sizeof outs[k], "%s/%s.json", tmp, who[k]);
			if (k == 1)
				usleep((useconds_t)(200 + round * 150) * 1000);
			pids[k] = forklab_start((const char *[]){"grade", "--labs", labs, "--format",
								 "json", "--output", outs[k],
								 lab->name, NULL}, -1);
		}
		for (int k = 0; k < 2; k++) {
			int st = wait_bounded(pids[k]);
			cr_assert(st == 0 || st == 1, "grader %s: status %d", who[k], st);
		}
		int solution = report_score(outs[0]), starter = report_score(outs[1]);
		cr_assert_eq(solution, full, "round %d: the solution got %d/%d", round, solution,
			     full);
		cr_assert(starter >= 0 && starter < full, "round %d: the starter got %d/%d", round,
			  starter, full);
	}
	sh("rm -rf '%s' '%s/grade/%s'", tmp, test_build_dir(), base);
}

/* ---- finding 8: what the grader collects, what the compiler reads ---- */

/* 256 sparse files of 1 MiB: what forklab keeps of them is bounded in all (16 MiB, see
 * sandbox.h), the rest flagged as cut. */
Test(sec_fs, collected_files_are_bounded_in_all, .timeout = 60)
{
	struct trace_opts o;
	struct record *r = NULL;
	char err[512] = "";
	char *argv[] = { (char *)test_prog("sec_sparse_files"), "256", "1", NULL };
	trace_opts_init(&o);
	o.argv = argv;
	o.collect_files = true;
	cr_assert_eq(trace_run(&o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_eq(r->status, 0, "%.*s", (int)r->err.len, r->err.data);
	size_t total = 0, cut = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		total += r->files[i].len;
		cut += r->files[i].truncated;
	}
	cr_assert_eq(r->nfiles, 256);
	cr_assert_leq(total, (size_t)16 << 20, "forklab kept %zu bytes of the files", total);
	cr_assert_geq(cut, 256 - 16, "%zu files flagged as cut", cut);
	record_free(r);
}

/* A source that #includes, or .incbin's, a file of the checkout by its absolute path (the
 * checkout readable by everyone, as root's often is) does not build, and nothing of that
 * file's text is in the verdict. */
Test(sec_fs, compiler_cannot_read_the_checkout, .timeout = 120)
{
	char tmp[] = "/tmp/forklab-sec-XXXXXX", src[192], labs[128], build[128];
	char target[PATH_MAX + 64];
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(labs, sizeof labs, "%s/labs", tmp);
	snprintf(build, sizeof build, "%s/build", tmp);
	snprintf(src, sizeof src, "%s/01-fork-return/fork_return.c", labs);
	snprintf(target, sizeof target, "%s/solutions/01-fork-return/fork_return.c",
		 test_root_dir());
	char *text = slurp(target);
	/* Its longest line stands for its content. */
	char marker[256] = "";
	for (char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		if (n > strlen(marker) && n < sizeof marker)
			snprintf(marker, sizeof marker, "%.*s", (int)n, s);
		s += n + (s[n] == '\n');
	}
	cr_assert_gt(strlen(marker), 20);
	free(text);
	sh("mkdir -p '%s/01-fork-return'", labs);
	const char *forms[] = {
		"#include \"%s\"\n",
		"__asm__(\".section .rodata\\n.global s\\ns: .incbin \\\"%s\\\"\\n.byte 0\\n"
		".text\");\nextern const char s[];\n#include <stdio.h>\n"
		"int main(void) { puts(s); return 0; }\n",
	};
	for (size_t i = 0; i < 2; i++) {
		char code[PATH_MAX + 512];
		snprintf(code, sizeof code, forms[i], target);
		write_text(src, code);
		struct grade_opts o;
		struct lab_result r;
		char err[512] = "";
		grade_opts_init(&o);
		o.labs_dir = labs;
		o.build_dir = build;
		cr_assert_eq(grade_lab(lab01(), &o, &r, err, sizeof err), 0, "%s", err);
		cr_assert_not(r.built, "form %zu: the checkout's file was compiled in", i);
		cr_assert_eq(r.score, 0);
		cr_assert_null(strstr(r.build_log ? r.build_log : "", marker),
			       "form %zu: the verdict holds the file: %s", i, r.build_log);
		for (size_t k = 0; k < r.nchecks; k++)
			cr_assert_null(strstr(r.checks[k].message ? r.checks[k].message : "",
					      marker), "form %zu: a check message holds the file", i);
		lab_result_free(&r);
	}
	sh("rm -rf '%s'", tmp);
}

/* What a lab's program may read when the grader runs it (confined like the compiler): not the
 * reference solutions, not the checks, not the grader's build directory, not another student's
 * folder in a batch nor a report being written beside it, all readable by everyone here. The
 * control: a system file stays readable. */
Test(sec_fs, a_lab_run_cannot_read_the_graders_files, .timeout = 60)
{
	char tmp[] = "/tmp/forklab-peek-XXXXXX", other[128], results[128];
	cr_assert_not_null(mkdtemp(tmp));
	cr_assert_eq(chmod(tmp, 0755), 0);
	snprintf(other, sizeof other, "%s/student2", tmp);
	cr_assert_eq(mkdir(other, 0755), 0);
	snprintf(other, sizeof other, "%s/student2/fork_return.c", tmp);
	write_text(other, "int main(void) { return 0; }\n");
	snprintf(results, sizeof results, "%s/results.json", tmp);
	write_text(results, "{\"score\": 0}\n");
	cr_assert(chmod(other, 0644) == 0 && chmod(results, 0644) == 0);
	char solution[PATH_MAX], checks[PATH_MAX];
	snprintf(solution, sizeof solution, "%s/solutions/01-fork-return/fork_return.c",
		 test_root_dir());
	snprintf(checks, sizeof checks, "%s/harness/checks/lab01.c", test_root_dir());
	char *argv[] = { (char *)test_prog("sec_peek"), solution, checks,
			 (char *)test_build_dir(), other, results, "/etc/passwd", NULL };
	struct trace_opts o;
	struct record *r = NULL;
	char err[512] = "";
	trace_opts_init(&o);
	o.argv = argv;
	o.confine_fs = true;
	o.timeout_s = 10;
	cr_assert_eq(trace_run(&o, &r, err, sizeof err), 0, "%s", err);
	cr_assert_eq(r->status, 0, "sec_peek: %.*s", (int)r->err.len, r->err.data);
	char *out = strndup(r->out.data ? r->out.data : "", r->out.len);
	cr_assert_not_null(out);
	for (int i = 1; i <= 5; i++) {
		char want[PATH_MAX + 64];
		snprintf(want, sizeof want, "%s: Permission denied\n", argv[i]);
		cr_assert_not_null(strstr(out, want), "a lab run could read %s:\n%s", argv[i], out);
	}
	cr_assert_not_null(strstr(out, "/etc/passwd: ok\n"), "%s", out);
	free(out);
	record_free(r);
	sh("rm -rf '%s'", tmp);
}
