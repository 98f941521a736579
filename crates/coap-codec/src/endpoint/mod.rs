//! The CoAP endpoint (feature `alloc`): client and server in one sans-IO
//! state machine, with RFC 7252's message layer (CON retransmission with
//! exponential back-off, NSTART, PROBING_RATE, Message ID allocation,
//! deduplication, empty ACK, Reset, ping) and request layer (tokens,
//! piggybacked and separate responses, No-Response, multicast requests and
//! DEFAULT_LEISURE).
//!
//! The endpoint is generic over the peer address `A` (a `SocketAddr`, an
//! 802.15.4 short address, a serial line number...): it needs no `std::net`.
//! It is the workspace's template for a multi-peer machine over datagrams;
//! `docs/ARCHITECTURE.md` gives the convention every state machine keeps.
//!
//! # Calling convention
//!
//! The same in every crate of the workspace:
//!
//! * [`Endpoint::handle_datagram`] for every datagram received,
//! * [`Endpoint::request`], [`Endpoint::respond`], ... for what the
//!   application wants,
//! * [`Endpoint::handle_timeout`] once [`Endpoint::poll_timeout`]'s instant
//!   has come (early or repeated calls are harmless),
//! * and after **any** of these, the drain rule: call
//!   [`Endpoint::poll_transmit`] and [`Endpoint::poll_event`] until both
//!   return `None`, then sleep until [`Endpoint::poll_timeout`] (or the
//!   next datagram).
//!
//! Peer faults never come back as `Err`: the endpoint answers as RFC 7252
//! says (Reset, 4.02 Bad Option, 5.03, silence) and counts them in
//! [`Endpoint::stats`]. `Err` from a command is local misuse or a limit
//! ([`UsageError`]). Time only goes forward: a `now` earlier than one
//! already seen is taken as that one.
//!
//! ```
//! use bytes::BytesMut;
//! use coap_codec::endpoint::{Config, Endpoint, Event, Request, Response};
//! use coap_codec::{Code, CoapOption, Instant, OptionNumber, Options};
//!
//! let mut client: Endpoint<&str> = Endpoint::new(Config::new(1)).unwrap();
//! let mut server: Endpoint<&str> = Endpoint::new(Config::new(2)).unwrap();
//! let now = Instant::from_millis(0);
//! let mut buf = BytesMut::new();
//!
//! let path = [CoapOption::str(OptionNumber::URI_PATH, "temp")];
//! let id = client.request(now, "server", &Request::get(Options::from_slice(&path))).unwrap();
//!
//! // client -> server
//! while let Some(t) = client.poll_transmit(now, &mut buf) {
//!     assert_eq!(t.destination, "server");
//!     server.handle_datagram(now, "client", &buf.split_to(t.len));
//! }
//! let Some(Event::Request { exchange, request, .. }) = server.poll_event() else { panic!() };
//! assert_eq!(request.as_message().uri_path().next(), Some("temp"));
//! server.respond(now, exchange, &Response::new(Code::CONTENT).payload(b"21.5")).unwrap();
//!
//! // server -> client: a piggybacked response
//! while let Some(t) = server.poll_transmit(now, &mut buf) {
//!     client.handle_datagram(now, "server", &buf.split_to(t.len));
//! }
//! match client.poll_event() {
//!     Some(Event::Response { request, response, .. }) => {
//!         assert_eq!(request, id);
//!         assert_eq!(response.as_message().payload, b"21.5");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(client.poll_timeout(), None); // nothing left to retransmit
//! assert!(client.is_idle() && server.is_idle());
//! ```

mod client;
mod config;
mod dedup;
mod events;
mod message;
mod mid;
mod outbox;
mod params;
mod peer;
mod server;
mod slab;
mod stats;

use alloc::collections::{BTreeMap, BinaryHeap, VecDeque};
use core::cmp::Reverse;
use core::fmt;
use core::time::Duration;

use bytes::{Bytes, BytesMut};
use iotcodec_core::{Rng, Transmit};

