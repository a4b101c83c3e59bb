/* t_exit.c - ends as told: `t_exit N` exits with N; `t_exit segv` / `abort` dies by signal. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "segv") == 0)
		raise(SIGSEGV);
	if (argc > 1 && strcmp(argv[1], "abort") == 0)
		abort();
	return argc > 1 ? atoi(argv[1]) : 0;
}
