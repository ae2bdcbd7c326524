// SPDX-License-Identifier: GPL-2.0
/* IPv4 fragmentation (Linux net/ipv4/ip_output.c, ip_do_fragment()). */
#include "fragment.h"
#include "ip_options.h"
#include "../cx_errno.h"
#include "../memory.h"
#include "../checksum.h"
#include "../wire/bytes.h"

namespace cx::ipv4 {

void fragment_list_free(FragmentList *list)
{
	if (list->pkts) {
		for (size_t i = 0; i < list->count; i++)
			if (list->pkts[i])
				cx_pkt_free(list->pkts[i]);
		free_array(list->pkts);
	}
	list->pkts = nullptr;
	list->count = 0;
}

int ip_fragment(IpStats *stats, cx_pkt *pkt, unsigned int mtu, size_t headroom, FragmentList *out,
		unsigned int *mtu_out)
{
	*out = FragmentList{};
	/* the copy loop reads the datagram as one linear buffer */
	if (!cx_pkt_may_pull(pkt, cx_pkt_len(pkt))) {
		ip_stats_inc(stats, IpMib::FragFails);
		ip_stats_drop(stats, DropReason::NoMem);
		return -CX_ENOMEM;
	}
	uint8_t *iph = cx_pkt_data(pkt);
	uint16_t frag_off = wire::load_be16(iph + 6);
	/* ip_fragment(): DF and not ignore_df -> FragFails, EMSGSIZE */
	if (frag_off & 0x4000) {
		ip_stats_inc(stats, IpMib::FragFails);
		ip_stats_drop(stats, DropReason::PktTooBig);
		*mtu_out = mtu;
		return -CX_EMSGSIZE;
	}
	size_t hlen = static_cast<size_t>(iph[0] & 0x0f) * 4;
	size_t total = cx_pkt_len(pkt);
	CX_BUG_ON(total < hlen || total <= mtu);
	if (mtu < hlen + 8) {
		ip_stats_inc(stats, IpMib::FragFails);
		ip_stats_drop(stats, DropReason::NotSpecified);
		return -CX_EINVAL;
	}
	/* ip_frag_init() */
	size_t space = mtu - hlen;
	size_t chunk = space & ~static_cast<size_t>(7);
	size_t left = total - hlen;
	size_t base_offset = static_cast<size_t>(frag_off & 0x1fff) << 3;
	bool not_last_frag = (frag_off & 0x2000) != 0;
	/* every fragment but the last carries chunk bytes; the last <= space */
	size_t count = left <= space ? 1 : (left - space + chunk - 1) / chunk + 1;

	FragmentList list{};
	list.pkts = make_array<cx_pkt *>(count, Gfp::Atomic);
	if (!list.pkts) {
		ip_stats_inc(stats, IpMib::FragFails);
		ip_stats_drop(stats, DropReason::NoMem);
		return -CX_ENOMEM;
	}
	/* the header of the following fragments, rewritten after the first */
	uint8_t header[60];
	__builtin_memcpy(header, iph, hlen);

	size_t offset = 0;
	while (left > 0) {
		/* ip_frag_next() */
		size_t len = left;
		if (len > space)
			len = space;
		if (len < left)
			len &= ~static_cast<size_t>(7);
		cx_pkt *frag = cx_pkt_alloc(headroom, hlen + len, CX_GFP_ATOMIC);
		if (!frag) {
			fragment_list_free(&list);
			ip_stats_inc(stats, IpMib::FragFails);
			ip_stats_drop(stats, DropReason::NoMem);
			return -CX_ENOMEM;
		}
		list.pkts[list.count++] = frag;
		uint8_t *fh = cx_pkt_put(frag, hlen + len);
		__builtin_memcpy(fh, header, hlen);
		__builtin_memcpy(fh + hlen, iph + hlen + offset, len);
		left -= len;
		uint16_t field = static_cast<uint16_t>((base_offset + offset) >> 3);
		field = static_cast<uint16_t>(field | (frag_off & 0x4000));
		if (left > 0 || not_last_frag)
			field |= 0x2000;
		wire::store_be16(fh + 6, field);
		wire::store_be16(fh + 2, static_cast<uint16_t>(hlen + len));
		fh[10] = 0;
		fh[11] = 0;
		wire::store_be16(fh + 10, internet_checksum(fh, hlen));
		if (offset == 0)
			ip_options_fragment(header, hlen); /* ip_frag_ipcb(first_frag) */
		offset += len;
		ip_stats_inc(stats, IpMib::FragCreates);
	}
	CX_BUG_ON(list.count != count);
	ip_stats_inc(stats, IpMib::FragOKs);
	*out = list;
	return 0;
}

} // namespace cx::ipv4
