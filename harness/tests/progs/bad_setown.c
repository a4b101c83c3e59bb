/* bad_setown.c - tries to signal its parent (forklab) without kill(): it makes the parent the
 * owner of a pipe's read end with SIGKILL as its ready signal (F_SETOWN, F_SETSIG, O_ASYNC;
 * and FIOSETOWN, the ioctl that does the same), then makes the pipe readable. Prints what each
 * call returned. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void say(const char *what, int rc)
{
	printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ok");
}

int main(void)
{
	int p[2];
	if (pipe(p) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t target = getppid();
	say("F_SETOWN", fcntl(p[0], F_SETOWN, target));
	struct f_owner_ex ex = { .type = F_OWNER_PID, .pid = target };
	say("F_SETOWN_EX", fcntl(p[0], F_SETOWN_EX, &ex));
	say("FIOSETOWN", ioctl(p[0], FIOSETOWN, &target));
	say("F_SETSIG", fcntl(p[0], F_SETSIG, SIGKILL));
	say("O_ASYNC", fcntl(p[0], F_SETFL, O_ASYNC));
	fflush(stdout);
	if (write(p[1], "x", 1) != 1)
		return 1;
	usleep(100000);
	printf("still here\n");
	return 0;
}