use crate::{Disposition, Header, Instant, Message, MessageType, Token};
use client::ClientExchange;
use dedup::{AgeIndex, Reply};
use outbox::{Arena, Pending};
use peer::Peer;
use server::ServerExchange;
use slab::Slab;

pub use config::{Config, ConfigError, Limits, MIN_MESSAGE_SIZE};
pub use events::{Event, ExchangeId, Failure, RequestId, UsageError};
pub use message::{Request, Response};
pub use params::TransmissionParams;
pub use stats::EndpointStats;

/// The times derived from the configuration, computed once when the
/// endpoint is made (the configuration does not change after).
#[derive(Debug, Clone, Copy)]
struct Times {
    exchange_lifetime: Duration,
    non_lifetime: Duration,
    non_request_timeout: Duration,
    separate_response_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Client(u64),
    Server(u64),
}

/// A CoAP endpoint: client and server, many peers. See the [module
/// documentation](self).
pub struct Endpoint<A> {
    config: Config,
    times: Times,
    rng: Rng,
    /// The latest `now` seen: time never goes back inside.
    now: Instant,
    closed: bool,
    peers: BTreeMap<A, Peer>,
    client: Slab<ClientExchange<A>>,
    multicast: BTreeMap<Token, u64>,
    server: Slab<ServerExchange<A>>,
    ages: AgeIndex<A>,
    /// Deadlines, earliest first. A deadline moved or cleared leaves its
    /// entry behind (its exchange no longer names that time); such entries
    /// are dropped when they reach the top or when they would double the
    /// heap.
    timers: BinaryHeap<Reverse<(Instant, Timer)>>,
    out: VecDeque<Pending<A>>,
    events: VecDeque<Event<A>>,
    /// Outgoing messages kept for their exchange (requests, separate
    /// responses).
    tx_arena: Arena,
    /// Replies kept for duplicates (piggybacked responses, the endpoint's
    /// own answers).
    reply_arena: Arena,
    /// Received messages handed to the application.
    rx_arena: Arena,
    request_bytes: usize,
    response_bytes: usize,
    stats: EndpointStats,
}

impl<A: fmt::Debug> fmt::Debug for Endpoint<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("now", &self.now)
            .field("closed", &self.closed)
            .field("peers", &self.peers.len())
            .field("requests", &self.client.len())
            .field("server_exchanges", &self.server.len())
            .field("dedup_entries", &self.ages.entries)
            .field("timers", &self.timers.len())
            .field("queued_transmits", &self.out.len())
            .field("queued_events", &self.events.len())
            .finish_non_exhaustive()
    }
}

/// Whether a heap entry is still the deadline of its exchange (a field
/// borrow apart from the heap, for `retain`).
fn timer_is_live<A>(
    client: &Slab<ClientExchange<A>>,
    server: &Slab<ServerExchange<A>>,
    at: Instant,
    timer: Timer,
) -> bool {
    match timer {
        Timer::Client(id) => client.get(&id).is_some_and(|x| x.deadline() == Some(at)),
        Timer::Server(id) => server.get(&id).is_some_and(|x| x.deadline() == Some(at)),
    }
}

/// No-Response bit for a response class (RFC 7967 §2.1).
fn no_response_bit(code: crate::Code) -> u8 {
    match code.class() {
        2 => 0x02,
        4 => 0x08,
        5 => 0x10,
        _ => 0,
    }
}

