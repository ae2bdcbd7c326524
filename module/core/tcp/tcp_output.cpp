// SPDX-License-Identifier: GPL-2.0
/*
 * TCP output: building segments (header, options, payload from the send
 * queue, checksum), the MSS, the receive window we advertise (RFC 9293
 * 3.8.6.2.2 receiver SWS avoidance, never shrinking, RFC 7323 scaling), and
 * what may be sent now: congestion and receive windows, Nagle (RFC 896),
 * TCP_NODELAY, TCP_CORK, MSG_MORE, sender SWS avoidance (RFC 9293
 * 3.8.6.2.1), zero-window probes, resets.
 */
#include "tcp_sock.h"

#include "../cx_errno.h"
#include "../seq.h"

namespace cx::tcp {

using namespace detail;
using wire::Bytes;
using wire::TcpPacket;
namespace tcp_flag = wire::tcp_flag;

namespace {

constexpr uint32_t kTsOptionLen = 12;	/* NOP NOP TS */

bool synchronized_for_data(State state)
{
	switch (state) {
	case State::Established:
	case State::CloseWait:
	case State::FinWait1:
	case State::Closing:
	case State::LastAck:
		return true;
	default:
		return false;
	}
}

/*
 * Build and send one segment of sk: seq, flags, len payload bytes from the
 * send queue at seq. Returns false if no packet could be allocated.
 */
bool transmit(Sock *sk, uint32_t seq, uint8_t flags, uint32_t len)
{
	Net *net = sk->net;
	const Config &cfg = net->cfg;
	wire::TcpOptions opts;
	bool syn = flags & tcp_flag::kSyn;
	if (syn) {
		opts.mss_present = true;
		opts.mss = sk->advmss;
		if (sk->wscale_ok) {
			opts.wscale_present = true;
			opts.wscale = sk->rcv_wscale;
		}
	}
	if (sk->ts_ok) {
		opts.ts_present = true;
		opts.tsval = ts_now(sk);
		opts.tsecr = (flags & tcp_flag::kAck) ? sk->ts_recent : 0;
	}
	size_t opt_len = wire::tcp_options_len(opts);
	size_t hdr_len = TcpPacket::kMinHeaderLen + opt_len;
	cx_pkt *pkt = cx_pkt_alloc(cfg.headroom, hdr_len + len, CX_GFP_ATOMIC);
	if (!pkt) {
		count(sk, Mib::CxOutNoMem);
		return false;
	}
	uint8_t *p = cx_pkt_put(pkt, hdr_len + len);
	TcpPacket tcp = TcpPacket::new_unchecked(Bytes(p, hdr_len + len));
	tcp.set_src_port(sk->sport);
	tcp.set_dst_port(sk->dport);
	tcp.set_seq(seq);
	tcp.set_ack((flags & tcp_flag::kAck) ? sk->rcv_nxt : 0);
	tcp.set_data_offset(static_cast<uint8_t>(hdr_len / 4));
	tcp.set_flags(flags);
	uint32_t window = 0;
	if (!(flags & tcp_flag::kRst))
		window = select_window(sk, syn);
	tcp.set_window(static_cast<uint16_t>(window));
	tcp.set_checksum(0);
	tcp.set_urgent(0);
	wire::tcp_write_options(Bytes(p + TcpPacket::kMinHeaderLen, opt_len), opts);
	if (len) {
		uint32_t data_base = sk->write_seq - static_cast<uint32_t>(sk->sndq.len());
		sk->sndq.copy_to(seq - data_base, p + hdr_len, len);
	}
	tcp.fill_checksum_ipv4(sk->saddr, sk->daddr);
	if (flags & tcp_flag::kAck) {
		sk->last_ack_sent = sk->rcv_nxt;
		sk->ack_pending = false;
		sk->unacked_rcv = 0;
		if (sk->delack_armed) {
			sk->delack_armed = false;
			cx_os_timer_cancel(&sk->delack_timer);
		}
	}
	sk->last_send_ns = cx_os_now_ns();
	sk->segs_out++;
	count(sk, Mib::OutSegs);
	if (flags & tcp_flag::kRst)
		count(sk, Mib::OutRsts);
	if (net->ops->xmit(net->ctx, sk, pkt, sk->saddr, sk->daddr) != 0)
		count(sk, Mib::CxOutXmitErrors);
	return true;
}

} // namespace

namespace detail {

uint16_t mss_for_mtu(uint32_t mtu)
{
	/* IPv4 and TCP headers without options (Linux: tcp_mtu_to_mss), at least TCP_MIN_MSS */
	uint32_t mss = mtu > 40 + 88 ? mtu - 40 : 88;
	return static_cast<uint16_t>(min(mss, 65495u));
}

void update_mss(Sock *sk)
{
	uint32_t mss = sk->peer_mss ? sk->peer_mss : sk->net->cfg.base_mss;
	mss = min(mss, static_cast<uint32_t>(mss_for_mtu(sk->route_mtu)));
	if (sk->user_mss)
		mss = min(mss, static_cast<uint32_t>(sk->user_mss));
	if (sk->ts_ok)
		mss = mss > kTsOptionLen + 64 ? mss - kTsOptionLen : 64;
	sk->mss = static_cast<uint16_t>(max(mss, 64u));
}

uint32_t effective_rcvbuf_space(const Sock *sk)
{
	size_t used = sk->rcvq.len() + sk->ooo_bytes;
	return used < sk->rcvbuf ? static_cast<uint32_t>(sk->rcvbuf - used) : 0;
}

uint32_t select_window(Sock *sk, bool syn)
{
	if (syn) {
		/* never scaled in a SYN (RFC 7323 2.2) */
		uint32_t win = min(effective_rcvbuf_space(sk), 65535u);
		sk->rcv_wnd = win;
		sk->rcv_adv = sk->rcv_nxt + win;
		return win;
	}
	uint8_t scale = sk->wscale_ok ? sk->rcv_wscale : 0;
	uint32_t max_win = 65535u << scale;
	uint32_t space = min(effective_rcvbuf_space(sk), max_win);
	uint32_t cur = seq_after(sk->rcv_adv, sk->rcv_nxt) ? sk->rcv_adv - sk->rcv_nxt : 0;
	uint32_t sws = min(sk->rcvbuf / 2, static_cast<uint32_t>(sk->advmss));
	uint32_t unit = 1u << scale;
	uint32_t win;
	if (space >= cur + sws || (space > cur && cur + sws > max_win)) {
		win = space & ~(unit - 1);
		if (win < cur)
			win = cur;
	} else {
		/* never shrink, grow only by a worthwhile amount */
		win = cur;
	}
	/*
	 * Keeping the old edge with a scale may need rounding: up unless that
	 * promises more than the buffer holds, else down (a shrink of less than
	 * one unit, RFC 7323 2.4), so the edge cannot creep past the buffer.
	 */
	uint32_t field = (win + unit - 1) >> scale;
	if ((static_cast<uint64_t>(field) << scale) > max(space, win & ~(unit - 1)))
		field = win >> scale;
	if (field > 65535)
		field = 65535;
	uint32_t old = sk->rcv_wnd;
	sk->rcv_wnd = field << scale;
	sk->rcv_adv = sk->rcv_nxt + sk->rcv_wnd;
	if (field == 0) {
		count(sk, Mib::TCPWantZeroWindowAdv);
		if (old != 0)
			count(sk, Mib::TCPToZeroWindowAdv);
	} else if (old == 0 && sk->state != State::SynSent && sk->state != State::Close) {
		count(sk, Mib::TCPFromZeroWindowAdv);
	}
	return field;
}

void maybe_window_update(Sock *sk)
{
	if (sk->state != State::Established && sk->state != State::FinWait1 &&
	    sk->state != State::FinWait2)
		return;
	uint8_t scale = sk->wscale_ok ? sk->rcv_wscale : 0;
	uint32_t space = min(effective_rcvbuf_space(sk), 65535u << scale);
	uint32_t cur = seq_after(sk->rcv_adv, sk->rcv_nxt) ? sk->rcv_adv - sk->rcv_nxt : 0;
	uint32_t sws = min(sk->rcvbuf / 2, static_cast<uint32_t>(sk->advmss));
	if (space >= 2 * cur && space >= cur + sws)
		send_ack(sk);
}

void send_ack(Sock *sk)
{
	transmit(sk, sk->snd_nxt, tcp_flag::kAck, 0);
}

void send_syn(Sock *sk)
{
	if (sk->retransmits == 0) {
		/* what we offer; the SYN-ACK decides */
		sk->wscale_ok = sk->net->cfg.window_scaling;
		sk->ts_ok = sk->net->cfg.timestamps;
		sk->rtt_start_ns = cx_os_now_ns();
		sk->rtt_seq = sk->iss + 1;
	}
	if (!sk->wscale_ok)
		sk->rcv_wscale = 0;
	transmit(sk, sk->iss, tcp_flag::kSyn, 0);
	sk->snd_nxt = sk->iss + 1;
	sk->snd_max = sk->iss + 1;
}

void send_synack(Sock *sk)
{
	if (sk->retransmits == 0) {
		sk->rtt_start_ns = cx_os_now_ns();
		sk->rtt_seq = sk->iss + 1;
	} else {
		sk->rtt_start_ns = 0;
	}
	transmit(sk, sk->iss, tcp_flag::kSyn | tcp_flag::kAck, 0);
	sk->snd_nxt = sk->iss + 1;
	sk->snd_max = sk->iss + 1;
}

void send_rst(Sock *sk)
{
	transmit(sk, sk->snd_nxt, tcp_flag::kRst | tcp_flag::kAck, 0);
}

void send_probe(Sock *sk)
{
	/* an old sequence number: the peer answers with an ACK (Linux tcp_xmit_probe_skb) */
	transmit(sk, sk->snd_una - 1, tcp_flag::kAck, 0);
}

void send_reset_reply(Net *net, const Segment &seg)
{
	if (seg.flags & tcp_flag::kRst)
		return;
	size_t len = TcpPacket::kMinHeaderLen;
	cx_pkt *pkt = cx_pkt_alloc(net->cfg.headroom, len, CX_GFP_ATOMIC);
	if (!pkt) {
		count(net, Mib::CxOutNoMem);
		return;
	}
	uint8_t *p = cx_pkt_put(pkt, len);
	TcpPacket tcp = TcpPacket::new_unchecked(Bytes(p, len));
	tcp.set_src_port(seg.dport);
	tcp.set_dst_port(seg.sport);
	tcp.set_data_offset(5);
	tcp.set_window(0);
	tcp.set_urgent(0);
	if (seg.flags & tcp_flag::kAck) {
		/* RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST> */
		tcp.set_seq(seg.ack);
		tcp.set_ack(0);
		tcp.set_flags(tcp_flag::kRst);
	} else {
		/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		uint32_t seg_len = seg.len + ((seg.flags & tcp_flag::kSyn) ? 1 : 0) +
				   ((seg.flags & tcp_flag::kFin) ? 1 : 0);
		tcp.set_seq(0);
		tcp.set_ack(seg.seq + seg_len);
		tcp.set_flags(tcp_flag::kRst | tcp_flag::kAck);
	}
	tcp.fill_checksum_ipv4(seg.dst, seg.src);
	count(net, Mib::OutSegs);
	count(net, Mib::OutRsts);
	if (net->ops->xmit(net->ctx, nullptr, pkt, seg.dst, seg.src) != 0)
		count(net, Mib::CxOutXmitErrors);
}

bool retransmit_head(Sock *sk)
{
	uint32_t end = sk->snd_una;
	bool sent = false;
	uint32_t outstanding = sk->snd_max - sk->snd_una;	/* never resend what was never sent */
	if (outstanding == 0)
		return false;
	if (sk->snd_una == sk->iss) {
		/* our SYN is unacknowledged (shutdown in SYN_RECV): it goes first */
		send_synack(sk);
		return true;
	}
	if (seq_before(sk->snd_una, sk->write_seq)) {
		uint32_t len = min(min(static_cast<uint32_t>(sk->mss), sk->write_seq - sk->snd_una),
				   outstanding);
		uint8_t flags = tcp_flag::kAck;
		bool fin = sk->fin_queued && sk->snd_una + len == sk->write_seq &&
			   seq_after(sk->snd_max, sk->write_seq);
		if (fin)
			flags |= tcp_flag::kFin;
		if (sk->snd_una + len == sk->write_seq)
			flags |= tcp_flag::kPsh;
		sent = transmit(sk, sk->snd_una, flags, len);
		end = sk->snd_una + len + (fin ? 1 : 0);
	} else if (sk->fin_queued && sk->snd_una == sk->write_seq &&
		   seq_after(sk->snd_max, sk->write_seq)) {
		sent = transmit(sk, sk->write_seq, tcp_flag::kFin | tcp_flag::kAck, 0);
		end = sk->write_seq + 1;
	}
	if (!sent)
		return false;
	sk->total_retrans++;
	count(sk, Mib::RetransSegs);
	sk->rtt_start_ns = 0;	/* Karn */
	if (seq_after(end, sk->snd_nxt))
		sk->snd_nxt = end;
	return true;
}

void write_xmit(Sock *sk, bool force)
{
	if (!synchronized_for_data(sk->state))
		return;
	bool window_blocked = false;
	for (;;) {
		bool retrans = seq_before(sk->snd_nxt, sk->snd_max);
		if (seq_before(sk->snd_nxt, sk->write_seq)) {
			uint32_t avail = sk->write_seq - sk->snd_nxt;
			uint32_t wnd_end = sk->snd_una + sk->snd_wnd;
			uint32_t wnd_room = seq_after(wnd_end, sk->snd_nxt) ? wnd_end - sk->snd_nxt : 0;
			uint32_t flight = sk->snd_nxt - sk->snd_una;
			uint32_t cwnd_room = sk->cwnd > flight ? sk->cwnd - flight : 0;
			uint32_t len = min(min(avail, static_cast<uint32_t>(sk->mss)),
					   min(wnd_room, cwnd_room));
			if (force && len == 0 && wnd_room)
				len = min(min(avail, static_cast<uint32_t>(sk->mss)), wnd_room);
			if (len == 0) {
				window_blocked = wnd_room == 0;
				break;
			}
			if (!retrans && len < sk->mss && !force) {
				if (len < avail) {
					/* window or cwnd limited: sender SWS avoidance */
					if (len < wnd_room || len < sk->max_snd_wnd / 2 ||
					    sk->max_snd_wnd == 0) {
						window_blocked = len == wnd_room;
						break;
					}
				} else {
					/* the last, short segment: cork, MSG_MORE, Nagle */
					if (sk->cork || sk->more)
						break;
					if (!sk->nodelay && sk->snd_una != sk->snd_max)
						break;
				}
			}
			force = false;
			bool fin = sk->fin_queued && sk->snd_nxt + len == sk->write_seq;
			uint8_t flags = tcp_flag::kAck;
			if (len == avail)
				flags |= tcp_flag::kPsh;
			if (fin)
				flags |= tcp_flag::kFin;
			if (!transmit(sk, sk->snd_nxt, flags, len))
				break;
			if (retrans) {
				sk->total_retrans++;
				count(sk, Mib::RetransSegs);
			} else if (!sk->rtt_start_ns) {
				sk->rtt_start_ns = cx_os_now_ns();
				sk->rtt_seq = sk->snd_nxt + len;
			}
			if (sk->snd_una == sk->snd_max && sk->cc->cwnd_event)
				sk->cc->cwnd_event(sk, CaEvent::TxStart);
			sk->snd_nxt += len + (fin ? 1 : 0);
			if (seq_after(sk->snd_nxt, sk->snd_max))
				sk->snd_max = sk->snd_nxt;
			if (sk->rtx_mode != Sock::RtxMode::Retransmit)
				arm_rtx(sk);
			if (fin)
				break;
		} else if (sk->fin_queued && sk->snd_nxt == sk->write_seq) {
			/* a FIN alone needs no window (Linux sends it regardless) */
			if (!transmit(sk, sk->snd_nxt, tcp_flag::kFin | tcp_flag::kAck, 0))
				break;
			if (retrans) {
				sk->total_retrans++;
				count(sk, Mib::RetransSegs);
			}
			sk->snd_nxt++;
			if (seq_after(sk->snd_nxt, sk->snd_max))
				sk->snd_max = sk->snd_nxt;
			if (sk->rtx_mode != Sock::RtxMode::Retransmit)
				arm_rtx(sk);
			break;
		} else {
			break;
		}
	}
	/* nothing in flight to bring an ACK, and the window stops us: probe */
	if (window_blocked && sk->snd_una == sk->snd_max && sk->rtx_mode == Sock::RtxMode::None)
		arm_persist(sk);
}

} // namespace detail

} // namespace cx::tcp
