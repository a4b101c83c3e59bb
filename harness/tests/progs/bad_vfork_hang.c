/* bad_vfork_hang.c - a vfork child that never execs nor exits: it sleeps forever in the parent's
 * borrowed memory, so the parent stays suspended inside vfork() until someone kills the child. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = vfork();
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (pid == 0) {
		for (;;)
			pause();
	}
	return 0;
}