impl<A: Clone + Ord> Endpoint<A> {
    /// A new endpoint, once `config` has passed [`Config::validate`].
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            rng: Rng::new(config.rng_seed),
            times: Times {
                exchange_lifetime: config.params.exchange_lifetime(),
                non_lifetime: config.params.non_lifetime(),
                non_request_timeout: config.effective_non_request_timeout(),
                separate_response_timeout: config.effective_separate_response_timeout(),
            },
            config,
            now: Instant::ZERO,
            closed: false,
            peers: BTreeMap::new(),
            client: Slab::default(),
            multicast: BTreeMap::new(),
            server: Slab::default(),
            ages: AgeIndex::default(),
            timers: BinaryHeap::new(),
            out: VecDeque::new(),
            events: VecDeque::new(),
            tx_arena: Arena::new(
                config.limits.max_request_bytes + config.limits.max_response_bytes,
            ),
            reply_arena: Arena::new(config.limits.max_dedup_bytes),
            rx_arena: Arena::new(config.limits.max_queued_events * config.limits.max_message_size),
            request_bytes: 0,
            response_bytes: 0,
            stats: EndpointStats::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters of what happened and of what is held now.
    pub fn stats(&self) -> EndpointStats {
        EndpointStats {
            peers: self.peers.len(),
            dedup_entries: self.ages.entries,
            dedup_bytes: self.ages.bytes,
            requests: self.client.len(),
            request_bytes: self.request_bytes,
            server_exchanges: self.server.len(),
            response_bytes: self.response_bytes,
            queued_transmits: self.out.len(),
            queued_events: self.events.len(),
            ..self.stats
        }
    }

    /// Whether nothing is in flight: no request outstanding or queued, no
    /// server exchange open, nothing waiting to be polled. Deduplication
    /// entries and Message ID lifetimes do not count (they only expire).
    /// After [`Endpoint::close`], the endpoint may be dropped once this
    /// holds.
    pub fn is_idle(&self) -> bool {
        self.client.is_empty()
            && self.server.is_empty()
            && self.events.is_empty()
            // a request or response finished since it was queued sends nothing
            && self.out.iter().all(|p| match p {
                Pending::Request(id) => !self.client.contains_key(id),
                Pending::Response(id) => !self.server.contains_key(id),
                Pending::Empty { .. } | Pending::Bytes { .. } => false,
            })
    }

    /// Whether [`Endpoint::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Stops the endpoint: every outstanding or queued request fails with
    /// [`Failure::Closed`], every separate response still being
    /// retransmitted with [`Event::ResponseFailed`] ([`Failure::Closed`]),
    /// requests the application has not answered are forgotten, and
    /// commands fail with [`UsageError::Closed`]. Duplicates of requests
    /// already answered still get their answer again, and any other
    /// Confirmable request gets a Reset. Drain as usual; the endpoint is
    /// then idle.
    pub fn close(&mut self, now: Instant) {
        self.advance(now);
        self.closed = true;
        let requests = self.client.ids();
        for id in requests {
            self.fail_client(id, Failure::Closed);
        }
        let exchanges = self.server.ids();
        for id in exchanges {
            let separate = self
                .server
                .get(&id)
                .is_some_and(ServerExchange::is_separate);
            self.finish_server(id);
            if separate {
                self.push_event(Event::ResponseFailed {
                    exchange: ExchangeId(id),
                    reason: Failure::Closed,
                });
            }
        }
        self.tidy_timers();
    }

    // ----- the calling convention -------------------------------------

    /// Writes the next datagram into `buf` (appended) and says where it
    /// goes and how long it is; `None` when nothing is waiting. The
    /// datagram is encoded now, from the endpoint's state: nothing was
    /// encoded ahead for it.
    #[must_use]
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<Transmit<A>> {
        self.advance(now);
        while let Some(pending) = self.out.pop_front() {
            let (to, len) = match pending {
                Pending::Empty {
                    to,
                    mtype,
                    message_id,
                } => (to, outbox::write_empty(buf, mtype, message_id)),
                Pending::Bytes { to, bytes } => {
                    buf.extend_from_slice(&bytes);
                    (to, bytes.len())
                }
                Pending::Request(id) => {
                    // cancelled or finished since it was queued: nothing to send
                    let Some(x) = self.client.get_mut(&id) else {
                        continue;
                    };
                    x.queued = false;
                    let Some(mid) = x.mid else {
                        continue;
                    };
                    (
                        x.peer.clone(),
                        outbox::write_with_message_id(buf, &x.datagram, mid),
                    )
                }
                Pending::Response(id) => {
                    let Some((to, datagram)) =
                        self.server.get_mut(&id).and_then(|x| x.take_queued())
                    else {
                        continue;
                    };
                    buf.extend_from_slice(&datagram);
                    (to, datagram.len())
                }
            };
            self.stats.datagrams_sent += 1;
            return Some(Transmit::new(to, len));
        }
        None
    }

