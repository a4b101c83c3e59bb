/* bad_fd_exhaust.c - opens /dev/null until open() fails, then prints how many it got and why it
 * stopped; exits 0 when the reason was the descriptor limit (EMFILE). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int opened = 0;
	for (;;) {
		if (open("/dev/null", O_RDONLY) < 0)
			break;
		opened++;
	}
	int err = errno;
	printf("opened %d: %s\n", opened, strerror(err));
	return err == EMFILE ? 0 : 1;
}
