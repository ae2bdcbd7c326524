// SPDX-License-Identifier: GPL-2.0
/*
 * cxudp: run a script of datagram socket calls and check each result, for the selftests.
 *
 *   cxudp [-f cxnet|inet|NUMBER] [SCRIPT]      (the script on stdin without SCRIPT)
 *
 * The same script runs against AF_CXNET (default: AF_CXNET of uapi/linux/cxnet.h, or
 * $CXNET_FAMILY) and against Linux's own AF_INET (-f inet), so every expectation is checked
 * against the native stack too. One call per line:
 *
 *   [FAMILY] OP ARGS... [=> EXPECTED]
 *
 * A line with "=> EXPECTED" prints "ok LINE" or "not ok LINE # got RESULT"; EXPECTED is a
 * glob (fnmatch) on the result, or "cxnet:EXP inet:EXP" for results that differ by family.
 * A line without it must succeed (result OK or a number); it prints only if it fails.
 * "[cxnet]" / "[inet]" in front runs a line for that family only. "#" starts a comment.
 * In arguments and expectations, %S is the local port of socket S (getsockname).
 * Results: OK, a number, an errno name (EADDRINUSE), or as described per operation.
 *
 *   socket S [udp|icmp|NUMBER]       SOCK_DGRAM socket named S (protocol 0 by default;
 *                                    icmp: a ping socket, see below)
 *   close S
 *   bind S ADDR [family=F] [len=N]   ADDR is IP:PORT, sin_family AF_INET unless family=F
 *                                    (F: inet cxnet unspec or a number)
 *   connect S ADDR|unspec [family=F] [len=N]
 *   name S / peer S                  getsockname / getpeername: IP:PORT
 *   family S                         sin_family of getsockname: inet, cxnet or a number
 *   send S LEN [FLAG...]             payload byte i is (uint8_t)i; result: bytes sent
 *   sendto S ADDR LEN [FLAG...] [family=F] [len=N] [ttl=N] [tos=N] [src=IP] [oif=N]
 *   recv S LEN [FLAG...]             "N from IP:PORT[ trunc][ family=F][ pktinfo=IF,SPEC,DST]"
 *                                    (family only if not AF_INET; "N noname" without address)
 *                                    (" baddata" if the payload is not the pattern)
 *   FLAG: dontwait peek trunc oob probe errqueue
 *   fill S ADDR LEN                  sendto with MSG_DONTWAIT until it fails: "N ERRNO"
 *   sendn S ADDR COUNT LEN           COUNT sendto calls: the number that succeeded
 *   drain S                          recv with MSG_DONTWAIT until EAGAIN: datagrams read
 *   poll S [MS] [in]                 revents: IN OUT ERR HUP (in that order) or "none"
 *                                    (events POLLIN|POLLOUT, or POLLIN only with "in")
 *   setsockopt S LEVEL NAME VALUE [len=N]    LEVEL: socket ip udp or a number
 *   getsockopt S LEVEL NAME [len=N]  the value (an int, or one byte when len=1)
 *   NAME: reuseaddr reuseport broadcast rcvbuf sndbuf mark bindtodevice(VALUE: ifname)
 *         rcvtimeo sndtimeo(ms) error ttl tos mtu_discover pktinfo mtu cork or a number
 *   ioctl S inq|outq                 SIOCINQ / SIOCOUTQ
 *   shutdown S rd|wr|rdwr|NUMBER
 *   drop                             become uid/gid 65534 (no capabilities left)
 *   groups GID [SUPP...]             effective/real group GID, supplementary groups SUPP
 *                                    (the user stays)
 *   sleep MS
 * Ping sockets (socket S icmp): the first 8 bytes of what send/sendto send are an ICMP
 * echo request header (type 8 code 0 id 0 checksum 0, then seq=N, default 0), overridden
 * with type=N code=N; the payload pattern goes on from byte 8. recv adds, after the
 * address, "type=T id=ID seq=N" from the header it read (8 bytes or more), and checks the
 * payload from byte 8.
 * Exit status: 0 if every line passed, 1 otherwise, 2 for a bad script.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <linux/cxnet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKS 32
#define MAX_TOKENS 32
#define BUF_MAX 70000
#ifndef MSG_PROBE
#define MSG_PROBE 0x10	/* linux/socket.h: not exported by glibc */
#endif

