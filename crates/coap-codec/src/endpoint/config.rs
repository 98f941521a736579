//! The endpoint's configuration: transmission parameters, policies and the
//! limits on everything a peer can make it remember, validated once when
//! the endpoint is made.

use core::time::Duration;

use super::params::TransmissionParams;
use crate::OptionNumber;

/// Limits on everything a peer (or the application) can make the endpoint
/// remember, in entries and in bytes. Past a limit the endpoint answers as
/// the protocol allows (5.03, 4.13, silence), forgets the oldest entry of a
/// cache, or the command fails; it never grows further.
///
/// Two presets: [`Limits::constrained`] for a device with a few KiB of RAM
/// to spare and [`Limits::server`] (the default) for a server. Their worst
/// case, [`Limits::worst_case_bytes`], is what the endpoint can hold on the
/// heap at once when every limit is reached (a test fills every one of
/// them with hostile traffic and checks the heap against it):
///
/// | preset | peers | dedup entries (per peer) | cached replies | requests | exchanges | worst case |
/// | --- | ---: | ---: | ---: | ---: | ---: | ---: |
/// | `constrained()` | 8 | 32 (16) | 4 KiB | 4 | 4 | 67 KiB |
/// | `server()` | 1,024 | 16,384 (2,048) | 1 MiB | 256 | 256 | 9.7 MiB |
///
/// (`A` = a 32-byte `SocketAddr`; `benches/tests/coap_memory.rs` checks
/// these figures and measures the heap of an endpoint driven to every
/// limit: 29 KiB and 5.9 MiB at the peak.)
///
/// ```
/// use coap_codec::endpoint::Limits;
///
/// let small = Limits::constrained().max_requests(2);
/// assert!(small.worst_case_bytes(16) < 67 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// Largest datagram received or sent (1152, RFC 7252 §4.6). A larger
    /// Confirmable request is answered 4.13 with Size1; anything else
    /// larger is dropped.
    pub max_message_size: usize,
    /// Peers with state at once (Message IDs, NSTART queues, deduplication
    /// entries).
    pub max_peers: usize,
    /// Deduplication entries in all. A retransmitted message is recognized
    /// as long as its entry is held: the entries a peer makes within one
    /// EXCHANGE_LIFETIME (247 s) must fit these bounds for every duplicate
    /// to be caught. Past the bounds the oldest entries go first.
    pub max_dedup_entries: usize,
    /// Deduplication entries per peer, so that one peer cannot push
    /// everybody else's out.
    pub max_dedup_per_peer: usize,
    /// Bytes of piggybacked responses kept for retransmitted requests, in
    /// all; past it the oldest entries go first.
    pub max_dedup_bytes: usize,
    /// Client requests outstanding or queued at once.
    pub max_requests: usize,
    /// Bytes of client requests kept for retransmission, in all.
    pub max_request_bytes: usize,
    /// Server exchanges the application has not answered yet; past it a
    /// Confirmable request gets 5.03 Service Unavailable.
    pub max_server_exchanges: usize,
    /// Bytes of separate responses kept for retransmission (or waiting for
    /// their leisure), in all.
    pub max_response_bytes: usize,
    /// Datagrams waiting for [`poll_transmit`](super::Endpoint::poll_transmit);
    /// past it the newest is dropped and counted (the protocol recovers
    /// as from a lost datagram).
    pub max_queued_transmits: usize,
    /// Events waiting for [`poll_event`](super::Endpoint::poll_event); a
    /// request or response arriving past it is not processed (counted, and
    /// recovered by the peer's retransmission, as for a lost datagram).
    pub max_queued_events: usize,
}

impl Limits {
    /// For a constrained device: a few peers, a few requests at a time,
    /// 67 KiB at worst.
    pub const fn constrained() -> Self {
        Self {
            max_message_size: 1152,
            max_peers: 8,
            max_dedup_entries: 32,
            max_dedup_per_peer: 16,
            max_dedup_bytes: 4 * 1024,
            max_requests: 4,
            max_request_bytes: 4 * 1024,
            max_server_exchanges: 4,
            max_response_bytes: 4 * 1024,
            max_queued_transmits: 4,
            max_queued_events: 4,
        }
    }

