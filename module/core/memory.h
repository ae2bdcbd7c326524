/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object allocation for the portable core: every allocation goes through
 * cx_os_zalloc() with an explicit context (Gfp), objects are constructed
 * with placement new in the zeroed storage.
 *
 * The global plain operator new/delete are NOT defined here: the kernel
 * skin provides them, userspace has libstdc++'s. Core code should not use
 * plain new/delete anyway: it hides the allocation context.
 */
#ifndef CXNET_CORE_MEMORY_H
#define CXNET_CORE_MEMORY_H

#include "types.h"
#include "os.h"
#include "utility.h"

#ifdef __KERNEL__
/* No <new> in the kernel: the non-allocating placement forms, by hand. */
inline void *operator new(size_t, void *where) noexcept
{
	return where;
}
inline void *operator new[](size_t, void *where) noexcept
{
	return where;
}
inline void operator delete(void *, void *) noexcept
{
}
inline void operator delete[](void *, void *) noexcept
{
}
#else
#include <new>
#endif

namespace cx {

/* May the allocation sleep? Maps one to one onto enum cx_gfp. */
enum class Gfp {
	Atomic = CX_GFP_ATOMIC, /* softirq, under a spinlock: never sleeps */
	Kernel = CX_GFP_KERNEL, /* process context: may sleep */
};

constexpr enum cx_gfp to_os_gfp(Gfp gfp)
{
	return gfp == Gfp::Kernel ? CX_GFP_KERNEL : CX_GFP_ATOMIC;
}

/* What cx_os_zalloc guarantees (ARCH_KMALLOC_MINALIGN on x86-64). */
constexpr size_t kAllocAlign = 8;

/* A T constructed from args in zeroed storage; nullptr if allocation fails. */
template <typename T, typename... Args>
T *make(Gfp gfp, Args &&...args)
{
	static_assert(alignof(T) <= kAllocAlign, "cx_os_zalloc aligns to 8 bytes only");
	void *storage = cx_os_zalloc(sizeof(T), to_os_gfp(gfp));
	if (!storage)
		return nullptr;
	return new (storage) T(forward<Args>(args)...);
}

/* Destroy and free an object from make(); nullptr is ignored. */
template <typename T>
void destroy(T *object)
{
	if (!object)
		return;
	object->~T();
	cx_os_free(object);
}

/*
 * count value-initialised T in zeroed storage (trivially destructible types
 * only: free_array() runs no destructors); nullptr if count * sizeof(T)
 * overflows or allocation fails. Free with free_array().
 */
template <typename T>
T *make_array(size_t count, Gfp gfp)
{
	static_assert(__has_trivial_destructor(T), "free_array() runs no destructors");
	static_assert(alignof(T) <= kAllocAlign, "cx_os_zalloc aligns to 8 bytes only");
	size_t bytes;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): T may be a pointer, sizeof(T) is meant */
	if (__builtin_mul_overflow(count, sizeof(T), &bytes))
		return nullptr;
	T *array = static_cast<T *>(cx_os_zalloc(bytes, to_os_gfp(gfp)));
	if (!array)
		return nullptr;
	for (size_t i = 0; i < count; i++)
		new (&array[i]) T();
	return array;
}

template <typename T>
void free_array(T *array)
{
	if (array)
		cx_os_free(array);
}

} // namespace cx

#endif /* CXNET_CORE_MEMORY_H */
