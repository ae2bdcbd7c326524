// SPDX-License-Identifier: GPL-2.0
// cxip: helpers shared by the objects (ip's invarg / matches).
#include "cxip.h"

namespace cxip {

void invarg(const std::string &msg, const std::string &arg)
{
	throw Failure(kExitUsage, "Error: argument \"" + arg + "\" is wrong: " + msg);
}

void unknown_command(const std::string &object, const std::string &cmd)
{
	throw Failure(kExitUsage, "Command \"" + cmd + "\" is unknown, try \"cxip " + object + " help\".");
}

bool matches(const std::string &arg, const std::string &word)
{
	return !arg.empty() && word.compare(0, arg.size(), arg) == 0;
}

}  // namespace cxip