static int family;		/* socket() family under test */
static const char *family_name;	/* "cxnet" or "inet" */
static int cxnet_family = AF_CXNET;

static struct {
	char name[32];
	int fd;
	bool icmp;		/* a ping socket (IPPROTO_ICMP) */
} socks[MAX_SOCKS];

static unsigned char buf[BUF_MAX];
static char result[512];
static int failed;

static void set_result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(result, sizeof(result), fmt, ap);
	va_end(ap);
}

static void set_errno_result(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		set_result("%s", name);
	else
		set_result("E%d", err);
}

static int sock_find(const char *name)
{
	for (int i = 0; i < MAX_SOCKS; i++)
		if (socks[i].name[0] && !strcmp(socks[i].name, name))
			return socks[i].fd;
	return -1;
}

static const char *family_str(int f, char *tmp, size_t n)
{
	if (f == AF_INET)
		return "inet";
	if (f == cxnet_family)
		return "cxnet";
	if (f == AF_UNSPEC)
		return "unspec";
	snprintf(tmp, n, "%d", f);
	return tmp;
}

static int parse_family(const char *s)
{
	if (!strcmp(s, "inet"))
		return AF_INET;
	if (!strcmp(s, "cxnet"))
		return cxnet_family;
	if (!strcmp(s, "unspec"))
		return AF_UNSPEC;
	return atoi(s);
}

static bool sock_is_icmp(int fd)
{
	for (int i = 0; i < MAX_SOCKS; i++)
		if (socks[i].name[0] && socks[i].fd == fd)
			return socks[i].icmp;
	return false;
}

static int local_port(const char *name)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = sock_find(name);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	return ntohs(sin.sin_port);
}

/* Replace every %NAME (NAME: letters, digits, _) with the local port of socket NAME. */
static void substitute(const char *in, char *out, size_t n)
{
	size_t o = 0;

	while (*in && o + 1 < n) {
		if (*in == '%' && (in[1] == '_' || (in[1] >= 'a' && in[1] <= 'z') ||
				   (in[1] >= 'A' && in[1] <= 'Z'))) {
			char name[32];
			size_t k = 0;

			in++;
			while ((*in == '_' || (*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z') ||
				(*in >= '0' && *in <= '9')) && k + 1 < sizeof(name))
				name[k++] = *in++;
			name[k] = 0;
			o += snprintf(out + o, n - o, "%d", local_port(name));
			if (o >= n)
				o = n - 1;
			continue;
		}
		out[o++] = *in++;
	}
	out[o] = 0;
}

static bool parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;	/* both families take it; family=cxnet for the other */
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return false;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return false;
	sin->sin_port = htons(atoi(colon + 1));
	return true;
}

