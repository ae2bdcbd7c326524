// SPDX-License-Identifier: GPL-2.0
/*
 * libcxfail.so: arm the kernel's fault injection (failslab, fail_page_alloc) for the system
 * calls of one program only, from the moment its main() is about to run: LD_PRELOAD it.
 * The dynamic loader has mapped everything by then, so exec and library loading are never
 * failed, only what the program itself asks of the kernel (netlink sockets, requests).
 *
 *   CXFAIL_NTH=N       fail the N-th allocation of the main thread that the fault attributes
 *                      let through (/proc/thread-self/fail-nth; systematic, ignores probability)
 *   CXFAIL_TASK=1      set /proc/self/make-it-fail: with task-filter=Y in the fault attributes,
 *                      their probability applies to this process only
 *   CXFAIL_SENDMSG=K   arm only when the program calls sendmsg() for the K-th time (just
 *                      before it): e.g. K=2 skips cxip's netlink socket setup and family
 *                      lookup, and fails the request itself, its ack and what follows
 *   CXFAIL_REPORT=FILE at exit, disarm and write one line to FILE: "injected" if the N-th
 *                      allocation was failed, "not-injected" if the program made fewer,
 *                      "not-armed" if it never reached the K-th sendmsg() (CXFAIL_NTH only)
 *
 * A program killed by a signal writes no report. See
 * Documentation/fault-injection/fault-injection.rst.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int nth_fd = -1;
static int task_fd = -1;
static const char *report;
static char nth[16];
static long sendmsg_left;	/* sendmsg() calls until arming; 0: armed (or nothing to arm) */
static int armed;

static void put_str(int fd, const char *s)
{
	if (pwrite(fd, s, strlen(s), 0) < 0)
		_exit(120);
}

static void arm(void)
{
	armed = 1;
	if (task_fd >= 0)
		put_str(task_fd, "1");
	if (nth_fd >= 0)
		put_str(nth_fd, nth);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (!real)
		real = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (sendmsg_left > 0 && --sendmsg_left == 0)
		arm();
	return real(fd, msg, flags);
}

__attribute__((constructor)) static void cxfail_setup(void)
{
	const char *n = getenv("CXFAIL_NTH");
	const char *task = getenv("CXFAIL_TASK");
	const char *k = getenv("CXFAIL_SENDMSG");

	report = getenv("CXFAIL_REPORT");
	/* every file is opened before arming: opening allocates */
	if (n && *n) {
		snprintf(nth, sizeof(nth), "%s", n);
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (nth_fd < 0) {
			perror("libcxfail: /proc/thread-self/fail-nth");
			_exit(120);
		}
	}
	if (task && !strcmp(task, "1")) {
		task_fd = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
		if (task_fd < 0) {
			perror("libcxfail: /proc/self/make-it-fail");
			_exit(120);
		}
	}
	if (report) {
		/* the report file is opened at exit, after disarming */
		report = strdup(report);
		if (!report)
			_exit(120);
	}
	/* resolve sendmsg now: dlsym() allocates */
	sendmsg(-1, NULL, 0);
	sendmsg_left = k ? atol(k) : 0;
	if (sendmsg_left <= 0)
		arm();
}

__attribute__((destructor)) static void cxfail_disarm(void)
{
	char left[32] = "";
	ssize_t n = 0;
	FILE *f;

	if (task_fd >= 0)
		put_str(task_fd, "0");
	if (nth_fd >= 0) {
		n = pread(nth_fd, left, sizeof(left) - 1, 0);
		put_str(nth_fd, "0");
	}
	if (!report || nth_fd < 0)
		return;
	f = fopen(report, "w");
	if (!f)
		return;
	left[n > 0 ? n : 0] = 0;
	fprintf(f, "%s\n", !armed ? "not-armed" : atoi(left) == 0 ? "injected" : "not-injected");
	fclose(f);
}
