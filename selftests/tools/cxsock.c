// SPDX-License-Identifier: GPL-2.0
/*
 * cxsock: AF_CXNET socket probes for the selftests (a C program: the debug kernel makes
 * interpreter start-up slow, and tests run it many times).
 *
 *   cxsock create TYPE PROTO [TYPE PROTO ...]   per pair, print OK or the errno name
 *                                               (e.g. EPROTONOSUPPORT); exit 0 if all OK
 *   cxsock hold SECONDS [N]                     open N stream sockets, print "ready",
 *                                               sleep, exit (the kernel closes them)
 *   cxsock family                               print the family number used
 * TYPE: stream dgram raw seqpacket rdm dccp packet or a number. The family is AF_CXNET
 * from uapi/linux/cxnet.h, or $CXNET_FAMILY.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/cxnet.h>

static int family(void)
{
	const char *env = getenv("CXNET_FAMILY");

	return env ? atoi(env) : AF_CXNET;
}

static int sock_type(const char *name)
{
	static const struct { const char *name; int type; } types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "raw", SOCK_RAW },
		{ "rdm", SOCK_RDM }, { "seqpacket", SOCK_SEQPACKET }, { "dccp", SOCK_DCCP },
		{ "packet", SOCK_PACKET },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].name, name))
			return types[i].type;
	return atoi(name);
}

static int usage(void)
{
	fprintf(stderr, "usage: cxsock create TYPE PROTO [TYPE PROTO ...] | hold SECONDS [N] | family\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "create") && argc >= 4 && argc % 2 == 0) {
		int failed = 0;

		for (int i = 2; i + 1 < argc; i += 2) {
			int fd = socket(family(), sock_type(argv[i]), atoi(argv[i + 1]));

			if (fd < 0) {
				const char *name = strerrorname_np(errno);

				printf("%s\n", name ? name : "EUNKNOWN");
				failed = 1;
			} else {
				close(fd);
				printf("OK\n");
			}
		}
		return failed;
	}
	if (!strcmp(argv[1], "hold") && argc >= 3) {
		int n = argc > 3 ? atoi(argv[3]) : 1;

		for (int i = 0; i < n; i++) {
			if (socket(family(), SOCK_STREAM, 0) < 0) {
				perror("cxsock: socket");
				return 1;
			}
		}
		printf("ready\n");
		fflush(stdout);
		sleep(atoi(argv[2]));
		return 0;
	}
	if (!strcmp(argv[1], "family")) {
		printf("%d\n", family());
		return 0;
	}
	return usage();
}
