// SPDX-License-Identifier: GPL-2.0
/*
 * cxtcp: a small TCP client/server over AF_CXNET (or AF_INET) for the selftests.
 *
 *   cxtcp [-f cxnet|inet|NUMBER] [OPTIONS] connect IP:PORT
 *       connect, send stdin, shutdown(SHUT_WR), copy what comes back to stdout until EOF
 *   cxtcp [-f ...] [OPTIONS] listen IP:PORT
 *       bind, listen, accept; copy what the peer sends to stdout until EOF (or echo it)
 *
 * Options:
 *   -n          connect non-blocking: print "connect: EINPROGRESS" and then
 *               "SO_ERROR: 0" (or the errno name) after poll() says POLLOUT
 *   -0          after sending stdin, close with SO_LINGER {1, 0} (RST) instead of
 *               shutdown and reading
 *   -e          listen: echo what was read back after the peer's EOF, then close
 *   -c COUNT    listen: accept COUNT connections one after the other (default 1); each
 *               connection's byte count is printed to stderr as "conn I BYTES"
 *   -b BACKLOG  listen backlog (default 16)
 *   -r          SO_REUSEADDR before bind
 *   -w MS       listen: sleep MS before the first accept (connections queue up)
 *   -p FILE     listen: write "listening" to FILE once listen() returned
 * Errors print "cxtcp: CALL: ERRNAME" on stderr and exit 1; bad usage exits 2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/cxnet.h>

static int family = AF_CXNET;
static int nonblock_connect, linger0, echo, reuse, count = 1, backlog = 16, wait_ms;
static const char *ready_file;

static void die(const char *call, int err)
{
	const char *name = strerrorname_np(err);

	fprintf(stderr, "cxtcp: %s: %s\n", call, name ? name : "?");
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: cxtcp [-f cxnet|inet|N] [-n] [-0] [-e] [-r] [-c N] [-b N] [-w MS] [-p FILE] connect|listen IP:PORT\n");
	exit(2);
}

static void parse_addr(const char *s, struct sockaddr_in *sin)
{
	char buf[64], *colon;

	if (strlen(s) >= sizeof(buf))
		usage();
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (!colon)
		usage();
	*colon = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, buf, &sin->sin_addr) != 1)
		usage();
}

static int make_socket(void)
{
	int fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket", errno);
	if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("setsockopt(SO_REUSEADDR)", errno);
	return fd;
}

static void write_all(int fd, const char *buf, size_t len, const char *what)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(what, errno);
		}
		buf += n;
		len -= n;
	}
}

/* Copy from fd `in` to fd `out` until EOF: bytes copied. */
static long long copy_fd(int in, int out, const char *rd, const char *wr)
{
	static char buf[65536];
	long long total = 0;
	ssize_t n;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(rd, errno);
		}
		if (!n)
			return total;
		write_all(out, buf, n, wr);
		total += n;
	}
}

static int do_connect(const struct sockaddr_in *sin)
{
	int fd = make_socket(), err = 0;
	socklen_t len = sizeof(err);
	struct linger lg = { 1, 0 };

	if (nonblock_connect) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int flags = fcntl(fd, F_GETFL);

		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) == 0)
			die("connect returned 0 at once, want", EINPROGRESS);
		if (errno != EINPROGRESS)
			die("connect", errno);
		printf("connect: EINPROGRESS\n");
		if (poll(&pfd, 1, 10000) != 1)
			die("poll", ETIMEDOUT);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			die("getsockopt(SO_ERROR)", errno);
		printf("SO_ERROR: %s\n", err ? strerrorname_np(err) : "0");
		fflush(stdout);
		if (err)
			exit(1);
		fcntl(fd, F_SETFL, flags);
	} else if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		die("connect", errno);
	}
	copy_fd(0, fd, "read(stdin)", "send");
	if (linger0) {
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
			die("setsockopt(SO_LINGER)", errno);
		close(fd);
		return 0;
	}
	if (shutdown(fd, SHUT_WR))
		die("shutdown", errno);
	copy_fd(fd, 1, "recv", "write(stdout)");
	close(fd);
	return 0;
}

static int do_listen(const struct sockaddr_in *sin)
{
	int fd = make_socket(), i;

	if (bind(fd, (const struct sockaddr *)sin, sizeof(*sin)))
		die("bind", errno);
	if (listen(fd, backlog))
		die("listen", errno);
	if (ready_file) {
		FILE *f = fopen(ready_file, "w");

		if (!f)
			die("fopen", errno);
		fprintf(f, "listening\n");
		fclose(f);
	}
	if (wait_ms)
		usleep(wait_ms * 1000);
	for (i = 1; i <= count; i++) {
		int c = accept(fd, NULL, NULL);
		long long n;

		if (c < 0)
			die("accept", errno);
		if (echo) {
			/* read to EOF into a temporary file, then send it all back */
			FILE *tmp = tmpfile();

			if (!tmp)
				die("tmpfile", errno);
			n = copy_fd(c, fileno(tmp), "recv", "write(tmp)");
			lseek(fileno(tmp), 0, SEEK_SET);
			copy_fd(fileno(tmp), c, "read(tmp)", "send");
			fclose(tmp);
		} else {
			n = copy_fd(c, 1, "recv", "write(stdout)");
		}
		fprintf(stderr, "conn %d %lld\n", i, n);
		close(c);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;
	const char *env = getenv("CXNET_FAMILY");
	int opt;

	if (env)
		family = atoi(env);
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "f:n0erc:b:w:p:")) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "cxnet"))
				family = AF_CXNET;
			else if (!strcmp(optarg, "inet"))
				family = AF_INET;
			else
				family = atoi(optarg);
			break;
		case 'n':
			nonblock_connect = 1;
			break;
		case '0':
			linger0 = 1;
			break;
		case 'e':
			echo = 1;
			break;
		case 'r':
			reuse = 1;
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'b':
			backlog = atoi(optarg);
			break;
		case 'w':
			wait_ms = atoi(optarg);
			break;
		case 'p':
			ready_file = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	parse_addr(argv[optind + 1], &sin);
	if (!strcmp(argv[optind], "connect"))
		return do_connect(&sin);
	if (!strcmp(argv[optind], "listen"))
		return do_listen(&sin);
	usage();
	return 2;
}
