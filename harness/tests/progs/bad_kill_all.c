/* bad_kill_all.c - signals aimed too wide. argv[1] chooses:
 *   all    kill(-1, SIGKILL): every process the caller may signal
 *   group  kill(0, SIGKILL): the caller's whole process group
 *   parent a child kills its parent (the root) with kill(getppid(), SIGKILL)
 *   tracer the root kills its own parent, which is forklab
 * Whatever survives reports what happened on stdout, cleans up its children and exits 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn_pauser(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void report(const char *what, int rc)
{
	printf("%s: %s\n", what, rc == 0 ? "ok" : strerror(errno));
	fflush(stdout);
}

/* Kills and reaps the children, then says how each ended. */
static int reap_pausers(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++) {
		int status;
		kill(kids[i], SIGKILL);
		if (waitpid(kids[i], &status, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		if (WIFSIGNALED(status))
			printf("child %d: signal %d\n", i + 1, WTERMSIG(status));
		else
			printf("child %d: exit %d\n", i + 1, WEXITSTATUS(status));
	}
	return 0;
}

static int kill_wide(pid_t target, const char *what)
{
	pid_t kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = spawn_pauser();
		if (kids[i] < 0) {
			perror("fork");
			return 1;
		}
	}
	report(what, kill(target, SIGKILL));
	return reap_pausers(kids, 2);
}

static int kill_parent_from_child(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		int rc = kill(getppid(), SIGKILL);
		_exit(rc == 0 ? 0 : 1);
	}
	waitpid(pid, NULL, 0);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";

	if (strcmp(mode, "all") == 0)
		return kill_wide(-1, "kill(-1)");
	if (strcmp(mode, "group") == 0)
		return kill_wide(0, "kill(0)");
	if (strcmp(mode, "parent") == 0)
		return kill_parent_from_child();
	if (strcmp(mode, "tracer") == 0) {
		report("kill(getppid())", kill(getppid(), SIGKILL));
		return 0;
	}
	fprintf(stderr, "usage: bad_kill_all all|group|parent|tracer\n");
	return 2;
}
