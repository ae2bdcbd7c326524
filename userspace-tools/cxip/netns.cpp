// SPDX-License-Identifier: GPL-2.0
// cxip -n NETNS: enter a named network namespace, like `ip -n`.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cxip.h"

namespace cxip {

namespace {

// Directories ip netns uses for named namespaces (iproute2 NETNS_RUN_DIR),
// the second for systems where /var/run is not a link to /run.
const char *const kNetnsDirs[] = {"/run/netns", "/var/run/netns"};

// An fd for the namespace: NAME in the directories above, or a path if
// NAME contains a '/' (e.g. /proc/PID/ns/net), as iproute2's netns_get_fd().
int netns_open(const std::string &name, int &err)
{
	if (name.find('/') != std::string::npos) {
		int fd = open(name.c_str(), O_RDONLY | O_CLOEXEC);

		err = errno;
		return fd;
	}
	err = ENOENT;
	for (const char *dir : kNetnsDirs) {
		const std::string path = std::string(dir) + "/" + name;
		int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			return fd;
		// Report the first failure that is not a plain "no such name".
		if (err == ENOENT)
			err = errno;
	}
	return -1;
}

}  // namespace

void netns_switch(const std::string &name)
{
	int err = 0;

	if (name.empty() || name == "." || name == "..")
		invarg("not a network namespace name", name);

	const int fd = netns_open(name, err);

	if (fd < 0)
		throw Failure(kExitUsage,
			      "Cannot open network namespace \"" + name + "\": " + std::strerror(err));
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(fd);
		throw Failure(kExitUsage,
			      "setting the network namespace \"" + name + "\" failed: " + std::strerror(err));
	}
	close(fd);
}

}  // namespace cxip
