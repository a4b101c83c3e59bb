/* show_args - a grader helper: prints how many arguments it got, then each one between brackets
 * on its own line, so that spaces and empty strings are visible:
 *     args=3
 *     argv[1]=[hello world]
 *     argv[2]=[]
 * Exits 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("args=%d\n", argc - 1);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	if (fflush(stdout) == EOF) {
		perror("show_args: stdout");
		return 1;
	}
	return 0;
}
