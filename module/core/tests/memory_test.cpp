// SPDX-License-Identifier: GPL-2.0
/* cx::make / cx::destroy / make_array over the OS allocator. */
#include "cx_test.h"
#include "cases.h"
#include "../memory.h"

namespace cx::test {

namespace {

struct Counted {
	/* untouched by the constructor: shows the storage came zeroed */
	uint32_t untouched[8];
	int value;
	int *destroyed;

	Counted(int v, int *destroyed_count) : value(v), destroyed(destroyed_count) {}
	~Counted() { ++*destroyed; }
};

/* Remembers whether it was built from an rvalue: forward() must keep that. */
struct Token {
	int moves = 0;
	Token() = default;
	Token(const Token &other) : moves(other.moves) {}
	Token(Token &&other) : moves(other.moves + 1) {}
};

struct Holder {
	Token token;
	explicit Holder(const Token &t) : token(t) {}
	explicit Holder(Token &&t) : token(move(t)) {}
};

} // namespace

void core_memory_make_constructs_in_zeroed_storage(cx_test *t)
{
	int destroyed = 0;
	Counted *c = make<Counted>(Gfp::Atomic, 7, &destroyed);
	CX_EXPECT(t, c != nullptr);
	if (!c)
		return;
	CX_EXPECT_EQ(t, c->value, 7);
	for (uint32_t word : c->untouched)
		CX_EXPECT_EQ(t, word, 0u);
	destroy(c);
	CX_EXPECT_EQ(t, destroyed, 1);
}

void core_memory_make_forwards_value_category(cx_test *t)
{
	Token token;
	Holder *copied = make<Holder>(Gfp::Atomic, token);
	Holder *moved = make<Holder>(Gfp::Atomic, move(token));
	CX_EXPECT(t, copied != nullptr && moved != nullptr);
	if (copied)
		CX_EXPECT_EQ(t, copied->token.moves, 0);
	if (moved)
		CX_EXPECT_EQ(t, moved->token.moves, 1);
	destroy(copied);
	destroy(moved);
}

void core_memory_destroy_null_is_noop(cx_test *t)
{
	Counted *none = nullptr;
	destroy(none);
	free_array(static_cast<uint8_t *>(nullptr));
	CX_EXPECT(t, none == nullptr);
}

void core_memory_make_array(cx_test *t)
{
	uint64_t *words = make_array<uint64_t>(32, Gfp::Atomic);
	CX_EXPECT(t, words != nullptr);
	if (words) {
		for (int i = 0; i < 32; i++)
			CX_EXPECT_EQ(t, words[i], 0u);
		free_array(words);
	}
	/* elements are constructed: default member initialisers apply */
	struct Defaulted {
		uint32_t zero;
		uint32_t five = 5;
	};
	Defaulted *items = make_array<Defaulted>(3, Gfp::Atomic);
	CX_EXPECT(t, items != nullptr);
	if (items) {
		CX_EXPECT_EQ(t, items[2].zero, 0u);
		CX_EXPECT_EQ(t, items[2].five, 5u);
		free_array(items);
	}
	/* count * size overflows size_t: refused without calling the allocator */
	CX_EXPECT(t, make_array<uint64_t>(~static_cast<size_t>(0) / 4, Gfp::Atomic) == nullptr);
	/* cx_os_zalloc(0) is NULL */
	CX_EXPECT(t, make_array<uint64_t>(0, Gfp::Atomic) == nullptr);
}

void core_memory_gfp_maps_to_os(cx_test *t)
{
	CX_EXPECT_EQ(t, to_os_gfp(Gfp::Atomic), CX_GFP_ATOMIC);
	CX_EXPECT_EQ(t, to_os_gfp(Gfp::Kernel), CX_GFP_KERNEL);
}

} // namespace cx::test
