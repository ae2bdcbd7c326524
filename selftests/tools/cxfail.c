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
 *   CXFAIL_REPORT=FILE at exit, disarm and write one line to FILE: "injected" if the N-th
 *                      allocation was failed, "not-injected" if the program made fewer
 *                      (CXFAIL_NTH only)
 *
 * A program killed by a signal writes no report. See
 * Documentation/fault-injection/fault-injection.rst.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int nth_fd = -1;
static int task_fd = -1;
static const char *report;

static void put_str(int fd, const char *s)
{
	if (pwrite(fd, s, strlen(s), 0) < 0)
		_exit(120);
}

__attribute__((constructor)) static void cxfail_arm(void)
{
	const char *nth = getenv("CXFAIL_NTH");
	const char *task = getenv("CXFAIL_TASK");

	report = getenv("CXFAIL_REPORT");
	/* every file is opened before arming: opening allocates */
	if (nth && *nth) {
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
	if (task_fd >= 0)
		put_str(task_fd, "1");
	if (nth_fd >= 0)
		put_str(nth_fd, nth);
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
	fprintf(f, "%s\n", atoi(left) == 0 ? "injected" : "not-injected");
	fclose(f);
}
