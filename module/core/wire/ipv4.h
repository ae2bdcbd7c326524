/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 packets (RFC 791): a typed view over bytes. Addresses are uint32_t
 * in host order (10.0.0.1 is 0x0a000001, see ipv4_address()).
 *
 * check() validates, in order: buffer >= 20 bytes (Truncated), version 4
 * (BadVersion), IHL >= 5 (BadIhl), buffer >= IHL * 4 (Truncated),
 * total length >= IHL * 4 (BadTotalLength), total length <= buffer
 * (LengthExceedsBuffer). Bytes past the total length (link padding) are
 * not part of the packet. The checksum is not part of check():
 * verify_checksum() (the header may have been verified by hardware).
 */
#ifndef CXNET_CORE_WIRE_IPV4_H
#define CXNET_CORE_WIRE_IPV4_H

#include "../types.h"
#include "../checksum.h"
#include "bytes.h"
#include "error.h"

namespace cx::wire {

constexpr uint32_t ipv4_address(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	return (static_cast<uint32_t>(a) << 24) | (static_cast<uint32_t>(b) << 16) |
	       (static_cast<uint32_t>(c) << 8) | d;
}

namespace ip_protocol {
constexpr uint8_t kIcmp = 1;
constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
} // namespace ip_protocol

class Ipv4Packet {
public:
	static constexpr size_t kMinHeaderLen = 20;
	static constexpr size_t kMaxHeaderLen = 60;
	static constexpr uint16_t kFlagDontFragment = 0x4000;
	static constexpr uint16_t kFlagMoreFragments = 0x2000;
	static constexpr uint16_t kFragOffsetMask = 0x1fff;

	constexpr Ipv4Packet() = default;
	static Ipv4Packet new_unchecked(Bytes buffer) { return Ipv4Packet(buffer); }

	/* *out is set only when the buffer is valid. */
	static Error new_checked(Bytes buffer, Ipv4Packet *out)
	{
		Ipv4Packet packet(buffer);
		Error error = packet.check();
		if (error == Error::Ok)
			*out = packet;
		return error;
	}

	Error check() const
	{
		if (buffer_.len() < kMinHeaderLen)
			return Error::Truncated;
		if (version() != 4)
			return Error::BadVersion;
		if (ihl() < 5)
			return Error::BadIhl;
		if (buffer_.len() < header_len())
			return Error::Truncated;
		if (total_len() < header_len())
			return Error::BadTotalLength;
		if (total_len() > buffer_.len())
			return Error::LengthExceedsBuffer;
		return Error::Ok;
	}

	Bytes buffer() const { return buffer_; }

	uint8_t version() const { return buffer_.u8(0) >> 4; }
	/* header length in 32-bit words */
	uint8_t ihl() const { return buffer_.u8(0) & 0x0f; }
	/* header length in bytes */
	size_t header_len() const { return static_cast<size_t>(ihl()) * 4; }
	uint8_t dscp() const { return buffer_.u8(1) >> 2; }
	uint8_t ecn() const { return buffer_.u8(1) & 0x03; }
	uint16_t total_len() const { return buffer_.be16(2); }
	uint16_t ident() const { return buffer_.be16(4); }
	bool dont_frag() const { return (buffer_.be16(6) & kFlagDontFragment) != 0; }
	bool more_frags() const { return (buffer_.be16(6) & kFlagMoreFragments) != 0; }
	/* fragment offset in bytes (the field counts 8-byte units) */
	uint16_t frag_offset() const
	{
		return static_cast<uint16_t>((buffer_.be16(6) & kFragOffsetMask) << 3);
	}
	bool is_fragment() const { return more_frags() || frag_offset() != 0; }
	uint8_t ttl() const { return buffer_.u8(8); }
	uint8_t protocol() const { return buffer_.u8(9); }
	uint16_t checksum() const { return buffer_.be16(10); }
	uint32_t src() const { return buffer_.be32(12); }
	uint32_t dst() const { return buffer_.be32(16); }

	/* After check(): options between the fixed header and header_len(). */
	Bytes options() const { return buffer_.sub(kMinHeaderLen, header_len() - kMinHeaderLen); }
	/* After check(): bytes from the header to the total length. */
	Bytes payload() const { return buffer_.sub(header_len(), total_len() - header_len()); }

	/* After check(): does the header checksum verify? */
	bool verify_checksum() const
	{
		return csum_fold(csum_partial(buffer_.data(), header_len(), 0)) == 0xffff;
	}

	void set_version(uint8_t version)
	{
		buffer_.set_u8(0, static_cast<uint8_t>((version << 4) | (buffer_.u8(0) & 0x0f)));
	}
	void set_ihl(uint8_t words)
	{
		CX_BUG_ON(words > 15);
		buffer_.set_u8(0, static_cast<uint8_t>((buffer_.u8(0) & 0xf0) | words));
	}
	void set_dscp(uint8_t dscp)
	{
		CX_BUG_ON(dscp > 63);
		buffer_.set_u8(1, static_cast<uint8_t>((dscp << 2) | ecn()));
	}
	void set_ecn(uint8_t ecn)
	{
		CX_BUG_ON(ecn > 3);
		buffer_.set_u8(1, static_cast<uint8_t>((buffer_.u8(1) & 0xfc) | ecn));
	}
	void set_total_len(uint16_t len) { buffer_.set_be16(2, len); }
	void set_ident(uint16_t ident) { buffer_.set_be16(4, ident); }
	void set_dont_frag(bool set) { set_flag(kFlagDontFragment, set); }
	void set_more_frags(bool set) { set_flag(kFlagMoreFragments, set); }
	/* offset in bytes: a multiple of 8 up to 65528 */
	void set_frag_offset(uint16_t offset)
	{
		CX_BUG_ON(offset & 7);
		uint16_t field = buffer_.be16(6);
		buffer_.set_be16(6, static_cast<uint16_t>((field & ~kFragOffsetMask) | (offset >> 3)));
	}
	/* zero the flags and fragment offset word (reserved bit included) */
	void clear_flags() { buffer_.set_be16(6, 0); }
	void set_ttl(uint8_t ttl) { buffer_.set_u8(8, ttl); }
	void set_protocol(uint8_t protocol) { buffer_.set_u8(9, protocol); }
	void set_checksum(uint16_t checksum) { buffer_.set_be16(10, checksum); }
	void set_src(uint32_t addr) { buffer_.set_be32(12, addr); }
	void set_dst(uint32_t addr) { buffer_.set_be32(16, addr); }

	/* Compute and store the header checksum over header_len() bytes. */
	void fill_checksum()
	{
		CX_BUG_ON(!buffer_.has(0, header_len()));
		set_checksum(0);
		set_checksum(internet_checksum(buffer_.data(), header_len()));
	}

private:
	explicit Ipv4Packet(Bytes buffer) : buffer_(buffer) {}

	void set_flag(uint16_t flag, bool set)
	{
		uint16_t field = buffer_.be16(6);
		buffer_.set_be16(6, static_cast<uint16_t>(set ? (field | flag) : (field & ~flag)));
	}

	Bytes buffer_;
};

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_IPV4_H */
