/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Language utilities for the portable core, which has no standard library:
 * move/forward, min/max/swap, array size, container_of for member pointers
 * and CX_BUG_ON.
 */
#ifndef CXNET_CORE_UTILITY_H
#define CXNET_CORE_UTILITY_H

#include "types.h"
#include "os.h"

namespace cx {

template <typename T> struct remove_reference { using type = T; };
template <typename T> struct remove_reference<T &> { using type = T; };
template <typename T> struct remove_reference<T &&> { using type = T; };
template <typename T> using remove_reference_t = typename remove_reference<T>::type;

template <typename T>
constexpr remove_reference_t<T> &&move(T &&value) noexcept
{
	return static_cast<remove_reference_t<T> &&>(value);
}

template <typename T>
constexpr T &&forward(remove_reference_t<T> &value) noexcept
{
	return static_cast<T &&>(value);
}

template <typename T>
constexpr T &&forward(remove_reference_t<T> &&value) noexcept
{
	return static_cast<T &&>(value);
}

template <typename T>
constexpr const T &min(const T &a, const T &b)
{
	return b < a ? b : a;
}

template <typename T>
constexpr const T &max(const T &a, const T &b)
{
	return a < b ? b : a;
}

template <typename T>
constexpr void swap(T &a, T &b)
{
	T tmp = move(a);
	a = move(b);
	b = move(tmp);
}

constexpr bool is_power_of_two(uint64_t value)
{
	return value != 0 && (value & (value - 1)) == 0;
}

/* Smallest power of two >= value (1 for 0). value must be <= 2^63. */
constexpr uint64_t round_up_power_of_two(uint64_t value)
{
	uint64_t result = 1;
	while (result < value)
		result <<= 1;
	return result;
}

namespace detail {
/* Declared only: CX_ARRAY_SIZE takes sizeof of the result, pointers do not compile. */
template <typename T, size_t N> char (&array_size_helper(T (&)[N]))[N];
} // namespace detail

/*
 * Byte offset of a data member given as a member pointer. In the Itanium
 * C++ ABI (GCC and Clang, kernel and userspace) a pointer to data member is
 * represented as exactly that offset, as a ptrdiff_t.
 */
template <typename T, typename M>
inline size_t member_offset(M T::*member) noexcept
{
	static_assert(sizeof(member) == sizeof(ptrdiff_t), "Itanium ABI data member pointer");
	ptrdiff_t offset;
	__builtin_memcpy(&offset, &member, sizeof(offset));
	return static_cast<size_t>(offset);
}

/* The object containing *field, where field is its member `member`. */
template <typename T, typename M>
inline T *container_of(M *field, M T::*member) noexcept
{
	return reinterpret_cast<T *>(reinterpret_cast<char *>(field) - member_offset(member));
}

template <typename T, typename M>
inline const T *container_of(const M *field, M T::*member) noexcept
{
	return reinterpret_cast<const T *>(reinterpret_cast<const char *>(field) -
					   member_offset(member));
}

} // namespace cx

/* Number of elements of an array (not a pointer: that fails to compile). */
#define CX_ARRAY_SIZE(array) (sizeof(::cx::detail::array_size_helper(array)))

/*
 * A broken invariant: cx_os_bug(__FILE__, __LINE__, #cond) and stop.
 * cx_os_bug() is not declared noreturn (objtool cannot know an external
 * callee never returns and would see the caller fall through into the next
 * function), so the path ends in __builtin_trap() (ud2), a dead end for
 * both the compiler and objtool.
 */
#define CX_BUG_ON(cond)                                                \
	do {                                                           \
		if (__builtin_expect(!!(cond), 0)) {                   \
			cx_os_bug(__FILE__, __LINE__, #cond);          \
			__builtin_trap();                              \
		}                                                      \
	} while (0)

#endif /* CXNET_CORE_UTILITY_H */
