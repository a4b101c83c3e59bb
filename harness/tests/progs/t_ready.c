/* t_ready.c - prints "ready <pid>", then waits for SIGTERM and prints "bye" (for drivers). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_term(int sig)
{
	got = sig;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	if (sigaction(SIGTERM, &sa, NULL) < 0)
		return 1;
	printf("ready %d\n", getpid());
	fflush(stdout);
	while (!got)
		pause();
	printf("bye\n");
	return 0;
}
