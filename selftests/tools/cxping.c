// SPDX-License-Identifier: GPL-2.0
/*
 * cxping: ping over ICMP "ping" sockets (SOCK_DGRAM, IPPROTO_ICMP), like `ping -c N`.
 *
 *   cxping [-f cxnet|inet|NUMBER] [-c COUNT] [-i INTERVAL_MS] [-W TIMEOUT_MS] [-s SIZE]
 *          [-I SOURCE] [-t TTL] ADDR
 *
 * The family is AF_CXNET by default (uapi/linux/cxnet.h, or $CXNET_FAMILY); -f inet pings
 * with Linux's own ping sockets. The socket is connected to ADDR, so ICMP errors about our
 * echo requests (destination unreachable, ...) come back as recv errors (no IP_RECVERR).
 * Every echo request carries SIZE bytes (default 56) after the ICMP header; each reply is
 * checked: type 0, the sequence number sent, the payload sent.
 *
 * Output as ping's: a line per reply or error, then
 *   --- ADDR ping statistics ---
 *   N packets transmitted, M received[, +E errors], P% packet loss
 * Exit status: 0 if every request was answered, 1 if some were not, 2 on an error before
 * sending (socket, bind, connect: "cxping: socket: Permission denied") or a bad command line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/cxnet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE 65507

static uint8_t out_buf[8 + MAX_SIZE], in_buf[8 + MAX_SIZE + 1];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: cxping [-f cxnet|inet|NUMBER] [-c COUNT] [-i INTERVAL_MS] "
			"[-W TIMEOUT_MS] [-s SIZE] [-I SOURCE] [-t TTL] ADDR\n");
	exit(2);
}

static long number(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (!*s || *end || v < min || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	const char *env = getenv("CXNET_FAMILY");
	long count = 1, interval = 1000, timeout = 2000, size = 56, ttl = 0;
	int family = env ? atoi(env) : AF_CXNET, fd, opt;
	long transmitted = 0, received = 0, errors = 0;
	const char *source = NULL;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	char addr[INET_ADDRSTRLEN];

	while ((opt = getopt(argc, argv, "f:c:i:W:s:I:t:")) != -1) {
		switch (opt) {
		case 'f':
			family = !strcmp(optarg, "inet") ? AF_INET : !strcmp(optarg, "cxnet") ?
				 (env ? atoi(env) : AF_CXNET) : (int)number(optarg, 1, 255);
			break;
		case 'c': count = number(optarg, 1, 1000000); break;
		case 'i': interval = number(optarg, 0, 3600000); break;
		case 'W': timeout = number(optarg, 1, 3600000); break;
		case 's': size = number(optarg, 0, MAX_SIZE); break;
		case 'I': source = optarg; break;
		case 't': ttl = number(optarg, 1, 255); break;
		default: usage();
		}
	}
	if (optind + 1 != argc || inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1)
		usage();
	inet_ntop(AF_INET, &dst.sin_addr, addr, sizeof(addr));
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = socket(family, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0) {
		fprintf(stderr, "cxping: socket: %s\n", strerror(errno));
		return 2;
	}
	if (source) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, source, &src.sin_addr) != 1)
			usage();
		if (bind(fd, (struct sockaddr *)&src, sizeof(src))) {
			fprintf(stderr, "cxping: bind: %s\n", strerror(errno));
			return 2;
		}
	}
	if (ttl && setsockopt(fd, SOL_IP, IP_TTL, &ttl, sizeof(int))) {
		fprintf(stderr, "cxping: setsockopt IP_TTL: %s\n", strerror(errno));
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		fprintf(stderr, "cxping: connect: %s\n", strerror(errno));
		return 2;
	}
	printf("PING %s (%s) %ld(%ld) bytes of data.\n", addr, addr, size, size + 28);

	for (long seq = 1; seq <= count; seq++) {
		double sent_at = now_ms(), deadline = sent_at + timeout;
		struct icmphdr *req = (struct icmphdr *)out_buf;
		bool answered = false;

		memset(req, 0, sizeof(*req));
		req->type = ICMP_ECHO;
		req->un.echo.sequence = htons((uint16_t)seq);	/* the kernel sets the id */
		for (long i = 0; i < size; i++)
			out_buf[8 + i] = (uint8_t)(seq + i);
		if (send(fd, out_buf, 8 + size, 0) < 0) {
			printf("From %s icmp_seq=%ld send: %s\n", addr, seq, strerror(errno));
			errors++;
			transmitted++;
			goto next;
		}
		transmitted++;
		while (!answered) {
			double left = deadline - now_ms();
			struct pollfd p = { .fd = fd, .events = POLLIN };
			const struct icmphdr *rep = (const struct icmphdr *)in_buf;
			ssize_t n;

			if (left <= 0 || poll(&p, 1, (int)left + 1) <= 0)
				break;
			n = recv(fd, in_buf, sizeof(in_buf), MSG_DONTWAIT);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				printf("From %s icmp_seq=%ld %s\n", addr, seq, strerror(errno));
				errors++;
				break;
			}
			if (n != 8 + size || rep->type != ICMP_ECHOREPLY || rep->code ||
			    ntohs(rep->un.echo.sequence) != (uint16_t)seq ||
			    memcmp(in_buf + 8, out_buf + 8, size)) {
				printf("unexpected reply: %zd bytes, type %u, icmp_seq=%u\n", n,
				       rep->type, ntohs(rep->un.echo.sequence));
				continue;
			}
			printf("%zd bytes from %s: icmp_seq=%ld time=%.3f ms\n", n, addr, seq,
			       now_ms() - sent_at);
			received++;
			answered = true;
		}
next:
		if (seq < count) {
			double wait = sent_at + interval - now_ms();

			if (wait > 0)
				usleep((useconds_t)(wait * 1000));
		}
	}

	printf("\n--- %s ping statistics ---\n", addr);
	printf("%ld packets transmitted, %ld received", transmitted, received);
	if (errors)
		printf(", +%ld errors", errors);
	printf(", %ld%% packet loss\n", transmitted ? (transmitted - received) * 100 / transmitted : 0);
	close(fd);
	return received == count ? 0 : 1;
}
