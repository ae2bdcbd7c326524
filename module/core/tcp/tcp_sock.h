/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP protocol core: one connection's control block (RFC 9293 3.3.1
 * names) and its entry points. No socket API, no lookup tables, no locks:
 * the socket layer (later module/kernel/tcp.c) owns a Sock, finds it for an
 * incoming segment, serialises every call on it, and is called back through
 * HostOps.
 *
 * Contract
 * --------
 * Serialisation: every entry point taking a Sock runs with that Sock's lock
 * held by the caller (the kernel: lock_sock() owner in process context,
 * bh_lock_sock() in softirq when not owned by user, else the segment goes
 * to the socket backlog and is fed from release_sock()). The core takes no
 * lock. A listener's SYN queue and accept queue (and each queued child's
 * `parent` and queue link) belong to the listener's lock; a child's other
 * fields to the child's lock once child_ready() handed it to the host (the
 * host hashes it there); before that the child is reachable only through
 * the listener.
 *
 * Contexts:
 *   process context (may sleep; Gfp::Kernel allocations):
 *     sock_create, sock_destroy, connect, listen, accept, send, recv,
 *     shutdown, close, abort, set_* options
 *   softirq or process context (never sleeps; Gfp::Atomic allocations):
 *     segment_parse, rcv, rcv_no_socket, timer_run, and HostOps callbacks
 *     from any of them
 * Timers: each Sock has three cx_os_timers (retransmit/persist,
 * delayed ACK, keepalive/TIME_WAIT/FIN_WAIT2). Their callbacks run in
 * softirq and only call HostOps::timer(ctx, sk, kind); the host takes the
 * socket lock (or defers if owned by user) and calls timer_run(). The timers
 * are cancelled with cx_os_timer_cancel_sync() by sock_destroy(), which is
 * why sock_destroy() is process context only; after it nothing of the core
 * runs for that Sock.
 * Lifetime: the host owns every Sock it created or got from accept(). On
 * close() the core may keep an orphan alive (FIN_WAIT*, CLOSING, LAST_ACK,
 * TIME_WAIT); when it reaches CLOSED the core calls HostOps::dead() once
 * (from softirq): the host then unhashes it and calls sock_destroy() from
 * process context (a work item, or a deferred free). Children still on a
 * listener's queues when the listener closes are reset and freed by
 * close() (SYN queue) or handed to dead() (accept queue: the host knows them).
 * Segments: rcv() borrows the segment; the core copies payload bytes it
 * keeps. HostOps::xmit() takes ownership of the packet it is given.
 */
#ifndef CXNET_CORE_TCP_TCP_SOCK_H
#define CXNET_CORE_TCP_TCP_SOCK_H

#include "../types.h"
#include "../os.h"
#include "../list.h"
#include "../memory.h"
#include "../wire/tcp.h"
#include "tcp_cong.h"
#include "tcp_isn.h"
#include "tcp_stats.h"

