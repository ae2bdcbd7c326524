/* SPDX-License-Identifier: GPL-2.0 */
/* ARP (RFC 826) for Ethernet and IPv4 only: a typed view over bytes. */
#ifndef CXNET_CORE_WIRE_ARP_H
#define CXNET_CORE_WIRE_ARP_H

#include "../types.h"
#include "bytes.h"
#include "error.h"
#include "ethernet.h"

namespace cx::wire {

namespace arp_operation {
constexpr uint16_t kRequest = 1;
constexpr uint16_t kReply = 2;
} // namespace arp_operation

constexpr uint16_t kArpHardwareEthernet = 1;

class ArpPacket {
public:
	/* hardware type, protocol type, their lengths, operation */
	static constexpr size_t kFixedLen = 8;
	/* with two MAC and two IPv4 addresses */
	static constexpr size_t kLen = 28;

	constexpr ArpPacket() = default;
	static ArpPacket new_unchecked(Bytes buffer) { return ArpPacket(buffer); }

	/* *out is set only when the buffer is valid. */
	static Error new_checked(Bytes buffer, ArpPacket *out)
	{
		ArpPacket packet(buffer);
		Error error = packet.check();
		if (error == Error::Ok)
			*out = packet;
		return error;
	}

	Error check() const
	{
		if (buffer_.len() < kFixedLen)
			return Error::Truncated;
		if (hardware_type() != kArpHardwareEthernet)
			return Error::BadHardwareType;
		if (protocol_type() != ethertype::kIpv4)
			return Error::BadProtocolType;
		if (hardware_len() != 6 || protocol_len() != 4)
			return Error::BadAddressLength;
		if (buffer_.len() < kLen)
			return Error::Truncated;
		return Error::Ok;
	}

	Bytes buffer() const { return buffer_; }

	uint16_t hardware_type() const { return buffer_.be16(0); }
	uint16_t protocol_type() const { return buffer_.be16(2); }
	uint8_t hardware_len() const { return buffer_.u8(4); }
	uint8_t protocol_len() const { return buffer_.u8(5); }
	uint16_t operation() const { return buffer_.be16(6); }
	MacAddress sender_hardware_addr() const { return mac_at(8); }
	uint32_t sender_protocol_addr() const { return buffer_.be32(14); }
	MacAddress target_hardware_addr() const { return mac_at(18); }
	uint32_t target_protocol_addr() const { return buffer_.be32(24); }

	/* Fill the fixed part for Ethernet/IPv4 with the given operation. */
	void init_ethernet_ipv4(uint16_t operation)
	{
		set_hardware_type(kArpHardwareEthernet);
		set_protocol_type(ethertype::kIpv4);
		set_hardware_len(6);
		set_protocol_len(4);
		set_operation(operation);
	}

	void set_hardware_type(uint16_t type) { buffer_.set_be16(0, type); }
	void set_protocol_type(uint16_t type) { buffer_.set_be16(2, type); }
	void set_hardware_len(uint8_t len) { buffer_.set_u8(4, len); }
	void set_protocol_len(uint8_t len) { buffer_.set_u8(5, len); }
	void set_operation(uint16_t operation) { buffer_.set_be16(6, operation); }
	void set_sender_hardware_addr(const MacAddress &mac) { buffer_.write(8, mac.octets, 6); }
	void set_sender_protocol_addr(uint32_t addr) { buffer_.set_be32(14, addr); }
	void set_target_hardware_addr(const MacAddress &mac) { buffer_.write(18, mac.octets, 6); }
	void set_target_protocol_addr(uint32_t addr) { buffer_.set_be32(24, addr); }

private:
	explicit ArpPacket(Bytes buffer) : buffer_(buffer) {}

	MacAddress mac_at(size_t offset) const
	{
		MacAddress mac;
		buffer_.read(offset, mac.octets, 6);
		return mac;
	}

	Bytes buffer_;
};

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_ARP_H */
