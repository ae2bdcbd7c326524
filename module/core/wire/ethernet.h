/* SPDX-License-Identifier: GPL-2.0 */
/* Ethernet II frames (no FCS, no VLAN tag): a typed view over bytes. */
#ifndef CXNET_CORE_WIRE_ETHERNET_H
#define CXNET_CORE_WIRE_ETHERNET_H

#include "../types.h"
#include "bytes.h"
#include "error.h"

namespace cx::wire {

struct MacAddress {
	uint8_t octets[6];

	static constexpr MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }

	constexpr bool is_broadcast() const
	{
		for (uint8_t octet : octets)
			if (octet != 0xff)
				return false;
		return true;
	}
	/* group bit: multicast, broadcast included */
	constexpr bool is_multicast() const { return (octets[0] & 1) != 0; }
	constexpr bool is_unicast() const { return !is_multicast(); }
	constexpr bool is_zero() const
	{
		for (uint8_t octet : octets)
			if (octet != 0)
				return false;
		return true;
	}

	friend constexpr bool operator==(const MacAddress &a, const MacAddress &b)
	{
		for (size_t i = 0; i < 6; i++)
			if (a.octets[i] != b.octets[i])
				return false;
		return true;
	}
	friend constexpr bool operator!=(const MacAddress &a, const MacAddress &b) { return !(a == b); }
};

namespace ethertype {
constexpr uint16_t kIpv4 = 0x0800;
constexpr uint16_t kArp = 0x0806;
constexpr uint16_t kIpv6 = 0x86dd;
} // namespace ethertype

class EthernetFrame {
public:
	static constexpr size_t kHeaderLen = 14;

	constexpr EthernetFrame() = default;
	static EthernetFrame new_unchecked(Bytes buffer) { return EthernetFrame(buffer); }

	/* *out is set only when the buffer is valid. */
	static Error new_checked(Bytes buffer, EthernetFrame *out)
	{
		EthernetFrame frame(buffer);
		Error error = frame.check();
		if (error == Error::Ok)
			*out = frame;
		return error;
	}

	Error check() const { return buffer_.len() < kHeaderLen ? Error::Truncated : Error::Ok; }

	/* Bytes of a frame carrying payload_len bytes. */
	static constexpr size_t frame_len(size_t payload_len) { return kHeaderLen + payload_len; }

	Bytes buffer() const { return buffer_; }

	MacAddress dst() const { return mac_at(0); }
	MacAddress src() const { return mac_at(6); }
	uint16_t ethertype() const { return buffer_.be16(12); }
	Bytes payload() const { return buffer_.from(kHeaderLen); }

	void set_dst(const MacAddress &mac) { buffer_.write(0, mac.octets, 6); }
	void set_src(const MacAddress &mac) { buffer_.write(6, mac.octets, 6); }
	void set_ethertype(uint16_t type) { buffer_.set_be16(12, type); }

private:
	explicit EthernetFrame(Bytes buffer) : buffer_(buffer) {}

	MacAddress mac_at(size_t offset) const
	{
		MacAddress mac;
		buffer_.read(offset, mac.octets, 6);
		return mac;
	}

	Bytes buffer_;
};

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_ETHERNET_H */