namespace cx::tcp {

/* Linux's numbering (include/net/tcp_states.h), so TCP_INFO can report it. */
enum class State : uint8_t {
	Established = 1,
	SynSent = 2,
	SynRecv = 3,
	FinWait1 = 4,
	FinWait2 = 5,
	TimeWait = 6,
	Close = 7,
	CloseWait = 8,
	LastAck = 9,
	Listen = 10,
	Closing = 11,
};

const char *state_name(State state);

/* Tunables, Linux's names and defaults (net.ipv4.tcp_*); times in ms. */
struct Config {
	uint32_t rto_min_ms = 200;		/* TCP_RTO_MIN */
	uint32_t rto_max_ms = 120000;		/* TCP_RTO_MAX */
	uint32_t rto_initial_ms = 1000;		/* TCP_TIMEOUT_INIT (RFC 6298) */
	uint32_t syn_retries = 6;		/* tcp_syn_retries */
	uint32_t synack_retries = 5;		/* tcp_synack_retries */
	uint32_t retries2 = 15;			/* tcp_retries2 */
	uint32_t orphan_retries = 8;		/* tcp_orphan_retries (0 means 8) */
	uint32_t fin_timeout_ms = 60000;	/* tcp_fin_timeout */
	uint32_t time_wait_ms = 60000;		/* TCP_TIMEWAIT_LEN */
	uint32_t keepalive_time_ms = 7200000;	/* tcp_keepalive_time */
	uint32_t keepalive_intvl_ms = 75000;	/* tcp_keepalive_intvl */
	uint32_t keepalive_probes = 9;		/* tcp_keepalive_probes */
	uint32_t delack_min_ms = 40;		/* TCP_DELACK_MIN */
	uint32_t delack_max_ms = 200;		/* TCP_DELACK_MAX */
	uint32_t quickacks = 16;		/* TCP_MAX_QUICKACKS */
	uint32_t rmem_default = 131072;		/* tcp_rmem[1] */
	uint32_t rmem_max = 6291456;		/* tcp_rmem[2] */
	uint32_t wmem_default = 16384;		/* tcp_wmem[1] */
	uint32_t wmem_max = 4194304;		/* tcp_wmem[2] */
	uint32_t challenge_ack_limit = 1000;	/* tcp_challenge_ack_limit, per second */
	uint32_t init_cwnd_segs = 10;		/* TCP_INIT_CWND (RFC 6928) */
	uint32_t base_mss = 536;		/* default send MSS without the option */
	bool window_scaling = true;		/* tcp_window_scaling */
	bool timestamps = true;			/* tcp_timestamps */
	uint16_t headroom = 128;		/* bytes reserved before the TCP header */
};

/* Which of a Sock's timers fired (HostOps::timer, timer_run). */
enum class TimerKind : uint8_t {
	Retransmit,	/* RTO, SYN/SYN-ACK retransmission, zero-window probe */
	DelayedAck,
	Keepalive,	/* keepalive, FIN_WAIT2 timeout, TIME_WAIT expiry */
};

/* HostOps::wake() event bits. */
constexpr uint32_t kWakeRead = 1;	/* data or EOF to read */
constexpr uint32_t kWakeWrite = 2;	/* send space */
constexpr uint32_t kWakeError = 4;	/* sk->err set */
constexpr uint32_t kWakeHup = 8;	/* both directions done */

struct Sock;

struct HostOps {
	/*
	 * Transmit a segment: pkt holds the TCP header and payload, checksum
	 * filled, Config::headroom bytes of headroom. src/dst in host order.
	 * sk is null for replies without a socket (RST to a closed port).
	 * Takes ownership of pkt. Returns 0 or -errno (the core counts it and
	 * relies on retransmission).
	 */
	int (*xmit)(void *net_ctx, Sock *sk, cx_pkt *pkt, uint32_t src, uint32_t dst);
	/* Readiness changed (kWake* bits): wake poll/readers/writers. */
	void (*wake)(Sock *sk, uint32_t events);
	/* State changed (after the fact); optional. */
	void (*state_change)(Sock *sk, State old_state, State new_state);
	/*
	 * A child of listener completed its handshake and is on the accept
	 * queue: hash it (and set its ctx) so its segments reach it directly.
	 */
	void (*child_ready)(Sock *listener, Sock *child);
	/* A timer fired (softirq): lock sk (or defer) and call timer_run(). */
	void (*timer)(Sock *sk, TimerKind kind);
	/* An orphan reached CLOSED: unhash it, sock_destroy() it later in process context. */
	void (*dead)(Sock *sk);
	/* The counters to bump now (e.g. this CPU's); null: Net::stats. */
	TcpStats *(*stats)(void *net_ctx);
};

/*
 * Per network namespace TCP state. Initialise with net_init(); the caller
 * fills cfg (tunables) and may change it at any time (read on use).
 */
struct Net {
	const HostOps *ops;
	void *ctx;
	Config cfg;
	IsnKey isn_key;
	TcpStats stats;		/* used when ops->stats is null */
	/* RFC 5961 challenge ACK budget (per second, for the namespace) */
	uint64_t challenge_second;
	uint32_t challenge_count;
	const CongOps *default_cc;
};

void net_init(Net *net, const HostOps *ops, void *ctx);

/*
 * A byte stream in chunks allocated on demand (send queue, receive queue).
 * Bytes are appended at the tail and consumed at the head.
 */
class ByteQueue {
public:
	static constexpr size_t kChunkData = 4096 - 32;

	ByteQueue() = default;
	ByteQueue(const ByteQueue &) = delete;
	ByteQueue &operator=(const ByteQueue &) = delete;
	~ByteQueue() { clear(); }

	size_t len() const { return len_; }
	/* Append up to n bytes from copy(arg, dst, count) (false = fault); returns bytes
	 * appended (short on allocation failure), or -EFAULT if nothing and a copy faulted. */
	long append(bool (*copy)(void *arg, void *dst, size_t count), void *arg, size_t n, Gfp gfp);
	/* Append from memory. */
	size_t append_bytes(const uint8_t *src, size_t n, Gfp gfp);
	/* Hand count bytes from offset to out(arg, src, count) in pieces; false stops. */
	bool peek(size_t offset, size_t count, bool (*out)(void *arg, const void *src, size_t count),
		  void *arg) const;
	/* Copy count bytes from offset into dst. */
	void copy_to(size_t offset, uint8_t *dst, size_t count) const;
	void consume(size_t n);
	void clear();

private:
	struct Chunk {
		ListNode node;
		uint32_t used;
		uint8_t data[kChunkData];
	};