static void addr_str(const struct sockaddr_in *sin, char *out, size_t n)
{
	char host[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
	snprintf(out, n, "%s:%d", host, ntohs(sin->sin_port));
}

/* Options of the form key=value after the fixed arguments. */
static const char *opt_value(char **tok, int ntok, int from, const char *key)
{
	size_t klen = strlen(key);

	for (int i = from; i < ntok; i++)
		if (!strncmp(tok[i], key, klen) && tok[i][klen] == '=')
			return tok[i] + klen + 1;
	return NULL;
}

static bool has_word(char **tok, int ntok, int from, const char *word)
{
	for (int i = from; i < ntok; i++)
		if (!strcmp(tok[i], word))
			return true;
	return false;
}

static int msg_flags(char **tok, int ntok, int from)
{
	static const struct { const char *name; int flag; } flags[] = {
		{ "dontwait", MSG_DONTWAIT }, { "peek", MSG_PEEK }, { "trunc", MSG_TRUNC },
		{ "oob", MSG_OOB }, { "probe", MSG_PROBE }, { "errqueue", MSG_ERRQUEUE },
	};
	int f = 0;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (has_word(tok, ntok, from, flags[i].name))
			f |= flags[i].flag;
	return f;
}

static bool sockopt_name(const char *level_s, const char *name, int *level, int *opt)
{
	static const struct { const char *level, *name; int lv, opt; } opts[] = {
		{ "socket", "reuseaddr", SOL_SOCKET, SO_REUSEADDR },
		{ "socket", "reuseport", SOL_SOCKET, SO_REUSEPORT },
		{ "socket", "broadcast", SOL_SOCKET, SO_BROADCAST },
		{ "socket", "rcvbuf", SOL_SOCKET, SO_RCVBUF },
		{ "socket", "sndbuf", SOL_SOCKET, SO_SNDBUF },
		{ "socket", "mark", SOL_SOCKET, SO_MARK },
		{ "socket", "bindtodevice", SOL_SOCKET, SO_BINDTODEVICE },
		{ "socket", "rcvtimeo", SOL_SOCKET, SO_RCVTIMEO },
		{ "socket", "sndtimeo", SOL_SOCKET, SO_SNDTIMEO },
		{ "socket", "error", SOL_SOCKET, SO_ERROR },
		{ "socket", "peek_off", SOL_SOCKET, SO_PEEK_OFF },
		{ "ip", "ttl", SOL_IP, IP_TTL },
		{ "ip", "tos", SOL_IP, IP_TOS },
		{ "ip", "mtu_discover", SOL_IP, IP_MTU_DISCOVER },
		{ "ip", "pktinfo", SOL_IP, IP_PKTINFO },
		{ "ip", "mtu", SOL_IP, IP_MTU },
		{ "ip", "recverr", SOL_IP, IP_RECVERR },
		{ "udp", "cork", SOL_UDP, UDP_CORK },
	};

	if (!strcmp(level_s, "socket"))
		*level = SOL_SOCKET;
	else if (!strcmp(level_s, "ip"))
		*level = SOL_IP;
	else if (!strcmp(level_s, "udp"))
		*level = SOL_UDP;
	else
		*level = atoi(level_s);
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(opts[i].level, level_s) && !strcmp(opts[i].name, name)) {
			*opt = opts[i].opt;
			return true;
		}
	if (name[0] < '0' || name[0] > '9')
		return false;
	*opt = atoi(name);
	return true;
}

static void do_recv(int fd, char **tok, int ntok)
{
	size_t len = strtoul(tok[2], NULL, 0);
	struct sockaddr_in from;
	char ctl[256], addr[64], tmp[16], extra[160] = "";
	struct iovec iov = { .iov_base = buf, .iov_len = len < BUF_MAX ? len : BUF_MAX };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	ssize_t n;

	bool icmp = sock_is_icmp(fd);

	memset(&from, 0, sizeof(from));
	memset(buf, 0xee, iov.iov_len);
	n = recvmsg(fd, &msg, msg_flags(tok, ntok, 3));
	if (n < 0) {
		set_errno_result(errno);
		return;
	}
	if (icmp && n >= 8 && iov.iov_len >= 8)
		snprintf(extra, sizeof(extra), " type=%u id=%u seq=%u", buf[0],
			 buf[4] << 8 | buf[5], buf[6] << 8 | buf[7]);
	for (ssize_t i = icmp ? 8 : 0; i < n && i < (ssize_t)iov.iov_len; i++)
		if (buf[i] != (unsigned char)i) {
			strcat(extra, " baddata");
			break;
		}
	if (msg.msg_flags & MSG_TRUNC)
		strcat(extra, " trunc");
	if (msg.msg_namelen && from.sin_family != AF_INET)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " family=%s",
			 family_str(from.sin_family, tmp, sizeof(tmp)));
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			char spec[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			inet_ntop(AF_INET, &pi.ipi_spec_dst, spec, sizeof(spec));
			inet_ntop(AF_INET, &pi.ipi_addr, dst, sizeof(dst));
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
				 " pktinfo=%d,%s,%s", pi.ipi_ifindex, spec, dst);
		}
	}
	if (!msg.msg_namelen) {
		set_result("%zd noname%s", n, extra);
		return;
	}
	if (msg.msg_namelen != sizeof(from))
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " namelen=%u",
			 msg.msg_namelen);
	addr_str(&from, addr, sizeof(addr));
	set_result("%zd from %s%s", n, addr, extra);
}

