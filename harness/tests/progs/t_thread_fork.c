/* t_thread_fork.c - a second thread forks a child (which exits 6) and waits for it; the process
 * exits with the child's status. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void *forker(void *arg)
{
	int *status = arg;
	pid_t pid = fork();
	if (pid == 0)
		_exit(6);
	if (pid < 0 || waitpid(pid, status, 0) != pid)
		*status = -1;
	return NULL;
}

int main(void)
{
	int status = -1;
	pthread_t t;
	if (pthread_create(&t, NULL, forker, &status) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
