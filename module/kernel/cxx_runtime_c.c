// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces of the C++ ABI runtime that C++ objects may reference, for the
 * kernel (no libsupc++ here). Not exported: each module links its own.
 * Everything else (guards, atexit, exceptions, RTTI) is kept out by the
 * compiler flags and refused by the build's per-object check (module/Kbuild).
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/kernel.h>
#include <linux/bug.h>

void __cxa_pure_virtual(void);
void __cxa_deleted_virtual(void);

void __cxa_pure_virtual(void)
{
	pr_emerg("pure virtual function called\n");
	BUG();
}

void __cxa_deleted_virtual(void)
{
	pr_emerg("deleted virtual function called\n");
	BUG();
}
