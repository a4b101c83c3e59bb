/* bad_forkbomb.c - the classic fork bomb: every process forks forever and never checks why a
 * fork failed. The tracer's process budget must turn this into a proc-limit verdict. */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
