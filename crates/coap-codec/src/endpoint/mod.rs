//! The CoAP endpoint (feature `alloc`): client and server in one sans-IO
//! state machine, with RFC 7252's message layer (CON retransmission with
//! exponential back-off, NSTART, Message ID allocation, deduplication,
//! empty ACK, Reset, ping) and request layer (tokens, piggybacked and
//! separate responses, No-Response, multicast requests).
//!
//! The endpoint is generic over the peer address `A` (a `SocketAddr`, an
//! 802.15.4 short address, a serial line number...): it needs no `std::net`.
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
//!   return `None`, then sleep until [`Endpoint::poll_timeout`].
//!
//! Peer faults never come back as `Err`: the endpoint answers as RFC 7252
//! says (Reset, 4.02 Bad Option, silence) and reports it as
//! [`Event::Rejected`]. `Err` from a command is local misuse
//! ([`UsageError`]).
//!
//! ```
//! use bytes::BytesMut;
//! use coap_codec::endpoint::{Config, Endpoint, Event, Request, Response};
//! use coap_codec::{Code, CoapOption, Instant, OptionNumber, Options};
//!
//! let mut client: Endpoint<&str> = Endpoint::new(Config { rng_seed: 1, ..Config::default() });
//! let mut server: Endpoint<&str> = Endpoint::new(Config { rng_seed: 2, ..Config::default() });
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
//! ```

mod dedup;
mod mid;
mod params;

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use bytes::{Bytes, BytesMut};
use iotcodec_core::{Rng, Transmit};

use crate::{
    Code, DecodeError, Disposition, EncodeError, Header, Instant, Message, MessageType,
    OptionNumber, Options, OwnedMessage, Token,
};
use dedup::{Dedup, Reply};
use mid::MidAllocator;
pub use params::TransmissionParams;

/// Limits on everything a peer (or the application) can make the endpoint
/// remember. Past a limit the endpoint answers as the protocol allows
/// (5.03, 4.13, silence) or the command fails; it never grows further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Largest datagram received or sent (1152, RFC 7252 §4.6). A larger
    /// Confirmable request is answered 4.13 with Size1; anything else
    /// larger is dropped.
    pub max_message_size: usize,
    /// Peers with state at once (Message ID allocators, NSTART queues).
    pub max_peers: usize,
    /// Deduplication entries in all.
    ///
    /// A retransmitted message is recognized as long as its entry is held:
    /// the entries a peer makes within one EXCHANGE_LIFETIME (247 s) must
    /// fit these bounds for every duplicate to be caught (a peer sending
    /// 4096 CONs in 247 s is 16.6 a second). Past the bounds the oldest
    /// entries go first.
    pub max_dedup_entries: usize,
    /// Deduplication entries per peer, so that one peer cannot push
    /// everybody else's out.
    pub max_dedup_per_peer: usize,
    /// Client requests outstanding or queued at once.
    pub max_requests: usize,
    /// Server exchanges the application has not answered yet; past it a
    /// Confirmable request gets 5.03 Service Unavailable.
    pub max_server_exchanges: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_size: 1152,
            max_peers: 256,
            max_dedup_entries: 8192,
            max_dedup_per_peer: 4096,
            max_requests: 256,
            max_server_exchanges: 256,
        }
    }
}

/// Endpoint configuration.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// RFC 7252 §4.8 transmission parameters.
    pub params: TransmissionParams,
    /// Token length for requests, 0–8 (4 by default: at least 32 random
    /// bits against off-path spoofing, RFC 7252 §5.3.1).
    pub token_len: u8,
    /// Seed for Message IDs, tokens and back-off jitter. Seed it from a real
    /// random source in production.
    pub rng_seed: u64,
    /// How long the server waits for the application's response before it
    /// sends an empty ACK and turns the response into a separate one.
    pub empty_ack_delay: Duration,
    /// Whether a separate response to a Confirmable request is sent
    /// Confirmable (retransmitted until acknowledged) or Non-confirmable.
    pub separate_response_confirmable: bool,
    /// How long a Non-confirmable request waits for its response.
    pub non_request_timeout: Duration,
    /// How long a Confirmable request waits for its separate response after
    /// the empty ACK.
    pub separate_response_timeout: Duration,
    /// How long responses to a multicast request are gathered.
    pub multicast_timeout: Duration,
    /// The options the application recognizes; a request with any other
    /// critical option is answered 4.02 Bad Option by the endpoint, a
    /// response with one is rejected. Default: every registered option.
    pub recognized: fn(OptionNumber) -> bool,
    /// Limits.
    pub limits: Limits,
}

fn registered(n: OptionNumber) -> bool {
    n.definition().is_some()
}

impl Default for Config {
    fn default() -> Self {
        let params = TransmissionParams::default();
        Self {
            params,
            token_len: 4,
            rng_seed: 0,
            empty_ack_delay: Duration::from_secs(1),
            separate_response_confirmable: true,
            non_request_timeout: params.max_transmit_wait(),
            separate_response_timeout: params.exchange_lifetime(),
            multicast_timeout: Duration::from_secs(10),
            recognized: registered,
            limits: Limits::default(),
        }
    }
}

/// A request the application sends; the endpoint adds the Message ID and
/// the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// The method (0.01–0.31).
    pub method: Code,
    /// Confirmable (retransmitted until acknowledged) or not.
    pub confirmable: bool,
    /// The options (Uri-Path, Uri-Query, Content-Format, ...).
    pub options: Options<'a>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Request<'a> {
    /// A Confirmable request with no payload.
    pub const fn new(method: Code, options: Options<'a>) -> Self {
        Self {
            method,
            confirmable: true,
            options,
            payload: &[],
        }
    }

    /// A Confirmable GET.
    pub const fn get(options: Options<'a>) -> Self {
        Self::new(Code::GET, options)
    }

    /// The same request with a payload.
    pub const fn payload(self, payload: &'a [u8]) -> Self {
        Self { payload, ..self }
    }

    /// The same request, Non-confirmable.
    pub const fn non_confirmable(self) -> Self {
        Self {
            confirmable: false,
            ..self
        }
    }
}

