/* t_sigchld.c - counts how SIGCHLD reaches it. A handler counts signals and sets a flag; two
 * children end 100 ms apart; the main loop counts the rounds in which it found the flag set,
 * reaps with one waitpid(WNOHANG) per round, and prints "signals S rounds R reaped N" once
 * both are reaped (or after 1.5 s). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t flag, signals;

static void on_chld(int sig)
{
	(void)sig;
	signals++;
	flag = 1;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1)
		;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigemptyset(&sa.sa_mask) == -1 || sigaction(SIGCHLD, &sa, NULL) == -1)
		return 1;
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			nap_ms(100 * i);
			_exit(0);
		}
	}
	int rounds = 0, reaped = 0;
	for (int ms = 0; reaped < 2 && ms < 1500; ms++) {
		if (flag) {
			flag = 0;
			rounds++;
			if (waitpid(-1, NULL, WNOHANG) > 0)
				reaped++;
		}
		nap_ms(1);
	}
	printf("signals %d rounds %d reaped %d\n", (int)signals, rounds, reaped);
	return 0;
}
