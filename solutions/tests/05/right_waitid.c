/* Lab 05, right: learns how the child ended from waitid()'s siginfo (si_code and si_status)
 * instead of the W* macros. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	siginfo_t info;

	if (argc < 2) {
		fprintf(stderr, "usage: run PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == -1) {
		fprintf(stderr, "run: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], &argv[1]);
		int e = errno;
		fprintf(stderr, "run: %s: %s\n", argv[1], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	memset(&info, 0, sizeof info);
	while (waitid(P_PID, (id_t)pid, &info, WEXITED) == -1) {
		if (errno != EINTR) {
			fprintf(stderr, "run: waitid: %s\n", strerror(errno));
			return 1;
		}
	}
	if (info.si_code == CLD_EXITED) {
		printf("run: %s exited with status %d\n", argv[1], info.si_status);
		return info.si_status;
	}
	printf("run: %s killed by signal %d (SIG%s)\n", argv[1], info.si_status,
	       sigabbrev_np(info.si_status));
	return 128 + info.si_status;
}
