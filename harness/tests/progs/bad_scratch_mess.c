/* bad_scratch_mess.c - leaves its scratch directory hard to remove: a deep tree, directories with
 * mode 000, a read-only file, a symlink to /etc/passwd and a FIFO. Prints the directory's path
 * first, so that a test can check it is gone after the run. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int mess(void)
{
	char name[16];
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "d%d", i);
		if (mkdir(name, 0755) < 0 || chdir(name) < 0)
			return -1;
	}
	int fd = open("ro.txt", O_WRONLY | O_CREAT, 0400);
	if (fd < 0 || write(fd, "x\n", 2) != 2 || close(fd) < 0)
		return -1;
	if (symlink("/etc/passwd", "passwd") < 0 || mkfifo("fifo", 0600) < 0)
		return -1;
	if (chdir("/") < 0)
		return -1;
	return 0;
}

int main(void)
{
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof cwd) == NULL) {
		perror("getcwd");
		return 1;
	}
	printf("%s\n", cwd);
	fflush(stdout);
	if (chdir(cwd) < 0 || mkdir("locked", 0755) < 0 || mkdir("locked/inner", 0755) < 0 ||
	    mess() < 0 || chdir(cwd) < 0) {
		perror("mess");
		return 1;
	}
	/* close the tree: the removal must open it up again */
	if (chmod("locked/inner", 0) < 0 || chmod("locked", 0) < 0 || chmod("d0", 0) < 0) {
		perror("chmod");
		return 1;
	}
	return 0;
}
