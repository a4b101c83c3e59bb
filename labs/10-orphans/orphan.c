/* orphan.c - lab 10: a parent that ends before its child, and who adopts the child then.
 * Plain mode: the child outlives its parent and reports its new parent. --subreaper: the
 * parent makes itself a child subreaper, so the grandchild its child leaves behind comes to it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 10          /* how often the orphan looks at getppid() */
#define GIVE_UP_MS 2000     /* and for how long */

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "orphan: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* fork(), after emptying stdout's buffer so the new process does not inherit its lines. */
static pid_t fork_or_die(void)
{
	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	return pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (nanosleep(&ts, NULL) == -1 && errno != EINTR)
		die("nanosleep");
}

/* Waits until this process's parent is no longer old, looking every 10 ms for at most 2 s.
 * Returns the parent it has then (still old when it gave up). */
static pid_t wait_for_adoption(pid_t old)
{
	/* TODO(lab10): look at getppid() every POLL_MS ms (sleep_ms()) while it is still old,
	 * and give up after GIVE_UP_MS ms; until then the orphan only pauses a little and
	 * reports old, as if it had never been adopted */
	sleep_ms(20 * POLL_MS);
	return old;
}

/* The orphan's part: old is the parent it was born to. Exits 0 once adopted, 1 if it never
 * was. Does not return. */
static void run_orphan(pid_t old)
{
	pid_t now = wait_for_adoption(old);

	printf("orphan %d: old parent %d, new parent %d\n", (int)getpid(), (int)old, (int)now);
	exit(now == old ? 1 : 0);
}

/* Plain mode: announce, fork the child, and end at once without waiting for it. */
static int plain(void)
{
	pid_t me = getpid();

	printf("parent %d exiting\n", (int)me);
	if (fork_or_die() == 0)
		run_orphan(me);
	return 0;
}

/* Makes this process the adopter of every orphan among its descendants. */
static void become_subreaper(void)
{
	/* TODO(lab10): ask the kernel, with prctl(PR_SET_CHILD_SUBREAPER, ...), to give this
	 * process the orphans of its descendants instead of passing them further up */
}

/* The middle process C: forks G and ends at once. Does not return. */
static void run_middle(void)
{
	pid_t me = getpid();   /* G's parent, saved before G exists: G must not ask later */

	if (fork_or_die() == 0)
		run_orphan(me);
	_exit(0);
}

/* Reaps the child c, then the grandchild that was left to this process; returns the
 * grandchild's pid. */
static pid_t reap_family(pid_t c)
{
	/* TODO(lab10): reap c with waitpid(), then the grandchild that was handed to this process
	 * with wait(), and return the grandchild's pid */
	(void)c;
	return 0;
}

/* --subreaper mode: P → C → G; C exits at once and G comes to P. */
static int subreaper(void)
{
	become_subreaper();
	pid_t c = fork_or_die();
	if (c == 0)
		run_middle();
	pid_t g = reap_family(c);
	printf("subreaper %d reaped %d and %d\n", (int)getpid(), (int)c, (int)g);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return plain();
	if (argc == 2 && strcmp(argv[1], "--subreaper") == 0)
		return subreaper();
	fprintf(stderr, "usage: orphan [--subreaper]\n");
	return 2;
}
