/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounds-checked view of packet bytes and big-endian load/store helpers,
 * the ground the typed wire views (ethernet.h, ipv4.h, ...) stand on.
 * Every access is checked: an out-of-range one is a bug (CX_BUG_ON), never
 * a read past the buffer. Views validate lengths once (check()) so that
 * their accessors stay in range afterwards.
 */
#ifndef CXNET_CORE_WIRE_BYTES_H
#define CXNET_CORE_WIRE_BYTES_H

#include "../types.h"
#include "../utility.h"

namespace cx::wire {

constexpr uint16_t load_be16(const uint8_t *p)
{
	return static_cast<uint16_t>((static_cast<uint32_t>(p[0]) << 8) | p[1]);
}

constexpr uint32_t load_be32(const uint8_t *p)
{
	return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
	       (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

constexpr void store_be16(uint8_t *p, uint16_t value)
{
	p[0] = static_cast<uint8_t>(value >> 8);
	p[1] = static_cast<uint8_t>(value);
}

constexpr void store_be32(uint8_t *p, uint32_t value)
{
	p[0] = static_cast<uint8_t>(value >> 24);
	p[1] = static_cast<uint8_t>(value >> 16);
	p[2] = static_cast<uint8_t>(value >> 8);
	p[3] = static_cast<uint8_t>(value);
}

/* len bytes at data (not owned). */
class Bytes {
public:
	constexpr Bytes() = default;
	constexpr Bytes(uint8_t *data, size_t len) : data_(data), len_(len) {}
	template <size_t N>
	constexpr Bytes(uint8_t (&array)[N]) : data_(array), len_(N) {}

	uint8_t *data() const { return data_; }
	size_t len() const { return len_; }
	bool empty() const { return len_ == 0; }

	/* Does [offset, offset + count) lie inside? (no overflow) */
	bool has(size_t offset, size_t count) const
	{
		return count <= len_ && offset <= len_ - count;
	}

	/* The count bytes at offset. */
	Bytes sub(size_t offset, size_t count) const
	{
		CX_BUG_ON(!has(offset, count));
		return Bytes(data_ + offset, count);
	}

	/* Everything from offset on. */
	Bytes from(size_t offset) const
	{
		CX_BUG_ON(offset > len_);
		return Bytes(data_ + offset, len_ - offset);
	}

	Bytes first(size_t count) const { return sub(0, count); }

	uint8_t u8(size_t offset) const
	{
		CX_BUG_ON(!has(offset, 1));
		return data_[offset];
	}

	uint16_t be16(size_t offset) const
	{
		CX_BUG_ON(!has(offset, 2));
		return load_be16(data_ + offset);
	}

	uint32_t be32(size_t offset) const
	{
		CX_BUG_ON(!has(offset, 4));
		return load_be32(data_ + offset);
	}

	void set_u8(size_t offset, uint8_t value)
	{
		CX_BUG_ON(!has(offset, 1));
		data_[offset] = value;
	}

	void set_be16(size_t offset, uint16_t value)
	{
		CX_BUG_ON(!has(offset, 2));
		store_be16(data_ + offset, value);
	}

	void set_be32(size_t offset, uint32_t value)
	{
		CX_BUG_ON(!has(offset, 4));
		store_be32(data_ + offset, value);
	}

	/* Copy count bytes at offset out to dst / in from src. */
	void read(size_t offset, void *dst, size_t count) const
	{
		CX_BUG_ON(!has(offset, count));
		if (count)
			__builtin_memcpy(dst, data_ + offset, count);
	}

	void write(size_t offset, const void *src, size_t count)
	{
		CX_BUG_ON(!has(offset, count));
		if (count)
			__builtin_memcpy(data_ + offset, src, count);
	}

	void fill(uint8_t value)
	{
		if (len_)
			__builtin_memset(data_, value, len_);
	}

private:
	uint8_t *data_ = nullptr;
	size_t len_ = 0;
};

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_BYTES_H */
