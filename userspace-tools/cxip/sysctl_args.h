// SPDX-License-Identifier: GPL-2.0
// cxip sysctl: command-line parsing that needs no kernel (unit-tested).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cxip {

// A NAME as procps sysctl accepts it: leading '/' dropped; a name written
// with '/' separators ("net/ipv4/ip_local_port_range") has '/' and '.'
// swapped, so it names the same tunable as the dotted form.
std::string sysctl_normalize_name(std::string_view name);

// A normalized NAME the kernel can take: non-empty, at most
// CXNET_SYSCTL_NAME_MAX bytes, no NUL. Sets @err otherwise.
bool sysctl_check_name(const std::string &name, std::string &err);

// VALUE: 1..CXNET_SYSCTL_MAX_VALUES decimal integers (optional sign, int64
// range) separated by spaces and/or tabs. Returns false and sets @err to a
// reason suitable for `Error: argument "..." is wrong: <err>` otherwise.
bool sysctl_parse_values(std::string_view text, std::vector<int64_t> &out, std::string &err);

// Splits "NAME=VALUE" at the first '=', trimming spaces/tabs around both
// sides (as in sysctl.conf). Returns false if there is no '='.
bool sysctl_split_assignment(std::string_view arg, std::string &name, std::string &value);

// Values as procps prints vectors: tab-separated.
std::string sysctl_format_values(const std::vector<int64_t> &values);

}  // namespace cxip
