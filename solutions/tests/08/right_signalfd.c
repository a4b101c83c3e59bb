/* Lab 08, right: no signal handlers at all; SIGCHLD and SIGTERM are blocked and read from a
 * signalfd, polled together with the listening socket. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void fatal(const char *what)
{
	fprintf(stderr, "server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void answer(int c)
{
	char buf[2048];
	size_t have = 0;
	ssize_t n;

	while (have < sizeof buf - 1 && (n = recv(c, buf + have, sizeof buf - 1 - have, 0)) > 0) {
		have += (size_t)n;
		buf[have] = 0;
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	dprintf(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
		   "hello from %d\n", (int)getpid());
}

int main(int argc, char **argv)
{
	char *end;
	long port = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *argv[1] == 0 || *end || port < 0 || port > 65535) {
		fprintf(stderr, "usage: server PORT\n");
		return 2;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		fatal("sigprocmask");
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sfd < 0 || lfd < 0)
		fatal("socket");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	int on = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 32) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		fatal("listen");
	printf("listening on %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	int served = 0;
	for (bool running = true; running;) {
		struct pollfd pf[2] = { { .fd = lfd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pf[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) != sizeof si)
				fatal("read signalfd");
			if (si.ssi_signo == SIGTERM)
				running = false;
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
		if (running && (pf[0].revents & POLLIN)) {
			int c = accept(lfd, NULL, NULL);
			if (c < 0)
				fatal("accept");
			pid_t pid = fork();
			if (pid < 0)
				fatal("fork");
			if (pid == 0) {
				answer(c);
				close(c);
				_exit(0);
			}
			served++;
			close(c);
		}
	}
	close(lfd);
	while (waitpid(-1, NULL, 0) > 0)
		;
	printf("server: handled %d requests\n", served);
	return 0;
}
