/* Lab 15, right: two close-on-exec pipes (requests on fd 10, replies on fd 11 in the server), a
 * text protocol of one line per message, and runtime threads that wait on a condition
 * variable until the parent is done. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int finished;

static void bail(const char *what)
{
	fprintf(stderr, "forkserver: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *idle(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&mu);
	while (!finished)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* The server: requests come on fd 10, replies go to fd 11. */
static int server(void)
{
	FILE *in = fdopen(10, "r"), *out = fdopen(11, "w");
	int i;
	if (!in || !out)
		bail("fdopen");
	fprintf(out, "ready %d\n", (int)getpid());
	fflush(out);
	while (fscanf(in, "%d", &i) == 1) {
		fflush(stdout);
		pid_t w = fork();
		if (w < 0)
			bail("fork");
		if (w == 0) {
			printf("worker %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			fflush(stdout);
			_exit(i);
		}
		int st;
		if (waitpid(w, &st, 0) != w)
			bail("waitpid");
		fprintf(out, "%d\n", WEXITSTATUS(st));
		fflush(out);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--server"))
		return server();
	char *end = NULL;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || *end || n < 1 || n > 20) {
		fprintf(stderr, "usage: forkserver N\n");
		return 2;
	}
	int req[2], rep[2];
	if (pipe2(req, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
		bail("pipe2");
	pid_t s = fork();
	if (s < 0)
		bail("fork");
	if (s == 0) {
		if (dup2(req[0], 10) < 0 || dup2(rep[1], 11) < 0)
			bail("dup2");
		execl("/proc/self/exe", argv[0], "--server", (char *)0);
		bail("execl");
	}
	close(req[0]);
	close(rep[1]);
	FILE *to = fdopen(req[1], "w"), *from = fdopen(rep[0], "r");
	int spid, st;
	if (!to || !from)
		bail("fdopen");
	if (fscanf(from, "ready %d", &spid) != 1)
		bail("no sign of life from the server");
	pthread_t t[2];
	for (int k = 0; k < 2; k++)
		if ((errno = pthread_create(&t[k], NULL, idle, NULL)))
			bail("pthread_create");
	for (long i = 0; i < n; i++) {
		fprintf(to, "%ld\n", i);
		fflush(to);
		if (fscanf(from, "%d", &st) != 1)
			bail("server reply");
		printf("worker %ld exited with status %d\n", i, st);
	}
	printf("all %ld workers done\n", n);
	fflush(stdout);
	fclose(to);
	if (waitpid(s, NULL, 0) != s)
		bail("waitpid");
	fclose(from);
	pthread_mutex_lock(&mu);
	finished = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	return 0;
}
