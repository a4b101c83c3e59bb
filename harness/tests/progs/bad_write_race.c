/* bad_write_race.c - writes one buffer to stdout 200 times while a second thread keeps
 * rewriting that buffer: what the kernel copied into the pipe is not what the buffer holds a
 * moment later. A tracer that reads the buffer back after the call records other bytes than
 * the ones that reached stdout. */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#define LEN 512
static char buf[LEN];
static volatile int stop;

static void *scribble(void *arg)
{
	(void)arg;
	/* Off the CPU forklab keeps its program on, so that it runs while the tracer reads. */
	cpu_set_t all;
	CPU_ZERO(&all);
	for (int c = 0; c < 64; c++)
		CPU_SET(c, &all);
	CPU_CLR(sched_getcpu(), &all);
	sched_setaffinity(0, sizeof all, &all);
	for (unsigned n = 0; !stop; n++)
		memset(buf, 'a' + (int)(n % 26), LEN - 1);
	return NULL;
}

int main(void)
{
	memset(buf, 'A', LEN - 1);
	buf[LEN - 1] = '\n';
	pthread_t th;
	if (pthread_create(&th, NULL, scribble, NULL) != 0)
		return 1;
	for (int i = 0; i < 200; i++)
		if (write(1, buf, LEN) != LEN)
			return 1;
	stop = 1;
	pthread_join(th, NULL);
	return 0;
}
