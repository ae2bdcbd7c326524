// SPDX-License-Identifier: GPL-2.0
/*
 * Global operator new/delete for C++ in the kernel, over the OS interface.
 *
 * Plain and array new may sleep (GFP_KERNEL). Code that may not sleep uses
 * the tagged forms from core/memory.h (cx::make<T>(cx::Gfp::Atomic, ...)).
 * Built with -fcheck-new, so a failed allocation yields nullptr from the
 * new-expression instead of constructing at address 0. Nothrow forms are the
 * same (nothing throws here). Sized and array deletes (pulled in by virtual
 * destructors) free as the plain one does.
 */
#include "../core/os.h"

namespace std {
struct nothrow_t {
	explicit nothrow_t() = default;
};
} // namespace std

void *operator new(size_t size)
{
	return cx_os_zalloc(size ? size : 1, CX_GFP_KERNEL);
}

void *operator new[](size_t size)
{
	return cx_os_zalloc(size ? size : 1, CX_GFP_KERNEL);
}

void *operator new(size_t size, const std::nothrow_t &) noexcept
{
	return cx_os_zalloc(size ? size : 1, CX_GFP_KERNEL);
}

void *operator new[](size_t size, const std::nothrow_t &) noexcept
{
	return cx_os_zalloc(size ? size : 1, CX_GFP_KERNEL);
}

void operator delete(void *ptr) noexcept
{
	cx_os_free(ptr);
}

void operator delete[](void *ptr) noexcept
{
	cx_os_free(ptr);
}

void operator delete(void *ptr, size_t) noexcept
{
	cx_os_free(ptr);
}

void operator delete[](void *ptr, size_t) noexcept
{
	cx_os_free(ptr);
}

void operator delete(void *ptr, const std::nothrow_t &) noexcept
{
	cx_os_free(ptr);
}

void operator delete[](void *ptr, const std::nothrow_t &) noexcept
{
	cx_os_free(ptr);
}
