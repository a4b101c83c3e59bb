/* Lab 08, right: no SIGCHLD handler; the accept loop wakes at least every 50 ms and reaps
 * whatever has finished with waitpid(-1, ..., WNOHANG). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void stop(int sig)
{
	(void)sig;
	done = 1;
}

static int reap_finished(void)
{
	int n = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

static void reply(int conn)
{
	char req[1024];
	int have = 0, n;
	char out[200];

	while ((n = (int)read(conn, req + have, sizeof req - 1 - (size_t)have)) > 0) {
		have += n;
		req[have] = '\0';
		if (strstr(req, "\r\n\r\n") || have == (int)sizeof req - 1)
			break;
	}
	n = snprintf(out, sizeof out, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
		     "Connection: close\r\n\r\nhello from %ld\n", (long)getpid());
	if (write(conn, out, (size_t)n) < 0)
		perror("server: write");
}

int main(int argc, char **argv)
{
	if (argc != 2 || strspn(argv[1], "0123456789") != strlen(argv[1]) || !*argv[1] ||
	    atol(argv[1]) > 65535) {
		fputs("usage: server PORT\n", stderr);
		return 2;
	}
	struct sigaction sa = { .sa_handler = stop };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0) {
		perror("server: sigaction");
		return 1;
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
	socklen_t alen = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) < 0) {
		perror("server: socket");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("listening on %d\n", ntohs(a.sin_port));
	int count = 0;
	while (!done) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		int r = poll(&p, 1, 50);
		reap_finished();
		if (r <= 0)
			continue;
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			if (errno == EINTR)
				continue;
			perror("server: accept");
			return 1;
		}
		switch (fork()) {
		case -1:
			perror("server: fork");
			return 1;
		case 0:
			close(s);
			reply(conn);
			close(conn);
			_exit(0);
		default:
			count++;
			close(conn);
		}
	}
	close(s);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("server: handled %d requests\n", count);
	return 0;
}
