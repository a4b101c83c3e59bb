/* Lab 15, right: a SOCK_SEQPACKET socketpair without close-on-exec, the parent's end closed by
 * hand in the child before exec; the server answers with a record {index, status} and the
 * parent checks the index. The runtime threads are detached and simply outlive nothing. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct reply {
	int index, status;
};

static void oops(const char *what)
{
	perror(what);
	exit(1);
}

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int run_server(int ch)
{
	struct reply r = { -1, (int)getpid() };
	if (send(ch, &r, sizeof r, 0) != (ssize_t)sizeof r)
		oops("send");
	int i;
	ssize_t got;
	while ((got = recv(ch, &i, sizeof i, 0)) == (ssize_t)sizeof i) {
		fflush(stdout);
		pid_t w = fork();
		if (w == -1)
			oops("fork");
		if (w == 0) {
			printf("worker %d: pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			fflush(stdout);
			_exit(i);
		}
		int st;
		while (waitpid(w, &st, 0) == -1)
			if (errno != EINTR)
				oops("waitpid");
		r.index = i;
		r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (send(ch, &r, sizeof r, 0) != (ssize_t)sizeof r)
			oops("send");
	}
	if (got < 0)
		oops("recv");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--server") == 0)
		return run_server(3);
	int n = 0, used = 0;
	if (argc != 2 || sscanf(argv[1], "%d%n", &n, &used) != 1 || argv[1][used] || n < 1 ||
	    n > 20) {
		fputs("usage: forkserver N\n", stderr);
		return 2;
	}
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == -1)
		oops("socketpair");
	pid_t srv = fork();
	if (srv == -1)
		oops("fork");
	if (srv == 0) {
		if (close(sp[0]) == -1 || dup2(sp[1], 3) == -1 || (sp[1] != 3 && close(sp[1]) == -1))
			oops("child fds");
		execl("/proc/self/exe", argv[0], "--server", (char *)NULL);
		oops("execl");
	}
	close(sp[1]);
	struct reply r;
	if (recv(sp[0], &r, sizeof r, 0) != (ssize_t)sizeof r || r.status != srv)
		oops("server hello");
	for (int k = 0; k < 2; k++) {
		pthread_t t;
		if (pthread_create(&t, NULL, spin, NULL) || pthread_detach(t))
			oops("pthread");
	}
	for (int i = 0; i < n; i++) {
		if (send(sp[0], &i, sizeof i, 0) != (ssize_t)sizeof i)
			oops("send");
		if (recv(sp[0], &r, sizeof r, 0) != (ssize_t)sizeof r || r.index != i)
			oops("recv");
		printf("worker %d exited with status %d\n", i, r.status);
	}
	printf("all %d workers done\n", n);
	fflush(stdout);
	close(sp[0]);
	if (waitpid(srv, NULL, 0) != srv)
		oops("waitpid");
	return 0;
}