/// A response the application gives to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'a> {
    /// The response code (2.00–5.31).
    pub code: Code,
    /// The options.
    pub options: Options<'a>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Response<'a> {
    /// A response with no options and no payload.
    pub const fn new(code: Code) -> Self {
        Self {
            code,
            options: Options::EMPTY,
            payload: &[],
        }
    }

    /// The same response with options.
    pub const fn options(self, options: Options<'a>) -> Self {
        Self { options, ..self }
    }

    /// The same response with a payload.
    pub const fn payload(self, payload: &'a [u8]) -> Self {
        Self { payload, ..self }
    }
}

/// Identifies a client request in events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Identifies a request received by the server, to respond to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExchangeId(pub u64);

/// Why a client request ended without a (usable) response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// No ACK after MAX_RETRANSMIT retransmissions, or no response in time.
    Timeout,
    /// The peer answered with a Reset.
    Reset,
    /// The response carried a critical option we do not recognize and was
    /// rejected (RFC 7252 §5.4.1).
    BadOption(OptionNumber),
    /// A queued request could not be sent when its turn came (e.g. every
    /// Message ID toward the peer was still in use).
    Unsent(UsageError),
}

/// Why the endpoint turned a received message down (for logs and tests;
/// the protocol answer has been given already).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rejection {
    /// The datagram is malformed; a Confirmable one was answered with RST.
    Malformed(DecodeError),
    /// A request with an unrecognized critical option got 4.02 Bad Option;
    /// a response with one was rejected.
    BadOption(OptionNumber),
    /// A response (or notification) nobody is waiting for; answered RST.
    UnknownToken,
    /// Over a limit: a Confirmable request got 5.03 (or 4.13 when too
    /// large), anything else was dropped.
    Overloaded,
    /// An Empty Non-confirmable message (ignored, RFC 7252 §4.3).
    EmptyNon,
}

/// What happened, for the application.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<A> {
    /// A request arrived (never twice for the same message): answer it with
    /// [`Endpoint::respond`].
    Request {
        /// Pass this to [`Endpoint::respond`].
        exchange: ExchangeId,
        /// Who sent it.
        peer: A,
        /// The request (it owns its datagram).
        request: OwnedMessage,
    },
    /// A response to one of our requests (several for a multicast one).
    Response {
        /// Our request.
        request: RequestId,
        /// Who answered.
        peer: A,
        /// The response.
        response: OwnedMessage,
    },
    /// Our Confirmable request was acknowledged with an empty ACK: a
    /// separate response will follow.
    Acknowledged {
        /// Our request.
        request: RequestId,
    },
    /// Our request ended without a response.
    RequestFailed {
        /// Our request.
        request: RequestId,
        /// Why.
        reason: Failure,
    },
    /// The time for responses to a multicast request is up.
    MulticastDone {
        /// Our request.
        request: RequestId,
    },
    /// A ping was answered.
    Pong {
        /// The ping.
        request: RequestId,
    },
    /// A separate Confirmable response we sent was acknowledged.
    ResponseAcknowledged {
        /// The server exchange.
        exchange: ExchangeId,
    },
    /// A separate Confirmable response we sent was never acknowledged
    /// ([`Failure::Timeout`]) or was refused ([`Failure::Reset`]).
    ResponseFailed {
        /// The server exchange.
        exchange: ExchangeId,
        /// Why.
        reason: Failure,
    },
    /// A received message was turned down (answered already as the RFC
    /// says).
    Rejected {
        /// Who sent it.
        peer: A,
        /// Why.
        reason: Rejection,
    },
}

