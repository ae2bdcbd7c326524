// SPDX-License-Identifier: GPL-2.0
/* TCP option parsing and writing (see tcp.h). */
#include "tcp.h"

namespace cx::wire {

const char *tcp_opt_error_name(TcpOptError error)
{
	switch (error) {
	case TcpOptError::Ok: return "Ok";
	case TcpOptError::MissingLength: return "MissingLength";
	case TcpOptError::LengthBelowTwo: return "LengthBelowTwo";
	case TcpOptError::LengthOverrun: return "LengthOverrun";
	case TcpOptError::BadMssLength: return "BadMssLength";
	case TcpOptError::BadWindowScaleLength: return "BadWindowScaleLength";
	case TcpOptError::BadSackPermLength: return "BadSackPermLength";
	case TcpOptError::BadTimestampLength: return "BadTimestampLength";
	case TcpOptError::BadSackLength: return "BadSackLength";
	}
	return "?";
}

namespace {

void note(TcpOptError *first, TcpOptError error)
{
	if (*first == TcpOptError::Ok)
		*first = error;
}

} // namespace

TcpOptError tcp_parse_options(Bytes options, TcpOptions *out)
{
	*out = TcpOptions{};
	TcpOptError first = TcpOptError::Ok;
	size_t pos = 0;
	const size_t len = options.len();
	while (pos < len) {
		uint8_t kind = options.u8(pos);
		if (kind == tcp_option::kEol)
			break;
		if (kind == tcp_option::kNop) {
			pos++;
			continue;
		}
		if (pos + 1 >= len) {
			note(&first, TcpOptError::MissingLength);
			break;
		}
		uint8_t size = options.u8(pos + 1);
		if (size < 2) {
			note(&first, TcpOptError::LengthBelowTwo);
			break;
		}
		if (size > len - pos) {
			note(&first, TcpOptError::LengthOverrun);
			break;
		}
		switch (kind) {
		case tcp_option::kMss:
			if (size != 4) {
				note(&first, TcpOptError::BadMssLength);
				break;
			}
			out->mss_present = true;
			out->mss = options.be16(pos + 2);
			break;
		case tcp_option::kWindowScale:
			if (size != 3) {
				note(&first, TcpOptError::BadWindowScaleLength);
				break;
			}
			out->wscale_present = true;
			out->wscale = options.u8(pos + 2);
			break;
		case tcp_option::kSackPermitted:
			if (size != 2) {
				note(&first, TcpOptError::BadSackPermLength);
				break;
			}
			out->sack_permitted = true;
			break;
		case tcp_option::kTimestamp:
			if (size != 10) {
				note(&first, TcpOptError::BadTimestampLength);
				break;
			}
			out->ts_present = true;
			out->tsval = options.be32(pos + 2);
			out->tsecr = options.be32(pos + 6);
			break;
		case tcp_option::kSack:
			if (size < 10 || size > 34 || (size - 2) % 8 != 0) {
				note(&first, TcpOptError::BadSackLength);
				break;
			}
			out->sack_blocks = static_cast<uint8_t>((size - 2) / 8);
			for (uint8_t i = 0; i < out->sack_blocks; i++) {
				out->sack[i][0] = options.be32(pos + 2 + size_t{8} * i);
				out->sack[i][1] = options.be32(pos + 6 + size_t{8} * i);
			}
			break;
		default:
			break;	/* unknown options are skipped by their length */
		}
		pos += size;
	}
	return first;
}

size_t tcp_options_len(const TcpOptions &opts)
{
	size_t len = 0;
	if (opts.mss_present)
		len += 4;
	if (opts.ts_present)
		len += 12;	/* SACK-permitted rides in the 2 bytes before it, else NOP NOP */
	else if (opts.sack_permitted)
		len += 4;
	if (opts.wscale_present)
		len += 4;
	return len;
}

size_t tcp_write_options(Bytes buf, const TcpOptions &opts)
{
	size_t pos = 0;
	if (opts.mss_present) {
		buf.set_u8(pos, tcp_option::kMss);
		buf.set_u8(pos + 1, 4);
		buf.set_be16(pos + 2, opts.mss);
		pos += 4;
	}
	if (opts.ts_present) {
		if (opts.sack_permitted) {
			buf.set_u8(pos, tcp_option::kSackPermitted);
			buf.set_u8(pos + 1, 2);
		} else {
			buf.set_u8(pos, tcp_option::kNop);
			buf.set_u8(pos + 1, tcp_option::kNop);
		}
		buf.set_u8(pos + 2, tcp_option::kTimestamp);
		buf.set_u8(pos + 3, 10);
		buf.set_be32(pos + 4, opts.tsval);
		buf.set_be32(pos + 8, opts.tsecr);
		pos += 12;
	} else if (opts.sack_permitted) {
		buf.set_u8(pos, tcp_option::kNop);
		buf.set_u8(pos + 1, tcp_option::kNop);
		buf.set_u8(pos + 2, tcp_option::kSackPermitted);
		buf.set_u8(pos + 3, 2);
		pos += 4;
	}
	if (opts.wscale_present) {
		buf.set_u8(pos, tcp_option::kNop);
		buf.set_u8(pos + 1, tcp_option::kWindowScale);
		buf.set_u8(pos + 2, 3);
		buf.set_u8(pos + 3, opts.wscale);
		pos += 4;
	}
	return pos;
}

} // namespace cx::wire
