/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP datagrams (RFC 768): a typed view over bytes.
 *
 * check() validates: buffer >= 8 bytes (Truncated), length field >= 8
 * (BadLength), length field <= buffer (LengthExceedsBuffer). Bytes past
 * the length field are not part of the datagram.
 */
#ifndef CXNET_CORE_WIRE_UDP_H
#define CXNET_CORE_WIRE_UDP_H

#include "../types.h"
#include "../checksum.h"
#include "bytes.h"
#include "error.h"
#include "ipv4.h"

namespace cx::wire {

class UdpPacket {
public:
	static constexpr size_t kHeaderLen = 8;

	constexpr UdpPacket() = default;
	static UdpPacket new_unchecked(Bytes buffer) { return UdpPacket(buffer); }

	/* *out is set only when the buffer is valid. */
	static Error new_checked(Bytes buffer, UdpPacket *out)
	{
		UdpPacket packet(buffer);
		Error error = packet.check();
		if (error == Error::Ok)
			*out = packet;
		return error;
	}

	Error check() const
	{
		if (buffer_.len() < kHeaderLen)
			return Error::Truncated;
		if (length() < kHeaderLen)
			return Error::BadLength;
		if (length() > buffer_.len())
			return Error::LengthExceedsBuffer;
		return Error::Ok;
	}

	Bytes buffer() const { return buffer_; }

	uint16_t src_port() const { return buffer_.be16(0); }
	uint16_t dst_port() const { return buffer_.be16(2); }
	/* header and payload, in bytes */
	uint16_t length() const { return buffer_.be16(4); }
	uint16_t checksum() const { return buffer_.be16(6); }
	/* After check(): the bytes after the header up to length(). */
	Bytes payload() const { return buffer_.sub(kHeaderLen, length() - kHeaderLen); }

	/* After check(): checksum over the IPv4 pseudo-header and length() bytes; 0 = none sent. */
	bool verify_checksum_ipv4(uint32_t src, uint32_t dst) const
	{
		if (checksum() == 0)
			return true;
		return csum_fold(sum_ipv4(src, dst)) == 0xffff;
	}

	void set_src_port(uint16_t port) { buffer_.set_be16(0, port); }
	void set_dst_port(uint16_t port) { buffer_.set_be16(2, port); }
	void set_length(uint16_t length) { buffer_.set_be16(4, length); }
	void set_checksum(uint16_t checksum) { buffer_.set_be16(6, checksum); }

	/* Compute and store the checksum (a computed 0 is sent as 0xffff). */
	void fill_checksum_ipv4(uint32_t src, uint32_t dst)
	{
		CX_BUG_ON(!buffer_.has(0, length()));
		set_checksum(0);
		uint16_t checksum = csum_finish(sum_ipv4(src, dst));
		set_checksum(checksum == 0 ? 0xffff : checksum);
	}

private:
	explicit UdpPacket(Bytes buffer) : buffer_(buffer) {}

	uint32_t sum_ipv4(uint32_t src, uint32_t dst) const
	{
		uint32_t pseudo = csum_ipv4_pseudo(src, dst, ip_protocol::kUdp, length());
		return csum_partial(buffer_.data(), length(), pseudo);
	}

	Bytes buffer_;
};

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_UDP_H */
