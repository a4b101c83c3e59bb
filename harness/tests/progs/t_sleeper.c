/* t_sleeper.c - `t_sleeper`: sleeps forever. `t_sleeper child`: forks a child that sleeps
 * forever and exits at once (for linger). `t_sleeper read`: blocks reading stdin. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "read") == 0) {
		char c;
		return read(0, &c, 1) < 0;
	}
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid > 0)
			return 0;
	}
	for (;;)
		pause();
}