	List<Chunk, &Chunk::node> chunks_;
	size_t len_ = 0;
	size_t head_ = 0;	/* consumed bytes of the first chunk */
};

/* An out-of-order segment's bytes (sorted by seq in Sock::ooo). */
struct OooSeg {
	ListNode node;
	uint32_t seq;
	uint32_t len;

	/* the bytes follow the header in the same allocation */
	uint8_t *data() { return reinterpret_cast<uint8_t *>(this + 1); }
};

/* RFC 6298 estimator (microseconds). */
struct RtoEstimator {
	uint32_t srtt_us;	/* 0: no sample yet */
	uint32_t rttvar_us;
	uint32_t rto_us;	/* base RTO, before backoff */
	uint8_t backoff;	/* exponential backoff shift */
};

/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): grouped as RFC 9293 3.3.1 */
struct Sock {
	Net *net;
	void *ctx;		/* the host's socket */
	State state;

	/* addressing (host order) */
	uint32_t saddr, daddr;
	uint16_t sport, dport;

	/* send sequence space (RFC 9293 3.3.1) */
	uint32_t iss;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max;	/* highest sequence sent + 1 */
	uint32_t snd_wnd;	/* bytes (scaled) */
	uint32_t snd_wl1, snd_wl2;
	uint32_t max_snd_wnd;	/* largest window the peer offered */
	uint32_t write_seq;	/* sequence of the next byte appended by send() */

	/* receive sequence space */
	uint32_t irs;
	uint32_t rcv_nxt;
	uint32_t rcv_wnd;	/* last advertised window (bytes) */
	uint32_t rcv_adv;	/* right edge advertised: rcv_nxt + rcv_wnd at that time */
	uint32_t last_ack_sent;	/* rcv_nxt in the last ACK sent (RFC 7323 4.3) */
	uint64_t last_oow_ack_ns;	/* rate limit of ACKs to out-of-window segments */

	/* options */
	uint16_t advmss;	/* MSS we announce (route MTU - 40, TCP_MAXSEG) */
	uint16_t mss;		/* payload bytes per segment we send (options excluded) */
	uint16_t user_mss;	/* TCP_MAXSEG; 0: none */
	uint16_t peer_mss;	/* the peer's MSS option (base_mss without one) */
	uint16_t route_mtu;
	uint8_t snd_wscale, rcv_wscale;
	bool wscale_ok, ts_ok, sack_ok;
	uint32_t ts_recent;
	uint64_t ts_recent_stamp_ns;
	uint32_t ts_offset;

	/* timing */
	RtoEstimator rto;
	uint32_t rtt_seq;	/* Karn: segment being timed ends here */
	uint64_t rtt_start_ns;	/* 0: none timed */
	uint8_t retransmits;	/* consecutive RTOs (or SYN retries) */
	uint8_t probes_out;	/* zero-window or keepalive probes unanswered */
	uint64_t first_retrans_ns;	/* start of the current retransmission episode */
	uint64_t last_rcv_ns;	/* last segment received (keepalive idle) */
	uint64_t last_send_ns;

	/* congestion control */
	const CongOps *cc;
	CaState ca_state;
	uint32_t cwnd;		/* bytes */
	uint32_t ssthresh;	/* bytes */
	uint32_t cwnd_acc;	/* congestion avoidance byte counter */
	uint32_t recover;	/* RFC 6582 */
	uint32_t dupacks;
	bool cc_active;		/* cc->init() ran, release() owed */
	alignas(8) uint8_t cc_priv[kCongPrivSize];

	/* queues */
	ByteQueue sndq;		/* [write_seq - sndq.len(), write_seq): unacked + unsent */
	ByteQueue rcvq;		/* in order, not yet read */
	List<OooSeg, &OooSeg::node> ooo;
	uint32_t ooo_bytes;
	uint32_t sndbuf, rcvbuf;
	bool sndbuf_locked, rcvbuf_locked;

