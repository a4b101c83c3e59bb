/* atfork.c - lab 14: fork() in a process with a second thread. A logger thread holds a mutex
 * most of the time; the main thread forks children that need the same mutex. fork() copies only
 * the calling thread, and the mutex in whatever state it was: fork handlers make sure it is
 * copied unlocked. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOLD_US 1500   /* the logger holds the lock this long each round... */
#define GAP_US 150     /* ...and leaves it free this long, so others can take it */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t logger_started;

/* Reports the call that failed and why, then exits 1. Does not return. */
static void die(const char *call)
{
	fprintf(stderr, "atfork: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* The same for the pthread calls, which return the error instead of setting errno. */
static void check_pthread(int err, const char *call)
{
	if (err != 0) {
		errno = err;
		die(call);
	}
}

static void sleep_us(long us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = us * 1000 };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The logger thread: holds the lock most of the time, as a thread that logs a lot does. */
static void *logger(void *arg)
{
	(void)arg;
	for (bool first = true;; first = false) {
		check_pthread(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
		if (first && sem_post(&logger_started) == -1)
			die("sem_post");
		sleep_us(HOLD_US);
		check_pthread(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
		sleep_us(GAP_US);
	}
	return NULL;
}

/* TODO(lab14): write the fork handlers and register them. A child forked while the logger
 * holds log_lock gets that lock locked, with no thread to ever release it, and waits for it
 * forever. Contract:
 *   - a "prepare" handler, run in the forking thread just before fork(): it takes log_lock
 *     (so that no other thread holds it while the process is copied);
 *   - a "parent" handler, run in the parent just after fork(): it releases log_lock;
 *   - a "child" handler, run in the child just after fork(): it releases the child's copy;
 *   - install_fork_handlers() registers the three with pthread_atfork(), checked with
 *     check_pthread() like every pthread call here. */
static void install_fork_handlers(void)
{
}

/* Child i: logs its line under the lock. Does not return. */
static void run_child(int i)
{
	check_pthread(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
	printf("child %d logged\n", i);
	check_pthread(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
	exit(0);
}

/* The count from the command line: a whole number from 1 to 20, else -1. */
static int parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 20)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	int n = argc == 2 ? parse_count(argv[1]) : -1;
	pthread_t thread;

	if (n < 0) {
		fprintf(stderr, "usage: atfork N   (N children, from 1 to 20)\n");
		return 2;
	}
	install_fork_handlers();
	if (sem_init(&logger_started, 0, 0) == -1)
		die("sem_init");
	check_pthread(pthread_create(&thread, NULL, logger, NULL), "pthread_create");
	while (sem_wait(&logger_started) == -1)
		if (errno != EINTR)
			die("sem_wait");

	for (int i = 0; i < n; i++) {
		if (fflush(stdout) == EOF)
			die("fflush");
		pid_t pid = fork();
		if (pid == -1)
			die("fork");
		if (pid == 0)
			run_child(i);
		int status;
		if (waitpid(pid, &status, 0) == -1)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "atfork: child %d did not exit with status 0\n", i);
			return 1;
		}
	}
	printf("all %d children logged\n", n);
	return 0;   /* ends the logger thread with the process */
}
