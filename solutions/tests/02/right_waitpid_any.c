/* Lab 02, right: a while loop, a switch on fork()'s value, write() through dprintf(), and a
 * reaping loop on waitpid(-1) that counts until ECHILD. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	int made = 0, reaped = 0;

	if (argc != 2 || *end || n < 1 || n > 20) {
		dprintf(2, "usage: %s N\n", argv[0]);
		return 2;
	}
	while (made < n) {
		switch (fork()) {
		case -1:
			dprintf(2, "fork: %s\n", strerror(errno));
			return 1;
		case 0:
			dprintf(1, "child %d: pid=%d ppid=%d\n", made, (int)getpid(), (int)getppid());
			_exit(made);
		}
		made++;
	}
	while (waitpid(-1, NULL, 0) > 0)
		reaped++;
	if (errno != ECHILD) {
		dprintf(2, "waitpid: %s\n", strerror(errno));
		return 1;
	}
	dprintf(1, "parent: reaped %d children\n", reaped);
	return 0;
}
