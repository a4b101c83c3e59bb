/* t_threads.c - `t_threads N`: starts N threads and joins them; `t_threads exec`: a second
 * thread execs /bin/true while the main thread sleeps (the pid must stay the process's). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *work(void *arg)
{
	return arg;
}

static void *do_exec(void *arg)
{
	(void)arg;
	execl("/bin/true", "true", "from-thread", (char *)NULL);
	perror("execl");
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, do_exec, NULL) != 0)
			return 1;
		for (;;)
			pause();
	}
	int n = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t th[64];
	for (int i = 0; i < n && i < 64; i++)
		if (pthread_create(&th[i], NULL, work, NULL) != 0)
			return 1;
	for (int i = 0; i < n && i < 64; i++)
		pthread_join(th[i], NULL);
	return 0;
}
