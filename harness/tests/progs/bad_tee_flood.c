/* bad_tee_flood.c - endless output without a single write to stdout: fills a pipe of its own
 * once, then tee(2)s its contents to stdout forever (tee copies without consuming). Stops only
 * when tee fails. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[4096];
	int p[2];

	for (size_t i = 0; i < sizeof buf; i += 2)
		memcpy(buf + i, "t\n", 2);
	if (pipe(p) < 0 || write(p[1], buf, sizeof buf) != sizeof buf)
		return 1;
	for (;;) {
		if (tee(p[0], 1, sizeof buf, 0) < 0)
			return 2;
	}
}
