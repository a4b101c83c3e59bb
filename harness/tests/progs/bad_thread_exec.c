/* bad_thread_exec.c - execs from a thread that is not the main one: the kernel kills the other
 * threads and the exec'ing thread takes over the process's pid. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *exec_echo(void *arg)
{
	(void)arg;
	execl("/bin/echo", "echo", "from a thread", (char *)NULL);
	perror("execl");
	_exit(127);
}

int main(void)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, exec_echo, NULL);
	if (rc != 0) {
		fprintf(stderr, "pthread_create: %s\n", strerror(rc));
		return 1;
	}
	pthread_join(t, NULL);
	return 2;
}
