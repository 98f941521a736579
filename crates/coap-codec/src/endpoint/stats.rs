//! Counters of what the endpoint did and what it holds, for logs, metrics
//! and tests: the diagnostics an application need not act on.

/// What the endpoint has seen and done since it was made, and what it
/// holds now ([`Endpoint::stats`](super::Endpoint::stats)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EndpointStats {
    /// Datagrams handed to `handle_datagram` / `handle_multicast_datagram`.
    pub datagrams_received: u64,
    /// Datagrams written by `poll_transmit`.
    pub datagrams_sent: u64,
    /// Of those, retransmissions of a Confirmable message.
    pub retransmissions: u64,
    /// Malformed datagrams (a Confirmable one was answered with a Reset
    /// where RFC 7252 §4.2 says so).
    pub malformed: u64,
    /// Duplicates caught by deduplication (answered again with the reply
    /// they got the first time).
    pub duplicates: u64,
    /// Messages with an unrecognized critical option: requests answered
    /// 4.02 (Confirmable) or dropped, responses rejected.
    pub bad_options: u64,
    /// Responses nobody was waiting for (answered with a Reset).
    pub unknown_tokens: u64,
    /// ACKs and Resets that matched nothing we sent (ignored).
    pub unmatched: u64,
    /// Requests turned down over a limit (5.03 or 4.13 to a Confirmable
    /// one, silence otherwise).
    pub overloaded: u64,
    /// Empty Non-confirmable messages (ignored, RFC 7252 §4.3), and
    /// Confirmable requests sent to a multicast address (ignored, §8.1).
    pub ignored: u64,
    /// Requests and responses not processed because the event queue was
    /// full ([`Limits::max_queued_events`](super::Limits::max_queued_events)).
    pub events_dropped: u64,
    /// Datagrams dropped because the transmit queue was full
    /// ([`Limits::max_queued_transmits`](super::Limits::max_queued_transmits)).
    pub transmits_dropped: u64,
    /// Requests held back by PROBING_RATE toward a peer that does not
    /// respond (RFC 7252 §4.7).
    pub paced: u64,
    /// Error responses to multicast requests not sent (RFC 7252 §8.2).
    pub multicast_suppressed: u64,

    /// Peers with state now.
    pub peers: usize,
    /// Deduplication entries held now.
    pub dedup_entries: usize,
    /// Bytes of cached replies held now.
    pub dedup_bytes: usize,
    /// Client requests outstanding or queued now.
    pub requests: usize,
    /// Bytes of client requests kept for retransmission now.
    pub request_bytes: usize,
    /// Server exchanges not finished now.
    pub server_exchanges: usize,
    /// Bytes of separate responses kept now.
    pub response_bytes: usize,
    /// Datagrams waiting for `poll_transmit` now.
    pub queued_transmits: usize,
    /// Events waiting for `poll_event` now.
    pub queued_events: usize,
}
