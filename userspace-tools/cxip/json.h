// SPDX-License-Identifier: GPL-2.0
// cxip: minimal JSON writer, laid out like iproute2's json_writer
// (compact by default; -pretty: 4-space indent, one member a line,
// arrays inline as "[ 1,2 ]").
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace cxip {

// @s as a quoted JSON string: '"' and '\' escaped, control characters as
// \b \f \n \r \t or \u00XX, DEL as \u007f, valid UTF-8 passed through,
// each byte of invalid UTF-8 replaced by \ufffd (so the output is always
// valid JSON in valid UTF-8).
std::string json_quote(std::string_view s);

class JsonWriter {
public:
	JsonWriter(std::ostream &out, bool pretty) : out_(out), pretty_(pretty) {}
	JsonWriter(const JsonWriter &) = delete;
	JsonWriter &operator=(const JsonWriter &) = delete;

	void start_object();
	void end_object();
	void start_array();
	void end_array();
	// Member name inside an object; the next value or start_* is its value.
	void name(std::string_view n);

	void value(std::string_view s);
	void value(const char *s) { value(std::string_view(s)); }
	void value(const std::string &s) { value(std::string_view(s)); }
	void value(int64_t v);
	void value(uint64_t v);
	void value(int v) { value(static_cast<int64_t>(v)); }
	void value(unsigned v) { value(static_cast<uint64_t>(v)); }
	void value(bool v);
	void null();

	template <typename T> void member(std::string_view n, const T &v)
	{
		name(n);
		value(v);
	}

	// Ends the document: a newline after the top-level value.
	void finish();

private:
	void eor();
	void eol();
	void begin(char c);
	void end(char c);

	std::ostream &out_;
	bool pretty_;
	unsigned depth_ = 0;
	char sep_ = '\0';
};

}  // namespace cxip