/// Local misuse of the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// `method` is not a request code.
    #[error("not a request method: {0}")]
    NotARequest(Code),
    /// `code` is not a response code.
    #[error("not a response code: {0}")]
    NotAResponse(Code),
    /// [`Limits::max_requests`] outstanding already.
    #[error("too many outstanding requests")]
    TooManyRequests,
    /// [`Limits::max_peers`] peers with state already.
    #[error("too many peers")]
    TooManyPeers,
    /// Every Message ID toward the peer is still within its lifetime.
    #[error("all message IDs toward the peer are in use")]
    MessageIdsExhausted,
    /// With zero-length tokens only one request per peer can be matched.
    #[error("token already in use toward this peer")]
    TokenInUse,
    /// The message would exceed [`Limits::max_message_size`].
    #[error("message of {0} bytes exceeds the maximum message size")]
    MessageTooLarge(usize),
    /// The exchange does not exist (already answered, or expired).
    #[error("unknown or finished exchange")]
    UnknownExchange,
    /// The message cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// What an outgoing message ID is for (ACK/RST matching).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Request(u64),
    Separate(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    /// Waiting for NSTART.
    Queued,
    /// CON sent, retransmitting until ACK/RST.
    AwaitingAck,
    /// NON sent, or CON acknowledged by an empty ACK.
    AwaitingResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientKind {
    Request,
    Multicast,
    Ping,
}

#[derive(Debug)]
struct ClientExchange<A> {
    peer: A,
    token: Token,
    kind: ClientKind,
    confirmable: bool,
    mid: Option<u16>,
    datagram: Bytes,
    state: ClientState,
    deadline: Option<Instant>,
    retransmissions: u32,
    interval: Duration,
    /// Counts against NSTART.
    open: bool,
}

#[derive(Debug)]
enum ServerState {
    /// The application has not answered; an empty ACK is due at the
    /// deadline for a Confirmable request.
    Pending,
    /// An empty ACK went out; the response will be separate.
    Acked,
    /// A separate Confirmable response is being retransmitted.
    Separate {
        mid: u16,
        datagram: Bytes,
        retransmissions: u32,
        interval: Duration,
    },
}

#[derive(Debug)]
struct ServerExchange<A> {
    peer: A,
    request_mid: u16,
    token: Token,
    confirmable: bool,
    no_response: u8,
    state: ServerState,
    deadline: Option<Instant>,
}

#[derive(Debug)]
struct Peer {
    mids: MidAllocator,
    /// Interactions outstanding (NSTART).
    open: u32,
    /// Requests waiting for NSTART, oldest first.
    queue: VecDeque<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Client(u64),
    Server(u64),
}

/// An outgoing datagram waiting for [`Endpoint::poll_transmit`].
#[derive(Debug)]
enum Out {
    /// An Empty message: type and Message ID.
    Empty(MessageType, u16),
    Bytes(Bytes),
}

/// A CoAP endpoint: client and server, many peers. See the [module
/// documentation](self).
pub struct Endpoint<A> {
    config: Config,
    rng: Rng,
    next_id: u64,
    peers: BTreeMap<A, Peer>,
    client: BTreeMap<u64, ClientExchange<A>>,
    by_token: BTreeMap<(A, Token), u64>,
    multicast: BTreeMap<Token, u64>,
    sent: BTreeMap<(A, u16), Sent>,
    server: BTreeMap<u64, ServerExchange<A>>,
    dedup: Dedup<A>,
    timers: BTreeSet<(Instant, Timer)>,
    out: VecDeque<(A, Out)>,
    events: VecDeque<Event<A>>,
}

impl<A: fmt::Debug> fmt::Debug for Endpoint<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("peers", &self.peers.len())
            .field("requests", &self.client.len())
            .field("server_exchanges", &self.server.len())
            .field("dedup_entries", &self.dedup.len())
            .field("timers", &self.timers.len())
            .field("queued_datagrams", &self.out.len())
            .field("queued_events", &self.events.len())
            .finish_non_exhaustive()
    }
}

/// An encoded message with its Message ID (bytes 2 and 3 of the header)
/// set; patched in place when the bytes are not shared yet, as after
/// encoding.
fn with_message_id(datagram: Bytes, mid: u16) -> Bytes {
    let mut d = datagram
        .try_into_mut()
        .unwrap_or_else(|b| BytesMut::from(&b[..]));
    if let Some(id) = d.get_mut(2..4) {
        id.copy_from_slice(&mid.to_be_bytes());
    }
    d.freeze()
}

/// No-Response bit for a response class (RFC 7967 §2.1).
fn no_response_bit(code: Code) -> u8 {
    match code.class() {
        2 => 0x02,
        4 => 0x08,
        5 => 0x10,
        _ => 0,
    }
}

impl<A: Clone + Ord> Endpoint<A> {
    /// A new endpoint.
    pub fn new(mut config: Config) -> Self {
        // a zero ACK_TIMEOUT would retransmit MAX_RETRANSMIT times in one
        // call; a millisecond is the clock's resolution
        config.params.ack_timeout = config.params.ack_timeout.max(Duration::from_millis(1));
        Self {
            rng: Rng::new(config.rng_seed),
            config,
            next_id: 1,
            peers: BTreeMap::new(),
            client: BTreeMap::new(),
            by_token: BTreeMap::new(),
            multicast: BTreeMap::new(),
            sent: BTreeMap::new(),
            server: BTreeMap::new(),
            dedup: Dedup::new(
                config.limits.max_dedup_entries,
                config.limits.max_dedup_per_peer,
            ),
            timers: BTreeSet::new(),
            out: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ----- the calling convention -------------------------------------

    /// The next datagram to send, appended to `buf`; its destination and
    /// length are returned. `None` when nothing is waiting.
    #[must_use]
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<Transmit<A>> {
        let _ = now;
        let (to, out) = self.out.pop_front()?;
        let len = match out {
            Out::Empty(t, mid) => {
                let mut head = [0u8; 4];
                // an Empty message always encodes, in exactly 4 bytes
                let n = Message::empty(t, mid)
                    .encode_to_slice(&mut head)
                    .unwrap_or_default();
                buf.extend_from_slice(&head[..n]);
                n
            }
            Out::Bytes(b) => {
                buf.extend_from_slice(&b);
                b.len()
            }
        };
        Some(Transmit {
            destination: to,
            len,
        })
    }

    /// The next event for the application.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<A>> {
        self.events.pop_front()
    }

    /// When [`Endpoint::handle_timeout`] is due next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.first().map(|&(t, _)| t)
    }

