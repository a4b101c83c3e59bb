/* watch.c - `forklab watch [LAB]`: grades a lab, then again each time one of its files is saved
 * (inotify), on a cleared screen; says when the lab is complete and which comes next. Without
 * LAB it follows the first lab not done, and moves on when it is. Each grading is a `forklab
 * grade` child; Ctrl-C (SIGINT) or SIGTERM stops that child's run and leaves once it is gone,
 * so that nothing is left running. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "grade.h"

extern char **environ;

struct watch {
	struct labs_place w;
	const struct lab *lab;
	bool follow;          /* no LAB given: move on to the next lab when this one is done */
	int ifd, wd, sfd;
	bool stop;
};

/* Waits for pid, passing SIGINT/SIGTERM on to it; sets wt->stop when one came. */
static int wait_grade(struct watch *wt, pid_t pid)
{
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		struct pollfd p = { .fd = wt->sfd, .events = POLLIN };
		if (poll(&p, 1, 100) > 0) {
			struct signalfd_siginfo got;
			if (read(wt->sfd, &got, sizeof got) == (ssize_t)sizeof got &&
			    got.ssi_signo != SIGCHLD) {
				wt->stop = true;
				/* The grade child ends its run as interrupted and stops there. */
				if (kill(pid, SIGINT) < 0 && errno != ESRCH)
					return -1;
			}
		}
	}
}

/* One `forklab grade <lab dir>`, its report on our stdout. */
static int grade_once(struct watch *wt)
{
	char path[PATH_MAX], stamp[16];
	snprintf(path, sizeof path, "%s/%s", wt->w.labs_dir, wt->lab->name);
	time_t t = time(NULL);
	strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&t));
	if (isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout);
	printf("forklab watch: lab %s, graded at %s\n\n", wt->lab->name, stamp);
	fflush(stdout);
	char *argv[] = { program_invocation_name, "grade", path, NULL };
	posix_spawnattr_t at;
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int rc = posix_spawn(&pid, "/proc/self/exe", NULL, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		fprintf(stderr, "forklab: watch: cannot run forklab grade: %s\n", strerror(rc));
		return -1;
	}
	return wait_grade(wt, pid);
}

static int watch_lab(struct watch *wt)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/%s", wt->w.labs_dir, wt->lab->name);
	if (wt->wd >= 0)
		inotify_rm_watch(wt->ifd, wt->wd);
	wt->wd = inotify_add_watch(wt->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO);
	if (wt->wd < 0) {
		fprintf(stderr, "forklab: watch: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* After a grading: done or not, and what comes next. 1 when the watch moved to another lab
 * (grade it now), 0 to wait for a save, -1 on an error. */
static int after_grade(struct watch *wt)
{
	struct progress *p = progress_load(wt->w.build_dir);
	if (!p)
		return -1;
	size_t i = 0;
	while (labs_all[i] != wt->lab)
		i++;
	int moved = 0;
	/* Complete is what this grading found, not the best score ever recorded: a lab that once
	 * passed and is broken again is not complete now. */
	bool full_now = p[i].max > 0 && p[i].last == p[i].max;
	if (!full_now && progress_done(&p[i]))
		printf("lab %s passed in full before; this version does not.\n", wt->lab->name);
	if (full_now) {
		size_t next = progress_next(p);
		printf("lab %s is complete.", wt->lab->name);
		if (next >= progress_nlabs()) {
			printf(" Every lab is done.\n");
		} else if (wt->follow) {
			printf(" Next: lab %s, watched from now on.\n", labs_all[next]->name);
			wt->lab = labs_all[next];
			moved = watch_lab(wt) < 0 ? -1 : 1;
		} else {
			printf(" Next: lab %s: forklab watch %02d\n", labs_all[next]->name,
			       labs_all[next]->number);
		}
	}
	free(p);
	if (moved == 0) {
		char *d = lab_dir_from_here(wt->lab, wt->w.labs_dir);
		printf("watching %s (save a file to grade again; Ctrl-C to stop)\n",
		       d && *d ? d : "this directory");
		free(d);
	}
	fflush(stdout);
	return moved;
}

/* True when an inotify event names a file worth a new grading: a source of the lab, or any
 * .c or .h (a header the student added); not an editor's temporary file. */
static bool relevant(const struct lab *lab, const struct inotify_event *ev)
{
	if (!ev->len)
		return false;
	for (size_t i = 0; lab->sources[i]; i++)
		if (strcmp(ev->name, lab->sources[i]) == 0)
			return true;
	size_t n = strlen(ev->name);
	return n > 2 && ev->name[0] != '.' && ev->name[n - 2] == '.' &&
	       (ev->name[n - 1] == 'c' || ev->name[n - 1] == 'h');
}

/* Reads what inotify has; true when some event asks for a grading. */
static bool drain_events(struct watch *wt)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool want = false;
	ssize_t n;
	while ((n = read(wt->ifd, buf, sizeof buf)) > 0)
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			want |= ev->wd == wt->wd && relevant(wt->lab, ev);
			p += sizeof *ev + ev->len;
		}
	return want;
}

static int watch_loop(struct watch *wt)
{
	for (bool grade = true; !wt->stop;) {
		if (grade) {
			if (grade_once(wt) < 0)
				return 2;
			if (wt->stop)
				break;
			int m = after_grade(wt);
			if (m < 0)
				return 2;
			/* Saves made during the grading count too. */
			grade = m == 1 || drain_events(wt);
			continue;
		}
		struct pollfd p[2] = { { .fd = wt->ifd, .events = POLLIN },
				       { .fd = wt->sfd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 2;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo got;
			if (read(wt->sfd, &got, sizeof got) == (ssize_t)sizeof got &&
			    got.ssi_signo != SIGCHLD)
				wt->stop = true;
		}
		if (p[0].revents & POLLIN && drain_events(wt)) {
			/* An editor writes in steps: let it finish. */
			struct timespec settle = { 0, 150 * 1000 * 1000 };
			nanosleep(&settle, NULL);
			drain_events(wt);
			grade = true;
		}
	}
	printf("\nforklab watch: stopped\n");
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: forklab watch [LAB]\n\n"
		       "Grades LAB, then again each time one of its files is saved, on a cleared\n"
		       "screen; says when the lab is complete and names the next one. Without LAB:\n"
		       "the lab whose directory you are in, else the first lab not done, moving on\n"
		       "to the next when it is. Ctrl-C stops it and leaves nothing running.\n");
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "forklab: usage: forklab watch [LAB]\n");
		return 2;
	}
	struct watch wt = { .ifd = -1, .wd = -1, .sfd = -1 };
	if (student_where(argv + 1, argc - 1, &wt.w, &wt.lab) < 0)
		return 2;
	int rc = 2;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	if (!wt.lab) {
		struct progress *p = progress_load(wt.w.build_dir);
		size_t next = p ? progress_next(p) : 0;
		free(p);
		if (next >= progress_nlabs()) {
			printf("every lab is done\n");
			labs_place_free(&wt.w);
			return 0;
		}
		wt.lab = labs_all[next];
		wt.follow = true;
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (wt.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (wt.ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
		fprintf(stderr, "forklab: watch: %s\n", strerror(errno));
	} else if (watch_lab(&wt) == 0) {
		rc = watch_loop(&wt);
	}
	if (wt.ifd >= 0)
		close(wt.ifd);
	if (wt.sfd >= 0)
		close(wt.sfd);
	labs_place_free(&wt.w);
	return rc;
}
