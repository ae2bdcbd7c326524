/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP segments (RFC 9293 3.1): a typed view over bytes, and the option
 * parser and writer (RFC 9293 3.2, RFC 7323, RFC 2018).
 *
 * check() validates: buffer >= 20 bytes (Truncated), data offset >= 5 words
 * (BadDataOffset), data offset * 4 <= buffer (Truncated). The segment is the
 * whole buffer: its length comes from the IP layer (total length minus the
 * IP header), so the caller trims link padding first.
 *
 * Options: tcp_parse_options() walks the option bytes as Linux's
 * tcp_parse_options() does (EOL ends, NOP is skipped, a kind byte without a
 * length byte ends the list) and reports the first malformation it meets
 * with a reason; options before it are kept. Known options with a wrong
 * length are skipped with a reason, as Linux ignores them.
 */
#ifndef CXNET_CORE_WIRE_TCP_H
#define CXNET_CORE_WIRE_TCP_H

#include "../types.h"
#include "../checksum.h"
#include "bytes.h"
#include "error.h"
#include "ipv4.h"

namespace cx::wire {

namespace tcp_flag {
constexpr uint8_t kFin = 0x01;
constexpr uint8_t kSyn = 0x02;
constexpr uint8_t kRst = 0x04;
constexpr uint8_t kPsh = 0x08;
constexpr uint8_t kAck = 0x10;
constexpr uint8_t kUrg = 0x20;
constexpr uint8_t kEce = 0x40;
constexpr uint8_t kCwr = 0x80;
} // namespace tcp_flag

namespace tcp_option {
constexpr uint8_t kEol = 0;
constexpr uint8_t kNop = 1;
constexpr uint8_t kMss = 2;		/* length 4 */
constexpr uint8_t kWindowScale = 3;	/* length 3 */
constexpr uint8_t kSackPermitted = 4;	/* length 2 */
constexpr uint8_t kSack = 5;		/* length 2 + 8n, n = 1..4 */
constexpr uint8_t kTimestamp = 8;	/* length 10 */
} // namespace tcp_option

class TcpPacket {
public:
	static constexpr size_t kMinHeaderLen = 20;
	static constexpr size_t kMaxHeaderLen = 60;

	constexpr TcpPacket() = default;
	static TcpPacket new_unchecked(Bytes buffer) { return TcpPacket(buffer); }

	/* *out is set only when the buffer is valid. */
	static Error new_checked(Bytes buffer, TcpPacket *out)
	{
		TcpPacket packet(buffer);
		Error error = packet.check();
		if (error == Error::Ok)
			*out = packet;
		return error;
	}

	Error check() const
	{
		if (buffer_.len() < kMinHeaderLen)
			return Error::Truncated;
		if (data_offset() < 5)
			return Error::BadDataOffset;
		if (buffer_.len() < header_len())
			return Error::Truncated;
		return Error::Ok;
	}

	Bytes buffer() const { return buffer_; }

	uint16_t src_port() const { return buffer_.be16(0); }
	uint16_t dst_port() const { return buffer_.be16(2); }
	uint32_t seq() const { return buffer_.be32(4); }
	uint32_t ack() const { return buffer_.be32(8); }
	/* header length in 32-bit words */
	uint8_t data_offset() const { return buffer_.u8(12) >> 4; }
	size_t header_len() const { return static_cast<size_t>(data_offset()) * 4; }
	uint8_t flags() const { return buffer_.u8(13); }
	bool has(uint8_t flag) const { return (flags() & flag) != 0; }
	uint16_t window() const { return buffer_.be16(14); }
	uint16_t checksum() const { return buffer_.be16(16); }
	uint16_t urgent() const { return buffer_.be16(18); }

	/* After check(): the option bytes and the payload. */
	Bytes options() const { return buffer_.sub(kMinHeaderLen, header_len() - kMinHeaderLen); }
	Bytes payload() const { return buffer_.from(header_len()); }