	/* flags */
	bool nodelay, cork, more, keepalive;
	bool fin_queued;	/* FIN follows the last byte of sndq (at write_seq) */
	bool rcv_fin;		/* peer's FIN received in order */
	bool ooo_fin;		/* peer's FIN seen beyond a hole, at ooo_fin_seq */
	uint32_t ooo_fin_seq;
	bool orphan;		/* closed by the user; dead() when CLOSED */
	bool dead_called;
	bool shut_rd;
	bool ack_pending;	/* an ACK is owed (delayed) */
	bool delack_armed;
	uint8_t quickack;	/* segments still ACKed at once */
	uint32_t unacked_rcv;	/* bytes received since the last ACK sent */
	int err;		/* pending error (SO_ERROR), positive errno */
	int soft_err;

	/* per-socket tunables (socket options); 0: the Net's */
	uint32_t keepidle_ms, keepintvl_ms, keepcnt;
	uint32_t user_timeout_ms;
	uint32_t linger2_ms;

	/* timers */
	cx_os_timer rtx_timer;
	cx_os_timer delack_timer;
	cx_os_timer ka_timer;
	enum class RtxMode : uint8_t { None, Retransmit, Persist } rtx_mode;
	uint64_t rtx_deadline_ns;

	/* listener side */
	Sock *parent;		/* listener while on its SYN or accept queue */
	ListNode queue_node;	/* on parent's syn_queue or accept_queue */
	List<Sock, &Sock::queue_node> syn_queue;
	List<Sock, &Sock::queue_node> accept_queue;
	uint32_t syn_count, accept_count;
	uint32_t backlog;

	/* per-socket counters (TCP_INFO) */
	uint64_t bytes_acked, bytes_received;
	uint32_t total_retrans, segs_in, segs_out;
};

/* ---- process context ---------------------------------------------------- */

/* A CLOSED socket (rcvbuf/sndbuf from cfg); nullptr on allocation failure. */
Sock *sock_create(Net *net, void *ctx, Gfp gfp);
/* Cancel timers (sync), free queues and queued children, free sk. */
void sock_destroy(Sock *sk);

/*
 * Active open: saddr:sport -> daddr:dport (the caller chose the route and
 * source, and gives the route's MTU). Sends the SYN. 0 or -errno
 * (-EISCONN, -EALREADY, -EINVAL, -ENOMEM).
 */
int connect(Sock *sk, uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport,
	    uint32_t route_mtu);

/* Bound to saddr:sport (0.0.0.0 = any), listen with this backlog (somaxconn applied). */
int listen(Sock *sk, uint32_t saddr, uint16_t sport, uint32_t backlog);
/*
 * Route MTU for a listener's children: the caller sets it before passing
 * SYNs (it may differ per source; default 1500).
 */
void set_route_mtu(Sock *sk, uint32_t mtu);

/* The next established child, off the accept queue; nullptr if none. */
Sock *accept(Sock *listener);

/* Copy helpers: false on a fault (copy_from_iter / copy_to_iter short). */
using CopyFrom = bool (*)(void *arg, void *dst, size_t count);
using CopyTo = bool (*)(void *arg, const void *src, size_t count);

constexpr uint32_t kMsgPeek = 2;	/* MSG_PEEK */
constexpr uint32_t kMsgMore = 0x8000;	/* MSG_MORE */

/*
 * Queue up to len bytes and push. Returns bytes queued (maybe fewer: send
 * space), -EAGAIN (no space: caller waits for kWakeWrite), -EPIPE (write
 * side shut down or connection closed), -ENOTCONN, the pending error
 * (-ECONNRESET ...), -EFAULT.
 */
long send(Sock *sk, CopyFrom copy, void *arg, size_t len, uint32_t flags);
/* Bytes that send() would accept now. */
size_t send_space(const Sock *sk);
/*
 * Copy up to len bytes out (kMsgPeek: leave them). Returns bytes, 0 at EOF
 * (peer's FIN, shutdown(SHUT_RD), or reset after the data), -EAGAIN when
 * nothing is there yet, -ENOTCONN, the pending error, -EFAULT.
 */
long recv(Sock *sk, CopyTo copy, void *arg, size_t len, uint32_t flags);
/* Readable bytes (SIOCINQ) and unacknowledged bytes (SIOCOUTQ). */
size_t rcv_queued(const Sock *sk);
size_t snd_queued(const Sock *sk);
/* kWake* bits describing the socket now (poll). */
uint32_t poll(const Sock *sk);
/* Return and clear the pending error (SO_ERROR). */
int take_error(Sock *sk);

/* how: 0 SHUT_RD, 1 SHUT_WR, 2 SHUT_RDWR. 0 or -ENOTCONN. */
int shutdown(Sock *sk, int how);
/*
 * The user closes: true when the host may sock_destroy() now; false when
 * the core keeps an orphan and will call dead(). linger0: SO_LINGER with
 * l_linger 0 (RST instead of FIN).
 */
