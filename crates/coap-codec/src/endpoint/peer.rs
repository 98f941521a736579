//! Everything the endpoint knows about one peer, in one record behind the
//! endpoint's demultiplexer (`BTreeMap<A, Peer>`): a datagram costs one
//! look-up of its sender, and a peer is forgotten in one removal.

use alloc::collections::{BTreeMap, VecDeque};
use core::time::Duration;

use super::dedup::PeerDedup;
use super::mid::MidAllocator;
use crate::{Instant, Token};

/// What an outgoing Message ID is for (ACK/RST matching).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    /// A client request (by id).
    Request(u64),
    /// A separate Confirmable response (by server exchange id).
    Separate(u64),
}

#[derive(Debug)]
pub(crate) struct Peer {
    /// Message IDs toward the peer.
    pub(crate) mids: MidAllocator,
    /// Interactions outstanding (NSTART).
    pub(crate) open: u32,
    /// Requests waiting for NSTART, oldest first.
    pub(crate) queue: VecDeque<u64>,
    /// Our requests waiting for a response, by token.
    pub(crate) tokens: BTreeMap<Token, u64>,
    /// Our messages waiting for an ACK or RST, by Message ID.
    pub(crate) sent: BTreeMap<u16, Sent>,
    /// Messages received from the peer.
    pub(crate) dedup: PeerDedup,
    /// A request to the peer timed out and nothing came from it since:
    /// new requests are paced at PROBING_RATE (RFC 7252 §4.7).
    pub(crate) silent: bool,
    /// Toward a silent peer, the earliest time the next request may go.
    pub(crate) probe_next: Instant,
}

impl Peer {
    pub(crate) fn new(first_mid: u16) -> Self {
        Self {
            mids: MidAllocator::new(first_mid),
            open: 0,
            queue: VecDeque::new(),
            tokens: BTreeMap::new(),
            sent: BTreeMap::new(),
            dedup: PeerDedup::default(),
            silent: false,
            probe_next: Instant::ZERO,
        }
    }

    /// Whether nothing depends on the record any more besides, maybe,
    /// deduplication entries (which `forgettable` also requires gone).
    pub(crate) fn has_exchanges(&self) -> bool {
        self.open > 0 || !self.queue.is_empty() || !self.tokens.is_empty() || !self.sent.is_empty()
    }

    /// Whether the record can go: no exchange, no deduplication entry, and
    /// no Message ID still within its lifetime.
    pub(crate) fn forgettable(&mut self, now: Instant, lifetime: Duration) -> bool {
        !self.has_exchanges() && self.dedup.len() == 0 && self.mids.is_idle(now, lifetime)
    }

    /// Records a request of `len` bytes sent to a silent peer: the next
    /// one may go when PROBING_RATE (`rate` bytes/s) allows.
    pub(crate) fn paced(&mut self, now: Instant, len: usize, rate: u32) {
        let millis = (len as u64).saturating_mul(1000) / u64::from(rate.max(1));
        self.probe_next = self.probe_next.max(now) + Duration::from_millis(millis);
    }
}
