/* bad_dup_stdout.c - writes to stdout through a duplicate of it (dup(1), as a program does that
 * saves stdout before redirecting it): the line is still the program's stdout and must be
 * recorded as written by this process. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int saved = dup(1);
	if (saved < 0) {
		perror("dup");
		return 1;
	}
	if (write(saved, "through a duplicate\n", 20) != 20) {
		perror("write");
		return 1;
	}
	return 0;
}