    /// For a server: a thousand peers, and every duplicate from a peer
    /// sending up to 8 CONs a second caught; 9.7 MiB at worst.
    pub const fn server() -> Self {
        Self {
            max_message_size: 1152,
            max_peers: 1024,
            max_dedup_entries: 16 * 1024,
            max_dedup_per_peer: 2048,
            max_dedup_bytes: 1024 * 1024,
            max_requests: 256,
            max_request_bytes: 256 * 1024,
            max_server_exchanges: 256,
            max_response_bytes: 256 * 1024,
            max_queued_transmits: 256,
            max_queued_events: 256,
        }
    }

    /// The most heap the endpoint can use with these limits, for a peer
    /// address type of `addr_size` bytes: every map full, every byte
    /// budget spent, every queue full, with the slack of the ordered maps
    /// (nodes half full) and of the shared buffers counted.
    pub const fn worst_case_bytes(&self, addr_size: usize) -> usize {
        let a = addr_size;
        // an ordered-map entry in a half-full node: key, value and a
        // share of the node's header and edges, twice over
        const fn tree(k: usize, v: usize) -> usize {
            2 * (k + v) + 16
        }
        let msg = self.max_message_size;
        let peers = self.max_peers * (tree(a, PEER_BYTES) + 2 * MID_BUCKETS * 16);
        let dedup = self.max_dedup_entries * (tree(2, DEDUP_ENTRY_BYTES) + 2 * (a + 16));
        // (the bytes of requests, responses, replies and received messages
        // are counted with the arenas below)
        // exchanges in slabs (a slot each, the vector up to twice the
        // slots), their tokens and IDs awaiting ACK in small ordered maps
        let requests = self.max_requests * (2 * (CLIENT_BYTES + a + 8) + tree(8, 8) + tree(2, 16));
        let server = self.max_server_exchanges * (2 * (SERVER_BYTES + a + 8) + tree(2, 16));
        // the deadline heap: up to twice the live deadlines and 16 stale
        // ones, in a vector up to twice that
        let timers = (2 * (self.max_requests + self.max_server_exchanges) + 16) * 2 * 24;
        // the commands' and timers' own datagrams, and the events that end
        // an exchange, get room past the queue limits: one per request and
        // two (events: one) per exchange
        let transmits =
            self.max_queued_transmits + self.max_requests + 2 * self.max_server_exchanges;
        let events = self.max_queued_events + self.max_requests + self.max_server_exchanges;
        let queues = transmits * (a + 48) + events * (EVENT_BYTES + a);
        // the chunks messages are cut from: each arena keeps at most
        // `budget / chunk + 2` chunks in use, and past them gives a
        // message its own allocation (bounded by the same budget, with a
        // small header each)
        const fn arena(budget: usize) -> usize {
            let (chunk, chunks) = super::outbox::Arena::sizes(budget);
            chunks * chunk + budget
        }
        let held = self.max_requests
            + self.max_server_exchanges
            + self.max_dedup_entries
            + self.max_queued_events;
        let arenas = arena(self.max_request_bytes + self.max_response_bytes)
            + arena(self.max_dedup_bytes)
            + arena(self.max_queued_events * msg)
            + held * 48;
        peers + dedup + requests + server + timers + queues + arenas
    }

    /// Sets [`Limits::max_message_size`].
    pub const fn max_message_size(mut self, n: usize) -> Self {
        self.max_message_size = n;
        self
    }
    /// Sets [`Limits::max_peers`].
    pub const fn max_peers(mut self, n: usize) -> Self {
        self.max_peers = n;
        self
    }
    /// Sets [`Limits::max_dedup_entries`].
    pub const fn max_dedup_entries(mut self, n: usize) -> Self {
        self.max_dedup_entries = n;
        self
    }
    /// Sets [`Limits::max_dedup_per_peer`].
    pub const fn max_dedup_per_peer(mut self, n: usize) -> Self {
        self.max_dedup_per_peer = n;
        self
    }
    /// Sets [`Limits::max_dedup_bytes`].
    pub const fn max_dedup_bytes(mut self, n: usize) -> Self {
        self.max_dedup_bytes = n;
        self
    }
    /// Sets [`Limits::max_requests`].
    pub const fn max_requests(mut self, n: usize) -> Self {
        self.max_requests = n;
        self
    }
    /// Sets [`Limits::max_request_bytes`].
    pub const fn max_request_bytes(mut self, n: usize) -> Self {
        self.max_request_bytes = n;
        self
    }
    /// Sets [`Limits::max_server_exchanges`].
    pub const fn max_server_exchanges(mut self, n: usize) -> Self {
        self.max_server_exchanges = n;
        self
    }
    /// Sets [`Limits::max_response_bytes`].
    pub const fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = n;
        self
    }
    /// Sets [`Limits::max_queued_transmits`].
    pub const fn max_queued_transmits(mut self, n: usize) -> Self {
        self.max_queued_transmits = n;
        self
    }
    /// Sets [`Limits::max_queued_events`].
    pub const fn max_queued_events(mut self, n: usize) -> Self {
        self.max_queued_events = n;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::server()
    }
}