	/* Checksum over the IPv4 pseudo-header and the whole buffer (RFC 9293 3.1). */
	bool verify_checksum_ipv4(uint32_t src, uint32_t dst) const
	{
		return csum_fold(sum_ipv4(src, dst)) == 0xffff;
	}

	void set_src_port(uint16_t port) { buffer_.set_be16(0, port); }
	void set_dst_port(uint16_t port) { buffer_.set_be16(2, port); }
	void set_seq(uint32_t seq) { buffer_.set_be32(4, seq); }
	void set_ack(uint32_t ack) { buffer_.set_be32(8, ack); }
	/* words 5..15; the reserved bits are cleared */
	void set_data_offset(uint8_t words)
	{
		CX_BUG_ON(words < 5 || words > 15);
		buffer_.set_u8(12, static_cast<uint8_t>(words << 4));
	}
	void set_flags(uint8_t flags) { buffer_.set_u8(13, flags); }
	void set_window(uint16_t window) { buffer_.set_be16(14, window); }
	void set_checksum(uint16_t checksum) { buffer_.set_be16(16, checksum); }
	void set_urgent(uint16_t urgent) { buffer_.set_be16(18, urgent); }

	/* Compute and store the checksum over the whole buffer. */
	void fill_checksum_ipv4(uint32_t src, uint32_t dst)
	{
		set_checksum(0);
		set_checksum(csum_finish(sum_ipv4(src, dst)));
	}

private:
	explicit TcpPacket(Bytes buffer) : buffer_(buffer) {}

	uint32_t sum_ipv4(uint32_t src, uint32_t dst) const
	{
		uint32_t pseudo = csum_ipv4_pseudo(src, dst, ip_protocol::kTcp,
						   static_cast<uint16_t>(buffer_.len()));
		return csum_partial(buffer_.data(), buffer_.len(), pseudo);
	}

	Bytes buffer_;
};

/* Why option parsing stopped or skipped an option. */
enum class TcpOptError : uint8_t {
	Ok = 0,
	MissingLength,		/* a kind byte is the last byte: no length follows */
	LengthBelowTwo,		/* length byte 0 or 1 (Linux: "silly options") */
	LengthOverrun,		/* length runs past the option bytes */
	BadMssLength,		/* MSS not 4 bytes (skipped) */
	BadWindowScaleLength,	/* window scale not 3 bytes (skipped) */
	BadSackPermLength,	/* SACK-permitted not 2 bytes (skipped) */
	BadTimestampLength,	/* timestamps not 10 bytes (skipped) */
	BadSackLength,		/* SACK not 2 + 8n bytes, n = 1..4 (skipped) */
};

const char *tcp_opt_error_name(TcpOptError error);

/* Parsed (or to be written) options. */
struct TcpOptions {
	bool mss_present = false;
	bool wscale_present = false;
	bool sack_permitted = false;
	bool ts_present = false;
	uint16_t mss = 0;
	uint8_t wscale = 0;	/* as received; the receiver clamps to 14 */
	uint8_t sack_blocks = 0;
	uint32_t tsval = 0;
	uint32_t tsecr = 0;
	uint32_t sack[4][2] = {};	/* left, right edges */
};

/*
 * Parse option bytes into *out (zeroed first). Returns Ok, or the first
 * problem met: a structural one ends parsing (options before it are in
 * *out), a bad length of a known option skips that option and parsing
 * goes on; only the first problem is reported.
 */
TcpOptError tcp_parse_options(Bytes options, TcpOptions *out);

/* Bytes tcp_write_options() writes for opts (a multiple of 4, at most 40). */
size_t tcp_options_len(const TcpOptions &opts);

/*
 * Write opts in Linux's layout (MSS; SACK-permitted + timestamps, or
 * NOP NOP + timestamps, or NOP NOP + SACK-permitted; NOP + window scale),
 * padded to a multiple of 4. buf must have tcp_options_len(opts) bytes.
 * Returns the bytes written.
 */
size_t tcp_write_options(Bytes buf, const TcpOptions &opts);

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_TCP_H */
