/* bad_busy_ignore.c - spins on the CPU forever, ignoring SIGTERM and SIGXCPU (the signal the
 * soft CPU limit sends first). */
#include <signal.h>

int main(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGXCPU, SIG_IGN);
	for (volatile unsigned long n = 0;; n++)
		;
}
