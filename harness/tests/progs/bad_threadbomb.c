/* bad_threadbomb.c - creates threads that sleep forever until pthread_create fails or 2,000
 * exist, prints how many it made, then exits (taking every thread with it). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, 64 * 1024) != 0) {
		fprintf(stderr, "pthread_attr: failed\n");
		return 1;
	}
	int made = 0, rc = 0;
	while (made < 2000) {
		pthread_t t;
		rc = pthread_create(&t, &attr, sleeper, NULL);
		if (rc != 0)
			break;
		made++;
	}
	printf("threads %d%s%s\n", made, rc ? ": " : "", rc ? strerror(rc) : "");
	fflush(stdout);
	_exit(0);
}