/// Sizes used by [`Limits::worst_case_bytes`], kept generous; a test
/// checks them against the real types.
pub(crate) const PEER_BYTES: usize = 256;
pub(crate) const MID_BUCKETS: usize = 33;
pub(crate) const DEDUP_ENTRY_BYTES: usize = 48;
pub(crate) const CLIENT_BYTES: usize = 128;
pub(crate) const SERVER_BYTES: usize = 128;
pub(crate) const EVENT_BYTES: usize = 96;
/// Outgoing and incoming messages are cut from shared buffers of this
/// size, so that most messages cost no allocation of their own.
pub(crate) const ARENA_CHUNK: usize = 4096;

/// The endpoint's configuration. Made with [`Config::new`] from a random
/// seed, adjusted with the setters, checked by
/// [`Endpoint::new`](super::Endpoint::new).
///
/// The seed drives Message IDs, tokens and back-off jitter: two endpoints
/// with the same seed draw the same tokens, so seed each from a real random
/// source. With `std`, the standard library's randomly keyed hasher is one:
///
/// ```
/// use std::hash::{BuildHasher, RandomState};
/// use coap_codec::endpoint::{Config, Endpoint};
///
/// let seed = RandomState::new().hash_one("coap endpoint seed");
/// let endpoint: Endpoint<std::net::SocketAddr> = Endpoint::new(Config::new(seed)).unwrap();
/// # let _ = endpoint;
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Config {
    /// Seed for Message IDs, tokens and back-off jitter.
    pub rng_seed: u64,
    /// RFC 7252 §4.8 transmission parameters.
    pub params: TransmissionParams,
    /// Token length for requests, 0–8 (4 by default: at least 32 random
    /// bits against off-path spoofing, RFC 7252 §5.3.1).
    pub token_len: u8,
    /// How long the server waits for the application's response before it
    /// sends an empty ACK and turns the response into a separate one.
    pub empty_ack_delay: Duration,
    /// Whether a separate response to a Confirmable request is sent
    /// Confirmable (retransmitted until acknowledged) or Non-confirmable.
    pub separate_response_confirmable: bool,
    /// How long a Non-confirmable request waits for its response; `None`
    /// (the default): MAX_TRANSMIT_WAIT of [`Config::params`], computed
    /// when used.
    pub non_request_timeout: Option<Duration>,
    /// How long a Confirmable request waits for its separate response after
    /// the empty ACK; `None` (the default): EXCHANGE_LIFETIME of
    /// [`Config::params`], computed when used.
    pub separate_response_timeout: Option<Duration>,
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

impl Config {
    /// The defaults, with `rng_seed` (see the type's documentation for
    /// seeding it from the operating system).
    pub fn new(rng_seed: u64) -> Self {
        Self {
            rng_seed,
            params: TransmissionParams::default(),
            token_len: 4,
            empty_ack_delay: Duration::from_secs(1),
            separate_response_confirmable: true,
            non_request_timeout: None,
            separate_response_timeout: None,
            multicast_timeout: Duration::from_secs(10),
            recognized: registered,
            limits: Limits::default(),
        }
    }

    /// Sets [`Config::params`].
    pub const fn params(mut self, params: TransmissionParams) -> Self {
        self.params = params;
        self
    }
    /// Sets [`Config::token_len`].
    pub const fn token_len(mut self, len: u8) -> Self {
        self.token_len = len;
        self
    }
    /// Sets [`Config::empty_ack_delay`].
    pub const fn empty_ack_delay(mut self, delay: Duration) -> Self {
        self.empty_ack_delay = delay;
        self
    }
    /// Sets [`Config::separate_response_confirmable`].
    pub const fn separate_response_confirmable(mut self, on: bool) -> Self {
        self.separate_response_confirmable = on;
        self
    }
    /// Sets [`Config::non_request_timeout`].
    pub const fn non_request_timeout(mut self, timeout: Duration) -> Self {
        self.non_request_timeout = Some(timeout);
        self
    }
    /// Sets [`Config::separate_response_timeout`].
    pub const fn separate_response_timeout(mut self, timeout: Duration) -> Self {
        self.separate_response_timeout = Some(timeout);
        self
    }
    /// Sets [`Config::multicast_timeout`].
    pub const fn multicast_timeout(mut self, timeout: Duration) -> Self {
        self.multicast_timeout = timeout;
        self
    }
    /// Sets [`Config::recognized`].
    pub const fn recognized(mut self, recognized: fn(OptionNumber) -> bool) -> Self {
        self.recognized = recognized;
        self
    }
    /// Sets [`Config::limits`].
    pub const fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The Non-confirmable request timeout in force.
    pub fn effective_non_request_timeout(&self) -> Duration {
        self.non_request_timeout
            .unwrap_or_else(|| self.params.max_transmit_wait())
    }

    /// The separate response timeout in force.
    pub fn effective_separate_response_timeout(&self) -> Duration {
        self.separate_response_timeout
            .unwrap_or_else(|| self.params.exchange_lifetime())
    }

    /// Checks every value; [`Endpoint::new`](super::Endpoint::new) calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let p = &self.params;
        if p.ack_timeout < Duration::from_millis(1) {
            return Err(ConfigError::AckTimeoutTooShort);
        }
        if p.ack_random_factor_milli < 1000 {
            return Err(ConfigError::AckRandomFactorBelowOne);
        }
        if p.nstart == 0 {
            return Err(ConfigError::ZeroNstart);
        }
        if p.max_retransmit > 20 {
            return Err(ConfigError::TooManyRetransmits);
        }
        if p.probing_rate == 0 {
            return Err(ConfigError::ZeroProbingRate);
        }
        if self.token_len > 8 {
            return Err(ConfigError::TokenTooLong);
        }
        let l = &self.limits;
        if l.max_message_size < MIN_MESSAGE_SIZE {
            return Err(ConfigError::MessageSizeTooSmall);
        }
        if l.max_dedup_per_peer > l.max_dedup_entries {
            return Err(ConfigError::DedupPerPeerAboveTotal);
        }
        let zero = [
            (l.max_peers, "max_peers"),
            (l.max_requests, "max_requests"),
            (l.max_server_exchanges, "max_server_exchanges"),
            (l.max_queued_transmits, "max_queued_transmits"),
            (l.max_queued_events, "max_queued_events"),
        ];
        if let Some(&(_, name)) = zero.iter().find(|(n, _)| *n == 0) {
            return Err(ConfigError::ZeroLimit(name));
        }
        Ok(())
    }
}