    /// Runs the timers that are due: retransmissions, give-ups, empty ACKs,
    /// request timeouts. Early or repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.expire(now);
        while let Some(&(at, timer)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.pop_first();
            match timer {
                Timer::Client(id) => self.client_timer(now, id),
                Timer::Server(id) => self.server_timer(now, id),
            }
        }
    }

    /// Processes one datagram received from `from`.
    pub fn handle_datagram(&mut self, now: Instant, from: A, datagram: &[u8]) {
        self.expire(now);
        let msg = match Message::decode(datagram) {
            Ok(m) => m,
            Err(e) => {
                if e.disposition() == Disposition::Reject {
                    if let Some(h) = Header::peek(datagram) {
                        if h.mtype == MessageType::Confirmable {
                            self.send_empty(from.clone(), MessageType::Reset, h.message_id);
                        }
                    }
                }
                self.reject(from, Rejection::Malformed(e));
                return;
            }
        };
        if datagram.len() > self.config.limits.max_message_size {
            self.too_large(now, from, &msg);
            return;
        }
        match msg.mtype {
            MessageType::Acknowledgement => self.on_ack(now, from, &msg, datagram),
            MessageType::Reset => self.on_reset(now, from, msg.message_id),
            MessageType::Confirmable | MessageType::NonConfirmable => {
                if msg.code.is_empty() {
                    if msg.mtype == MessageType::Confirmable {
                        // a ping (RFC 7252 §4.3)
                        self.send_empty(from, MessageType::Reset, msg.message_id);
                    } else {
                        self.reject(from, Rejection::EmptyNon);
                    }
                } else if msg.code.is_request() {
                    self.on_request(now, from, &msg, datagram);
                } else {
                    self.on_response(now, from, &msg, datagram);
                }
            }
        }
    }

    // ----- commands ---------------------------------------------------

    /// Sends a request to `peer` (queued while NSTART interactions toward
    /// it are outstanding). Its outcome comes as [`Event::Response`],
    /// [`Event::Acknowledged`] then a response, or [`Event::RequestFailed`].
    pub fn request(
        &mut self,
        now: Instant,
        peer: A,
        request: &Request<'_>,
    ) -> Result<RequestId, UsageError> {
        self.start(now, peer, request, ClientKind::Request)
    }

    /// Sends a Non-confirmable request to a multicast group address (RFC
    /// 7252 §8): every response with its token, from any peer, comes as an
    /// [`Event::Response`] until [`Config::multicast_timeout`], then
    /// [`Event::MulticastDone`].
    pub fn request_multicast(
        &mut self,
        now: Instant,
        group: A,
        request: &Request<'_>,
    ) -> Result<RequestId, UsageError> {
        self.start(
            now,
            group,
            &request.non_confirmable(),
            ClientKind::Multicast,
        )
    }

    /// Sends a ping (an Empty Confirmable message, answered with a Reset):
    /// [`Event::Pong`] or [`Event::RequestFailed`] with [`Failure::Timeout`].
    pub fn ping(&mut self, now: Instant, peer: A) -> Result<RequestId, UsageError> {
        self.start(
            now,
            peer,
            &Request::new(Code::EMPTY, Options::EMPTY),
            ClientKind::Ping,
        )
    }

    /// Forgets a request: no event will come for it, and a late response is
    /// answered with a Reset. Its NSTART slot goes to the next queued
    /// request toward the same peer.
    pub fn cancel(&mut self, now: Instant, request: RequestId) {
        self.finish_client(request.0);
        self.start_queued(now);
    }

    /// Answers a request received as [`Event::Request`]: piggybacked on the
    /// ACK when the empty ACK has not gone out yet, else as a separate
    /// response (Confirmable by default, retransmitted until acknowledged;
    /// see [`Config::separate_response_confirmable`]). A Non-confirmable
    /// request gets a Non-confirmable response. Responses the request's
    /// No-Response option (RFC 7967) declines are not sent (a Confirmable
    /// request still gets its empty ACK).
    pub fn respond(
        &mut self,
        now: Instant,
        exchange: ExchangeId,
        response: &Response<'_>,
    ) -> Result<(), UsageError> {
        if !response.code.is_response() {
            return Err(UsageError::NotAResponse(response.code));
        }
        let x = self
            .server
            .get(&exchange.0)
            .ok_or(UsageError::UnknownExchange)?;
        if matches!(x.state, ServerState::Separate { .. }) {
            return Err(UsageError::UnknownExchange);
        }
        let suppressed = x.no_response & no_response_bit(response.code) != 0;
        let (peer, token) = (x.peer.clone(), x.token);
        let request_confirmable = x.confirmable;
        let piggyback = x.confirmable && matches!(x.state, ServerState::Pending);
        let request_mid = x.request_mid;
        let mut msg = Message {
            mtype: MessageType::Acknowledgement,
            code: response.code,
            message_id: request_mid,
            token,
            options: response.options,
            payload: response.payload,
        };
        if piggyback {
            let reply = if suppressed {
                self.send_empty(peer.clone(), MessageType::Acknowledgement, request_mid);
                Reply::EmptyAck
            } else {
                let bytes = self.encode(&msg)?;
                self.out
                    .push_back((peer.clone(), Out::Bytes(bytes.clone())));
                Reply::Response(bytes)
            };
            self.set_reply(&peer, request_mid, reply);
            self.finish_server(exchange.0);
            return Ok(());
        }
        if suppressed {
            self.finish_server(exchange.0);
            return Ok(());
        }
        let confirmable = request_confirmable && self.config.separate_response_confirmable;
        msg.mtype = if confirmable {
            MessageType::Confirmable
        } else {
            MessageType::NonConfirmable
        };
        // encoded first, so that a response too large wastes no Message ID
        let unnumbered = self.encode(&msg)?;
        msg.message_id = self.allocate_mid(now, &peer)?;
        let bytes = with_message_id(unnumbered, msg.message_id);
        self.out
            .push_back((peer.clone(), Out::Bytes(bytes.clone())));
        if !confirmable {
            self.finish_server(exchange.0);
            return Ok(());
        }
        let interval = self.initial_timeout();
        self.sent
            .insert((peer, msg.message_id), Sent::Separate(exchange.0));
        if let Some(x) = self.server.get_mut(&exchange.0) {
            x.state = ServerState::Separate {
                mid: msg.message_id,
                datagram: bytes,
                retransmissions: 0,
                interval,
            };
        }
        self.set_server_timer(exchange.0, Some(now + interval));
        Ok(())
    }

    // ----- client side ------------------------------------------------

    fn start(
        &mut self,
        now: Instant,
        peer: A,
        request: &Request<'_>,
        kind: ClientKind,
    ) -> Result<RequestId, UsageError> {
        if kind != ClientKind::Ping && !request.method.is_request() {
            return Err(UsageError::NotARequest(request.method));
        }
        if self.client.len() >= self.config.limits.max_requests {
            return Err(UsageError::TooManyRequests);
        }
        self.ensure_peer(now, &peer)?;
        let token = if kind == ClientKind::Ping {
            Token::EMPTY
        } else {
            self.fresh_token(&peer, kind)?
        };
        let msg = Message {
            mtype: if request.confirmable {
                MessageType::Confirmable
            } else {
                MessageType::NonConfirmable
            },
            code: request.method,
            message_id: 0,
            token,
            options: request.options,
            payload: request.payload,
        };
        // encode now (Message ID patched in when sent) to fail early
        let datagram = self.encode(&msg)?;
        let id = self.next_id;
        self.next_id += 1;
        match kind {
            ClientKind::Request => {
                self.by_token.insert((peer.clone(), token), id);
            }
            ClientKind::Multicast => {
                self.multicast.insert(token, id);
            }
            ClientKind::Ping => {}
        }
        self.client.insert(
            id,
            ClientExchange {
                peer: peer.clone(),
                token,
                kind,
                confirmable: request.confirmable,
                mid: None,
                datagram,
                state: ClientState::Queued,
                deadline: None,
                retransmissions: 0,
                interval: Duration::ZERO,
                open: false,
            },
        );
        let nstart = self.config.params.nstart.max(1);
        let room = self.peers.get(&peer).is_some_and(|p| p.open < nstart);
        if kind == ClientKind::Multicast || room {
            if let Err(e) = self.transmit_request(now, id) {
                self.finish_client(id);
                return Err(e);
            }
        } else if let Some(p) = self.peers.get_mut(&peer) {
            p.queue.push_back(id);
        }
        Ok(RequestId(id))
    }

    fn fresh_token(&mut self, peer: &A, kind: ClientKind) -> Result<Token, UsageError> {
        let len = usize::from(self.config.token_len.min(8));
        for _ in 0..16 {
            let mut bytes = [0u8; 8];
            self.rng.fill(&mut bytes[..len]);
            let t = Token::new(&bytes[..len]).unwrap_or(Token::EMPTY);
            // a multicast token must not be any request's, and no request
            // may take a multicast request's token (responses to both come
            // from unicast peers)
            let taken = self.multicast.contains_key(&t)
                || match kind {
                    ClientKind::Multicast => self.by_token.keys().any(|(_, tok)| *tok == t),
                    _ => self.by_token.contains_key(&(peer.clone(), t)),
                };
            if !taken {
                return Ok(t);
            }
        }
        Err(UsageError::TokenInUse)
    }

    /// Sends a queued request for the first time.
    fn transmit_request(&mut self, now: Instant, id: u64) -> Result<(), UsageError> {
        let Some(x) = self.client.get(&id) else {
            return Ok(());
        };
        let peer = x.peer.clone();
        let mid = self.allocate_mid(now, &peer)?;
        let interval = self.initial_timeout();
        let Some(x) = self.client.get_mut(&id) else {
            return Ok(());
        };
        x.datagram = with_message_id(core::mem::take(&mut x.datagram), mid);
        x.mid = Some(mid);
        x.open = x.kind != ClientKind::Multicast;
        let deadline = if x.confirmable {
            x.state = ClientState::AwaitingAck;
            x.interval = interval;
            now + interval
        } else {
            x.state = ClientState::AwaitingResponse;
            now + if x.kind == ClientKind::Multicast {
                self.config.multicast_timeout
            } else {
                self.config.non_request_timeout
            }
        };
        let open = x.open;
        self.out
            .push_back((peer.clone(), Out::Bytes(x.datagram.clone())));
        self.sent.insert((peer.clone(), mid), Sent::Request(id));
        if open {
            if let Some(p) = self.peers.get_mut(&peer) {
                p.open += 1;
            }
        }
        self.set_client_timer(id, Some(deadline));
        Ok(())
    }

    fn client_timer(&mut self, now: Instant, id: u64) {
        let max_retransmit = self.config.params.max_retransmit;
        let Some(x) = self.client.get_mut(&id) else {
            return;
        };
        x.deadline = None;
        match x.state {
            ClientState::AwaitingAck if x.retransmissions < max_retransmit => {
                x.retransmissions += 1;
                x.interval = x.interval.saturating_mul(2);
                let next = now + x.interval;
                self.out
                    .push_back((x.peer.clone(), Out::Bytes(x.datagram.clone())));
                self.set_client_timer(id, Some(next));
            }
            ClientState::AwaitingResponse if x.kind == ClientKind::Multicast => {
                self.finish_client(id);
                self.events.push_back(Event::MulticastDone {
                    request: RequestId(id),
                });
            }
            _ => self.fail_client(now, id, Failure::Timeout),
        }
    }

    fn fail_client(&mut self, now: Instant, id: u64, reason: Failure) {
        self.finish_client(id);
        self.start_queued(now);
        self.events.push_back(Event::RequestFailed {
            request: RequestId(id),
            reason,
        });
    }

    /// Removes a client exchange and everything pointing to it.
    fn finish_client(&mut self, id: u64) {
        let Some(x) = self.client.remove(&id) else {
            return;
        };
        if let Some(d) = x.deadline {
            self.timers.remove(&(d, Timer::Client(id)));
        }
        match x.kind {
            ClientKind::Request => {
                self.by_token.remove(&(x.peer.clone(), x.token));
            }
            ClientKind::Multicast => {
                self.multicast.remove(&x.token);
            }
            ClientKind::Ping => {}
        }
        if let Some(mid) = x.mid {
            self.sent.remove(&(x.peer.clone(), mid));
        }
        if let Some(p) = self.peers.get_mut(&x.peer) {
            if x.open {
                p.open = p.open.saturating_sub(1);
            }
            p.queue.retain(|&q| q != id);
        }
    }

    /// Closes an interaction for NSTART (ACK received) without finishing
    /// the exchange.
    fn close_interaction(&mut self, id: u64) {
        if let Some(x) = self.client.get_mut(&id) {
            if x.open {
                x.open = false;
                if let Some(p) = self.peers.get_mut(&x.peer) {
                    p.open = p.open.saturating_sub(1);
                }
            }
        }
    }

    /// Sends queued requests wherever NSTART allows.
    fn start_queued(&mut self, now: Instant) {
        let nstart = self.config.params.nstart.max(1);
        // one request at a time, rechecking room after each: a send that
        // fails leaves its slot to the next one, in queue order
        loop {
            let next = self
                .peers
                .values_mut()
                .find(|p| p.open < nstart && !p.queue.is_empty())
                .and_then(|p| p.queue.pop_front());
            let Some(id) = next else {
                break;
            };
            if let Err(e) = self.transmit_request(now, id) {
                self.finish_client(id);
                self.events.push_back(Event::RequestFailed {
                    request: RequestId(id),
                    reason: Failure::Unsent(e),
                });
            }
        }
    }

    fn on_ack(&mut self, now: Instant, from: A, msg: &Message<'_>, datagram: &[u8]) {
        let Some(&sent) = self.sent.get(&(from.clone(), msg.message_id)) else {
            return; // nothing of ours: ignore (RFC 7252 §4.2)
        };
        match sent {
            Sent::Separate(xid) => {
                if msg.code.is_empty() {
                    self.finish_server(xid);
                    self.events.push_back(Event::ResponseAcknowledged {
                        exchange: ExchangeId(xid),
                    });
                }
            }
            Sent::Request(id) => {
                let Some(x) = self.client.get(&id) else {
                    return;
                };
                if x.state != ClientState::AwaitingAck {
                    return;
                }
                if x.kind == ClientKind::Ping {
                    self.finish_client(id);
                    self.start_queued(now);
                    self.events.push_back(Event::Pong {
                        request: RequestId(id),
                    });
                    return;
                }
                if msg.code.is_empty() {
                    let deadline = now + self.config.separate_response_timeout;
                    if let Some(x) = self.client.get_mut(&id) {
                        x.state = ClientState::AwaitingResponse;
                    }
                    self.sent.remove(&(from, msg.message_id));
                    if let Some(x) = self.client.get_mut(&id) {
                        x.mid = None;
                    }
                    self.close_interaction(id);
                    self.set_client_timer(id, Some(deadline));
                    self.start_queued(now);
                    self.events.push_back(Event::Acknowledged {
                        request: RequestId(id),
                    });
                    return;
                }
                if msg.token != x.token {
                    // same Message ID, other token: not our response
                    return;
                }
                if let Some(bad) = msg.options.first_bad_critical(self.config.recognized) {
                    self.reject(from, Rejection::BadOption(bad));
                    self.fail_client(now, id, Failure::BadOption(bad));
                    return;
                }
                self.deliver_response(now, id, from, datagram);
            }
        }
    }

    fn on_reset(&mut self, now: Instant, from: A, mid: u16) {
        let Some(&sent) = self.sent.get(&(from, mid)) else {
            return;
        };
        match sent {
            Sent::Separate(xid) => {
                self.finish_server(xid);
                self.events.push_back(Event::ResponseFailed {
                    exchange: ExchangeId(xid),
                    reason: Failure::Reset,
                });
            }
            Sent::Request(id) => {
                let ping = self.client.get(&id).map(|x| x.kind) == Some(ClientKind::Ping);
                if ping {
                    self.finish_client(id);
                    self.start_queued(now);
                    self.events.push_back(Event::Pong {
                        request: RequestId(id),
                    });
                } else {
                    self.fail_client(now, id, Failure::Reset);
                }
            }
        }
    }

    /// A separate response (CON or NON).
    fn on_response(&mut self, now: Instant, from: A, msg: &Message<'_>, datagram: &[u8]) {
        if self.duplicate(&from, msg) {
            return;
        }
        let id = self
            .by_token
            .get(&(from.clone(), msg.token))
            .or_else(|| self.multicast.get(&msg.token))
            .copied()
            .filter(|id| {
                self.client
                    .get(id)
                    .is_some_and(|x| x.state != ClientState::Queued)
            });
        let Some(id) = id else {
            // nobody waits for it (timed out, cancelled, unknown): RST
            self.remember(now, &from, msg, Reply::Reset);
            self.send_empty(from.clone(), MessageType::Reset, msg.message_id);
            self.reject(from, Rejection::UnknownToken);
            return;
        };
        if let Some(bad) = msg.options.first_bad_critical(self.config.recognized) {
            if msg.mtype == MessageType::Confirmable {
                self.remember(now, &from, msg, Reply::Reset);
                self.send_empty(from.clone(), MessageType::Reset, msg.message_id);
            }
            self.reject(from, Rejection::BadOption(bad));
            self.fail_client(now, id, Failure::BadOption(bad));
            return;
        }
        if msg.mtype == MessageType::Confirmable {
            self.remember(now, &from, msg, Reply::EmptyAck);
            self.send_empty(from.clone(), MessageType::Acknowledgement, msg.message_id);
        } else {
            self.remember(now, &from, msg, Reply::Nothing);
        }
        self.deliver_response(now, id, from, datagram);
    }

    fn deliver_response(&mut self, now: Instant, id: u64, from: A, datagram: &[u8]) {
        let Ok(response) = OwnedMessage::decode(Bytes::copy_from_slice(datagram)) else {
            return;
        };
        let multicast = self.client.get(&id).map(|x| x.kind) == Some(ClientKind::Multicast);
        if !multicast {
            self.finish_client(id);
            self.start_queued(now);
        }
        self.events.push_back(Event::Response {
            request: RequestId(id),
            peer: from,
            response,
        });
    }

    // ----- server side ------------------------------------------------

    fn on_request(&mut self, now: Instant, from: A, msg: &Message<'_>, datagram: &[u8]) {
        if self.duplicate(&from, msg) {
            return;
        }
        let con = msg.mtype == MessageType::Confirmable;
        if let Some(bad) = msg.options.first_bad_critical(self.config.recognized) {
            // RFC 7252 §5.4.1: 4.02 to a CON request; a NON one is rejected
            // (silently: an answer would cost a Message ID, and state, per
            // stranger)
            self.reject(from.clone(), Rejection::BadOption(bad));
            if con {
                let no_response = msg.no_response();
                self.answer_con(
                    now,
                    from,
                    msg,
                    Code::BAD_OPTION,
                    Options::EMPTY,
                    no_response,
                );
            }
            return;
        }
        if self.server.len() >= self.config.limits.max_server_exchanges {
            self.reject(from.clone(), Rejection::Overloaded);
            if con {
                self.answer_con(now, from, msg, Code::SERVICE_UNAVAILABLE, Options::EMPTY, 0);
            }
            return;
        }
        let Ok(request) = OwnedMessage::decode(Bytes::copy_from_slice(datagram)) else {
            return;
        };
        let id = self.next_id;
        self.next_id += 1;
        self.remember(now, &from, msg, Reply::Nothing);
        self.server.insert(
            id,
            ServerExchange {
                peer: from.clone(),
                request_mid: msg.message_id,
                token: msg.token,
                confirmable: con,
                no_response: msg.no_response(),
                state: ServerState::Pending,
                deadline: None,
            },
        );
        let deadline = if con {
            now + self.config.empty_ack_delay
        } else {
            // an unanswered NON request is forgotten after NON_LIFETIME
            now + self.config.params.non_lifetime()
        };
        self.set_server_timer(id, Some(deadline));
        self.events.push_back(Event::Request {
            exchange: ExchangeId(id),
            peer: from,
            request,
        });
    }

    /// Answers a Confirmable request at once (4.02, 4.13, 5.03), piggybacked
    /// on its ACK (an empty ACK when No-Response declines the class), and
    /// remembers the answer for duplicates.
    fn answer_con(
        &mut self,
        now: Instant,
        from: A,
        request: &Message<'_>,
        code: Code,
        options: Options<'_>,
        no_response: u8,
    ) {
        let reply = if no_response & no_response_bit(code) != 0 {
            self.send_empty(
                from.clone(),
                MessageType::Acknowledgement,
                request.message_id,
            );
            Reply::EmptyAck
        } else {
            let ack = Message {
                mtype: MessageType::Acknowledgement,
                code,
                message_id: request.message_id,
                token: request.token,
                options,
                payload: &[],
            };
            let Ok(bytes) = self.encode(&ack) else {
                return;
            };
            self.out
                .push_back((from.clone(), Out::Bytes(bytes.clone())));
            Reply::Response(bytes)
        };
        self.remember(now, &from, request, reply);
    }

    /// A datagram above the size limit: 4.13 with Size1 for a CON request
    /// (RFC 7252 §5.9.2.9), dropped otherwise.
    fn too_large(&mut self, now: Instant, from: A, msg: &Message<'_>) {
        let con_request = msg.mtype == MessageType::Confirmable && msg.code.is_request();
        if con_request && self.duplicate(&from, msg) {
            return;
        }
        self.reject(from.clone(), Rejection::Overloaded);
        if !con_request {
            return;
        }
        let max = u32::try_from(self.config.limits.max_message_size).unwrap_or(u32::MAX);
        let size1 = [crate::CoapOption::uint(OptionNumber::SIZE1, max)];
        let options = Options::from_slice(&size1);
        self.answer_con(now, from, msg, Code::REQUEST_ENTITY_TOO_LARGE, options, 0);
    }

    fn server_timer(&mut self, now: Instant, id: u64) {
        let max_retransmit = self.config.params.max_retransmit;
        let Some(x) = self.server.get_mut(&id) else {
            return;
        };
        x.deadline = None;
        match &mut x.state {
            ServerState::Pending if x.confirmable => {
                // the application is slow: acknowledge now, respond later
                x.state = ServerState::Acked;
                let (peer, mid) = (x.peer.clone(), x.request_mid);
                self.send_empty(peer.clone(), MessageType::Acknowledgement, mid);
                self.set_reply(&peer, mid, Reply::EmptyAck);
                // the exchange is forgotten if never answered
                let forget = now + self.config.params.exchange_lifetime();
                self.set_server_timer(id, Some(forget));
            }
            ServerState::Separate {
                datagram,
                retransmissions,
                interval,
                ..
            } => {
                if *retransmissions < max_retransmit {
                    *retransmissions += 1;
                    *interval = interval.saturating_mul(2);
                    let next = now + *interval;
                    let d = datagram.clone();
                    self.out.push_back((x.peer.clone(), Out::Bytes(d)));
                    self.set_server_timer(id, Some(next));
                } else {
                    self.finish_server(id);
                    self.events.push_back(Event::ResponseFailed {
                        exchange: ExchangeId(id),
                        reason: Failure::Timeout,
                    });
                }
            }
            // an unanswered exchange expired
            _ => self.finish_server(id),
        }
    }

    fn finish_server(&mut self, id: u64) {
        let Some(x) = self.server.remove(&id) else {
            return;
        };
        if let Some(d) = x.deadline {
            self.timers.remove(&(d, Timer::Server(id)));
        }
        if let ServerState::Separate { mid, .. } = x.state {
            self.sent.remove(&(x.peer, mid));
        }
    }

    // ----- deduplication ----------------------------------------------

    /// Whether `msg` from `from` was seen within its lifetime; a duplicate
    /// Confirmable message gets the same answer again.
    fn duplicate(&mut self, from: &A, msg: &Message<'_>) -> bool {
        let Some(reply) = self.dedup.get(from, msg.message_id) else {
            return false;
        };
        if msg.mtype == MessageType::Confirmable {
            let out = match reply {
                Reply::Nothing => None,
                Reply::EmptyAck => Some(Out::Empty(MessageType::Acknowledgement, msg.message_id)),
                Reply::Reset => Some(Out::Empty(MessageType::Reset, msg.message_id)),
                Reply::Response(b) => Some(Out::Bytes(b.clone())),
            };
            if let Some(out) = out {
                self.out.push_back((from.clone(), out));
            }
        }
        true
    }

    /// Records a received CON or NON for deduplication.
    fn remember(&mut self, now: Instant, from: &A, msg: &Message<'_>, reply: Reply) {
        let con = msg.mtype == MessageType::Confirmable;
        let lifetime = if con {
            self.config.params.exchange_lifetime()
        } else {
            self.config.params.non_lifetime()
        };
        self.dedup
            .insert(now, from, msg.message_id, con, lifetime, reply);
    }

    fn set_reply(&mut self, from: &A, mid: u16, reply: Reply) {
        self.dedup.set_reply(from, mid, reply);
    }

    /// Drops deduplication entries and idle peers whose time is up.
    fn expire(&mut self, now: Instant) {
        self.dedup.expire(now);
        if self.peers.len() >= self.config.limits.max_peers {
            let lifetime = self.config.params.exchange_lifetime();
            self.peers
                .retain(|_, p| p.open > 0 || !p.queue.is_empty() || !p.mids.is_idle(now, lifetime));
        }
    }

    // ----- helpers ----------------------------------------------------

    fn ensure_peer(&mut self, now: Instant, peer: &A) -> Result<(), UsageError> {
        if self.peers.contains_key(peer) {
            return Ok(());
        }
        if self.peers.len() >= self.config.limits.max_peers {
            self.expire(now);
            if self.peers.len() >= self.config.limits.max_peers {
                return Err(UsageError::TooManyPeers);
            }
        }
        let start = self.rng.next_u16();
        self.peers.insert(
            peer.clone(),
            Peer {
                mids: MidAllocator::new(start),
                open: 0,
                queue: VecDeque::new(),
            },
        );
        Ok(())
    }

    fn allocate_mid(&mut self, now: Instant, peer: &A) -> Result<u16, UsageError> {
        self.ensure_peer(now, peer)?;
        let lifetime = self.config.params.exchange_lifetime();
        self.peers
            .get_mut(peer)
            .and_then(|p| p.mids.allocate(now, lifetime))
            .ok_or(UsageError::MessageIdsExhausted)
    }

    /// The first retransmission timeout: uniform in [ACK_TIMEOUT,
    /// ACK_TIMEOUT × ACK_RANDOM_FACTOR], in milliseconds.
    fn initial_timeout(&mut self) -> Duration {
        let p = &self.config.params;
        let low = u64::try_from(p.ack_timeout.as_millis()).unwrap_or(u64::MAX);
        let high = u64::try_from(p.max_initial_timeout().as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(self.rng.range_inclusive(low, high))
    }

    fn encode(&mut self, msg: &Message<'_>) -> Result<Bytes, UsageError> {
        let len = msg.encoded_len()?;
        if len > self.config.limits.max_message_size {
            return Err(UsageError::MessageTooLarge(len));
        }
        let mut v = Vec::with_capacity(len);
        msg.encode(&mut v)?;
        Ok(Bytes::from(v))
    }

    fn send_empty(&mut self, to: A, mtype: MessageType, mid: u16) {
        self.out.push_back((to, Out::Empty(mtype, mid)));
    }

    fn reject(&mut self, peer: A, reason: Rejection) {
        self.events.push_back(Event::Rejected { peer, reason });
    }

    fn set_client_timer(&mut self, id: u64, at: Option<Instant>) {
        let Some(x) = self.client.get_mut(&id) else {
            return;
        };
        if let Some(old) = x.deadline.take() {
            self.timers.remove(&(old, Timer::Client(id)));
        }
        if let Some(at) = at {
            x.deadline = Some(at);
            self.timers.insert((at, Timer::Client(id)));
        }
    }

    fn set_server_timer(&mut self, id: u64, at: Option<Instant>) {
        let Some(x) = self.server.get_mut(&id) else {
            return;
        };
        if let Some(old) = x.deadline.take() {
            self.timers.remove(&(old, Timer::Server(id)));
        }
        if let Some(at) = at {
            x.deadline = Some(at);
            self.timers.insert((at, Timer::Server(id)));
        }
    }

    /// How many deduplication entries are held (for tests of the limits).
    pub fn dedup_len(&self) -> usize {
        self.dedup.len()
    }

    /// How many peers have state.
    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// Client requests outstanding or queued.
    pub fn outstanding_requests(&self) -> usize {
        self.client.len()
    }

    /// Server exchanges not answered yet (or with a separate response in
    /// flight).
    pub fn server_exchanges(&self) -> usize {
        self.server.len()
    }
}
