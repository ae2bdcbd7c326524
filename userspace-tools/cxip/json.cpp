// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <cassert>

namespace cxip {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid
// (truncated, bad continuation, overlong, surrogate, above U+10FFFF).
size_t utf8_seq_len(std::string_view s, size_t i)
{
	const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
	const unsigned char c = b(i);
	size_t len;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;  // continuation byte, 0xc0/0xc1 (overlong) or 0xf5..0xff
	}
	if (i + len > s.size())
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((b(i + k) & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (b(i + k) & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return 0;  // overlong
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

}  // namespace

std::string json_quote(std::string_view s)
{
	static const char hex[] = "0123456789abcdef";
	std::string out;

	out.reserve(s.size() + 2);
	out += '"';
	for (size_t i = 0; i < s.size();) {
		const unsigned char c = static_cast<unsigned char>(s[i]);

		if (c >= 0x80) {
			size_t len = utf8_seq_len(s, i);

			if (len) {
				out.append(s.substr(i, len));
				i += len;
			} else {
				out += "\\ufffd";
				i++;
			}
			continue;
		}
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				out += "\\u00";
				out += hex[c >> 4];
				out += hex[c & 0xf];
			} else {
				out += static_cast<char>(c);
			}
		}
		i++;
	}
	out += '"';
	return out;
}

// The layout logic follows iproute2 lib/json_writer.c: sep_ is the separator
// owed before the next element ('\0' right after an opening bracket or name).

void JsonWriter::eor()
{
	if (sep_ != '\0')
		out_ << sep_;
	sep_ = ',';
}

void JsonWriter::eol()
{
	if (!pretty_)
		return;
	out_ << '\n';
	for (unsigned i = 0; i < depth_; i++)
		out_ << "    ";
}

void JsonWriter::begin(char c)
{
	eor();
	out_ << c;
	++depth_;
	sep_ = '\0';
}

void JsonWriter::end(char c)
{
	assert(depth_ > 0);
	--depth_;
	if (sep_ != '\0')
		eol();
	out_ << c;
	sep_ = ',';
}

void JsonWriter::start_object() { begin('{'); }
void JsonWriter::end_object() { end('}'); }

void JsonWriter::start_array()
{
	begin('[');
	if (pretty_)
		out_ << ' ';
}

void JsonWriter::end_array()
{
	if (pretty_ && sep_ != '\0')
		out_ << ' ';
	sep_ = '\0';
	end(']');
}

void JsonWriter::name(std::string_view n)
{
	eor();
	eol();
	sep_ = '\0';
	out_ << json_quote(n) << ':';
	if (pretty_)
		out_ << ' ';
}

void JsonWriter::value(std::string_view s)
{
	eor();
	out_ << json_quote(s);
}

void JsonWriter::value(int64_t v)
{
	eor();
	out_ << v;
}

void JsonWriter::value(uint64_t v)
{
	eor();
	out_ << v;
}

void JsonWriter::value(bool v)
{
	eor();
	out_ << (v ? "true" : "false");
}

void JsonWriter::null()
{
	eor();
	out_ << "null";
}

void JsonWriter::finish()
{
	assert(depth_ == 0);
	out_ << '\n';
	sep_ = '\0';
}

}  // namespace cxip
