/* Lab 08, wrong (for this lab): sets SIGCHLD to SIG_IGN, so the kernel discards ended children
 * and nobody ever reaps them; the lab asks the parent to reap each child with waitpid(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

/* Prints "server: WHAT: <reason>" on stderr and exits 1. Does not return. */
static void die(const char *what)
{
	fprintf(stderr, "server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_sigterm(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Installs the handlers. SIGCHLD restarts an interrupted accept(); SIGTERM interrupts it, so
 * that the loop sees `stopping`. */
static void handle_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		die("sigaction");
	sa.sa_handler = on_sigterm;
	sa.sa_flags = 0;
	if (sigaction(SIGTERM, &sa, NULL) < 0)
		die("sigaction");
}

/* A socket listening on 127.0.0.1:port; the port actually bound goes to *bound. */
static int listen_on(int port, int *bound)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof addr;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
		die("setsockopt");
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		die("bind");
	if (listen(fd, 64) < 0)
		die("listen");
	if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		die("getsockname");
	*bound = ntohs(addr.sin_port);
	return fd;
}

/* In the child: reads the request up to its blank line, then answers it. */
static void serve(int conn)
{
	char req[4096], reply[256];
	size_t got = 0;
	ssize_t n;
	int len;

	while (got < sizeof req - 1 && (n = read(conn, req + got, sizeof req - 1 - got)) > 0) {
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	len = snprintf(reply, sizeof reply, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
		       "Connection: close\r\n\r\nhello from %d\n", (int)getpid());
	if (write(conn, reply, (size_t)len) != len)
		fprintf(stderr, "server: write: %s\n", strerror(errno));
}

/* Parses PORT (0-65535); -1 when it is not one. */
static int parse_port(const char *s)
{
	char *end;
	long port = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || port < 0 || port > 65535)
		return -1;
	return (int)port;
}

int main(int argc, char **argv)
{
	int port, lfd, handled = 0;

	if (argc != 2 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr, "usage: server PORT   (0-65535; 0 lets the kernel choose)\n");
		return 2;
	}
	handle_signals();
	lfd = listen_on(port, &port);
	printf("listening on %d\n", port);
	/* stdout may be a pipe, hence fully buffered: flush before any fork. */
	if (fflush(stdout) == EOF)
		die("stdout");
	while (!stopping) {
		int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			serve(conn);
			if (close(conn) < 0)
				_exit(1);
			_exit(0);
		}
		handled++;
		if (close(conn) < 0)
			die("close");
	}
	if (close(lfd) < 0)
		die("close");
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("server: handled %d requests\n", handled);
	return 0;
}
