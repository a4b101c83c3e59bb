/* Lab 14, right: no fork handlers; the main thread itself takes the lock right before fork()
 * and both sides release it right after. The logger holds the lock while it sleeps, with a
 * pause between rounds so the main thread can get it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *logger(void *unused)
{
	const struct timespec hold = { 0, 2000000 }, gap = { 0, 200000 };
	(void)unused;
	for (;;) {
		pthread_mutex_lock(&lock);
		nanosleep(&hold, NULL);
		pthread_mutex_unlock(&lock);
		nanosleep(&gap, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	pthread_t t;

	if (argc != 2 || *end || end == argv[1] || n < 1 || n > 20) {
		fprintf(stderr, "usage: atfork N\n");
		return 2;
	}
	if (pthread_create(&t, NULL, logger, NULL) != 0) {
		fprintf(stderr, "atfork: pthread_create failed\n");
		return 1;
	}
	usleep(1000);
	for (long i = 0; i < n; i++) {
		fflush(stdout);
		pthread_mutex_lock(&lock);
		pid_t pid = fork();
		pthread_mutex_unlock(&lock);
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			pthread_mutex_lock(&lock);
			printf("child %ld logged\n", i);
			pthread_mutex_unlock(&lock);
			exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	printf("all %ld children logged\n", n);
	return 0;
}