static bool do_send(int fd, char **tok, int ntok, bool to)
{
	struct sockaddr_in sin;
	int alen = sizeof(sin), from = to ? 4 : 3;
	size_t len;
	char ctl[CMSG_SPACE(sizeof(struct in_pktinfo)) + 2 * CMSG_SPACE(sizeof(int))];
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	const char *v;
	ssize_t n;

	if (ntok < from)
		return false;
	len = strtoul(tok[from - 1], NULL, 0);
	if (len > BUF_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)i;
	if (sock_is_icmp(fd) && len >= 8) {
		int seq = (v = opt_value(tok, ntok, from, "seq")) ? atoi(v) : 0;

		memset(buf, 0, 8);
		buf[0] = (v = opt_value(tok, ntok, from, "type")) ? atoi(v) : 8;
		buf[1] = (v = opt_value(tok, ntok, from, "code")) ? atoi(v) : 0;
		buf[6] = (unsigned char)(seq >> 8);
		buf[7] = (unsigned char)seq;
	}
	iov.iov_base = buf;
	iov.iov_len = len;
	if (to) {
		if (!parse_addr(tok[2], &sin))
			return false;
		v = opt_value(tok, ntok, from, "family");
		if (v)
			sin.sin_family = parse_family(v);
		v = opt_value(tok, ntok, from, "len");
		if (v)
			alen = atoi(v);
		msg.msg_name = &sin;
		msg.msg_namelen = alen;
	}
	memset(ctl, 0, sizeof(ctl));
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	c = CMSG_FIRSTHDR(&msg);
	msg.msg_controllen = 0;
	if ((v = opt_value(tok, ntok, from, "ttl"))) {
		int val = atoi(v);

		c->cmsg_level = SOL_IP;
		c->cmsg_type = IP_TTL;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &val, sizeof(val));
		msg.msg_controllen += CMSG_SPACE(sizeof(int));
		c = (struct cmsghdr *)((char *)c + CMSG_SPACE(sizeof(int)));
	}
	if ((v = opt_value(tok, ntok, from, "tos"))) {
		int val = atoi(v);

		c->cmsg_level = SOL_IP;
		c->cmsg_type = IP_TOS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &val, sizeof(val));
		msg.msg_controllen += CMSG_SPACE(sizeof(int));
		c = (struct cmsghdr *)((char *)c + CMSG_SPACE(sizeof(int)));
	}
	if (opt_value(tok, ntok, from, "src") || opt_value(tok, ntok, from, "oif")) {
		struct in_pktinfo pi = { 0 };

		if ((v = opt_value(tok, ntok, from, "src")) &&
		    inet_pton(AF_INET, v, &pi.ipi_spec_dst) != 1)
			return false;
		if ((v = opt_value(tok, ntok, from, "oif")))
			pi.ipi_ifindex = atoi(v);
		c->cmsg_level = SOL_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg.msg_controllen += CMSG_SPACE(sizeof(pi));
	}
	if (!msg.msg_controllen)
		msg.msg_control = NULL;
	n = sendmsg(fd, &msg, msg_flags(tok, ntok, from));
	if (n < 0)
		set_errno_result(errno);
	else
		set_result("%zd", n);
	return true;
}