/// The smallest [`Limits::max_message_size`]: a header, an 8-byte token
/// and a few options.
pub const MIN_MESSAGE_SIZE: usize = 64;

/// A configuration value out of its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// ACK_TIMEOUT below the clock's resolution (1 ms).
    #[error("ACK_TIMEOUT must be at least 1 ms")]
    AckTimeoutTooShort,
    /// ACK_RANDOM_FACTOR below 1 (RFC 7252 §4.8.1).
    #[error("ACK_RANDOM_FACTOR must be at least 1.0")]
    AckRandomFactorBelowOne,
    /// NSTART of 0 would never send anything.
    #[error("NSTART must be at least 1")]
    ZeroNstart,
    /// MAX_RETRANSMIT above 20 (the back-off would exceed days).
    #[error("MAX_RETRANSMIT must be at most 20")]
    TooManyRetransmits,
    /// PROBING_RATE of 0 would never send to a silent peer again.
    #[error("PROBING_RATE must be at least 1 byte/s")]
    ZeroProbingRate,
    /// Tokens are 0–8 bytes.
    #[error("token length must be 0-8")]
    TokenTooLong,
    /// [`Limits::max_message_size`] below [`MIN_MESSAGE_SIZE`].
    #[error("max_message_size below the minimum")]
    MessageSizeTooSmall,
    /// [`Limits::max_dedup_per_peer`] above [`Limits::max_dedup_entries`].
    #[error("max_dedup_per_peer above max_dedup_entries")]
    DedupPerPeerAboveTotal,
    /// A limit that must be at least 1 is 0.
    #[error("{0} must be at least 1")]
    ZeroLimit(&'static str),
}