bool close(Sock *sk, bool linger0);
/* Send RST (if synchronized) and go to CLOSED with error err. */
void abort(Sock *sk, int err);

/* Socket options. */
void set_nodelay(Sock *sk, bool on);
void set_cork(Sock *sk, bool on);
void set_keepalive(Sock *sk, bool on);
int set_keepidle(Sock *sk, uint32_t seconds);
int set_keepintvl(Sock *sk, uint32_t seconds);
int set_keepcnt(Sock *sk, uint32_t count);
int set_user_timeout(Sock *sk, uint32_t ms);
int set_maxseg(Sock *sk, uint32_t mss);
void set_sndbuf(Sock *sk, uint32_t bytes);
void set_rcvbuf(Sock *sk, uint32_t bytes);
int set_congestion(Sock *sk, const char *name);

/* ---- softirq or process context ---------------------------------------- */

/* A received segment, parsed and checked by segment_parse(). */
struct Segment {
	uint32_t src, dst;	/* IPv4, host order */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;	/* unscaled field */
	uint32_t len;		/* payload bytes */
	const uint8_t *payload;
	wire::TcpOptions opts;
	wire::TcpOptError opt_error;
};

/*
 * Check a segment (pkt's data from the TCP header to the end of the IP
 * payload) and parse it into *seg (which points into pkt). Verifies the
 * checksum unless the device did (cx_pkt_csum_unnecessary). Counts InSegs,
 * InErrs, InCsumErrors. 0, or -EINVAL (bad header) / -EBADMSG-like -EPROTO
 * (bad checksum): drop the packet.
 */
int segment_parse(Net *net, cx_pkt *pkt, uint32_t src, uint32_t dst, Segment *seg);

/* Feed a segment to the socket the host found for it (established or listener). */
void rcv(Sock *sk, const Segment &seg);
/* No socket matched: answer as a CLOSED socket (RFC 9293 3.10.7.1: RST unless RST). */
void rcv_no_socket(Net *net, const Segment &seg);
/* Run a timer (from HostOps::timer, socket locked). */
void timer_run(Sock *sk, TimerKind kind);

/* ---- internals shared by tcp_*.cpp (not for the socket layer) ----------- */

namespace detail {

void count(Net *net, Mib mib, uint64_t n = 1);
inline void count(Sock *sk, Mib mib, uint64_t n = 1) { count(sk->net, mib, n); }
void set_state(Sock *sk, State state);
void init_connection(Sock *sk, uint32_t route_mtu);
/* Free a SYN_RECV child that never armed a timer (safe in softirq). */
void free_embryo(Sock *child);
/* Listener: (re)arm the SYN-ACK retransmission timer for its SYN queue. */
void arm_synack_timer(Sock *listener);
void wake(Sock *sk, uint32_t events);
/* Enter CLOSED after an error (reset, timeout): err set, timers stopped. */
void done(Sock *sk, int err);
uint32_t ts_now(const Sock *sk);

/* output */
void write_xmit(Sock *sk, bool force);
void send_ack(Sock *sk);
void send_syn(Sock *sk);
void send_synack(Sock *sk);
void send_rst(Sock *sk);
void send_reset_reply(Net *net, const Segment &seg);
void send_probe(Sock *sk);
bool retransmit_head(Sock *sk);
/* The window field to send; updates rcv_wnd / rcv_adv. */
uint32_t select_window(Sock *sk, bool syn);
void update_mss(Sock *sk);
uint32_t effective_rcvbuf_space(const Sock *sk);
void maybe_window_update(Sock *sk);
uint16_t mss_for_mtu(uint32_t mtu);

/* timers */
void rto_sample(RtoEstimator *est, uint32_t rtt_us, const Config &cfg);
void rto_init(RtoEstimator *est, const Config &cfg);
uint64_t rto_current_us(const RtoEstimator &est, const Config &cfg);
void arm_rtx(Sock *sk);
void arm_persist(Sock *sk);
void stop_rtx(Sock *sk);
void arm_delack(Sock *sk);
void arm_keepalive(Sock *sk);
void arm_time_wait(Sock *sk);
void arm_fin_wait2(Sock *sk);
void stop_timers(Sock *sk);
uint32_t keepidle_ms(const Sock *sk);

/* congestion */
void cc_init(Sock *sk);
void cc_release(Sock *sk);
void cc_set_state(Sock *sk, CaState state);
void cc_on_rto(Sock *sk);

} // namespace detail

} // namespace cx::tcp

#endif /* CXNET_CORE_TCP_TCP_SOCK_H */