static bool do_setsockopt(int fd, char **tok, int ntok)
{
	int level, opt, val;
	const char *v;
	const void *p = &val;
	socklen_t len = sizeof(val);
	struct timeval tv;

	if (ntok < 5 || !sockopt_name(tok[2], tok[3], &level, &opt))
		return false;
	val = atoi(tok[4]);
	if (level == SOL_SOCKET && opt == SO_BINDTODEVICE) {
		p = tok[4];
		len = strlen(tok[4]);
	} else if (level == SOL_SOCKET && (opt == SO_RCVTIMEO || opt == SO_SNDTIMEO)) {
		tv.tv_sec = val / 1000;
		tv.tv_usec = (val % 1000) * 1000;
		p = &tv;
		len = sizeof(tv);
	}
	v = opt_value(tok, ntok, 5, "len");
	if (v)
		len = atoi(v);
	if (setsockopt(fd, level, opt, p, len))
		set_errno_result(errno);
	else
		set_result("OK");
	return true;
}

static bool do_getsockopt(int fd, char **tok, int ntok)
{
	int level, opt, val = 0;
	socklen_t len = sizeof(val);
	const char *v;

	if (ntok < 4 || !sockopt_name(tok[2], tok[3], &level, &opt))
		return false;
	v = opt_value(tok, ntok, 4, "len");
	if (v)
		len = atoi(v);
	if (getsockopt(fd, level, opt, &val, &len)) {
		set_errno_result(errno);
	} else if (level == SOL_SOCKET && opt == SO_ERROR) {
		if (val)
			set_errno_result(val);
		else
			set_result("0");
	} else if (len == 1) {
		set_result("%u len=1", *(unsigned char *)&val);
	} else {
		set_result("%d", val);
	}
	return true;
}

