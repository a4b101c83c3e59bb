/* bad_waitid_forge.c - claims to have reaped a child it never reaps. Child A exits at once;
 * child B lives 600 ms. While A is a zombie, the parent polls B with waitid(WEXITED | WNOHANG),
 * which reaps nothing (the kernel returns 0 and a zeroed siginfo), and a second thread keeps
 * writing A's pid and an exit into that siginfo. Then it reaps B and exits without reaping A,
 * leaving A's zombie to be adopted. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static siginfo_t si;
static volatile pid_t forged_pid;
static volatile int stop;

static void *forge(void *arg)
{
	(void)arg;
	/* Off the CPU forklab keeps its program on, so that it runs while the tracer reads. */
	cpu_set_t all;
	CPU_ZERO(&all);
	for (int c = 0; c < 64; c++)
		CPU_SET(c, &all);
	CPU_CLR(sched_getcpu(), &all);
	sched_setaffinity(0, sizeof all, &all);
	volatile siginfo_t *v = &si; /* the kernel writes it too: every store must happen */
	while (!stop) {
		v->si_pid = forged_pid;
		v->si_signo = SIGCHLD;
		v->si_code = CLD_EXITED;
		v->si_status = 0;
	}
	return NULL;
}

static pid_t child(int ms)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		_exit(1);
	}
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	return pid;
}

int main(void)
{
	pid_t a = child(0), b = child(600);
	usleep(100000); /* A is a zombie now */
	forged_pid = a;
	pthread_t th;
	if (pthread_create(&th, NULL, forge, NULL) != 0)
		return 1;
	for (int i = 0; i < 2000; i++)
		waitid(P_PID, (id_t)b, &si, WEXITED | WNOHANG);
	stop = 1;
	pthread_join(th, NULL);
	if (waitpid(b, NULL, 0) != b) {
		perror("waitpid");
		return 1;
	}
	printf("B reaped, A left as a zombie\n");
	return 0;
}
