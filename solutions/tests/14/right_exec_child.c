/* Lab 14, right: each child execs this program again ("--child I") right after fork(): the
 * new program starts with a fresh, unlocked mutex and a single thread, whatever state the old
 * one was copied in. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int running;

static void *logger(void *unused)
{
	const struct timespec hold = { 0, 1500000 }, gap = { 0, 150000 };
	(void)unused;
	for (;;) {
		pthread_mutex_lock(&lock);
		running = 1;
		nanosleep(&hold, NULL);
		pthread_mutex_unlock(&lock);
		nanosleep(&gap, NULL);
	}
	return NULL;
}

static int child(const char *index)
{
	pthread_mutex_lock(&lock);
	printf("child %s logged\n", index);
	pthread_mutex_unlock(&lock);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	int n = 0, used = 0;
	if (argc != 2 || sscanf(argv[1], "%d%n", &n, &used) != 1 || argv[1][used] || n < 1 ||
	    n > 20) {
		fprintf(stderr, "usage: atfork N\n");
		return 2;
	}
	pthread_t t;
	if (pthread_create(&t, NULL, logger, NULL) != 0)
		return 1;
	while (!running)
		usleep(100);
	for (int i = 0; i < n; i++) {
		char index[16];
		snprintf(index, sizeof index, "%d", i);
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl("/proc/self/exe", argv[0], "--child", index, (char *)NULL);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	printf("all %d children logged\n", n);
	return 0;
}