/* Runs one call; false for a malformed line. */
static bool run(char **tok, int ntok)
{
	const char *op = tok[0];
	int fd = -1;
	struct sockaddr_in sin;
	socklen_t slen;
	const char *v;
	char tmp[64];

	if (!strcmp(op, "sleep") && ntok == 2) {
		usleep(atoi(tok[1]) * 1000);
		set_result("OK");
		return true;
	}
	if (!strcmp(op, "groups") && ntok >= 2) {
		gid_t supp[MAX_TOKENS];

		for (int i = 2; i < ntok; i++)
			supp[i - 2] = atoi(tok[i]);
		if (setgroups(ntok - 2, supp) || setresgid(atoi(tok[1]), atoi(tok[1]), atoi(tok[1])))
			set_errno_result(errno);
		else
			set_result("OK");
		return true;
	}
	if (!strcmp(op, "drop") && ntok == 1) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			set_errno_result(errno);
		else
			set_result("OK");
		return true;
	}
	if (ntok < 2)
		return false;
	if (!strcmp(op, "socket")) {
		int proto = ntok > 2 ? (!strcmp(tok[2], "udp") ? IPPROTO_UDP :
					!strcmp(tok[2], "icmp") ? IPPROTO_ICMP : atoi(tok[2])) : 0;
		int i;

		for (i = 0; i < MAX_SOCKS && socks[i].name[0]; i++)
			;
		if (i == MAX_SOCKS || strlen(tok[1]) >= sizeof(socks[i].name))
			return false;
		fd = socket(family, SOCK_DGRAM, proto);
		if (fd < 0) {
			set_errno_result(errno);
			return true;
		}
		strcpy(socks[i].name, tok[1]);
		socks[i].fd = fd;
		socks[i].icmp = proto == IPPROTO_ICMP;
		set_result("OK");
		return true;
	}
	fd = sock_find(tok[1]);
	if (fd < 0)
		return false;
	if (!strcmp(op, "close")) {
		for (int i = 0; i < MAX_SOCKS; i++)
			if (socks[i].name[0] && !strcmp(socks[i].name, tok[1]))
				socks[i].name[0] = 0;
		if (close(fd))
			set_errno_result(errno);
		else
			set_result("OK");
		return true;
	}
	if (!strcmp(op, "bind") || !strcmp(op, "connect")) {
		int alen = sizeof(sin), r;

		if (ntok < 3)
			return false;
		if (!strcmp(tok[2], "unspec")) {
			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_UNSPEC;
		} else if (!parse_addr(tok[2], &sin)) {
			return false;
		}
		v = opt_value(tok, ntok, 3, "family");
		if (v)
			sin.sin_family = parse_family(v);
		v = opt_value(tok, ntok, 3, "len");
		if (v)
			alen = atoi(v);
		if (op[0] == 'b')
			r = bind(fd, (struct sockaddr *)&sin, alen);
		else
			r = connect(fd, (struct sockaddr *)&sin, alen);
		if (r)
			set_errno_result(errno);
		else
			set_result("OK");
		return true;
	}
	if (!strcmp(op, "name") || !strcmp(op, "peer") || !strcmp(op, "family")) {
		int r;

		slen = sizeof(sin);
		memset(&sin, 0, sizeof(sin));
		if (op[0] == 'p')
			r = getpeername(fd, (struct sockaddr *)&sin, &slen);
		else
			r = getsockname(fd, (struct sockaddr *)&sin, &slen);
		if (r)
			set_errno_result(errno);
		else if (op[0] == 'f')
			set_result("%s", family_str(sin.sin_family, tmp, sizeof(tmp)));
		else
			addr_str(&sin, result, sizeof(result));
		return true;
	}
	if (!strcmp(op, "send"))
		return ntok >= 3 && do_send(fd, tok, ntok, false);
	if (!strcmp(op, "sendto"))
		return ntok >= 4 && do_send(fd, tok, ntok, true);
	if (!strcmp(op, "recv")) {
		if (ntok < 3)
			return false;
		do_recv(fd, tok, ntok);
		return true;
	}
	if ((!strcmp(op, "fill") && ntok == 4) || (!strcmp(op, "sendn") && ntok == 5)) {
		bool fill = op[0] == 'f';
		size_t len = strtoul(tok[fill ? 3 : 4], NULL, 0);
		long count = fill ? 100000 : strtol(tok[3], NULL, 0), sent = 0;

		if (!parse_addr(tok[2], &sin) || len > BUF_MAX)
			return false;
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)i;
		for (long i = 0; i < count; i++) {
			if (sendto(fd, buf, len, fill ? MSG_DONTWAIT : 0, (struct sockaddr *)&sin,
				   sizeof(sin)) < 0) {
				if (fill)
					break;
				continue;
			}
			sent++;
		}
		if (fill)
			set_result("%ld %s", sent, sent == count ? "none" : strerrorname_np(errno));
		else
			set_result("%ld", sent);
		return true;
	}
	if (!strcmp(op, "drain")) {
		long n = 0;

		while (recv(fd, buf, BUF_MAX, MSG_DONTWAIT) >= 0)
			n++;
		set_result("%ld", n);
		return true;
	}
	if (!strcmp(op, "poll")) {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
		int r;

		if (has_word(tok, ntok, 2, "in"))
			p.events = POLLIN;
		r = poll(&p, 1, ntok > 2 ? atoi(tok[2]) : 0);

		if (r < 0) {
			set_errno_result(errno);
			return true;
		}
		result[0] = 0;
		if (p.revents & POLLIN)
			strcat(result, " IN");
		if (p.revents & POLLOUT)
			strcat(result, " OUT");
		if (p.revents & POLLERR)
			strcat(result, " ERR");
		if (p.revents & POLLHUP)
			strcat(result, " HUP");
		if (!result[0])
			strcpy(result, " none");
		memmove(result, result + 1, strlen(result));
		return true;
	}
	if (!strcmp(op, "setsockopt"))
		return do_setsockopt(fd, tok, ntok);
	if (!strcmp(op, "getsockopt"))
		return do_getsockopt(fd, tok, ntok);
	if (!strcmp(op, "ioctl") && ntok == 3) {
		int val = 0;
		unsigned long req = !strcmp(tok[2], "inq") ? SIOCINQ : SIOCOUTQ;

		if (ioctl(fd, req, &val))
			set_errno_result(errno);
		else
			set_result("%d", val);
		return true;
	}
	if (!strcmp(op, "shutdown") && ntok == 3) {
		int how = !strcmp(tok[2], "rd") ? SHUT_RD : !strcmp(tok[2], "wr") ? SHUT_WR :
			  !strcmp(tok[2], "rdwr") ? SHUT_RDWR : atoi(tok[2]);

		if (shutdown(fd, how))
			set_errno_result(errno);
		else
			set_result("OK");
		return true;
	}
	return false;
}

