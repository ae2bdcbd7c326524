// SPDX-License-Identifier: GPL-2.0
#include "sysctl_args.h"

#include <linux/cxnet.h>

#include <algorithm>
#include <charconv>

namespace cxip {

namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view trim(std::string_view s)
{
	const size_t b = s.find_first_not_of(kBlanks);

	if (b == std::string_view::npos)
		return {};
	return s.substr(b, s.find_last_not_of(kBlanks) - b + 1);
}

}  // namespace

std::string sysctl_normalize_name(std::string_view name)
{
	while (!name.empty() && name.front() == '/')
		name.remove_prefix(1);

	std::string out(name);

	if (out.find('/') == std::string::npos)
		return out;
	for (char &c : out) {
		if (c == '/')
			c = '.';
		else if (c == '.')
			c = '/';
	}
	return out;
}

bool sysctl_check_name(const std::string &name, std::string &err)
{
	if (name.empty()) {
		err = "a NAME is required";
		return false;
	}
	if (name.size() > CXNET_SYSCTL_NAME_MAX) {
		err = "a NAME has at most " + std::to_string(CXNET_SYSCTL_NAME_MAX) + " characters";
		return false;
	}
	if (name.find('\0') != std::string::npos) {
		err = "a NAME cannot contain NUL";
		return false;
	}
	return true;
}

bool sysctl_parse_values(std::string_view text, std::vector<int64_t> &out, std::string &err)
{
	out.clear();
	text = trim(text);
	if (text.empty()) {
		err = "a value is required";
		return false;
	}
	while (!text.empty()) {
		const size_t end = std::min(text.find_first_of(kBlanks), text.size());
		const std::string_view tok = text.substr(0, end);
		std::string_view digits = tok;
		int64_t v = 0;

		text = trim(text.substr(end));
		// from_chars takes a '-' but not a '+'.
		if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-')
			digits.remove_prefix(1);
		const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, 10);
		if (res.ec == std::errc::result_out_of_range) {
			err = "\"" + std::string(tok) + "\" is out of range";
			return false;
		}
		if (res.ec != std::errc() || res.ptr != digits.data() + digits.size()) {
			err = "\"" + std::string(tok) + "\" is not an integer";
			return false;
		}
		if (out.size() == CXNET_SYSCTL_MAX_VALUES) {
			err = "at most " + std::to_string(CXNET_SYSCTL_MAX_VALUES) + " values are allowed";
			return false;
		}
		out.push_back(v);
	}
	return true;
}

bool sysctl_split_assignment(std::string_view arg, std::string &name, std::string &value)
{
	const size_t eq = arg.find('=');

	if (eq == std::string_view::npos)
		return false;
	name = std::string(trim(arg.substr(0, eq)));
	value = std::string(trim(arg.substr(eq + 1)));
	return true;
}

std::string sysctl_format_values(const std::vector<int64_t> &values)
{
	std::string out;

	for (size_t i = 0; i < values.size(); i++) {
		if (i)
			out += '\t';
		out += std::to_string(values[i]);
	}
	return out;
}

}  // namespace cxip