    /// The next event for the application.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<A>> {
        self.events.pop_front()
    }

    /// When [`Endpoint::handle_timeout`] is due next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.peek().map(|Reverse((t, _))| *t)
    }

    /// Runs the timers that are due: retransmissions, give-ups, empty ACKs,
    /// request timeouts, responses whose leisure is over. Early or repeated
    /// calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.advance(now);
        self.expire(now);
        while let Some(&Reverse((at, timer))) = self.timers.peek() {
            if at > now {
                break;
            }
            self.timers.pop();
            if !self.timer_is_live(at, timer) {
                continue;
            }
            match timer {
                Timer::Client(id) => self.client_timer(at, id),
                Timer::Server(id) => self.server_timer(at, id),
            }
        }
        self.tidy_timers();
    }

    /// Processes one datagram received from `from` on a unicast address.
    pub fn handle_datagram(&mut self, now: Instant, from: A, datagram: &[u8]) {
        self.receive(now, from, datagram, false);
        self.tidy_timers();
    }

    /// Processes one datagram received from `from` on a multicast address
    /// the endpoint listens on (RFC 7252 §8.2): a Confirmable request is
    /// ignored (multicast requests are Non-confirmable), nothing is
    /// answered with a Reset, error responses are not sent, and a response
    /// goes out at a random point within DEFAULT_LEISURE of the request.
    pub fn handle_multicast_datagram(&mut self, now: Instant, from: A, datagram: &[u8]) {
        self.receive(now, from, datagram, true);
        self.tidy_timers();
    }

    fn receive(&mut self, now: Instant, from: A, datagram: &[u8], multicast: bool) {
        let now = self.advance(now);
        self.expire(now);
        self.stats.datagrams_received += 1;
        let msg = match Message::decode(datagram) {
            Ok(m) => m,
            Err(e) => {
                self.stats.malformed += 1;
                if e.disposition() == Disposition::Reject && !multicast {
                    if let Some(h) = Header::peek(datagram) {
                        if h.mtype == MessageType::Confirmable {
                            self.send_empty(from, MessageType::Reset, h.message_id);
                        }
                    }
                }
                return;
            }
        };
        if let Some(p) = self.peers.get_mut(&from) {
            // it answers: no more pacing toward it
            p.silent = false;
        }
        if datagram.len() > self.config.limits.max_message_size {
            if !multicast {
                self.too_large(now, from, &msg);
            } else {
                self.stats.overloaded += 1;
            }
            return;
        }
        match msg.mtype {
            MessageType::Acknowledgement => self.on_ack(now, from, &msg, datagram),
            MessageType::Reset => self.on_reset(from, msg.message_id),
            MessageType::Confirmable | MessageType::NonConfirmable => {
                let con = msg.mtype == MessageType::Confirmable;
                if msg.code.is_empty() {
                    if con && !multicast {
                        // a ping (RFC 7252 §4.3)
                        self.send_empty(from, MessageType::Reset, msg.message_id);
                    } else {
                        self.stats.ignored += 1;
                    }
                } else if msg.code.is_request() {
                    if multicast && con {
                        self.stats.ignored += 1;
                    } else {
                        self.on_request(now, from, &msg, datagram, multicast);
                    }
                } else {
                    self.on_response(now, from, &msg, datagram);
                }
            }
        }
    }

    // ----- time -------------------------------------------------------

    /// Takes `now` unless it is earlier than a time already seen.
    fn advance(&mut self, now: Instant) -> Instant {
        self.now = self.now.max(now);
        self.now
    }

    /// A deadline set (or moved) to `at`: pushed; the entry of the one it
    /// replaces is left to be dropped lazily.
    fn push_timer(&mut self, timer: Timer, at: Option<Instant>) {
        if let Some(at) = at {
            self.timers.push(Reverse((at, timer)));
        }
    }

    /// Whether a heap entry is still its exchange's deadline.
    fn timer_is_live(&self, at: Instant, timer: Timer) -> bool {
        timer_is_live(&self.client, &self.server, at, timer)
    }

    /// Drops stale entries from the top (so that `poll_timeout` is exact),
    /// and all of them when they would double the heap. Called at the end
    /// of every call that can move a deadline.
    fn tidy_timers(&mut self) {
        while let Some(&Reverse((at, timer))) = self.timers.peek() {
            if self.timer_is_live(at, timer) {
                break;
            }
            self.timers.pop();
        }
        if self.timers.len() > 2 * (self.client.len() + self.server.len()) + 16 {
            let (client, server) = (&self.client, &self.server);
            self.timers
                .retain(|&Reverse((at, timer))| timer_is_live(client, server, at, timer));
        }
    }

    // ----- peers, deduplication ----------------------------------------

    /// The record of `peer`, made if needed (a forgettable record, or the
    /// record holding the oldest deduplication entry and nothing else,
    /// makes room when [`Limits::max_peers`] are known).
    fn ensure_peer(&mut self, now: Instant, peer: &A) -> Result<&mut Peer, UsageError> {
        if !self.peers.contains_key(peer) {
            if self.peers.len() >= self.config.limits.max_peers {
                self.make_room_for_peer(now);
                if self.peers.len() >= self.config.limits.max_peers {
                    return Err(UsageError::TooManyPeers);
                }
            }
            let start = self.rng.next_u16();
            self.peers.insert(peer.clone(), Peer::new(start));
        }
        self.peers.get_mut(peer).ok_or(UsageError::TooManyPeers)
    }

    fn make_room_for_peer(&mut self, now: Instant) {
        let lifetime = self.times.exchange_lifetime;
        self.peers.retain(|_, p| !p.forgettable(now, lifetime));
        // still full: forget the owner of the oldest deduplication entry
        // if it holds nothing else (at most a few tries)
        for _ in 0..4 {
            if self.peers.len() < self.config.limits.max_peers {
                return;
            }
            let Some(aged) = self.ages.pop_oldest(None) else {
                return;
            };
            let Some(p) = self.peers.get_mut(&aged.peer) else {
                continue;
            };
            let Some(bytes) = p.dedup.remove_if(aged.seq, aged.mid) else {
                continue;
            };
            self.ages.entries -= 1;
            self.ages.bytes -= bytes;
            if p.has_exchanges() || !p.mids.is_idle(now, lifetime) {
                // keeps its record; this entry went
                continue;
            }
            if let Some(gone) = self.peers.remove(&aged.peer) {
                self.ages.entries -= gone.dedup.len();
                self.ages.bytes -= gone
                    .dedup
                    .entries
                    .values()
                    .map(|e| e.reply.bytes())
                    .sum::<usize>();
            }
        }
    }

    /// Whether `msg` from `from` was seen within its lifetime; a duplicate
    /// Confirmable message gets the same answer again.
    fn duplicate(&mut self, from: &A, msg: &Message<'_>) -> bool {
        let Some(reply) = self
            .peers
            .get(from)
            .and_then(|p| p.dedup.get(msg.message_id))
        else {
            return false;
        };
        self.stats.duplicates += 1;
        if msg.mtype == MessageType::Confirmable {
            let pending = match reply {
                Reply::Nothing => None,
                Reply::EmptyAck => Some(Pending::Empty {
                    to: from.clone(),
                    mtype: MessageType::Acknowledgement,
                    message_id: msg.message_id,
                }),
                Reply::Reset => Some(Pending::Empty {
                    to: from.clone(),
                    mtype: MessageType::Reset,
                    message_id: msg.message_id,
                }),
                Reply::Response(b) => Some(Pending::Bytes {
                    to: from.clone(),
                    bytes: b.clone(),
                }),
            };
            if let Some(p) = pending {
                self.queue_transmit(p);
            }
        }
        true
    }

    /// Records a received CON or NON for deduplication; without room for
    /// its peer it is not recorded (the caller has answered already).
    fn remember(&mut self, now: Instant, from: &A, msg: &Message<'_>, reply: Reply) {
        let con = msg.mtype == MessageType::Confirmable;
        let lifetime = if con {
            self.times.exchange_lifetime
        } else {
            self.times.non_lifetime
        };
        let limits = self.config.limits;
        let bytes = reply.bytes();
        if self.ensure_peer(now, from).is_err() {
            return;
        }
        let Some(peer) = self.peers.get_mut(from) else {
            return;
        };
        if let Some(e) = peer.dedup.entries.get_mut(&msg.message_id) {
            let old = e.reply.bytes();
            e.reply = reply;
            self.ages.bytes = self.ages.bytes - old + bytes;
            self.enforce_dedup_bounds(None);
            return;
        }
        // this peer's own bound first
        if peer.dedup.len() >= limits.max_dedup_per_peer {
            if let Some(old) = peer.dedup.oldest() {
                if let Some(e) = peer.dedup.remove(old) {
                    self.ages.entries -= 1;
                    self.ages.bytes -= e.reply.bytes();
                }
            }
        }
        let seq = self.ages.push(now + lifetime, con, from, msg.message_id);
        if let Some(peer) = self.peers.get_mut(from) {
            peer.dedup.push(seq, msg.message_id, reply);
            self.ages.entries += 1;
            self.ages.bytes += bytes;
        }
        self.enforce_dedup_bounds(Some((from, msg.message_id)));
        if self.ages.places() > 2 * self.ages.entries + 64 {
            let peers = &self.peers;
            self.ages.sweep(|a| {
                peers
                    .get(&a.peer)
                    .and_then(|p| p.dedup.entries.get(&a.mid))
                    .is_some_and(|e| e.seq == a.seq)
            });
        }
    }

    /// Replaces the reply of a known message (when still remembered).
    fn set_reply(&mut self, from: &A, mid: u16, reply: Reply) {
        let bytes = reply.bytes();
        if let Some(e) = self
            .peers
            .get_mut(from)
            .and_then(|p| p.dedup.entries.get_mut(&mid))
        {
            let old = e.reply.bytes();
            e.reply = reply;
            self.ages.bytes = self.ages.bytes - old + bytes;
        }
        self.enforce_dedup_bounds(Some((from, mid)));
    }

    /// Drops the oldest entries while over the endpoint-wide bounds; the
    /// entry `keep` (just made) goes last of all.
    fn enforce_dedup_bounds(&mut self, keep: Option<(&A, u16)>) {
        let limits = self.config.limits;
        while self.ages.entries > limits.max_dedup_entries
            || self.ages.bytes > limits.max_dedup_bytes
        {
            let Some(aged) = self.ages.pop_oldest(None) else {
                break;
            };
            if keep.is_some_and(|(p, m)| *p == aged.peer && m == aged.mid) && self.ages.entries == 1
            {
                // only the new entry is left, and its reply alone is over
                // the byte budget: it stays (a duplicate is still caught)
                // without its reply
                if let Some(e) = self
                    .peers
                    .get_mut(&aged.peer)
                    .and_then(|p| p.dedup.entries.get_mut(&aged.mid))
                {
                    self.ages.bytes -= e.reply.bytes();
                    e.reply = Reply::Nothing;
                }
                self.ages.requeue_front(aged);
                break;
            }
            self.drop_entry(&aged.peer, aged.seq, aged.mid);
        }
    }

    fn drop_entry(&mut self, peer: &A, seq: u64, mid: u16) {
        if let Some(bytes) = self
            .peers
            .get_mut(peer)
            .and_then(|p| p.dedup.remove_if(seq, mid))
        {
            self.ages.entries -= 1;
            self.ages.bytes -= bytes;
        }
    }

    /// Drops deduplication entries whose time is up. Costs nothing when
    /// nothing is due: the oldest entries are at the front.
    fn expire(&mut self, now: Instant) {
        while let Some(aged) = self.ages.pop_oldest(Some(now)) {
            self.drop_entry(&aged.peer, aged.seq, aged.mid);
        }
    }

    // ----- output -----------------------------------------------------

    /// Queues a datagram, unless the queue is full (then it is dropped and
    /// counted: the protocol recovers as from a lost datagram).
    fn queue_transmit(&mut self, pending: Pending<A>) {
        if self.out.len() >= self.config.limits.max_queued_transmits {
            self.stats.transmits_dropped += 1;
            return;
        }
        self.out.push_back(pending);
    }

    /// Queues a datagram the application's commands or the endpoint's own
    /// timers made. These get room past [`Limits::max_queued_transmits`]:
    /// one per client request and two per server exchange more. Only an
    /// application that keeps calling without ever polling reaches that,
    /// and then the datagram is dropped and counted like any other.
    /// Returns whether it was queued.
    fn queue_own(&mut self, pending: Pending<A>) -> bool {
        let l = &self.config.limits;
        let room = l.max_queued_transmits + l.max_requests + 2 * l.max_server_exchanges;
        if self.out.len() >= room {
            self.stats.transmits_dropped += 1;
            return false;
        }
        self.out.push_back(pending);
        true
    }

    fn send_empty(&mut self, to: A, mtype: MessageType, message_id: u16) {
        self.queue_transmit(Pending::Empty {
            to,
            mtype,
            message_id,
        });
    }

    /// Whether an event can be queued.
    fn has_event_room(&self) -> bool {
        self.events.len() < self.config.limits.max_queued_events
    }

    /// Queues an event. Events that only end something (failures,
    /// acknowledgements) get room past [`Limits::max_queued_events`]: one
    /// per request and per server exchange more, so that an exchange's end
    /// is not lost to a queue full of arrivals. Only an application that
    /// never polls goes past that; the event is then dropped and counted.
    fn push_event(&mut self, event: Event<A>) {
        let l = &self.config.limits;
        if self.events.len() >= l.max_queued_events + l.max_requests + l.max_server_exchanges {
            self.stats.events_dropped += 1;
            return;
        }
        self.events.push_back(event);
    }

    /// Encodes `msg` into the outgoing arena, within the size limit.
    fn encode(&mut self, msg: &Message<'_>) -> Result<Bytes, UsageError> {
        let len = self.checked_len(msg)?;
        Ok(self.tx_arena.encode(msg, len)?)
    }

    /// Encodes a reply kept for duplicates into the reply arena.
    fn encode_reply(&mut self, msg: &Message<'_>) -> Result<Bytes, UsageError> {
        let len = self.checked_len(msg)?;
        Ok(self.reply_arena.encode(msg, len)?)
    }

    fn checked_len(&self, msg: &Message<'_>) -> Result<usize, UsageError> {
        let len = msg.encoded_len()?;
        if len > self.config.limits.max_message_size {
            return Err(UsageError::MessageTooLarge(len));
        }
        Ok(len)
    }

    /// The first retransmission timeout: uniform in [ACK_TIMEOUT,
    /// ACK_TIMEOUT × ACK_RANDOM_FACTOR], in milliseconds.
    fn initial_timeout(&mut self) -> Duration {
        let p = &self.config.params;
        let low = u64::try_from(p.ack_timeout.as_millis()).unwrap_or(u64::MAX);
        let high = u64::try_from(p.max_initial_timeout().as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(self.rng.range_inclusive(low, high))
    }

    fn allocate_mid(&mut self, now: Instant, peer: &A) -> Result<u16, UsageError> {
        let lifetime = self.times.exchange_lifetime;
        self.ensure_peer(now, peer)?
            .mids
            .allocate(now, lifetime)
            .ok_or(UsageError::MessageIdsExhausted)
    }
}

#[cfg(test)]
mod tests;