/* EXPECTED: a glob, or per-family "cxnet:GLOB inet:GLOB". */
static bool matches(const char *expected, const char *got)
{
	char copy[512], *save, *w;
	size_t flen = strlen(family_name);
	bool per_family = false;

	snprintf(copy, sizeof(copy), "%s", expected);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (!strncmp(w, "cxnet:", 6) || !strncmp(w, "inet:", 5)) {
			per_family = true;
			if (!strncmp(w, family_name, flen) && w[flen] == ':')
				return !fnmatch(w + flen + 1, got, 0);
		}
	}
	if (per_family)
		return false;
	return !fnmatch(expected, got, 0);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

int main(int argc, char **argv)
{
	const char *env = getenv("CXNET_FAMILY");
	char line[1024], subst[1024], desc[1024], expected[512];
	FILE *in = stdin;
	int opt, lineno = 0;

	if (env)
		cxnet_family = atoi(env);
	family = cxnet_family;
	family_name = "cxnet";
	while ((opt = getopt(argc, argv, "f:")) != -1) {
		if (opt != 'f') {
			fprintf(stderr, "usage: cxudp [-f cxnet|inet|NUMBER] [SCRIPT]\n");
			return 2;
		}
		family = parse_family(optarg);
		family_name = family == AF_INET ? "inet" : "cxnet";
	}
	if (optind < argc && !(in = fopen(argv[optind], "r"))) {
		perror(argv[optind]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (fgets(line, sizeof(line), in)) {
		char *l, *arrow, *tok[MAX_TOKENS], *save;
		int ntok = 0;
		bool checked;

		lineno++;
		l = strchr(line, '#');
		if (l)
			*l = 0;
		l = trim(line);
		if (!*l)
			continue;
		if (l[0] == '[') {
			char *close = strchr(l, ']');

			if (!close) {
				fprintf(stderr, "cxudp: line %d: unterminated [FAMILY]\n", lineno);
				return 2;
			}
			*close = 0;
			if (strcmp(l + 1, family_name))
				continue;
			l = trim(close + 1);
		}
		snprintf(desc, sizeof(desc), "%s", l);
		arrow = strstr(l, "=>");
		checked = arrow != NULL;
		expected[0] = 0;
		if (arrow) {
			*arrow = 0;
			substitute(trim(arrow + 2), expected, sizeof(expected));
		}
		substitute(trim(l), subst, sizeof(subst));
		for (char *w = strtok_r(subst, " \t", &save); w && ntok < MAX_TOKENS;
		     w = strtok_r(NULL, " \t", &save))
			tok[ntok++] = w;
		if (!ntok || !run(tok, ntok)) {
			fprintf(stderr, "cxudp: line %d: cannot run: %s\n", lineno, desc);
			return 2;
		}
		if (checked) {
			if (matches(expected, result)) {
				printf("ok %s\n", desc);
			} else {
				printf("not ok %s # got %s\n", desc, result);
				failed = 1;
			}
		} else if (strcmp(result, "OK") && !(result[0] >= '0' && result[0] <= '9')) {
			printf("not ok %s # got %s\n", desc, result);
			failed = 1;
		}
	}
	return failed;
}
