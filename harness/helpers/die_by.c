/* die_by - a grader helper: dies by the signal given as its only argument, by name without
 * "SIG" (SEGV, KILL, TERM...) or by number, so a lab can be checked on how it reports a death by
 * signal. Exits 1 if, against all odds, it is still alive afterwards. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The signal number named by s ("SEGV", "SIGSEGV" or "11"), or -1. */
static int parse_signal(const char *s)
{
	char *end;
	long n;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);
		if (name && strcmp(name, s) == 0)
			return sig;
	}
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 1 || n >= NSIG)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	sigset_t all;
	int sig;

	if (argc != 2 || (sig = parse_signal(argv[1])) < 0) {
		fprintf(stderr, "usage: die_by SIGNAL   (a name such as SEGV, or a number)\n");
		return 2;
	}
	/* Whatever the parent left us with, the signal must take its default, deadly action. */
	if (signal(sig, SIG_DFL) == SIG_ERR && sig != SIGKILL && sig != SIGSTOP) {
		perror("die_by: signal");
		return 1;
	}
	sigemptyset(&all);
	sigaddset(&all, sig);
	if (sigprocmask(SIG_UNBLOCK, &all, NULL) < 0) {
		perror("die_by: sigprocmask");
		return 1;
	}
	if (raise(sig) != 0) {
		perror("die_by: raise");
		return 1;
	}
	fprintf(stderr, "die_by: still alive after signal %d\n", sig);
	return 1;
}
